"""Secondary indexes under writes: index maintenance, index key values, UpdateTable's
GlobalSecondaryIndexUpdates, and DescribeTable's index counters.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalSecondaryIndexUpdate.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html (#GSI.Writes)
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.ViolationDetection.html
  1. every write (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems) adds,
     moves, rewrites or removes the item's index entries; a write that fails changes none;
  2. an attribute that is an index key must be S, N or B of the defined type ("Type mismatch
     for Index Key"; other types are "Invalid attribute value type"), not an empty string or
     binary, and at most 2048 bytes (partition) or 1024 bytes (sort); LSIs are checked before
     GSIs;
  3. UpdateTable creates (with AttributeDefinitions for its keys) or deletes one GSI per call;
     a new GSI is CREATING until its backfill is done, then ACTIVE and queryable; a deleted GSI
     is DELETING, then gone, and its attributes leave AttributeDefinitions;
  4. DescribeTable counts each index's items (only the items in the index) and size.
test_index_backfill.py watches a backfill in progress on a server paced to make it last;
test_index_collections.py covers ItemCollectionMetrics.
Errors are DynamoDB Local's, verbatim; where DynamoDB Local departs from the documentation the
test is dunlin_only and follows the documentation. DynamoDB Local applies index updates
synchronously; index creation and deletion take about a second, polled with a 10 s cap.
"""

import time
import uuid

import pytest

from conftest import TableFactory, unique_table_name
from expect import KEY_TYPE_MISMATCH, TABLE_NOT_FOUND, client_error, expect_error, \
    expect_validation

INDEX_KEY_TYPE = "One or more parameter values were invalid: Type mismatch for Index Key"
INVALID_VALUE_TYPE = "Invalid attribute value type"
EMPTY_INDEX_VALUE = ("One or more parameter values are not valid. A value specified for a "
                     "secondary index key is not supported. The AttributeValue for a key "
                     "attribute cannot contain an empty {} value. IndexName: {}, IndexKey: {}")
EMPTY_INDEX_UPDATE = ("One or more parameter values are not valid. The update expression "
                      "attempted to update a secondary index key to a value that is not "
                      "supported. The AttributeValue for a key attribute cannot contain an empty "
                      "{} value.")
SIZE_LIMIT = "One or more parameter values were invalid: Size limit exceeded"
CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]"
ONE_INDEX_AT_A_TIME = ("Subscriber limit exceeded: Only 1 online index can be created or deleted "
                       "simultaneously per table")
ONE_UPDATE_PER_INDEX = "Only one global secondary index update per index is allowed simultaneously."
NOTHING_TO_UPDATE = "Nothing to update"
INDEX_EXISTS = "Attempting to create an index which already exists"
RESOURCE_NOT_FOUND = "Requested resource not found"
NOT_A_GSI = "Cannot delete an index that is not a GlobalSecondaryIndex"
NO_DEFINITIONS = "No Attribute Schema Defined"
NOT_DEFINED = "Attribute {} is not defined in AttributeDefinitions"
REDEFINED = ("invalid attribute, SchemaElement redefined should be of same type as previously "
             "defined")
NULL_ACTION = "Update global secondary index action is null"
TOO_MANY_GSIS = "Number of global secondary indexes exceeds per-table limit"
TOO_MANY_PROJECTED = ("No more than 20 attributes per table can be projected into Local Secondary "
                      "Indices")
INCLUDE_WITHOUT_ATTRIBUTES = ("If Projection type INCLUDE is specified, some non-key attributes to "
                              "include in the projection must be specified as well")
NO_PROJECTION = "Indexes must have a projection specified"
NO_SUCH_INDEX = "The table does not have the specified index: {}"
INDEX_WAIT_SECONDS = 10.0


def definitions(*pairs):
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in pairs]


def key(*names, kinds=None):
    kinds = kinds or ["HASH"] + ["RANGE"] * (len(names) - 1)
    return [{"AttributeName": name, "KeyType": kind} for name, kind in zip(names, kinds)]


def index(name, key_schema, projection_type="ALL", non_key=None, **extra):
    projection = {"ProjectionType": projection_type}
    if non_key:
        projection["NonKeyAttributes"] = non_key
    return {"IndexName": name, "KeySchema": key_schema, "Projection": projection, **extra}


def item_key(pk_, sk_="1"):
    return {"pk": {"S": pk_}, "sk": {"S": sk_}}


def gsi_entries(ddb, table, g="G", index_name="w_gsi"):
    response = ddb.query(TableName=table, IndexName=index_name, KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": g}})
    return response["Items"]


def lsi_keys(ddb, table, pk_="a"):
    response = ddb.query(TableName=table, IndexName="w_lsi", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": pk_}})
    return [(item["sk"]["S"], item["l"]["S"]) for item in response["Items"]]


def describe(ddb, table):
    return ddb.describe_table(TableName=table)["Table"]


def gsi_description(ddb, table, name):
    for entry in describe(ddb, table).get("GlobalSecondaryIndexes", []):
        if entry["IndexName"] == name:
            return entry
    return None


def wait_for_index(ddb, table, name, gone=False):
    """Polls DescribeTable (every 50 ms, at most 10 s) until the GSI is ACTIVE (or gone);
    returns its last description."""
    deadline = time.monotonic() + INDEX_WAIT_SECONDS
    while True:
        entry = gsi_description(ddb, table, name)
        done = entry is None if gone else (entry is not None and entry["IndexStatus"] == "ACTIVE")
        if done or time.monotonic() > deadline:
            return entry
        time.sleep(0.05)


@pytest.fixture
def indexed(table_factory):
    """pk (S) + sk (S); GSI w_gsi on g (S) + gs (N) projecting v; LSI w_lsi on l (S)."""
    return table_factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("g", "S"), ("gs", "N"),
                                         ("l", "S")),
        GlobalSecondaryIndexes=[index("w_gsi", key("g", "gs"), "INCLUDE", ["v"])],
        LocalSecondaryIndexes=[index("w_lsi", key("pk", "l"), "KEYS_ONLY")])


