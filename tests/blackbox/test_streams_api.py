"""The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator and GetRecords.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamDescription.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Shard.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
  1. the Streams API shares the endpoint; its X-Amz-Target prefix is DynamoDBStreams_20120810,
     and neither prefix reaches the other API's operations;
  2. ListStreams lists {StreamArn, TableName, StreamLabel} for every stream (or one table's),
     Limit 1..100, paged by LastEvaluatedStreamArn / ExclusiveStartStreamArn; disabled
     streams stay listed;
  3. DescribeStream gives StreamArn, StreamLabel, StreamStatus, StreamViewType,
     CreationRequestDateTime, TableName, KeySchema and Shards ({ShardId, SequenceNumberRange,
     ParentShardId?}), Limit 1..100 shards paged by ExclusiveStartShardId; a shard is open
     until its stream is disabled, then its EndingSequenceNumber is the sequence number of
     its last record;
  4. GetShardIterator: TRIM_HORIZON (the oldest record), LATEST (just after the newest),
     AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER (SequenceNumber, 21..40 characters, required
     for these two and refused for the others, and within the shard's range); errors are
     checked in this order: ShardId present, the SequenceNumber rules of the iterator type,
     StreamArn present, stream exists, shard exists, SequenceNumber in the shard;
  5. GetRecords returns at most Limit (1..1000, default 1000) records and 1 MB, and a
     NextShardIterator, absent once a closed shard has been read to its end; an iterator can
     be read more than once.
An iterator expires after 15 minutes (ExpiredIteratorException) and records are trimmed after
24 hours (TrimmedDataAccessException): neither can be reached by a fast test; see
docs/notes-oracle-streams.md. Records themselves are in test_streams_records.py. Errors are
DynamoDB Local's, verbatim; where DynamoDB Local departs from the documentation the test is
dunlin_only and follows the documentation.
"""

import re
import time

import pytest

from conftest import unique_table_name
from expect import expect_error, expect_raw_error, expect_validation
from stream_reading import (events, iterator, key, make_stream_table, read, read_stream,
                            sequence_numbers, shards, stream_request)

STREAM_NOT_FOUND = "Requested resource not found: Stream: {} not found"
STREAM_ARN_MISSING = "Invalid StreamArn"
GSI_STREAM_NOT_FOUND = "Stream does not exist"
SHARD_NOT_FOUND = "Shard does not exist"
SHARD_ID_MISSING = "No ShardId specified."
GSI_ARN_MISSING = "One or more parameter values were invalid: streamArn cannot be empty or null."
SEQUENCE_REQUIRED = "One or more parameter values were invalid: Invalid SequenceNumber"
SEQUENCE_NOT_ALLOWED = ("One or more parameter values were invalid: SequenceNumber should not be "
                        "passed for this iterator type")
SEQUENCE_OUT_OF_SHARD = "Invalid SequenceNumber for the shard"
BAD_ITERATOR = "Invalid ShardIterator"
LIMIT_AT_LEAST_ONE = ("1 validation error detected: Value '{}' at 'limit' failed to satisfy "
                      "constraint: Member must have value greater than or equal to 1")
LENGTH_AT_LEAST = ("1 validation error detected: Value '{}' at '{}' failed to satisfy "
                   "constraint: Member must have length greater than or equal to {}")
LENGTH_AT_MOST = ("1 validation error detected: Value '{}' at '{}' failed to satisfy "
                  "constraint: Member must have length less than or equal to {}")
LIST_LIMIT_MAX = ("One or more parameter values were invalid: Limit cannot be greater than the "
                  "maximum allowed size: 100")
DESCRIBE_LIMIT_MAX = ("One or more parameter values were invalid: Limit cannot be greater than "
                      "the maximum: 100")
RECORDS_LIMIT_MAX = ("One or more parameter values were invalid: Limit should be less than or "
                     "equal to 1000")
UNKNOWN_OPERATION = "An unknown operation was requested."
ENUM_CONSTRAINT = "Member must satisfy enum value set"
SHARD_ID_PATTERN = r"shardId-\d{20}-[0-9a-f]{8}"
UNKNOWN_SHARD = "shardId-00000000000000000000-00000000"
ONE_MEGABYTE = 1024 * 1024


