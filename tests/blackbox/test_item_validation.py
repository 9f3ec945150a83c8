"""Validation of items and keys in PutItem / GetItem / DeleteItem.

Limits from https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html:
  1. an item is at most 400 KB (409,600 bytes): the UTF-8 lengths of attribute names plus the
     sizes of the values;
  2. a partition key value is at most 2048 bytes, a sort key value at most 1024 bytes;
  3. key String/Binary values may not be empty;
  4. numbers have at most 38 significant digits, magnitude within [1E-130, 1E126);
  5. documents nest at most 32 levels deep.
"""

import pytest

from expect import (ITEM_TOO_LARGE, KEY_CONDITIONS_INVALID, KEY_TOO_LONG, KEY_TYPE_MISMATCH,
                    NOT_A_NUMBER, expect_validation)

MAX_ITEM_BYTES = 409600
MISSING_KEY = "One of the required keys was not given a value"
EMPTY_STRING_KEY = ("One or more parameter values are not valid. The AttributeValue for a key "
                    "attribute cannot contain an empty string value. Key: {}")
EMPTY_BINARY_KEY = ("One or more parameter values are not valid. The AttributeValue for a key "
                    "attribute cannot contain an empty binary value. Key: {}")


@pytest.fixture(scope="module")
def t(module_tables):
    """module_tables shorthand: t('hash_s'), t('hash_s_range_n'), ..."""
    return module_tables


# --- Numbers -------------------------------------------------------------------------------

@pytest.mark.parametrize("number,message", [
    ("abc", NOT_A_NUMBER),
    ("", NOT_A_NUMBER),
    (" 5", NOT_A_NUMBER),
    ("5 ", NOT_A_NUMBER),
    ("0x10", NOT_A_NUMBER),
    ("Infinity", NOT_A_NUMBER),
    ("NaN", NOT_A_NUMBER),
    ("1E", NOT_A_NUMBER),
    ("--1", NOT_A_NUMBER),
    ("1" * 39, "DynamoDB only supports precision up to 38 digits"),
    ("0." + "1" * 39, "DynamoDB only supports precision up to 38 digits"),
    ("1." + "0" * 37 + "1", "DynamoDB only supports precision up to 38 digits"),
    ("1E126", "Number overflow. Attempting to store a number with magnitude larger than "
              "supported range"),
    ("-1E126", "Number overflow. Attempting to store a number with magnitude larger than "
               "supported range"),
    ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than "
               "supported range"),
], ids=["letters", "empty", "leading-space", "trailing-space", "hex", "infinity", "nan",
        "bare-exponent", "double-sign", "39-digits", "39-fraction-digits", "39-digits-mixed",
        "overflow", "negative-overflow", "underflow"])
def test_invalid_numbers(ddb, t, number, message):
    expect_validation(ddb.put_item, message, TableName=t("hash_s"),
                      Item={"pk": {"S": "n"}, "n": {"N": number}})


@pytest.mark.parametrize("where", ["map", "list", "set"])
def test_invalid_number_nested(ddb, t, where):
    value = {"map": {"M": {"a": {"N": "x1"}}}, "list": {"L": [{"N": "x1"}]},
             "set": {"NS": ["1", "x1"]}}[where]
    expect_validation(ddb.put_item, NOT_A_NUMBER, TableName=t("hash_s"),
                      Item={"pk": {"S": "n"}, "v": value})


def test_invalid_number_in_key(ddb, t):
    expect_validation(ddb.get_item, NOT_A_NUMBER, TableName=t("hash_s_range_n"),
                      Key={"pk": {"S": "a"}, "sk": {"N": "abc"}})


def test_number_overflow_in_key(ddb, t):
    expect_validation(ddb.put_item, contains="Number overflow", TableName=t("hash_s_range_n"),
                      Item={"pk": {"S": "a"}, "sk": {"N": "1E126"}})


# --- Attribute values ----------------------------------------------------------------------

