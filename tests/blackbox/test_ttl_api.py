"""Time to Live settings: UpdateTimeToLive and DescribeTimeToLive.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TimeToLiveSpecification.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TimeToLiveDescription.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
  1. a table starts with TTL DISABLED; DescribeTimeToLive shows {TimeToLiveStatus} and, while
     TTL is ENABLED, AttributeName; a disabled table does not remember its old attribute;
  2. UpdateTimeToLive echoes the request as TimeToLiveSpecification {AttributeName, Enabled};
     the new status shows at once (no ENABLING/DISABLING on DynamoDB Local);
  3. checks, first fault wins: table name, table exists, TimeToLiveSpecification present,
     Enabled and AttributeName present, AttributeName 1..255 characters (only when enabling),
     then the state: enabling an enabled table ("already enabled", or "active on a different
     AttributeName" for another name), disabling a disabled table ("already disabled", whatever
     the name), disabling with another name ("active on a different AttributeName");
  4. the attribute name is a plain name, not a document path; key attributes are allowed;
  5. TTL settings do not appear in DescribeTable and go away with the table;
  6. TableName may be the table's ARN;
  7. a second change within the change interval (an hour on DynamoDB, `--ttl-change-interval-s`
     in Dunlin) is refused with "Time to live has been modified multiple times within a fixed
     interval"; the state checks of 3 come first. DynamoDB Local does not enforce the interval.
Errors are DynamoDB Local's, verbatim (docs/notes-oracle-ttl.md). Tests that change TTL more
than once on a table use `quick`, a server that allows it: the shared endpoint on ddblocal, a
Dunlin started with `--ttl-change-interval-s 0` otherwise.
"""

import time
from types import SimpleNamespace

import pytest

from conftest import DunlinProcess, RawClient, TableFactory, make_client
from expect import (INTERNAL_FAILURE, INVALID_TABLE_NAME, TABLE_NAME_NULL, TABLE_NOT_FOUND,
                    expect_error, expect_raw_error, expect_validation)

SPEC_NULL = "TimeToLiveSpecification cannot be null"
MEMBER_NULL = "AttributeName cannot be null when time to live is being enabled"
NAME_LENGTH = ("Names of key attributes and attributes projected into an index must be between 1 "
               "and 255 characters, inclusive")
ALREADY_ENABLED = "TimeToLive is already enabled"
ALREADY_DISABLED = "TimeToLive is already disabled"
OTHER_ATTRIBUTE = "TimeToLive is active on a different AttributeName"
CHANGED_TOO_OFTEN = "Time to live has been modified multiple times within a fixed interval"
# Dunlin's change interval in the test that watches it lapse.
SHORT_INTERVAL_SECONDS = 2


def spec(attribute_name="exp", enabled=True):
    """A TimeToLiveSpecification; None leaves a member out."""
    result = {}
    if attribute_name is not None:
        result["AttributeName"] = attribute_name
    if enabled is not None:
        result["Enabled"] = enabled
    return result


def update(raw, table, specification):
    return raw.request("UpdateTimeToLive", {"TableName": table,
                                            "TimeToLiveSpecification": specification})


def describe(raw, table):
    response = raw.request("DescribeTimeToLive", {"TableName": table})
    assert response.status == 200, response
    return response.body


