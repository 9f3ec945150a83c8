"""TransactGetItems, values through transactions, and isolation under concurrency.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
  1. up to 100 Gets on distinct items, across tables; Responses has one entry per Get, in
     request order: {"Item": ...} (projected by ProjectionExpression), or {} when there is no
     item; a Get costs 2 RCU per started 4 KB, a missing item 2;
  2. an unknown table is ResourceNotFoundException; malformed requests are
     ValidationExceptions; a key that does not fit the schema is a TransactionCanceledException
     (DynamoDB Local sends no CancellationReasons with it);
  3. numbers, sets and nested documents written by transactional Put and Update read back
     exactly;
  4. (dunlin_only) TransactWriteItems is serialisable and TransactGetItems sees each one whole
     ('Isolation levels for DynamoDB transactions': SERIALIZABLE between transactional
     operations); conflicts are TransactionCanceledException with TransactionConflict reasons
     ('Transaction conflict handling in DynamoDB') and are retried. DynamoDB Local runs one
     request at a time, so it never reports a conflict and these tests exercise nothing there.
Errors and responses are DynamoDB Local's, verbatim.
"""

import base64
import decimal
import random
import threading
import uuid

import botocore.exceptions
import pytest

from expect import (KEY_CONDITIONS_INVALID, KEY_TYPE_MISMATCH, TABLE_NOT_FOUND, expect_error,
                    expect_raw_error, expect_validation)

DUPLICATE = "Transaction request cannot include multiple operations on one item"


@pytest.fixture(scope="module")
def h(module_tables):
    """pk (S)."""
    return module_tables("hash_s")


@pytest.fixture(scope="module")
def hr(module_tables):
    """pk (S) + sk (N)."""
    return module_tables("hash_s_range_n")


def pk():
    return {"S": "g-" + uuid.uuid4().hex[:10]}


def g(table, key, **args):
    return {"Get": {"TableName": table, "Key": key, **args}}


def transact_get(ddb, items, **args):
    response = ddb.transact_get_items(TransactItems=items, **args)
    response.pop("ResponseMetadata")
    return response


def normalise(value):
    """Sets in sorted order and numbers as Decimals, so that values compare as DynamoDB compares
    them (DynamoDB Local returns nested numbers as sent, and sets in no fixed order)."""
    if isinstance(value, dict):
        out = {}
        for name, inner in value.items():
            if name == "N":
                out[name] = decimal.Decimal(inner)
            elif name == "NS":
                out[name] = sorted(decimal.Decimal(n) for n in inner)
            elif name in ("SS", "BS"):
                out[name] = sorted(inner)
            else:
                out[name] = normalise(inner)
        return out
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


# --- TransactGetItems ----------------------------------------------------------------------

DOC = {"n": {"N": "1"}, "m": {"M": {"x": {"S": "y"}, "z": {"N": "2"}}},
       "l": {"L": [{"N": "1"}, {"N": "2"}]}, "name": {"S": "reserved word"}}


@pytest.fixture(scope="module")
def stored(ddb, h, hr):
    key = pk()
    ddb.put_item(TableName=h, Item={"pk": key, **DOC})
    ddb.put_item(TableName=hr, Item={"pk": key, "sk": {"N": "5"}, "v": {"S": "r"}})
    return key


def test_gets_across_tables_with_missing_items(ddb, raw, h, hr, stored):
    items = [g(h, {"pk": stored}), g(hr, {"pk": stored, "sk": {"N": "5"}}), g(h, {"pk": pk()}),
             g(hr, {"pk": stored, "sk": {"N": "6"}})]
    expected = [{"Item": {"pk": stored, **DOC}},
                {"Item": {"pk": stored, "sk": {"N": "5"}, "v": {"S": "r"}}}, {}, {}]
    assert transact_get(ddb, items) == {"Responses": expected}
    response = raw.request("TransactGetItems", {"TransactItems": items})
    assert (response.status, response.body) == (200, {"Responses": expected})


def test_projection_with_names(ddb, h, stored):
    missing = transact_get(ddb, [g(h, {"pk": pk()}, ProjectionExpression="a")])
    assert missing == {"Responses": [{}]}
    projected = transact_get(ddb, [g(h, {"pk": stored}, ProjectionExpression="#n, m.x, l[1], #nm",
                                     ExpressionAttributeNames={"#n": "n", "#nm": "name"})])
    assert projected == {"Responses": [{"Item": {
        "n": {"N": "1"}, "m": {"M": {"x": {"S": "y"}}}, "l": {"L": [{"N": "2"}]},
        "name": {"S": "reserved word"}}}]}


