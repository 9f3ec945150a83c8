"""TransactWriteItems (TransactGetItems and concurrency: test_transactions_get.py).

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
  1. up to 100 Put/Update/Delete/ConditionCheck actions on distinct items, across tables, apply
     all or nothing; a transactional write costs 2 WCU per started KB of the larger of the old
     and new item, a ConditionCheck 2 RCU per started 4 KB, reported per table; no
     ItemCollectionMetrics for tables without local secondary indexes;
  2. a false condition cancels the whole call: TransactionCanceledException (HTTP 400) whose
     message lists the reason codes and whose CancellationReasons follow request order ("None"
     for actions that were fine); ReturnValuesOnConditionCheckFailure=ALL_OLD adds the item
     when there is one;
  3. malformed requests (counts, shapes, expressions, 400 KB items, a 4 MB payload, one item
     targeted twice, an unknown table) fail as a whole and change nothing; errors found against
     the stored item are either ValidationError cancellation reasons (key type, key length, key
     attribute updated, item grown past 400 KB) or a ValidationException for the whole call (an
     update that does not apply to the stored value);
  4. ClientRequestToken makes a successful call idempotent: the same call again succeeds
     without applying twice, a different call with the token is
     IdempotentParameterMismatchException.
Errors and responses are DynamoDB Local's, verbatim; where DynamoDB Local departs from the
service documentation the test is dunlin_only and follows the documentation.
"""

import uuid

import pytest

from expect import (INVALID_TABLE_NAME, ITEM_TOO_LARGE, KEY_CONDITIONS_INVALID, KEY_TOO_LONG,
                    KEY_TYPE_MISMATCH, TABLE_NOT_FOUND, client_error, expect_error,
                    expect_raw_error, expect_validation)

FAILED = "The conditional request failed"
FAILED_CHECK = "The conditional request failed."  # the wording for a ConditionCheck action
CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]"
DUPLICATE = "Transaction request cannot include multiple operations on one item"
REQUIRED_KEY_MISSING = "One of the required keys was not given a value"
UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"
KEY_ATTRIBUTE_UPDATED = ("One or more parameter values were invalid: Cannot update attribute {}. "
                         "This attribute is part of the key")
WRONG_OPERAND = "An operand in the update expression has an incorrect data type"


@pytest.fixture(scope="module")
def h(module_tables):
    """pk (S)."""
    return module_tables("hash_s")


@pytest.fixture(scope="module")
def hr(module_tables):
    """pk (S) + sk (N)."""
    return module_tables("hash_s_range_n")


def pk():
    return {"S": "t-" + uuid.uuid4().hex[:10]}


def get(ddb, table, key):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def put(table, item, **args):
    return {"Put": {"TableName": table, "Item": item, **args}}


def update(table, key, expression, values=None, names=None, **args):
    if values is not None:
        args["ExpressionAttributeValues"] = values
    if names is not None:
        args["ExpressionAttributeNames"] = names
    return {"Update": {"TableName": table, "Key": key, "UpdateExpression": expression, **args}}


def delete(table, key, **args):
    return {"Delete": {"TableName": table, "Key": key, **args}}


def check(table, key, condition, **args):
    return {"ConditionCheck": {"TableName": table, "Key": key, "ConditionExpression": condition,
                               **args}}


def body(response):
    response.pop("ResponseMetadata", None)
    return response


def write(ddb, items, **args):
    return body(ddb.transact_write_items(TransactItems=items, **args))


def cancelled(ddb, items, **args):
    """Runs a TransactWriteItems that must be cancelled; checks status, code and that the message
    lists the reason codes in order; returns CancellationReasons."""
    response = client_error(ddb.transact_write_items, TransactItems=items, **args)
    error = response["Error"]
    assert (response["ResponseMetadata"]["HTTPStatusCode"], error["Code"]) == \
        (400, "TransactionCanceledException"), error
    reasons = response["CancellationReasons"]
    assert error["Message"] == CANCELLED.format(", ".join(r["Code"] for r in reasons))
    assert "ConsumedCapacity" not in response
    return reasons


def sized_item(size):
    """An item keyed by pk() (14 bytes of name and value) of exactly `size` bytes."""
    return {"pk": pk(), "v": {"S": "x" * (size - 15)}}


def by_table(capacity):
    return sorted(capacity, key=lambda entry: entry["TableName"])


# --- Success -------------------------------------------------------------------------------