def enabled_body(name):
    return {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": name}}


DISABLED_BODY = {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}


def expect_other_attribute(response, current):
    """DynamoDB Local says OTHER_ATTRIBUTE; the service is reported to add ': current
    AttributeName is <name>'. Either is accepted."""
    expect_raw_error(response, 400, "ValidationException")
    assert response.message in (OTHER_ATTRIBUTE,
                                f"{OTHER_ATTRIBUTE}: current AttributeName is {current}"), response


def expect_client_fault(response, target):
    """A member of the wrong JSON type: 500 InternalFailure on DynamoDB Local, 400
    SerializationException on DynamoDB (and so on Dunlin)."""
    if target == "ddblocal":
        expect_raw_error(response, 500, "InternalFailure", INTERNAL_FAILURE)
    else:
        expect_raw_error(response, 400, "SerializationException")


@pytest.fixture(scope="module")
def quick(request, target, dunlin_bin, tmp_path_factory):
    """Clients for a server on which TTL may change any number of times."""
    if target == "ddblocal":
        endpoint = request.getfixturevalue("endpoint")
        yield SimpleNamespace(ddb=make_client(endpoint), raw=RawClient(endpoint))
        return
    server = DunlinProcess(dunlin_bin, str(tmp_path_factory.mktemp("ttl-quick")),
                           extra_args=["--ttl-change-interval-s", "0"]).start()
    try:
        yield SimpleNamespace(ddb=make_client(server.endpoint), raw=RawClient(server.endpoint))
    finally:
        server.stop()


@pytest.fixture
def quick_table(quick):
    factory = TableFactory(quick.ddb, quick.raw)
    yield factory()
    factory.cleanup()


# --- DescribeTimeToLive ----------------------------------------------------------------------

def test_new_table_is_disabled(raw, table):
    assert describe(raw, table) == DISABLED_BODY


def test_describe_validation(raw):
    expect_raw_error(raw.request("DescribeTimeToLive", {}), 400, "ValidationException",
                     TABLE_NAME_NULL)
    for name in ("x", "a" * 256, "bad name!"):
        expect_raw_error(raw.request("DescribeTimeToLive", {"TableName": name}), 400,
                         "ValidationException", INVALID_TABLE_NAME)
    expect_raw_error(raw.request("DescribeTimeToLive", {"TableName": "no-such-ttl-table"}), 400,
                     "ResourceNotFoundException", TABLE_NOT_FOUND)


def test_describe_with_boto3(ddb, table):
    ddb.update_time_to_live(TableName=table, TimeToLiveSpecification=spec("expires_at"))
    response = ddb.describe_time_to_live(TableName=table)
    assert response["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED",
                                                 "AttributeName": "expires_at"}


# --- UpdateTimeToLive: success -----------------------------------------------------------------

def test_enable_echoes_the_specification(raw, table):
    response = update(raw, table, spec("expires_at"))
    assert (response.status, response.body) == (200, {"TimeToLiveSpecification": {
        "AttributeName": "expires_at", "Enabled": True}})
    assert describe(raw, table) == enabled_body("expires_at")


def test_disable_echoes_and_forgets_the_attribute(quick, quick_table):
    assert update(quick.raw, quick_table, spec("exp")).status == 200
    response = update(quick.raw, quick_table, spec("exp", False))
    assert (response.status, response.body) == (200, {"TimeToLiveSpecification": {
        "AttributeName": "exp", "Enabled": False}})
    assert describe(quick.raw, quick_table) == DISABLED_BODY
    # Enabled again, on another attribute.
    assert update(quick.raw, quick_table, spec("other")).status == 200
    assert describe(quick.raw, quick_table) == enabled_body("other")


def test_enable_disable_cycles(quick, quick_table):
    for name in ("a", "a", "b"):
        assert update(quick.raw, quick_table, spec(name)).status == 200
        assert describe(quick.raw, quick_table) == enabled_body(name)
        assert update(quick.raw, quick_table, spec(name, False)).status == 200
        assert describe(quick.raw, quick_table) == DISABLED_BODY


def test_longest_attribute_name(raw, table):
    name = "n" * 255
    assert update(raw, table, spec(name)).body == {"TimeToLiveSpecification": {
        "AttributeName": name, "Enabled": True}}
    assert describe(raw, table) == enabled_body(name)


@pytest.mark.parametrize("name", ["a.b", "x[0]", "#x", ":v", " padded ", "ünïcode", "exp-at_1"],
                         ids=["dot", "brackets", "hash", "colon", "spaces", "unicode", "plain"])
def test_attribute_name_is_taken_verbatim(raw, table, name):
    """The name is an attribute name, not a document path: every character is kept."""
    assert update(raw, table, spec(name)).body == {"TimeToLiveSpecification": {
        "AttributeName": name, "Enabled": True}}
    assert describe(raw, table) == enabled_body(name)


@pytest.mark.parametrize("key", ["pk", "sk"])
def test_key_attribute_may_be_the_ttl_attribute(raw, table_factory, key):
    table = table_factory(range_key=("sk", "N"))
    assert update(raw, table, spec(key)).status == 200
    assert describe(raw, table) == enabled_body(key)


def test_table_arn_is_accepted(ddb, raw, table):
    arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    assert describe(raw, arn) == DISABLED_BODY
    assert update(raw, arn, spec("exp")).status == 200
    assert describe(raw, table) == enabled_body("exp")
    assert describe(raw, arn) == enabled_body("exp")


def test_describe_table_is_unchanged(ddb, raw, table):
    before = ddb.describe_table(TableName=table)["Table"]
    assert update(raw, table, spec("exp")).status == 200
    assert ddb.describe_table(TableName=table)["Table"] == before


def test_settings_go_with_the_table(ddb, raw, table_factory):
    name = table_factory()
    assert update(raw, name, spec("exp")).status == 200
    ddb.delete_table(TableName=name)
    expect_raw_error(raw.request("DescribeTimeToLive", {"TableName": name}), 400,
                     "ResourceNotFoundException", TABLE_NOT_FOUND)
    table_factory(name=name)
    assert describe(raw, name) == DISABLED_BODY


def test_items_are_not_checked_against_the_ttl_attribute(ddb, raw, table):
    """Any type, or none, may sit in the TTL attribute; only expiry looks at it."""
    assert update(raw, table, spec("exp")).status == 200
    values = [{"S": "tomorrow"}, {"N": "-1"}, {"NS": ["1"]}, {"M": {"exp": {"N": "1"}}},
              {"BOOL": True}, {"NULL": True}, {"L": []}, {"B": "AQ=="}]
    for i, value in enumerate(values):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"i{i}"}, "exp": value})
    ddb.put_item(TableName=table, Item={"pk": {"S": "none"}})
    assert ddb.scan(TableName=table, Select="COUNT")["Count"] == len(values) + 1


