"""CreateTable and DescribeTable.

Rules from
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
(table names 3-255 characters of [a-zA-Z0-9_.-]; key attribute names 1-255 characters), with
the exact messages DynamoDB Local gives.
"""

import re
import time
import uuid

import pytest

from conftest import unique_table_name
from expect import INVALID_TABLE_NAME, TABLE_NOT_FOUND, expect_error, expect_validation

S_PK = [{"AttributeName": "pk", "AttributeType": "S"}]
HASH_PK = [{"AttributeName": "pk", "KeyType": "HASH"}]
ARN_PATTERN = r"arn:aws:dynamodb:[a-z0-9-]+:[0-9]{12}:table/"
UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def create_args(name=None, **overrides):
    args = {"TableName": unique_table_name() if name is None else name,
            "AttributeDefinitions": S_PK, "KeySchema": HASH_PK,
            "BillingMode": "PAY_PER_REQUEST"}
    args.update(overrides)
    return {k: v for k, v in args.items() if v is not None}


@pytest.fixture
def create(ddb, table_factory):
    """create(**overrides) -> CreateTable response; the table is deleted after the test."""

    def run(**overrides):
        args = create_args(**overrides)
        response = ddb.create_table(**args)
        table_factory.adopt(args["TableName"])
        return response

    return run


# --- Table names ---------------------------------------------------------------------------

def _random_name(length, alphabet="abcdefghijklmnopqrstuvwxyz0123456789"):
    token = uuid.uuid4().hex
    return "".join(alphabet[int(c, 16) % len(alphabet)] for c in token)[:length].ljust(
        length, "x")


@pytest.mark.parametrize("make_name", [
    lambda: _random_name(3),
    lambda: "t" + uuid.uuid4().hex + "x" * 222,
    lambda: "aZ09_.-" + uuid.uuid4().hex[:8],
    lambda: "0123" + uuid.uuid4().hex[:8],
    lambda: "..." + uuid.uuid4().hex[:8],
    lambda: "___" + uuid.uuid4().hex[:8],
], ids=["3-chars", "255-chars", "all-classes", "digits", "dots", "underscores"])
def test_valid_table_names(create, ddb, make_name):
    name = make_name()
    assert 3 <= len(name) <= 255
    response = create(name=name)
    assert response["TableDescription"]["TableName"] == name
    assert ddb.describe_table(TableName=name)["Table"]["TableName"] == name


@pytest.mark.parametrize("name", ["ab", "", "a" * 256, "abc$", "ab c", "t\u00e4ble", "abc/def",
                                  "abc:def"],
                         ids=["2-chars", "empty", "256-chars", "dollar", "space", "non-ascii",
                              "slash", "colon"])
def test_invalid_table_names(ddb, name):
    expect_validation(ddb.create_table, INVALID_TABLE_NAME, **create_args(name=name))


@pytest.mark.parametrize("operation", ["describe_table", "delete_table"])
@pytest.mark.parametrize("name", ["ab", "a" * 256, "abc$"])
def test_invalid_table_name_on_other_operations(ddb, operation, name):
    expect_validation(getattr(ddb, operation), INVALID_TABLE_NAME, TableName=name)


def test_invalid_table_name_on_item_operations(ddb):
    expect_validation(ddb.put_item, INVALID_TABLE_NAME, TableName="x!", Item={"pk": {"S": "a"}})
    expect_validation(ddb.get_item, INVALID_TABLE_NAME, TableName="x!", Key={"pk": {"S": "a"}})
    expect_validation(ddb.delete_item, INVALID_TABLE_NAME, TableName="x!",
                      Key={"pk": {"S": "a"}})
    expect_validation(ddb.scan, INVALID_TABLE_NAME, TableName="x!")


def test_table_already_exists(create, ddb):
    name = unique_table_name()
    create(name=name)
    expect_error(ddb.create_table, "ResourceInUseException", "Cannot create preexisting table",
                 **create_args(name=name))


def test_table_names_are_case_sensitive(create, ddb):
    lower = "case-" + uuid.uuid4().hex[:8]
    create(name=lower)
    expect_error(ddb.describe_table, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName=lower.upper())


# --- Key schema and attribute definitions -------------------------------------------------

