"""PutItem / GetItem / DeleteItem round trips: every attribute type, number canonicalisation.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
(numbers: up to 38 significant digits, magnitude 1E-130 to
9.9999999999999999999999999999999999999E+125; empty String and Binary values allowed outside
keys, also inside sets, lists and maps).
"""

import decimal

import pytest

from expect import TABLE_NOT_FOUND, expect_error


def normalise(value):
    """Makes set order irrelevant for comparisons (DynamoDB returns sets in no fixed order)."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            if key in ("SS", "NS", "BS"):
                out[key] = sorted(inner)
            else:
                out[key] = normalise(inner)
        return out
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def put_get(ddb, table, item, key=None):
    ddb.put_item(TableName=table, Item=item)
    key = key or {"pk": item["pk"]}
    return ddb.get_item(TableName=table, Key=key).get("Item")


ALL_TYPES = {
    "pk": {"S": "all-types"},
    "s": {"S": "h\u00e9llo \u2603 \U0001F600"},
    "n": {"N": "-12.5"},
    "b": {"B": b"\x00\x01\xfe\xff"},
    "t": {"BOOL": True},
    "f": {"BOOL": False},
    "nul": {"NULL": True},
    "m": {"M": {"x": {"S": "y"}, "nested": {"M": {"deep": {"L": [{"N": "1"}, {"M": {}}]}}}}},
    "l": {"L": [{"S": "a"}, {"N": "2"}, {"B": b"c"}, {"BOOL": False}, {"NULL": True},
                {"L": []}, {"SS": ["x"]}]},
    "ss": {"SS": ["b", "a", "c"]},
    "ns": {"NS": ["3", "1.5", "-2"]},
    "bs": {"BS": [b"\x02", b"\x01"]},
    "empty_m": {"M": {}},
    "empty_l": {"L": []},
}


def test_all_types_round_trip(ddb, table):
    assert normalise(put_get(ddb, table, ALL_TYPES)) == normalise(ALL_TYPES)


def test_all_types_raw_json(raw, table):
    item = {"pk": {"S": "raw"}, "b": {"B": "AAH+/w=="}, "bs": {"BS": ["AQ==", "Ag=="]},
            "n": {"N": "7"}, "m": {"M": {"l": {"L": [{"NULL": True}]}}}}
    assert raw.request("PutItem", {"TableName": table, "Item": item}).status == 200
    response = raw.request("GetItem", {"TableName": table, "Key": {"pk": {"S": "raw"}}})
    assert response.status == 200
    assert normalise(response.body) == normalise({"Item": item})


def test_attribute_names_any_utf8(ddb, table):
    item = {"pk": {"S": "names"}, "with space": {"S": "1"}, "\u00e9t\u00e9": {"S": "2"},
            "a.b[0]": {"S": "3"}, "#x": {"S": "4"}, ":y": {"S": "5"}, "n" * 1000: {"S": "6"}}
    assert put_get(ddb, table, item) == item


def test_deeply_nested(ddb, table):
    value = {"S": "bottom"}
    for depth in range(30):
        value = {"M": {"d%d" % depth: value}} if depth % 2 else {"L": [value]}
    item = {"pk": {"S": "deep"}, "v": value}
    assert put_get(ddb, table, item) == item


def test_put_replaces_whole_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "r"}, "a": {"S": "1"}, "b": {"S": "2"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "r"}, "c": {"S": "3"}})
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "r"}})["Item"] == {
        "pk": {"S": "r"}, "c": {"S": "3"}}


def test_get_missing_item_has_no_item_key(ddb, table):
    response = ddb.get_item(TableName=table, Key={"pk": {"S": "nothing"}})
    response.pop("ResponseMetadata")
    assert response == {}


def test_get_missing_item_raw_body(raw, table):
    response = raw.request("GetItem", {"TableName": table, "Key": {"pk": {"S": "nothing"}}})
    assert (response.status, response.body) == (200, {})


@pytest.mark.parametrize("consistent", [True, False])
def test_consistent_read_accepted(ddb, table, consistent):
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}})
    response = ddb.get_item(TableName=table, Key={"pk": {"S": "c"}}, ConsistentRead=consistent)
    assert response["Item"] == {"pk": {"S": "c"}}


def test_delete_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "d"}, "v": {"N": "1"}})
    response = ddb.delete_item(TableName=table, Key={"pk": {"S": "d"}})
    response.pop("ResponseMetadata")
    assert response == {}
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "d"}})


def test_delete_missing_item_succeeds(ddb, table):
    response = ddb.delete_item(TableName=table, Key={"pk": {"S": "never"}})
    assert "Attributes" not in response


def test_composite_key_items_are_distinct(ddb, table_sk):
    for sk in ("1", "2", "10"):
        ddb.put_item(TableName=table_sk, Item={"pk": {"S": "p"}, "sk": {"N": sk},
                                                "v": {"S": "v" + sk}})
    ddb.put_item(TableName=table_sk, Item={"pk": {"S": "q"}, "sk": {"N": "1"},
                                            "v": {"S": "other"}})
    for sk in ("1", "2", "10"):
        item = ddb.get_item(TableName=table_sk, Key={"pk": {"S": "p"}, "sk": {"N": sk}})["Item"]
        assert item["v"] == {"S": "v" + sk}
    ddb.delete_item(TableName=table_sk, Key={"pk": {"S": "p"}, "sk": {"N": "2"}})
    assert "Item" not in ddb.get_item(TableName=table_sk,
                                      Key={"pk": {"S": "p"}, "sk": {"N": "2"}})
    assert ddb.scan(TableName=table_sk)["Count"] == 3


def test_binary_key(ddb, table_factory):
    table = table_factory(hash_key=("pk", "B"), range_key=("sk", "B"))
    key = {"pk": {"B": b"\x00\xff"}, "sk": {"B": b"\x00"}}
    item = dict(key, v={"S": "bin"})
    assert put_get(ddb, table, item, key=key) == item
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"B": b"\x00\xff"},
                                                            "sk": {"B": b"\x00\x00"}})


def test_string_keys_are_exact(ddb, table):
    # No Unicode normalisation or case folding: these are four different keys.
    for key in ("caf\u00e9", "cafe\u0301", "CAF\u00c9", "caf\u00e9 "):
        ddb.put_item(TableName=table, Item={"pk": {"S": key}, "v": {"S": key}})
    for key in ("caf\u00e9", "cafe\u0301", "CAF\u00c9", "caf\u00e9 "):
        assert ddb.get_item(TableName=table, Key={"pk": {"S": key}})["Item"]["v"] == {"S": key}


# --- Numbers -------------------------------------------------------------------------------

CANONICAL_NUMBERS = [
    ("1E3", "1000"),
    ("00012.3400", "12.34"),
    ("-0", "0"),
    ("-0.0", "0"),
    ("0.000", "0"),
    ("1.0", "1"),
    ("1E-5", "0.00001"),
    ("1.5E+2", "150"),
    ("123E-2", "1.23"),
    ("1e2", "100"),
    ("+5", "5"),
    (".5", "0.5"),
    ("5.", "5"),
    ("-1.50", "-1.5"),
    ("1.23E+40", "123" + "0" * 38),
    ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("1234567890123456789012345678901234567.8", "1234567890123456789012345678901234567.8"),
    ("0.12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678"),
    ("-99999999999999999999999999999999999999", "-99999999999999999999999999999999999999"),
    ("123456789012345678901234567890123456780", "123456789012345678901234567890123456780"),
    ("1E125", "1" + "0" * 125),
    ("9.9999999999999999999999999999999999999E+125", "9" * 38 + "0" * 88),
    ("1E-130", "0." + "0" * 129 + "1"),
    ("-1E-130", "-0." + "0" * 129 + "1"),
]


@pytest.mark.parametrize("given,canonical", CANONICAL_NUMBERS, ids=[g for g, _ in
                                                                    CANONICAL_NUMBERS])
def test_number_canonical_form(ddb, table, given, canonical):
    item = put_get(ddb, table, {"pk": {"S": "num"}, "n": {"N": given}})
    assert item["n"] == {"N": canonical}


def test_number_set_canonical_form(ddb, table):
    item = put_get(ddb, table, {"pk": {"S": "ns"}, "ns": {"NS": ["10", "2", "3.0", "-0.50"]}})
    assert sorted(item["ns"]["NS"]) == sorted(["10", "2", "3", "-0.5"])


def test_numbers_in_documents_keep_their_value(ddb, table):
    # DynamoDB Local returns numbers inside maps and lists as they were sent ("1E3") while it
    # canonicalises top-level numbers and sets; only the value is pinned here.
    item = put_get(ddb, table, {"pk": {"S": "doc"}, "m": {"M": {"a": {"N": "1E3"}}},
                                "l": {"L": [{"N": "007"}, {"NS": ["007", "5"]}]}})
    assert decimal.Decimal(item["m"]["M"]["a"]["N"]) == 1000
    assert decimal.Decimal(item["l"]["L"][0]["N"]) == 7
    assert sorted(item["l"]["L"][1]["NS"]) == ["5", "7"]


@pytest.mark.parametrize("written,read", [("1E3", "1000"), ("1000", "1E3"), ("1.0", "1"),
                                          ("-0", "0"), ("0.10", ".1")])
def test_equal_numbers_are_the_same_key(ddb, table_factory, written, read):
    table = table_factory(hash_key=("pk", "N"))
    ddb.put_item(TableName=table, Item={"pk": {"N": written}, "v": {"S": "x"}})
    item = ddb.get_item(TableName=table, Key={"pk": {"N": read}})["Item"]
    assert item["v"] == {"S": "x"}
    ddb.put_item(TableName=table, Item={"pk": {"N": read}, "v": {"S": "y"}})
    assert ddb.scan(TableName=table)["Count"] == 1


def test_equal_numbers_as_range_key(ddb, table_sk):
    ddb.put_item(TableName=table_sk, Item={"pk": {"S": "p"}, "sk": {"N": "1.50"}})
    item = ddb.get_item(TableName=table_sk, Key={"pk": {"S": "p"}, "sk": {"N": "15E-1"}})
    assert item["Item"] == {"pk": {"S": "p"}, "sk": {"N": "1.5"}}


def test_exact_big_numbers_are_distinct_keys(ddb, table_factory):
    table = table_factory(hash_key=("pk", "N"))
    a = "12345678901234567890123456789012345678"
    b = "12345678901234567890123456789012345679"
    ddb.put_item(TableName=table, Item={"pk": {"N": a}, "v": {"S": "a"}})
    ddb.put_item(TableName=table, Item={"pk": {"N": b}, "v": {"S": "b"}})
    assert ddb.get_item(TableName=table, Key={"pk": {"N": a}})["Item"]["v"] == {"S": "a"}
    assert ddb.get_item(TableName=table, Key={"pk": {"N": b}})["Item"]["v"] == {"S": "b"}


# --- Empty values --------------------------------------------------------------------------

def test_empty_string_and_binary_outside_keys(ddb, table):
    item = {"pk": {"S": "empty"}, "s": {"S": ""}, "b": {"B": b""},
            "m": {"M": {"s": {"S": ""}, "b": {"B": b""}}}, "l": {"L": [{"S": ""}]},
            "ss": {"SS": [""]}, "bs": {"BS": [b""]}}
    assert normalise(put_get(ddb, table, item)) == normalise(item)


# --- Missing table -------------------------------------------------------------------------

@pytest.mark.parametrize("operation,args", [
    ("put_item", {"Item": {"pk": {"S": "a"}}}),
    ("get_item", {"Key": {"pk": {"S": "a"}}}),
    ("delete_item", {"Key": {"pk": {"S": "a"}}}),
    ("scan", {}),
])
def test_missing_table(ddb, operation, args):
    expect_error(getattr(ddb, operation), "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="no-such-table-" + operation.replace("_", "-"), **args)