ATTRIBUTE_VALUE_ERRORS = {
    "empty-number-set": ({"NS": []}, "One or more parameter values were invalid: An number set  "
                                     "may not be empty"),
    "empty-string-set": ({"SS": []}, "One or more parameter values were invalid: An string set  "
                                     "may not be empty"),
    "empty-binary-set": ({"BS": []}, "One or more parameter values were invalid: Binary sets "
                                     "should not be empty"),
    "null-false": ({"NULL": False}, "One or more parameter values were invalid: Null attribute "
                                    "value types must have the value of true"),
    "two-types": ({"S": "a", "N": "1"}, "Supplied AttributeValue has more than one datatypes "
                                        "set, must contain exactly one of the supported "
                                        "datatypes"),
    "no-type": ({}, "Supplied AttributeValue is empty, must contain exactly one of the "
                    "supported datatypes"),
    "no-type-in-map": ({"M": {"y": {}}}, "Supplied AttributeValue is empty, must contain "
                                         "exactly one of the supported datatypes"),
    "no-type-in-list": ({"L": [{}]}, "Supplied AttributeValue is empty, must contain exactly "
                                     "one of the supported datatypes"),
    "empty-set-in-map": ({"M": {"y": {"SS": []}}}, "One or more parameter values were invalid: "
                                                   "An string set  may not be empty"),
}


@pytest.mark.parametrize("case", sorted(ATTRIBUTE_VALUE_ERRORS))
def test_invalid_attribute_values(ddb, t, case):
    value, message = ATTRIBUTE_VALUE_ERRORS[case]
    expect_validation(ddb.put_item, message, TableName=t("hash_s"),
                      Item={"pk": {"S": "v"}, "x": value})


@pytest.mark.parametrize("value", [{"SS": ["a", "a"]}, {"NS": ["10", "1E1"]},
                                   {"NS": ["1", "1.0"]}, {"BS": [b"a", b"a"]}],
                         ids=["strings", "numbers-1E1", "numbers-1.0", "binaries"])
def test_duplicate_set_members(ddb, t, value):
    expect_validation(ddb.put_item, contains="contains duplicates", TableName=t("hash_s"),
                      Item={"pk": {"S": "v"}, "x": value})


def test_empty_attribute_name(ddb, t):
    expect_validation(ddb.put_item, "Empty attribute name", TableName=t("hash_s"),
                      Item={"pk": {"S": "v"}, "": {"S": "x"}})


def test_empty_attribute_name_in_map(ddb, t):
    expect_validation(ddb.put_item, "Empty attribute name", TableName=t("hash_s"),
                      Item={"pk": {"S": "v"}, "m": {"M": {"": {"S": "x"}}}})


def nested(depth):
    """A value wrapped in `depth` alternating lists and maps."""
    value = {"S": "bottom"}
    for level in range(depth):
        value = {"M": {"a": value}} if level % 2 else {"L": [value]}
    return value


def test_nesting_at_limit(ddb, t):
    # 32 levels: the attribute itself and 31 nested documents.
    item = {"pk": {"S": "deep"}, "v": nested(31)}
    ddb.put_item(TableName=t("hash_s"), Item=item)
    assert ddb.get_item(TableName=t("hash_s"), Key={"pk": {"S": "deep"}})["Item"] == item


@pytest.mark.parametrize("depth", [32, 40])
def test_nesting_too_deep(ddb, t, depth):
    expect_validation(ddb.put_item, "Nesting Levels have exceeded supported limits: Attributes "
                      "in the item have nested levels beyond supported limit",
                      TableName=t("hash_s"), Item={"pk": {"S": "deep"}, "v": nested(depth)})


def test_missing_item(ddb, t):
    expect_validation(ddb.put_item, "Item to put in PutItem cannot be null",
                      TableName=t("hash_s"))


@pytest.mark.parametrize("operation", ["get_item", "delete_item"])
def test_missing_key(ddb, t, operation):
    expect_validation(getattr(ddb, operation),
                      "Cannot have null key for GetItem, DeleteItem, or UpdateItem",
                      TableName=t("hash_s"))


# --- Keys ----------------------------------------------------------------------------------

@pytest.mark.parametrize("item", [
    {"x": {"S": "a"}},
    {},
], ids=["no-key-attribute", "empty-item"])
def test_put_without_hash_key(ddb, t, item):
    expect_validation(ddb.put_item, MISSING_KEY, TableName=t("hash_s"), Item=item)


