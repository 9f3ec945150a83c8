"""The legacy parameters: Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter,
AttributesToGet and ConditionalOperator, and the rule against mixing them with expressions.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Condition.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExpectedAttributeValue.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValueUpdate.html
  1. each comparison operator means what its expression counterpart means, except that
     NOT_CONTAINS is false on a missing attribute;
  2. a request uses one style or the other; an empty legacy map or list counts as absent;
  3. ConditionalOperator needs two entries or more, and combines them with AND or OR;
  4. AttributeUpdates PUT / ADD / DELETE work on top-level attributes; ADD appends to lists.
Every message below is DynamoDB Local's.
"""

import uuid

import pytest

from expect import expect_error, expect_raw_error, expect_validation

INVALID = "One or more parameter values were invalid: "
FAILED = "The conditional request failed"

ITEM = {"pk": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "hello"}, "b": {"B": b"hello"},
        "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "l": {"L": [{"S": "a"}, {"N": "1"}]},
        "m": {"M": {"k": {"S": "v"}}}, "t": {"BOOL": True}, "z": {"NULL": True},
        "a.b": {"S": "dotted"}}


@pytest.fixture(scope="module")
def tbl(module_tables):
    return module_tables("hash_s")


@pytest.fixture(scope="module")
def ranged(ddb, module_tables):
    """pk "q" holds sk 1..5 with v = 10 * sk and s = "s<sk>"."""
    table = module_tables("hash_s_range_n")
    for i in range(1, 6):
        ddb.put_item(TableName=table, Item={"pk": {"S": "q"}, "sk": {"N": str(i)},
                                            "v": {"N": str(10 * i)}, "s": {"S": f"s{i}"}})
    return table


def fresh(ddb, table, **attributes):
    item = dict(ITEM)
    item.update(attributes)
    item["pk"] = {"S": "k-" + uuid.uuid4().hex[:10]}
    ddb.put_item(TableName=table, Item=item)
    return item


def holds(ddb, table, item, expected):
    """Whether a PutItem of `item` with this Expected succeeds (it rewrites the same item)."""
    try:
        ddb.put_item(TableName=table, Item=item, Expected=expected)
        return True
    except ddb.exceptions.ConditionalCheckFailedException:
        return False


# --- Expected: what each operator means ------------------------------------------------------

@pytest.mark.parametrize("attribute,op,values,result", [
    ("n", "EQ", [{"N": "5"}], True),
    ("n", "EQ", [{"S": "5"}], False),
    ("l", "EQ", [{"L": [{"S": "a"}, {"N": "1"}]}], True),
    ("n", "NE", [{"N": "6"}], True),
    ("missing", "NE", [{"N": "6"}], True),
    ("n", "LT", [{"N": "6"}], True),
    ("n", "LE", [{"N": "5"}], True),
    ("n", "GT", [{"N": "5"}], False),
    ("s", "GE", [{"S": "hello"}], True),
    ("s", "LT", [{"N": "6"}], False),
    ("n", "NOT_NULL", [], True),
    ("missing", "NOT_NULL", [], False),
    ("missing", "NULL", [], True),
    ("s", "CONTAINS", [{"S": "ell"}], True),
    ("ss", "CONTAINS", [{"S": "a"}], True),
    ("l", "CONTAINS", [{"N": "1"}], True),
    ("ss", "NOT_CONTAINS", [{"S": "z"}], True),
    ("ss", "NOT_CONTAINS", [{"S": "a"}], False),
    ("missing", "NOT_CONTAINS", [{"S": "a"}], False),
    ("s", "BEGINS_WITH", [{"S": "he"}], True),
    ("b", "BEGINS_WITH", [{"B": b"he"}], True),
    ("n", "IN", [{"N": "1"}, {"N": "5"}], True),
    ("n", "IN", [{"N": "1"}, {"N": "2"}], False),
    ("n", "BETWEEN", [{"N": "1"}, {"N": "5"}], True),
    ("n", "BETWEEN", [{"N": "6"}, {"N": "9"}], False),
    ("a.b", "EQ", [{"S": "dotted"}], True),
])
def test_expected_operators(ddb, tbl, attribute, op, values, result):
    item = fresh(ddb, tbl)
    expected = {attribute: {"ComparisonOperator": op}}
    if values:
        expected[attribute]["AttributeValueList"] = values
    assert holds(ddb, tbl, item, expected) == result