KEY_SCHEMA_ERRORS = {
    "extra-definition": (
        dict(AttributeDefinitions=S_PK + [{"AttributeName": "x", "AttributeType": "S"}]),
        "The number of attributes in key schema must match the number of attributes defined "
        "in attribute definitions."),
    "extra-definition-with-range": (
        dict(AttributeDefinitions=S_PK + [{"AttributeName": "sk", "AttributeType": "S"},
                                          {"AttributeName": "x", "AttributeType": "N"}],
             KeySchema=HASH_PK + [{"AttributeName": "sk", "KeyType": "RANGE"}]),
        "The number of attributes in key schema must match the number of attributes defined "
        "in attribute definitions."),
    "hash-not-defined": (
        dict(AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}]),
        "Hash Key not specified in Attribute Definitions.  Type unknown."),
    "range-not-defined": (
        dict(KeySchema=HASH_PK + [{"AttributeName": "sk", "KeyType": "RANGE"}]),
        "Range Key not specified in Attribute Definitions.  Type unknown."),
    "range-defined-under-other-name": (
        dict(AttributeDefinitions=S_PK + [{"AttributeName": "x", "AttributeType": "S"}],
             KeySchema=HASH_PK + [{"AttributeName": "sk", "KeyType": "RANGE"}]),
        "Range Key not specified in Attribute Definitions.  Type unknown."),
    "no-definitions": (
        dict(AttributeDefinitions=[]),
        "No Attribute Schema Defined"),
    "duplicate-definition": (
        dict(AttributeDefinitions=S_PK + S_PK),
        "Cannot have two attributes with the same name"),
    "empty-key-schema": (
        dict(KeySchema=[]),
        "No defined key schema.  A key schema containing at least a hash key must be defined "
        "for all tables"),
    "no-hash-key": (
        dict(KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}]),
        "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"),
    "lower-case-key-type": (
        dict(KeySchema=[{"AttributeName": "pk", "KeyType": "hash"}]),
        "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"),
    "two-hash-keys": (
        dict(AttributeDefinitions=S_PK + [{"AttributeName": "sk", "AttributeType": "S"}],
             KeySchema=HASH_PK + [{"AttributeName": "sk", "KeyType": "HASH"}]),
        "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key"),
    "range-before-hash": (
        dict(AttributeDefinitions=S_PK + [{"AttributeName": "sk", "AttributeType": "S"}],
             KeySchema=[{"AttributeName": "sk", "KeyType": "RANGE"}] + HASH_PK),
        "Invalid key order. Hash Key must be specified first in key schema, Range Key must be "
        "specifed second"),
    "hash-and-range-same-name": (
        dict(KeySchema=HASH_PK + [{"AttributeName": "pk", "KeyType": "RANGE"}]),
        "Two keys can not have the same name"),
    "three-keys": (
        dict(AttributeDefinitions=S_PK + [{"AttributeName": "sk", "AttributeType": "S"},
                                          {"AttributeName": "x", "AttributeType": "S"}],
             KeySchema=HASH_PK + [{"AttributeName": "sk", "KeyType": "RANGE"},
                                  {"AttributeName": "x", "KeyType": "RANGE"}]),
        "Key Schema too big.  Key Schema must at most consist of the hash and range key of a "
        "table"),
    "key-without-type": (
        dict(KeySchema=[{"AttributeName": "pk"}]),
        "One or more keys is not specified as being hash or range."),
    "key-without-name": (
        dict(KeySchema=[{"KeyType": "HASH"}]),
        "Attribute name must be specified."),
    "definition-without-type": (
        dict(AttributeDefinitions=[{"AttributeName": "pk"}]),
        "Invalid Attribute value. Must contain exactly one of the supported datatypes."),
    "empty-attribute-name": (
        dict(AttributeDefinitions=[{"AttributeName": "", "AttributeType": "S"}],
             KeySchema=[{"AttributeName": "", "KeyType": "HASH"}]),
        "Names of key attributes and attributes projected into an index must be between 1 and "
        "255 characters, inclusive"),
    "256-char-attribute-name": (
        dict(AttributeDefinitions=[{"AttributeName": "a" * 256, "AttributeType": "S"}],
             KeySchema=[{"AttributeName": "a" * 256, "KeyType": "HASH"}]),
        "Names of key attributes and attributes projected into an index must be between 1 and "
        "255 characters, inclusive"),
}


@pytest.mark.parametrize("case", sorted(KEY_SCHEMA_ERRORS))
def test_key_schema_errors(ddb, case):
    overrides, message = KEY_SCHEMA_ERRORS[case]
    expect_validation(ddb.create_table, message, **create_args(**overrides))


@pytest.mark.parametrize("attribute_type", ["BOOL", "M", "SS", "s", "X"])
def test_key_attribute_type_must_be_scalar(ddb, attribute_type):
    expect_validation(
        ddb.create_table, contains="Member must satisfy enum value set: [B, N, S]",
        **create_args(AttributeDefinitions=[{"AttributeName": "pk",
                                             "AttributeType": attribute_type}]))