def test_put_without_range_key(ddb, t):
    expect_validation(ddb.put_item, MISSING_KEY, TableName=t("hash_s_range_n"),
                      Item={"pk": {"S": "a"}})


@pytest.mark.parametrize("operation", ["get_item", "delete_item"])
@pytest.mark.parametrize("kind,key,message", [
    ("hash_s", {"pk": {"S": "a"}, "x": {"S": "1"}}, KEY_CONDITIONS_INVALID),
    ("hash_s", {}, KEY_CONDITIONS_INVALID),
    ("hash_s", {"zz": {"S": "a"}}, MISSING_KEY),
    ("hash_s_range_n", {"pk": {"S": "a"}}, KEY_CONDITIONS_INVALID),
    ("hash_s_range_n", {"pk": {"S": "a"}, "zz": {"N": "1"}}, MISSING_KEY),
    ("hash_s_range_n", {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "1"}},
     KEY_CONDITIONS_INVALID),
], ids=["extra-attribute", "empty", "wrong-name", "range-missing", "range-wrong-name",
        "three-attributes"])
def test_key_shape_errors(ddb, t, operation, kind, key, message):
    expect_validation(getattr(ddb, operation), message, TableName=t(kind), Key=key)


@pytest.mark.parametrize("operation", ["put_item", "get_item", "delete_item"])
@pytest.mark.parametrize("kind,key", [
    ("hash_s", {"pk": {"N": "1"}}),
    ("hash_s", {"pk": {"B": b"a"}}),
    ("hash_n", {"pk": {"S": "1"}}),
    ("hash_b", {"pk": {"S": "a"}}),
    ("hash_s_range_n", {"pk": {"S": "a"}, "sk": {"S": "1"}}),
    ("hash_s_range_s", {"pk": {"S": "a"}, "sk": {"N": "1"}}),
], ids=["S-got-N", "S-got-B", "N-got-S", "B-got-S", "range-N-got-S", "range-S-got-N"])
def test_key_type_mismatch(ddb, t, operation, kind, key):
    # DynamoDB Local stops after "for key"; the service goes on with the attribute name and the
    # expected and actual types ("... for key pk expected: S actual: N"), as Dunlin does.
    args = {"Item": key} if operation == "put_item" else {"Key": key}
    message = expect_validation(getattr(ddb, operation), TableName=t(kind), **args)
    assert message.startswith(KEY_TYPE_MISMATCH), message


@pytest.mark.parametrize("operation", ["put_item", "get_item", "delete_item"])
@pytest.mark.parametrize("value", [{"SS": ["a"]}, {"NULL": True}, {"M": {}}, {"L": []},
                                   {"BOOL": True}],
                         ids=["SS", "NULL", "M", "L", "BOOL"])
def test_key_of_non_scalar_type(ddb, t, operation, value):
    args = {"Item": {"pk": value}} if operation == "put_item" else {"Key": {"pk": value}}
    expect_validation(getattr(ddb, operation), "Invalid attribute value type",
                      TableName=t("hash_s"), **args)


@pytest.mark.parametrize("operation", ["put_item", "get_item", "delete_item"])
def test_empty_string_key(ddb, t, operation):
    key = {"pk": {"S": ""}}
    args = {"Item": key} if operation == "put_item" else {"Key": key}
    expect_validation(getattr(ddb, operation), EMPTY_STRING_KEY.format("pk"),
                      TableName=t("hash_s"), **args)


def test_empty_string_range_key(ddb, t):
    expect_validation(ddb.put_item, EMPTY_STRING_KEY.format("sk"),
                      TableName=t("hash_s_range_s"), Item={"pk": {"S": "a"}, "sk": {"S": ""}})


@pytest.mark.parametrize("operation", ["put_item", "get_item", "delete_item"])
def test_empty_binary_key(ddb, t, operation):
    key = {"pk": {"B": b""}}
    args = {"Item": key} if operation == "put_item" else {"Key": key}
    expect_validation(getattr(ddb, operation), EMPTY_BINARY_KEY.format("pk"),
                      TableName=t("hash_b"), **args)