def test_expected_value_and_exists(ddb, tbl):
    item = fresh(ddb, tbl)
    assert holds(ddb, tbl, item, {"n": {"Value": {"N": "5"}}})
    assert not holds(ddb, tbl, item, {"n": {"Value": {"N": "6"}}})
    assert holds(ddb, tbl, item, {"n": {"Value": {"N": "5"}, "Exists": True}})
    assert not holds(ddb, tbl, item, {"n": {"Exists": False}})
    assert holds(ddb, tbl, item, {"missing": {"Exists": False}})
    # Value stands in for a one-element AttributeValueList.
    assert holds(ddb, tbl, item, {"n": {"ComparisonOperator": "GT", "Value": {"N": "4"}}})


def test_expected_on_missing_item(ddb, tbl):
    pk = {"S": "new-" + uuid.uuid4().hex[:8]}
    ddb.put_item(TableName=tbl, Item={"pk": pk}, Expected={"pk": {"Exists": False}})
    expect_error(ddb.put_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Item={"pk": pk}, Expected={"pk": {"Exists": False}})


def test_conditional_operator(ddb, tbl):
    item = fresh(ddb, tbl)
    one_false = {"n": {"Value": {"N": "5"}}, "s": {"Value": {"S": "no"}}}
    assert not holds(ddb, tbl, item, one_false)
    ddb.put_item(TableName=tbl, Item=item, Expected=one_false, ConditionalOperator="OR")
    expect_error(ddb.put_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Item=item, Expected=one_false, ConditionalOperator="AND")


def test_expected_on_delete_and_update(ddb, tbl):
    item = fresh(ddb, tbl)
    expect_error(ddb.delete_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Key={"pk": item["pk"]}, Expected={"n": {"Value": {"N": "4"}}})
    ddb.update_item(TableName=tbl, Key={"pk": item["pk"]},
                    UpdateExpression="SET q = :q", ExpressionAttributeValues={":q": {"N": "1"}})
    ddb.delete_item(TableName=tbl, Key={"pk": item["pk"]}, Expected={"q": {"Value": {"N": "1"}}})
    assert "Item" not in ddb.get_item(TableName=tbl, Key={"pk": item["pk"]})