@pytest.fixture
def stream_table(ddb, table_factory):
    """stream_table(view_type, **create_args) returns (table name, stream ARN) of a new table
    keyed by pk (S) (or as create_args say) with a stream of view_type."""
    return lambda *args, **kwargs: make_stream_table(ddb, table_factory, *args, **kwargs)


# --- Dispatch ------------------------------------------------------------------------------

def test_streams_operations_have_their_own_target(raw):
    response = raw.request("ListStreams", {})
    expect_raw_error(response, 400, "UnknownOperationException", UNKNOWN_OPERATION)
    response = stream_request(raw, "ListTables", {})
    expect_raw_error(response, 400, "UnknownOperationException", UNKNOWN_OPERATION)
    response = stream_request(raw, "ListStreams", {"Limit": 1})
    assert response.status == 200, response


# --- ListStreams ---------------------------------------------------------------------------

def test_list_streams_of_a_table(ddb, streams, stream_table, table_factory):
    table, arn = stream_table("KEYS_ONLY")
    label = ddb.describe_table(TableName=table)["Table"]["LatestStreamLabel"]
    page = streams.list_streams(TableName=table)
    page.pop("ResponseMetadata")
    assert page == {"Streams": [{"StreamArn": arn, "TableName": table, "StreamLabel": label}]}
    assert streams.list_streams(TableName=table_factory())["Streams"] == []
    assert streams.list_streams(TableName=unique_table_name())["Streams"] == []


