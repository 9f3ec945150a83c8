"""DynamoDB Streams over time: iterator expiry, trimming past the retention period, shard
rollover with parent lineage, and streams across a restart.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
(an iterator expires 15 minutes after it is returned)
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html (records are
kept 24 hours; shards are closed and replaced by child shards, ParentShardId gives lineage)
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
(TrimmedDataAccessException for records past the trim horizon)

DynamoDB Local never trims, never rolls shards and cannot be restarted in memory, and these
periods take minutes to hours on DynamoDB; the tests run on Dunlin servers started with short
periods (--stream-iterator-lifetime-s, --stream-retention-s, --stream-shard-roll-s).
"""
import time

import pytest

from conftest import DunlinProcess, make_client, unique_table_name
from expect import expect_error
from stream_reading import enabled, events, iterator, key, read, read_stream, shards

pytestmark = pytest.mark.dunlin_only("starts Dunlin servers with short stream periods")

TRIMMED = "TrimmedDataAccessException"
POLL_SECONDS = 0.1


def start(dunlin_bin, data_dir, *flags):
    server = DunlinProcess(dunlin_bin, str(data_dir), extra_args=list(flags)).start()
    return server, make_client(server.endpoint), make_client(server.endpoint,
                                                             service="dynamodbstreams")


def stream_table(ddb):
    name = unique_table_name("st")
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST", StreamSpecification=enabled("NEW_IMAGE"))
    return name, ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(POLL_SECONDS)
    return condition()


def test_iterators_expire(dunlin_bin, tmp_path):
    server, ddb, streams = start(dunlin_bin, tmp_path / "data", "--stream-iterator-lifetime-s", "1")
    try:
        table, arn = stream_table(ddb)
        ddb.put_item(TableName=table, Item=key("a"))
        shard_id = shards(streams, arn)[0]["ShardId"]
        fresh = iterator(streams, arn, shard_id)
        page = streams.get_records(ShardIterator=fresh)
        assert events(page["Records"]) == [("INSERT", "a")]
        time.sleep(1.2)
        expect_error(streams.get_records, "ExpiredIteratorException", ShardIterator=fresh)
        expect_error(streams.get_records, "ExpiredIteratorException",
                     ShardIterator=page["NextShardIterator"])
        # A new iterator reads on.
        ddb.put_item(TableName=table, Item=key("b"))
        assert events(read(streams, iterator(streams, arn, shard_id))) == [
            ("INSERT", "a"), ("INSERT", "b")]
    finally:
        server.stop()


def test_records_past_retention_are_trimmed(dunlin_bin, tmp_path):
    server, ddb, streams = start(dunlin_bin, tmp_path / "data", "--stream-retention-s", "2")
    try:
        table, arn = stream_table(ddb)
        ddb.put_item(TableName=table, Item=key("old"))
        shard_id = shards(streams, arn)[0]["ShardId"]
        old_iterator = iterator(streams, arn, shard_id)
        old = read(streams, old_iterator)
        assert events(old) == [("INSERT", "old")]
        sequence = old[0]["dynamodb"]["SequenceNumber"]

        def trimmed():
            try:
                iterator(streams, arn, shard_id, "AT_SEQUENCE_NUMBER", sequence)
                return False
            except streams.exceptions.TrimmedDataAccessException:
                return True
        assert wait_for(trimmed, 6), "the record was not trimmed within 6 s"
        expect_error(streams.get_records, TRIMMED, ShardIterator=old_iterator)
        ddb.put_item(TableName=table, Item=key("new"))
        assert events(read_stream(streams, arn)) == [("INSERT", "new")]
    finally:
        server.stop()


def test_shards_roll_over_with_lineage(dunlin_bin, tmp_path):
    server, ddb, streams = start(dunlin_bin, tmp_path / "data", "--stream-shard-roll-s", "1")
    try:
        table, arn = stream_table(ddb)
        ddb.put_item(TableName=table, Item=key("a"))
        assert wait_for(lambda: len(shards(streams, arn)) >= 2, 5), "no second shard"
        ddb.put_item(TableName=table, Item=key("b"))
        listed = shards(streams, arn)
        first, second = listed[0], listed[1]
        assert "ParentShardId" not in first
        assert second["ParentShardId"] == first["ShardId"]
        first_range, second_range = first["SequenceNumberRange"], second["SequenceNumberRange"]
        assert int(first_range["EndingSequenceNumber"]) < int(
            second_range["StartingSequenceNumber"])
        assert events(read(streams, iterator(streams, arn, first["ShardId"]))) == [
            ("INSERT", "a")]
        # The records in order across the shards, each once.
        assert events(read_stream(streams, arn)) == [("INSERT", "a"), ("INSERT", "b")]
        for shard in listed[:-1]:
            assert "EndingSequenceNumber" in shard["SequenceNumberRange"]
    finally:
        server.stop()


def test_streams_survive_a_restart(dunlin_bin, tmp_path):
    data_dir = tmp_path / "data"
    server, ddb, streams = start(dunlin_bin, data_dir)
    table, arn = stream_table(ddb)
    ddb.put_item(TableName=table, Item=key("a"))
    before = read_stream(streams, arn)
    server.kill()
    server, ddb, streams = start(dunlin_bin, data_dir)
    try:
        ddb.put_item(TableName=table, Item=key("b"))
        after = read_stream(streams, arn)
        assert events(after) == [("INSERT", "a"), ("INSERT", "b")]
        assert after[0] == before[0]
        assert int(after[1]["dynamodb"]["SequenceNumber"]) > int(
            after[0]["dynamodb"]["SequenceNumber"])
        # Disabled after the restart: the shard closes at the last record.
        ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
        shard = shards(streams, arn)[-1]
        assert shard["SequenceNumberRange"]["EndingSequenceNumber"] == after[1]["dynamodb"][
            "SequenceNumber"]
    finally:
        server.stop()
