"""Multi-attribute GSI keys in CreateTable: partition and sort keys of up to four attributes each.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
  1. a GSI key schema has 1-4 HASH attributes followed by 0-4 RANGE attributes, each in
     AttributeDefinitions;
  2. five or more of either, HASH after RANGE, or one attribute twice is refused.
Dunlin stores single-attribute keys only for now, so these run against DynamoDB Local until it
can store them (the definition rules for single-attribute indexes are in
test_index_definition.py). Errors are DynamoDB Local's, verbatim.
"""

import pytest

from conftest import unique_table_name
from expect import expect_validation

NOT_DEFINED = "Attribute {} is not defined in AttributeDefinitions"
SAME_KEY_NAME = "Two keys can not have the same name"
KEY_ORDER = ("Invalid key order. Hash Key must be specified first in key schema, Range Key must be "
             "specifed second")
TOO_MANY_PARTITION_KEYS = "Too many partition keys. GSI can have at most 4 partition keys"
TOO_MANY_SORT_KEYS = "Too many sort keys. GSI can have at most 4 sort keys"


def definitions(*pairs):
    """definitions(("pk", "S"), ...) -> AttributeDefinitions."""
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in pairs]


def key(*names, kinds=None):
    """key("h") -> HASH; key("h", "r") -> HASH + RANGE; kinds overrides the key types."""
    kinds = kinds or ["HASH"] + ["RANGE"] * (len(names) - 1)
    return [{"AttributeName": name, "KeyType": kind} for name, kind in zip(names, kinds)]


def index(name, key_schema):
    return {"IndexName": name, "KeySchema": key_schema, "Projection": {"ProjectionType": "ALL"}}


@pytest.fixture
def create(ddb, table_factory):
    """create(**create_table_args) -> TableDescription; the table is deleted after the test."""

    def run(**create_args):
        response = ddb.create_table(**create_args)
        table_factory.adopt(create_args["TableName"])
        return response["TableDescription"]

    return run


MULTI_DEFS = definitions(("pk", "S"), *[(f"m{i}", "S") for i in range(10)])


def multi(hash_count, range_count, kinds=None):
    names = [f"m{i}" for i in range(hash_count + range_count)]
    kinds = kinds or ["HASH"] * hash_count + ["RANGE"] * range_count
    return index("gsi_m", key(*names, kinds=kinds))


@pytest.mark.parametrize("hash_count,range_count", [(2, 0), (4, 0), (1, 4), (4, 4), (2, 3)])
def test_multi_attribute_gsi_keys_accepted(create, hash_count, range_count):
    """GSI.DesignPattern.MultiAttributeKeys.html: GSI partition and sort keys of up to four
    attributes each."""
    gsi = multi(hash_count, range_count)
    used = hash_count + range_count
    description = create(TableName=unique_table_name("ix"), KeySchema=key("pk"),
                         AttributeDefinitions=MULTI_DEFS[:used + 1], BillingMode="PAY_PER_REQUEST",
                         GlobalSecondaryIndexes=[gsi])
    assert description["GlobalSecondaryIndexes"][0]["KeySchema"] == gsi["KeySchema"]


@pytest.mark.parametrize("gsi,message", [
    (multi(5, 0), TOO_MANY_PARTITION_KEYS),
    (multi(1, 5), TOO_MANY_SORT_KEYS),
    (multi(2, 1, kinds=["HASH", "RANGE", "HASH"]), KEY_ORDER),
    (multi(1, 1, kinds=["RANGE", "HASH"]), KEY_ORDER),
    (index("gsi_m", key("m0", "m0", kinds=["HASH", "HASH"])), SAME_KEY_NAME),
    (index("gsi_m", key("m0", "m1", "undefined")), NOT_DEFINED.format("undefined")),
], ids=["5-partition-keys", "5-sort-keys", "hash-after-range", "range-first", "repeated",
        "undefined"])
def test_multi_attribute_gsi_key_errors(ddb, gsi, message):
    used = {element["AttributeName"] for element in gsi["KeySchema"]} - {"undefined"}
    expect_validation(ddb.create_table, message, TableName=unique_table_name("ix"),
                      KeySchema=key("pk"), BillingMode="PAY_PER_REQUEST",
                      AttributeDefinitions=definitions(("pk", "S"), *[(n, "S") for n in
                                                                      sorted(used)]),
                      GlobalSecondaryIndexes=[gsi])