def test_list_streams_of_all_tables(streams, stream_table):
    ours = {stream_table("KEYS_ONLY")[1], stream_table("NEW_IMAGE")[1]}
    seen, start = [], None
    while True:
        args = {"Limit": 2}
        if start:
            args["ExclusiveStartStreamArn"] = start
        page = streams.list_streams(**args)
        assert len(page["Streams"]) <= 2
        seen += [entry["StreamArn"] for entry in page["Streams"]]
        start = page.get("LastEvaluatedStreamArn")
        if not start:
            break
    assert len(seen) == len(set(seen))
    assert ours <= set(seen)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_list_streams_paging(ddb, streams, stream_table, limit):
    table, first = stream_table("KEYS_ONLY")
    arns = [first]
    for _ in range(2):
        ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
        ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": True,
                                                               "StreamViewType": "KEYS_ONLY"})
        arns.append(ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"])
    seen, start = [], None
    while True:
        args = {"TableName": table, "Limit": limit}
        if start:
            args["ExclusiveStartStreamArn"] = start
        page = streams.list_streams(**args)
        page_arns = [entry["StreamArn"] for entry in page["Streams"]]
        assert len(page_arns) <= limit
        seen += page_arns
        start = page.get("LastEvaluatedStreamArn")
        if not start:
            break
        assert start in page_arns
    assert sorted(seen) == sorted(arns)
    whole = streams.list_streams(TableName=table, Limit=5)
    assert "LastEvaluatedStreamArn" not in whole
    assert sorted(entry["StreamArn"] for entry in whole["Streams"]) == sorted(arns)


def test_list_streams_limit_bounds(streams):
    for limit in (0, -1):
        expect_validation(streams.list_streams, LIMIT_AT_LEAST_ONE.format(limit), Limit=limit)
    expect_validation(streams.list_streams, LIST_LIMIT_MAX, Limit=101)
    expect_validation(streams.list_streams, LIST_LIMIT_MAX, Limit=101, TableName="missing")
    assert len(streams.list_streams(Limit=100)["Streams"]) <= 100


@pytest.mark.dunlin_only("DynamoDB Local answers a TableName outside 3..255 characters with an "
                         "empty list; API_streams_ListStreams gives the length constraint")
def test_list_streams_table_name_length(streams):
    expect_validation(streams.list_streams, contains="Member must have length greater than or "
                      "equal to 3", TableName="ab")


# --- DescribeStream ------------------------------------------------------------------------

@pytest.mark.parametrize("view_type", ["KEYS_ONLY", "NEW_AND_OLD_IMAGES"])
def test_describe_stream(ddb, streams, stream_table, view_type):
    table, arn = stream_table(view_type, range_key=("sk", "N"))
    description = ddb.describe_table(TableName=table)["Table"]
    response = streams.describe_stream(StreamArn=arn)
    response.pop("ResponseMetadata")
    stream = response.pop("StreamDescription")
    assert response == {}
    assert set(stream) == {"StreamArn", "StreamLabel", "StreamStatus", "StreamViewType",
                           "CreationRequestDateTime", "TableName", "KeySchema", "Shards"}
    assert stream["StreamArn"] == arn
    assert stream["StreamLabel"] == description["LatestStreamLabel"]
    assert (stream["StreamStatus"], stream["StreamViewType"]) == ("ENABLED", view_type)
    assert (stream["TableName"], stream["KeySchema"]) == (table, description["KeySchema"])
    created = stream["CreationRequestDateTime"].timestamp()
    assert abs(created - description["CreationDateTime"].timestamp()) < 1.0
    assert len(stream["Shards"]) >= 1
    for shard in stream["Shards"]:
        assert set(shard) <= {"ShardId", "SequenceNumberRange", "ParentShardId"}
        assert re.fullmatch(SHARD_ID_PATTERN, shard["ShardId"]), shard
        start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
        assert start.isdigit() and 21 <= len(start) <= 40, start
    first = stream["Shards"][0]
    assert "ParentShardId" not in first
    assert set(first["SequenceNumberRange"]) == {"StartingSequenceNumber"}


def test_describe_stream_wire_shape(raw, stream_table):
    """CreationRequestDateTime is epoch seconds, a JSON number, like every DynamoDB time."""
    _, arn = stream_table()
    response = stream_request(raw, "DescribeStream", {"StreamArn": arn})
    assert response.status == 200, response
    assert response.headers["content-type"] == "application/x-amz-json-1.0"
    created = response.body["StreamDescription"]["CreationRequestDateTime"]
    assert isinstance(created, (int, float)) and abs(created - time.time()) < 60


def test_describe_stream_shard_paging(streams, stream_table):
    _, arn = stream_table()
    all_shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    one = streams.describe_stream(StreamArn=arn, Limit=1)["StreamDescription"]
    assert one["Shards"] == all_shards[:1]
    after_last = streams.describe_stream(StreamArn=arn,
                                         ExclusiveStartShardId=all_shards[-1]["ShardId"])
    assert after_last["StreamDescription"]["Shards"] == []
    assert "LastEvaluatedShardId" not in after_last["StreamDescription"]


def test_describe_stream_errors(ddb, streams, stream_table):
    table, arn = stream_table()
    missing = arn.replace("table/" + table + "/", "table/" + unique_table_name() + "/")
    expect_error(streams.describe_stream, "ResourceNotFoundException",
                 STREAM_NOT_FOUND.format(missing), StreamArn=missing)
    other_label = arn[:-3] + ("000" if not arn.endswith("000") else "001")
    expect_error(streams.describe_stream, "ResourceNotFoundException",
                 STREAM_NOT_FOUND.format(other_label), StreamArn=other_label)
    expect_validation(streams.describe_stream, STREAM_ARN_MISSING)
    for limit in (0, -5):
        expect_validation(streams.describe_stream, LIMIT_AT_LEAST_ONE.format(limit),
                          StreamArn=arn, Limit=limit)
    expect_validation(streams.describe_stream, DESCRIBE_LIMIT_MAX, StreamArn=arn, Limit=101)
    expect_validation(streams.describe_stream, DESCRIBE_LIMIT_MAX, StreamArn=missing, Limit=101)
    expect_validation(streams.describe_stream,
                      LENGTH_AT_LEAST.format("shard", "exclusiveStartShardId", 28),
                      StreamArn=arn, ExclusiveStartShardId="shard")


@pytest.mark.dunlin_only("DynamoDB Local answers a StreamArn shorter than 37 characters with "
                         "ResourceNotFoundException; API_streams_DescribeStream gives 37..1024")
def test_describe_stream_arn_length(streams):
    expect_validation(streams.describe_stream, contains="Member must have length greater than "
                      "or equal to 37", StreamArn="garbage")


def test_disabled_stream_has_a_closed_shard(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    for pk in ("a", "b"):
        ddb.put_item(TableName=table, Item=key(pk))
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    stream = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert stream["StreamStatus"] in ("DISABLING", "DISABLED")
    last = sequence_numbers(read_stream(streams, arn))[-1]
    shard_range = stream["Shards"][-1]["SequenceNumberRange"]
    assert shard_range["EndingSequenceNumber"] == last
    assert int(shard_range["StartingSequenceNumber"]) <= int(last)


# --- GetShardIterator ----------------------------------------------------------------------

def test_iterator_types(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    for pk in ("a", "b", "c"):
        ddb.put_item(TableName=table, Item=key(pk))
    shard_id = shards(streams, arn)[0]["ShardId"]
    trim = iterator(streams, arn, shard_id)
    latest = iterator(streams, arn, shard_id, "LATEST")
    assert isinstance(trim, str) and 1 <= len(trim) <= 2048
    records = read(streams, trim)
    assert events(records) == [("INSERT", "a"), ("INSERT", "b"), ("INSERT", "c")]
    numbers = sequence_numbers(records)
    at = iterator(streams, arn, shard_id, "AT_SEQUENCE_NUMBER", numbers[1])
    assert events(read(streams, at)) == [("INSERT", "b"), ("INSERT", "c")]
    after = iterator(streams, arn, shard_id, "AFTER_SEQUENCE_NUMBER", numbers[1])
    assert events(read(streams, after)) == [("INSERT", "c")]
    after_last = iterator(streams, arn, shard_id, "AFTER_SEQUENCE_NUMBER", numbers[-1])
    assert read(streams, after_last) == []
    assert read(streams, latest) == []
    ddb.put_item(TableName=table, Item=key("d"))
    assert events(read(streams, latest)) == [("INSERT", "d")]
    assert events(read(streams, after_last)) == [("INSERT", "d")]
    assert events(read(streams, trim)) == [("INSERT", pk) for pk in "abcd"]


def test_iterator_errors(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    other_table, other_arn = stream_table("KEYS_ONLY")
    shard_id = shards(streams, arn)[0]["ShardId"]
    missing = arn.replace("table/" + table + "/", "table/" + unique_table_name() + "/")
    call = streams.get_shard_iterator
    expect_error(call, "ResourceNotFoundException", GSI_STREAM_NOT_FOUND, StreamArn=missing,
                 ShardId=shard_id, ShardIteratorType="LATEST")
    expect_error(call, "ResourceNotFoundException", GSI_STREAM_NOT_FOUND, StreamArn=missing,
                 ShardId=UNKNOWN_SHARD, ShardIteratorType="LATEST")
    expect_error(call, "ResourceNotFoundException", SHARD_NOT_FOUND, StreamArn=arn,
                 ShardId=UNKNOWN_SHARD, ShardIteratorType="TRIM_HORIZON")
    expect_error(call, "ResourceNotFoundException", SHARD_NOT_FOUND, StreamArn=other_arn,
                 ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")
    expect_validation(call, SHARD_ID_MISSING, StreamArn=arn, ShardIteratorType="LATEST")
    expect_validation(call, SHARD_ID_MISSING, ShardIteratorType="LATEST")
    expect_validation(call, GSI_ARN_MISSING, ShardId=shard_id, ShardIteratorType="LATEST")
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        expect_validation(call, SEQUENCE_REQUIRED, StreamArn=arn, ShardId=shard_id,
                          ShardIteratorType=kind)
        expect_validation(call, SEQUENCE_REQUIRED, StreamArn=missing, ShardId=UNKNOWN_SHARD,
                          ShardIteratorType=kind)
    for kind in ("TRIM_HORIZON", "LATEST"):
        expect_validation(call, SEQUENCE_NOT_ALLOWED, StreamArn=arn, ShardId=shard_id,
                          ShardIteratorType=kind, SequenceNumber="0" * 21)
        expect_validation(call, SEQUENCE_NOT_ALLOWED, StreamArn=missing, ShardId=shard_id,
                          ShardIteratorType=kind, SequenceNumber="0" * 21)


def test_iterator_check_order(streams):
    """ShardId present, then the SequenceNumber rules, then StreamArn present."""
    call = streams.get_shard_iterator
    expect_validation(call, SHARD_ID_MISSING, StreamArn="arn", ShardIteratorType="TRIM_HORIZON",
                      SequenceNumber="0" * 21)
    expect_validation(call, SHARD_ID_MISSING, ShardIteratorType="AT_SEQUENCE_NUMBER",
                      SequenceNumber="1")
    expect_validation(call, SEQUENCE_REQUIRED, ShardId=UNKNOWN_SHARD,
                      ShardIteratorType="AT_SEQUENCE_NUMBER")
    expect_validation(call, SEQUENCE_NOT_ALLOWED, ShardId=UNKNOWN_SHARD,
                      ShardIteratorType="LATEST", SequenceNumber="1")
    expect_validation(call, LENGTH_AT_LEAST.format("12", "sequenceNumber", 21),
                      ShardId=UNKNOWN_SHARD, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                      SequenceNumber="12")
    expect_validation(call, GSI_ARN_MISSING, ShardId=UNKNOWN_SHARD,
                      ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber="0" * 21)


def test_iterator_sequence_number_checks(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item=key("a"))
    shard_id = shards(streams, arn)[0]["ShardId"]
    call = streams.get_shard_iterator
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        args = {"StreamArn": arn, "ShardId": shard_id, "ShardIteratorType": kind}
        for short in ("1", "abc", "0" * 20):
            expect_validation(call, LENGTH_AT_LEAST.format(short, "sequenceNumber", 21),
                              SequenceNumber=short, **args)
        expect_validation(call, LENGTH_AT_MOST.format("0" * 41, "sequenceNumber", 40),
                          SequenceNumber="0" * 41, **args)
        for below in ("0" * 21, "0" * 40):
            expect_validation(call, SEQUENCE_OUT_OF_SHARD, SequenceNumber=below, **args)
        expect_error(call, "ResourceNotFoundException", SHARD_NOT_FOUND, SequenceNumber="0" * 21,
                     **dict(args, ShardId=UNKNOWN_SHARD))


def test_iterator_beyond_a_closed_shard(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item=key("a"))
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    shard = shards(streams, arn)[-1]
    end = shard["SequenceNumberRange"]["EndingSequenceNumber"]
    beyond = str(int(end) + 1).zfill(len(end))
    expect_validation(streams.get_shard_iterator, SEQUENCE_OUT_OF_SHARD, StreamArn=arn,
                      ShardId=shard["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
                      SequenceNumber=beyond)
    at_end = iterator(streams, arn, shard["ShardId"], "AT_SEQUENCE_NUMBER", end)
    assert events(read(streams, at_end)) == [("INSERT", "a")]


def test_iterator_type_invalid_or_missing(raw, target, stream_table, streams):
    """An unknown or missing ShardIteratorType: 500 InternalFailure on DynamoDB Local, a 400
    ValidationException on DynamoDB (the enum and required member of
    API_streams_GetShardIterator)."""
    _, arn = stream_table()
    shard_id = shards(streams, arn)[0]["ShardId"]
    body = {"StreamArn": arn, "ShardId": shard_id}
    for extra, wording in (({"ShardIteratorType": "OLDEST"}, ENUM_CONSTRAINT),
                           ({}, "Member must not be null")):
        response = stream_request(raw, "GetShardIterator", dict(body, **extra))
        if target == "ddblocal":
            expect_raw_error(response, 500, "InternalFailure")
        else:
            expect_raw_error(response, 400, "ValidationException", contains=wording)


@pytest.mark.dunlin_only("DynamoDB Local answers a ShardId shorter than 28 characters with "
                         "ResourceNotFoundException; API_streams_GetShardIterator gives 28..65")
def test_iterator_shard_id_length(streams, stream_table):
    _, arn = stream_table()
    expect_validation(streams.get_shard_iterator, contains="Member must have length greater "
                      "than or equal to 28", StreamArn=arn, ShardId="shardId-1",
                      ShardIteratorType="LATEST")


# --- GetRecords: paging, limits, iterators -------------------------------------------------

def test_get_records_limit_pages(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    for pk in "abcde":
        ddb.put_item(TableName=table, Item=key(pk))
    shard_iterator = iterator(streams, arn, shards(streams, arn)[0]["ShardId"])
    sizes, seen = [], []
    while True:
        page = streams.get_records(ShardIterator=shard_iterator, Limit=2)
        if not page["Records"]:
            break
        sizes.append(len(page["Records"]))
        seen += events(page["Records"])
        shard_iterator = page["NextShardIterator"]
    assert sizes == [2, 2, 1]
    assert seen == [("INSERT", pk) for pk in "abcde"]
    page = streams.get_records(ShardIterator=shard_iterator)
    assert page["Records"] == [] and page["NextShardIterator"]


def test_get_records_default_limit_is_1000(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    for start in range(0, 1100, 25):
        ddb.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": key(f"k{i:05d}")}} for i in range(start, start + 25)]})
    shard_iterator = iterator(streams, arn, shards(streams, arn)[0]["ShardId"])
    first = streams.get_records(ShardIterator=shard_iterator)
    assert len(first["Records"]) == 1000
    assert len(streams.get_records(ShardIterator=shard_iterator, Limit=1000)["Records"]) == 1000
    rest = read(streams, first["NextShardIterator"])
    keys = sorted(pk for _, pk in events(first["Records"] + rest))
    assert keys == [f"k{i:05d}" for i in range(1100)]


def test_get_records_limit_bounds_and_bad_iterators(streams, stream_table):
    _, arn = stream_table()
    shard_iterator = iterator(streams, arn, shards(streams, arn)[0]["ShardId"])
    for limit in (0, -1):
        expect_validation(streams.get_records, LIMIT_AT_LEAST_ONE.format(limit),
                          ShardIterator=shard_iterator, Limit=limit)
    expect_validation(streams.get_records, RECORDS_LIMIT_MAX, ShardIterator=shard_iterator,
                      Limit=1001)
    for bad in ("garbage", "", "x" * 2049, shard_iterator[:-6] + "AAAAAA"):
        expect_validation(streams.get_records, BAD_ITERATOR, ShardIterator=bad)
        expect_validation(streams.get_records, BAD_ITERATOR, ShardIterator=bad, Limit=1001)
    expect_validation(streams.get_records, BAD_ITERATOR)


def test_iterators_can_be_read_again(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item=key("a"))
    shard_iterator = iterator(streams, arn, shards(streams, arn)[0]["ShardId"])
    first = streams.get_records(ShardIterator=shard_iterator)["Records"]
    again = streams.get_records(ShardIterator=shard_iterator)["Records"]
    assert first == again and len(first) == 1


@pytest.mark.dunlin_only("DynamoDB Local returns every record in one page whatever its size; "
                         "API_streams_GetRecords: at most 1 MB of data or 1000 records")
def test_get_records_stops_at_one_megabyte(ddb, streams, stream_table):
    table, arn = stream_table("NEW_IMAGE")
    big = "x" * 390_000
    for pk in "abcd":
        ddb.put_item(TableName=table, Item={"pk": {"S": pk}, "v": {"S": big}})
    shard_iterator = iterator(streams, arn, shards(streams, arn)[0]["ShardId"])
    first = streams.get_records(ShardIterator=shard_iterator)
    assert 1 <= len(first["Records"]) < 4
    assert sum(r["dynamodb"]["SizeBytes"] for r in first["Records"]) <= ONE_MEGABYTE
    rest = read(streams, first["NextShardIterator"])
    assert events(first["Records"] + rest) == [("INSERT", pk) for pk in "abcd"]


def test_closed_shard_ends_without_next_iterator(ddb, streams, stream_table):
    table, arn = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item=key("a"))
    shard_id = shards(streams, arn)[0]["ShardId"]
    latest = iterator(streams, arn, shard_id, "LATEST")
    ddb.put_item(TableName=table, Item=key("b"))
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    page = streams.get_records(ShardIterator=latest)
    assert events(page["Records"]) == [("INSERT", "b")]
    assert "NextShardIterator" not in page
    trim = iterator(streams, arn, shard_id)
    page = streams.get_records(ShardIterator=trim, Limit=1)
    assert events(page["Records"]) == [("INSERT", "a")] and page["NextShardIterator"]
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert events(page["Records"]) == [("INSERT", "b")]
    assert "NextShardIterator" not in page

