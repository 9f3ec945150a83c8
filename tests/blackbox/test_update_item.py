"""UpdateItem: update expressions, conditions, ReturnValues, and a concurrent counter.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
  1. UpdateItem creates the item when it does not exist (even with no UpdateExpression, or one
     that only removes attributes);
  2. SET assigns (with +, -, if_not_exists, list_append), REMOVE deletes attributes and list
     elements (later elements shift down), ADD adds to numbers and sets (creating them), DELETE
     removes elements from sets (an empty set is removed);
  3. UPDATED_OLD / UPDATED_NEW return only the updated attributes that existed before / after;
  4. key attributes cannot be updated; two actions may not touch overlapping paths.
"""

import decimal
import threading
import uuid

import botocore.exceptions
import pytest

from expect import (KEY_CONDITIONS_INVALID, KEY_TYPE_MISMATCH, RETURN_VALUES_INVALID,
                    TABLE_NOT_FOUND, expect_error, expect_validation)

FAILED = "The conditional request failed"
BASE = {"a": {"N": "5"}, "s": {"S": "x"}, "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}]},
        "m": {"M": {"x": {"N": "1"}}}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}}


@pytest.fixture(scope="module")
def tbl(module_tables):
    """pk (S) + sk (N)."""
    return module_tables("hash_s_range_n")


def new_key():
    return {"pk": {"S": "u-" + uuid.uuid4().hex[:10]}, "sk": {"N": "1"}}


def seeded(ddb, tbl):
    k = new_key()
    ddb.put_item(TableName=tbl, Item={**k, **BASE})
    return k


def get(ddb, tbl, k):
    return ddb.get_item(TableName=tbl, Key=k, ConsistentRead=True).get("Item")


def update(ddb, tbl, k, expression, values=None, names=None, **args):
    if values is not None:
        args["ExpressionAttributeValues"] = values
    if names is not None:
        args["ExpressionAttributeNames"] = names
    response = ddb.update_item(TableName=tbl, Key=k, UpdateExpression=expression, **args)
    response.pop("ResponseMetadata")
    return response


# --- Creation ------------------------------------------------------------------------------

def test_update_creates_missing_item(ddb, tbl):
    k = new_key()
    response = update(ddb, tbl, k, "SET a = :v", {":v": {"N": "1"}}, ReturnValues="ALL_NEW")
    assert response == {"Attributes": {**k, "a": {"N": "1"}}}
    assert get(ddb, tbl, k) == {**k, "a": {"N": "1"}}


def test_update_without_expression_creates_key_only_item(ddb, tbl):
    k = new_key()
    response = ddb.update_item(TableName=tbl, Key=k, ReturnValues="ALL_NEW")
    assert response["Attributes"] == k
    assert get(ddb, tbl, k) == k


def test_update_remove_on_missing_item_creates_it(ddb, tbl):
    k = new_key()
    response = update(ddb, tbl, k, "REMOVE x", ReturnValues="ALL_NEW")
    assert response == {"Attributes": k}
    assert get(ddb, tbl, k) == k


def test_update_all_old_on_new_item_is_empty(ddb, tbl):
    k = new_key()
    response = update(ddb, tbl, k, "SET x = :v", {":v": {"N": "1"}}, ReturnValues="ALL_OLD",
                      ReturnConsumedCapacity="TOTAL")
    assert response == {"ConsumedCapacity": {"TableName": tbl, "CapacityUnits": 1.0}}


# --- SET -----------------------------------------------------------------------------------

def test_set_plus_and_minus(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET a = a + :two, b = a - :ten", {":two": {"N": "2"},
                      ":ten": {"N": "10"}}, ReturnValues="UPDATED_NEW")
    assert response == {"Attributes": {"a": {"N": "7"}, "b": {"N": "-5"}}}


def test_set_sum_of_values(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET a = :v + :v, b = :w - :v",
                      {":v": {"N": "1.5"}, ":w": {"N": "2.25"}}, ReturnValues="UPDATED_NEW")
    # DynamoDB Local returns arithmetic results uncanonicalised ("3.0", "0.75"): compare values.
    assert set(response["Attributes"]) == {"a", "b"}
    assert decimal.Decimal(response["Attributes"]["a"]["N"]) == 3
    assert decimal.Decimal(response["Attributes"]["b"]["N"]) == decimal.Decimal("0.75")


def test_set_if_not_exists(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET a = if_not_exists(a, :z), c = if_not_exists(c, :z)",
                      {":z": {"N": "0"}}, ReturnValues="UPDATED_NEW")
    assert response == {"Attributes": {"a": {"N": "5"}, "c": {"N": "0"}}}


