"""BatchGetItem and BatchWriteItem: round trips, projections, capacity, the 16 MB response
limit, and every validation error with its exact message.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
  1. BatchGetItem: at most 100 keys in all, up to 16 MB of items per response; the keys left
     over come back in UnprocessedKeys, in the request's shape, ready to be sent again.
  2. BatchWriteItem: at most 25 puts and deletes in all; items up to 400 KB; one request per
     key and table. Not atomic, but a batch with one invalid request writes nothing.
  3. Both answer UnprocessedKeys / UnprocessedItems, {} when everything was done, and one
     ConsumedCapacity entry per table when asked.
"""

import threading

import pytest

from expect import (INVALID_TABLE_NAME, ITEM_TOO_LARGE, KEY_CONDITIONS_INVALID,
                    KEY_TYPE_MISMATCH, TABLE_NOT_FOUND, expect_error, expect_validation)

MAX_ITEM_BYTES = 409600
BIG_ITEMS = 42
SMALL_ITEMS = 5

GET_NO_REQUESTS = "BatchGetItem must have some requests set"
WRITE_NO_REQUESTS = "BatchWriteItem cannot have a null or no requests set"
GET_TOO_MANY = "Too many items requested for the BatchGetItem call"
WRITE_TOO_MANY = "Too many items requested for the BatchWriteItem call"
DUPLICATE_KEYS = "Provided list of item keys contains duplicates"
NOT_ONE_REQUEST = ("Supplied AttributeValue has more than one datatypes set, must contain "
                   "exactly one of the supported datatypes")
NULL_ITEM = "The supplied Item contains a null AttributeValue"
MISSING_KEY = "One of the required keys was not given a value"


def get_keys_required(table):
    return f"The list of keys in RequestItems for BatchGetItem is required: {table} has empty list"


def get_empty_key(table):
    return ("The list of keys in RequestItems for BatchGetItem may not contain null or empty "
            f"values: {table} has one or more empty keys")


def write_list_empty(table):
    return f"The batch write request list for a table cannot be null or empty: {table}"


def without_metadata(response):
    response = dict(response)
    response.pop("ResponseMetadata", None)
    return response


def hkey(pk):
    return {"pk": {"S": pk}}


def hrkey(pk, sk):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def put(item):
    return {"PutRequest": {"Item": item}}


def delete(key):
    return {"DeleteRequest": {"Key": key}}


def sized_item(pk, total_bytes):
    """A hash-table item of exactly total_bytes: pk (2 + len(pk)) and d (1 + padding)."""
    return {"pk": {"S": pk}, "d": {"S": "x" * (total_bytes - 2 - len(pk) - 1)}}


def by_pk(items):
    return sorted(items, key=lambda item: (item["pk"]["S"], item.get("sk", {}).get("N", "")))


def capacity_by_table(response):
    return {entry["TableName"]: entry for entry in response["ConsumedCapacity"]}


def exists(ddb, table, key):
    return "Item" in ddb.get_item(TableName=table, Key=key, ConsistentRead=True)


@pytest.fixture
def tables(table_factory):
    """A hash-only table (pk S) and a hash+range table (pk S, sk N)."""
    return table_factory(), table_factory(range_key=("sk", "N"))


# --- Round trips ----------------------------------------------------------------------------

HASH_ITEMS = [
    {"pk": {"S": "a"}, "n": {"N": "1"}, "m": {"M": {"x": {"S": "y"}, "z": {"N": "2"}}}},
    {"pk": {"S": "b"}, "ss": {"SS": ["p"]}, "l": {"L": [{"S": "l0"}, {"N": "5"}]}},
    {"pk": {"S": "c"}, "bin": {"B": b"\x00\xff"}, "t": {"BOOL": True}},
]
RANGE_ITEMS = [
    {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "a1"}},
    {"pk": {"S": "a"}, "sk": {"N": "2"}, "v": {"S": "a2"}},
    {"pk": {"S": "b"}, "sk": {"N": "1"}, "v": {"S": "b1"}},
]


