"""Which error a request that is wrong in several ways gets: DynamoDB reports one, and which one
follows from the order of its checks. No documentation gives that order; these cases pin the
order DynamoDB Local shows (docs/compatibility.md, "Known differences from DynamoDB Local that
no documentation settles"), one case per ordering decision, each a request with two faults.

"$H" is a table with a string hash key pk; "$R" adds a number range key sk; "nope" does not
exist.
"""

import pytest

from expect import expect_raw_error

NO_TABLE = "Cannot do operations on a non-existent table"
MIXED = ("Can not use both expression and non-expression parameters in the same request: "
         "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}")
NAMES_WITHOUT_EXPRESSION = "ExpressionAttributeNames can only be specified when using expressions"
EMPTY_SET = "One or more parameter values were invalid: An string set  may not be empty"
EMPTY_KEY = ("One or more parameter values are not valid. The AttributeValue for a key "
             "attribute cannot contain an empty string value. Key: pk")
NESTED = "KeyConditionExpressions cannot have conditions on nested attributes"

CASES = [
    # Writes: the table first, then ReturnValues (DeleteItem and UpdateItem: after Expected's
    # entries), mixed parameters, placeholders without an expression, the item or key, then
    # the placeholders' values and the expressions.
    ("put-table-before-item-values", "PutItem",
     {"TableName": "nope", "Item": {"pk": {"S": "a"}, "a": {"SS": []}}},
     "ResourceNotFoundException", NO_TABLE),
    ("put-table-before-mixed-parameters", "PutItem",
     {"TableName": "nope", "Item": {"pk": {"S": "a"}}, "ConditionExpression": "a = :x",
      "Expected": {"a": {"Exists": False}}},
     "ResourceNotFoundException", NO_TABLE),
    ("delete-table-before-return-values", "DeleteItem",
     {"TableName": "nope", "Key": {"pk": {"S": "a"}}, "ReturnValues": "ALL_NEW"},
     "ResourceNotFoundException", NO_TABLE),
    ("update-table-before-missing-key", "UpdateItem", {"TableName": "nope"},
     "ResourceNotFoundException", NO_TABLE),
    ("delete-expected-before-return-values", "DeleteItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ReturnValues": "ALL_NEW",
      "Expected": {"a": {"Exists": True}}},
     "ValidationException",
     "One or more parameter values were invalid: Value must be provided when Exists is true "
     "for Attribute: a"),
    ("put-mixed-before-missing-item", "PutItem",
     {"TableName": "$H", "ConditionExpression": "a = :x", "Expected": {"a": {"Exists": False}}},
     "ValidationException", MIXED),
    ("put-placeholders-before-item-values", "PutItem",
     {"TableName": "$H", "Item": {"pk": {"S": "a"}, "a": {"SS": []}},
      "ExpressionAttributeNames": {"#a": "a"}},
     "ValidationException", NAMES_WITHOUT_EXPRESSION),
    ("delete-placeholders-before-missing-key", "DeleteItem",
     {"TableName": "$H", "ExpressionAttributeNames": {"#a": "a"}},
     "ValidationException", NAMES_WITHOUT_EXPRESSION),
    ("update-key-before-placeholder-values", "UpdateItem",
     {"TableName": "$H", "Key": {"pk": {"S": ""}}, "UpdateExpression": "SET a = :x",
      "ExpressionAttributeValues": {":x": {"SS": []}}},
     "ValidationException", EMPTY_KEY),
    ("update-return-values-before-mixed-parameters", "UpdateItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ReturnValues": "BOGUS",
      "UpdateExpression": "SET a = :x", "AttributeUpdates": {"a": {"Action": "DELETE"}}},
     "ValidationException", "Return values set to invalid value"),
    ("put-empty-conditional-operator-beside-expression", "PutItem",
     {"TableName": "$H", "Item": {"pk": {"S": "a"}},
      "ConditionExpression": "attribute_not_exists(a)", "ConditionalOperator": ""},
     "ValidationException", "ConditionalOperator cannot be used without Filter or Expected"),
    ("update-empty-conditional-operator-beside-update", "UpdateItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET a = :x",
      "ExpressionAttributeValues": {":x": {"S": "x"}}, "ConditionalOperator": ""},
     "ValidationException", "ConditionalOperator cannot be used without Filter or Expected"),
    ("update-empty-conditional-operator-beside-condition", "UpdateItem",
     {"TableName": "$H", "Key": {"pk": {"S": "absent"}},
      "ConditionExpression": "attribute_exists(a)", "ConditionalOperator": ""},
     "ConditionalCheckFailedException", "The conditional request failed"),
    ("delete-empty-conditional-operator-before-expression", "DeleteItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ConditionExpression": "a = = b",
      "ConditionalOperator": ""},
     "ValidationException", "ConditionalOperator cannot be used without Filter or Expected"),
    # An empty expression is not an expression parameter beside a legacy one; it is refused
    # when parsed.
    ("put-empty-expression-beside-expected", "PutItem",
     {"TableName": "$H", "Item": {"pk": {"S": "a"}}, "ConditionExpression": "",
      "Expected": {"a": {"Exists": False}}},
     "ValidationException", "Invalid ConditionExpression: The expression can not be empty;"),
    ("scan-empty-filter-beside-scan-filter", "Scan",
     {"TableName": "$H", "FilterExpression": "",
      "ScanFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]}}},
     "ValidationException", "Invalid FilterExpression: The expression can not be empty;"),
    # AttributeUpdates: after the condition holds, entry by entry.
    ("update-condition-before-attribute-updates", "UpdateItem",
     {"TableName": "$H", "Key": {"pk": {"S": "absent"}},
      "AttributeUpdates": {"a": {"Action": "ADD"}}, "Expected": {"c": {"Value": {"S": "x"}}}},
     "ConditionalCheckFailedException", "The conditional request failed"),
    ("attribute-update-key-before-value", "UpdateItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}},
      "AttributeUpdates": {"pk": {"Action": "PUT", "Value": {"SS": []}}}},
     "ValidationException",
     "One or more parameter values were invalid: Cannot update attribute pk. This attribute is "
     "part of the key"),
    ("attribute-updates-in-order", "UpdateItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}},
      "AttributeUpdates": {"a": {"Action": "ADD"}, "b": {"Action": "PUT", "Value": {"SS": []}}}},
     "ValidationException",
     "One or more parameter values were invalid: Only DELETE action is allowed when no "
     "attribute value is specified"),
    # Legacy conditions: entry by entry; in an entry its own rules and the operator before its
    # values, and for IN each value's type and the first value's type in one pass.
    ("expected-entry-rules-before-values", "PutItem",
     {"TableName": "$H", "Item": {"pk": {"S": "a"}},
      "Expected": {"a": {"Exists": False, "Value": {"SS": []}}}},
     "ValidationException",
     "One or more parameter values were invalid: Value cannot be used when Exists is false for "
     "Attribute: a"),
    ("expected-entries-in-order", "PutItem",
     {"TableName": "$H", "Item": {"pk": {"S": "a"}},
      "Expected": {"a": {"ComparisonOperator": "GT", "AttributeValueList": [{"SS": ["a"]}]},
                   "b": {"Value": {"SS": []}}}},
     "ValidationException",
     "One or more parameter values were invalid: ComparisonOperator GT is not valid for SS "
     "AttributeValue type"),
    ("filter-operator-before-values", "Scan",
     {"TableName": "$H",
      "ScanFilter": {"a": {"ComparisonOperator": "BOGUS", "AttributeValueList": [{"SS": []}]}}},
     "ValidationException", "Comparison type does not exist in DynamoDB"),
    ("in-types-in-one-pass", "Scan",
     {"TableName": "$H",
      "ScanFilter": {"a": {"ComparisonOperator": "IN",
                           "AttributeValueList": [{"S": "a"}, {"N": "1"}, {"NULL": True}]}}},
     "ValidationException",
     "One or more parameter values were invalid: AttributeValues inside AttributeValueList "
     "must be of same type"),
    # GetItem: AttributesToGet, mixed parameters and names without an expression before the
    # table; then the projection, then the key.
    ("get-attributes-to-get-before-names", "GetItem",
     {"TableName": "nope", "Key": {"pk": {"S": "a"}}, "AttributesToGet": ["a", "a"],
      "ExpressionAttributeNames": {"#a": "a"}},
     "ValidationException", "Cannot have two attributes with the same name"),
    ("get-table-before-key", "GetItem", {"TableName": "nope"},
     "ResourceNotFoundException", NO_TABLE),
    ("get-projection-before-key", "GetItem",
     {"TableName": "$H", "Key": {"pk": {"SS": []}}, "ProjectionExpression": "a,,"},
     "ValidationException", 'Invalid ProjectionExpression: Syntax error; token: ",", near: ",,"'),
    # Key conditions: term by term, then the terms together.
    ("key-condition-nested-before-count", "Query",
     {"TableName": "$R", "KeyConditionExpression": "pk = :p AND sk > :n AND b.c = :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}, ":n": {"N": "1"}}},
     "ValidationException", NESTED),
    ("key-condition-count", "Query",
     {"TableName": "$R", "KeyConditionExpression": "pk = :p AND a = :p AND b = :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}}},
     "ValidationException", "Conditions can be of length 1 or 2 only"),
    ("key-condition-terms-in-order", "Query",
     {"TableName": "$R", "KeyConditionExpression": "b.c = :p AND a <> :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}}},
     "ValidationException", NESTED),
    ("key-condition-nested-key-in-its-turn", "Query",
     {"TableName": "$R", "KeyConditionExpression": "a = :p AND pk.x = :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}}},
     "ValidationException",
     "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
     "allowed: Key: pk"),
    # Query: the table, Limit, the index, mixed parameters, placeholders, FilterExpression,
    # ProjectionExpression, KeyConditionExpression, unused placeholders, the key condition,
    # the start key, QueryFilter, then Select.
    ("query-table-before-limit", "Query", {"TableName": "nope", "Limit": 0},
     "ResourceNotFoundException", NO_TABLE),
    ("query-limit-before-index", "Query", {"TableName": "$R", "Limit": 0, "IndexName": "nosuch"},
     "ValidationException", "Limit must be greater than or equal to 1"),
    ("query-filter-before-key-condition", "Query",
     {"TableName": "$R", "KeyConditionExpression": "pk = :q", "FilterExpression": "a = :zz"},
     "ValidationException",
     "Invalid FilterExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :zz"),
    ("query-values-need-filter-or-key-condition", "Query",
     {"TableName": "$R", "KeyConditions": {"pk": {"ComparisonOperator": "EQ",
                                                  "AttributeValueList": [{"S": "a"}]}},
      "ProjectionExpression": "a", "ExpressionAttributeValues": {":u": {"S": "a"}}},
     "ValidationException",
     "ExpressionAttributeValues can only be specified when using expressions: FilterExpression "
     "and KeyConditionExpression are null"),
    ("query-unused-before-missing-key-condition", "Query",
     {"TableName": "$R", "FilterExpression": "a = :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}}, "ExpressionAttributeNames": {"#u": "x"}},
     "ValidationException",
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"),
    # A projection: reserved words first; then its paths from the last back, each path's
    # placeholders and whether it overlaps or conflicts with the paths after it.
    ("projection-reserved-word-first", "GetItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "#x, name"},
     "ValidationException",
     "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
     "name"),
    ("projection-later-overlap-before-undefined-name", "GetItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "#x, a, #a",
      "ExpressionAttributeNames": {"#a": "a"}},
     "ValidationException",
     "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a]"),
    ("projection-later-pair-first", "GetItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "a[1], a.x, a"},
     "ValidationException",
     "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a, x], path two: [a]"),
    ("projection-conflict-found-below", "GetItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "a, a.y, a[0]"},
     "ValidationException",
     "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or "
     "rewrite one of these paths; path one: [a, y], path two: [a, [0]]"),
    # Unused placeholders are listed in the order of a Java HashSet of them, not the request's.
    ("unused-names-in-hash-order", "GetItem",
     {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "a",
      "ExpressionAttributeNames": {"#a": "c", "#b": "b", "#m": "d", "#z": "a"}},
     "ValidationException",
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#z, #m, #a, #b}"),
    ("query-start-key-before-select", "Query",
     {"TableName": "$R", "KeyConditionExpression": "pk = :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}}, "Select": "ALL_PROJECTED_ATTRIBUTES",
      "ExclusiveStartKey": {"pk": {"S": "b"}, "sk": {"N": "1"}}},
     "ValidationException", "The provided starting key does not match the range key predicate"),
    ("query-empty-conditional-operator-beside-filter", "Query",
     {"TableName": "$R", "KeyConditionExpression": "pk = :p", "FilterExpression": "a = :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}}, "ConditionalOperator": ""},
     "ValidationException", "ConditionalOperator cannot be used without Filter or Expected"),
    # Scan: the table, the index, mixed parameters, placeholders, ScanFilter, Limit, the
    # expressions, the start key, Select, then the segments.
    ("scan-table-before-segments", "Scan", {"TableName": "nope", "Segment": 1},
     "ResourceNotFoundException", NO_TABLE),
    ("scan-filter-entries-before-limit", "Scan",
     {"TableName": "$H", "Limit": 0,
      "ScanFilter": {"a": {"ComparisonOperator": "GT", "AttributeValueList": [{"SS": ["x"]}]}}},
     "ValidationException",
     "One or more parameter values were invalid: ComparisonOperator GT is not valid for SS "
     "AttributeValue type"),
    ("scan-values-need-filter", "Scan",
     {"TableName": "$H", "ProjectionExpression": "a",
      "ExpressionAttributeValues": {":u": {"S": "a"}}},
     "ValidationException",
     "ExpressionAttributeValues can only be specified when using expressions: FilterExpression "
     "is null"),
    ("scan-empty-filter-beside-projection", "Scan",
     {"TableName": "$H", "FilterExpression": "", "ProjectionExpression": "a"},
     "ValidationException", "Invalid FilterExpression: The expression can not be empty;"),
    ("scan-values-need-a-filter-that-is-not-empty", "Scan",
     {"TableName": "$H", "FilterExpression": "", "ExpressionAttributeNames": {"#a": "a"},
      "ExpressionAttributeValues": {":v": {"S": "a"}}},
     "ValidationException",
     "ExpressionAttributeValues can only be specified when using expressions: FilterExpression "
     "is null"),
    ("scan-start-key-empty-value", "Scan",
     {"TableName": "$H", "ExclusiveStartKey": {"pk": {"S": ""}}},
     "ValidationException",
     "The query can return at most one row and cannot be restarted. The provided starting key "
     "is invalid: One or more parameter values are not valid. The AttributeValue for a key "
     "attribute cannot contain an empty string value. Key: pk"),
    ("scan-select-before-segments", "Scan", {"TableName": "$H", "Select": "BOGUS", "Segment": 1},
     "ValidationException",
     "Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES"),
]


@pytest.fixture(scope="module")
def names(module_tables):
    return {"$H": module_tables("hash_s"), "$R": module_tables("hash_s_range_n")}


def with_tables(value, names):
    """`value` with the table roles replaced by their names, map keys (RequestItems') too."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [with_tables(v, names) for v in value]
    if isinstance(value, dict):
        return {names.get(k, k): with_tables(v, names) for k, v in value.items()}
    return value


@pytest.mark.parametrize("operation,body,code,message", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_first_error(raw, names, operation, body, code, message):
    response = raw.request(operation, with_tables(body, names))
    expect_raw_error(response, 400, code, message=message)


@pytest.fixture
def keys_only_lsi(table_factory):
    return table_factory(
        range_key=("sk", "N"),
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "lk", "AttributeType": "S"}],
        LocalSecondaryIndexes=[{"IndexName": "lsi",
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "lk", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}])


def test_query_unprojected_filter_before_select(raw, keys_only_lsi):
    response = raw.request("Query", {
        "TableName": keys_only_lsi, "IndexName": "lsi", "KeyConditionExpression": "pk = :p",
        "FilterExpression": "attribute_exists(a)", "Select": "SPECIFIC_ATTRIBUTES",
        "ExpressionAttributeValues": {":p": {"S": "a"}}})
    expect_raw_error(response, 400, "ValidationException",
                     message="One or more parameter values were invalid: Secondary index lsi "
                     "does not project one or more filter attributes: [a]")


@pytest.mark.parametrize("operation,body", [
    ("PutItem", {"TableName": "$H", "Item": {"pk": {"S": "a"}}, "ReturnValues": ""}),
    ("UpdateItem", {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ReturnValues": ""}),
    ("DeleteItem", {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ReturnValues": ""}),
], ids=["put", "update", "delete"])
def test_empty_return_values_is_absent(raw, names, operation, body):
    response = raw.request(operation, with_tables(body, names))
    assert response.status == 200, response.body
    assert "Attributes" not in response.body


@pytest.mark.parametrize("operation,body", [
    ("Query", {"TableName": "$R", "KeyConditionExpression": "pk = :p",
               "ExpressionAttributeValues": {":p": {"S": "empty-select"}}, "Select": ""}),
    ("Scan", {"TableName": "$H", "Select": "", "Limit": 1}),
], ids=["query", "scan"])
def test_empty_select_is_absent(raw, names, operation, body):
    response = raw.request(operation, with_tables(body, names))
    assert response.status == 200, response.body
    assert "Items" in response.body and "Count" in response.body


@pytest.mark.dunlin_only("DynamoDB Local answers a binary value that is not base64 with HTTP 500")
@pytest.mark.parametrize("operation,body", [
    ("PutItem", {"TableName": "nope", "Item": {"pk": {"S": "a"}, "b": {"B": "not base64!"}}}),
    ("GetItem", {"TableName": "$H", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "#a",
                 "ExpressionAttributeValues": {":b": {"BS": ["YQ==", "not base64!"]}}}),
], ids=["before-the-table", "before-placeholder-rules"])
def test_malformed_binary_comes_first(raw, names, operation, body):
    # The service refuses it while reading the request, before any other check.
    response = raw.request(operation, with_tables(body, names))
    expect_raw_error(response, 400, "SerializationException",
                     message="Base64 encoded length is expected a multiple of 4 bytes but "
                     "found: 11")