def entry(pk_, sk_, gs, g="G", v=None):
    result = {"pk": {"S": pk_}, "sk": {"S": sk_}, "g": {"S": g}, "gs": {"N": str(gs)}}
    if v is not None:
        result["v"] = {"S": v}
    return result


# --- Maintenance ---------------------------------------------------------------------------

def test_put_item_adds_rewrites_moves_and_drops_entries(ddb, indexed):
    ddb.put_item(TableName=indexed, Item={**entry("a", "1", 5, v="one"), "w": {"S": "x"},
                                          "l": {"S": "L1"}})
    assert gsi_entries(ddb, indexed) == [entry("a", "1", 5, v="one")]
    assert lsi_keys(ddb, indexed) == [("1", "L1")]
    ddb.put_item(TableName=indexed, Item={**entry("a", "1", 5, v="two"), "l": {"S": "L2"}})
    assert gsi_entries(ddb, indexed) == [entry("a", "1", 5, v="two")]
    assert lsi_keys(ddb, indexed) == [("1", "L2")]
    ddb.put_item(TableName=indexed, Item=entry("a", "1", 5, g="H"))
    assert (gsi_entries(ddb, indexed), gsi_entries(ddb, indexed, "H")) == (
        [], [entry("a", "1", 5, g="H")])
    assert lsi_keys(ddb, indexed) == []
    ddb.put_item(TableName=indexed, Item=item_key("a"))
    assert gsi_entries(ddb, indexed, "H") == []


def test_update_item_maintains_entries(ddb, indexed):
    key_ = item_key("a")

    def update(expression, values=None):
        args = {"ExpressionAttributeValues": values} if values else {}
        ddb.update_item(TableName=indexed, Key=key_, UpdateExpression=expression, **args)

    update("SET g = :g, gs = :n", {":g": {"S": "G"}, ":n": {"N": "5"}})   # upsert
    assert gsi_entries(ddb, indexed) == [entry("a", "1", 5)]
    update("SET v = :v, w = :w", {":v": {"S": "vee"}, ":w": {"S": "not projected"}})
    assert gsi_entries(ddb, indexed) == [entry("a", "1", 5, v="vee")]
    update("ADD gs :n", {":n": {"N": "2"}})
    assert gsi_entries(ddb, indexed) == [entry("a", "1", 7, v="vee")]
    update("REMOVE v")
    assert gsi_entries(ddb, indexed) == [entry("a", "1", 7)]
    update("SET g = :h, l = :l", {":h": {"S": "H"}, ":l": {"S": "L"}})
    assert (gsi_entries(ddb, indexed), gsi_entries(ddb, indexed, "H")) == (
        [], [entry("a", "1", 7, g="H")])
    assert lsi_keys(ddb, indexed) == [("1", "L")]
    update("REMOVE gs, l")
    assert (gsi_entries(ddb, indexed, "H"), lsi_keys(ddb, indexed)) == ([], [])


def test_lsi_order_follows_its_sort_key(ddb, indexed):
    for sk_, l_ in (("1", "c"), ("2", "a"), ("3", "b")):
        ddb.put_item(TableName=indexed, Item={**item_key("a", sk_), "l": {"S": l_}})
    assert lsi_keys(ddb, indexed) == [("2", "a"), ("3", "b"), ("1", "c")]
    ddb.update_item(TableName=indexed, Key=item_key("a", "2"), UpdateExpression="SET l = :l",
                    ExpressionAttributeValues={":l": {"S": "d"}})
    assert lsi_keys(ddb, indexed) == [("3", "b"), ("1", "c"), ("2", "d")]


def test_delete_item_removes_entries(ddb, indexed):
    ddb.put_item(TableName=indexed, Item={**entry("a", "1", 5), "l": {"S": "L"}})
    ddb.put_item(TableName=indexed, Item={**entry("a", "2", 6), "l": {"S": "M"}})
    ddb.delete_item(TableName=indexed, Key=item_key("a"))
    assert gsi_entries(ddb, indexed) == [entry("a", "2", 6)]
    assert lsi_keys(ddb, indexed) == [("2", "M")]


def test_failed_writes_leave_entries(ddb, indexed):
    ddb.put_item(TableName=indexed, Item=entry("a", "1", 5))
    for call, args in [
        (ddb.put_item, dict(Item=entry("a", "1", 6), ConditionExpression="gs = :x")),
        (ddb.update_item, dict(Key=item_key("a"), UpdateExpression="SET gs = :y",
                               ConditionExpression="gs = :x")),
        (ddb.delete_item, dict(Key=item_key("a"), ConditionExpression="gs = :x")),
    ]:
        values = {":x": {"N": "0"}}
        if "UpdateExpression" in args:
            values[":y"] = {"N": "6"}
        expect_error(call, "ConditionalCheckFailedException", TableName=indexed,
                     ExpressionAttributeValues=values, **args)
    assert gsi_entries(ddb, indexed) == [entry("a", "1", 5)]


