"""Secondary index definitions: CreateTable with GlobalSecondaryIndexes and LocalSecondaryIndexes,
and how DescribeTable, ListTables and DeleteTable show them.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalSecondaryIndexDescription.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_LocalSecondaryIndexDescription.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
  1. every index has a name (3-255 characters of [a-zA-Z0-9_.-], unique among all the table's
     indexes), a key schema whose attributes are in AttributeDefinitions, and a Projection:
     KEYS_ONLY, INCLUDE (with 1+ NonKeyAttributes) or ALL (NonKeyAttributes only with INCLUDE);
  2. at most 5 local and 20 global secondary indexes; at most 100 NonKeyAttributes summed over
     all indexes (the same name in two indexes counts twice);
  3. an LSI needs a table with a sort key, the table's partition key and its own sort key;
  4. a GSI key schema has 1-4 HASH attributes followed by 0-4 RANGE attributes (multi-attribute
     keys: test_index_multi_attribute.py); an LSI key schema is exactly HASH + RANGE;
  5. AttributeDefinitions lists exactly the table and index key attributes;
  6. with PROVISIONED billing every GSI needs ProvisionedThroughput (1..40,000 each way);
  7. DescribeTable lists LocalSecondaryIndexes and GlobalSecondaryIndexes (IndexName, KeySchema,
     Projection, IndexSizeBytes, ItemCount, IndexArn; GSIs add IndexStatus and, when provisioned,
     ProvisionedThroughput); the IndexArn is the table ARN + "/index/" + name.
Validation stops at the first fault; the order DynamoDB Local checks them in is pinned below
(table name and key schema, then each LSI, then each GSI, then the attribute definitions count,
then the table's throughput). Errors are DynamoDB Local's, verbatim; where DynamoDB Local departs
from the documentation the test is dunlin_only and follows the documentation.
"""

import re

import pytest

from conftest import unique_table_name
from expect import INVALID_TABLE_NAME, TABLE_NOT_FOUND, expect_error, expect_validation

NOT_DEFINED = "Attribute {} is not defined in AttributeDefinitions"
HASH_NOT_DEFINED = "Hash Key not specified in Attribute Definitions.  Type unknown."
DEFINITIONS_COUNT = ("The number of attributes in key schema must match the number of attributes "
                     "defined in attribute definitions.")
TWO_GSIS_SAME_NAME = "Two global secondary indices have the same name"
TWO_LSIS_SAME_NAME = "Two local secondary indices have the same name"
GSI_LSI_SAME_NAME = "Local Secondary Indices AND Global Secondary Indices must have different names"
NO_HASH_KEY = ("No Hash Key specified in schema.  All Dynamo DB tables must have exactly one "
               "hash key")
TOO_MANY_HASH_KEYS = ("Too many hash keys specified.  All Dynamo DB tables must have exactly one "
                      "hash key")
SAME_KEY_NAME = "Two keys can not have the same name"
KEY_ORDER = ("Invalid key order. Hash Key must be specified first in key schema, Range Key must be "
             "specifed second")
NO_KEY_SCHEMA = ("No defined key schema.  A key schema containing at least a hash key must be "
                 "defined for all tables")
KEY_SCHEMA_TOO_BIG = ("Key Schema too big.  Key Schema must at most consist of the hash and range "
                      "key of a table")
NO_KEY_TYPE = "One or more keys is not specified as being hash or range."
NO_ATTRIBUTE_NAME = "Attribute name must be specified."
NO_PROJECTION = "Indexes must have a projection specified"
BAD_PROJECTION_TYPE = "Projection type must be INCLUDE, ALL, or KEYS_ONLY"
INCLUDE_WITHOUT_ATTRIBUTES = ("If Projection type INCLUDE is specified, some non-key attributes to "
                              "include in the projection must be specified as well")
ATTRIBUTES_WITHOUT_INCLUDE = ("No attributes should be specified to be projected unless "
                              "projection type is INCLUDE")
DUPLICATE_ATTRIBUTE = "Cannot have two attributes with the same name"
NAME_LENGTH = ("Names of key attributes and attributes projected into an index must be between 1 "
               "and 255 characters, inclusive")
# The limit is 100 (ServiceQuotas.html); the wording is an old one, kept verbatim.
TOO_MANY_PROJECTED = ("No more than 20 attributes per table can be projected into Local Secondary "
                      "Indices")