def test_mixed_actions_across_two_tables(ddb, h, hr):
    updated, deleted, checked, created = pk(), pk(), pk(), pk()
    ddb.put_item(TableName=h, Item={"pk": updated, "a": {"N": "1"}, "gone": {"S": "x"},
                                    "c": {"N": "5"}})
    ddb.put_item(TableName=h, Item={"pk": deleted, "a": {"N": "1"}})
    ddb.put_item(TableName=hr, Item={"pk": checked, "sk": {"N": "1"}, "ok": {"BOOL": True}})
    response = write(ddb, [
        put(hr, {"pk": created, "sk": {"N": "2"}, "v": {"S": "new"}}),
        update(h, {"pk": updated}, "SET #a = :a, b = :b REMOVE gone ADD c :one",
               {":a": {"N": "2"}, ":b": {"S": "bee"}, ":one": {"N": "1"}}, {"#a": "a"}),
        delete(h, {"pk": deleted}),
        check(hr, {"pk": checked, "sk": {"N": "1"}}, "ok = :t", ExpressionAttributeValues={
            ":t": {"BOOL": True}}),
    ], ReturnItemCollectionMetrics="SIZE")
    assert response == {}
    assert get(ddb, hr, {"pk": created, "sk": {"N": "2"}}) == {
        "pk": created, "sk": {"N": "2"}, "v": {"S": "new"}}
    assert get(ddb, h, {"pk": updated}) == {"pk": updated, "a": {"N": "2"}, "b": {"S": "bee"},
                                            "c": {"N": "6"}}
    assert get(ddb, h, {"pk": deleted}) is None
    assert get(ddb, hr, {"pk": checked, "sk": {"N": "1"}}) == {
        "pk": checked, "sk": {"N": "1"}, "ok": {"BOOL": True}}


