"""Unit tests of the differential tester's own parts: generation, table roles, shrinking,
normalization and the known differences. No server is involved (run.py does that).

    /usr/bin/python3 -m pytest tests/differential -q
"""

import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import faults  # noqa: E402
import generator  # noqa: E402
from known_differences import explain  # noqa: E402
from normalize import difference, normalize  # noqa: E402
from run import instantiate  # noqa: E402
from shrink import shrink  # noqa: E402
from values import INVALID_NUMBERS  # noqa: E402


@pytest.fixture
def valid_only():
    faults.set_enabled(False)
    yield
    faults.set_enabled(True)


def steps(seed, number, length=80):
    return generator.generate_sequence(seed, number, length).steps


def test_a_sequence_depends_on_its_seed_and_number_only():
    assert steps(7, 3) == steps(7, 3)
    assert steps(7, 3) != steps(7, 4)
    assert steps(7, 3) != steps(8, 3)
    # Generating other sequences in between changes nothing.
    first = steps(7, 3)
    steps(7, 1)
    assert steps(7, 3) == first


def test_steps_are_json_requests_of_known_operations():
    operations = set()
    for number in range(20):
        for operation, body in steps(11, number):
            assert operation in generator.OPERATIONS
            json.dumps(body)
            operations.add(operation)
    assert operations == set(generator.OPERATIONS)


def _numbers(value):
    if isinstance(value, dict):
        for key, member in value.items():
            if key == "N" and isinstance(member, str):
                yield member
            elif key == "NS" and isinstance(member, list):
                yield from member
            else:
                yield from _numbers(member)
    elif isinstance(value, list):
        for member in value:
            yield from _numbers(member)


def _sets(value):
    if isinstance(value, dict):
        for key, member in value.items():
            if key in ("SS", "NS", "BS") and isinstance(member, list):
                yield member
            else:
                yield from _sets(member)
    elif isinstance(value, list):
        for member in value:
            yield from _sets(member)


def test_faults_make_invalid_requests_and_valid_only_does_not(valid_only):
    def census(all_steps):
        numbers = [n for _, body in all_steps for n in _numbers(body)]
        sets = [s for _, body in all_steps for s in _sets(body)]
        return (sum(n in INVALID_NUMBERS for n in numbers), sum(len(s) == 0 for s in sets),
                sum(isinstance(body.get("TableName"), str)
                    and not body["TableName"].startswith("$") for _, body in all_steps))

    valid = [step for number in range(30) for step in steps(5, number)]
    assert census(valid) == (0, 0, 0)
    faults.set_enabled(True)
    faulty = [step for number in range(30) for step in steps(5, number)]
    invalid_numbers, empty_sets, bad_tables = census(faulty)
    assert invalid_numbers > 0 and empty_sets > 0 and bad_tables > 0


def test_instantiate_replaces_table_roles_in_values_and_keys():
    body = {"RequestItems": {"$H": [{"PutRequest": {"Item": {"pk": {"S": "$H"}}}}]},
            "TransactItems": [{"Get": {"TableName": "$R"}}]}
    names = {"$H": "t_h", "$R": "t_r"}
    assert instantiate(body, names) == {
        "RequestItems": {"t_h": [{"PutRequest": {"Item": {"pk": {"S": "t_h"}}}}]},
        "TransactItems": [{"Get": {"TableName": "t_r"}}]}


def test_shrink_keeps_only_the_steps_the_failure_needs():
    calls = []

    def fails(candidate):
        calls.append(candidate)
        return 3 in candidate and 7 in candidate and candidate[-1] == "last"

    kept = shrink(list(range(20)) + ["last"], fails, budget=500)
    assert kept == [3, 7, "last"]
    assert all(candidate[-1] == "last" for candidate in calls)


def test_shrink_stops_at_its_budget():
    calls = []

    def fails(candidate):
        calls.append(candidate)
        return len(candidate) == 101  # every step is needed: nothing can go

    assert shrink(list(range(100)) + ["last"], fails, budget=3) == list(range(100)) + ["last"]
    assert len(calls) == 3