def test_batch_write_maintains_entries(ddb, indexed):
    ddb.put_item(TableName=indexed, Item=entry("a", "1", 1))
    response = ddb.batch_write_item(RequestItems={indexed: [
        {"PutRequest": {"Item": {**entry("b", "1", 2), "l": {"S": "L"}}}},
        {"PutRequest": {"Item": entry("c", "1", 3, g="H")}},
        {"DeleteRequest": {"Key": item_key("a")}}]})
    assert response["UnprocessedItems"] == {}
    assert gsi_entries(ddb, indexed) == [entry("b", "1", 2)]
    assert gsi_entries(ddb, indexed, "H") == [entry("c", "1", 3, g="H")]
    assert lsi_keys(ddb, indexed, "b") == [("1", "L")]


def test_transact_write_maintains_entries(ddb, indexed):
    ddb.put_item(TableName=indexed, Item=entry("a", "1", 1))
    ddb.put_item(TableName=indexed, Item=entry("b", "1", 2))
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": indexed, "Item": entry("c", "1", 3)}},
        {"Update": {"TableName": indexed, "Key": item_key("b"), "UpdateExpression": "SET gs = :n",
                    "ExpressionAttributeValues": {":n": {"N": "0"}}}},
        {"Delete": {"TableName": indexed, "Key": item_key("a")}}])
    assert gsi_entries(ddb, indexed) == [entry("b", "1", 0), entry("c", "1", 3)]
    response = client_error(ddb.transact_write_items, TransactItems=[
        {"Put": {"TableName": indexed, "Item": entry("d", "1", 4)}},
        {"Delete": {"TableName": indexed, "Key": item_key("c"),
                    "ConditionExpression": "attribute_not_exists(pk)"}}])
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert gsi_entries(ddb, indexed) == [entry("b", "1", 0), entry("c", "1", 3)]


# --- Index key values ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def rules(ddb, raw):
    """pk (S) + sk (S); GSI r_gsi on g (S) + gr (S); GSI r_num on n (N); LSI r_lsi on l (B).
    (test_index_multi_attribute.py checks the keys of a multi-attribute GSI.)"""
    factory = TableFactory(ddb, raw)
    name = factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("g", "S"), ("gr", "S"),
                                         ("n", "N"), ("l", "B")),
        GlobalSecondaryIndexes=[
            index("r_gsi", key("g", "gr"), "KEYS_ONLY"), index("r_num", key("n"), "KEYS_ONLY")],
        LocalSecondaryIndexes=[index("r_lsi", key("pk", "l"), "KEYS_ONLY")])
    yield name
    factory.cleanup()


def write_item(ddb, table, operation, attributes, pk_=None):
    """Writes item (pk_, "1") with `attributes` through `operation`: put, update, batch or
    transact (put); update sets each attribute. pk_ defaults to a fresh value."""
    pk_ = pk_ or "k-" + uuid.uuid4().hex[:10]
    item = {**item_key(pk_), **attributes}
    if operation == "put":
        return ddb.put_item(TableName=table, Item=item)
    if operation == "batch":
        return ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": item}}]})
    if operation == "transact":
        return ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table,
                                                                "Item": item}}])
    names = {f"#a{i}": name for i, name in enumerate(attributes)}
    values = {f":v{i}": value for i, value in enumerate(attributes.values())}
    expression = "SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attributes)))
    return ddb.update_item(TableName=table, Key=item_key(pk_), UpdateExpression=expression,
                           ExpressionAttributeNames=names, ExpressionAttributeValues=values)


def expect_write_error(ddb, table, operation, attributes, message, cancels=False):
    """Asserts the write fails with `message` and leaves no item. With `cancels`, a transact Put
    fails with a ValidationError cancellation reason carrying `message`; otherwise every
    operation fails with a ValidationException."""
    pk_ = "k-" + uuid.uuid4().hex[:10]
    if operation == "transact" and cancels:
        response = client_error(write_item, ddb=ddb, table=table, operation=operation,
                                attributes=attributes, pk_=pk_)
        assert response["Error"]["Message"] == CANCELLED.format("ValidationError")
        assert response["CancellationReasons"] == [{"Code": "ValidationError",
                                                    "Message": message}]
    else:
        expect_validation(write_item, message, ddb=ddb, table=table, operation=operation,
                          attributes=attributes, pk_=pk_)
    assert "Item" not in ddb.get_item(TableName=table, Key=item_key(pk_), ConsistentRead=True)


LSI_UPDATE_UNCHECKED = pytest.mark.dunlin_only(
    "DynamoDB Local's UpdateItem writes LSI sort keys of the wrong type or length")
OPERATIONS = ["put", "update", "batch", "transact"]


def cases(rows, ids):
    """Crosses rows with OPERATIONS; the LSI rows under update are dunlin_only (LSI.html: an
    LSI sort key value must have the declared type and at most 1024 bytes, whatever the
    write)."""
    params = []
    for row, row_id in zip(rows, ids):
        for operation in OPERATIONS:
            marks = [LSI_UPDATE_UNCHECKED] if row_id.startswith("lsi") and \
                operation == "update" else []
            params.append(pytest.param(operation, *row, marks=marks, id=f"{row_id}-{operation}"))
    return params