def test_expected_failure_returns_old_item(raw, tbl, ddb):
    item = fresh(ddb, tbl)
    response = raw.request("UpdateItem", {
        "TableName": tbl, "Key": {"pk": item["pk"]},
        "AttributeUpdates": {"n": {"Action": "PUT", "Value": {"N": "1"}}},
        "Expected": {"n": {"Value": {"N": "4"}}}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    expect_raw_error(response, 400, "ConditionalCheckFailedException", FAILED)
    assert response.body["Item"]["n"] == {"N": "5"}


# --- Expected: validation --------------------------------------------------------------------

@pytest.mark.parametrize("expected,message", [
    ({"n": {"Exists": True}}, INVALID + "Value must be provided when Exists is true for Attribute: n"),
    ({"n": {}}, INVALID + "Value must be provided when Exists is null for Attribute: n"),
    ({"n": {"Exists": False, "Value": {"N": "5"}}},
     INVALID + "Value cannot be used when Exists is false for Attribute: n"),
    ({"n": {"ComparisonOperator": "EQ", "Exists": True, "Value": {"N": "5"}}},
     INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: n"),
    ({"n": {"ComparisonOperator": "EQ", "Value": {"N": "5"}, "AttributeValueList": [{"N": "5"}]}},
     INVALID + "Value and AttributeValueList cannot be used together for Attribute: n"),
    ({"n": {"ComparisonOperator": "EQ"}},
     INVALID + "Value or AttributeValueList must be used with ComparisonOperator: EQ for "
     "Attribute: n"),
    ({"n": {"AttributeValueList": [{"N": "5"}]}},
     INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: n"),
    ({"n": {"ComparisonOperator": "BOGUS", "AttributeValueList": [{"N": "5"}]}},
     "Comparison type does not exist in DynamoDB"),
    ({"n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}, {"N": "6"}]}},
     INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"n": {"ComparisonOperator": "NOT_NULL", "AttributeValueList": [{"N": "5"}]}},
     INVALID + "Invalid number of argument(s) for the NOT_NULL ComparisonOperator"),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]}},
     INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
    ({"n": {"ComparisonOperator": "IN", "AttributeValueList": []}},
     INVALID + "Invalid number of argument(s) for the IN ComparisonOperator"),
    ({"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["a"]}]}},
     INVALID + "ComparisonOperator LT is not valid for SS AttributeValue type"),
    ({"n": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"L": []}]}},
     INVALID + "ComparisonOperator CONTAINS is not valid for L AttributeValue type"),
    ({"n": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}},
     INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    ({"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"SS": ["a"]}]}},
     INVALID + "ComparisonOperator IN is not valid for SS AttributeValue type"),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"S": "9"}]}},
     INVALID + "AttributeValues inside AttributeValueList must be of same type"),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "9"}, {"N": "1"}]}},
     "The BETWEEN condition was provided a range where the lower bound is greater than the "
     "upper bound"),
    ({"": {"Exists": False}}, "Empty attribute name"),
    ({"n": {"Value": {"N": "abc"}}}, "A value provided cannot be converted into a number"),
    ({"n": {"Value": {"SS": []}}}, INVALID + "An string set  may not be empty"),
])
def test_expected_validation(ddb, tbl, expected, message):
    expect_validation(ddb.put_item, message, TableName=tbl, Item={"pk": {"S": "v"}},
                      Expected=expected)


def test_conditional_operator_validation(ddb, tbl):
    item = {"pk": {"S": "v"}}
    expect_validation(ddb.put_item, "ConditionalOperator cannot be used without Filter or Expected",
                      TableName=tbl, Item=item, ConditionalOperator="OR")
    expect_validation(
        ddb.put_item,
        "ConditionalOperator can only be used when Filter or Expected has two or more elements",
        TableName=tbl, Item=item, Expected={"n": {"Exists": False}}, ConditionalOperator="OR")


@pytest.mark.dunlin_only("DynamoDB Local answers 500 for a ConditionalOperator outside the enum")
def test_conditional_operator_enum(ddb, tbl):
    expect_validation(
        ddb.put_item,
        "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy "
        "constraint: Member must satisfy enum value set: [AND, OR]",
        TableName=tbl, Item={"pk": {"S": "v"}},
        Expected={"n": {"Exists": False}, "m": {"Exists": False}}, ConditionalOperator="XOR")


@pytest.mark.dunlin_only("DynamoDB Local answers 500 for a mistyped Expected")
def test_expected_wrong_json_type(raw, tbl):
    response = raw.request("PutItem", {"TableName": tbl, "Item": {"pk": {"S": "v"}},
                                       "Expected": {"n": "str"}})
    expect_raw_error(response, 400, "SerializationException")


# --- Mixing the two styles -------------------------------------------------------------------

def mixed(legacy, expression):
    return ("Can not use both expression and non-expression parameters in the same request: "
            f"Non-expression parameters: {{{legacy}}} Expression parameters: {{{expression}}}")