def test_projection_matching_nothing(ddb, h, stored):
    assert transact_get(ddb, [g(h, {"pk": stored}, ProjectionExpression="absent")]) == {
        "Responses": [{"Item": {}}]}


@pytest.mark.parametrize("args,message", [
    (dict(ProjectionExpression="name"),
     "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    (dict(ProjectionExpression="n", ExpressionAttributeNames={"#x": "y"}),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"),
    (dict(ExpressionAttributeNames={"#x": "y"}),
     "ExpressionAttributeNames can only be specified when using expressions"),
    (dict(ProjectionExpression="#q"),
     "Invalid ProjectionExpression: An expression attribute name used in the document path is "
     "not defined; attribute name: #q"),
    (dict(ProjectionExpression="a,,b"),
     'Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"'),
    (dict(ProjectionExpression="m, m.x"),
     "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [m], path two: [m, x]"),
], ids=["reserved", "unused-name", "names-without-projection", "undefined-name", "syntax",
        "overlap"])
def test_projection_errors(ddb, h, stored, args, message):
    expect_validation(ddb.transact_get_items, message, TransactItems=[g(h, {"pk": stored},
                                                                          **args)])


def test_hundred_gets(ddb, h, stored):
    response = transact_get(ddb, [g(h, {"pk": pk()}) for _ in range(99)] + [g(h, {"pk": stored})])
    assert response["Responses"][:99] == [{}] * 99
    assert response["Responses"][99]["Item"]["pk"] == stored


def test_more_than_hundred_gets(ddb, h):
    expect_validation(ddb.transact_get_items, "Member must have length less than or equal to 100",
                      TransactItems=[g(h, {"pk": pk()}) for _ in range(101)])


@pytest.mark.parametrize("request_body", [{"TransactItems": []}, {}, {"TransactItems": [{}]}],
                         ids=["empty", "absent", "empty-action"])
def test_no_gets(raw, request_body):
    expect_raw_error(raw.request("TransactGetItems", request_body), 400, "ValidationException",
                     "Value null at 'transactItems' failed to satisfy constraint: Member must not "
                     "be null")


def test_same_item_twice(ddb, h, stored):
    expect_validation(ddb.transact_get_items, DUPLICATE,
                      TransactItems=[g(h, {"pk": stored}), g(h, {"pk": stored})])


def test_unknown_table(ddb, h, stored):
    expect_error(ddb.transact_get_items, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TransactItems=[g(h, {"pk": stored}), g("no-such-table", {"pk": stored})])


def test_key_of_wrong_type(ddb, h):
    message = expect_error(ddb.transact_get_items, "TransactionCanceledException",
                           TransactItems=[g(h, {"pk": pk()}), g(h, {"pk": {"N": "1"}})])
    assert message.startswith(KEY_TYPE_MISMATCH), message


@pytest.mark.parametrize("table_kind,key", [("hr", {"pk": {"S": "a"}}), ("h", {}),
                                            ("h", {"pk": {"S": "a"}, "x": {"S": "b"}})])
def test_key_with_wrong_attributes(ddb, h, hr, table_kind, key):
    expect_error(ddb.transact_get_items, "TransactionCanceledException", KEY_CONDITIONS_INVALID,
                 TransactItems=[g(h if table_kind == "h" else hr, key)])


def test_empty_key_value_is_a_validation_error(ddb, h):
    """Unlike a key that does not fit the schema, an empty key value fails the whole request."""
    expect_validation(ddb.transact_get_items,
                      "One or more parameter values are not valid. The AttributeValue for a key "
                      "attribute cannot contain an empty string value. Key: pk",
                      TransactItems=[g(h, {"pk": pk()}), g(h, {"pk": {"S": ""}})])


def test_get_without_key(raw, h):
    expect_raw_error(raw.request("TransactGetItems", {"TransactItems": [
        {"Get": {"TableName": h}}]}), 400, "ValidationException",
        "Get Condition for key not in key list")


@pytest.mark.parametrize("mode", ["TOTAL", "INDEXES"])
def test_consumed_capacity(ddb, h, hr, stored, mode):
    response = transact_get(ddb, [g(h, {"pk": stored}), g(hr, {"pk": stored, "sk": {"N": "5"}}),
                                  g(h, {"pk": pk()})], ReturnConsumedCapacity=mode)
    expected = [{"TableName": h, "CapacityUnits": 4.0}, {"TableName": hr, "CapacityUnits": 2.0}]
    if mode == "INDEXES":
        for entry in expected:
            entry["Table"] = {"CapacityUnits": entry["CapacityUnits"]}
    assert sorted(response["ConsumedCapacity"], key=lambda c: c["TableName"]) == \
        sorted(expected, key=lambda c: c["TableName"])
    assert len(response["Responses"]) == 3


def test_consumed_capacity_none(ddb, h, stored):
    assert "ConsumedCapacity" not in transact_get(ddb, [g(h, {"pk": stored})],
                                                  ReturnConsumedCapacity="NONE")


# --- Values through transactions -------------------------------------------------------------

PRECISE = {
    "n1": {"N": "123456789012345678901234567890.12345678"},
    "n2": {"N": "-0.000000000000000000000000000000000000001"},
    "n3": {"N": "9.9999999999999999999999999999999999999E+125"},
    "ns": {"NS": ["1", "2.50", "-3e2"]},
    "ss": {"SS": ["b", "a", ""]},
    "bs": {"BS": [b"\x01\x02", b"\x00"]},
    "m": {"M": {"deep": {"M": {"l": {"L": [{"N": "1.0"}, {"M": {"x": {"NULL": True}}},
                                           {"BOOL": False}, {"B": b""}]}}}}},
    "empty": {"S": ""},
}


def test_put_round_trip(ddb, h):
    key = pk()
    item = {"pk": key, **PRECISE}
    ddb.transact_write_items(TransactItems=[{"Put": {"TableName": h, "Item": item}}])
    got = transact_get(ddb, [g(h, {"pk": key})])["Responses"][0]["Item"]
    assert normalise(got) == normalise(item)
    assert got["n1"] == PRECISE["n1"] and got["n2"] == PRECISE["n2"]
    assert got["n3"] == {"N": "9" * 38 + "0" * 88}
    assert normalise(ddb.get_item(TableName=h, Key={"pk": key})["Item"]) == normalise(item)


def test_update_round_trip(ddb, h):
    key = pk()
    ddb.put_item(TableName=h, Item={"pk": key, **PRECISE})
    ddb.transact_write_items(TransactItems=[{"Update": {
        "TableName": h, "Key": {"pk": key},
        "UpdateExpression": "SET m.deep.l[1].x = :v, n4 = n1 + :tiny "
                            "ADD ns :ns, ss :ss DELETE bs :bs REMOVE n3",
        "ExpressionAttributeValues": {":v": {"N": "0.1000"}, ":tiny": {"N": "0.00000001"},
                                      ":ns": {"NS": ["2.5", "4"]}, ":ss": {"SS": ["c"]},
                                      ":bs": {"BS": [b"\x00"]}}}}])
    got = transact_get(ddb, [g(h, {"pk": key})])["Responses"][0]["Item"]
    expected = dict(PRECISE, pk=key, n4={"N": "123456789012345678901234567890.12345679"},
                    ns={"NS": ["1", "2.5", "-300", "4"]}, ss={"SS": ["a", "b", "", "c"]},
                    bs={"BS": [b"\x01\x02"]})
    expected.pop("n3")
    expected["m"] = {"M": {"deep": {"M": {"l": {"L": [
        {"N": "1.0"}, {"M": {"x": {"N": "0.1"}}}, {"BOOL": False}, {"B": b""}]}}}}}
    assert normalise(got) == normalise(expected)
    assert got["n4"] == expected["n4"]


def test_raw_binary_round_trip(ddb, raw, h):
    key = pk()
    response = raw.request("TransactWriteItems", {"TransactItems": [{"Put": {
        "TableName": h, "Item": {"pk": key, "b": {"B": base64.b64encode(b"\xff\x00").decode()}}}}]})
    assert (response.status, response.body) == (200, {})
    response = raw.request("TransactGetItems", {"TransactItems": [g(h, {"pk": key})]})
    assert response.body == {"Responses": [{"Item": {"pk": key, "b": {"B": "/wA="}}}]}


# --- Isolation under concurrency (dunlin_only) ------------------------------------------------

ACCOUNTS = 5
START_BALANCE = 1000
THREADS = 8
TRANSFERS = 50


def _retryable(error):
    """Whether a transaction failed only because another one was in the way."""
    code = error.response["Error"]["Code"]
    if code in ("TransactionConflictException", "TransactionInProgressException"):
        return True
    reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
    return code == "TransactionCanceledException" and "TransactionConflict" in reasons


def _read_all(client, table, keys):
    """TransactGetItems of every key, retried on conflicts; the balances in key order."""
    while True:
        try:
            response = client.transact_get_items(
                TransactItems=[g(table, {"pk": key}) for key in keys])
            return [int(r["Item"]["bal"]["N"]) for r in response["Responses"]]
        except botocore.exceptions.ClientError as error:
            if not _retryable(error):
                raise


@pytest.mark.dunlin_only("DynamoDB Local serialises every request and never reports a "
                         "TransactionConflict")
def test_concurrent_transfers_keep_the_total(ddb, client_factory, table_factory):
    """https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
    (isolation levels, conflict handling): transfers are serialisable, so no money is made or
    lost, and a TransactGetItems never sees part of a transfer."""
    table = table_factory()
    keys = [{"S": f"acct-{i}"} for i in range(ACCOUNTS)]
    for key in keys:
        ddb.put_item(TableName=table, Item={"pk": key, "bal": {"N": str(START_BALANCE)}})
    total = ACCOUNTS * START_BALANCE
    done = threading.Event()
    applied, refused, bad_sums, failures, reads = [], [], [], [], []
    lock = threading.Lock()

    def transfer(seed):
        client, rng = client_factory(), random.Random(seed)
        try:
            for _ in range(TRANSFERS):
                source, target = rng.sample(range(ACCOUNTS), 2)
                amount = rng.randint(1, 300)
                items = [
                    {"Update": {"TableName": table, "Key": {"pk": keys[source]},
                                "UpdateExpression": "SET bal = bal - :amt",
                                "ConditionExpression": "bal >= :amt",
                                "ExpressionAttributeValues": {":amt": {"N": str(amount)}}}},
                    {"Update": {"TableName": table, "Key": {"pk": keys[target]},
                                "UpdateExpression": "SET bal = bal + :amt",
                                "ExpressionAttributeValues": {":amt": {"N": str(amount)}}}}]
                while True:
                    try:
                        client.transact_write_items(TransactItems=items)
                        with lock:
                            applied.append((source, target, amount))
                        break
                    except botocore.exceptions.ClientError as error:
                        if _retryable(error):
                            continue
                        reasons = [r["Code"] for r in error.response["CancellationReasons"]]
                        assert reasons == ["ConditionalCheckFailed", "None"], error.response
                        with lock:
                            refused.append((source, target, amount))
                        break
        except Exception as error:  # reported by the main thread
            failures.append(error)

    def audit():
        client = client_factory()
        try:
            finished = False
            while not finished:
                finished = done.is_set()
                balances = _read_all(client, table, keys)
                reads.append(balances)
                if sum(balances) != total or min(balances) < 0:
                    bad_sums.append(balances)
        except Exception as error:
            failures.append(error)

    auditor = threading.Thread(target=audit)
    auditor.start()
    workers = [threading.Thread(target=transfer, args=(seed,)) for seed in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    auditor.join()
    assert failures == []
    assert bad_sums == []
    assert reads
    assert len(applied) + len(refused) == THREADS * TRANSFERS
    expected = [START_BALANCE] * ACCOUNTS
    for source, target, amount in applied:
        expected[source] -= amount
        expected[target] += amount
    assert _read_all(ddb, table, keys) == expected


@pytest.mark.dunlin_only("DynamoDB Local serialises every request and never reports a "
                         "TransactionConflict")
def test_reader_never_sees_half_a_transaction(ddb, client_factory, table_factory):
    """https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
    (isolation levels): a TransactGetItems sees all of a TransactWriteItems or none of it."""
    table = table_factory()
    keys = [{"S": "a"}, {"S": "b"}]
    done = threading.Event()
    torn, failures, reads = [], [], []

    def writer():
        client = client_factory()
        try:
            for version in range(1, 201):
                items = [{"Put": {"TableName": table, "Item": {"pk": key, "bal": {
                    "N": str(version)}}}} for key in keys]
                while True:
                    try:
                        client.transact_write_items(TransactItems=items)
                        break
                    except botocore.exceptions.ClientError as error:
                        if not _retryable(error):
                            raise
        except Exception as error:
            failures.append(error)
        finally:
            done.set()

    def reader():
        client = client_factory()
        try:
            finished = False
            while not finished:
                finished = done.is_set()
                response = None
                while response is None:
                    try:
                        response = client.transact_get_items(
                            TransactItems=[g(table, {"pk": key}) for key in keys])
                    except botocore.exceptions.ClientError as error:
                        if not _retryable(error):
                            raise
                values = [r.get("Item", {}).get("bal") for r in response["Responses"]]
                reads.append(values)
                if values[0] != values[1]:
                    torn.append(values)
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert torn == []
    assert reads
    assert _read_all(ddb, table, keys) == [200, 200]
