"""DynamoDB Streams on the table side: StreamSpecification in CreateTable and UpdateTable, and the
stream members of the table description.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamDescription.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html (#Streams.Enabling)
  1. StreamSpecification is {StreamEnabled (required), StreamViewType}; StreamViewType is one of
     NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY, required when StreamEnabled is true and
     not allowed when it is false. The specification is checked after the rest of CreateTable's
     validation and before UpdateTable's state checks;
  2. StreamEnabled true creates a stream: the description carries StreamSpecification (as given),
     LatestStreamLabel (the stream's creation time, ISO 8601 with milliseconds, UTC) and
     LatestStreamArn (TableArn + "/stream/" + LatestStreamLabel). StreamEnabled false on
     CreateTable creates none, and the description has none of the three members;
  3. UpdateTable may enable a stream only when none is enabled (so the view type of an enabled
     stream cannot change) and disable one only when one is enabled; stream changes do not
     combine with throughput changes;
  4. disabling removes StreamSpecification from the description but keeps LatestStreamArn and
     LatestStreamLabel; the old stream is DISABLED. Enabling again creates a new stream with a
     new label and ARN. Deleting the table disables its stream, which stays described and
     listed (for 24 hours, by the DeleteTable page).
Records and the Streams API itself are in test_streams_api.py. Errors are DynamoDB Local's,
verbatim; where DynamoDB Local departs from the documentation the test is dunlin_only and
follows the documentation (see docs/notes-oracle-streams.md).
"""

import datetime
import re
import time

import pytest

from conftest import unique_table_name
from expect import TABLE_NOT_FOUND, expect_error, expect_raw_error, expect_validation

VIEW_TYPES = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]
VIEW_TYPE_REQUIRED = ("Invalid StreamViewType: Stream ViewType must not be null or empty when "
                      "enabling streams.")
VIEW_TYPE_WHEN_DISABLED = ("Invalid StreamViewType: Stream StreamEnabled was false but a "
                           "StreamViewType was present.")
ENABLED_NULL = "Stream StreamEnabled was null"
ALREADY_ENABLED = "Table already has an enabled stream"
NOTHING_TO_DISABLE = "Table has no stream to disable"
IOPS_AND_STREAMS = "Cannot change IOPS and Streams at the same time."
NO_TABLE_THROUGHPUT = "No provisioned throughput specified for the table"
EMPTY_GSI_LIST = "GSI list is empty/invalid"
ENUM_CONSTRAINT = "Member must satisfy enum value set"
LABEL_PATTERN = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}"
STREAM_MEMBERS = ("StreamSpecification", "LatestStreamArn", "LatestStreamLabel")
CLOCK_SLACK_SECONDS = 5.0
STATUS_WAIT_SECONDS = 10.0

BAD_SPECS = [
    ({"StreamEnabled": True}, VIEW_TYPE_REQUIRED),
    ({"StreamEnabled": True, "StreamViewType": ""}, VIEW_TYPE_REQUIRED),
    ({"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"}, VIEW_TYPE_WHEN_DISABLED),
    ({"StreamEnabled": False, "StreamViewType": ""}, VIEW_TYPE_WHEN_DISABLED),
    ({}, ENABLED_NULL),
    ({"StreamViewType": "NEW_IMAGE"}, ENABLED_NULL),
]
BAD_SPEC_IDS = ["no-type", "empty-type", "disabled-with-type", "disabled-with-empty-type",
                "empty", "type-only"]


def enabled(view_type):
    return {"StreamEnabled": True, "StreamViewType": view_type}


DISABLED = {"StreamEnabled": False}


def create_args(name, **extra):
    args = {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}
    args.update(extra)
    return {k: v for k, v in args.items() if v is not None}


def describe(ddb, table):
    return ddb.describe_table(TableName=table)["Table"]


def stream_members(description):
    return {k: description[k] for k in STREAM_MEMBERS if k in description}


def label_seconds(label):
    """Seconds since the epoch of a stream label read as UTC."""
    moment = datetime.datetime.strptime(label, "%Y-%m-%dT%H:%M:%S.%f")
    return moment.replace(tzinfo=datetime.timezone.utc).timestamp()