@pytest.mark.parametrize("operation,attributes", cases(
    [({"g": {"N": "1"}},), ({"gr": {"B": b"x"}},), ({"n": {"S": "1"}},), ({"l": {"S": "x"}},)],
    ["gsi-hash", "gsi-sort", "gsi-number", "lsi-sort"]))
def test_index_key_type_mismatch(ddb, rules, operation, attributes):
    """The LSI rows under update are dunlin_only: an LSI sort key has the declared scalar
    type, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html."""
    expect_write_error(ddb, rules, operation, attributes, INDEX_KEY_TYPE, cancels=True)


@pytest.mark.parametrize("operation", ["put", "update", "batch"])
@pytest.mark.parametrize("value", [{"SS": ["x"]}, {"NS": ["1"]}, {"BS": [b"x"]}, {"NULL": True},
                                   {"BOOL": True}, {"L": []}, {"M": {}}],
                         ids=["SS", "NS", "BS", "NULL", "BOOL", "L", "M"])
def test_index_key_must_be_scalar(ddb, rules, operation, value):
    expect_validation(write_item, INVALID_VALUE_TYPE, ddb=ddb, table=rules, operation=operation,
                      attributes={"g": value})


def test_table_key_type_checked_before_index_keys(ddb, rules):
    expect_validation(ddb.put_item, contains=KEY_TYPE_MISMATCH, TableName=rules,
                      Item={"pk": {"N": "1"}, "sk": {"S": "1"}, "g": {"N": "1"}})


def test_lsis_checked_before_gsis(ddb, rules):
    expect_validation(ddb.put_item, INDEX_KEY_TYPE, TableName=rules,
                      Item={**item_key("k"), "g": {"S": ""}, "l": {"S": "x"}})
    expect_validation(ddb.put_item, EMPTY_INDEX_VALUE.format("binary", "r_lsi", "l"),
                      TableName=rules, Item={**item_key("k"), "l": {"B": b""}, "g": {"N": "1"}})


def test_index_key_checked_before_condition_and_item_size(ddb, rules):
    expect_validation(ddb.put_item, INDEX_KEY_TYPE, TableName=rules,
                      Item={**item_key("k"), "g": {"N": "1"}, "big": {"S": "x" * 400000}})
    expect_validation(ddb.put_item, INDEX_KEY_TYPE, TableName=rules,
                      Item={**item_key("k"), "g": {"N": "1"}},
                      ConditionExpression="attribute_exists(pk)")


def test_update_condition_checked_before_new_index_key(ddb, rules):
    expect_error(ddb.update_item, "ConditionalCheckFailedException", TableName=rules,
                 Key=item_key("absent"), UpdateExpression="SET g = :g",
                 ExpressionAttributeValues={":g": {"N": "1"}},
                 ConditionExpression="attribute_exists(pk)")


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("attributes,kind,index_name,attribute", [
    ({"g": {"S": ""}}, "string", "r_gsi", "g"),
    ({"gr": {"S": ""}, "g": {"S": "x"}}, "string", "r_gsi", "gr"),
    ({"l": {"B": b""}}, "binary", "r_lsi", "l"),
], ids=["gsi-hash", "gsi-sort", "lsi-sort"])
def test_empty_index_key_value(ddb, rules, operation, attributes, kind, index_name, attribute):
    if operation == "update":
        message = EMPTY_INDEX_UPDATE.format(kind)
    else:
        message = EMPTY_INDEX_VALUE.format(kind, index_name, attribute)
    expect_write_error(ddb, rules, operation, attributes, message)


def test_empty_string_allowed_outside_index_keys(ddb, rules):
    ddb.put_item(TableName=rules, Item={**item_key("empty"), "v": {"S": ""}, "w": {"B": b""}})
    assert ddb.get_item(TableName=rules, Key=item_key("empty"))["Item"]["v"] == {"S": ""}


@pytest.mark.parametrize("operation,attributes", cases(
    [({"g": {"S": "x" * 2049}},), ({"g": {"S": "x"}, "gr": {"S": "y" * 1025}},),
     ({"gr": {"S": "y" * 1025}},), ({"l": {"B": b"z" * 1025}},)],
    ["gsi-hash-2049", "gsi-sort-1025", "gsi-sort-1025-alone", "lsi-sort-1025"]))
def test_index_key_too_long(ddb, rules, operation, attributes):
    """The LSI rows under update are dunlin_only: a sort key value is at most 1024 bytes,
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html."""
    expect_write_error(ddb, rules, operation, attributes, SIZE_LIMIT)


def test_index_keys_at_their_limits(ddb, rules):
    attributes = {"g": {"S": "x" * 2048}, "gr": {"S": "y" * 1024}, "l": {"B": b"z" * 1024}}
    ddb.put_item(TableName=rules, Item={**item_key("limits"), **attributes})
    stored = ddb.get_item(TableName=rules, Key=item_key("limits"))["Item"]
    assert stored == {**item_key("limits"), **attributes}


def test_invalid_item_fails_the_whole_batch(ddb, rules):
    expect_validation(ddb.batch_write_item, INDEX_KEY_TYPE, RequestItems={rules: [
        {"PutRequest": {"Item": item_key("batch-ok")}},
        {"PutRequest": {"Item": {**item_key("batch-bad"), "n": {"S": "1"}}}}]})
    assert "Item" not in ddb.get_item(TableName=rules, Key=item_key("batch-ok"))