def test_write_then_get_two_tables(ddb, tables):
    hash_table, range_table = tables
    response = ddb.batch_write_item(RequestItems={
        hash_table: [put(item) for item in HASH_ITEMS],
        range_table: [put(item) for item in RANGE_ITEMS]})
    assert without_metadata(response) == {"UnprocessedItems": {}}

    response = ddb.batch_get_item(RequestItems={
        hash_table: {"Keys": [hkey("a"), hkey("b"), hkey("c"), hkey("missing")]},
        range_table: {"Keys": [hrkey("a", 1), hrkey("a", 2), hrkey("b", 1), hrkey("b", 2)]}})
    assert response["UnprocessedKeys"] == {}
    assert set(response["Responses"]) == {hash_table, range_table}
    assert by_pk(response["Responses"][hash_table]) == by_pk(HASH_ITEMS)
    assert by_pk(response["Responses"][range_table]) == by_pk(RANGE_ITEMS)
    assert "ConsumedCapacity" not in response


def test_raw_response_shapes(raw, table):
    written = raw.request("BatchWriteItem", {"RequestItems": {table: [put(hkey("r"))]}})
    assert (written.status, written.body) == (200, {"UnprocessedItems": {}})
    read = raw.request("BatchGetItem", {"RequestItems": {table: {"Keys": [hkey("none")]}}})
    assert (read.status, read.body) == (200, {"Responses": {table: []}, "UnprocessedKeys": {}})


def test_write_mixes_puts_and_deletes(ddb, tables):
    hash_table, range_table = tables
    ddb.batch_write_item(RequestItems={hash_table: [put(item) for item in HASH_ITEMS],
                                       range_table: [put(item) for item in RANGE_ITEMS]})
    replacement = {"pk": {"S": "b"}, "new": {"S": "yes"}}
    response = ddb.batch_write_item(RequestItems={
        hash_table: [delete(hkey("a")), put(replacement), delete(hkey("never-there"))],
        range_table: [delete(hrkey("a", 2)), put(hrkey("c", 3))]})
    assert without_metadata(response) == {"UnprocessedItems": {}}
    assert not exists(ddb, hash_table, hkey("a"))
    assert ddb.get_item(TableName=hash_table, Key=hkey("b"))["Item"] == replacement
    assert exists(ddb, hash_table, hkey("c"))
    assert exists(ddb, range_table, hrkey("a", 1))
    assert not exists(ddb, range_table, hrkey("a", 2))
    assert exists(ddb, range_table, hrkey("c", 3))


def test_same_key_in_two_tables(ddb, table_factory):
    first, second = table_factory(), table_factory()
    response = ddb.batch_write_item(RequestItems={first: [put(hkey("k"))],
                                                  second: [put(hkey("k"))]})
    assert response["UnprocessedItems"] == {}
    assert exists(ddb, first, hkey("k")) and exists(ddb, second, hkey("k"))


def test_exactly_25_writes_and_100_reads(ddb, tables):
    hash_table, range_table = tables
    response = ddb.batch_write_item(RequestItems={
        hash_table: [put(hkey(f"k{i}")) for i in range(13)],
        range_table: [put(hrkey("p", i)) for i in range(12)]})
    assert response["UnprocessedItems"] == {}
    response = ddb.batch_get_item(RequestItems={
        hash_table: {"Keys": [hkey(f"k{i}") for i in range(60)]},
        range_table: {"Keys": [hrkey("p", i) for i in range(40)]}})
    assert len(response["Responses"][hash_table]) == 13
    assert len(response["Responses"][range_table]) == 12
    assert response["UnprocessedKeys"] == {}


def test_concurrent_batches(endpoint, table):
    """Batches from several connections at once: every write lands, every response is whole."""
    from conftest import make_client

    clients = [make_client(endpoint) for _ in range(4)]
    failures = []

    def work(index, ddb_client):
        try:
            for batch in range(4):
                keys = [hkey(f"t{index}-b{batch}-{i}") for i in range(25)]
                response = ddb_client.batch_write_item(
                    RequestItems={table: [put(dict(key, v={"N": str(i)}))
                                          for i, key in enumerate(keys)]},
                    ReturnConsumedCapacity="TOTAL")
                assert response["UnprocessedItems"] == {}
                assert response["ConsumedCapacity"] == [{"TableName": table,
                                                         "CapacityUnits": 25.0}]
        except Exception as error:  # reported below, on the test's thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    count = clients[0].scan(TableName=table, Select="COUNT", ConsistentRead=True)["Count"]
    assert count == 4 * 4 * 25


