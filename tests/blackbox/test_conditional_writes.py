"""ConditionExpression on PutItem and DeleteItem.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
  1. a write whose condition is false fails with ConditionalCheckFailedException and changes
     nothing; a missing item is evaluated as an item with no attributes;
  2. ReturnValuesOnConditionCheckFailure=ALL_OLD puts the existing item in the error's Item
     (nothing when there is no item);
  3. every name and value placeholder must be defined and every defined one used.
boto3 1.26 does not know ReturnValuesOnConditionCheckFailure, so those requests go through `raw`.
"""

import base64
import uuid

import pytest

from expect import expect_error, expect_raw_error, expect_validation

FAILED = "The conditional request failed"

ITEM = {"pk": {"S": "c"}, "s": {"S": "hello"}, "n": {"N": "7"},
        "l": {"L": [{"N": "1"}, {"S": "x"}]}, "m": {"M": {"k": {"S": "v"}}},
        "ss": {"SS": ["a", "b"]}, "nul": {"NULL": True}, "flag": {"BOOL": True}, "b": {"B": b"abc"}}


@pytest.fixture(scope="module")
def tbl(module_tables):
    return module_tables("hash_s")


def key():
    return {"S": "k-" + uuid.uuid4().hex[:10]}


def put_fresh(ddb, table, **attributes):
    item = dict(ITEM)
    item.update(attributes)
    item["pk"] = key()
    ddb.put_item(TableName=table, Item=item)
    return item


def wire(item):
    """The item as it appears in a raw JSON body: binary values base64-encoded."""
    return {name: {"B": base64.b64encode(value["B"]).decode()} if "B" in value else value
            for name, value in item.items()}


def get(ddb, table, pk):
    return ddb.get_item(TableName=table, Key={"pk": pk}, ConsistentRead=True).get("Item")


# --- PutItem -------------------------------------------------------------------------------

def test_put_if_not_exists_creates(ddb, tbl):
    pk = key()
    ddb.put_item(TableName=tbl, Item={"pk": pk, "a": {"N": "1"}},
                 ConditionExpression="attribute_not_exists(pk)")
    assert get(ddb, tbl, pk) == {"pk": pk, "a": {"N": "1"}}


def test_put_if_not_exists_fails_on_existing(ddb, tbl):
    pk = key()
    ddb.put_item(TableName=tbl, Item={"pk": pk, "a": {"N": "1"}})
    expect_error(ddb.put_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Item={"pk": pk, "a": {"N": "2"}}, ConditionExpression="attribute_not_exists(pk)")
    assert get(ddb, tbl, pk) == {"pk": pk, "a": {"N": "1"}}


def test_put_attribute_exists_fails_on_missing_item(ddb, tbl):
    pk = key()
    expect_error(ddb.put_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Item={"pk": pk}, ConditionExpression="attribute_exists(pk)")
    assert get(ddb, tbl, pk) is None


def test_put_condition_on_value_with_return_values(ddb, tbl):
    old = put_fresh(ddb, tbl)
    new = {"pk": old["pk"], "n": {"N": "8"}}
    response = ddb.put_item(TableName=tbl, Item=new, ConditionExpression="n = :v",
                            ExpressionAttributeValues={":v": {"N": "7"}}, ReturnValues="ALL_OLD")
    assert response["Attributes"] == old
    assert get(ddb, tbl, old["pk"]) == new


def test_put_condition_with_names(ddb, tbl):
    old = put_fresh(ddb, tbl)
    ddb.put_item(TableName=tbl, Item={"pk": old["pk"]}, ConditionExpression="#s = :v",
                 ExpressionAttributeNames={"#s": "s"},
                 ExpressionAttributeValues={":v": {"S": "hello"}})
    assert get(ddb, tbl, old["pk"]) == {"pk": old["pk"]}


