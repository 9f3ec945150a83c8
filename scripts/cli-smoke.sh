#!/usr/bin/env bash
# Smoke test with the AWS CLI against a DynamoDB-API endpoint: create-table, put-item, get-item,
# scan, delete-item, a single-table Query and conditional update-item, a DynamoDB Streams read
# (`aws dynamodbstreams`), delete-table, checking
# each answer. Uses Debian's AWS CLI (/usr/bin/aws,
# override with AWS_CLI=...), dummy credentials and no user configuration.
#
# Usage: scripts/cli-smoke.sh http://127.0.0.1:8000
# Exit status: 0 when every check passed, 1 otherwise, 2 on bad usage.
set -uo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 ENDPOINT_URL" >&2
  exit 2
fi
readonly endpoint="$1"
readonly aws_cli="${AWS_CLI:-/usr/bin/aws}"

export AWS_ACCESS_KEY_ID="AKIDCLISMOKE"
export AWS_SECRET_ACCESS_KEY="cli-smoke-secret"
export AWS_DEFAULT_REGION="us-east-1"
export AWS_CONFIG_FILE="/dev/null"
export AWS_SHARED_CREDENTIALS_FILE="/dev/null"
export AWS_PAGER=""
export AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN

table="cli-smoke-$(date +%s)-$$"
passed=0
failed=0

ddb() {
  "${aws_cli}" dynamodb --endpoint-url "${endpoint}" --output json "$@"
}

# check NAME EXPECTED ACTUAL
check() {
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1))
    echo "ok   $1"
  else
    failed=$((failed + 1))
    echo "FAIL $1: expected [$2], got [$3]"
  fi
}

# json_field JSON PYTHON_EXPRESSION: evaluates the expression on the parsed JSON (as `d`).
json_field() {
  /usr/bin/python3 -c 'import json, sys
try:
    d = json.loads(sys.argv[1])
    print(eval(sys.argv[2]))
except Exception as error:
    print("<unreadable: %s>" % error)' "$1" "$2"
}

cleanup() {
  ddb delete-table --table-name "${table}" >/dev/null 2>&1 || true
}
trap cleanup EXIT

out=$(ddb create-table --table-name "${table}" \
  --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=N \
  --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \
  --billing-mode PAY_PER_REQUEST 2>&1)
check "create-table" "${table}" "$(json_field "${out}" 'd["TableDescription"]["TableName"]')"

out=$(ddb describe-table --table-name "${table}" 2>&1)
check "describe-table status" "ACTIVE" "$(json_field "${out}" 'd["Table"]["TableStatus"]')"

out=$(ddb put-item --table-name "${table}" \
  --item '{"pk": {"S": "user#1"}, "sk": {"N": "1"}, "name": {"S": "Ada"}, "n": {"N": "1E3"}}' \
  --return-consumed-capacity TOTAL 2>&1)
check "put-item" "1.0" "$(json_field "${out}" 'd["ConsumedCapacity"]["CapacityUnits"]')"

out=$(ddb put-item --table-name "${table}" \
  --item '{"pk": {"S": "user#2"}, "sk": {"N": "2"}, "tags": {"SS": ["a", "b"]}}' 2>&1)
check "put-item second" "" "${out}"

out=$(ddb get-item --table-name "${table}" --consistent-read \
  --key '{"pk": {"S": "user#1"}, "sk": {"N": "1"}}' 2>&1)
check "get-item name" "Ada" "$(json_field "${out}" 'd["Item"]["name"]["S"]')"
check "get-item number" "1000" "$(json_field "${out}" 'd["Item"]["n"]["N"]')"

out=$(ddb get-item --table-name "${table}" --key '{"pk": {"S": "nobody"}, "sk": {"N": "1"}}' \
  2>&1)
check "get-item missing" "" "${out}"

out=$(ddb scan --table-name "${table}" 2>&1)
check "scan count" "2" "$(json_field "${out}" 'd["Count"]')"

out=$(ddb scan --table-name "${table}" --select COUNT 2>&1)
check "scan select count" "2" "$(json_field "${out}" 'd["Count"]')"

out=$(ddb delete-item --table-name "${table}" --key '{"pk": {"S": "user#1"}, "sk": {"N": "1"}}' \
  --return-values ALL_OLD 2>&1)
check "delete-item old" "Ada" "$(json_field "${out}" 'd["Attributes"]["name"]["S"]')"

out=$(ddb scan --table-name "${table}" 2>&1)
check "scan after delete" "1" "$(json_field "${out}" 'd["Count"]')"