# --- Projections ----------------------------------------------------------------------------

def test_get_projection_expression(ddb, tables):
    hash_table, range_table = tables
    ddb.batch_write_item(RequestItems={hash_table: [put(item) for item in HASH_ITEMS],
                                       range_table: [put(item) for item in RANGE_ITEMS]})
    response = ddb.batch_get_item(RequestItems={
        hash_table: {"Keys": [hkey("a"), hkey("b")], "ProjectionExpression": "#m.x, n, l[1]",
                     "ExpressionAttributeNames": {"#m": "m"}},
        range_table: {"Keys": [hrkey("a", 1)], "ProjectionExpression": "v"}})
    assert sorted(response["Responses"][hash_table], key=len) == [
        {"l": {"L": [{"N": "5"}]}},
        {"m": {"M": {"x": {"S": "y"}}}, "n": {"N": "1"}},
    ]
    assert response["Responses"][range_table] == [{"v": {"S": "a1"}}]


def test_get_attributes_to_get(ddb, table):
    ddb.batch_write_item(RequestItems={table: [put(item) for item in HASH_ITEMS]})
    response = ddb.batch_get_item(RequestItems={
        table: {"Keys": [hkey("a"), hkey("c")], "AttributesToGet": ["pk", "t", "nothing"]}})
    assert by_pk(response["Responses"][table]) == [
        {"pk": {"S": "a"}}, {"pk": {"S": "c"}, "t": {"BOOL": True}}]


# --- ReturnConsumedCapacity -----------------------------------------------------------------

def test_get_capacity_per_table(ddb, tables):
    """Each item found is rounded up to 4 KB and halved unless ConsistentRead; a key that finds
    nothing adds nothing (DynamoDB Local's figure)."""
    hash_table, range_table = tables
    ddb.batch_write_item(RequestItems={
        hash_table: [put(sized_item("small", 100)), put(sized_item("five-k", 5000))],
        range_table: [put(item) for item in RANGE_ITEMS]})
    request = {
        hash_table: {"Keys": [hkey("small"), hkey("five-k"), hkey("none")]},
        range_table: {"Keys": [hrkey("a", 1), hrkey("a", 2), hrkey("z", 9)],
                      "ConsistentRead": True}}
    response = ddb.batch_get_item(RequestItems=request, ReturnConsumedCapacity="TOTAL")
    assert capacity_by_table(response) == {
        hash_table: {"TableName": hash_table, "CapacityUnits": 0.5 + 1.0},
        range_table: {"TableName": range_table, "CapacityUnits": 2.0}}
    response = ddb.batch_get_item(RequestItems=request, ReturnConsumedCapacity="INDEXES")
    assert capacity_by_table(response) == {
        hash_table: {"TableName": hash_table, "CapacityUnits": 1.5,
                     "Table": {"CapacityUnits": 1.5}},
        range_table: {"TableName": range_table, "CapacityUnits": 2.0,
                      "Table": {"CapacityUnits": 2.0}}}
    response = ddb.batch_get_item(RequestItems=request, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in response


def test_get_capacity_of_missing_keys(ddb, table):
    response = ddb.batch_get_item(RequestItems={table: {"Keys": [hkey("x"), hkey("y")]}},
                                  ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 0.0}]