def test_put_consumed_capacity_on_success(ddb, tbl):
    pk = key()
    response = ddb.put_item(TableName=tbl, Item={"pk": pk},
                            ConditionExpression="attribute_not_exists(pk)",
                            ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": tbl, "CapacityUnits": 1.0}


# Each condition is evaluated against ITEM; True means the put succeeds.
CONDITIONS = [
    ("begins_with(s, :v)", {":v": {"S": "he"}}, True),
    ("begins_with(s, :v)", {":v": {"S": "lo"}}, False),
    ("contains(s, :v)", {":v": {"S": "ll"}}, True),
    ("contains(ss, :v)", {":v": {"S": "a"}}, True),
    ("contains(ss, :v)", {":v": {"S": "z"}}, False),
    ("contains(l, :v)", {":v": {"N": "1"}}, True),
    ("size(s) = :v", {":v": {"N": "5"}}, True),
    ("size(l) > :v", {":v": {"N": "1"}}, True),
    ("size(m) = :v", {":v": {"N": "2"}}, False),
    ("attribute_type(s, :v)", {":v": {"S": "S"}}, True),
    ("attribute_type(s, :v)", {":v": {"S": "N"}}, False),
    ("attribute_type(nul, :v)", {":v": {"S": "NULL"}}, True),
    ("l[1] = :v", {":v": {"S": "x"}}, True),
    ("l[5] = :v", {":v": {"S": "x"}}, False),
    ("m.k = :v", {":v": {"S": "v"}}, True),
    ("n BETWEEN :a AND :b", {":a": {"N": "7"}, ":b": {"N": "10"}}, True),
    ("n BETWEEN :a AND :b", {":a": {"N": "8"}, ":b": {"N": "10"}}, False),
    ("s IN (:a, :b)", {":a": {"S": "a"}, ":b": {"S": "hello"}}, True),
    ("s IN (:a, :b)", {":a": {"S": "a"}, ":b": {"S": "b"}}, False),
    ("NOT s = :v", {":v": {"S": "x"}}, True),
    ("s <> :v AND (s = :w OR s = :v)", {":v": {"S": "x"}, ":w": {"S": "hello"}}, True),
    ("n < :v", {":v": {"N": "7.5"}}, True),
    ("n >= :v", {":v": {"N": "7.5"}}, False),
    ("s < :v", {":v": {"N": "1"}}, False),
    ("s = :v", {":v": {"N": "1"}}, False),
    ("s <> :v", {":v": {"N": "1"}}, True),
    ("flag = :v", {":v": {"BOOL": True}}, True),
    ("absent = :v", {":v": {"N": "1"}}, False),
    ("absent <> :v", {":v": {"N": "1"}}, True),
    ("attribute_not_exists(absent) AND attribute_exists(m.k)", None, True),
    ("size(absent) = :v", {":v": {"N": "0"}}, False),
    ("contains(n, :v)", {":v": {"N": "7"}}, False),
    ("size(ss) = :v", {":v": {"N": "2"}}, True),
    ("size(b) = :v", {":v": {"N": "3"}}, True),
    ("l = :v", {":v": {"L": [{"N": "1"}, {"S": "x"}]}}, True),
    ("m = :v", {":v": {"M": {"k": {"S": "v"}}}}, True),
    ("ss = :v", {":v": {"SS": ["b", "a"]}}, True),
    ("begins_with(b, :v)", {":v": {"B": b"ab"}}, True),
    ("n = :v", {":v": {"N": "7.00"}}, True),
    ("contains(:v, s)", {":v": {"S": "xhellox"}}, True),
    (":a = :a", {":a": {"N": "1"}}, True),
    ("size(s) BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"N": "9"}}, True),
    ("attribute_not_exists(pk) OR n = :a", {":a": {"N": "7"}}, True),
    ("NOT attribute_exists(m.k)", None, False),
    ("s > :a AND s < :b", {":a": {"S": "h"}, ":b": {"S": "i"}}, True),
    ("m.k.z = :a", {":a": {"S": "v"}}, False),
    ("l[0] > :a", {":a": {"N": "0"}}, True),
]


@pytest.mark.parametrize("condition,values,passes", CONDITIONS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CONDITIONS)])
def test_put_condition_functions_and_operators(ddb, tbl, condition, values, passes):
    old = put_fresh(ddb, tbl)
    args = dict(TableName=tbl, Item={"pk": old["pk"]}, ConditionExpression=condition)
    if values is not None:
        args["ExpressionAttributeValues"] = values
    if passes:
        ddb.put_item(**args)
        assert get(ddb, tbl, old["pk"]) == {"pk": old["pk"]}
    else:
        expect_error(ddb.put_item, "ConditionalCheckFailedException", FAILED, **args)
        assert get(ddb, tbl, old["pk"]) == old