TOO_MANY_LSIS = "Cannot have more than 5 local secondary indexes per table"
TOO_MANY_GSIS = "GlobalSecondaryIndex count exceeds the per-table limit"
LSI_OTHER_HASH = "Local Secondary indices must have the same hash key as the main table"
LSI_NO_RANGE = "Local secondary indices must have a range key"
LSI_ON_HASH_TABLE = ("Local Secondary indices are not allowed on hash tables, only hash and range "
                     "tables")
LSI_RANGE_NOT_DEFINED = ("Local Secondary Index range key not specified in Attribute Definitions."
                         "Type unknown.")
EMPTY_GSI_LIST = "GSI list is empty/invalid"
GSI_NO_THROUGHPUT = "No provisioned throughput specified for the global secondary index"
GSI_THROUGHPUT_TOO_LOW = ("Global Secondary Index's read and write throughput must be at least 1, "
                          "and cannot be null")
GSI_THROUGHPUT_TOO_HIGH = ("Cannot increase provisioned throughput to more than 40,000 units per "
                           "global secondary index")
TABLE_NO_THROUGHPUT = "No provisioned throughput specified for the table"

ARN_PATTERN = r"arn:aws:dynamodb:[a-z0-9-]+:[0-9]{12}:table/"
ALL = {"ProjectionType": "ALL"}
KEYS_ONLY = {"ProjectionType": "KEYS_ONLY"}
THROUGHPUT = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
GSI_MEMBERS = {"IndexName", "KeySchema", "Projection", "IndexStatus", "IndexSizeBytes",
               "ItemCount", "IndexArn"}
# DynamoDB reports these too (zeros for on-demand throughput); DynamoDB Local only for
# provisioned GSIs and for GSIs added by UpdateTable.
GSI_OPTIONAL_MEMBERS = {"ProvisionedThroughput", "OnDemandThroughput", "WarmThroughput",
                        "Backfilling"}
LSI_MEMBERS = {"IndexName", "KeySchema", "Projection", "IndexSizeBytes", "ItemCount", "IndexArn"}


def definitions(*pairs):
    """definitions(("pk", "S"), ...) -> AttributeDefinitions."""
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in pairs]


def key(*names, kinds=None):
    """key("h") -> HASH; key("h", "r") -> HASH + RANGE; kinds overrides the key types."""
    kinds = kinds or ["HASH"] + ["RANGE"] * (len(names) - 1)
    return [{"AttributeName": name, "KeyType": kind} for name, kind in zip(names, kinds)]


def index(name, key_schema, projection=None, **extra):
    return {"IndexName": name, "KeySchema": key_schema,
            "Projection": ALL if projection is None else projection, **extra}


def include(*names):
    return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(names)}


# Attribute types of the names the tests use as keys; other names stay undefined.
TYPES = {"pk": "S", "sk": "S", "g": "S", "l": "S"}
DEFS = definitions(*TYPES.items())
GSI_G = index("gsi_g", key("g"))
LSI_L = index("lsi_l", key("pk", "l"))


def args(gsis=None, lsis=None, name=None, **overrides):
    """CreateTable arguments for a pk + sk table with these indexes. Unless given,
    AttributeDefinitions lists exactly the key attributes named in TYPES that the table and
    its indexes use."""
    result = {"TableName": name or unique_table_name("ix"), "KeySchema": key("pk", "sk"),
              "BillingMode": "PAY_PER_REQUEST"}
    if gsis is not None:
        result["GlobalSecondaryIndexes"] = gsis
    if lsis is not None:
        result["LocalSecondaryIndexes"] = lsis
    result.update(overrides)
    if "AttributeDefinitions" not in result:
        used = []
        schemas = [result["KeySchema"]] + [i.get("KeySchema") or [] for i in
                                           (gsis or []) + (lsis or [])]
        for schema in schemas:
            for element in schema:
                name_ = element.get("AttributeName")
                if name_ in TYPES and name_ not in used:
                    used.append(name_)
        result["AttributeDefinitions"] = definitions(*[(n, TYPES[n]) for n in used])
    return {k: v for k, v in result.items() if v is not None}


@pytest.fixture
def create(ddb, table_factory):
    """create(**create_table_args) -> TableDescription; the table is deleted after the test."""

    def run(**create_args):
        response = ddb.create_table(**create_args)
        table_factory.adopt(create_args["TableName"])
        return response["TableDescription"]

    return run


@pytest.fixture
def create_raw(raw, table_factory):
    """create_raw(body) -> RawResponse of a CreateTable sent as JSON (the table, if created, is
    deleted after the test)."""

    def run(body):
        response = raw.request("CreateTable", body)
        if response.status == 200:
            table_factory.adopt(body["TableName"])
        return response

    return run


def by_name(indexes):
    return {entry["IndexName"]: entry for entry in indexes}


