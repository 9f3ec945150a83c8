"""Multi-attribute GSI keys: partition and sort keys of up to four attributes each.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
  1. a GSI key schema has 1-4 HASH attributes followed by 0-4 RANGE attributes, each in
     AttributeDefinitions; five or more of either, HASH after RANGE, or one attribute twice is
     refused;
  2. an item is in the index only with every key attribute; a Query names every HASH attribute
     with an equality, and conditions on a left prefix of the RANGE attributes, only the last of
     them a range; items sort by the RANGE attributes in order;
  3. LastEvaluatedKey holds the table key and every index key attribute;
  4. each key attribute is type-checked and not empty, and obeys the single-attribute length
     limit; the HASH attributes together stay within 2048 bytes and the RANGE ones within 1024;
  5. UpdateTable creates multi-attribute GSIs too.
The rules for single-attribute indexes are in test_index_definition.py, test_index_query.py and
test_index_writes.py. Errors are DynamoDB Local's, verbatim.
"""

import pytest

from conftest import TableFactory, unique_table_name
from expect import expect_validation
# base_table is a fixture: imported so that pytest finds it here too.
from test_index_writes import OPERATIONS, base_table, create_action  # noqa: F401
from test_index_writes import expect_write_error, fill_base, item_key, wait_for_index

NOT_DEFINED = "Attribute {} is not defined in AttributeDefinitions"
SAME_KEY_NAME = "Two keys can not have the same name"
KEY_ORDER = ("Invalid key order. Hash Key must be specified first in key schema, Range Key must be "
             "specifed second")
TOO_MANY_PARTITION_KEYS = "Too many partition keys. GSI can have at most 4 partition keys"
TOO_MANY_SORT_KEYS = "Too many sort keys. GSI can have at most 4 sort keys"

INVALID_START_KEY = "The provided starting key is invalid"
MISSED_KEY = "Query condition missed key schema element"
HASH_EQUALITY = "HASH key attributes {} must have equality conditions specified in the query"
RANGE_PREFIX = ("RANGE key attributes {} must have equality conditions specified in the query "
                "because a condition is present on key attribute {}")
ONE_CONDITION_PER_KEY = "KeyConditionExpressions must only contain one condition per key"
INDEX_KEY_TYPE = "One or more parameter values were invalid: Type mismatch for Index Key"
EMPTY_INDEX_VALUE = ("One or more parameter values are not valid. A value specified for a "
                     "secondary index key is not supported. The AttributeValue for a key "
                     "attribute cannot contain an empty {} value. IndexName: {}, IndexKey: {}")
EMPTY_INDEX_UPDATE = ("One or more parameter values are not valid. The update expression "
                      "attempted to update a secondary index key to a value that is not "
                      "supported. The AttributeValue for a key attribute cannot contain an empty "
                      "{} value.")
SIZE_LIMIT = "One or more parameter values were invalid: Size limit exceeded"
AGGREGATE_SIZE = ("Aggregate size for {} key attributes {} of index {} has exceeded limit {} "
                  "bytes, with actual size {} bytes")


def definitions(*pairs):
    """definitions(("pk", "S"), ...) -> AttributeDefinitions."""
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in pairs]


def key(*names, kinds=None):
    """key("h") -> HASH; key("h", "r") -> HASH + RANGE; kinds overrides the key types."""
    kinds = kinds or ["HASH"] + ["RANGE"] * (len(names) - 1)
    return [{"AttributeName": name, "KeyType": kind} for name, kind in zip(names, kinds)]


def without(key_, name):
    return {k: v for k, v in key_.items() if k != name}


def index(name, key_schema, projection_type="ALL"):
    return {"IndexName": name, "KeySchema": key_schema,
            "Projection": {"ProjectionType": projection_type}}