def test_empty_binary_range_key(ddb, t):
    expect_validation(ddb.put_item, EMPTY_BINARY_KEY.format("sk"),
                      TableName=t("hash_s_range_b"), Item={"pk": {"S": "a"}, "sk": {"B": b""}})


# --- Key lengths ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind,key", [
    ("hash_s", {"pk": {"S": "a" * 2048}}),
    ("hash_s", {"pk": {"S": "\u00e9" * 1024}}),            # 2048 UTF-8 bytes
    ("hash_b", {"pk": {"B": b"\x01" * 2048}}),
    ("hash_s_range_s", {"pk": {"S": "a" * 2048}, "sk": {"S": "b" * 1024}}),
    ("hash_s_range_b", {"pk": {"S": "a"}, "sk": {"B": b"b" * 1024}}),
    ("hash_s_range_n", {"pk": {"S": "a"}, "sk": {"N": "9" * 38}}),
], ids=["hash-S-2048", "hash-S-2048-utf8", "hash-B-2048", "range-S-1024", "range-B-1024",
        "range-N-38-digits"])
def test_key_at_maximum_length(ddb, t, kind, key):
    item = dict(key, v={"S": "x"})
    ddb.put_item(TableName=t(kind), Item=item)
    assert ddb.get_item(TableName=t(kind), Key=key)["Item"] == item
    ddb.delete_item(TableName=t(kind), Key=key)


@pytest.mark.parametrize("operation", ["put_item", "get_item", "delete_item"])
@pytest.mark.parametrize("kind,key", [
    ("hash_s", {"pk": {"S": "a" * 2049}}),
    ("hash_s", {"pk": {"S": "\u00e9" * 1024 + "a"}}),      # 2049 UTF-8 bytes
    ("hash_b", {"pk": {"B": b"\x01" * 2049}}),
    ("hash_s_range_s", {"pk": {"S": "a" * 2049}, "sk": {"S": "b"}}),
    ("hash_s_range_s", {"pk": {"S": "a"}, "sk": {"S": "b" * 1025}}),
    ("hash_s_range_b", {"pk": {"S": "a"}, "sk": {"B": b"b" * 1025}}),
], ids=["hash-S-2049", "hash-S-2049-utf8", "hash-B-2049", "composite-hash-2049",
        "range-S-1025", "range-B-1025"])
def test_key_too_long(ddb, t, operation, kind, key):
    args = {"Item": key} if operation == "put_item" else {"Key": key}
    expect_validation(getattr(ddb, operation), KEY_TOO_LONG, TableName=t(kind), **args)


# --- Item size -----------------------------------------------------------------------------
# Sizes (bytes) DynamoDB counts for the value of attribute "n" (name: 1 byte), measured as the
# point where a 409,600-byte item turns into a too-large one.
VALUE_SIZES = [
    ("S-utf8", {"S": "\u00e9"}, 2),
    ("N-1", {"N": "1"}, 2),
    ("N-12", {"N": "12"}, 2),
    ("N-123", {"N": "123"}, 3),
    ("N-1234", {"N": "1234"}, 3),
    ("N-0", {"N": "0"}, 1),
    ("N-negative", {"N": "-1"}, 3),
    ("N-38-digits", {"N": "1" * 38}, 20),
    ("N-1E100", {"N": "1E100"}, 2),
    ("N-0.001", {"N": "0.001"}, 2),
    # Digits are counted in pairs aligned on the decimal point ("01.23|40"), zero pairs at
    # either end dropped.
    ("N-1.2", {"N": "1.2"}, 3),
    ("N-1.234", {"N": "1.234"}, 4),
    ("N-101", {"N": "101"}, 3),
    ("N-1000", {"N": "1000"}, 2),
    ("N-12E3", {"N": "12E3"}, 3),
    ("N-negative-fraction", {"N": "-0.5"}, 3),
    ("N-0.0001", {"N": "0.0001"}, 2),
    ("N-1234567", {"N": "1234567"}, 5),
    ("BOOL", {"BOOL": True}, 1),
    ("NULL", {"NULL": True}, 1),
    ("M-empty", {"M": {}}, 3),
    ("L-empty", {"L": []}, 3),
    ("M-one", {"M": {"a": {"S": "b"}}}, 6),
    ("L-one", {"L": [{"S": "b"}]}, 5),
    ("L-two", {"L": [{"S": "b"}, {"S": "c"}]}, 7),
    ("M-nested", {"M": {"a": {"M": {"b": {"NULL": True}}}}}, 11),
    ("SS", {"SS": ["ab", "c"]}, 3),
    ("NS", {"NS": ["1", "22"]}, 4),
    ("BS", {"BS": [b"ab"]}, 2),
]