def test_mixing_on_writes(ddb, tbl):
    item = {"pk": {"S": "v"}}
    expect_validation(ddb.put_item, mixed("Expected, ConditionalOperator", "ConditionExpression"),
                      TableName=tbl, Item=item, Expected={"n": {"Exists": False}},
                      ConditionalOperator="OR", ConditionExpression="attribute_exists(n)")
    expect_validation(ddb.delete_item, mixed("Expected", "ConditionExpression"),
                      TableName=tbl, Key=item, Expected={"n": {"Exists": False}},
                      ConditionExpression="attribute_exists(n)")
    expect_validation(
        ddb.update_item,
        mixed("AttributeUpdates, Expected, ConditionalOperator",
              "UpdateExpression, ConditionExpression"),
        TableName=tbl, Key=item, Expected={"v": {"Exists": False}},
        AttributeUpdates={"v": {"Action": "DELETE"}}, ConditionalOperator="OR",
        ConditionExpression="attribute_exists(v)", UpdateExpression="REMOVE v")
    expect_validation(ddb.update_item, mixed("ConditionalOperator", "UpdateExpression"),
                      TableName=tbl, Key=item, UpdateExpression="REMOVE v",
                      ConditionalOperator="AND")


def test_mixing_on_reads(ddb, ranged):
    kc = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "q"}]}}
    expect_validation(
        ddb.query,
        mixed("AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions",
              "ProjectionExpression, FilterExpression, KeyConditionExpression"),
        TableName=ranged, KeyConditions=kc, AttributesToGet=["v"], ConditionalOperator="OR",
        QueryFilter={"v": {"ComparisonOperator": "NOT_NULL"},
                     "s": {"ComparisonOperator": "NOT_NULL"}},
        KeyConditionExpression="pk = :p", FilterExpression="v > :p", ProjectionExpression="v",
        ExpressionAttributeValues={":p": {"S": "q"}})
    expect_validation(ddb.query, mixed("QueryFilter", "KeyConditionExpression"),
                      TableName=ranged, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"S": "q"}},
                      QueryFilter={"v": {"ComparisonOperator": "NOT_NULL"}})
    expect_validation(ddb.scan, mixed("AttributesToGet, ScanFilter", "ProjectionExpression"),
                      TableName=ranged, AttributesToGet=["v"], ProjectionExpression="v",
                      ScanFilter={"v": {"ComparisonOperator": "NOT_NULL"}})
    expect_validation(ddb.get_item, mixed("AttributesToGet", "ProjectionExpression"),
                      TableName=ranged, Key={"pk": {"S": "q"}, "sk": {"N": "1"}},
                      AttributesToGet=["v"], ProjectionExpression="v")


def test_key_conditions_go_with_filter_expression(ddb, ranged):
    response = ddb.query(
        TableName=ranged, FilterExpression="v > :v", ExpressionAttributeValues={":v": {"N": "30"}},
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "q"}]}})
    assert [item["sk"]["N"] for item in response["Items"]] == ["4", "5"]
    assert response["ScannedCount"] == 5


def test_empty_legacy_members_count_as_absent(ddb, tbl):
    key = {"pk": {"S": "empty-" + uuid.uuid4().hex[:8]}}
    ddb.update_item(TableName=tbl, Key=key, UpdateExpression="SET n = :v",
                    ExpressionAttributeValues={":v": {"N": "1"}}, Expected={},
                    AttributeUpdates={})
    assert ddb.get_item(TableName=tbl, Key=key)["Item"]["n"] == {"N": "1"}


def test_expression_values_need_an_expression(ddb, ranged):
    expect_validation(
        ddb.query,
        "ExpressionAttributeValues can only be specified when using expressions: "
        "FilterExpression and KeyConditionExpression are null",
        TableName=ranged, ExpressionAttributeValues={":p": {"S": "q"}},
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "q"}]}})
    expect_validation(
        ddb.scan, "ExpressionAttributeValues can only be specified when using expressions: "
        "FilterExpression is null", TableName=ranged, ExpressionAttributeValues={":p": {"S": "q"}},
        ScanFilter={"v": {"ComparisonOperator": "NOT_NULL"}})


# --- AttributeUpdates ------------------------------------------------------------------------