@pytest.fixture
def create(ddb, table_factory):
    """create(**create_table_args) -> TableDescription; the table is deleted after the test."""

    def run(**create_args):
        response = ddb.create_table(**create_args)
        table_factory.adopt(create_args["TableName"])
        return response["TableDescription"]

    return run


MULTI_DEFS = definitions(("pk", "S"), *[(f"m{i}", "S") for i in range(10)])


def multi(hash_count, range_count, kinds=None):
    names = [f"m{i}" for i in range(hash_count + range_count)]
    kinds = kinds or ["HASH"] * hash_count + ["RANGE"] * range_count
    return index("gsi_m", key(*names, kinds=kinds))


@pytest.mark.parametrize("hash_count,range_count", [(2, 0), (4, 0), (1, 4), (4, 4), (2, 3)])
def test_multi_attribute_gsi_keys_accepted(create, hash_count, range_count):
    """GSI.DesignPattern.MultiAttributeKeys.html: GSI partition and sort keys of up to four
    attributes each."""
    gsi = multi(hash_count, range_count)
    used = hash_count + range_count
    description = create(TableName=unique_table_name("ix"), KeySchema=key("pk"),
                         AttributeDefinitions=MULTI_DEFS[:used + 1], BillingMode="PAY_PER_REQUEST",
                         GlobalSecondaryIndexes=[gsi])
    assert description["GlobalSecondaryIndexes"][0]["KeySchema"] == gsi["KeySchema"]


@pytest.mark.parametrize("gsi,message", [
    (multi(5, 0), TOO_MANY_PARTITION_KEYS),
    (multi(1, 5), TOO_MANY_SORT_KEYS),
    (multi(2, 1, kinds=["HASH", "RANGE", "HASH"]), KEY_ORDER),
    (multi(1, 1, kinds=["RANGE", "HASH"]), KEY_ORDER),
    (index("gsi_m", key("m0", "m0", kinds=["HASH", "HASH"])), SAME_KEY_NAME),
    (index("gsi_m", key("m0", "m1", "undefined")), NOT_DEFINED.format("undefined")),
], ids=["5-partition-keys", "5-sort-keys", "hash-after-range", "range-first", "repeated",
        "undefined"])
def test_multi_attribute_gsi_key_errors(ddb, gsi, message):
    used = {element["AttributeName"] for element in gsi["KeySchema"]} - {"undefined"}
    expect_validation(ddb.create_table, message, TableName=unique_table_name("ix"),
                      KeySchema=key("pk"), BillingMode="PAY_PER_REQUEST",
                      AttributeDefinitions=definitions(("pk", "S"), *[(n, "S") for n in
                                                                      sorted(used)]),
                      GlobalSecondaryIndexes=[gsi])


# --- Queries ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def multi_table(ddb, raw):
    """GSI `multi`: HASH a (S), b (N); RANGE c (S), d (N); items i1..i5 in it, i6/i7 lack c/b."""
    factory = TableFactory(ddb, raw)
    name = factory(
        AttributeDefinitions=definitions(("pk", "S"), ("a", "S"), ("b", "N"), ("c", "S"),
                                         ("d", "N")),
        GlobalSecondaryIndexes=[index("multi", key("a", "b", "c", "d",
                                                   kinds=["HASH", "HASH", "RANGE", "RANGE"]),
                                      "KEYS_ONLY")])
    rows = [("i1", 1, "x", 2), ("i2", 1, "x", 1), ("i3", 1, "y", 0), ("i4", 2, "x", 1),
            ("i5", 1, "w", 5), ("i6", 1, None, 1), ("i7", None, "x", 1)]
    for pk_, b, c, d in rows:
        item = {"pk": {"S": pk_}, "a": {"S": "A"}, "d": {"N": str(d)}}
        if b is not None:
            item["b"] = {"N": str(b)}
        if c is not None:
            item["c"] = {"S": c}
        ddb.put_item(TableName=name, Item=item)
    yield name
    factory.cleanup()