def assert_stream_members(description, view_type, started, finished):
    """The description names an enabled stream of view_type created between started and
    finished (epoch seconds)."""
    assert description["StreamSpecification"] == enabled(view_type)
    label = description["LatestStreamLabel"]
    assert re.fullmatch(LABEL_PATTERN, label), label
    assert started - CLOCK_SLACK_SECONDS <= label_seconds(label) <= finished + CLOCK_SLACK_SECONDS
    assert description["LatestStreamArn"] == description["TableArn"] + "/stream/" + label


def wait_stream_status(streams, arn, status):
    """Polls DescribeStream (every 50 ms, at most 10 s) until StreamStatus is `status` (DynamoDB
    passes through ENABLING and DISABLING first); returns the last status seen."""
    deadline = time.monotonic() + STATUS_WAIT_SECONDS
    while True:
        seen = streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"]
        if seen == status or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


def table_streams(streams, table):
    """ARNs of every stream ListStreams gives for the table (following LastEvaluatedStreamArn)."""
    arns, start = [], None
    while True:
        args = {"TableName": table}
        if start:
            args["ExclusiveStartStreamArn"] = start
        page = streams.list_streams(**args)
        arns += [entry["StreamArn"] for entry in page["Streams"]]
        start = page.get("LastEvaluatedStreamArn")
        if not start:
            return arns


@pytest.fixture
def plain(table_factory):
    """A PAY_PER_REQUEST table keyed by pk (S) without a stream."""
    return table_factory()


@pytest.fixture
def streamed(table_factory):
    """A PAY_PER_REQUEST table keyed by pk (S) with a KEYS_ONLY stream."""
    return table_factory(StreamSpecification=enabled("KEYS_ONLY"))


# --- CreateTable ---------------------------------------------------------------------------

@pytest.mark.parametrize("view_type", VIEW_TYPES)
def test_create_with_stream(ddb, table_factory, view_type):
    name = unique_table_name()
    started = time.time()
    created = ddb.create_table(**create_args(name, StreamSpecification=enabled(view_type)))
    finished = time.time()
    table_factory.adopt(name)
    assert_stream_members(created["TableDescription"], view_type, started, finished)
    described = describe(ddb, name)
    assert stream_members(described) == stream_members(created["TableDescription"])


def test_create_label_is_the_table_creation_time(ddb, table_factory):
    """The label of a stream created with its table is the table's CreationDateTime."""
    table = table_factory(StreamSpecification=enabled("NEW_IMAGE"))
    description = describe(ddb, table)
    created = description["CreationDateTime"].timestamp()
    assert abs(label_seconds(description["LatestStreamLabel"]) - created) < 1.0


def test_create_with_stream_disabled(ddb, table_factory):
    name = unique_table_name()
    created = ddb.create_table(**create_args(name, StreamSpecification=DISABLED))
    table_factory.adopt(name)
    assert stream_members(created["TableDescription"]) == {}
    assert stream_members(describe(ddb, name)) == {}


def test_create_without_stream_specification(ddb, plain):
    assert stream_members(describe(ddb, plain)) == {}


@pytest.mark.parametrize("spec,message", BAD_SPECS, ids=BAD_SPEC_IDS)
def test_create_rejects_bad_specification(ddb, spec, message):
    name = unique_table_name()
    expect_validation(ddb.create_table, message, **create_args(name, StreamSpecification=spec))
    expect_error(ddb.describe_table, "ResourceNotFoundException", TABLE_NOT_FOUND, TableName=name)


def test_create_checks_specification_after_throughput(ddb):
    expect_validation(ddb.create_table, NO_TABLE_THROUGHPUT, **create_args(
        unique_table_name(), BillingMode=None, StreamSpecification={"StreamEnabled": True}))


def test_create_checks_specification_after_indexes(ddb):
    expect_validation(ddb.create_table, EMPTY_GSI_LIST, **create_args(
        unique_table_name(), GlobalSecondaryIndexes=[], StreamSpecification={}))


def test_create_checks_specification_before_existence(ddb, plain):
    expect_validation(ddb.create_table, VIEW_TYPE_REQUIRED,
                      **create_args(plain, StreamSpecification={"StreamEnabled": True}))