# --- UpdateTable: GlobalSecondaryIndexUpdates ----------------------------------------------

def create_action(name, key_schema, projection_type="ALL", non_key=None, **extra):
    return {"Create": index(name, key_schema, projection_type, non_key, **extra)}


@pytest.fixture
def base_table(table_factory):
    """pk (S) + sk (S) with LSI b_lsi on l (S) and GSI b_gsi on g (S)."""
    name = table_factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("l", "S"), ("g", "S")),
        LocalSecondaryIndexes=[index("b_lsi", key("pk", "l"), "KEYS_ONLY")],
        GlobalSecondaryIndexes=[index("b_gsi", key("g"), "KEYS_ONLY")])
    return name


def fill_base(ddb, table, violation=False):
    """Items a..e with m = even/odd by position and n = the position (N); with `violation`,
    item b's n is the string "x" instead."""
    for i, pk_ in enumerate("abcde"):
        value = {"S": "x"} if violation and pk_ == "b" else {"N": str(i)}
        ddb.put_item(TableName=table, Item={**item_key(pk_), "n": value,
                                            "m": {"S": "even" if i % 2 == 0 else "odd"}})


def test_create_gsi_on_a_table_with_items(ddb, raw, base_table):
    fill_base(ddb, base_table)
    response = raw.request("UpdateTable", {
        "TableName": base_table, "AttributeDefinitions": definitions(("m", "S"), ("n", "N")),
        "GlobalSecondaryIndexUpdates": [create_action("m_gsi", key("m", "n"), "INCLUDE",
                                                      ["pk"])]})
    assert response.status == 200, response
    description = response.body["TableDescription"]
    assert description["TableStatus"] in ("ACTIVE", "UPDATING")
    assert sorted((d["AttributeName"], d["AttributeType"])
                  for d in description["AttributeDefinitions"]) == [
        ("g", "S"), ("l", "S"), ("m", "S"), ("n", "N"), ("pk", "S"), ("sk", "S")]
    created = {i["IndexName"]: i for i in description["GlobalSecondaryIndexes"]}["m_gsi"]
    assert created["IndexStatus"] == "CREATING"
    assert (created["KeySchema"], created["Projection"]) == (
        key("m", "n"), {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["pk"]})
    assert created["IndexArn"] == description["TableArn"] + "/index/m_gsi"
    assert wait_for_index(ddb, base_table, "m_gsi")["IndexStatus"] == "ACTIVE"
    even = ddb.query(TableName=base_table, IndexName="m_gsi", KeyConditionExpression="m = :m",
                     ExpressionAttributeValues={":m": {"S": "even"}})
    assert [item["pk"]["S"] for item in even["Items"]] == ["a", "c", "e"]
    ddb.put_item(TableName=base_table, Item={**item_key("f"), "m": {"S": "odd"},
                                             "n": {"N": "-1"}})
    odd = ddb.query(TableName=base_table, IndexName="m_gsi", KeyConditionExpression="m = :m",
                    ExpressionAttributeValues={":m": {"S": "odd"}})
    assert [item["pk"]["S"] for item in odd["Items"]] == ["f", "b", "d"]
    expect_validation(ddb.put_item, INDEX_KEY_TYPE, TableName=base_table,
                      Item={**item_key("g"), "n": {"S": "text"}})


@pytest.mark.dunlin_only("DynamoDB Local's backfill indexes items whose key attribute has "
                         "another type")
def test_backfill_skips_index_key_violations(ddb, base_table):
    """https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.ViolationDetection.html:
    items that would violate the new index key (type mismatch, too long, empty) stay in the
    table but get no index entry."""
    fill_base(ddb, base_table, violation=True)
    ddb.update_table(TableName=base_table, AttributeDefinitions=definitions(("n", "N")),
                     GlobalSecondaryIndexUpdates=[create_action("n_gsi", key("n"))])
    assert wait_for_index(ddb, base_table, "n_gsi")["ItemCount"] == 4
    scanned = ddb.scan(TableName=base_table, IndexName="n_gsi")["Items"]
    assert sorted(item["pk"]["S"] for item in scanned) == ["a", "c", "d", "e"]


def test_delete_gsi(ddb, raw, base_table):
    ddb.put_item(TableName=base_table, Item={**item_key("a"), "g": {"S": "G"}})
    response = raw.request("UpdateTable", {"TableName": base_table, "GlobalSecondaryIndexUpdates": [
        {"Delete": {"IndexName": "b_gsi"}}]})
    assert response.status == 200, response
    deleting = response.body["TableDescription"]["GlobalSecondaryIndexes"]
    assert [(i["IndexName"], i["IndexStatus"]) for i in deleting] == [("b_gsi", "DELETING")]
    assert wait_for_index(ddb, base_table, "b_gsi", gone=True) is None
    description = describe(ddb, base_table)
    assert "GlobalSecondaryIndexes" not in description
    assert sorted(d["AttributeName"] for d in description["AttributeDefinitions"]) == [
        "l", "pk", "sk"]
    expect_validation(ddb.query, NO_SUCH_INDEX.format("b_gsi"), TableName=base_table,
                      IndexName="b_gsi", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "G"}})
    ddb.put_item(TableName=base_table, Item={**item_key("b"), "g": {"N": "1"}})


