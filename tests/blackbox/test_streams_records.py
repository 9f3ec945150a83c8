"""The records that writes leave in a DynamoDB stream.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Identity.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.Lambda.Tutorial.html
  1. one record per item change: INSERT (a new item), MODIFY (a changed item), REMOVE (a
     deleted item), in the order of the item's changes. A PutItem or UpdateItem that changes
     nothing writes none (Streams.html, "Reading and processing a stream"), and neither does
     a delete of a missing item, a failed condition or a cancelled transaction;
     BatchWriteItem and TransactWriteItems write one per item they change (none for a
     ConditionCheck); an UpdateItem of a missing item is an INSERT; index maintenance adds
     none;
  2. a record is {eventID (unique), eventName, eventVersion "1.1", eventSource "aws:dynamodb",
     awsRegion (the table's region), dynamodb: {ApproximateCreationDateTime (epoch seconds,
     rounded down to the second), Keys, NewImage?, OldImage?, SequenceNumber, SizeBytes,
     StreamViewType}}. KEYS_ONLY gives Keys alone, NEW_IMAGE adds NewImage (not on REMOVE),
     OLD_IMAGE adds OldImage (not on INSERT), NEW_AND_OLD_IMAGES both;
  3. SizeBytes is the size of Keys plus the images present, each counted as an item is (the
     tutorial's example event: 26, 59 and 38 bytes);
  4. sequence numbers are strings of 21 to 40 digits, unique and increasing along a shard, at
     or after the shard's StartingSequenceNumber;
  5. writes made while no stream is enabled reach no stream; a disabled stream, and the
     stream of a deleted table, keep their records readable.
Records of TTL deletions (REMOVE with userIdentity {"Type": "Service", "PrincipalId":
"dynamodb.amazonaws.com"}) are tested in test_ttl_expiry.py, against a server with a short
sweep interval; here only the absence of userIdentity on user writes is checked. Where
DynamoDB Local departs from the documentation the test is dunlin_only and follows the
documentation (see docs/notes-oracle-streams.md).
"""

import time

import pytest

from stream_reading import (enabled, events, images, iterator, key, make_stream_table,
                            read_stream, sequence_numbers, shards, stream_request)

RECORD_MEMBERS = {"eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb"}
STREAM_RECORD_MEMBERS = {"ApproximateCreationDateTime", "Keys", "SequenceNumber", "SizeBytes",
                         "StreamViewType"}
IMAGES_BY_VIEW_TYPE = {  # (INSERT, MODIFY, REMOVE): the dynamodb members besides the above
    "KEYS_ONLY": ([], [], []),
    "NEW_IMAGE": (["NewImage"], ["NewImage"], []),
    "OLD_IMAGE": ([], ["OldImage"], ["OldImage"]),
    "NEW_AND_OLD_IMAGES": (["NewImage"], ["NewImage", "OldImage"], ["OldImage"]),
}


@pytest.fixture
def stream_table(ddb, table_factory):
    """stream_table(view_type, **create_args) returns (table name, stream ARN) of a new table
    keyed by pk (S) (or as create_args say) with a stream of view_type."""
    return lambda *args, **kwargs: make_stream_table(ddb, table_factory, *args, **kwargs)


# --- Records: shape ------------------------------------------------------------------------

