"""ItemCollectionMetrics: the size of an item collection (the items of one partition key of a
table with local secondary indexes, and their index entries).

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ItemCollectionMetrics.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html (#LSI.ItemCollections)
  1. ReturnItemCollectionMetrics=SIZE reports ItemCollectionKey (the partition key) and a
     two-element SizeEstimateRangeGB, and only for tables with an LSI;
  2. BatchWriteItem and TransactWriteItems report a list per table;
  3. a write that would grow a collection past its limit (10 GB) fails with
     ItemCollectionSizeLimitExceededException and writes nothing; in a transaction it is the
     cancellation reason of the action that grows it. Shrinking writes always pass; other
     partitions and tables without local indexes are not limited.
DynamoDB Local reports no item collections; the limit is checked on a server started with a
small one (--item-collection-limit).
"""

import pytest

from conftest import DunlinProcess, make_client, unique_table_name
from expect import client_error, expect_error
from test_index_writes import definitions, index, indexed, item_key, key  # noqa: F401

LIMIT = 3000
COLLECTION_FULL = ("The total size of an item collection has exceeded the maximum limit of 10 "
                   "gigabytes.")


# --- ItemCollectionMetrics -----------------------------------------------------------------

def metrics_calls(ddb, table, key_):
    """(name, call) pairs writing the item at key_ with ReturnItemCollectionMetrics=SIZE."""
    item = {**key_, "l": {"S": "L"}, "g": {"S": "G"}, "gs": {"N": "1"}}
    size = {"ReturnItemCollectionMetrics": "SIZE"}
    return [
        ("put", lambda: ddb.put_item(TableName=table, Item=item, **size)),
        ("update", lambda: ddb.update_item(TableName=table, Key=key_,
                                           UpdateExpression="SET v = :v",
                                           ExpressionAttributeValues={":v": {"N": "1"}}, **size)),
        ("delete", lambda: ddb.delete_item(TableName=table, Key=key_, **size)),
        ("batch", lambda: ddb.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": item}}]}, **size)),
        ("transact", lambda: ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": item}}], **size)),
    ]


def test_no_item_collection_metrics_without_lsi(ddb, table_factory):
    """API_ItemCollectionMetrics.html: not returned for a table without local secondary
    indexes."""
    table = table_factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("g", "S"), ("gs", "N")),
        GlobalSecondaryIndexes=[index("w_gsi", key("g", "gs"))])
    for name, call in metrics_calls(ddb, table, item_key("a")):
        assert "ItemCollectionMetrics" not in call(), name


def test_no_item_collection_metrics_unless_asked(ddb, indexed):
    item = {**item_key("a"), "l": {"S": "L"}}
    assert "ItemCollectionMetrics" not in ddb.put_item(TableName=indexed, Item=item)
    assert "ItemCollectionMetrics" not in ddb.put_item(TableName=indexed, Item=item,
                                                       ReturnItemCollectionMetrics="NONE")


def assert_metrics(metrics, partition):
    assert set(metrics) == {"ItemCollectionKey", "SizeEstimateRangeGB"}
    assert metrics["ItemCollectionKey"] == {"pk": {"S": partition}}
    low, high = metrics["SizeEstimateRangeGB"]
    assert 0 <= low <= high


@pytest.mark.dunlin_only("DynamoDB Local never returns ItemCollectionMetrics")
def test_item_collection_metrics_with_lsi(ddb, indexed):
    """https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ItemCollectionMetrics.html
    and API_PutItem.html, API_UpdateItem.html, API_DeleteItem.html: ItemCollectionMetrics
    {ItemCollectionKey, SizeEstimateRangeGB}; API_BatchWriteItem.html and
    API_TransactWriteItems.html: a map from table name to a list of them."""
    for name, call in metrics_calls(ddb, indexed, item_key("a")):
        response = call()
        metrics = response["ItemCollectionMetrics"]
        if name in ("batch", "transact"):
            assert list(metrics) == [indexed], name
            assert len(metrics[indexed]) == 1
            assert_metrics(metrics[indexed][0], "a")
        else:
            assert_metrics(metrics, "a")