# --- UpdateTimeToLive: validation ----------------------------------------------------------------

def test_missing_table_name(raw):
    response = raw.request("UpdateTimeToLive", {"TimeToLiveSpecification": spec()})
    expect_raw_error(response, 400, "ValidationException", TABLE_NAME_NULL)


def test_invalid_table_name(raw):
    for name in ("x", "a" * 256, "bad name!"):
        expect_raw_error(update(raw, name, spec()), 400, "ValidationException",
                         INVALID_TABLE_NAME)


def test_missing_table(ddb):
    expect_error(ddb.update_time_to_live, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="no-such-ttl-table", TimeToLiveSpecification=spec())


def test_table_checks_come_first(raw):
    """An invalid name, then a missing table, beat any fault of the specification."""
    expect_raw_error(update(raw, "x", spec("")), 400, "ValidationException", INVALID_TABLE_NAME)
    expect_raw_error(raw.request("UpdateTimeToLive", {"TableName": "x"}), 400,
                     "ValidationException", INVALID_TABLE_NAME)
    for specification in (spec(""), spec("a" * 256), {}):
        expect_raw_error(update(raw, "no-such-ttl-table", specification), 400,
                         "ResourceNotFoundException", TABLE_NOT_FOUND)
    expect_raw_error(raw.request("UpdateTimeToLive", {"TableName": "no-such-ttl-table"}), 400,
                     "ResourceNotFoundException", TABLE_NOT_FOUND)