@pytest.mark.parametrize("hash_type", ["S", "N", "B"])
@pytest.mark.parametrize("range_type", [None, "S", "N", "B"])
def test_every_key_type_combination(create, hash_type, range_type):
    definitions = [{"AttributeName": "h", "AttributeType": hash_type}]
    schema = [{"AttributeName": "h", "KeyType": "HASH"}]
    if range_type:
        definitions.append({"AttributeName": "r", "AttributeType": range_type})
        schema.append({"AttributeName": "r", "KeyType": "RANGE"})
    description = create(AttributeDefinitions=definitions, KeySchema=schema)[
        "TableDescription"]
    assert description["KeySchema"] == schema
    assert sorted(description["AttributeDefinitions"], key=lambda d: d["AttributeName"]) == \
        sorted(definitions, key=lambda d: d["AttributeName"])


def test_255_char_key_attribute_name(create):
    name = "k" * 255
    description = create(AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": name, "KeyType": "HASH"}])[
        "TableDescription"]
    assert description["KeySchema"] == [{"AttributeName": name, "KeyType": "HASH"}]


# --- Billing mode and throughput ----------------------------------------------------------

NO_THROUGHPUT = "No provisioned throughput specified for the table"
THROUGHPUT_TOO_LOW = "Table read and write throughput must be at least 1, and cannot be null"
THROUGHPUT_TOO_HIGH = "Cannot increase provisioned throughput to more than 40,000 units per table"


@pytest.mark.parametrize("billing_mode", ["PROVISIONED", None], ids=["provisioned", "default"])
def test_provisioned_needs_throughput(ddb, billing_mode):
    expect_validation(ddb.create_table, NO_THROUGHPUT, **create_args(BillingMode=billing_mode))


@pytest.mark.parametrize("throughput,message", [
    ({"ReadCapacityUnits": 0, "WriteCapacityUnits": 5}, THROUGHPUT_TOO_LOW),
    ({"ReadCapacityUnits": 5, "WriteCapacityUnits": 0}, THROUGHPUT_TOO_LOW),
    ({"ReadCapacityUnits": -1, "WriteCapacityUnits": 5}, THROUGHPUT_TOO_LOW),
    ({"ReadCapacityUnits": 5}, THROUGHPUT_TOO_LOW),
    ({"WriteCapacityUnits": 5}, THROUGHPUT_TOO_LOW),
    ({"ReadCapacityUnits": 40001, "WriteCapacityUnits": 5}, THROUGHPUT_TOO_HIGH),
    ({"ReadCapacityUnits": 5, "WriteCapacityUnits": 40001}, THROUGHPUT_TOO_HIGH),
    ({"ReadCapacityUnits": 10 ** 12, "WriteCapacityUnits": 5}, THROUGHPUT_TOO_HIGH),
], ids=["read-0", "write-0", "read-negative", "no-write", "no-read", "read-40001",
        "write-40001", "read-huge"])
def test_throughput_bounds(ddb, throughput, message):
    expect_validation(ddb.create_table, message,
                      **create_args(BillingMode="PROVISIONED", ProvisionedThroughput=throughput))


def test_throughput_at_maximum(create):
    throughput = {"ReadCapacityUnits": 40000, "WriteCapacityUnits": 40000}
    description = create(BillingMode="PROVISIONED", ProvisionedThroughput=throughput)[
        "TableDescription"]
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 40000
    assert description["ProvisionedThroughput"]["WriteCapacityUnits"] == 40000


def test_billing_mode_defaults_to_provisioned(create):
    description = create(BillingMode=None, ProvisionedThroughput={
        "ReadCapacityUnits": 3, "WriteCapacityUnits": 4})["TableDescription"]
    assert "BillingModeSummary" not in description
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert description["ProvisionedThroughput"]["WriteCapacityUnits"] == 4


@pytest.mark.dunlin_only("DynamoDB Local accepts ProvisionedThroughput with PAY_PER_REQUEST")
def test_pay_per_request_rejects_throughput(ddb):
    expect_validation(ddb.create_table, contains="PAY_PER_REQUEST",
                      **create_args(ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                           "WriteCapacityUnits": 1}))


@pytest.mark.dunlin_only("DynamoDB Local answers an unknown BillingMode with 500 InternalFailure")
def test_unknown_billing_mode(ddb):
    expect_validation(ddb.create_table, contains="PROVISIONED, PAY_PER_REQUEST",
                      **create_args(BillingMode="ON_DEMAND"))


# --- Options -------------------------------------------------------------------------------

@pytest.mark.parametrize("table_class", ["STANDARD", "STANDARD_INFREQUENT_ACCESS"])
def test_table_class_accepted(create, ddb, table_class):
    name = unique_table_name()
    create(name=name, TableClass=table_class)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"


@pytest.mark.dunlin_only("DynamoDB Local does not report TableClassSummary")
def test_table_class_summary(create, ddb):
    name = unique_table_name()
    create(name=name, TableClass="STANDARD_INFREQUENT_ACCESS")
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"


def test_tags_on_create_accepted(create, ddb):
    name = unique_table_name()
    create(name=name, Tags=[{"Key": "team", "Value": "storage"}, {"Key": "env", "Value": ""}])
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"