# --- ReturnValuesOnConditionCheckFailure ---------------------------------------------------

def test_return_old_item_on_failed_put(ddb, raw, tbl):
    old = put_fresh(ddb, tbl)
    response = raw.request("PutItem", {
        "TableName": tbl, "Item": {"pk": old["pk"]},
        "ConditionExpression": "attribute_not_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    expect_raw_error(response, 400, "ConditionalCheckFailedException", FAILED)
    assert response.body["Item"] == wire(old)


def test_return_none_on_failed_put(ddb, raw, tbl):
    old = put_fresh(ddb, tbl)
    response = raw.request("PutItem", {
        "TableName": tbl, "Item": {"pk": old["pk"]},
        "ConditionExpression": "attribute_not_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "NONE"})
    expect_raw_error(response, 400, "ConditionalCheckFailedException", FAILED)
    assert "Item" not in response.body


def test_return_old_item_when_no_item(raw, tbl):
    response = raw.request("PutItem", {
        "TableName": tbl, "Item": {"pk": key()}, "ConditionExpression": "attribute_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    expect_raw_error(response, 400, "ConditionalCheckFailedException", FAILED)
    assert "Item" not in response.body


def test_return_old_item_on_failed_delete(ddb, raw, tbl):
    old = put_fresh(ddb, tbl)
    response = raw.request("DeleteItem", {
        "TableName": tbl, "Key": {"pk": old["pk"]}, "ConditionExpression": "n = :v",
        "ExpressionAttributeValues": {":v": {"N": "9"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    expect_raw_error(response, 400, "ConditionalCheckFailedException", FAILED)
    assert response.body["Item"] == wire(old)
    assert get(ddb, tbl, old["pk"]) == old


def test_return_values_on_failure_invalid(raw, tbl):
    response = raw.request("PutItem", {
        "TableName": tbl, "Item": {"pk": key()}, "ConditionExpression": "attribute_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_NEW"})
    expect_raw_error(response, 400, "ValidationException",
                     "1 validation error detected: Value 'ALL_NEW' at "
                     "'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member "
                     "must satisfy enum value set: [ALL_OLD, NONE]")


def test_return_values_on_failure_without_condition_is_ignored(ddb, raw, tbl):
    pk = key()
    response = raw.request("PutItem", {"TableName": tbl, "Item": {"pk": pk},
                                       "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert (response.status, response.body) == (200, {})
    assert get(ddb, tbl, pk) == {"pk": pk}


# --- DeleteItem ----------------------------------------------------------------------------

def test_delete_condition_true_deletes(ddb, tbl):
    old = put_fresh(ddb, tbl)
    response = ddb.delete_item(TableName=tbl, Key={"pk": old["pk"]},
                               ConditionExpression="attribute_exists(n) AND n > :v",
                               ExpressionAttributeValues={":v": {"N": "1"}},
                               ReturnValues="ALL_OLD")
    assert response["Attributes"] == old
    assert get(ddb, tbl, old["pk"]) is None


def test_delete_condition_false_keeps_item(ddb, tbl):
    old = put_fresh(ddb, tbl)
    expect_error(ddb.delete_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Key={"pk": old["pk"]}, ConditionExpression="attribute_not_exists(n)")
    assert get(ddb, tbl, old["pk"]) == old


def test_delete_missing_item_attribute_exists_fails(ddb, tbl):
    expect_error(ddb.delete_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Key={"pk": key()}, ConditionExpression="attribute_exists(pk)")


def test_delete_missing_item_attribute_not_exists_succeeds(ddb, tbl):
    response = ddb.delete_item(TableName=tbl, Key={"pk": key()},
                               ConditionExpression="attribute_not_exists(pk)",
                               ReturnValues="ALL_OLD")
    assert "Attributes" not in response


# --- Validation ----------------------------------------------------------------------------

def put_call(ddb, tbl, **args):
    return lambda: ddb.put_item(TableName=tbl, Item={"pk": {"S": "v"}}, **args)


@pytest.mark.parametrize("args,message", [
    (dict(ConditionExpression="n = :v",
          ExpressionAttributeValues={":v": {"N": "1"}, ":x": {"N": "1"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"),
    (dict(ConditionExpression="n = :v"),
     "Invalid ConditionExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :v"),
    (dict(ConditionExpression="#n = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
     "Invalid ConditionExpression: An expression attribute name used in the document path is "
     "not defined; attribute name: #n"),
    (dict(ConditionExpression="n = :v", ExpressionAttributeValues={":v": {"N": "1"}},
          ExpressionAttributeNames={"#x": "y"}),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"),
    (dict(ConditionExpression="n = = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
     'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"'),
    (dict(ConditionExpression="", ExpressionAttributeValues={":v": {"N": "1"}}),
     "Invalid ConditionExpression: The expression can not be empty;"),
    (dict(ExpressionAttributeValues={":v": {"N": "1"}}),
     "ExpressionAttributeValues can only be specified when using expressions: "
     "ConditionExpression is null"),
    (dict(ExpressionAttributeNames={"#v": "x"}),
     "ExpressionAttributeNames can only be specified when using expressions"),
    (dict(ConditionExpression="foo(n)"),
     "Invalid ConditionExpression: Invalid function name; function: foo"),
    (dict(ConditionExpression="attribute_type(s, :v)",
          ExpressionAttributeValues={":v": {"S": "Q"}}),
     "Invalid ConditionExpression: Invalid attribute type name found; type: Q, valid types: "
     "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}"),
    (dict(ConditionExpression="s BETWEEN :a AND :b",
          ExpressionAttributeValues={":a": {"S": "z"}, ":b": {"S": "a"}}),
     "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than "
     "or equal to lower bound; lower bound operand: AttributeValue: {S:z}, upper bound operand: "
     "AttributeValue: {S:a}"),
    (dict(ConditionExpression="missing = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
     "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
     "missing"),
    (dict(ConditionExpression="begins_with(s, :v)", ExpressionAttributeValues={":v": {"N": "1"}}),
     "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
     "function: begins_with, operand type: N"),
    (dict(ConditionExpression="s = s"),
     "Invalid ConditionExpression: The first operand must be distinct from the remaining "
     "operands for this operator or function; operator: =, first operand: [s]"),
], ids=["unused-value", "undefined-value", "undefined-name", "unused-name", "syntax", "empty",
        "values-without-expression", "names-without-expression", "bad-function", "bad-type-name",
        "between-bounds", "reserved-word", "begins-with-number", "same-operand"])
def test_put_condition_validation(ddb, tbl, args, message):
    expect_validation(put_call(ddb, tbl, **args), message)


def test_delete_condition_validation(ddb, tbl):
    expect_validation(ddb.delete_item, "Invalid ConditionExpression: Syntax error; token: "
                      "\"<EOF>\", near: \"=\"", TableName=tbl, Key={"pk": {"S": "v"}},
                      ConditionExpression="n =")


def test_validation_before_condition_check(ddb, tbl):
    """An invalid expression is reported even though the item does not exist."""
    expect_validation(ddb.delete_item, "Value provided in ExpressionAttributeValues unused in "
                      "expressions: keys: {:x}", TableName=tbl, Key={"pk": key()},
                      ConditionExpression="attribute_exists(pk)",
                      ExpressionAttributeValues={":x": {"N": "1"}})


@pytest.mark.parametrize("members", [
    dict(ExpressionAttributeValues={}), dict(ExpressionAttributeNames={}),
    dict(ExpressionAttributeNames={}, ExpressionAttributeValues={}),
], ids=["values", "names", "both"])
def test_empty_placeholder_maps_without_expression_are_accepted(ddb, tbl, members):
    """Empty ExpressionAttributeNames/Values without an expression stand for nothing: the write
    goes through (an empty map next to an expression is refused, see above)."""
    pk = key()
    ddb.put_item(TableName=tbl, Item={"pk": pk, "n": {"N": "1"}}, **members)
    assert get(ddb, tbl, pk) == {"pk": pk, "n": {"N": "1"}}
    ddb.delete_item(TableName=tbl, Key={"pk": pk}, **members)
    assert get(ddb, tbl, pk) is None


@pytest.mark.parametrize("operation,args,message", [
    ("put_item", dict(Item={"pk": {"N": "1"}}, ConditionExpression="a = = b"),
     "One or more parameter values were invalid: Type mismatch for key"),
    ("put_item", dict(Item={"x": {"S": "b"}}, ConditionExpression="a = = b"),
     "One of the required keys was not given a value"),
    ("put_item", dict(Item={"pk": {"N": "1"}}, Expected={"a": {"Exists": True}}),
     "One or more parameter values were invalid: Type mismatch for key"),
    ("delete_item", dict(Key={"pk": {"S": "a"}, "x": {"S": "b"}}, ConditionExpression="a = = b"),
     "The number of conditions on the keys is invalid"),
    ("update_item", dict(Key={"pk": {"S": "a"}, "x": {"S": "b"}}, UpdateExpression="SET a = = :v",
                         ExpressionAttributeValues={":v": {"N": "1"}}),
     "The number of conditions on the keys is invalid"),
    ("update_item", dict(Key={"pk": {"S": "a"}, "x": {"S": "b"}}, UpdateExpression="SET a = :v",
                         ExpressionAttributeValues={":v": {"N": "1"}, ":w": {"N": "1"}}),
     "The number of conditions on the keys is invalid"),
], ids=["put-key-type", "put-key-missing", "put-expected", "delete-key", "update-syntax",
        "update-unused"])
def test_key_is_checked_before_the_condition(ddb, tbl, operation, args, message):
    """A write whose key is wrong is refused for its key before its expressions are read."""
    error = expect_validation(getattr(ddb, operation), TableName=tbl, **args)
    assert error.startswith(message), error


@pytest.mark.parametrize("operation,args,message", [
    ("update_item", dict(Key={"pk": {"S": "a"}, "x": {"S": "b"}}, UpdateExpression="SET a = :v",
                         Expected={"a": {"Exists": True}},
                         ExpressionAttributeValues={":v": {"N": "1"}}),
     "One or more parameter values were invalid: Value must be provided when Exists is true for "
     "Attribute: a"),
    ("update_item", dict(Key={"pk": {"S": "a"}, "x": {"S": "b"}}, UpdateExpression="SET a = :v",
                         Expected={"a": {"Exists": False}},
                         ExpressionAttributeValues={":v": {"N": "1"}}),
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {Expected} Expression parameters: {UpdateExpression}"),
    ("put_item", dict(Item={"pk": {"S": "a"}}, Expected={"a": {"Exists": False}, "b": {
        "ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}},
        ConditionalOperator="AND", ConditionExpression="attribute_exists(a)"),
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {Expected, ConditionalOperator} Expression parameters: "
     "{ConditionExpression}"),
    ("put_item", dict(Item={"pk": {"S": "a"}}, Expected={"b": {
        "ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}},
        ConditionalOperator="AND"),
     "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid "
     "for N AttributeValue type"),
], ids=["update-expected-entry", "update-mixed", "put-mixed", "put-entry-before-operator"])
def test_legacy_checks_in_order(ddb, tbl, operation, args, message):
    """Expected's entries, then legacy and expression parameters mixed, then ConditionalOperator
    (for UpdateItem all before the key)."""
    expect_validation(getattr(ddb, operation), message, TableName=tbl, **args)