MULTI_VALUES = {":a": {"S": "A"}, ":b": {"N": "1"}, ":c": {"S": "x"}, ":d": {"N": "1"}}


def multi_query(ddb, table, condition, **args):
    values = {k: v for k, v in MULTI_VALUES.items() if k in condition}
    return ddb.query(TableName=table, IndexName="multi", KeyConditionExpression=condition,
                     ExpressionAttributeValues=values, **args)


def pks(response):
    return [item["pk"]["S"] for item in response["Items"]]


@pytest.mark.parametrize("condition,expected", [
    ("a = :a AND b = :b", ["i5", "i2", "i1", "i3"]),
    ("b = :b AND a = :a", ["i5", "i2", "i1", "i3"]),
    ("a = :a AND b = :b AND c = :c", ["i2", "i1"]),
    ("a = :a AND b = :b AND c = :c AND d = :d", ["i2"]),
    ("a = :a AND b = :b AND d = :d AND c = :c", ["i2"]),
    ("a = :a AND b = :b AND c = :c AND d > :d", ["i1"]),
    ("a = :a AND b = :b AND c > :c", ["i3"]),
    ("a = :a AND b = :b AND begins_with(c, :c)", ["i2", "i1"]),
    ("a = :a AND b = :b AND c BETWEEN :c AND :c", ["i2", "i1"]),
    ("a = :a AND b = :b AND (c = :c AND d = :d)", ["i2"]),
], ids=["partition", "partition-reordered", "first-sort", "full-key", "full-key-reordered",
        "last-sort-range", "first-sort-range", "begins-with", "between", "parenthesised"])
def test_multi_attribute_key_queries(ddb, multi_table, condition, expected):
    """GSI.DesignPattern.MultiAttributeKeys.html: items sort by the sort attributes in order."""
    assert pks(multi_query(ddb, multi_table, condition)) == expected


def test_multi_attribute_key_order_and_paging(ddb, multi_table):
    backward = multi_query(ddb, multi_table, "a = :a AND b = :b", ScanIndexForward=False)
    assert pks(backward) == ["i3", "i1", "i2", "i5"]
    page = multi_query(ddb, multi_table, "a = :a AND b = :b", Limit=2)
    assert page["LastEvaluatedKey"] == {"pk": {"S": "i2"}, "a": {"S": "A"}, "b": {"N": "1"},
                                        "c": {"S": "x"}, "d": {"N": "1"}}
    rest = multi_query(ddb, multi_table, "a = :a AND b = :b",
                       ExclusiveStartKey=page["LastEvaluatedKey"])
    assert pks(rest) == ["i1", "i3"]
    expect_validation(multi_query, INVALID_START_KEY, ddb=ddb, table=multi_table,
                      condition="a = :a AND b = :b",
                      ExclusiveStartKey=without(page["LastEvaluatedKey"], "d"))
    scanned = ddb.scan(TableName=multi_table, IndexName="multi")
    assert sorted(pks(scanned)) == ["i1", "i2", "i3", "i4", "i5"]


@pytest.mark.parametrize("condition,message", [
    ("a = :a", HASH_EQUALITY.format("b")),
    ("b = :b", HASH_EQUALITY.format("a")),
    ("a = :a AND b > :b", HASH_EQUALITY.format("b")),
    ("a = :a AND b = :b AND d = :d", RANGE_PREFIX.format("c", "d")),
    ("a = :a AND b = :b AND c > :c AND d = :d", RANGE_PREFIX.format("c", "d")),
    ("a = :a AND b = :b AND c = :c AND c = :c", ONE_CONDITION_PER_KEY),
    ("a = :a AND b = :b AND pk = :c", MISSED_KEY),
], ids=["missing-partition-attribute", "missing-first-partition-attribute",
        "partition-range", "skipped-sort-attribute", "range-before-last", "repeated",
        "table-key"])
def test_multi_attribute_key_condition_errors(ddb, multi_table, condition, message):
    expect_validation(multi_query, message, ddb=ddb, table=multi_table, condition=condition)