def test_normalize_errors_and_volatile_table_members():
    error = normalize("GetItem", {}, 400, {
        "__type": "com.amazon.coral.validate#ValidationException", "Message": "bad"})
    assert error == {"status": 400, "type": "ValidationException", "message": "bad"}
    assert normalize("GetItem", {}, 400, {"__type": "x#ValidationException",
                                          "message": "bad"}) == error
    one = normalize("CreateTable", {}, 200, {"TableDescription": {
        "TableName": "t", "CreationDateTime": 1.5, "TableArn": "arn:a", "ItemCount": 0,
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "LastIncreaseDateTime": 0}}})
    other = normalize("CreateTable", {}, 200, {"TableDescription": {
        "TableName": "t", "CreationDateTime": 9.0, "TableArn": "arn:b", "TableId": "x",
        "ProvisionedThroughput": {"ReadCapacityUnits": 0}}})
    assert difference(one, other) is None
    assert difference(one, normalize("CreateTable", {}, 200, {"TableDescription": {
        "TableName": "u"}})) == "body"


def test_normalize_orders_what_dynamodb_leaves_unordered():
    a = {"pk": {"S": "a"}, "s": {"SS": ["y", "x"]}}
    b = {"pk": {"S": "b"}, "s": {"NS": ["2", "1"]}}
    assert normalize("Scan", {}, 200, {"Items": [a, b]}) == \
        normalize("Scan", {}, 200, {"Items": [b, a]})
    # Query order is kept, except within a run of equal index keys.
    assert normalize("Query", {}, 200, {"Items": [a, b]}) != \
        normalize("Query", {}, 200, {"Items": [b, a]})
    x1, x2, y = ({"gk": {"S": "x"}, "n": {"N": "1"}}, {"gk": {"S": "x"}, "n": {"N": "2"}},
                 {"gk": {"S": "y"}})
    on_gsi = {"IndexName": "gsi"}
    assert normalize("Query", on_gsi, 200, {"Items": [x1, x2, y]}) == \
        normalize("Query", on_gsi, 200, {"Items": [x2, x1, y]})
    assert normalize("Query", on_gsi, 200, {"Items": [x1, x2, y]}) != \
        normalize("Query", on_gsi, 200, {"Items": [y, x1, x2]})


def ok(body):
    return {"status": 200, "body": body}