def test_missing_specification(raw, table):
    expect_raw_error(raw.request("UpdateTimeToLive", {"TableName": table}), 400,
                     "ValidationException", SPEC_NULL)
    expect_raw_error(update(raw, table, None), 400, "ValidationException", SPEC_NULL)


@pytest.mark.parametrize("specification", [
    {}, spec(None, True), spec(None, False), spec("exp", None), spec("", None),
    {"AttributeName": None, "Enabled": True}, {"AttributeName": "exp", "Enabled": None}],
    ids=["empty", "enable-without-name", "disable-without-name", "without-enabled",
         "empty-name-without-enabled", "null-name", "null-enabled"])
def test_missing_members(raw, table, specification):
    """A missing Enabled or AttributeName gets one message, whatever is missing."""
    expect_raw_error(update(raw, table, specification), 400, "ValidationException",
                     MEMBER_NULL)
    assert describe(raw, table) == DISABLED_BODY


def test_missing_members_on_an_enabled_table(raw, table):
    assert update(raw, table, spec("exp")).status == 200
    for specification in (spec(None, False), spec("exp", None)):
        expect_raw_error(update(raw, table, specification), 400, "ValidationException",
                         MEMBER_NULL)
    assert describe(raw, table) == enabled_body("exp")


@pytest.mark.parametrize("name", ["", "a" * 256], ids=["empty", "256"])
def test_attribute_name_length_when_enabling(ddb, table, name):
    expect_validation(ddb.update_time_to_live, NAME_LENGTH, TableName=table,
                      TimeToLiveSpecification=spec(name))


@pytest.mark.parametrize("name", ["", "a" * 256], ids=["empty", "256"])
def test_length_is_checked_before_the_state(raw, table, name):
    assert update(raw, table, spec("exp")).status == 200
    expect_raw_error(update(raw, table, spec(name)), 400, "ValidationException", NAME_LENGTH)
    assert describe(raw, table) == enabled_body("exp")


@pytest.mark.parametrize("name", ["exp", "", "a" * 256], ids=["plain", "empty", "256"])
def test_disable_when_never_enabled(raw, table, name):
    """Disabling checks the state only: the name's length is not looked at."""
    expect_raw_error(update(raw, table, spec(name, False)), 400, "ValidationException",
                     ALREADY_DISABLED)


def test_disable_when_disabled_again(quick, quick_table):
    assert update(quick.raw, quick_table, spec("exp")).status == 200
    assert update(quick.raw, quick_table, spec("exp", False)).status == 200
    for name in ("exp", "other"):
        expect_raw_error(update(quick.raw, quick_table, spec(name, False)), 400,
                         "ValidationException", ALREADY_DISABLED)


def test_enable_when_enabled(ddb, table):
    ddb.update_time_to_live(TableName=table, TimeToLiveSpecification=spec("exp"))
    expect_validation(ddb.update_time_to_live, ALREADY_ENABLED, TableName=table,
                      TimeToLiveSpecification=spec("exp"))
    assert ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}


@pytest.mark.parametrize("enabled", [True, False], ids=["enable", "disable"])
def test_another_attribute_while_enabled(raw, table, enabled):
    """A rename is a disable (with the current name) followed by an enable."""
    assert update(raw, table, spec("exp")).status == 200
    for name in ("other", "EXP", "exp "):
        expect_other_attribute(update(raw, table, spec(name, enabled)), "exp")
    assert describe(raw, table) == enabled_body("exp")


@pytest.mark.parametrize("name", ["", "a" * 256], ids=["empty", "256"])
def test_disable_with_a_bad_name_while_enabled(raw, table, name):
    """No length check when disabling: the name is only compared with the current one."""
    assert update(raw, table, spec("exp")).status == 200
    expect_other_attribute(update(raw, table, spec(name, False)), "exp")