def sized_item(total_bytes, extra=None, extra_bytes=0):
    """An item of exactly total_bytes: pk "k" (3 bytes), padding "d" (1 + len), plus extra."""
    pad = total_bytes - 3 - 1 - extra_bytes
    item = {"pk": {"S": "k"}, "d": {"S": "x" * pad}}
    item.update(extra or {})
    return item


def test_item_at_maximum_size(ddb, t):
    ddb.put_item(TableName=t("hash_s"), Item=sized_item(MAX_ITEM_BYTES))
    item = ddb.get_item(TableName=t("hash_s"), Key={"pk": {"S": "k"}})["Item"]
    assert len(item["d"]["S"]) == MAX_ITEM_BYTES - 4


@pytest.mark.parametrize("over", [1, 100, 1000000])
def test_item_too_large(ddb, t, over):
    expect_validation(ddb.put_item, ITEM_TOO_LARGE, TableName=t("hash_s"),
                      Item=sized_item(MAX_ITEM_BYTES + over))


def test_item_too_large_binary(ddb, t):
    item = {"pk": {"S": "k"}, "d": {"B": b"x" * (MAX_ITEM_BYTES - 4)}}
    ddb.put_item(TableName=t("hash_s"), Item=item)
    item["d"] = {"B": b"x" * (MAX_ITEM_BYTES - 3)}
    expect_validation(ddb.put_item, ITEM_TOO_LARGE, TableName=t("hash_s"), Item=item)


def test_item_too_large_utf8_counts_bytes(ddb, t):
    # 2-byte characters: half as many fit.
    item = {"pk": {"S": "k"}, "d": {"S": "\u00e9" * ((MAX_ITEM_BYTES - 4) // 2)}}
    ddb.put_item(TableName=t("hash_s"), Item=item)
    item["d"] = {"S": "\u00e9" * ((MAX_ITEM_BYTES - 4) // 2) + "a"}
    expect_validation(ddb.put_item, ITEM_TOO_LARGE, TableName=t("hash_s"), Item=item)


def test_attribute_names_count_towards_size(ddb, t):
    item = {"pk": {"S": "k"}, "n" * 1000: {"S": "x" * (MAX_ITEM_BYTES - 3 - 1000)}}
    ddb.put_item(TableName=t("hash_s"), Item=item)
    item["n" * 1001] = item.pop("n" * 1000)
    expect_validation(ddb.put_item, ITEM_TOO_LARGE, TableName=t("hash_s"), Item=item)


@pytest.mark.parametrize("name,value,size", VALUE_SIZES, ids=[v[0] for v in VALUE_SIZES])
def test_value_size_accounting(ddb, t, name, value, size):
    extra_bytes = 1 + size    # the name "n" plus the value
    ddb.put_item(TableName=t("hash_s"),
                 Item=sized_item(MAX_ITEM_BYTES, {"n": value}, extra_bytes))
    expect_validation(ddb.put_item, ITEM_TOO_LARGE, TableName=t("hash_s"),
                      Item=sized_item(MAX_ITEM_BYTES + 1, {"n": value}, extra_bytes))


# --- Which error wins ----------------------------------------------------------------------

def test_number_error_before_key_type_mismatch(ddb, t):
    expect_validation(ddb.put_item, NOT_A_NUMBER, TableName=t("hash_s"),
                      Item={"pk": {"N": "1"}, "x": {"N": "abc"}})


def test_item_size_before_key_length(ddb, t):
    expect_validation(ddb.put_item, ITEM_TOO_LARGE, TableName=t("hash_s"),
                      Item={"pk": {"S": "a" * 2049}, "x": {"S": "x" * MAX_ITEM_BYTES}})