def test_write_capacity_per_table(ddb, tables):
    """Each write costs what its PutItem / DeleteItem would: 1 KB units of the larger of the
    old and new item; a delete the deleted item's size."""
    hash_table, range_table = tables
    ddb.put_item(TableName=hash_table, Item=sized_item("old-big", 3000))
    ddb.put_item(TableName=hash_table, Item=sized_item("to-delete", 2500))
    response = ddb.batch_write_item(RequestItems={
        range_table: [put(hrkey("a", 1))],
        hash_table: [put(sized_item("new", 10)), put(sized_item("old-big", 10)),
                     put(sized_item("new-big", 1025)), delete(hkey("to-delete"))]},
        ReturnConsumedCapacity="TOTAL")
    assert response["UnprocessedItems"] == {}
    assert capacity_by_table(response) == {
        hash_table: {"TableName": hash_table, "CapacityUnits": 1.0 + 3.0 + 2.0 + 3.0},
        range_table: {"TableName": range_table, "CapacityUnits": 1.0}}
    response = ddb.batch_write_item(RequestItems={range_table: [put(hrkey("a", 2))]},
                                    ReturnConsumedCapacity="INDEXES")
    assert response["ConsumedCapacity"] == [{"TableName": range_table, "CapacityUnits": 1.0,
                                             "Table": {"CapacityUnits": 1.0}}]


def test_write_capacity_of_missing_delete(ddb, table, target):
    """DeleteItem of a missing item costs 1 unit, and the API reference costs each request of a
    batch as its own PutItem / DeleteItem. DynamoDB Local charges 2 inside a batch."""
    response = ddb.batch_write_item(RequestItems={table: [delete(hkey("none"))]},
                                    ReturnConsumedCapacity="TOTAL")
    expected = 2.0 if target == "ddblocal" else 1.0
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": expected}]


def test_write_item_collection_metrics_accepted(ddb, table):
    """Without local secondary indexes there are no item collections to report."""
    response = ddb.batch_write_item(RequestItems={table: [put(hkey("m"))]},
                                    ReturnItemCollectionMetrics="SIZE")
    assert without_metadata(response) == {"UnprocessedItems": {}}


@pytest.mark.dunlin_only("DynamoDB Local ignores unknown ReturnConsumedCapacity values")
def test_get_invalid_return_consumed_capacity(ddb, table):
    expect_validation(
        ddb.batch_get_item,
        "1 validation error detected: Value 'FOO' at 'returnConsumedCapacity' failed to satisfy "
        "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
        RequestItems={table: {"Keys": [hkey("a")]}}, ReturnConsumedCapacity="FOO")


@pytest.mark.dunlin_only("DynamoDB Local ignores unknown ReturnItemCollectionMetrics values")
def test_write_invalid_return_item_collection_metrics(ddb, table):
    expect_validation(
        ddb.batch_write_item,
        "1 validation error detected: Value 'FOO' at 'returnItemCollectionMetrics' failed to "
        "satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]",
        RequestItems={table: [put(hkey("a"))]}, ReturnItemCollectionMetrics="FOO")
    assert not exists(ddb, table, hkey("a"))


# --- The 16 MB response limit ---------------------------------------------------------------

@pytest.fixture(scope="module")
def big_table(ddb, raw):
    """A hash table holding BIG_ITEMS items of 400 KB (big00..), SMALL_ITEMS small ones
    (small0..), and two items that complete 40 big ones to exactly 16 MiB (edge-fit) and to one
    byte more (edge-over)."""
    from conftest import TableFactory
    factory = TableFactory(ddb, raw)
    name = factory()
    big = [put(sized_item(f"big{i:02d}", MAX_ITEM_BYTES)) for i in range(BIG_ITEMS)]
    for start in range(0, len(big), 20):
        assert ddb.batch_write_item(RequestItems={name: big[start:start + 20]}) \
            ["UnprocessedItems"] == {}
    rest = [put(hkey(f"small{i}")) for i in range(SMALL_ITEMS)]
    rest += [put(sized_item("edge-fit", 16 * 1024 * 1024 - 40 * MAX_ITEM_BYTES)),
             put(sized_item("edge-over", 16 * 1024 * 1024 - 40 * MAX_ITEM_BYTES + 1))]
    assert ddb.batch_write_item(RequestItems={name: rest})["UnprocessedItems"] == {}
    yield name
    factory.cleanup()


def big_keys():
    return [hkey(f"big{i:02d}") for i in range(BIG_ITEMS)]