# --- Descriptions --------------------------------------------------------------------------

def test_create_and_describe_both_kinds(raw, create_raw):
    name = unique_table_name("ix")
    body = args(name=name, gsis=[index("gsi_g", key("g", "sk"), include("a", "b"))],
                lsis=[index("lsi_l", key("pk", "l"), KEYS_ONLY)])
    created = create_raw(body)
    assert created.status == 200, created
    described = raw.request("DescribeTable", {"TableName": name}).body["Table"]
    for description in (created.body["TableDescription"], described):
        gsi = description["GlobalSecondaryIndexes"]
        lsi = description["LocalSecondaryIndexes"]
        assert len(gsi) == 1 and len(lsi) == 1
        gsi, lsi = gsi[0], lsi[0]
        assert GSI_MEMBERS <= set(gsi) <= GSI_MEMBERS | GSI_OPTIONAL_MEMBERS, set(gsi)
        assert set(lsi) == LSI_MEMBERS
        assert (gsi["IndexName"], gsi["KeySchema"], gsi["Projection"], gsi["IndexStatus"],
                gsi["IndexSizeBytes"], gsi["ItemCount"]) == (
            "gsi_g", key("g", "sk"), include("a", "b"), "ACTIVE", 0, 0)
        assert (lsi["IndexName"], lsi["KeySchema"], lsi["Projection"], lsi["IndexSizeBytes"],
                lsi["ItemCount"]) == ("lsi_l", key("pk", "l"), KEYS_ONLY, 0, 0)
        table_arn = description["TableArn"]
        assert re.fullmatch(ARN_PATTERN + re.escape(name), table_arn)
        assert gsi["IndexArn"] == table_arn + "/index/gsi_g"
        assert lsi["IndexArn"] == table_arn + "/index/lsi_l"
        assert description["TableStatus"] == "ACTIVE"


def test_description_of_table_without_indexes_has_no_index_members(raw, table_factory):
    name = table_factory(range_key=("sk", "S"))
    described = raw.request("DescribeTable", {"TableName": name}).body["Table"]
    assert "GlobalSecondaryIndexes" not in described
    assert "LocalSecondaryIndexes" not in described


def test_every_index_is_described(create):
    gsis = [index(f"gsi_{i}", key("g")) for i in range(3)]
    lsis = [index(f"lsi_{i}", key("pk", "l")) for i in range(2)]
    description = create(**args(gsis=gsis, lsis=lsis))
    assert sorted(by_name(description["GlobalSecondaryIndexes"])) == ["gsi_0", "gsi_1", "gsi_2"]
    assert sorted(by_name(description["LocalSecondaryIndexes"])) == ["lsi_0", "lsi_1"]