def update(ddb, table, key, updates, **kwargs):
    return ddb.update_item(TableName=table, Key=key, AttributeUpdates=updates,
                           ReturnValues=kwargs.pop("ReturnValues", "ALL_NEW"),
                           **kwargs).get("Attributes")


@pytest.mark.parametrize("updates,changed", [
    ({"n": {"Action": "PUT", "Value": {"S": "x"}}}, {"n": {"S": "x"}}),
    ({"n": {"Action": "ADD", "Value": {"N": "2"}}}, {"n": {"N": "7"}}),
    ({"new": {"Action": "ADD", "Value": {"N": "2"}}}, {"new": {"N": "2"}}),
    ({"ss": {"Action": "ADD", "Value": {"SS": ["c"]}}}, {"ss": {"SS": ["a", "b", "c"]}}),
    ({"l": {"Action": "ADD", "Value": {"L": [{"S": "b"}]}}},
     {"l": {"L": [{"S": "a"}, {"N": "1"}, {"S": "b"}]}}),
    ({"newl": {"Action": "ADD", "Value": {"L": [{"S": "b"}]}}}, {"newl": {"L": [{"S": "b"}]}}),
    ({"n": {"Action": "DELETE"}}, {"n": None}),
    ({"ss": {"Action": "DELETE", "Value": {"SS": ["a"]}}}, {"ss": {"SS": ["b"]}}),
    ({"ss": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}}}, {"ss": None}),
    ({"missing": {"Action": "DELETE", "Value": {"SS": ["a"]}}}, {}),
    ({"missing": {"Action": "DELETE"}}, {}),
    ({"a.b": {"Action": "PUT", "Value": {"S": "z"}}}, {"a.b": {"S": "z"}}),
])
def test_attribute_updates(ddb, tbl, updates, changed):
    item = fresh(ddb, tbl)
    expected = dict(item)
    for name, value in changed.items():
        if value is None:
            del expected[name]
        else:
            expected[name] = value
    new = update(ddb, tbl, {"pk": item["pk"]}, updates)
    assert new == expected
    assert ddb.get_item(TableName=tbl, Key={"pk": item["pk"]})["Item"] == expected


def test_attribute_updates_return_values(ddb, tbl):
    item = fresh(ddb, tbl)
    key = {"pk": item["pk"]}
    updates = {"n": {"Action": "PUT", "Value": {"N": "1"}}, "zz": {"Action": "DELETE"}}
    assert update(ddb, tbl, key, updates, ReturnValues="UPDATED_OLD") == {"n": {"N": "5"}}
    updates = {"n": {"Action": "PUT", "Value": {"N": "2"}}, "zz": {"Action": "PUT",
                                                                   "Value": {"N": "1"}}}
    assert update(ddb, tbl, key, updates, ReturnValues="UPDATED_NEW") == {
        "n": {"N": "2"}, "zz": {"N": "1"}}


def test_attribute_updates_create_the_item(ddb, tbl):
    key = {"pk": {"S": "created-" + uuid.uuid4().hex[:8]}}
    assert update(ddb, tbl, key, {"n": {"Action": "DELETE"}}) == key
    key = {"pk": {"S": "created-" + uuid.uuid4().hex[:8]}}
    assert update(ddb, tbl, key, {"n": {"Action": "ADD", "Value": {"N": "3"}}},
                  Expected={"n": {"Exists": False}}) == dict(key, n={"N": "3"})