def test_record_shape(ddb, streams, stream_table):
    table, arn = stream_table("NEW_AND_OLD_IMAGES", range_key=("sk", "N"))
    region = ddb.describe_table(TableName=table)["Table"]["TableArn"].split(":")[3]
    item_key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    ddb.put_item(TableName=table, Item={**item_key, "v": {"S": "x"}})
    ddb.put_item(TableName=table, Item={**item_key, "v": {"S": "y"}})
    ddb.delete_item(TableName=table, Key=item_key)
    records = read_stream(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    for record in records:
        assert set(record) == RECORD_MEMBERS, record
        assert (record["eventVersion"], record["eventSource"]) == ("1.1", "aws:dynamodb")
        assert record["awsRegion"] == region
        assert isinstance(record["eventID"], str) and record["eventID"]
        assert record["dynamodb"]["Keys"] == item_key
        assert record["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert len({r["eventID"] for r in records}) == 3
    assert images(records) == [
        ("INSERT", "a", None, {**item_key, "v": {"S": "x"}}),
        ("MODIFY", "a", {**item_key, "v": {"S": "x"}}, {**item_key, "v": {"S": "y"}}),
        ("REMOVE", "a", {**item_key, "v": {"S": "y"}}, None)]
    numbers = sequence_numbers(records)
    assert all(n.isdigit() and 21 <= len(n) <= 40 for n in numbers), numbers
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)
    assert len(set(numbers)) == 3
    start = shards(streams, arn)[0]["SequenceNumberRange"]["StartingSequenceNumber"]
    assert int(start) <= int(numbers[0])


@pytest.mark.parametrize("view_type", sorted(IMAGES_BY_VIEW_TYPE))
def test_record_images_by_view_type(ddb, streams, stream_table, view_type):
    table, arn = stream_table(view_type)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "x"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "yy"}})
    ddb.delete_item(TableName=table, Key=key("a"))
    records = read_stream(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    for record, extra in zip(records, IMAGES_BY_VIEW_TYPE[view_type]):
        members = set(record["dynamodb"])
        assert members == STREAM_RECORD_MEMBERS | set(extra), (record["eventName"], members)
        assert record["dynamodb"]["StreamViewType"] == view_type
    # Keys {pk: "a"} = 3 bytes, {pk: "a", v: "x"} = 5, {pk: "a", v: "yy"} = 6.
    expected_sizes = {"KEYS_ONLY": [3, 3, 3], "NEW_IMAGE": [8, 9, 3], "OLD_IMAGE": [3, 8, 9],
                      "NEW_AND_OLD_IMAGES": [8, 14, 9]}[view_type]
    assert [r["dynamodb"]["SizeBytes"] for r in records] == expected_sizes


def test_size_bytes_of_the_documented_example(ddb, streams, stream_table):
    """The example event of the Lambda tutorial: SizeBytes 26, 59 and 38."""
    table, arn = stream_table("NEW_AND_OLD_IMAGES", hash_key=("Id", "N"))
    item_key = {"Id": {"N": "101"}}
    ddb.put_item(TableName=table, Item={**item_key, "Message": {"S": "New item!"}})
    ddb.update_item(TableName=table, Key=item_key, UpdateExpression="SET Message = :m",
                    ExpressionAttributeValues={":m": {"S": "This item has changed"}})
    ddb.delete_item(TableName=table, Key=item_key)
    records = read_stream(streams, arn)
    assert [(r["eventName"], r["dynamodb"]["SizeBytes"]) for r in records] == [
        ("INSERT", 26), ("MODIFY", 59), ("REMOVE", 38)]


def test_size_bytes_counts_item_sizes(ddb, streams, stream_table):
    table, arn = stream_table("NEW_IMAGE")
    item = {"pk": {"S": "k"}, "b": {"B": b"abc"}, "t": {"BOOL": True}, "z": {"NULL": True},
            "l": {"L": [{"S": "x"}, {"N": "12345"}]}, "m": {"M": {"q": {"S": "r"}}},
            "ss": {"SS": ["a", "bc"]}}
    ddb.put_item(TableName=table, Item=item)
    assert ddb.describe_table(TableName=table)["Table"]["TableSizeBytes"] == 34
    (record,) = read_stream(streams, arn)
    assert record["dynamodb"]["SizeBytes"] == 3 + 34


def test_record_wire_shape(ddb, raw, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    started = time.time()
    ddb.put_item(TableName=table, Item=key("a"))
    finished = time.time()
    shard_iterator = iterator(streams, arn, shards(streams, arn)[0]["ShardId"])
    response = stream_request(raw, "GetRecords", {"ShardIterator": shard_iterator})
    assert response.status == 200, response
    assert set(response.body) == {"Records", "NextShardIterator"}
    (record,) = response.body["Records"]
    moment = record["dynamodb"]["ApproximateCreationDateTime"]
    assert isinstance(moment, (int, float)) and moment == int(moment)
    assert int(started) - 60 <= moment <= finished
    assert "userIdentity" not in record


@pytest.mark.dunlin_only("DynamoDB Local rounds ApproximateCreationDateTime down to the minute; "
                         "API_streams_StreamRecord: rounded down to the closest second")
def test_record_time_is_rounded_down_to_the_second(ddb, raw, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    started = time.time()
    ddb.put_item(TableName=table, Item=key("a"))
    finished = time.time()
    shard_iterator = iterator(streams, arn, shards(streams, arn)[0]["ShardId"])
    response = stream_request(raw, "GetRecords", {"ShardIterator": shard_iterator})
    moment = response.body["Records"][0]["dynamodb"]["ApproximateCreationDateTime"]
    assert moment == int(moment) and int(started) <= moment <= finished


# --- Records: which writes leave them ------------------------------------------------------

def test_writes_that_change_nothing_leave_no_record(ddb, streams, stream_table):
    table, arn = stream_table()
    item = {"pk": {"S": "a"}, "n": {"N": "1"}, "s": {"SS": ["x", "y"]}}
    ddb.put_item(TableName=table, Item=item)
    ddb.put_item(TableName=table, Item=item)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "1.0"},
                                        "s": {"SS": ["y", "x"]}})
    ddb.update_item(TableName=table, Key=key("a"), UpdateExpression="SET n = :n",
                    ExpressionAttributeValues={":n": {"N": "1"}})
    ddb.update_item(TableName=table, Key=key("a"), UpdateExpression="ADD n :z",
                    ExpressionAttributeValues={":z": {"N": "0"}})
    ddb.update_item(TableName=table, Key=key("a"), UpdateExpression="REMOVE absent")
    ddb.update_item(TableName=table, Key=key("a"))
    ddb.delete_item(TableName=table, Key=key("nobody"))
    assert events(read_stream(streams, arn)) == [("INSERT", "a")]