@pytest.mark.dunlin_only("DynamoDB Local never returns ItemCollectionMetrics")
def test_batch_item_collection_metrics_per_partition(ddb, indexed):
    """https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html:
    ItemCollectionMetrics lists the item collections the call wrote."""
    response = ddb.batch_write_item(RequestItems={indexed: [
        {"PutRequest": {"Item": {**item_key("a", "1"), "l": {"S": "L"}}}},
        {"PutRequest": {"Item": {**item_key("a", "2"), "l": {"S": "L"}}}},
        {"PutRequest": {"Item": {**item_key("b", "1"), "l": {"S": "L"}}}}]},
        ReturnItemCollectionMetrics="SIZE")
    collections = response["ItemCollectionMetrics"][indexed]
    assert sorted(m["ItemCollectionKey"]["pk"]["S"] for m in collections) in (
        ["a", "a", "b"], ["a", "b"])


@pytest.fixture
def small_limit(dunlin_bin, tmp_path):
    """A server whose item collections hold at most LIMIT bytes, and a client of it."""
    server = DunlinProcess(dunlin_bin, str(tmp_path / "data"),
                           extra_args=["--item-collection-limit", str(LIMIT)]).start()
    yield make_client(server.endpoint)
    server.stop()


def create_lsi_table(client, with_lsi=True):
    name = unique_table_name("ic")
    attributes = [("pk", "S"), ("sk", "S")]
    args = {}
    if with_lsi:
        attributes.append(("l", "S"))
        args["LocalSecondaryIndexes"] = [index("w_lsi", key("pk", "l"))]
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=definitions(*attributes), KeySchema=key("pk", "sk"),
                        **args)
    return name


def blob(sk_, size, pk_="a"):
    """An item of about `size` bytes in collection pk_, in w_lsi (an ALL projection, so it
    counts twice towards its collection)."""
    return {**item_key(pk_, sk_), "l": {"S": "L"}, "v": {"S": "x" * size}}


@pytest.mark.dunlin_only("DynamoDB Local does not limit item collections; the limit here is "
                         "lowered to test it (LSI.html#LSI.ItemCollections.SizeLimit)")
def test_full_collection_refuses_growth(small_limit):
    client = small_limit
    table = create_lsi_table(client)
    client.put_item(TableName=table, Item=blob("1", 1000))  # ~2 KB with its LSI entry
    expect_error(client.put_item, "ItemCollectionSizeLimitExceededException", COLLECTION_FULL,
                 TableName=table, Item=blob("2", 1000))
    assert "Item" not in client.get_item(TableName=table, Key=item_key("a", "2"))
    expect_error(client.update_item, "ItemCollectionSizeLimitExceededException", COLLECTION_FULL,
                 TableName=table, Key=item_key("a", "1"), UpdateExpression="SET w = :w",
                 ExpressionAttributeValues={":w": {"S": "y" * 1000}})
    assert "w" not in client.get_item(TableName=table, Key=item_key("a", "1"))["Item"]
    expect_error(client.batch_write_item, "ItemCollectionSizeLimitExceededException",
                 COLLECTION_FULL, RequestItems={table: [{"PutRequest": {"Item": blob("3", 1000)}}]})
    # A transaction is cancelled, naming the action that would grow the collection.
    response = client_error(client.transact_write_items, TransactItems=[
        {"Put": {"TableName": table, "Item": blob("1", 10, pk_="b")}},
        {"Put": {"TableName": table, "Item": blob("4", 1000)}}])
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert [reason["Code"] for reason in response["CancellationReasons"]] == [
        "None", "ItemCollectionSizeLimitExceeded"]
    assert "Item" not in client.get_item(TableName=table, Key=item_key("b", "1"))
    # Other collections are not limited by this one; shrinking always passes and makes room.
    client.put_item(TableName=table, Item=blob("1", 1000, pk_="b"))
    client.update_item(TableName=table, Key=item_key("a", "1"), UpdateExpression="REMOVE v")
    response = client.put_item(TableName=table, Item=blob("2", 1000),
                               ReturnItemCollectionMetrics="SIZE")
    assert response["ItemCollectionMetrics"] == {"ItemCollectionKey": {"pk": {"S": "a"}},
                                                 "SizeEstimateRangeGB": [0.0, 1.0]}


@pytest.mark.dunlin_only("DynamoDB Local does not limit item collections")
def test_tables_without_local_indexes_have_no_collection_limit(small_limit):
    client = small_limit
    table = create_lsi_table(client, with_lsi=False)
    for sk_ in "123":
        client.put_item(TableName=table, Item=blob(sk_, 2000))
    assert client.query(TableName=table, KeyConditionExpression="pk = :p",
                        ExpressionAttributeValues={":p": {"S": "a"}})["Count"] == 3