def test_projection_is_echoed_as_given(create):
    gsis = [index("gsi_keys", key("g"), {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": []}),
            index("gsi_incl", key("g"), include("zeta", "alpha", "pk", "g"))]
    indexes = by_name(create(**args(gsis=gsis))["GlobalSecondaryIndexes"])
    assert indexes["gsi_keys"]["Projection"] == {"ProjectionType": "KEYS_ONLY",
                                                 "NonKeyAttributes": []}
    assert indexes["gsi_incl"]["Projection"] == include("zeta", "alpha", "pk", "g")


def test_provisioned_gsi_reports_its_throughput(create):
    description = create(**args(
        gsis=[index("gsi_g", key("g"), ProvisionedThroughput={"ReadCapacityUnits": 4,
                                                             "WriteCapacityUnits": 5})],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}))
    throughput = description["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (4, 5)
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 2


def test_lsi_ignores_provisioned_throughput(create_raw):
    """LocalSecondaryIndex has no ProvisionedThroughput member; an LSI shares the table's."""
    body = args(lsis=[index("lsi_l", key("pk", "l"), ProvisionedThroughput=THROUGHPUT)])
    response = create_raw(body)
    assert response.status == 200, response
    assert set(response.body["TableDescription"]["LocalSecondaryIndexes"][0]) == LSI_MEMBERS


# --- Accepted definitions ------------------------------------------------------------------

@pytest.mark.parametrize("overrides", [
    dict(gsis=[index("abc", key("g"))]),
    dict(gsis=[index("i" * 255, key("g"))]),
    dict(gsis=[index("a.-_Z9", key("g"))]),
    dict(lsis=[index("a.-_Z9", key("pk", "l"))]),
    dict(gsis=[index("gsi_g", key("pk", "sk"))]),
    dict(gsis=[index("gsi_g", key("sk", "pk"))]),
    dict(gsis=[index("gsi_g", key("pk"))]),
    dict(lsis=[index("lsi_l", key("pk", "sk"))]),
    dict(gsis=[index("gsi_a", key("g")), index("gsi_b", key("g"))]),
    dict(gsis=[index("gsi_g", key("g"), include("pk", "sk", "g", "l"))]),
    dict(gsis=[index("gsi_g", key("g"), include("a" * 255))]),
    dict(gsis=[index("gsi_g", key("g"), include(*[f"a{i}" for i in range(100)]))]),
    dict(gsis=[index("gsi_a", key("g"), include(*[f"a{i}" for i in range(60)])),
               index("gsi_b", key("g"), include(*[f"a{i}" for i in range(40)]))]),
    dict(lsis=[]),
], ids=["3-char-name", "255-char-name", "name-punctuation", "lsi-name-punctuation",
        "gsi-same-as-table-key", "gsi-swapped-table-key", "gsi-on-table-hash", "lsi-on-table-sort",
        "identical-key-schemas", "include-key-attributes", "255-char-projected-name",
        "100-projected", "100-projected-over-two", "empty-lsi-list"])
def test_accepted_definitions(create, overrides):
    description = create(**args(**overrides))
    for kind, member in (("gsis", "GlobalSecondaryIndexes"), ("lsis", "LocalSecondaryIndexes")):
        requested = overrides.get(kind)
        if requested:
            assert sorted(by_name(description[member])) == sorted(i["IndexName"]
                                                                  for i in requested)
        else:
            assert member not in description


def test_index_may_share_the_table_name(create):
    name = unique_table_name("ix")
    description = create(**args(name=name, gsis=[index(name, key("g"))]))
    assert description["GlobalSecondaryIndexes"][0]["IndexArn"].endswith(
        f"table/{name}/index/{name}")


def test_five_lsis_and_twenty_gsis(create):
    names = [f"k{i}" for i in range(20)]
    description = create(**args(
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), *[(n, "S") for n in names]),
        gsis=[index(f"gsi_{n}", key(n)) for n in names],
        lsis=[index(f"lsi_{n}", key("pk", n)) for n in names[:5]]))
    assert len(description["GlobalSecondaryIndexes"]) == 20
    assert len(description["LocalSecondaryIndexes"]) == 5


def test_gsi_key_types_can_differ_from_table_keys(create):
    description = create(**args(
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("n", "N"), ("b", "B")),
        gsis=[index("gsi_nb", key("n", "b"))], lsis=[index("lsi_n", key("pk", "n"))]))
    assert description["GlobalSecondaryIndexes"][0]["KeySchema"] == key("n", "b")


# --- Rejected definitions ------------------------------------------------------------------

def projected(count, prefix="a"):
    return include(*[f"{prefix}{i}" for i in range(count)])