def test_multi_attribute_legacy_key_conditions(ddb, multi_table):
    response = ddb.query(TableName=multi_table, IndexName="multi", KeyConditions={
        "a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "A"}]},
        "b": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})
    assert pks(response) == ["i5", "i2", "i1", "i3"]

# --- Writes --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rules(ddb, raw):
    """pk (S) + sk (S); GSI r_multi on a, b (S) + c, d (S)."""
    factory = TableFactory(ddb, raw)
    name = factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("a", "S"), ("b", "S"),
                                         ("c", "S"), ("d", "S")),
        GlobalSecondaryIndexes=[
            index("r_multi", key("a", "b", "c", "d", kinds=["HASH", "HASH", "RANGE", "RANGE"]),
                  "KEYS_ONLY")])
    yield name
    factory.cleanup()


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("attributes", [{"a": {"N": "1"}}, {"d": {"B": b"1"}}],
                         ids=["multi-hash", "multi-sort"])
def test_multi_attribute_key_type_mismatch(ddb, rules, operation, attributes):
    expect_write_error(ddb, rules, operation, attributes, INDEX_KEY_TYPE, cancels=True)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_multi_attribute_empty_key_value(ddb, rules, operation):
    message = (EMPTY_INDEX_UPDATE.format("string") if operation == "update"
               else EMPTY_INDEX_VALUE.format("string", "r_multi", "c"))
    expect_write_error(ddb, rules, operation, {"c": {"S": ""}}, message)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_multi_attribute_key_too_long(ddb, rules, operation):
    expect_write_error(ddb, rules, operation, {"a": {"S": "x" * 2049}}, SIZE_LIMIT)


def test_multi_attribute_keys_at_their_limits(ddb, rules):
    attributes = {"a": {"S": "a" * 1024}, "b": {"S": "b" * 1024}, "c": {"S": "c" * 512},
                  "d": {"S": "d" * 512}}
    ddb.put_item(TableName=rules, Item={**item_key("limits"), **attributes})
    stored = ddb.get_item(TableName=rules, Key=item_key("limits"))["Item"]
    assert stored == {**item_key("limits"), **attributes}


@pytest.mark.parametrize("attributes,message", [
    ({"a": {"S": "x" * 1025}, "b": {"S": "y" * 1024}},
     AGGREGATE_SIZE.format("HASH", "a, b", "r_multi", 2048, 2049)),
    ({"c": {"S": "x" * 1024}, "d": {"S": "y" * 1024}},
     AGGREGATE_SIZE.format("RANGE", "c, d", "r_multi", 1024, 2048)),
], ids=["partition", "sort"])
def test_multi_attribute_key_aggregate_size(ddb, rules, attributes, message):
    expect_validation(ddb.put_item, message, TableName=rules,
                      Item={**item_key("k"), **attributes})


# --- UpdateTable ---------------------------------------------------------------------------

def test_multi_attribute_gsi_through_update_table(ddb, base_table):
    fill_base(ddb, base_table)
    ddb.update_table(TableName=base_table,
                     AttributeDefinitions=definitions(("m", "S"), ("pk", "S"), ("sk", "S")),
                     GlobalSecondaryIndexUpdates=[create_action(
                         "mm_gsi", key("m", "sk", "pk", kinds=["HASH", "HASH", "RANGE"]))])
    assert wait_for_index(ddb, base_table, "mm_gsi")["IndexStatus"] == "ACTIVE"
    response = ddb.query(TableName=base_table, IndexName="mm_gsi",
                         KeyConditionExpression="m = :m AND sk = :s AND pk > :p",
                         ExpressionAttributeValues={":m": {"S": "even"}, ":s": {"S": "1"},
                                                    ":p": {"S": "a"}})
    assert [item["pk"]["S"] for item in response["Items"]] == ["c", "e"]