@pytest.mark.parametrize("updates,message", [
    ({"n": {"Action": "ADD"}}, INVALID + "Only DELETE action is allowed when no attribute value "
                                         "is specified"),
    ({"n": {"Action": "PUT"}}, INVALID + "Only DELETE action is allowed when no attribute value "
                                         "is specified"),
    ({"n": {"Action": "ADD", "Value": {"S": "y"}}},
     INVALID + "ADD action is not supported for the type STRING"),
    ({"n": {"Action": "ADD", "Value": {"M": {}}}},
     INVALID + "ADD action is not supported for the type MAP"),
    ({"n": {"Action": "ADD", "Value": {"BOOL": True}}},
     INVALID + "ADD action is not supported for the type BOOLEAN"),
    ({"n": {"Action": "DELETE", "Value": {"N": "5"}}},
     INVALID + "DELETE action with value is not supported for the type NUMBER"),
    ({"n": {"Action": "DELETE", "Value": {"L": []}}},
     INVALID + "DELETE action with value is not supported for the type LIST"),
    ({"n": {"Action": "ADD", "Value": {"SS": ["y"]}}}, "Type mismatch for attribute to update"),
    ({"s": {"Action": "ADD", "Value": {"N": "1"}}}, "Type mismatch for attribute to update"),
    ({"n": {"Action": "DELETE", "Value": {"NS": ["5"]}}}, "Type mismatch for attribute to update"),
    ({"pk": {"Action": "PUT", "Value": {"S": "z"}}},
     INVALID + "Cannot update attribute pk. This attribute is part of the key"),
    ({"": {"Action": "PUT", "Value": {"S": "z"}}}, "Empty attribute name"),
    ({"n": {"Action": "BOGUS", "Value": {"N": "7"}}},
     "Member must satisfy enum value set: [ADD, DELETE, PUT]"),
    ({"n": {"Action": "ADD", "Value": {"N": "99999999999999999999999999999999999999"}}},
     "DynamoDB only supports precision up to 38 digits"),
])
def test_attribute_updates_validation(ddb, tbl, updates, message):
    item = fresh(ddb, tbl)
    expect_validation(ddb.update_item, message, TableName=tbl, Key={"pk": item["pk"]},
                      AttributeUpdates=updates)
    assert ddb.get_item(TableName=tbl, Key={"pk": item["pk"]})["Item"] == item


@pytest.mark.dunlin_only("the API reference makes PUT the default Action; DynamoDB Local "
                         "ignores an update without one")
def test_attribute_updates_default_action_is_put(ddb, tbl):
    item = fresh(ddb, tbl)
    assert update(ddb, tbl, {"pk": item["pk"]}, {"n": {"Value": {"N": "7"}}})["n"] == {"N": "7"}


# --- Query: KeyConditions, QueryFilter, AttributesToGet ----------------------------------------

def keys(response):
    return [item["sk"]["N"] for item in response["Items"]]


def eq_q():
    return {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "q"}]}