def test_create_gsi_on_provisioned_table(ddb, table_factory):
    name = table_factory(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    throughput = {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    ddb.update_table(TableName=name, AttributeDefinitions=definitions(("g", "S")),
                     GlobalSecondaryIndexUpdates=[create_action(
                         "p_gsi", key("g"), ProvisionedThroughput=throughput)])
    active = wait_for_index(ddb, name, "p_gsi")
    assert active["IndexStatus"] == "ACTIVE"
    assert (active["ProvisionedThroughput"]["ReadCapacityUnits"],
            active["ProvisionedThroughput"]["WriteCapacityUnits"]) == (2, 3)


@pytest.mark.dunlin_only("DynamoDB Local answers 500 InternalFailure")
def test_create_gsi_on_provisioned_table_needs_throughput(ddb, table_factory):
    """https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateGlobalSecondaryIndexAction.html
    and API_GlobalSecondaryIndexUpdate.html: creating a GSI on an existing provisioned table
    takes IndexName, KeySchema, AttributeDefinitions, Projection and ProvisionedThroughput."""
    name = table_factory(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    expect_validation(ddb.update_table, contains="provisioned throughput", TableName=name,
                      AttributeDefinitions=definitions(("g", "S")),
                      GlobalSecondaryIndexUpdates=[create_action("p_gsi", key("g"))])


@pytest.fixture(scope="module")
def steady(ddb, raw):
    """A table that no test changes: every UpdateTable sent to it fails. pk (S) + sk (S), LSI
    s_lsi on l (S), GSI s_gsi on g (S) projecting 90 attributes."""
    factory = TableFactory(ddb, raw)
    name = factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("l", "S"), ("g", "S")),
        LocalSecondaryIndexes=[index("s_lsi", key("pk", "l"), "KEYS_ONLY")],
        GlobalSecondaryIndexes=[index("s_gsi", key("g"), "INCLUDE",
                                      [f"p{i}" for i in range(90)])])
    yield name
    factory.cleanup()


A_DEFS = definitions(("a", "S"))
CREATE_A = create_action("a_gsi", key("a"))

UPDATE_ERRORS = {
    "two-creates": (dict(AttributeDefinitions=definitions(("a", "S"), ("b", "S")),
                         GlobalSecondaryIndexUpdates=[CREATE_A, create_action("b_gsi", key("b"))]),
                    "LimitExceededException", ONE_INDEX_AT_A_TIME),
    "create-and-delete": (dict(AttributeDefinitions=A_DEFS, GlobalSecondaryIndexUpdates=[
        CREATE_A, {"Delete": {"IndexName": "s_gsi"}}]), "LimitExceededException",
        ONE_INDEX_AT_A_TIME),
    "two-actions-in-one-update": (dict(AttributeDefinitions=A_DEFS, GlobalSecondaryIndexUpdates=[
        {**CREATE_A, "Delete": {"IndexName": "s_gsi"}}]), "LimitExceededException",
        ONE_INDEX_AT_A_TIME),
    "same-index-twice": (dict(GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "s_gsi"}},
                                                           {"Delete": {"IndexName": "s_gsi"}}]),
                         "ValidationException", ONE_UPDATE_PER_INDEX),
    "empty-list": (dict(GlobalSecondaryIndexUpdates=[]), "ValidationException",
                   NOTHING_TO_UPDATE),
    "definitions-only": (dict(AttributeDefinitions=A_DEFS), "ValidationException",
                         NOTHING_TO_UPDATE),
    "empty-action": (dict(GlobalSecondaryIndexUpdates=[{}]), "ValidationException", NULL_ACTION),
    "existing-gsi": (dict(AttributeDefinitions=definitions(("g", "S")),
                          GlobalSecondaryIndexUpdates=[create_action("s_gsi", key("g"))]),
                     "ValidationException", INDEX_EXISTS),
    "existing-gsi-before-definitions": (dict(GlobalSecondaryIndexUpdates=[
        create_action("s_gsi", key("undefined"))]), "ValidationException", INDEX_EXISTS),
    "existing-lsi-name": (dict(AttributeDefinitions=definitions(("g", "S")),
                               GlobalSecondaryIndexUpdates=[create_action("s_lsi", key("g"))]),
                          "ValidationException", INDEX_EXISTS),
    "delete-missing": (dict(GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}]),
                       "ResourceNotFoundException", RESOURCE_NOT_FOUND),
    "delete-lsi": (dict(GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "s_lsi"}}]),
                   "ValidationException", NOT_A_GSI),
    "no-definitions": (dict(GlobalSecondaryIndexUpdates=[CREATE_A]), "ValidationException",
                       NO_DEFINITIONS),
    "key-not-defined": (dict(AttributeDefinitions=definitions(("b", "S")),
                             GlobalSecondaryIndexUpdates=[CREATE_A]), "ValidationException",
                        NOT_DEFINED.format("a")),
    "redefined-type": (dict(AttributeDefinitions=definitions(("g", "N")),
                            GlobalSecondaryIndexUpdates=[create_action("g_gsi", key("g"))]),
                       "ValidationException", REDEFINED),
    "include-without-attributes": (dict(AttributeDefinitions=A_DEFS, GlobalSecondaryIndexUpdates=[
        create_action("a_gsi", key("a"), "INCLUDE")]), "ValidationException",
        INCLUDE_WITHOUT_ATTRIBUTES),
    "no-projection": (dict(AttributeDefinitions=A_DEFS, GlobalSecondaryIndexUpdates=[
        {"Create": {"IndexName": "a_gsi", "KeySchema": key("a")}}]), "ValidationException",
        NO_PROJECTION),
    "projected-total-over-100": (dict(AttributeDefinitions=A_DEFS, GlobalSecondaryIndexUpdates=[
        create_action("a_gsi", key("a"), "INCLUDE", [f"q{i}" for i in range(11)])]),
        "ValidationException", TOO_MANY_PROJECTED),
}


