"""Which error a transaction or batch that is wrong in several ways gets, as DynamoDB Local
orders its checks (docs/compatibility.md, "Check order"): one case per ordering decision, each
a request with two faults, in two actions or two tables where the decision is between them.

"$H" is a table with a string hash key pk; "$R" adds a number range key sk; "nope" does not
exist.
"""

import pytest

from conftest import TableFactory, unique_table_name
from expect import expect_raw_error
from test_error_order import with_tables

NO_TABLE = "Cannot do operations on a non-existent table"
EMPTY_SET = "One or more parameter values were invalid: An string set  may not be empty"
KEY_TYPE = "One or more parameter values were invalid: Type mismatch for key"
NOT_FOUND_IN_UPDATE = "The document path provided in the update expression is invalid for update"


def put(table, item, **members):
    return {"Put": dict({"TableName": table, "Item": item}, **members)}


def update(table, key, expression, **members):
    return {"Update": dict({"TableName": table, "Key": key, "UpdateExpression": expression},
                           **members)}


HKEY = {"pk": {"S": "order-absent"}}
RKEY = {"pk": {"S": "order-absent"}, "sk": {"N": "1"}}
VALUE = {":v": {"S": "x"}}

CASES = [
    # TransactWriteItems, for every action: the placeholders' values, the expressions, unused
    # placeholders, the item's or key's values; then action by action what needs the table.
    ("transact-expressions-before-item-values", "TransactWriteItems",
     {"TransactItems": [put("$H", {"pk": {"S": "a"}, "a": {"SS": []}},
                            ConditionExpression="a = :zz")]},
     "ValidationException",
     "Invalid ConditionExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :zz"),
    ("transact-unused-placeholders-before-item-values", "TransactWriteItems",
     {"TransactItems": [put("$H", {"pk": {"S": "a"}, "a": {"SS": []}},
                            ConditionExpression="attribute_exists(a)",
                            ExpressionAttributeValues=VALUE)]},
     "ValidationException",
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"),
    ("transact-later-values-before-earlier-table", "TransactWriteItems",
     {"TransactItems": [put("nope", {"pk": {"S": "a"}}),
                        put("$H", {"pk": {"S": "a"}, "a": {"SS": []}})]},
     "ValidationException", EMPTY_SET),
    ("transact-table-before-missing-item", "TransactWriteItems",
     {"TransactItems": [{"Put": {"TableName": "nope"}}]},
     "ResourceNotFoundException", NO_TABLE),
    ("transact-placeholders-before-missing-key", "TransactWriteItems",
     {"TransactItems": [{"Delete": {"TableName": "$H",
                                    "ExpressionAttributeNames": {"#a": "a"}}}]},
     "ValidationException",
     "ExpressionAttributeNames can only be specified when using expressions"),
    ("transact-key-before-missing-condition", "TransactWriteItems",
     {"TransactItems": [{"ConditionCheck": {"TableName": "$R", "Key": HKEY}}]},
     "ValidationException", "The number of conditions on the keys is invalid"),
    ("transact-update-tried-before-next-action", "TransactWriteItems",
     {"TransactItems": [update("$H", HKEY, "SET a.b = :v", ExpressionAttributeValues=VALUE),
                        {"Delete": {"TableName": "$R", "Key": HKEY}}]},
     "ValidationException", NOT_FOUND_IN_UPDATE),
    ("transact-update-tried-before-later-condition", "TransactWriteItems",
     {"TransactItems": [{"ConditionCheck": {"TableName": "$R", "Key": RKEY,
                                            "ConditionExpression": "attribute_exists(a)"}},
                        update("$H", HKEY, "SET a.b = :v", ExpressionAttributeValues=VALUE)]},
     "ValidationException", NOT_FOUND_IN_UPDATE),
    ("transact-condition-before-key-update", "TransactWriteItems",
     {"TransactItems": [update("$H", HKEY, "SET pk = :v", ExpressionAttributeValues=VALUE,
                               ConditionExpression="attribute_exists(a)")]},
     "TransactionCanceledException",
     "Transaction cancelled, please refer cancellation reasons for specific reasons "
     "[ConditionalCheckFailed]"),
    # TransactGetItems: each Get whole before the next; in a Get, the table, the projection,
    # the names, then the key.
    ("transact-get-first-get-whole", "TransactGetItems",
     {"TransactItems": [{"Get": {"TableName": "$H", "Key": {"pk": {"S": ""}}}},
                        {"Get": {"TableName": "$H", "Key": HKEY,
                                 "ProjectionExpression": "a, , b"}}]},
     "ValidationException",
     "One or more parameter values are not valid. The AttributeValue for a key attribute "
     "cannot contain an empty string value. Key: pk"),
    ("transact-get-projection-before-key", "TransactGetItems",
     {"TransactItems": [{"Get": {"TableName": "$H", "Key": {"pk": {"S": ""}},
                                 "ProjectionExpression": "a, name"}}]},
     "ValidationException",
     "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
     "name"),
    # BatchWriteItem: table by table in request order, an empty list, each request's place in
    # the 25, its shape and its item's size as it is read.
    ("batch-write-size-as-read", "BatchWriteItem",
     {"RequestItems": {"$H": [{"PutRequest": {"Item": {"pk": {"S": "a"},
                                                       "a": {"S": "x" * 410000}}}},
                              {"PutRequest": {}}]}},
     "ValidationException", "Item size has exceeded the maximum allowed size"),
    ("batch-write-count-as-read", "BatchWriteItem",
     {"RequestItems": {"$H": [{"DeleteRequest": {"Key": {"pk": {"S": "k%d" % i}}}}
                              for i in range(26)],
                       "$R": [{"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"},
                                                       "a": {"SS": []}}}}]}},
     "ValidationException", "Too many items requested for the BatchWriteItem call"),
    # BatchGetItem: table by table each table's own parameters, then expressions beside
    # AttributesToGet anywhere in the request; then each table's keys before its
    # AttributesToGet; an empty key value after the table's other key errors.
    ("batch-get-mixed-across-tables", "BatchGetItem",
     {"RequestItems": {"$H": {"Keys": [HKEY], "ProjectionExpression": "a"},
                       "$R": {"Keys": [RKEY], "AttributesToGet": ["a"]}}},
     "ValidationException",
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {AttributesToGet} Expression parameters: "
     "{ProjectionExpression}"),
    ("batch-get-keys-before-attributes-to-get", "BatchGetItem",
     {"RequestItems": {"$H": {"Keys": [HKEY, HKEY], "AttributesToGet": ["a", "a"]}}},
     "ValidationException", "Provided list of item keys contains duplicates"),
]