DEFINITION_ERRORS = {
    # Attribute definitions.
    "gsi-hash-not-defined": (dict(gsis=[index("gsi_x", key("x"))]), NOT_DEFINED.format("x")),
    "gsi-range-not-defined": (dict(gsis=[index("gsi_x", key("g", "x"))]),
                              NOT_DEFINED.format("x")),
    "gsi-empty-attribute-name": (dict(gsis=[index("gsi_x", key(""))]), NOT_DEFINED.format("")),
    "lsi-range-not-defined": (dict(lsis=[index("lsi_x", key("pk", "x"))]),
                              LSI_RANGE_NOT_DEFINED),
    "unused-definition": (dict(AttributeDefinitions=DEFS + definitions(("x", "S")),
                               gsis=[GSI_G], lsis=[LSI_L]), DEFINITIONS_COUNT),
    "definition-of-absent-lsi-key": (dict(AttributeDefinitions=DEFS, gsis=[GSI_G]),
                                     DEFINITIONS_COUNT),
    # Names.
    "gsi-duplicate-name": (dict(gsis=[GSI_G, GSI_G]), TWO_GSIS_SAME_NAME),
    "lsi-duplicate-name": (dict(lsis=[LSI_L, LSI_L]), TWO_LSIS_SAME_NAME),
    "gsi-named-like-lsi": (dict(gsis=[index("same", key("g"))],
                                lsis=[index("same", key("pk", "l"))]), GSI_LSI_SAME_NAME),
    "gsi-name-2-chars": (dict(gsis=[index("ab", key("g"))]), INVALID_TABLE_NAME),
    "gsi-name-256-chars": (dict(gsis=[index("i" * 256, key("g"))]), INVALID_TABLE_NAME),
    "gsi-name-dollar": (dict(gsis=[index("gsi$", key("g"))]), INVALID_TABLE_NAME),
    "gsi-name-empty": (dict(gsis=[index("", key("g"))]), INVALID_TABLE_NAME),
    "gsi-name-missing": (dict(gsis=[{"KeySchema": key("g"), "Projection": ALL}]),
                         INVALID_TABLE_NAME),
    "lsi-name-2-chars": (dict(lsis=[index("ab", key("pk", "l"))]), INVALID_TABLE_NAME),
    # Key schemas.
    "gsi-no-key-schema": (dict(gsis=[{"IndexName": "gsi_x", "Projection": ALL}]), NO_KEY_SCHEMA),
    "gsi-empty-key-schema": (dict(gsis=[index("gsi_x", [])]), NO_KEY_SCHEMA),
    "gsi-range-only": (dict(gsis=[index("gsi_x", key("g", kinds=["RANGE"]))]), NO_HASH_KEY),
    "gsi-lower-case-key-type": (dict(gsis=[index("gsi_x", key("g", kinds=["hash"]))]),
                                NO_HASH_KEY),
    "gsi-range-before-hash": (dict(gsis=[index("gsi_x", key("g", "sk", kinds=["RANGE", "HASH"]))]),
                              KEY_ORDER),
    "gsi-same-attribute-twice": (dict(gsis=[index("gsi_x", key("g", "g"))]), SAME_KEY_NAME),
    "gsi-key-without-type": (dict(gsis=[index("gsi_x", [{"AttributeName": "g"}])]), NO_KEY_TYPE),
    "gsi-key-without-name": (dict(gsis=[index("gsi_x", [{"KeyType": "HASH"}])]),
                             NO_ATTRIBUTE_NAME),
    "lsi-other-hash-key": (dict(lsis=[index("lsi_x", key("g", "l"))]), LSI_OTHER_HASH),
    "lsi-without-range": (dict(lsis=[index("lsi_x", key("pk"))]), LSI_NO_RANGE),
    "lsi-range-only": (dict(lsis=[index("lsi_x", key("l", kinds=["RANGE"]))]), NO_HASH_KEY),
    "lsi-two-hash-keys": (dict(lsis=[index("lsi_x", key("pk", "l", kinds=["HASH", "HASH"]))]),
                          TOO_MANY_HASH_KEYS),
    "lsi-two-range-keys": (dict(lsis=[index("lsi_x", key("pk", "l", "g"))]), KEY_SCHEMA_TOO_BIG),
    "lsi-same-attribute-twice": (dict(lsis=[index("lsi_x", key("pk", "pk"))]), SAME_KEY_NAME),
    # Projections.
    "no-projection": (dict(gsis=[{"IndexName": "gsi_x", "KeySchema": key("g")}]), NO_PROJECTION),
    "projection-without-type": (dict(gsis=[index("gsi_x", key("g"), {"NonKeyAttributes": ["a"]})]),
                                NO_PROJECTION),
    "empty-projection": (dict(gsis=[index("gsi_x", key("g"), {})]), NO_PROJECTION),
    "unknown-projection-type": (dict(gsis=[index("gsi_x", key("g"), {"ProjectionType": "SOME"})]),
                                BAD_PROJECTION_TYPE),
    "lower-case-projection-type": (dict(gsis=[index("gsi_x", key("g"),
                                                    {"ProjectionType": "all"})]),
                                   BAD_PROJECTION_TYPE),
    "include-without-attributes": (dict(gsis=[index("gsi_x", key("g"),
                                                    {"ProjectionType": "INCLUDE"})]),
                                   INCLUDE_WITHOUT_ATTRIBUTES),
    "include-empty-attributes": (dict(gsis=[index("gsi_x", key("g"), include())]),
                                 INCLUDE_WITHOUT_ATTRIBUTES),
    "all-with-attributes": (dict(gsis=[index("gsi_x", key("g"), {"ProjectionType": "ALL",
                                                                 "NonKeyAttributes": ["a"]})]),
                            ATTRIBUTES_WITHOUT_INCLUDE),
    "keys-only-with-attributes": (dict(gsis=[index("gsi_x", key("g"),
                                                   {"ProjectionType": "KEYS_ONLY",
                                                    "NonKeyAttributes": ["a"]})]),
                                  ATTRIBUTES_WITHOUT_INCLUDE),
    "include-duplicate": (dict(gsis=[index("gsi_x", key("g"), include("a", "b", "a"))]),
                          DUPLICATE_ATTRIBUTE),
    "include-empty-name": (dict(gsis=[index("gsi_x", key("g"), include(""))]), NAME_LENGTH),
    "include-256-char-name": (dict(gsis=[index("gsi_x", key("g"), include("a" * 256))]),
                              NAME_LENGTH),
    "lsi-include-without-attributes": (dict(lsis=[index("lsi_x", key("pk", "l"),
                                                        {"ProjectionType": "INCLUDE"})]),
                                       INCLUDE_WITHOUT_ATTRIBUTES),
    "lsi-keys-only-with-attributes": (dict(lsis=[index("lsi_x", key("pk", "l"),
                                                       {"ProjectionType": "KEYS_ONLY",
                                                        "NonKeyAttributes": ["a"]})]),
                                      ATTRIBUTES_WITHOUT_INCLUDE),
    "101-projected": (dict(gsis=[index("gsi_x", key("g"), projected(101))]), TOO_MANY_PROJECTED),
    "101-projected-counting-keys": (dict(gsis=[index("gsi_x", key("g"),
                                                     include("pk", *projected(100)[
                                                         "NonKeyAttributes"]))]),
                                    TOO_MANY_PROJECTED),
    "101-projected-over-two-gsis": (dict(gsis=[index("gsi_a", key("g"), projected(60)),
                                               index("gsi_b", key("g"), projected(41))]),
                                    TOO_MANY_PROJECTED),
    "101-projected-over-gsi-and-lsi": (dict(gsis=[index("gsi_a", key("g"), projected(60))],
                                            lsis=[index("lsi_b", key("pk", "l"), projected(41))]),
                                       TOO_MANY_PROJECTED),
    "101-projected-over-two-lsis": (dict(lsis=[index("lsi_a", key("pk", "l"), projected(60)),
                                               index("lsi_b", key("pk", "g"), projected(41))]),
                                    TOO_MANY_PROJECTED),
    # Counts and lists.
    "6-lsis": (dict(lsis=[index(f"lsi_{i}", key("pk", "l")) for i in range(6)]), TOO_MANY_LSIS),
    "21-gsis": (dict(gsis=[index(f"gsi_{i}", key("g")) for i in range(21)]), TOO_MANY_GSIS),
    "empty-gsi-list": (dict(gsis=[]), EMPTY_GSI_LIST),
    "lsi-on-hash-only-table": (dict(KeySchema=key("pk"),
                                    AttributeDefinitions=definitions(("pk", "S"), ("l", "S")),
                                    lsis=[index("lsi_x", key("pk", "l"))]), LSI_ON_HASH_TABLE),
}