@pytest.mark.parametrize("condition,expected", [
    (None, ["1", "2", "3", "4", "5"]),
    ({"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}, ["3"]),
    ({"ComparisonOperator": "LT", "AttributeValueList": [{"N": "3"}]}, ["1", "2"]),
    ({"ComparisonOperator": "LE", "AttributeValueList": [{"N": "3"}]}, ["1", "2", "3"]),
    ({"ComparisonOperator": "GT", "AttributeValueList": [{"N": "3"}]}, ["4", "5"]),
    ({"ComparisonOperator": "GE", "AttributeValueList": [{"N": "3"}]}, ["3", "4", "5"]),
    ({"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "4"}]},
     ["2", "3", "4"]),
])
def test_key_conditions(ddb, ranged, condition, expected):
    key_conditions = {"pk": eq_q()}
    if condition is not None:
        key_conditions["sk"] = condition
    assert keys(ddb.query(TableName=ranged, KeyConditions=key_conditions)) == expected
    backward = ddb.query(TableName=ranged, KeyConditions=key_conditions, ScanIndexForward=False)
    assert keys(backward) == list(reversed(expected))


def test_key_conditions_begins_with(ddb, module_tables):
    table = module_tables("hash_s_range_s")
    for sk in ["ab", "abc", "b"]:
        ddb.put_item(TableName=table, Item={"pk": {"S": "bw"}, "sk": {"S": sk}})
    response = ddb.query(TableName=table, KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "bw"}]},
        "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "ab"}]}})
    assert [item["sk"]["S"] for item in response["Items"]] == ["ab", "abc"]


def test_query_filter_and_attributes_to_get(ddb, ranged):
    response = ddb.query(TableName=ranged, KeyConditions={"pk": eq_q()},
                         QueryFilter={"v": {"ComparisonOperator": "LT",
                                            "AttributeValueList": [{"N": "30"}]},
                                      "s": {"ComparisonOperator": "EQ",
                                            "AttributeValueList": [{"S": "s5"}]}},
                         ConditionalOperator="OR", AttributesToGet=["sk", "v"])
    assert response["Items"] == [{"sk": {"N": "1"}, "v": {"N": "10"}},
                                 {"sk": {"N": "2"}, "v": {"N": "20"}},
                                 {"sk": {"N": "5"}, "v": {"N": "50"}}]
    assert (response["Count"], response["ScannedCount"]) == (3, 5)


def test_query_paging_with_key_conditions(ddb, ranged):
    key_conditions = {"pk": eq_q(), "sk": {"ComparisonOperator": "GT",
                                           "AttributeValueList": [{"N": "1"}]}}
    first = ddb.query(TableName=ranged, KeyConditions=key_conditions, Limit=2,
                      AttributesToGet=["v"], Select="SPECIFIC_ATTRIBUTES")
    assert first["Items"] == [{"v": {"N": "20"}}, {"v": {"N": "30"}}]
    assert first["LastEvaluatedKey"] == {"pk": {"S": "q"}, "sk": {"N": "3"}}
    rest = ddb.query(TableName=ranged, KeyConditions=key_conditions,
                     ExclusiveStartKey=first["LastEvaluatedKey"])
    assert keys(rest) == ["4", "5"]
    expect_validation(ddb.query, "The provided starting key does not match the range key "
                      "predicate", TableName=ranged, KeyConditions=key_conditions,
                      ExclusiveStartKey={"pk": {"S": "q"}, "sk": {"N": "1"}})


@pytest.mark.parametrize("key_conditions,message", [
    ({}, "Conditions must be at least length 1"),
    ({"pk": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "q"}]}},
     "Query key condition not supported"),
    ({"pk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "q"}]}},
     "Query key condition not supported"),
    ({"pk": {"ComparisonOperator": "NOT_NULL"}}, "Only scalar types can be used as Hash Key values"),
    ({"pk": None, "sk": {"ComparisonOperator": "NULL"}},
     "Only scalar types can be used as Range Key values"),
    ({"pk": None, "sk": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "3"}]}},
     "Attempted conditional constraint is not an indexable operation"),
    ({"pk": None, "sk": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"N": "3"}]}},
     "Attempted conditional constraint is not an indexable operation"),
    ({"pk": None, "v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}},
     "Query condition missed key schema element"),
    ({"sk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}},
     "Query condition missed key schema element"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}},
     INVALID + "Condition parameter type does not match schema type"),
    ({"pk": None, "sk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "3"}]}},
     INVALID + "Condition parameter type does not match schema type"),
    ({"pk": None, "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}},
     INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    ({"pk": None, "sk": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "0"}]},
      "zz": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "0"}]}},
     "Conditions can be of length 1 or 2 only"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "q"}, {"S": "r"}]}},
     INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"pk": None, "sk": {"ComparisonOperator": "BETWEEN",
                         "AttributeValueList": [{"N": "5"}, {"N": "1"}]}},
     "The BETWEEN condition was provided a range where the lower bound is greater than the "
     "upper bound"),
])
def test_key_conditions_validation(ddb, ranged, key_conditions, message):
    key_conditions = {name: condition if condition is not None else eq_q()
                      for name, condition in key_conditions.items()}
    expect_validation(ddb.query, message, TableName=ranged, KeyConditions=key_conditions)