def test_same_key_in_other_table_and_other_sort_key_are_distinct_items(ddb, h, hr):
    key = pk()
    write(ddb, [put(h, {"pk": key}), put(hr, {"pk": key, "sk": {"N": "1"}}),
                put(hr, {"pk": key, "sk": {"N": "2"}})])
    assert get(ddb, h, {"pk": key}) == {"pk": key}
    assert ddb.query(TableName=hr, KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": key})["Count"] == 2


def test_update_and_delete_of_missing_items(ddb, h):
    created, absent = pk(), pk()
    write(ddb, [update(h, {"pk": created}, "SET a = :a", {":a": {"N": "1"}},
                       ConditionExpression="attribute_not_exists(pk)"),
                delete(h, {"pk": absent})])
    assert get(ddb, h, {"pk": created}) == {"pk": created, "a": {"N": "1"}}
    assert get(ddb, h, {"pk": absent}) is None


def test_hundred_actions(ddb, h):
    keys = [pk() for _ in range(100)]
    write(ddb, [put(h, {"pk": key}) for key in keys])
    assert all(get(ddb, h, {"pk": key}) == {"pk": key} for key in keys[::33])


@pytest.mark.parametrize("mode", ["TOTAL", "INDEXES"])
def test_consumed_capacity_per_table(ddb, h, hr, mode):
    checked = pk()
    ddb.put_item(TableName=hr, Item={"pk": checked, "sk": {"N": "1"}})
    response = write(ddb, [put(h, sized_item(1500)),
                           check(hr, {"pk": checked, "sk": {"N": "1"}}, "attribute_exists(pk)")],
                     ReturnConsumedCapacity=mode)
    expected = [{"TableName": h, "CapacityUnits": 4.0}, {"TableName": hr, "CapacityUnits": 2.0}]
    if mode == "INDEXES":
        for entry in expected:
            entry["Table"] = {"CapacityUnits": entry["CapacityUnits"]}
    assert by_table(response["ConsumedCapacity"]) == by_table(expected)


def test_consumed_capacity_none(ddb, h):
    assert write(ddb, [put(h, {"pk": pk()})], ReturnConsumedCapacity="NONE") == {}


@pytest.mark.parametrize("size,units", [(1024, 2.0), (1025, 4.0), (2048, 4.0), (2049, 6.0),
                                        (409600, 800.0)])
def test_write_capacity_two_units_per_kb(ddb, h, size, units):
    response = write(ddb, [put(h, sized_item(size))], ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": h, "CapacityUnits": units}]


@pytest.mark.parametrize("size,read_units,delete_units", [(4096, 2.0, 8.0), (4097, 4.0, 10.0),
                                                          (8193, 6.0, 18.0)])
def test_capacity_of_check_get_and_delete(ddb, h, size, read_units, delete_units):
    item = sized_item(size)
    ddb.put_item(TableName=h, Item=item)
    key = {"pk": item["pk"]}
    checked = write(ddb, [check(h, key, "attribute_exists(pk)")], ReturnConsumedCapacity="TOTAL")
    got = body(ddb.transact_get_items(TransactItems=[{"Get": {"TableName": h, "Key": key}}],
                                      ReturnConsumedCapacity="TOTAL"))
    deleted = write(ddb, [delete(h, key)], ReturnConsumedCapacity="TOTAL")
    assert checked["ConsumedCapacity"] == [{"TableName": h, "CapacityUnits": read_units}]
    assert got["ConsumedCapacity"] == [{"TableName": h, "CapacityUnits": read_units}]
    assert deleted["ConsumedCapacity"] == [{"TableName": h, "CapacityUnits": delete_units}]


@pytest.mark.parametrize("old_size,new_size", [(3000, None), (100, 3000)])
def test_update_capacity_counts_the_larger_item(ddb, h, old_size, new_size):
    item = sized_item(old_size)
    ddb.put_item(TableName=h, Item=item)
    value = {"S": "y" * (new_size - old_size)} if new_size else {"N": "1"}
    response = write(ddb, [update(h, {"pk": item["pk"]}, "SET w = :w", {":w": value})],
                     ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": h, "CapacityUnits": 6.0}]


@pytest.mark.dunlin_only("DynamoDB Local adds each distinct per-action figure once per table "
                         "(two 1 KB puts report 2.0)")
def test_capacity_is_summed_over_the_actions(ddb, h):
    """transaction-apis.html, 'Capacity management for transactions': every item written costs
    its own 2 WCU per KB."""
    response = write(ddb, [put(h, {"pk": pk()}), put(h, {"pk": pk()}), put(h, {"pk": pk()})],
                     ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [{"TableName": h, "CapacityUnits": 6.0}]


# --- Cancellation --------------------------------------------------------------------------

def test_one_false_condition_cancels_all(ddb, h, hr):
    created, guarded, kept = pk(), pk(), pk()
    ddb.put_item(TableName=h, Item={"pk": guarded, "n": {"N": "5"}})
    ddb.put_item(TableName=hr, Item={"pk": kept, "sk": {"N": "1"}})
    reasons = cancelled(ddb, [
        put(h, {"pk": created, "x": {"N": "1"}}),
        update(h, {"pk": guarded}, "SET n = :v", {":v": {"N": "6"}, ":old": {"N": "4"}},
               ConditionExpression="n = :old"),
        delete(hr, {"pk": kept, "sk": {"N": "1"}})])
    assert reasons == [{"Code": "None"}, {"Code": "ConditionalCheckFailed", "Message": FAILED},
                       {"Code": "None"}]
    assert get(ddb, h, {"pk": created}) is None
    assert get(ddb, h, {"pk": guarded}) == {"pk": guarded, "n": {"N": "5"}}
    assert get(ddb, hr, {"pk": kept, "sk": {"N": "1"}}) == {"pk": kept, "sk": {"N": "1"}}


def test_cancellation_raw_body(ddb, raw, h):
    existing = pk()
    ddb.put_item(TableName=h, Item={"pk": existing})
    response = raw.request("TransactWriteItems", {"TransactItems": [
        check(h, {"pk": existing}, "attribute_not_exists(pk)"), put(h, {"pk": pk()})],
        "ReturnConsumedCapacity": "TOTAL"})
    expect_raw_error(response, 400, "TransactionCanceledException",
                     CANCELLED.format("ConditionalCheckFailed, None"),
                     full_type="com.amazonaws.dynamodb.v20120810#TransactionCanceledException")
    assert response.body["CancellationReasons"] == [
        {"Code": "ConditionalCheckFailed", "Message": FAILED_CHECK}, {"Code": "None"}]
    assert "ConsumedCapacity" not in response.body


def test_all_old_returns_the_item(ddb, h, hr):
    existing = {"pk": pk(), "n": {"N": "5"}, "b": {"B": b"\x00\xff"}, "ss": {"SS": ["a"]}}
    ddb.put_item(TableName=h, Item=existing)
    reasons = cancelled(ddb, [put(hr, {"pk": pk(), "sk": {"N": "1"}}),
                              check(h, {"pk": existing["pk"]}, "attribute_not_exists(pk)",
                                    ReturnValuesOnConditionCheckFailure="ALL_OLD")])
    assert reasons == [{"Code": "None"}, {"Item": existing, "Code": "ConditionalCheckFailed",
                                          "Message": FAILED_CHECK}]


@pytest.mark.parametrize("action", ["Put", "Update", "Delete"])
def test_all_old_on_write_actions(ddb, h, action):
    existing = {"pk": pk(), "n": {"N": "5"}}
    ddb.put_item(TableName=h, Item=existing)
    args = dict(ConditionExpression="n = :x", ExpressionAttributeValues={":x": {"N": "1"}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD")
    if action == "Put":
        item = put(h, {"pk": existing["pk"]}, **args)
    elif action == "Update":
        item = update(h, {"pk": existing["pk"]}, "SET n = :x", **args)
    else:
        item = delete(h, {"pk": existing["pk"]}, **args)
    reasons = cancelled(ddb, [item])
    assert reasons == [{"Item": existing, "Code": "ConditionalCheckFailed", "Message": FAILED}]
    assert get(ddb, h, {"pk": existing["pk"]}) == existing


def test_all_old_without_item_has_no_item(ddb, h):
    missing = pk()
    reasons = cancelled(ddb, [put(h, {"pk": pk()}),
                              update(h, {"pk": missing}, "SET q = :q", {":q": {"N": "1"}},
                                     ConditionExpression="attribute_exists(pk)",
                                     ReturnValuesOnConditionCheckFailure="ALL_OLD")])
    assert reasons == [{"Code": "None"}, {"Code": "ConditionalCheckFailed", "Message": FAILED}]
    assert get(ddb, h, {"pk": missing}) is None


def test_return_values_none(ddb, h):
    existing = pk()
    ddb.put_item(TableName=h, Item={"pk": existing})
    reasons = cancelled(ddb, [delete(h, {"pk": existing},
                                     ConditionExpression="attribute_not_exists(pk)",
                                     ReturnValuesOnConditionCheckFailure="NONE")])
    assert reasons == [{"Code": "ConditionalCheckFailed", "Message": FAILED}]


def test_several_false_conditions(ddb, h, hr):
    existing, other = pk(), {"pk": pk(), "sk": {"N": "1"}, "ok": {"BOOL": True}}
    ddb.put_item(TableName=h, Item={"pk": existing})
    ddb.put_item(TableName=hr, Item=other)
    fresh = pk()
    reasons = cancelled(ddb, [
        check(h, {"pk": existing}, "attribute_not_exists(pk)"),
        put(h, {"pk": fresh}),
        put(hr, {"pk": other["pk"], "sk": {"N": "1"}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        delete(h, {"pk": pk()}, ConditionExpression="attribute_exists(pk)")])
    assert reasons == [
        {"Code": "ConditionalCheckFailed", "Message": FAILED_CHECK}, {"Code": "None"},
        {"Item": other, "Code": "ConditionalCheckFailed", "Message": FAILED},
        {"Code": "ConditionalCheckFailed", "Message": FAILED}]
    assert get(ddb, h, {"pk": fresh}) is None


def test_condition_with_names_and_values(ddb, h):
    key = pk()
    ddb.put_item(TableName=h, Item={"pk": key, "status": {"S": "open"}})
    write(ddb, [put(h, {"pk": key, "status": {"S": "closed"}}, ConditionExpression="#s = :s",
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={":s": {"S": "open"}})])
    reasons = cancelled(ddb, [put(h, {"pk": key}, ConditionExpression="#s = :s",
                                  ExpressionAttributeNames={"#s": "status"},
                                  ExpressionAttributeValues={":s": {"S": "open"}})])
    assert reasons == [{"Code": "ConditionalCheckFailed", "Message": FAILED}]
    assert get(ddb, h, {"pk": key}) == {"pk": key, "status": {"S": "closed"}}


# --- Validation: the request -------------------------------------------------------------

def test_empty_transact_items(ddb):
    expect_validation(ddb.transact_write_items, "Value [] at 'transactItems' failed to satisfy "
                      "constraint: Member must have length greater than or equal to 1",
                      TransactItems=[])


def test_missing_transact_items(raw):
    expect_raw_error(raw.request("TransactWriteItems", {}), 400, "ValidationException",
                     "Value null at 'transactItems' failed to satisfy constraint: Member must not "
                     "be null")


def test_more_than_hundred_actions(ddb, h):
    key = pk()
    expect_validation(ddb.transact_write_items, "Member must have length less than or equal to "
                      "100", TransactItems=[put(h, {"pk": pk()}) for _ in range(100)]
                      + [put(h, {"pk": key})])
    assert get(ddb, h, {"pk": key}) is None


@pytest.mark.parametrize("items,message", [
    ([{}], "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"),
    ([{"Put": {"TableName": "T", "Item": {"pk": {"S": "a"}}}}, {}],
     "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"),
    ([{"Put": {"TableName": "T", "Item": {"pk": {"S": "a"}}},
       "Delete": {"TableName": "T", "Key": {"pk": {"S": "b"}}}}],
     "TransactItems can only contain one of Check, Put, Update or Delete"),
    ([{"ConditionCheck": {"TableName": "T", "Key": {"pk": {"S": "a"}}}}],
     "Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to "
     "satisfy constraint: Member must not be null"),
    ([{"Put": {"TableName": "T", "Item": {"pk": {"S": "a"}}}},
      {"ConditionCheck": {"TableName": "T", "Key": {"pk": {"S": "b"}}}}],
     "Value null at 'transactItems.2.member.conditionCheck.conditionExpression' failed to "
     "satisfy constraint: Member must not be null"),
    ([{"ConditionCheck": {"TableName": "T", "ConditionExpression": "attribute_exists(pk)"}}],
     "Value null at 'transactItems.1.member.conditionCheck.key' failed to satisfy constraint: "
     "Member must not be null"),
    ([{"Put": {"TableName": "T"}}],
     "Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must "
     "not be null"),
    ([{"Put": {"Item": {"pk": {"S": "a"}}}}],
     "Value null at 'transactItems.1.member.put.tableName' failed to satisfy constraint: Member "
     "must not be null"),
    ([{"Delete": {"TableName": "T"}}],
     "Value null at 'transactItems.1.member.delete.key' failed to satisfy constraint: Member "
     "must not be null"),
], ids=["no-action", "second-no-action", "two-actions", "check-without-condition",
        "second-check-without-condition", "check-without-key", "put-without-item",
        "put-without-table", "delete-without-key"])
def test_action_shape(raw, h, items, message):
    """Table "T" in the cases stands for the module's hash-key table."""
    items = [{kind: {**action, "TableName": h} if action.get("TableName") == "T" else action
              for kind, action in item.items()} for item in items]
    expect_raw_error(raw.request("TransactWriteItems", {"TransactItems": items}), 400,
                     "ValidationException", message)


@pytest.mark.dunlin_only("DynamoDB Local accepts an Update without UpdateExpression")
def test_update_without_expression(raw, h):
    """API_Update.html: UpdateExpression is required."""
    expect_raw_error(raw.request("TransactWriteItems", {"TransactItems": [
        {"Update": {"TableName": h, "Key": {"pk": pk()}}}]}), 400, "ValidationException",
        "Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy "
        "constraint: Member must not be null")


def test_condition_check_with_empty_condition(ddb, h):
    expect_validation(ddb.transact_write_items, "Invalid ConditionExpression: The expression can "
                      "not be empty;", TransactItems=[check(h, {"pk": pk()}, "")])


def test_client_request_token_too_long(ddb, h):
    expect_validation(ddb.transact_write_items, "Value " + "a" * 37 + " at 'clientRequestToken' "
                      "failed to satisfy constraint: Member must have length less than or equal "
                      "to 36", TransactItems=[put(h, {"pk": pk()})], ClientRequestToken="a" * 37)


def test_client_request_token_of_36_characters(ddb, h):
    key = pk()
    write(ddb, [put(h, {"pk": key})], ClientRequestToken=str(uuid.uuid4()))
    assert get(ddb, h, {"pk": key}) == {"pk": key}


@pytest.mark.dunlin_only("DynamoDB Local accepts an empty ClientRequestToken")
def test_client_request_token_empty(ddb, h):
    """API_TransactWriteItems.html: ClientRequestToken is 1 to 36 characters."""
    expect_validation(ddb.transact_write_items, contains="Member must have length greater than "
                      "or equal to 1", TransactItems=[put(h, {"pk": pk()})], ClientRequestToken="")


@pytest.mark.dunlin_only("DynamoDB Local ignores unknown ReturnValuesOnConditionCheckFailure "
                         "values in transactions")
def test_return_values_on_failure_invalid(ddb, h):
    """API_Put.html: ReturnValuesOnConditionCheckFailure is ALL_OLD or NONE."""
    expect_validation(ddb.transact_write_items, contains="failed to satisfy constraint: Member "
                      "must satisfy enum value set: [ALL_OLD, NONE]", TransactItems=[
                          put(h, {"pk": pk()}, ConditionExpression="attribute_not_exists(pk)",
                              ReturnValuesOnConditionCheckFailure="ALL_NEW")])


@pytest.mark.dunlin_only("DynamoDB Local ignores unknown ReturnConsumedCapacity values")
@pytest.mark.parametrize("operation", ["TransactWriteItems", "TransactGetItems"])
def test_return_consumed_capacity_invalid(raw, h, operation):
    """API_TransactWriteItems.html: ReturnConsumedCapacity is INDEXES, TOTAL or NONE."""
    action = ({"Put": {"TableName": h, "Item": {"pk": pk()}}} if operation == "TransactWriteItems"
              else {"Get": {"TableName": h, "Key": {"pk": pk()}}})
    response = raw.request(operation, {"TransactItems": [action], "ReturnConsumedCapacity": "ALL"})
    expect_raw_error(response, 400, "ValidationException", contains="Member must satisfy enum "
                     "value set: [INDEXES, TOTAL, NONE]")


def test_payload_over_4_mb(ddb, h):
    """Eleven items of 390 KB: the payload is the sum of the item sizes."""
    items = [put(h, sized_item(390 * 1024)) for _ in range(11)]
    expect_validation(ddb.transact_write_items, "Transaction payload size cannot exceed 4MB. "
                      f"Payload Size: {11 * 390 * 1024}", TransactItems=items)
    assert get(ddb, h, {"pk": items[0]["Put"]["Item"]["pk"]}) is None


def test_payload_of_exactly_4_mb(ddb, h):
    items = [put(h, sized_item(409600)) for _ in range(10)] + [put(h, sized_item(98304))]
    write(ddb, items)
    assert get(ddb, h, {"pk": items[10]["Put"]["Item"]["pk"]}) is not None
    items[10] = put(h, sized_item(98305))
    expect_validation(ddb.transact_write_items, "Transaction payload size cannot exceed 4MB. "
                      "Payload Size: 4194305", TransactItems=items)


# --- Validation: one item targeted twice -----------------------------------------------------

def _same_item_pairs(h, hr):
    a, b = pk(), pk()
    ranged = {"pk": b, "sk": {"N": "1"}}
    return {
        "put-put": [put(h, {"pk": a}), put(h, {"pk": a, "x": {"N": "1"}})],
        "update-delete": [update(h, {"pk": a}, "SET x = :x", {":x": {"N": "1"}}),
                          delete(h, {"pk": a})],
        "check-put": [check(h, {"pk": a}, "attribute_not_exists(pk)"), put(h, {"pk": a})],
        "put-check": [put(h, {"pk": a}), check(h, {"pk": a}, "attribute_exists(pk)")],
        "check-check": [check(h, {"pk": a}, "attribute_not_exists(pk)"),
                        check(h, {"pk": a}, "attribute_not_exists(pk)")],
        "range-key-members-reordered": [
            update(hr, ranged, "SET x = :x", {":x": {"N": "1"}}),
            delete(hr, {"sk": {"N": "1"}, "pk": b})],
    }


@pytest.mark.parametrize("pair", ["put-put", "update-delete", "check-put", "put-check",
                                  "check-check", "range-key-members-reordered"])
def test_one_item_twice(ddb, h, hr, pair):
    items = _same_item_pairs(h, hr)[pair]
    expect_validation(ddb.transact_write_items, DUPLICATE, TransactItems=items)
    for item in items:
        action = next(iter(item.values()))
        key = action.get("Key") or {"pk": action["Item"]["pk"]}
        assert get(ddb, action["TableName"], key) is None


def test_one_item_twice_reported_before_false_condition(ddb, h):
    """The duplicate is a ValidationException even when another action's condition is false."""
    a = pk()
    expect_validation(ddb.transact_write_items, DUPLICATE, TransactItems=[
        check(h, {"pk": pk()}, "attribute_exists(pk)"), put(h, {"pk": a}), put(h, {"pk": a})])


@pytest.mark.dunlin_only("DynamoDB Local compares key numbers by their text (1 and 1.0 pass)")
def test_one_item_twice_with_equal_numbers(ddb, hr):
    """API_TransactWriteItems.html: no two actions can target the same item; 1 and 1.0 are the
    same number, so the same key."""
    b = pk()
    expect_validation(ddb.transact_write_items, DUPLICATE, TransactItems=[
        update(hr, {"pk": b, "sk": {"N": "1"}}, "SET x = :x", {":x": {"N": "1"}}),
        delete(hr, {"pk": b, "sk": {"N": "1.0"}})])


@pytest.mark.dunlin_only("DynamoDB Local evaluates a ConditionCheck after the earlier write to "
                         "the same item and reports ConditionalCheckFailed")
def test_one_item_twice_with_a_condition_that_would_fail(ddb, h):
    """API_TransactWriteItems.html: 'you cannot both ConditionCheck and Update the same item'."""
    a = pk()
    expect_validation(ddb.transact_write_items, DUPLICATE, TransactItems=[
        update(h, {"pk": a}, "SET x = :x", {":x": {"N": "1"}}),
        check(h, {"pk": a}, "attribute_not_exists(pk)")])


# --- Validation: tables, keys, items, expressions --------------------------------------------

@pytest.mark.parametrize("position", [0, 1])
@pytest.mark.parametrize("action", ["Put", "ConditionCheck"])
def test_unknown_table(ddb, h, position, action):
    key = pk()
    missing = (put("no-such-table", {"pk": pk()}) if action == "Put"
               else check("no-such-table", {"pk": pk()}, "attribute_exists(pk)"))
    items = [put(h, {"pk": key})]
    items.insert(position, missing)
    expect_error(ddb.transact_write_items, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TransactItems=items)
    assert get(ddb, h, {"pk": key}) is None


def test_unknown_table_reported_before_false_condition(ddb, h):
    expect_error(ddb.transact_write_items, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TransactItems=[check(h, {"pk": pk()}, "attribute_exists(pk)"),
                                put("no-such-table", {"pk": pk()})])


def test_invalid_table_name(ddb):
    expect_validation(ddb.transact_write_items, INVALID_TABLE_NAME,
                      TransactItems=[put("a", {"pk": pk()})])


def _wrong_type_actions(h, hr):
    return {
        "put": put(hr, {"pk": pk(), "sk": {"S": "1"}}),
        "update": update(h, {"pk": {"N": "1"}}, "SET a = :a", {":a": {"N": "1"}}),
        "delete": delete(h, {"pk": {"N": "1"}}),
        "check": check(h, {"pk": {"N": "1"}}, "attribute_exists(pk)"),
    }


@pytest.mark.parametrize("action", ["put", "update", "delete", "check"])
def test_key_of_wrong_type_is_a_cancellation_reason(ddb, h, hr, action):
    key = pk()
    reasons = cancelled(ddb, [put(h, {"pk": key}), _wrong_type_actions(h, hr)[action]])
    assert [r["Code"] for r in reasons] == ["None", "ValidationError"]
    assert reasons[1]["Message"].startswith(KEY_TYPE_MISMATCH), reasons
    assert get(ddb, h, {"pk": key}) is None


def test_validation_error_and_false_condition_both_reported(ddb, h):
    reasons = cancelled(ddb, [check(h, {"pk": pk()}, "attribute_exists(pk)"),
                              delete(h, {"pk": {"N": "1"}})])
    assert [r["Code"] for r in reasons] == ["ConditionalCheckFailed", "ValidationError"]
    assert reasons[0]["Message"] == FAILED_CHECK


@pytest.mark.parametrize("table_kind,key", [
    ("hr", {"pk": {"S": "a"}}), ("h", {"pk": {"S": "a"}, "other": {"S": "b"}}), ("h", {})])
@pytest.mark.parametrize("action", ["Update", "Delete", "ConditionCheck"])
def test_key_with_wrong_attributes(ddb, h, hr, table_kind, key, action):
    table = h if table_kind == "h" else hr
    item = {"Update": update(table, key, "SET a = :a", {":a": {"N": "1"}}),
            "Delete": delete(table, key),
            "ConditionCheck": check(table, key, "attribute_exists(pk)")}[action]
    expect_validation(ddb.transact_write_items, KEY_CONDITIONS_INVALID, TransactItems=[item])


@pytest.mark.parametrize("table_kind,item", [("h", {"a": {"S": "x"}}), ("hr", {"pk": {"S": "x"}}),
                                             ("hr", {"sk": {"N": "1"}})])
def test_put_without_key(ddb, h, hr, table_kind, item):
    expect_validation(ddb.transact_write_items, REQUIRED_KEY_MISSING,
                      TransactItems=[put(h if table_kind == "h" else hr, item)])


def test_key_too_long_is_a_cancellation_reason(ddb, h):
    reasons = cancelled(ddb, [put(h, {"pk": pk()}), delete(h, {"pk": {"S": "z" * 2049}})])
    assert reasons == [{"Code": "None"}, {"Code": "ValidationError", "Message": KEY_TOO_LONG}]


def test_empty_string_key(ddb, h):
    expect_validation(ddb.transact_write_items, "One or more parameter values are not valid. The "
                      "AttributeValue for a key attribute cannot contain an empty string value. "
                      "Key: pk", TransactItems=[delete(h, {"pk": {"S": ""}})])


def test_put_item_over_400_kb(ddb, h):
    expect_validation(ddb.transact_write_items, ITEM_TOO_LARGE, TransactItems=[
        check(h, {"pk": pk()}, "attribute_exists(pk)"), put(h, sized_item(409601))])


def test_update_growing_item_past_400_kb_is_a_cancellation_reason(ddb, h):
    fits, grows = pk(), pk()
    write(ddb, [update(h, {"pk": fits}, "SET v = :v", {":v": {"S": "x" * (409600 - 15)}})])
    assert len(get(ddb, h, {"pk": fits})["v"]["S"]) == 409600 - 15
    ddb.put_item(TableName=h, Item={"pk": grows, "big": {"S": "x" * (399 * 1024)}})
    key = pk()
    reasons = cancelled(ddb, [put(h, {"pk": key}),
                              update(h, {"pk": grows}, "SET more = :m", {":m": {"S": "y" * 2048}})])
    assert reasons == [{"Code": "None"}, {"Code": "ValidationError", "Message": UPDATE_TOO_LARGE}]
    assert get(ddb, h, {"pk": key}) is None


def test_update_value_alone_over_400_kb(ddb, h):
    """An assigned value that alone (with its name) exceeds 400 KB is found before any item is
    read: a ValidationException."""
    expect_validation(ddb.transact_write_items, UPDATE_TOO_LARGE, TransactItems=[
        check(h, {"pk": pk()}, "attribute_exists(pk)"),
        update(h, {"pk": pk()}, "SET abc = :a", {":a": {"S": "x" * 409598}})])


@pytest.mark.parametrize("attribute", ["pk", "sk"])
def test_update_of_key_attribute_is_a_cancellation_reason(ddb, hr, attribute):
    key = {"pk": pk(), "sk": {"N": "1"}}
    value = {"S": "x"} if attribute == "pk" else {"N": "2"}
    reasons = cancelled(ddb, [update(hr, key, f"SET {attribute} = :a", {":a": value})])
    assert reasons == [{"Code": "ValidationError",
                        "Message": KEY_ATTRIBUTE_UPDATED.format(attribute)}]
    assert get(ddb, hr, key) is None


@pytest.mark.parametrize("expression,values,message", [
    ("ADD s :v", {":v": {"N": "1"}}, WRONG_OPERAND),
    ("SET x = s + :v", {":v": {"N": "1"}}, WRONG_OPERAND),
    ("SET x = list_append(s, :v)", {":v": {"L": []}}, WRONG_OPERAND),
    ("DELETE ss :v", {":v": {"NS": ["1"]}}, WRONG_OPERAND),
    ("SET nomap.x = :v", {":v": {"N": "1"}},
     "The document path provided in the update expression is invalid for update"),
    ("SET n = n + :v", {":v": {"N": "9.9999999999999999999999999999999999999E+125"}},
     "DynamoDB only supports precision up to 38 digits"),
], ids=["add-to-string", "plus-string", "append-to-string", "delete-wrong-set", "missing-map",
        "precision"])
def test_update_invalid_for_stored_item(ddb, h, expression, values, message):
    """Found while applying the update to the stored item: a ValidationException for the whole
    call, even when another action's condition is false."""
    key = pk()
    stored = {"pk": key, "s": {"S": "str"}, "ss": {"SS": ["a"]}, "n": {"N": "1"}}
    ddb.put_item(TableName=h, Item=stored)
    expect_validation(ddb.transact_write_items, message, TransactItems=[
        check(h, {"pk": pk()}, "attribute_exists(pk)"), update(h, {"pk": key}, expression, values)])
    assert get(ddb, h, {"pk": key}) == stored


def test_false_condition_wins_over_invalid_update(ddb, h):
    key = pk()
    ddb.put_item(TableName=h, Item={"pk": key, "s": {"S": "str"}})
    reasons = cancelled(ddb, [update(h, {"pk": key}, "ADD s :one", {":one": {"N": "1"}},
                                     ConditionExpression="attribute_not_exists(pk)",
                                     ReturnValuesOnConditionCheckFailure="ALL_OLD")])
    assert reasons == [{"Item": {"pk": key, "s": {"S": "str"}}, "Code": "ConditionalCheckFailed",
                        "Message": FAILED}]


@pytest.mark.parametrize("item,message", [
    (lambda t: update(t, {"pk": pk()}, "SET", {":a": {"S": "1"}}),
     'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"'),
    (lambda t: update(t, {"pk": pk()}, "SET a = :a, a = :a", {":a": {"N": "1"}}),
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a]"),
    (lambda t: update(t, {"pk": pk()}, "SET a = :a", {":a": {"S": "1"}, ":b": {"S": "2"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}"),
    (lambda t: update(t, {"pk": pk()}, "SET a = :a", {":a": {"N": "1"}}, {"#z": "z"}),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#z}"),
    (lambda t: put(t, {"pk": pk()}, ConditionExpression="attribute_not_exists(pk)",
                   ExpressionAttributeValues={":a": {"S": "1"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a}"),
    (lambda t: check(t, {"pk": pk()}, "attribute_exists(pk)",
                     ExpressionAttributeNames={"#n": "n"}),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"),
    (lambda t: delete(t, {"pk": pk()}, ConditionExpression="a = :a"),
     "Invalid ConditionExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :a"),
    (lambda t: put(t, {"pk": pk()}, ConditionExpression="a = = b"),
     'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"'),
    (lambda t: put(t, {"pk": pk()}, ConditionExpression="attribute_exists(pk)",
                   ExpressionAttributeValues={}),
     "ExpressionAttributeValues must not be empty"),
    (lambda t: put(t, {"pk": pk()}, ConditionExpression="attribute_exists(pk)",
                   ExpressionAttributeNames={}),
     "ExpressionAttributeNames must not be empty"),
    (lambda t: put(t, {"pk": pk(), "n": {"N": "abc"}}),
     "A value provided cannot be converted into a number"),
    (lambda t: put(t, {"pk": pk(), "n": {"SS": []}}),
     "One or more parameter values were invalid: An string set  may not be empty"),
], ids=["update-syntax", "update-overlap", "unused-value", "unused-name", "put-unused-value",
        "check-unused-name", "undefined-value", "condition-syntax",
        "empty-values", "empty-names", "bad-number", "empty-set"])
def test_expression_and_value_errors(ddb, h, item, message):
    """Reported before any table is read, even when an earlier action's condition is false or
    its table does not exist."""
    expect_validation(ddb.transact_write_items, message, TransactItems=[
        put("no-such-table", {"pk": pk()}), item(h)])


def test_values_without_expression(ddb, h):
    """Unlike the errors above, reported after the table lookup (an unknown table wins)."""
    expect_validation(ddb.transact_write_items, "ExpressionAttributeValues can only be specified "
                      "when using expressions: ConditionExpression is null", TransactItems=[
                          put(h, {"pk": pk()}, ExpressionAttributeValues={":a": {"S": "1"}})])


# --- ClientRequestToken ----------------------------------------------------------------------

def _counter_call(ddb, table, key, token, step="1"):
    return lambda: write(ddb, [update(table, {"pk": key}, "ADD c :one", {":one": {"N": step}})],
                         ClientRequestToken=token)


def test_same_token_same_request_applies_once(ddb, h):
    key, token = pk(), str(uuid.uuid4())
    call = _counter_call(ddb, h, key, token)
    assert call() == {}
    assert call() == {}
    assert get(ddb, h, {"pk": key}) == {"pk": key, "c": {"N": "1"}}
    ddb.delete_item(TableName=h, Key={"pk": key})
    call()
    assert get(ddb, h, {"pk": key}) is None


def test_same_token_other_request(ddb, h):
    key, token = pk(), str(uuid.uuid4())
    _counter_call(ddb, h, key, token)()
    expect_error(_counter_call(ddb, h, key, token, step="2"),
                 "IdempotentParameterMismatchException", "")
    expect_error(lambda: write(ddb, [put(h, {"pk": pk()})], ClientRequestToken=token),
                 "IdempotentParameterMismatchException", "")
    assert get(ddb, h, {"pk": key}) == {"pk": key, "c": {"N": "1"}}


def test_token_of_a_cancelled_call_can_be_used_again(ddb, h):
    key, token = pk(), str(uuid.uuid4())
    items = [update(h, {"pk": key}, "ADD c :one", {":one": {"N": "1"}},
                    ConditionExpression="attribute_exists(pk)")]
    cancelled(ddb, items, ClientRequestToken=token)
    ddb.put_item(TableName=h, Item={"pk": key})
    write(ddb, items, ClientRequestToken=token)
    write(ddb, items, ClientRequestToken=token)
    assert get(ddb, h, {"pk": key}) == {"pk": key, "c": {"N": "1"}}