@pytest.mark.parametrize("case", sorted(UPDATE_ERRORS))
def test_update_table_index_errors(ddb, steady, case):
    args, code, message = UPDATE_ERRORS[case]
    expect_error(ddb.update_table, code, message, TableName=steady, **args)
    assert [i["IndexName"] for i in describe(ddb, steady)["GlobalSecondaryIndexes"]] == ["s_gsi"]


def test_update_table_index_name_rules(ddb, steady):
    for name in ("ab", "a$b", "i" * 256):
        expect_validation(ddb.update_table, contains="Invalid table/index name.", TableName=steady,
                          AttributeDefinitions=A_DEFS,
                          GlobalSecondaryIndexUpdates=[create_action(name, key("a"))])


def test_update_table_on_missing_table(ddb):
    expect_error(ddb.update_table, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName=unique_table_name("missing"), AttributeDefinitions=A_DEFS,
                 GlobalSecondaryIndexUpdates=[CREATE_A])


def test_twenty_first_gsi(ddb, table_factory):
    names = [f"k{i}" for i in range(20)]
    table = table_factory(AttributeDefinitions=definitions(("pk", "S"), *[(n, "S") for n in names]),
                          GlobalSecondaryIndexes=[index(f"gsi_{n}", key(n)) for n in names])
    expect_error(ddb.update_table, "LimitExceededException", TOO_MANY_GSIS, TableName=table,
                 AttributeDefinitions=A_DEFS, GlobalSecondaryIndexUpdates=[CREATE_A])


# --- DescribeTable counters ----------------------------------------------------------------

def test_index_item_counts_and_sizes(ddb, table_factory):
    table = table_factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("g", "S"), ("l", "S")),
        GlobalSecondaryIndexes=[index("c_keys", key("g"), "KEYS_ONLY"), index("c_all", key("g"))],
        LocalSecondaryIndexes=[index("c_lsi", key("pk", "l"))])

    def counters():
        description = describe(ddb, table)
        result = {"table": (description["ItemCount"], description["TableSizeBytes"])}
        for entry_ in description["GlobalSecondaryIndexes"] + description[
                "LocalSecondaryIndexes"]:
            result[entry_["IndexName"]] = (entry_["ItemCount"], entry_["IndexSizeBytes"])
        return result

    # pk (2+1) + sk (2+1) + g (1+1) + v (1+10) + w (1+20) = 40 bytes
    ddb.put_item(TableName=table, Item={**item_key("a"), "g": {"S": "G"}, "v": {"S": "x" * 10},
                                        "w": {"S": "y" * 20}})
    # pk 3 + sk 3 + l (1+1) + v 11 = 19 bytes
    ddb.put_item(TableName=table, Item={**item_key("a", "2"), "l": {"S": "L"},
                                        "v": {"S": "x" * 10}})
    ddb.put_item(TableName=table, Item=item_key("b"))   # 6 bytes, in no index
    now = counters()
    assert now["table"] == (3, 65)
    assert now["c_all"] == (1, 40)
    assert now["c_lsi"] == (1, 19)
    assert now["c_keys"][0] == 1 and 0 < now["c_keys"][1] <= 40
    ddb.update_item(TableName=table, Key=item_key("b"), UpdateExpression="SET g = :g, l = :l",
                    ExpressionAttributeValues={":g": {"S": "G"}, ":l": {"S": "L"}})
    ddb.delete_item(TableName=table, Key=item_key("a"))
    now = counters()
    assert now["table"] == (2, 29)
    assert now["c_all"] == (1, 10)
    assert now["c_lsi"] == (2, 29)
    assert now["c_keys"][0] == 1


# --- Write capacity on indexes ---------------------------------------------------------------

@pytest.fixture
def costed(table_factory):
    """pk (S) + sk (S); LSI c_lsi on l (ALL); GSIs c_keys (KEYS_ONLY) and c_all (ALL) on g."""
    return table_factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("g", "S"), ("l", "S")),
        LocalSecondaryIndexes=[index("c_lsi", key("pk", "l"))],
        GlobalSecondaryIndexes=[index("c_keys", key("g"), "KEYS_ONLY"), index("c_all", key("g"))])


def consumed(response):
    capacity = response["ConsumedCapacity"]
    if isinstance(capacity, list):
        (capacity,) = capacity
    return (capacity["CapacityUnits"], capacity["Table"]["CapacityUnits"],
            {name: units["CapacityUnits"]
             for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
             for name, units in capacity.get(group, {}).items()})