def test_get_over_16_mb_leaves_unprocessed_keys(ddb, big_table):
    """Items that do not fit are handed back with the table's parameters; the small items fit
    around them. The limit counts whole items, not what the projection returns."""
    keys = big_keys() + [hkey(f"small{i}") for i in range(SMALL_ITEMS)]
    request = {big_table: {"Keys": keys, "ProjectionExpression": "#k",
                           "ExpressionAttributeNames": {"#k": "pk"}, "ConsistentRead": True}}
    response = ddb.batch_get_item(RequestItems=request, ReturnConsumedCapacity="TOTAL")
    returned = {item["pk"]["S"] for item in response["Responses"][big_table]}
    assert all(item == {"pk": {"S": item["pk"]["S"]}} for item in response["Responses"][big_table])
    assert {f"small{i}" for i in range(SMALL_ITEMS)} <= returned
    big_returned = len(returned) - SMALL_ITEMS
    assert 39 <= big_returned <= 40
    unprocessed = response["UnprocessedKeys"]
    assert list(unprocessed) == [big_table]
    left = unprocessed[big_table]
    assert {k: v for k, v in left.items() if k != "Keys"} == {
        "ProjectionExpression": "#k", "ExpressionAttributeNames": {"#k": "pk"},
        "ConsistentRead": True}
    assert len(left["Keys"]) == BIG_ITEMS - big_returned
    assert {key["pk"]["S"] for key in left["Keys"]}.isdisjoint(returned)
    # 100 strongly consistent read units per 400 KB item, 1 per small item.
    assert response["ConsumedCapacity"] == [
        {"TableName": big_table, "CapacityUnits": 100.0 * big_returned + SMALL_ITEMS}]

    retry = ddb.batch_get_item(RequestItems=unprocessed)
    assert retry["UnprocessedKeys"] == {}
    assert len(retry["Responses"][big_table]) == BIG_ITEMS - big_returned


def test_get_loop_over_unprocessed_keys_reads_each_item_once(ddb, big_table):
    request = {big_table: {"Keys": big_keys()}}
    seen = []
    rounds = 0
    while request:
        rounds += 1
        assert rounds <= 5
        response = ddb.batch_get_item(RequestItems=request)
        for item in response["Responses"].get(big_table, []):
            assert len(item["d"]["S"]) == MAX_ITEM_BYTES - 3 - len(item["pk"]["S"])
            seen.append(item["pk"]["S"])
        request = response["UnprocessedKeys"]
    assert rounds == 2
    assert sorted(seen) == [f"big{i:02d}" for i in range(BIG_ITEMS)]


def test_get_limit_is_16_mib_of_item_size(ddb, big_table):
    """40 items of 400 KB and one of the rest of 16 MiB all fit; one byte more does not."""
    keys = big_keys()[:40]
    fits = ddb.batch_get_item(RequestItems={
        big_table: {"Keys": keys + [hkey("edge-fit")], "ProjectionExpression": "pk"}})
    assert len(fits["Responses"][big_table]) == 41
    assert fits["UnprocessedKeys"] == {}
    over = ddb.batch_get_item(RequestItems={
        big_table: {"Keys": keys + [hkey("edge-over")], "ProjectionExpression": "pk"}})
    assert len(over["Responses"][big_table]) == 40
    assert len(over["UnprocessedKeys"][big_table]["Keys"]) == 1


@pytest.mark.dunlin_only("DynamoDB Local drops AttributesToGet from UnprocessedKeys")
def test_unprocessed_keys_keep_attributes_to_get(ddb, big_table):
    response = ddb.batch_get_item(RequestItems={
        big_table: {"Keys": big_keys(), "AttributesToGet": ["pk"], "ConsistentRead": False}})
    left = response["UnprocessedKeys"][big_table]
    assert left["AttributesToGet"] == ["pk"]
    assert left["ConsistentRead"] is False
    retry = ddb.batch_get_item(RequestItems=response["UnprocessedKeys"])
    assert all(set(item) == {"pk"} for item in retry["Responses"][big_table])


# --- BatchGetItem validation ----------------------------------------------------------------

@pytest.mark.parametrize("request_items", [None, {}], ids=["absent", "empty"])
def test_get_no_requests(raw, request_items):
    body = {} if request_items is None else {"RequestItems": request_items}
    response = raw.request("BatchGetItem", body)
    assert (response.status, response.error_type, response.message) == (
        400, "ValidationException", GET_NO_REQUESTS)