@pytest.mark.dunlin_only("DynamoDB Local accepts an unknown StreamViewType (and describes it as "
                         "UNKNOWN_TO_SDK_VERSION); API_StreamSpecification lists the valid values")
@pytest.mark.parametrize("view_type", ["BAD", "new_image", "KEYS ONLY"])
def test_create_rejects_unknown_view_type(ddb, view_type):
    name = unique_table_name()
    expect_validation(ddb.create_table, contains=ENUM_CONSTRAINT,
                      **create_args(name, StreamSpecification=enabled(view_type)))
    expect_error(ddb.describe_table, "ResourceNotFoundException", TABLE_NOT_FOUND, TableName=name)


def test_create_stream_enabled_not_boolean(raw, target):
    """A string StreamEnabled: 500 InternalFailure on DynamoDB Local, 400
    SerializationException on DynamoDB (Common Errors page of the API reference)."""
    response = raw.request("CreateTable", create_args(
        unique_table_name(), StreamSpecification={"StreamEnabled": "yes",
                                                  "StreamViewType": "KEYS_ONLY"}))
    if target == "ddblocal":
        expect_raw_error(response, 500, "InternalFailure")
    else:
        expect_raw_error(response, 400, "SerializationException")


# --- UpdateTable ---------------------------------------------------------------------------

@pytest.mark.parametrize("view_type", VIEW_TYPES)
def test_update_enables_stream(ddb, streams, plain, view_type):
    started = time.time()
    updated = ddb.update_table(TableName=plain, StreamSpecification=enabled(view_type))
    finished = time.time()
    assert_stream_members(updated["TableDescription"], view_type, started, finished)
    described = describe(ddb, plain)
    assert stream_members(described) == stream_members(updated["TableDescription"])
    arn = described["LatestStreamArn"]
    assert wait_stream_status(streams, arn, "ENABLED") == "ENABLED"


@pytest.mark.parametrize("view_type", VIEW_TYPES)
def test_update_cannot_enable_twice_or_change_view_type(ddb, streamed, view_type):
    before = stream_members(describe(ddb, streamed))
    expect_validation(ddb.update_table, ALREADY_ENABLED, TableName=streamed,
                      StreamSpecification=enabled(view_type))
    assert stream_members(describe(ddb, streamed)) == before


def test_update_disable_without_stream(ddb, plain):
    expect_validation(ddb.update_table, NOTHING_TO_DISABLE, TableName=plain,
                      StreamSpecification=DISABLED)
    assert stream_members(describe(ddb, plain)) == {}


def test_update_disable_twice(ddb, streamed):
    ddb.update_table(TableName=streamed, StreamSpecification=DISABLED)
    expect_validation(ddb.update_table, NOTHING_TO_DISABLE, TableName=streamed,
                      StreamSpecification=DISABLED)


@pytest.mark.parametrize("spec,message", BAD_SPECS, ids=BAD_SPEC_IDS)
def test_update_rejects_bad_specification_without_stream(ddb, plain, spec, message):
    expect_validation(ddb.update_table, message, TableName=plain, StreamSpecification=spec)
    assert stream_members(describe(ddb, plain)) == {}


@pytest.mark.parametrize("spec,message", BAD_SPECS, ids=BAD_SPEC_IDS)
def test_update_rejects_bad_specification_with_stream(ddb, streamed, spec, message):
    """The specification's own faults come before "already has an enabled stream"."""
    before = stream_members(describe(ddb, streamed))
    expect_validation(ddb.update_table, message, TableName=streamed, StreamSpecification=spec)
    assert stream_members(describe(ddb, streamed)) == before


def test_update_missing_table_comes_first(ddb):
    for spec in ({"StreamEnabled": True}, {}, DISABLED):
        expect_error(ddb.update_table, "ResourceNotFoundException", TABLE_NOT_FOUND,
                     TableName=unique_table_name(), StreamSpecification=spec)


@pytest.mark.parametrize("spec", [enabled("KEYS_ONLY"), DISABLED, {"StreamEnabled": True}],
                         ids=["enable", "disable", "bad-spec"])