def test_writes_consume_on_the_indexes_they_change(ddb, costed):
    """GSI.html#GSI.ThroughputConsiderations: a write consumes on each index whose entry it
    adds, moves (both entries), rewrites (the larger) or removes."""
    def put(**attributes):
        return ddb.put_item(TableName=costed, Item={**item_key("a"), **attributes},
                            ReturnConsumedCapacity="INDEXES")
    assert consumed(put()) == (1.0, 1.0, {})
    assert consumed(put(g={"S": "x"})) == (3.0, 1.0, {"c_keys": 1.0, "c_all": 1.0})
    assert consumed(put(g={"S": "x"})) == (1.0, 1.0, {})
    assert consumed(put(g={"S": "x"}, v={"S": "1"})) == (2.0, 1.0, {"c_all": 1.0})
    assert consumed(put(g={"S": "y"}, v={"S": "1"})) == (5.0, 1.0, {"c_keys": 2.0, "c_all": 2.0})
    assert consumed(put(g={"S": "y"}, v={"S": "x" * 3000})) == (6.0, 3.0, {"c_all": 3.0})
    assert consumed(put(l={"S": "L"})) == (8.0, 3.0, {"c_lsi": 1.0, "c_keys": 1.0, "c_all": 3.0})
    updated = ddb.update_item(TableName=costed, Key=item_key("a"), UpdateExpression="SET g = :g",
                              ExpressionAttributeValues={":g": {"S": "z"}},
                              ReturnConsumedCapacity="INDEXES")
    assert consumed(updated) == (4.0, 1.0, {"c_lsi": 1.0, "c_keys": 1.0, "c_all": 1.0})
    deleted = ddb.delete_item(TableName=costed, Key=item_key("a"), ReturnConsumedCapacity="INDEXES")
    assert consumed(deleted) == (4.0, 1.0, {"c_lsi": 1.0, "c_keys": 1.0, "c_all": 1.0})
    total = ddb.put_item(TableName=costed, Item={**item_key("a"), "g": {"S": "x"}},
                         ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert total == {"TableName": costed, "CapacityUnits": 3.0}


def test_batch_and_transaction_writes_consume_on_indexes(ddb, costed):
    batch = ddb.batch_write_item(RequestItems={costed: [
        {"PutRequest": {"Item": {**item_key("b"), "g": {"S": "x"}}}}]},
        ReturnConsumedCapacity="INDEXES")
    assert consumed(batch) == (3.0, 1.0, {"c_keys": 1.0, "c_all": 1.0})
    transaction = ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": costed, "Item": {**item_key("c"), "g": {"S": "x"}}}}],
        ReturnConsumedCapacity="INDEXES")
    assert consumed(transaction) == (6.0, 2.0, {"c_keys": 2.0, "c_all": 2.0})


# --- UpdateTable: index changes with other changes -------------------------------------------

def provisioned_with_gsis(table_factory, names):
    units = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    return table_factory(
        AttributeDefinitions=definitions(("pk", "S"), *[(n, "S") for n in names]),
        ProvisionedThroughput=units,
        GlobalSecondaryIndexes=[index(f"{n}_gsi", key(n), ProvisionedThroughput=units)
                                for n in names])


def test_a_failed_index_change_changes_nothing_else(ddb, table_factory):
    """API_UpdateTable.html: a request that fails makes no change."""
    table = provisioned_with_gsis(table_factory, ["a"])
    expect_error(ddb.update_table, "ResourceNotFoundException", RESOURCE_NOT_FOUND,
                 TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 9,
                                                         "WriteCapacityUnits": 9},
                 GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "missing"}}])
    assert describe(ddb, table)["ProvisionedThroughput"]["ReadCapacityUnits"] == 5


def test_several_index_throughput_updates_in_one_call(ddb, table_factory):
    """API_GlobalSecondaryIndexUpdate.html: only Create and Delete are one per call."""
    table = provisioned_with_gsis(table_factory, ["a", "b"])
    ddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": f"{n}_gsi", "ProvisionedThroughput": {
            "ReadCapacityUnits": 7 + i, "WriteCapacityUnits": 3}}}
        for i, n in enumerate(["a", "b"])])
    throughput = {entry["IndexName"]: entry["ProvisionedThroughput"]["ReadCapacityUnits"]
                  for entry in describe(ddb, table)["GlobalSecondaryIndexes"]}
    assert throughput == {"a_gsi": 7, "b_gsi": 8}


@pytest.mark.dunlin_only("DynamoDB Local answers 500 InternalFailure")
def test_switch_to_provisioned_needs_the_indexes_throughput(ddb, table_factory):
    """API_UpdateTable.html (BillingMode): when switching from pay-per-request to provisioned
    capacity, initial provisioned capacity values must be set, the indexes' included."""
    table = table_factory(AttributeDefinitions=definitions(("pk", "S"), ("a", "S")),
                          GlobalSecondaryIndexes=[index("a_gsi", key("a"))])
    units = {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}
    expect_validation(ddb.update_table,
                      "No provisioned throughput specified for the global secondary index",
                      TableName=table, BillingMode="PROVISIONED", ProvisionedThroughput=units)
    assert describe(ddb, table)["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ddb.update_table(TableName=table, BillingMode="PROVISIONED", ProvisionedThroughput=units,
                     GlobalSecondaryIndexUpdates=[{"Update": {
                         "IndexName": "a_gsi", "ProvisionedThroughput": units}}])
    described = describe(ddb, table)
    assert described["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert described["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"][
        "ReadCapacityUnits"] == 2