def test_deletion_protection_on_create(raw, table_factory):
    name = unique_table_name()
    response = raw.request("CreateTable", dict(create_args(name=name),
                                               DeletionProtectionEnabled=True))
    table_factory.adopt(name)
    assert response.status == 200, response
    assert response.body["TableDescription"]["DeletionProtectionEnabled"] is True
    described = raw.request("DescribeTable", {"TableName": name}).body["Table"]
    assert described["DeletionProtectionEnabled"] is True


# --- DescribeTable shape -------------------------------------------------------------------

def assert_common_description(description, name, raw_json):
    assert description["TableName"] == name
    assert description["TableStatus"] == "ACTIVE"
    assert re.fullmatch(ARN_PATTERN + re.escape(name), description["TableArn"])
    assert description["ItemCount"] == 0
    assert description["TableSizeBytes"] == 0
    created = description["CreationDateTime"]
    created_seconds = created if raw_json else created.timestamp()
    assert abs(created_seconds - time.time()) < 600
    if "TableId" in description:
        assert re.fullmatch(UUID_PATTERN, description["TableId"])


BASE_KEYS = {"AttributeDefinitions", "KeySchema", "TableName", "TableStatus",
             "CreationDateTime", "ProvisionedThroughput", "TableSizeBytes", "ItemCount",
             "TableArn", "DeletionProtectionEnabled"}
# Present on DynamoDB (TableId) or only while PAY_PER_REQUEST (BillingModeSummary).
OPTIONAL_KEYS = {"TableId", "BillingModeSummary", "TableClassSummary"}


def test_describe_pay_per_request_table(raw, table_factory):
    name = table_factory(range_key=("sk", "N"))
    response = raw.request("DescribeTable", {"TableName": name})
    assert response.status == 200
    assert set(response.body) == {"Table"}
    description = response.body["Table"]
    assert BASE_KEYS <= set(description) <= BASE_KEYS | OPTIONAL_KEYS, set(description)
    assert_common_description(description, name, raw_json=True)
    assert description["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                        {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert sorted(description["AttributeDefinitions"], key=lambda d: d["AttributeName"]) == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"}]
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    throughput = description["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"],
            throughput["NumberOfDecreasesToday"]) == (0, 0, 0)
    assert description["DeletionProtectionEnabled"] is False


def test_describe_provisioned_table(raw, table_factory):
    name = table_factory(ProvisionedThroughput={"ReadCapacityUnits": 3,
                                                "WriteCapacityUnits": 7})
    description = raw.request("DescribeTable", {"TableName": name}).body["Table"]
    assert BASE_KEYS <= set(description) <= BASE_KEYS | OPTIONAL_KEYS, set(description)
    assert_common_description(description, name, raw_json=True)
    assert "BillingModeSummary" not in description
    throughput = description["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"],
            throughput["NumberOfDecreasesToday"]) == (3, 7, 0)


def test_create_response_matches_describe(ddb, create):
    name = unique_table_name()
    created = create(name=name)["TableDescription"]
    described = ddb.describe_table(TableName=name)["Table"]
    assert created["TableStatus"] in ("CREATING", "ACTIVE")
    for key in ("TableName", "TableArn", "KeySchema", "AttributeDefinitions",
                "CreationDateTime", "BillingModeSummary"):
        assert created[key] == described[key], key


def test_describe_through_boto3_types(ddb, table):
    description = ddb.describe_table(TableName=table)["Table"]
    assert_common_description(description, table, raw_json=False)


@pytest.mark.dunlin_only("DynamoDB Local does not report TableId")
def test_table_id(ddb, table_factory):
    first = ddb.describe_table(TableName=table_factory())["Table"]["TableId"]
    second = ddb.describe_table(TableName=table_factory())["Table"]["TableId"]
    assert re.fullmatch(UUID_PATTERN, first)
    assert first != second


def test_describe_missing_table(ddb):
    expect_error(ddb.describe_table, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="missing-" + uuid.uuid4().hex)


def test_item_count_and_size_follow_writes(ddb, table):
    # DynamoDB refreshes these about every six hours; DynamoDB Local (and Dunlin) at once.
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "x" * 100}})   # 104 bytes
    ddb.put_item(TableName=table, Item={"pk": {"S": "bb"}, "n": {"N": "1234"}})     # 8 bytes
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}})                          # 3 bytes
    description = ddb.describe_table(TableName=table)["Table"]
    assert (description["ItemCount"], description["TableSizeBytes"]) == (3, 104 + 8 + 3)
    ddb.delete_item(TableName=table, Key={"pk": {"S": "a"}})
    description = ddb.describe_table(TableName=table)["Table"]
    assert (description["ItemCount"], description["TableSizeBytes"]) == (2, 11)