def test_failed_conditions_leave_no_record(ddb, streams, stream_table):
    table, arn = stream_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    failed = ddb.exceptions.ConditionalCheckFailedException
    with pytest.raises(failed):
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "2"}},
                     ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(failed):
        ddb.update_item(TableName=table, Key=key("a"), UpdateExpression="SET v = :v",
                        ConditionExpression="v = :old",
                        ExpressionAttributeValues={":v": {"N": "3"}, ":old": {"N": "9"}})
    with pytest.raises(failed):
        ddb.delete_item(TableName=table, Key=key("a"), ConditionExpression="v = :old",
                        ExpressionAttributeValues={":old": {"N": "9"}})
    assert events(read_stream(streams, arn)) == [("INSERT", "a")]


def test_update_item_of_a_missing_item_inserts(ddb, streams, stream_table):
    table, arn = stream_table()
    ddb.update_item(TableName=table, Key=key("a"), UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "1"}})
    ddb.update_item(TableName=table, Key=key("b"), UpdateExpression="REMOVE v")
    ddb.update_item(TableName=table, Key=key("c"))
    assert images(read_stream(streams, arn)) == [
        ("INSERT", "a", None, {"pk": {"S": "a"}, "v": {"N": "1"}}),
        ("INSERT", "b", None, key("b")),
        ("INSERT", "c", None, key("c"))]


def test_records_follow_each_change_of_an_item(ddb, streams, stream_table):
    table, arn = stream_table()
    for value in range(1, 6):
        ddb.update_item(TableName=table, Key=key("a"), UpdateExpression="ADD v :one",
                        ExpressionAttributeValues={":one": {"N": "1"}})
    ddb.delete_item(TableName=table, Key=key("a"))
    ddb.put_item(TableName=table, Item=key("a"))
    records = images(read_stream(streams, arn))
    assert [r[0] for r in records] == ["INSERT"] + ["MODIFY"] * 4 + ["REMOVE", "INSERT"]
    for previous, current in zip(records, records[1:]):
        assert current[2] == previous[3]
    assert [r[3]["v"]["N"] for r in records[:5]] == ["1", "2", "3", "4", "5"]