def test_query_filter_validation(ddb, ranged):
    expect_validation(ddb.query, "QueryFilter can only contain non-primary key attributes: "
                      "Primary key attribute: sk", TableName=ranged,
                      KeyConditions={"pk": eq_q()},
                      QueryFilter={"sk": {"ComparisonOperator": "NOT_NULL"}})
    expect_validation(ddb.query, "Comparison type does not exist in DynamoDB", TableName=ranged,
                      KeyConditions={"pk": eq_q()}, QueryFilter={"v": {}})
    expect_validation(ddb.query, "Either the KeyConditions or KeyConditionExpression parameter "
                      "must be specified in the request.", TableName=ranged,
                      QueryFilter={"v": {"ComparisonOperator": "NOT_NULL"}})


def test_attributes_to_get_select_rules(ddb, ranged):
    base = dict(TableName=ranged, KeyConditions={"pk": eq_q()}, AttributesToGet=["v"])
    expect_validation(ddb.query, "Cannot specify the AttributesToGet when choosing to get "
                      "ALL_ATTRIBUTES", Select="ALL_ATTRIBUTES", **base)
    expect_validation(ddb.query, "Cannot specify the AttributesToGet when choosing to get only "
                      "the Count", Select="COUNT", **base)
    expect_validation(ddb.query, "Cannot have two attributes with the same name",
                      **dict(base, AttributesToGet=["v", "v"]))
    expect_validation(ddb.query, "Empty attribute name", **dict(base, AttributesToGet=["v", ""]))


# --- Scan and GetItem ------------------------------------------------------------------------

def test_scan_filter(ddb, ranged):
    response = ddb.scan(TableName=ranged, AttributesToGet=["sk"], ScanFilter={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "q"}]},
        "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "4"}]}})
    assert sorted(item["sk"]["N"] for item in response["Items"]) == ["4", "5"]
    response = ddb.scan(TableName=ranged, Select="COUNT", ConditionalOperator="OR", ScanFilter={
        "v": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "10"}, {"N": "50"}]},
        "s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "s3"}]}})
    assert response["Count"] == 3


def test_scan_filter_validation(ddb, ranged):
    expect_validation(ddb.scan, INVALID + "Invalid number of argument(s) for the EQ "
                      "ComparisonOperator", TableName=ranged,
                      ScanFilter={"v": {"ComparisonOperator": "EQ"}})
    expect_validation(ddb.scan, "ConditionalOperator can only be used when Filter or Expected "
                      "has two or more elements", TableName=ranged, ConditionalOperator="OR",
                      ScanFilter={"v": {"ComparisonOperator": "NOT_NULL"}})
    expect_validation(ddb.scan, "ConditionalOperator cannot be used without Filter or Expected",
                      TableName=ranged, ConditionalOperator="OR", ScanFilter={})


def test_get_item_attributes_to_get(ddb, ranged):
    key = {"pk": {"S": "q"}, "sk": {"N": "1"}}
    item = ddb.get_item(TableName=ranged, Key=key, AttributesToGet=["v", "s", "missing"])["Item"]
    assert item == {"v": {"N": "10"}, "s": {"S": "s1"}}
    item = ddb.get_item(TableName=ranged, Key=key, AttributesToGet=[])["Item"]
    assert item["sk"] == {"N": "1"} and len(item) == 4
    expect_validation(ddb.get_item, "Cannot have two attributes with the same name",
                      TableName=ranged, Key=key, AttributesToGet=["v", "v"])


def test_get_item_ignores_expression_attribute_values(raw, ranged):
    """GetItem's API has no ExpressionAttributeValues member; DynamoDB ignores one, even an
    invalid one, with or without a projection."""
    key = {"pk": {"S": "q"}, "sk": {"N": "1"}}
    for extra in ({}, {"ProjectionExpression": "v"}, {"AttributesToGet": ["v"]}):
        response = raw.request("GetItem", dict({"TableName": ranged, "Key": key,
                                                "ExpressionAttributeValues": {":p": {"SS": []}}},
                                               **extra))
        assert response.status == 200, response
        assert response.body["Item"]["v"] == {"N": "10"}