def test_get_unknown_table(ddb, table):
    expect_error(ddb.batch_get_item, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 RequestItems={table: {"Keys": [hkey("a")]},
                               table + "-missing": {"Keys": [hkey("a")]}})


def test_get_invalid_table_name(ddb):
    expect_validation(ddb.batch_get_item, INVALID_TABLE_NAME,
                      RequestItems={"ab": {"Keys": [hkey("a")]}})


@pytest.mark.parametrize("entry", [{"Keys": []}, {}, {"ProjectionExpression": "a"}],
                         ids=["empty", "absent", "projection-only"])
def test_get_keys_required(ddb, table, entry):
    expect_validation(ddb.batch_get_item, get_keys_required(table), RequestItems={table: entry})


@pytest.mark.parametrize("key", [{}, None], ids=["empty", "null"])
def test_get_empty_key(raw, table, key):
    response = raw.request("BatchGetItem", {"RequestItems": {table: {"Keys": [hkey("a"), key]}}})
    assert (response.status, response.error_type, response.message) == (
        400, "ValidationException", get_empty_key(table))


@pytest.mark.parametrize("keys", [
    [hkey("a"), hkey("b"), hkey("a")],
    [{"other": {"S": "x"}}, {"other": {"S": "x"}}],
], ids=["key", "whole-map"])
def test_get_duplicate_keys(ddb, table, keys):
    expect_validation(ddb.batch_get_item, DUPLICATE_KEYS, RequestItems={table: {"Keys": keys}})


def test_get_duplicate_keys_in_two_tables_is_fine(ddb, table_factory):
    first, second = table_factory(), table_factory()
    response = ddb.batch_get_item(RequestItems={first: {"Keys": [hkey("a")]},
                                                second: {"Keys": [hkey("a")]}})
    assert response["Responses"] == {first: [], second: []}


def test_get_too_many_keys(ddb, tables):
    hash_table, range_table = tables
    expect_validation(ddb.batch_get_item, GET_TOO_MANY, RequestItems={
        hash_table: {"Keys": [hkey(f"k{i}") for i in range(60)]},
        range_table: {"Keys": [hrkey("p", i) for i in range(41)]}})


def test_get_duplicates_reported_before_count(ddb, table):
    expect_validation(ddb.batch_get_item, DUPLICATE_KEYS,
                      RequestItems={table: {"Keys": [hkey("same")] * 101}})


@pytest.mark.parametrize("key,message", [
    ({"pk": {"N": "1"}}, KEY_TYPE_MISMATCH),
    ({"pk": {"S": "a"}, "extra": {"S": "b"}}, KEY_CONDITIONS_INVALID),
    ({"other": {"S": "a"}}, MISSING_KEY),
    ({"pk": {"S": ""}}, "One or more parameter values are not valid. The AttributeValue for a "
                        "key attribute cannot contain an empty string value. Key: pk"),
], ids=["type", "extra", "name", "empty-string"])
def test_get_invalid_key(ddb, table, key, message):
    expect_validation(ddb.batch_get_item, contains=message,
                      RequestItems={table: {"Keys": [key]}})


def test_get_range_key_missing(ddb, table_sk):
    expect_validation(ddb.batch_get_item, KEY_CONDITIONS_INVALID,
                      RequestItems={table_sk: {"Keys": [hkey("a")]}})