def test_update_stream_with_throughput(ddb, table_factory, spec):
    table = table_factory(ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                 "WriteCapacityUnits": 1})
    expect_validation(ddb.update_table, IOPS_AND_STREAMS, TableName=table,
                      StreamSpecification=spec,
                      ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2})
    description = describe(ddb, table)
    assert stream_members(description) == {}
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 1


@pytest.mark.dunlin_only("DynamoDB Local accepts an unknown StreamViewType; "
                         "API_StreamSpecification lists the valid values")
def test_update_rejects_unknown_view_type(ddb, plain):
    expect_validation(ddb.update_table, contains=ENUM_CONSTRAINT, TableName=plain,
                      StreamSpecification=enabled("ALL"))
    assert stream_members(describe(ddb, plain)) == {}


# --- Disable, enable again, delete ---------------------------------------------------------

def test_disable_keeps_latest_stream(ddb, streams, streamed):
    before = describe(ddb, streamed)
    updated = ddb.update_table(TableName=streamed, StreamSpecification=DISABLED)
    expected = {"LatestStreamArn": before["LatestStreamArn"],
                "LatestStreamLabel": before["LatestStreamLabel"]}
    assert stream_members(updated["TableDescription"]) == expected
    assert stream_members(describe(ddb, streamed)) == expected
    assert wait_stream_status(streams, before["LatestStreamArn"], "DISABLED") == "DISABLED"


def test_enable_again_gives_a_new_stream(ddb, streams, streamed):
    first = describe(ddb, streamed)
    ddb.update_table(TableName=streamed, StreamSpecification=DISABLED)
    started = time.time()
    ddb.update_table(TableName=streamed, StreamSpecification=enabled("NEW_AND_OLD_IMAGES"))
    second = describe(ddb, streamed)
    assert_stream_members(second, "NEW_AND_OLD_IMAGES", started, time.time())
    assert second["LatestStreamArn"] != first["LatestStreamArn"]
    assert second["LatestStreamLabel"] > first["LatestStreamLabel"]
    assert wait_stream_status(streams, second["LatestStreamArn"], "ENABLED") == "ENABLED"
    old = streams.describe_stream(StreamArn=first["LatestStreamArn"])["StreamDescription"]
    assert (old["StreamStatus"], old["StreamViewType"]) == ("DISABLED", "KEYS_ONLY")
    assert sorted(table_streams(streams, streamed)) == sorted(
        [first["LatestStreamArn"], second["LatestStreamArn"]])


def test_each_enable_gives_a_distinct_stream(ddb, streams, streamed):
    arns = [describe(ddb, streamed)["LatestStreamArn"]]
    for view_type in ("NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"):
        ddb.update_table(TableName=streamed, StreamSpecification=DISABLED)
        ddb.update_table(TableName=streamed, StreamSpecification=enabled(view_type))
        arns.append(describe(ddb, streamed)["LatestStreamArn"])
    assert len(set(arns)) == 4
    assert sorted(table_streams(streams, streamed)) == sorted(arns)


def test_delete_table_disables_its_stream(ddb, streams, table_factory):
    table = table_factory(StreamSpecification=enabled("NEW_IMAGE"))
    arn = describe(ddb, table)["LatestStreamArn"]
    ddb.delete_table(TableName=table)
    assert wait_stream_status(streams, arn, "DISABLED") == "DISABLED"
    assert table_streams(streams, table) == [arn]
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert (description["TableName"], description["StreamViewType"]) == (table, "NEW_IMAGE")


def test_recreated_table_gets_a_new_stream(ddb, streams, table_factory):
    name = unique_table_name()
    table_factory(name=name, StreamSpecification=enabled("KEYS_ONLY"))
    first = describe(ddb, name)["LatestStreamArn"]
    ddb.delete_table(TableName=name)
    table_factory(name=name, StreamSpecification=enabled("KEYS_ONLY"))
    second = describe(ddb, name)["LatestStreamArn"]
    assert second != first
    assert sorted(table_streams(streams, name)) == sorted([first, second])
    assert wait_stream_status(streams, first, "DISABLED") == "DISABLED"
    assert wait_stream_status(streams, second, "ENABLED") == "ENABLED"