@pytest.mark.parametrize("body", [
    {"TimeToLiveSpecification": "x"}, {"TimeToLiveSpecification": []},
    {"TimeToLiveSpecification": 5}, {"TimeToLiveSpecification": spec("exp", "yes")},
    {"TimeToLiveSpecification": spec("exp", [])}, {"TimeToLiveSpecification": spec([])},
    {"TimeToLiveSpecification": spec({})}],
    ids=["spec-string", "spec-list", "spec-number", "enabled-string", "enabled-list",
         "name-list", "name-object"])
def test_members_of_the_wrong_type(raw, target, table, body):
    expect_client_fault(raw.request("UpdateTimeToLive", {"TableName": table, **body}), target)


def test_describe_table_name_of_the_wrong_type(raw, target):
    expect_client_fault(raw.request("DescribeTimeToLive", {"TableName": ["abc"]}), target)


# --- The change interval ---------------------------------------------------------------------

@pytest.mark.dunlin_only("DynamoDB Local lets TTL change any number of times")
def test_second_change_within_the_interval_is_refused(ddb, raw, table):
    """The shared server runs with the default interval (an hour, as DynamoDB)."""
    assert update(raw, table, spec("exp")).status == 200
    expect_raw_error(update(raw, table, spec("exp", False)), 400, "ValidationException",
                     CHANGED_TOO_OFTEN)
    assert describe(raw, table) == enabled_body("exp")
    # The state checks come before the interval.
    expect_raw_error(update(raw, table, spec("exp")), 400, "ValidationException",
                     ALREADY_ENABLED)
    expect_other_attribute(update(raw, table, spec("other", False)), "exp")
    expect_raw_error(update(raw, table, spec("")), 400, "ValidationException", NAME_LENGTH)
    # Other tables have their own interval.
    other = TableFactory(ddb, raw)
    try:
        assert update(raw, other(), spec("exp")).status == 200
    finally:
        other.cleanup()


@pytest.mark.dunlin_only("DynamoDB Local lets TTL change any number of times")
def test_change_interval_lapses(dunlin_bin, tmp_path):
    server = DunlinProcess(dunlin_bin, str(tmp_path / "data"), extra_args=[
        "--ttl-change-interval-s", str(SHORT_INTERVAL_SECONDS)]).start()
    try:
        raw = RawClient(server.endpoint)
        factory = TableFactory(make_client(server.endpoint), raw)
        table = factory()
        assert update(raw, table, spec("exp")).status == 200
        expect_raw_error(update(raw, table, spec("exp", False)), 400, "ValidationException",
                         CHANGED_TOO_OFTEN)
        time.sleep(SHORT_INTERVAL_SECONDS + 0.5)
        assert update(raw, table, spec("exp", False)).status == 200
        assert describe(raw, table) == DISABLED_BODY
        # The disable starts a new interval: enabling again must wait too.
        expect_raw_error(update(raw, table, spec("next")), 400, "ValidationException",
                         CHANGED_TOO_OFTEN)
        time.sleep(SHORT_INTERVAL_SECONDS + 0.5)
        assert update(raw, table, spec("next")).status == 200
        assert describe(raw, table) == enabled_body("next")
        factory.cleanup()
    finally:
        server.stop()


@pytest.mark.dunlin_only("DynamoDB Local lets TTL change any number of times")
def test_change_interval_survives_a_restart(dunlin_bin, tmp_path):
    data_dir = str(tmp_path / "data")
    server = DunlinProcess(dunlin_bin, data_dir).start()
    try:
        raw = RawClient(server.endpoint)
        table = TableFactory(make_client(server.endpoint), raw)()
        assert update(raw, table, spec("exp")).status == 200
    finally:
        server.kill()
    server = DunlinProcess(dunlin_bin, data_dir).start()
    try:
        raw = RawClient(server.endpoint)
        assert describe(raw, table) == enabled_body("exp")
        expect_raw_error(update(raw, table, spec("exp", False)), 400, "ValidationException",
                         CHANGED_TOO_OFTEN)
    finally:
        server.stop()
