"""ItemCollectionMetrics: the size of an item collection (the items of one partition key of a
table with local secondary indexes, and their index entries).

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ItemCollectionMetrics.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html (#LSI.ItemCollections)
  1. ReturnItemCollectionMetrics=SIZE reports ItemCollectionKey (the partition key) and a
     two-element SizeEstimateRangeGB, and only for tables with an LSI;
  2. BatchWriteItem and TransactWriteItems report a list per table.
Dunlin does not report item collections yet; these run against DynamoDB Local until it does.
"""

import pytest

from test_index_writes import definitions, index, indexed, item_key, key  # noqa: F401


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