def test_set_list_append(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET l = list_append(l, :x), n = list_append("
                      "if_not_exists(n, :e), :x)", {":x": {"L": [{"N": "9"}]}, ":e": {"L": []}},
                      ReturnValues="UPDATED_NEW")
    assert response == {"Attributes": {"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"},
                                                   {"N": "9"}]},
                                       "n": {"L": [{"N": "9"}]}}}
    response = update(ddb, tbl, k, "SET l = list_append(:x, l)", {":x": {"L": [{"S": "h"}]}},
                      ReturnValues="UPDATED_NEW")
    assert response["Attributes"]["l"]["L"][:2] == [{"S": "h"}, {"N": "0"}]


def test_set_nested_map_and_list_paths(ddb, tbl):
    # UPDATED_NEW on nested paths is not pinned: DynamoDB Local returns the whole top-level
    # attribute, DynamoDB documents only the updated paths.
    k = seeded(ddb, tbl)
    update(ddb, tbl, k, "SET m.y = :v, m.x = m.x + :v, l[1] = :s",
           {":v": {"N": "1"}, ":s": {"S": "one"}})
    item = get(ddb, tbl, k)
    assert item["m"] == {"M": {"x": {"N": "2"}, "y": {"N": "1"}}}
    assert item["l"] == {"L": [{"N": "0"}, {"S": "one"}, {"N": "2"}]}


def test_set_list_index_past_end_appends(ddb, tbl):
    k = seeded(ddb, tbl)
    update(ddb, tbl, k, "SET l[10] = :v", {":v": {"N": "7"}})
    assert get(ddb, tbl, k)["l"] == {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "7"}]}


def test_set_with_reserved_word_through_name(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET #d = :v", {":v": {"S": ""}}, {"#d": "data"},
                      ReturnValues="UPDATED_NEW")
    assert response == {"Attributes": {"data": {"S": ""}}}


# --- REMOVE --------------------------------------------------------------------------------

def test_remove_attributes_and_list_elements(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "REMOVE l[0], l[5], s, absent, m.x", ReturnValues="ALL_NEW")
    expected = {**k, **BASE, "l": {"L": [{"N": "1"}, {"N": "2"}]}, "m": {"M": {}}}
    del expected["s"]
    assert response == {"Attributes": expected}


def test_remove_several_list_elements_uses_original_indexes(ddb, tbl):
    k = seeded(ddb, tbl)
    update(ddb, tbl, k, "REMOVE l[0], l[2]")
    assert get(ddb, tbl, k)["l"] == {"L": [{"N": "1"}]}


def test_remove_updated_old(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "REMOVE s, absent", ReturnValues="UPDATED_OLD")
    assert response == {"Attributes": {"s": {"S": "x"}}}
    response = update(ddb, tbl, k, "REMOVE a", ReturnValues="UPDATED_NEW")
    assert response == {}


# --- ADD and DELETE ------------------------------------------------------------------------

def test_add_numbers_and_sets(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "ADD a :one, n :one, ss :s, fresh :s",
                      {":one": {"N": "1"}, ":s": {"SS": ["c", "a"]}}, ReturnValues="UPDATED_NEW")
    assert response["Attributes"]["a"] == {"N": "6"}
    assert response["Attributes"]["n"] == {"N": "1"}
    assert sorted(response["Attributes"]["ss"]["SS"]) == ["a", "b", "c"]
    assert sorted(response["Attributes"]["fresh"]["SS"]) == ["a", "c"]
    assert set(response["Attributes"]) == {"a", "n", "ss", "fresh"}


def test_add_updated_old_only_existing(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "ADD a :one, n :one", {":one": {"N": "-1"}},
                      ReturnValues="UPDATED_OLD")
    assert response == {"Attributes": {"a": {"N": "5"}}}


def test_delete_from_sets(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "DELETE ss :x, ns :n, absent :n",
                      {":x": {"SS": ["a", "z"]}, ":n": {"NS": ["1", "2"]}},
                      ReturnValues="UPDATED_NEW")
    assert response == {"Attributes": {"ss": {"SS": ["b"]}}}
    item = get(ddb, tbl, k)
    assert "ns" not in item and "absent" not in item