@pytest.mark.parametrize("entry,message", [
    ({"ProjectionExpression": "#a"},
     "Invalid ProjectionExpression: An expression attribute name used in the document path is "
     "not defined; attribute name: #a"),
    ({"ProjectionExpression": "a", "ExpressionAttributeNames": {"#a": "a"}},
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"),
    ({"ExpressionAttributeNames": {"#a": "a"}},
     "ExpressionAttributeNames can only be specified when using expressions"),
    ({"ProjectionExpression": ""}, "Invalid ProjectionExpression: The expression can not be empty;"),
    ({"ProjectionExpression": "a", "AttributesToGet": ["a"]},
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {AttributesToGet} Expression parameters: "
     "{ProjectionExpression}"),
    ({"AttributesToGet": ["y", "y"]},
     "One or more parameter values were invalid: Duplicate value in attribute name: y"),
], ids=["undefined-name", "unused-name", "names-without-expression", "empty-projection",
        "both-styles", "duplicate-attributes-to-get"])
def test_get_projection_errors(ddb, table, entry, message):
    expect_validation(ddb.batch_get_item, message,
                      RequestItems={table: dict(entry, Keys=[hkey("a")])})


def test_get_missing_table_before_projection_error(ddb, table):
    expect_error(ddb.batch_get_item, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 RequestItems={table + "-missing": {"Keys": [hkey("a")],
                                                    "ProjectionExpression": "#a"}})


def test_get_key_error_before_projection_error(ddb, table):
    expect_validation(ddb.batch_get_item, contains=KEY_TYPE_MISMATCH,
                      RequestItems={table: {"Keys": [{"pk": {"N": "1"}}],
                                            "ProjectionExpression": "#a"}})


# --- BatchWriteItem validation --------------------------------------------------------------

@pytest.mark.parametrize("request_items", [None, {}], ids=["absent", "empty"])
def test_write_no_requests(raw, request_items):
    body = {} if request_items is None else {"RequestItems": request_items}
    response = raw.request("BatchWriteItem", body)
    assert (response.status, response.error_type, response.message) == (
        400, "ValidationException", WRITE_NO_REQUESTS)


@pytest.mark.parametrize("requests", [[], None], ids=["empty", "null"])
def test_write_table_list_empty(raw, table, requests):
    response = raw.request("BatchWriteItem", {"RequestItems": {table: requests}})
    assert (response.status, response.error_type, response.message) == (
        400, "ValidationException", write_list_empty(table))


def test_write_unknown_table(ddb, table):
    expect_error(ddb.batch_write_item, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 RequestItems={table: [put(hkey("a"))], table + "-missing": [put(hkey("a"))]})
    assert not exists(ddb, table, hkey("a"))


def test_write_invalid_table_name(ddb):
    expect_validation(ddb.batch_write_item, INVALID_TABLE_NAME,
                      RequestItems={"ab": [put(hkey("a"))]})


def test_write_too_many_requests(ddb, tables):
    hash_table, range_table = tables
    expect_validation(ddb.batch_write_item, WRITE_TOO_MANY, RequestItems={
        hash_table: [put(hkey(f"k{i}")) for i in range(13)],
        range_table: [put(hrkey("p", i)) for i in range(13)]})
    assert not exists(ddb, hash_table, hkey("k0"))


@pytest.mark.parametrize("requests", [
    [put(hkey("d")), put(dict(hkey("d"), other={"S": "x"}))],
    [put(hkey("d")), delete(hkey("d"))],
    [delete(hkey("d")), delete(hkey("d"))],
], ids=["two-puts", "put-and-delete", "two-deletes"])
def test_write_duplicate_keys(ddb, table, requests):
    expect_validation(ddb.batch_write_item, DUPLICATE_KEYS, RequestItems={table: requests})
    assert not exists(ddb, table, hkey("d"))


def test_write_duplicate_keys_with_range(ddb, table_sk):
    expect_validation(ddb.batch_write_item, DUPLICATE_KEYS, RequestItems={
        table_sk: [put(hrkey("a", 1)), put(hrkey("a", 2)), delete(hrkey("a", 1))]})


@pytest.mark.parametrize("entry", [
    {},
    {"PutRequest": {"Item": hkey("x")}, "DeleteRequest": {"Key": hkey("y")}},
    {"PutRequest": None},
    {"Unknown": {}},
], ids=["neither", "both", "null-put", "unknown-member"])
def test_write_request_not_exactly_one(raw, table, entry):
    response = raw.request("BatchWriteItem", {"RequestItems": {table: [put(hkey("ok")), entry]}})
    assert (response.status, response.error_type, response.message) == (
        400, "ValidationException", NOT_ONE_REQUEST)


@pytest.mark.parametrize("entry,message", [
    ({"PutRequest": {}}, NULL_ITEM),
    ({"DeleteRequest": {}}, NULL_ITEM),
    ({"PutRequest": {"Item": None}}, NULL_ITEM),
    ({"PutRequest": {"Item": {}}}, "Item to put in PutItem cannot be null"),
    ({"DeleteRequest": {"Key": {}}}, KEY_CONDITIONS_INVALID),
    (None, "The batch write request list for a table cannot be null or empty"),
], ids=["put-no-item", "delete-no-key", "put-null-item", "put-empty-item", "delete-empty-key",
        "null-request"])
def test_write_request_missing_parts(raw, ddb, table, entry, message):
    response = raw.request("BatchWriteItem", {"RequestItems": {table: [put(hkey("ok")), entry]}})
    assert (response.status, response.error_type, response.message) == (
        400, "ValidationException", message)
    assert not exists(ddb, table, hkey("ok"))


@pytest.mark.parametrize("request_,message", [
    (put({"pk": {"N": "1"}}), KEY_TYPE_MISMATCH),
    (delete({"pk": {"N": "1"}}), KEY_TYPE_MISMATCH),
    (put({"other": {"S": "x"}}), MISSING_KEY),
    (delete({"pk": {"S": "x"}, "extra": {"S": "y"}}), KEY_CONDITIONS_INVALID),
    (put(sized_item("big", MAX_ITEM_BYTES + 1)), ITEM_TOO_LARGE),
    (put({"pk": {"S": "n"}, "v": {"N": "x"}}), "A value provided cannot be converted into a number"),
], ids=["put-type", "delete-type", "put-missing-key", "delete-extra", "too-large", "bad-number"])
def test_write_invalid_request_writes_nothing(ddb, table, request_, message):
    """Rule 2: a batch with one invalid request is rejected whole, before anything is written."""
    ddb.put_item(TableName=table, Item=hkey("keep"))
    valid = [put(hkey(f"v{i}")) for i in range(5)] + [delete(hkey("keep"))]
    expect_validation(ddb.batch_write_item, contains=message,
                      RequestItems={table: valid[:3] + [request_] + valid[3:]})
    for i in range(5):
        assert not exists(ddb, table, hkey(f"v{i}"))
    assert exists(ddb, table, hkey("keep"))


def test_write_range_key_missing(ddb, table_sk):
    expect_validation(ddb.batch_write_item, MISSING_KEY,
                      RequestItems={table_sk: [put(hkey("a"))]})


def test_write_rejected_across_tables(ddb, tables):
    """An invalid request in one table keeps the valid requests of another from being written."""
    hash_table, range_table = tables
    expect_validation(ddb.batch_write_item, contains=KEY_TYPE_MISMATCH, RequestItems={
        hash_table: [put(hkey("a")), put(hkey("b"))],
        range_table: [put({"pk": {"S": "a"}, "sk": {"S": "not-a-number"}})]})
    assert not exists(ddb, hash_table, hkey("a"))
    assert not exists(ddb, hash_table, hkey("b"))


def test_write_item_size_before_key_errors(ddb, table):
    expect_validation(ddb.batch_write_item, ITEM_TOO_LARGE, RequestItems={
        table: [put({"pk": {"N": "1"}}), put(sized_item("big", MAX_ITEM_BYTES + 1))]})


def test_write_requests_checked_in_order(ddb, table):
    """Each request's key is checked, then whether an earlier request has it: a duplicate
    before a bad key is reported as the duplicate, a bad key before a duplicate as the key."""
    expect_validation(ddb.batch_write_item, DUPLICATE_KEYS, RequestItems={table: [
        delete(hkey("a")), delete(hkey("a")), delete({"pk": {"N": "1"}})]})
    message = expect_validation(ddb.batch_write_item, RequestItems={table: [
        delete({"pk": {"N": "1"}}), delete(hkey("a")), delete(hkey("a"))]})
    assert message.startswith(KEY_TYPE_MISMATCH), message


def test_write_count_before_duplicates(ddb, table):
    expect_validation(ddb.batch_write_item, WRITE_TOO_MANY,
                      RequestItems={table: [put(hkey("same"))] * 26})


def test_write_missing_table_before_duplicates(ddb, table):
    expect_error(ddb.batch_write_item, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 RequestItems={table + "-missing": [put(hkey("a")), put(hkey("a"))]})