# Single-table design: a customer and their orders in one item collection, queried by a
# sort-key range and updated conditionally.
for order in 2026-01-05 2026-02-11 2026-03-20; do
  ddb put-item --table-name "${table}" --item '{"pk": {"S": "CUST#7"}, "sk": {"N": "'"${order//-/}"'"},
    "status": {"S": "OPEN"}, "amount": {"N": "10.50"}}' >/dev/null 2>&1
done
out=$(ddb query --table-name "${table}"   --key-condition-expression 'pk = :c AND sk BETWEEN :from AND :to'   --expression-attribute-values '{":c": {"S": "CUST#7"}, ":from": {"N": "20260201"}, ":to": {"N": "20261231"}}'   --no-scan-index-forward 2>&1)
check "query sort-key range" "20260320,20260211" \
  "$(json_field "${out}" '",".join(i["sk"]["N"] for i in d["Items"])')"

out=$(ddb update-item --table-name "${table}" --key '{"pk": {"S": "CUST#7"}, "sk": {"N": "20260211"}}'   --update-expression 'SET #s = :shipped, amount = amount + :fee'   --condition-expression '#s = :open'   --expression-attribute-names '{"#s": "status"}'   --expression-attribute-values '{":shipped": {"S": "SHIPPED"}, ":open": {"S": "OPEN"}, ":fee": {"N": "1.5"}}'   --return-values UPDATED_NEW 2>&1)
check "conditional update" "SHIPPED 12" \
  "$(json_field "${out}" 'd["Attributes"]["status"]["S"] + " " + str(float(d["Attributes"]["amount"]["N"])).rstrip("0").rstrip(".")')"

out=$(ddb update-item --table-name "${table}" --key '{"pk": {"S": "CUST#7"}, "sk": {"N": "20260211"}}'   --update-expression 'SET #s = :shipped' --condition-expression '#s = :open'   --expression-attribute-names '{"#s": "status"}'   --expression-attribute-values '{":shipped": {"S": "SHIPPED"}, ":open": {"S": "OPEN"}}' 2>&1)
check "failed condition" "1" "$(grep -c 'ConditionalCheckFailedException' <<<"${out}")"

# DynamoDB Streams through `aws dynamodbstreams`: enable a stream, write, read the record.
streams() {
  "${aws_cli}" dynamodbstreams --endpoint-url "${endpoint}" --output json "$@"
}
out=$(ddb update-table --table-name "${table}" \
  --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES 2>&1)
stream_arn=$(json_field "${out}" 'd["TableDescription"]["LatestStreamArn"]')
check "update-table stream" "NEW_AND_OLD_IMAGES" \
  "$(json_field "${out}" 'd["TableDescription"]["StreamSpecification"]["StreamViewType"]')"
ddb put-item --table-name "${table}" --item '{"pk": {"S": "CUST#9"}, "sk": {"N": "1"}}' >/dev/null 2>&1
out=$(streams list-streams --table-name "${table}" 2>&1)
check "list-streams" "${stream_arn}" "$(json_field "${out}" 'd["Streams"][0]["StreamArn"]')"
out=$(streams describe-stream --stream-arn "${stream_arn}" 2>&1)
shard_id=$(json_field "${out}" 'd["StreamDescription"]["Shards"][0]["ShardId"]')
check "describe-stream" "ENABLED" "$(json_field "${out}" 'd["StreamDescription"]["StreamStatus"]')"
out=$(streams get-shard-iterator --stream-arn "${stream_arn}" --shard-id "${shard_id}" \
  --shard-iterator-type TRIM_HORIZON 2>&1)
shard_iterator=$(json_field "${out}" 'd["ShardIterator"]')
out=$(streams get-records --shard-iterator "${shard_iterator}" 2>&1)
check "get-records" "INSERT CUST#9" \
  "$(json_field "${out}" '" ".join(r["eventName"] + " " + r["dynamodb"]["Keys"]["pk"]["S"] for r in d["Records"])')"

out=$(ddb describe-table --table-name "no-such-table-$$" 2>&1)
check "missing table error" "1" "$(grep -c 'ResourceNotFoundException' <<<"${out}")"

out=$(ddb delete-table --table-name "${table}" 2>&1)
check "delete-table" "${table}" "$(json_field "${out}" 'd["TableDescription"]["TableName"]')"

out=$(ddb list-tables 2>&1)
check "table gone" "False" "$(json_field "${out}" '"'"${table}"'" in d["TableNames"]')"

echo "cli smoke: ${passed} passed, ${failed} failed"
[[ ${failed} -eq 0 ]]