@pytest.mark.parametrize("case", sorted(DEFINITION_ERRORS))
def test_definition_errors(ddb, case):
    overrides, message = DEFINITION_ERRORS[case]
    expect_validation(ddb.create_table, message, **args(**overrides))


PROVISIONED = dict(BillingMode="PROVISIONED", ProvisionedThroughput=THROUGHPUT)


@pytest.mark.parametrize("billing,throughput,message", [
    (PROVISIONED, None, GSI_NO_THROUGHPUT),
    (dict(BillingMode=None, ProvisionedThroughput=THROUGHPUT), None, GSI_NO_THROUGHPUT),
    (PROVISIONED, {"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}, GSI_THROUGHPUT_TOO_LOW),
    (PROVISIONED, {"ReadCapacityUnits": 1, "WriteCapacityUnits": -1}, GSI_THROUGHPUT_TOO_LOW),
    (PROVISIONED, {"WriteCapacityUnits": 1}, GSI_THROUGHPUT_TOO_LOW),
    (PROVISIONED, {}, GSI_THROUGHPUT_TOO_LOW),
    (PROVISIONED, {"ReadCapacityUnits": 40001, "WriteCapacityUnits": 1}, GSI_THROUGHPUT_TOO_HIGH),
    (PROVISIONED, {"ReadCapacityUnits": 1, "WriteCapacityUnits": 40001}, GSI_THROUGHPUT_TOO_HIGH),
], ids=["missing", "missing-default-billing", "read-0", "write-negative", "no-read", "empty",
        "read-40001", "write-40001"])
def test_provisioned_gsi_throughput_errors(ddb, billing, throughput, message):
    extra = {} if throughput is None else {"ProvisionedThroughput": throughput}
    expect_validation(ddb.create_table, message,
                      **args(gsis=[index("gsi_g", key("g"), **extra)], lsis=[LSI_L], **billing))


def test_provisioned_gsi_throughput_at_maximum(create):
    throughput = {"ReadCapacityUnits": 40000, "WriteCapacityUnits": 40000}
    description = create(**args(gsis=[index("gsi_g", key("g"), ProvisionedThroughput=throughput)],
                                lsis=[LSI_L], **PROVISIONED))
    reported = description["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]
    assert (reported["ReadCapacityUnits"], reported["WriteCapacityUnits"]) == (40000, 40000)


@pytest.mark.dunlin_only("DynamoDB Local accepts and reports GSI ProvisionedThroughput on a "
                         "PAY_PER_REQUEST table")
def test_pay_per_request_gsi_rejects_throughput(ddb):
    """https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughput.html:
    'You must use ProvisionedThroughput or OnDemandThroughput based on your table's capacity
    mode'; https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html:
    with PAY_PER_REQUEST billing no ProvisionedThroughput may be given."""
    expect_validation(ddb.create_table, contains="PAY_PER_REQUEST",
                      **args(gsis=[index("gsi_g", key("g"), ProvisionedThroughput=THROUGHPUT)],
                             lsis=[LSI_L]))


# --- Order of checks -----------------------------------------------------------------------

X_DEFS = DEFS + definitions(("x", "S"))
BAD_NAME_GSI = index("gsi$", key("g"))
UNDEFINED_GSI = index("gsi_u", key("undefined"))

ORDER_CASES = {
    "table-name-before-index-count": (
        dict(name="ab", gsis=[index(f"gsi_{i}", key("g")) for i in range(21)]),
        INVALID_TABLE_NAME),
    "table-key-before-gsi-count": (
        dict(KeySchema=key("sk", kinds=["RANGE"]),
             gsis=[index(f"gsi_{i}", key("g")) for i in range(21)]), NO_HASH_KEY),
    "table-definitions-before-gsi": (
        dict(AttributeDefinitions=definitions(("sk", "S"), ("g", "S")), gsis=[UNDEFINED_GSI]),
        HASH_NOT_DEFINED),
    "lsi-count-before-gsi-count": (
        dict(lsis=[index(f"lsi_{i}", key("pk", "l")) for i in range(6)],
             gsis=[index(f"gsi_{i}", key("g")) for i in range(21)]), TOO_MANY_LSIS),
    "lsi-count-before-lsi-definitions": (
        dict(lsis=[index(f"lsi_{i}", key("pk", "undefined")) for i in range(6)]), TOO_MANY_LSIS),
    "lsis-before-gsis": (
        dict(lsis=[index("lsi_x", key("pk", "undefined"))],
             gsis=[index("gsi_x", key("g"), {"ProjectionType": "INCLUDE"})]),
        LSI_RANGE_NOT_DEFINED),
    "lsi-range-before-lsi-definitions": (
        dict(lsis=[index("lsi_x", key("undefined"))]), LSI_NO_RANGE),
    "gsi-count-before-gsi-names": (
        dict(gsis=[index(f"gsi${i}", key("g")) for i in range(21)]), TOO_MANY_GSIS),
    "gsi-name-before-definitions": (dict(gsis=[index("gsi$", key("undefined"))]),
                                    INVALID_TABLE_NAME),
    "gsis-in-order": (dict(gsis=[UNDEFINED_GSI, BAD_NAME_GSI]), NOT_DEFINED.format("undefined")),
    "duplicate-name-before-own-faults": (
        dict(gsis=[GSI_G, {"IndexName": "gsi_g", "KeySchema": key("undefined")}]),
        TWO_GSIS_SAME_NAME),
    "duplicate-name-before-later-index": (dict(gsis=[GSI_G, GSI_G, UNDEFINED_GSI]),
                                          TWO_GSIS_SAME_NAME),
    "projection-before-definitions": (
        dict(gsis=[index("gsi_x", key("undefined"), {"ProjectionType": "INCLUDE"})]),
        INCLUDE_WITHOUT_ATTRIBUTES),
    "projection-before-key-schema": (
        dict(gsis=[index("gsi_x", key("g", kinds=["RANGE"]), {"ProjectionType": "INCLUDE"})]),
        INCLUDE_WITHOUT_ATTRIBUTES),
    "projected-count-before-key-schema": (
        dict(gsis=[index("gsi_x", key("g", kinds=["RANGE"]), projected(101))]),
        TOO_MANY_PROJECTED),
    "gsi-throughput-before-gsi-name": (
        dict(gsis=[BAD_NAME_GSI], **PROVISIONED), GSI_NO_THROUGHPUT),
    "gsi-definitions-before-table-throughput": (
        dict(gsis=[index("gsi_u", key("undefined"), ProvisionedThroughput=THROUGHPUT)],
             BillingMode="PROVISIONED"), NOT_DEFINED.format("undefined")),
    "unused-definition-before-table-throughput": (
        dict(AttributeDefinitions=X_DEFS, lsis=[LSI_L], BillingMode="PROVISIONED",
             gsis=[index("gsi_g", key("g"), ProvisionedThroughput=THROUGHPUT)]),
        DEFINITIONS_COUNT),
    "gsi-faults-before-unused-definition": (
        dict(AttributeDefinitions=X_DEFS, gsis=[GSI_G, GSI_G], lsis=[LSI_L]),
        TWO_GSIS_SAME_NAME),
    "empty-gsi-list-before-unused-definition": (
        dict(AttributeDefinitions=X_DEFS, gsis=[], lsis=[LSI_L]), EMPTY_GSI_LIST),
}


@pytest.mark.parametrize("case", sorted(ORDER_CASES))
def test_order_of_checks(ddb, case):
    overrides, message = ORDER_CASES[case]
    expect_validation(ddb.create_table, message, **args(**overrides))


def test_table_throughput_checked_after_indexes(ddb):
    expect_validation(ddb.create_table, TABLE_NO_THROUGHPUT,
                      **args(gsis=[index("gsi_g", key("g"), ProvisionedThroughput=THROUGHPUT)],
                             lsis=[LSI_L], BillingMode="PROVISIONED"))


# --- Single-attribute keys for LSIs and tables -------------------------------------------

def test_lsi_and_table_keys_stay_single_attribute(ddb):
    expect_validation(ddb.create_table, KEY_SCHEMA_TOO_BIG,
                      **args(lsis=[index("lsi_x", key("pk", "l", "g"))]))
    expect_validation(ddb.create_table, TOO_MANY_HASH_KEYS, TableName=unique_table_name("ix"),
                      AttributeDefinitions=definitions(("pk", "S"), ("g", "S")),
                      KeySchema=key("pk", "g", kinds=["HASH", "HASH"]),
                      BillingMode="PAY_PER_REQUEST")


# --- ListTables and DeleteTable ------------------------------------------------------------

def test_list_tables_shows_tables_not_indexes(ddb, create):
    name = unique_table_name("ix")
    create(**args(name=name, gsis=[GSI_G], lsis=[LSI_L]))
    names = []
    kwargs = {}
    while True:
        page = ddb.list_tables(**kwargs)
        names += page["TableNames"]
        if "LastEvaluatedTableName" not in page:
            break
        kwargs = {"ExclusiveStartTableName": page["LastEvaluatedTableName"]}
    assert name in names
    assert not any("gsi_g" in n or "lsi_l" in n for n in names)


def test_delete_table_describes_its_indexes_and_drops_them(ddb, raw, table_factory):
    name = unique_table_name("ix")
    ddb.create_table(**args(name=name, gsis=[GSI_G], lsis=[LSI_L]))
    table_factory.adopt(name)
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "x"},
                                       "l": {"S": "y"}})
    deleted = raw.request("DeleteTable", {"TableName": name})
    assert deleted.status == 200, deleted
    description = deleted.body["TableDescription"]
    assert [i["IndexName"] for i in description["GlobalSecondaryIndexes"]] == ["gsi_g"]
    assert [i["IndexName"] for i in description["LocalSecondaryIndexes"]] == ["lsi_l"]
    expect_error(ddb.query, "ResourceNotFoundException", TABLE_NOT_FOUND, TableName=name,
                 IndexName="gsi_g", KeyConditionExpression="g = :g",
                 ExpressionAttributeValues={":g": {"S": "x"}})


def test_recreated_table_does_not_inherit_indexes(ddb, table_factory):
    name = unique_table_name("ix")
    ddb.create_table(**args(name=name, gsis=[GSI_G], lsis=[LSI_L]))
    ddb.delete_table(TableName=name)
    table_factory(name=name, range_key=("sk", "S"))
    expect_validation(ddb.query, "The table does not have the specified index: gsi_g",
                      TableName=name, IndexName="gsi_g", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "x"}})
    description = ddb.describe_table(TableName=name)["Table"]
    assert "GlobalSecondaryIndexes" not in description
    assert "LocalSecondaryIndexes" not in description


def test_same_index_name_on_two_tables(create):
    first = create(**args(gsis=[GSI_G]))
    second = create(**args(gsis=[GSI_G]))
    assert first["GlobalSecondaryIndexes"][0]["IndexArn"] != \
        second["GlobalSecondaryIndexes"][0]["IndexArn"]


def test_index_names_are_case_sensitive(create):
    description = create(**args(gsis=[index("Index", key("g")), index("index", key("g"))]))
    assert sorted(by_name(description["GlobalSecondaryIndexes"])) == ["Index", "index"]