def test_batch_write_item_records(ddb, streams, stream_table):
    table, arn = stream_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "gone"}, "v": {"N": "1"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "changed"}, "v": {"N": "1"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "same"}, "v": {"N": "1"}})
    ddb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": {"pk": {"S": "new"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "changed"}, "v": {"N": "2"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "same"}, "v": {"N": "1"}}}},
        {"DeleteRequest": {"Key": key("gone")}},
        {"DeleteRequest": {"Key": key("nobody")}}]})
    records = images(read_stream(streams, arn))[3:]
    assert sorted(records, key=lambda r: r[1]) == [
        ("MODIFY", "changed", {"pk": {"S": "changed"}, "v": {"N": "1"}},
         {"pk": {"S": "changed"}, "v": {"N": "2"}}),
        ("REMOVE", "gone", {"pk": {"S": "gone"}, "v": {"N": "1"}}, None),
        ("INSERT", "new", None, {"pk": {"S": "new"}})]


def test_transact_write_items_records(ddb, streams, stream_table):
    table, arn = stream_table()
    for pk in ("updated", "deleted", "checked", "same"):
        ddb.put_item(TableName=table, Item={"pk": {"S": pk}, "v": {"N": "1"}})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "put"}, "v": {"N": "1"}}}},
        {"Update": {"TableName": table, "Key": key("updated"), "UpdateExpression": "ADD v :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {"TableName": table, "Key": key("deleted")}},
        {"ConditionCheck": {"TableName": table, "Key": key("checked"),
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"Put": {"TableName": table, "Item": {"pk": {"S": "same"}, "v": {"N": "1"}}}},
        {"Delete": {"TableName": table, "Key": key("nobody")}}])
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "cancelled"}}}},
            {"ConditionCheck": {"TableName": table, "Key": key("checked"),
                                "ConditionExpression": "attribute_not_exists(pk)"}}])
    records = images(read_stream(streams, arn))[4:]
    assert sorted(records, key=lambda r: r[1]) == [
        ("REMOVE", "deleted", {"pk": {"S": "deleted"}, "v": {"N": "1"}}, None),
        ("INSERT", "put", None, {"pk": {"S": "put"}, "v": {"N": "1"}}),
        ("MODIFY", "updated", {"pk": {"S": "updated"}, "v": {"N": "1"}},
         {"pk": {"S": "updated"}, "v": {"N": "2"}})]


def test_index_maintenance_adds_no_records(ddb, streams, stream_table):
    table, arn = stream_table(
        "KEYS_ONLY",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "g": {"S": "G"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "g": {"S": "H"}})
    assert events(read_stream(streams, arn)) == [("INSERT", "a"), ("MODIFY", "a")]


def test_streams_across_disable_and_enable(ddb, streams, stream_table):
    """Writes while no stream is enabled reach no stream; the old stream keeps its records and
    the new one starts empty."""
    table, first = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item=key("before"))
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    ddb.put_item(TableName=table, Item=key("between"))
    ddb.update_table(TableName=table, StreamSpecification=enabled("NEW_IMAGE"))
    second = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    assert read_stream(streams, second) == []
    ddb.put_item(TableName=table, Item=key("after"))
    assert events(read_stream(streams, first)) == [("INSERT", "before")]
    records = read_stream(streams, second)
    assert images(records) == [("INSERT", "after", None, key("after"))]
    assert records[0]["dynamodb"]["StreamViewType"] == "NEW_IMAGE"


def test_stream_of_a_deleted_table_stays_readable(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item=key("a"))
    ddb.delete_table(TableName=table)
    assert events(read_stream(streams, arn)) == [("INSERT", "a")]
    shard = shards(streams, arn)[-1]
    assert "EndingSequenceNumber" in shard["SequenceNumberRange"]

