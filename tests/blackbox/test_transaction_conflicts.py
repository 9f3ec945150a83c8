"""Transaction conflicts: what a write meets while a transaction holds its item.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
("Transaction conflict handling in DynamoDB"):
  1. a PutItem, UpdateItem or DeleteItem of an item that a TransactWriteItems being applied
     holds fails with TransactionConflictException and changes nothing;
  2. a TransactWriteItems or TransactGetItems that meets an item another transaction holds is
     cancelled with a TransactionConflict reason for that item.
DynamoDB Local runs one request at a time and never reports a conflict, so these tests are
Dunlin's. They race transactions and single writes on two hot items until both kinds of
conflict have been seen, then check that the counts written add up exactly: a conflicted
request changed nothing, and every acknowledged one counted once.
"""

import threading
import time
import uuid

import botocore.exceptions
import pytest

pytestmark = pytest.mark.dunlin_only("DynamoDB Local never reports a transaction conflict")

SECONDS = 20.0
CONFLICT_MESSAGE = "Transaction is ongoing for the item"


@pytest.fixture(scope="module")
def h(module_tables):
    return module_tables("hash_s")


def test_conflicts_change_nothing_and_acknowledged_writes_count_once(client_factory, h):
    a, b = {"pk": {"S": "hot-a-" + uuid.uuid4().hex[:6]}}, {"pk": {"S": "hot-b-" + uuid.uuid4().hex[:6]}}
    lock = threading.Lock()
    counts = {"transactions": 0, "singles": 0, "transaction_conflicts": 0, "single_conflicts": 0,
              "get_conflicts": 0}
    unexpected = []
    stop = threading.Event()

    def bump(name):
        with lock:
            counts[name] += 1

    def transactions():
        client = client_factory()
        while not stop.is_set():
            try:
                client.transact_write_items(TransactItems=[
                    {"Update": {"TableName": h, "Key": key, "UpdateExpression": "ADD t :one",
                                "ExpressionAttributeValues": {":one": {"N": "1"}}}}
                    for key in (a, b)])
                bump("transactions")
            except botocore.exceptions.ClientError as error:
                reasons = [r["Code"] for r in error.response.get("CancellationReasons", [])]
                if error.response["Error"]["Code"] == "TransactionCanceledException" and \
                        "TransactionConflict" in reasons and \
                        set(reasons) <= {"TransactionConflict", "None"}:
                    bump("transaction_conflicts")
                else:
                    unexpected.append(error.response)

    def singles():
        client = client_factory()
        while not stop.is_set():
            try:
                client.update_item(TableName=h, Key=a, UpdateExpression="ADD s :one",
                                   ExpressionAttributeValues={":one": {"N": "1"}})
                bump("singles")
            except botocore.exceptions.ClientError as error:
                if (error.response["Error"]["Code"], error.response["Error"]["Message"]) == \
                        ("TransactionConflictException", CONFLICT_MESSAGE):
                    bump("single_conflicts")
                else:
                    unexpected.append(error.response)

    def reader():
        client = client_factory()
        while not stop.is_set():
            try:
                items = client.transact_get_items(TransactItems=[
                    {"Get": {"TableName": h, "Key": key}} for key in (a, b)])["Responses"]
                values = [int(entry.get("Item", {}).get("t", {"N": "0"})["N"]) for entry in items]
                if values[0] != values[1]:
                    unexpected.append(("half a transaction seen", values))
            except botocore.exceptions.ClientError as error:
                reasons = [r["Code"] for r in error.response.get("CancellationReasons", [])]
                if "TransactionConflict" in reasons:
                    bump("get_conflicts")
                else:
                    unexpected.append(error.response)

    threads = [threading.Thread(target=transactions) for _ in range(4)]
    threads += [threading.Thread(target=singles) for _ in range(2)]
    threads += [threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        with lock:
            if counts["transaction_conflicts"] and counts["single_conflicts"] and \
                    counts["transactions"] >= 50:
                break
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert counts["transaction_conflicts"] > 0, counts
    assert counts["single_conflicts"] > 0, counts
    client = client_factory()
    item_a = client.get_item(TableName=h, Key=a, ConsistentRead=True)["Item"]
    item_b = client.get_item(TableName=h, Key=b, ConsistentRead=True)["Item"]
    assert int(item_a["t"]["N"]) == int(item_b["t"]["N"]) == counts["transactions"], counts
    assert int(item_a.get("s", {"N": "0"})["N"]) == counts["singles"], counts