@pytest.fixture(scope="module")
def names(module_tables):
    return {"$H": module_tables("hash_s"), "$R": module_tables("hash_s_range_n")}


@pytest.mark.parametrize("operation,body,code,message", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_first_error(raw, names, operation, body, code, message):
    response = raw.request(operation, with_tables(body, names))
    expect_raw_error(response, 400, code, message=message)


def test_transaction_one_item_rule_before_a_later_action(raw, names):
    # The second action names the first one's item: refused before the third action's table
    # is looked at.
    body = {"TransactItems": [put("$R", dict(RKEY)), {"Delete": {"TableName": "$R", "Key": RKEY}},
                              put("nope", {"pk": {"S": "a"}})]}
    response = raw.request("TransactWriteItems", with_tables(body, names))
    expect_raw_error(response, 400, "ValidationException",
                     message="Transaction request cannot include multiple operations on one item")


def test_batch_get_key_type_before_empty_value(raw, names):
    body = {"RequestItems": {"$H": {"Keys": [{"pk": {"S": ""}}, {"pk": {"N": "1"}}]}}}
    response = raw.request("BatchGetItem", with_tables(body, names))
    expect_raw_error(response, 400, "ValidationException", contains=KEY_TYPE)


def test_key_update_cancels_before_the_next_table(raw, names):
    # The Update of a key attribute ends the call before the second action's table is looked
    # up; the reason names the Update.
    body = {"TransactItems": [update("$H", HKEY, "SET pk = :v", ExpressionAttributeValues=VALUE),
                              put("nope", {"pk": {"S": "a"}})]}
    response = raw.request("TransactWriteItems", with_tables(body, names))
    expect_raw_error(response, 400, "TransactionCanceledException")
    first = response.body["CancellationReasons"][0]
    assert first == {"Code": "ValidationError", "Message": "One or more parameter values were "
                     "invalid: Cannot update attribute pk. This attribute is part of the key"}


def java_bucket(name, entries):
    """The bucket of `name` in a Java HashMap sized for `entries` names, as DynamoDB Local
    keeps a batch's tables: String.hashCode (of an ASCII name), spread, masked."""
    capacity = 1
    while capacity < -(-entries * 4 // 3):
        capacity *= 2
    h = 0
    for ch in name:
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return (h ^ (h >> 16)) & (capacity - 1)


def names_in_two_buckets():
    """Two table names whose buckets differ (the first's before the second's), so that the
    order DynamoDB Local visits them in is not the request's order both ways."""
    while True:
        first, second = unique_table_name("ho"), unique_table_name("ho")
        if java_bucket(first, 2) < java_bucket(second, 2):
            return first, second


@pytest.fixture(scope="module")
def two_buckets(ddb, raw):
    factory = TableFactory(ddb, raw)
    first, second = names_in_two_buckets()
    factory(name=first)
    factory(name=second, range_key=("sk", "N"))
    yield first, second
    factory.cleanup()


@pytest.mark.parametrize("operation", ["BatchWriteItem", "BatchGetItem"])
def test_batch_tables_keys_in_hash_order(raw, two_buckets, operation):
    # Both tables have a key error of their own; DynamoDB Local names the one whose name's
    # bucket comes first (`first`), whichever the request lists first.
    first, second = two_buckets
    missing = {"zz": {"S": "a"}}  # the hash table's required key attribute is missing
    wrong_type = {"pk": {"N": "1"}, "sk": {"N": "1"}}
    if operation == "BatchWriteItem":
        entries = {first: [{"DeleteRequest": {"Key": missing}}],
                   second: [{"DeleteRequest": {"Key": wrong_type}}]}
    else:
        entries = {first: {"Keys": [missing]}, second: {"Keys": [wrong_type]}}
    for order in ((first, second), (second, first)):
        response = raw.request(operation, {"RequestItems": {n: entries[n] for n in order}})
        expect_raw_error(response, 400, "ValidationException",
                         message="One of the required keys was not given a value")