def test_add_to_number_and_binary_sets(ddb, tbl):
    k = new_key()
    ddb.put_item(TableName=tbl, Item={**k, "ns": {"NS": ["1", "2"]}, "bs": {"BS": [b"x"]}})
    response = update(ddb, tbl, k, "ADD ns :v, bs :b", {":v": {"NS": ["3", "1"]},
                      ":b": {"BS": [b"y"]}}, ReturnValues="UPDATED_NEW")
    assert sorted(response["Attributes"]["ns"]["NS"]) == ["1", "2", "3"]
    assert sorted(response["Attributes"]["bs"]["BS"]) == [b"x", b"y"]


def test_set_copies_other_attributes(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET b = a, c = m", ReturnValues="UPDATED_NEW")
    assert response == {"Attributes": {"b": {"N": "5"}, "c": BASE["m"]}}


def test_update_consumed_capacity(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET a = :v", {":v": {"N": "1"}}, ReturnValues="UPDATED_OLD",
                      ReturnConsumedCapacity="TOTAL")
    assert response == {"Attributes": {"a": {"N": "5"}},
                        "ConsumedCapacity": {"TableName": tbl, "CapacityUnits": 1.0}}


def test_all_five_return_values(ddb, tbl):
    k = seeded(ddb, tbl)
    expression = "SET a = :v, w = :w"
    assert update(ddb, tbl, k, expression, {":v": {"N": "6"}, ":w": {"S": "w"}},
                  ReturnValues="NONE") == {}
    assert update(ddb, tbl, k, expression, {":v": {"N": "7"}, ":w": {"S": "w2"}},
                  ReturnValues="UPDATED_OLD") == {"Attributes": {"a": {"N": "6"},
                                                                 "w": {"S": "w"}}}
    assert update(ddb, tbl, k, "SET a = :v", {":v": {"N": "8"}},
                  ReturnValues="UPDATED_NEW") == {"Attributes": {"a": {"N": "8"}}}
    old = update(ddb, tbl, k, "SET a = :v", {":v": {"N": "9"}}, ReturnValues="ALL_OLD")
    assert old == {"Attributes": {**k, **BASE, "a": {"N": "8"}, "w": {"S": "w2"}}}
    new = update(ddb, tbl, k, "SET a = :v", {":v": {"N": "10"}}, ReturnValues="ALL_NEW")
    assert new == {"Attributes": {**k, **BASE, "a": {"N": "10"}, "w": {"S": "w2"}}}


# --- ConditionExpression -------------------------------------------------------------------

def test_update_condition_true(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET a = :v", {":v": {"N": "6"}, ":old": {"N": "5"}},
                      ConditionExpression="a = :old", ReturnValues="UPDATED_OLD")
    assert response == {"Attributes": {"a": {"N": "5"}}}


def test_update_condition_false_changes_nothing(ddb, tbl):
    k = seeded(ddb, tbl)
    expect_error(ddb.update_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Key=k, UpdateExpression="SET a = :v",
                 ConditionExpression="a = :old", ReturnValues="ALL_NEW",
                 ExpressionAttributeValues={":v": {"N": "6"}, ":old": {"N": "4"}})
    assert get(ddb, tbl, k) == {**k, **BASE}


def test_update_condition_on_missing_item_does_not_create(ddb, tbl):
    k = new_key()
    expect_error(ddb.update_item, "ConditionalCheckFailedException", FAILED, TableName=tbl,
                 Key=k, UpdateExpression="SET a = :v", ConditionExpression="attribute_exists(pk)",
                 ExpressionAttributeValues={":v": {"N": "6"}})
    assert get(ddb, tbl, k) is None


def test_update_condition_failure_returns_old_item(ddb, raw, tbl):
    k = seeded(ddb, tbl)
    response = raw.request("UpdateItem", {
        "TableName": tbl, "Key": k, "UpdateExpression": "SET a = :v",
        "ConditionExpression": "attribute_not_exists(a)",
        "ExpressionAttributeValues": {":v": {"N": "1"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert (response.status, response.error_type) == (400, "ConditionalCheckFailedException")
    assert response.message == FAILED
    assert response.body["Item"] == {**k, **BASE}


# --- Errors --------------------------------------------------------------------------------

UPDATE_ERRORS = [
    ("SET pk = :v", {":v": {"S": "b"}},
     "One or more parameter values were invalid: Cannot update attribute pk. This attribute is "
     "part of the key"),
    ("SET sk = :v", {":v": {"N": "2"}},
     "One or more parameter values were invalid: Cannot update attribute sk. This attribute is "
     "part of the key"),
    ("REMOVE sk", None,
     "One or more parameter values were invalid: Cannot update attribute sk. This attribute is "
     "part of the key"),
    ("ADD a :v", {":v": {"S": "x"}},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
     "operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("ADD a :v", {":v": {"L": []}},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
     "operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("SET a = :v REMOVE a", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a]"),
    ("SET m.x = :v, m = :v", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [m, x], path two: [m]"),
    ("SET a = s + :v", {":v": {"N": "1"}},
     "An operand in the update expression has an incorrect data type"),
    ("SET a = a + :v", {":v": {"S": "x"}},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
     "function: +, operand type: S"),
    # Several errors: reserved words and function names in the order written, then operand
    # counts, then target paths last action first (names, overlaps), then operands last
    # action first.
    ("SET a = foo(b), name = :v", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Invalid function name; function: foo"),
    ("SET name = :v, a = foo(b)", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    ("SET a = list_append(b), c = size(d)", None,
     "Invalid UpdateExpression: The function is not allowed in an update expression; "
     "function: size"),
    ("SET a = :undefined, a.b = :v", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a, b]"),
    ("ADD a :s, a.b :v", {":v": {"N": "1"}, ":s": {"S": "x"}},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a, b]"),
    ("SET a[1] = :v, a.b = :v, c = :undefined", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
     "rewrite one of these paths; path one: [a, [1]], path two: [a, b]"),
    ("REMOVE a, #u, a", None,
     "Invalid UpdateExpression: An expression attribute name used in the document path is "
     "not defined; attribute name: #u"),
    ("SET a = :u1, b = :u2", {":v": {"N": "1"}},
     "Invalid UpdateExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :u2"),
    ("DELETE a :n SET x = :undefined", {":n": {"N": "1"}},
     "Invalid UpdateExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :undefined"),
    ("SET x = :undefined DELETE a :n", {":n": {"N": "1"}},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
     "DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
    ("SET a = :v + size(s)", {":v": {"S": "x"}},
     "Invalid UpdateExpression: The function is not allowed in an update expression; "
     "function: size"),
    ("SET z = absent + :v", {":v": {"N": "1"}},
     "The provided expression refers to an attribute that does not exist in the item"),
    ("SET absent.x = :v", {":v": {"N": "1"}},
     "The document path provided in the update expression is invalid for update"),
    ("SET absent[0] = :v", {":v": {"N": "1"}},
     "The document path provided in the update expression is invalid for update"),
    ("REMOVE a.b", None,
     "The document path provided in the update expression is invalid for update"),
    ("DELETE a :v", {":v": {"NS": ["1"]}},
     "An operand in the update expression has an incorrect data type"),
    ("SET a = list_append(a, :v)", {":v": {"L": []}},
     "An operand in the update expression has an incorrect data type"),
    ("SET a = if_not_exists(:v, a)", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Operator or function requires a document path; operator or "
     "function: if_not_exists"),
    ("SET a :v", {":v": {"N": "1"}},
     'Invalid UpdateExpression: Syntax error; token: ":v", near: "a :v"'),
    ("FOO a = :v", {":v": {"N": "1"}},
     'Invalid UpdateExpression: Syntax error; token: "FOO", near: "FOO a"'),
    ("", {":v": {"N": "1"}}, "Invalid UpdateExpression: The expression can not be empty;"),
    ("SET a = :v SET b = :v", {":v": {"N": "1"}},
     'Invalid UpdateExpression: The "SET" section can only be used once in an update '
     'expression;'),
    ("SET a = :v", {":v": {"N": "1"}, ":w": {"N": "1"}},
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"),
    ("SET a = :w", {":v": {"N": "1"}},
     "Invalid UpdateExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :w"),
    ("ADD a :one, n :one, new :s", {":one": {"N": "1"}, ":s": {"SS": ["x"]}},
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: new"),
    ("ADD ns :v", {":v": {"SS": ["x"]}},
     "An operand in the update expression has an incorrect data type"),
    ("DELETE ns :v", {":v": {"SS": ["x"]}},
     "An operand in the update expression has an incorrect data type"),
    ("DELETE ns :v", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
     "DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
    ("ADD a :v, a :v", {":v": {"N": "1"}},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a]"),
    ("SET a = :v, b = size(a)", {":v": {"N": "1"}},
     "Invalid UpdateExpression: The function is not allowed in an update expression; "
     "function: size"),
    ("SET #n = :v", {":v": {"N": "1"}},
     "Invalid UpdateExpression: An expression attribute name used in the document path is not "
     "defined; attribute name: #n"),
    ("SET a = :v", {":v": {"S": "x" * 500000}},
     "Item size to update has exceeded the maximum allowed size"),
    ("SET e = :v", {":v": {"SS": []}},
     "ExpressionAttributeValues contains invalid value: One or more parameter values were "
     "invalid: An string set  may not be empty for key :v"),
]


@pytest.mark.parametrize("expression,values,message", UPDATE_ERRORS,
                         ids=[f"{i}-{e[0]}" for i, e in enumerate(UPDATE_ERRORS)])
def test_update_errors(ddb, tbl, expression, values, message):
    k = seeded(ddb, tbl)
    args = dict(TableName=tbl, Key=k, UpdateExpression=expression)
    if values is not None:
        args["ExpressionAttributeValues"] = values
    expect_validation(ddb.update_item, message, **args)
    assert get(ddb, tbl, k) == {**k, **BASE}


def test_update_invalid_return_values(ddb, tbl):
    expect_validation(ddb.update_item, RETURN_VALUES_INVALID, TableName=tbl, Key=new_key(),
                      UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"N": "1"}},
                      ReturnValues="BAD")


def test_update_values_without_expressions(ddb, tbl):
    expect_validation(ddb.update_item, "ExpressionAttributeValues can only be specified when "
                      "using expressions: UpdateExpression and ConditionExpression are null",
                      TableName=tbl, Key=new_key(), ExpressionAttributeValues={":v": {"N": "1"}})


def test_update_unused_name(ddb, tbl):
    expect_validation(ddb.update_item, "Value provided in ExpressionAttributeNames unused in "
                      "expressions: keys: {#q}", TableName=tbl, Key=new_key(),
                      UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"N": "1"}},
                      ExpressionAttributeNames={"#q": "q"})


def test_update_key_errors(ddb, tbl):
    expect_validation(ddb.update_item, KEY_CONDITIONS_INVALID, TableName=tbl,
                      Key={**new_key(), "x": {"S": "y"}}, UpdateExpression="SET a = :v",
                      ExpressionAttributeValues={":v": {"N": "1"}})
    # DynamoDB Local stops after "for key"; the service (and Dunlin) go on with the attribute
    # name and the expected and actual types.
    expect_validation(ddb.update_item, contains=KEY_TYPE_MISMATCH, TableName=tbl,
                      Key={"pk": {"N": "1"}, "sk": {"N": "1"}}, UpdateExpression="SET a = :v",
                      ExpressionAttributeValues={":v": {"N": "1"}})


def test_update_missing_table(ddb):
    expect_error(ddb.update_item, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="no-such-table-u", Key=new_key(), UpdateExpression="SET a = :v",
                 ExpressionAttributeValues={":v": {"N": "1"}})


def test_update_condition_with_names_and_all_new(ddb, tbl):
    k = seeded(ddb, tbl)
    response = update(ddb, tbl, k, "SET a = :v", {":v": {"N": "1"}, ":five": {"N": "5"}},
                      {"#q": "a"}, ConditionExpression="#q = :five", ReturnValues="ALL_NEW")
    assert response == {"Attributes": {**k, **BASE, "a": {"N": "1"}}}


def test_update_undefined_condition_value(ddb, tbl):
    expect_validation(ddb.update_item, "Invalid ConditionExpression: An expression attribute "
                      "value used in expression is not defined; attribute value: :w",
                      TableName=tbl, Key=new_key(), UpdateExpression="SET a = :v",
                      ConditionExpression="a = :w", ExpressionAttributeValues={":v": {"N": "1"}})


# --- Concurrency ---------------------------------------------------------------------------

THREADS = 8
INCREMENTS_PER_THREAD = 25


def test_concurrent_conditional_increments(ddb, tbl):
    """Optimistic locking: read n, write n + 1 only if n is unchanged, retry on conflict."""
    k = new_key()
    ddb.put_item(TableName=tbl, Item={**k, "n": {"N": "0"}})
    acknowledged = []
    errors = []

    def worker():
        done = 0
        try:
            while done < INCREMENTS_PER_THREAD:
                current = get(ddb, tbl, k)["n"]["N"]
                try:
                    ddb.update_item(TableName=tbl, Key=k, UpdateExpression="SET n = n + :one",
                                    ConditionExpression="n = :expected",
                                    ExpressionAttributeValues={":one": {"N": "1"},
                                                               ":expected": {"N": current}})
                except botocore.exceptions.ClientError as error:
                    if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise
                    continue
                done += 1
        except Exception as error:  # reported below
            errors.append(error)
        acknowledged.append(done)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(acknowledged) == THREADS * INCREMENTS_PER_THREAD
    assert get(ddb, tbl, k)["n"] == {"N": str(sum(acknowledged))}