def test_known_differences_explain_their_case_only():
    local_500 = {"status": 500, "type": "InternalFailure", "message": None}
    serialization = {"status": 400, "type": "SerializationException", "message": "x"}
    assert explain("PutItem", {}, serialization, local_500) == "local-500-for-malformed-input"
    assert explain("PutItem", {}, local_500, serialization) is None

    mismatch = "One or more parameter values were invalid: Type mismatch for key"
    error = {"status": 400, "type": "ValidationException"}
    assert explain("GetItem", {}, dict(error, message=mismatch + " pk expected: S actual: N"),
                   dict(error, message=mismatch)) == "key-type-mismatch-detail"
    assert explain("GetItem", {}, dict(error, message=mismatch + " and more"),
                   dict(error, message=mismatch)) is None

    nested = ok({"Item": {"m": {"M": {"n": {"N": "1.5"}}}}})
    as_written = ok({"Item": {"m": {"M": {"n": {"N": "1.50"}}}}})
    assert explain("GetItem", {}, nested, as_written) == "numbers-as-written"
    assert explain("GetItem", {}, nested, ok({"Item": {"m": {"M": {"n": {"N": "2"}}}}})) is None

    capacity = {"ConsumedCapacity": {"TableName": "t", "CapacityUnits": 1.0}}
    assert explain("DeleteItem", {}, ok({}), ok(capacity)) == "delete-item-capacity"
    asked = {"ReturnConsumedCapacity": "TOTAL"}
    assert explain("DeleteItem", asked, ok({}), ok(capacity)) is None
    metrics = {"ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "a"}}}}
    both = {"ReturnItemCollectionMetrics": "SIZE"}
    assert explain("DeleteItem", both, ok(metrics), ok(capacity)) == \
        "delete-item-capacity+item-collection-metrics"


def test_open_expression_order_entry_checks_the_request():
    validation = {"status": 400, "type": "ValidationException"}
    dunlin = dict(validation, message="Invalid ConditionExpression: Incorrect operand type for "
                  "operator or function; operator or function: begins_with, operand type: N")
    local = dict(validation, message="Invalid ConditionExpression: Attribute name is a reserved "
                 "keyword; reserved keyword: name")
    assert explain("PutItem", {"ConditionExpression": "begins_with(a, :n) AND name = :v"},
                   dunlin, local) == "expression-error-order"
    # The reserved word must really be in the expression.
    assert explain("PutItem", {"ConditionExpression": "begins_with(a, :n) AND #name = :v"},
                   dunlin, local) is None


def test_transaction_entries_check_the_actions():
    validation = {"status": 400, "type": "ValidationException"}
    null = dict(validation, message="Value null at 'transactItems.2.member.update."
                "updateExpression' failed to satisfy constraint: Member must not be null")
    cancelled = {"status": 400, "type": "TransactionCanceledException",
                 "message": "Transaction cancelled, please refer cancellation reasons for "
                 "specific reasons [ConditionalCheckFailed]"}
    key = {"Key": {"pk": {"S": "a"}}, "TableName": "t"}
    without = {"TransactItems": [{"Delete": key}, {"Update": dict(key)}]}
    assert explain("TransactWriteItems", without, null, cancelled) == \
        "update-expression-required"
    # The named action must really lack the member.
    with_it = {"TransactItems": [{"Delete": key}, {"Update": dict(key, UpdateExpression="x")}]}
    assert explain("TransactWriteItems", with_it, null, cancelled) is None

    def reasons(codes):
        return {"status": 400, "type": "TransactionCanceledException",
                "message": "Transaction cancelled, please refer cancellation reasons for "
                "specific reasons [" + ", ".join(codes) + "]"}
    keyed = {"Update": dict(key, UpdateExpression="SET #k = :v",
                            ExpressionAttributeNames={"#k": "pk"})}
    request = {"TransactItems": [{"Delete": key}, keyed]}
    one = reasons(["ValidationError"])
    assert explain("TransactWriteItems", request, reasons(["None", "ValidationError"]), one) == \
        "key-update-single-reason"
    # The reason must name the Update of the key attribute.
    assert explain("TransactWriteItems", request, reasons(["ValidationError", "None"]),
                   one) is None
    plain = {"Update": dict(key, UpdateExpression="SET a = :v")}
    assert explain("TransactWriteItems", {"TransactItems": [{"Delete": key}, plain]},
                   reasons(["None", "ValidationError"]), one) is None


def test_coercion_and_action_enum_entries_check_the_request():
    serialization = {"status": 400, "type": "SerializationException",
                     "message": "NUMBER_VALUE cannot be converted to Boolean"}
    assert explain("GetItem", {"ConsistentRead": 1}, serialization, ok({})) == \
        "local-coerces-scalars-to-strings"
    assert explain("GetItem", {"ConsistentRead": True}, serialization, ok({})) is None

    message = ("1 validation error detected: Value 'BOGUS' at 'transactItems.1.member.put."
               "returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must "
               "satisfy enum value set: [ALL_OLD, NONE]")
    refused = {"status": 400, "type": "ValidationException", "message": message}
    bogus = {"TransactItems": [{"Put": {"ReturnValuesOnConditionCheckFailure": "BOGUS"}}]}
    assert explain("TransactWriteItems", bogus, refused, ok({})) == "ignored-action-enum-values"
    valid = {"TransactItems": [{"Put": {"ReturnValuesOnConditionCheckFailure": "NONE"}}]}
    assert explain("TransactWriteItems", valid, refused, ok({})) is None


def test_open_expression_order_entry_takes_undefined_values():
    validation = {"status": 400, "type": "ValidationException"}
    dunlin = dict(validation, message="Invalid FilterExpression: Incorrect operand type for "
                  "operator or function; operator or function: BETWEEN, operand type: SS")
    local = dict(validation, message="Invalid FilterExpression: An expression attribute value "
                 "used in expression is not defined; attribute value: :v2")
    request = {"FilterExpression": ":v1 BETWEEN :v2 AND c",
               "ExpressionAttributeValues": {":v1": {"SS": ["a"]}}}
    assert explain("Scan", request, dunlin, local) == "expression-error-order"
    # The value must really be undefined.
    defined = dict(request, ExpressionAttributeValues={":v1": {"SS": ["a"]}, ":v2": {"S": "a"}})
    assert explain("Scan", defined, dunlin, local) is None
