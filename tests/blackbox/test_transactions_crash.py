"""Crash atomicity of TransactWriteItems: kill -9 during a stream of transactions.

Starts its own Dunlin on a temporary data directory. Each worker thread runs transactions
n = 0, 1, 2, ... one after another; transaction n of worker w
  - puts item x{n} in table A and item y{n} in table B (the item carries n),
  - deletes x{n-3} from table A (when n >= 3),
  - adds 1 to the worker's counter item in table A.
The server is killed with SIGKILL mid-stream and restarted on the same directory. Then, for
each worker, with c the counter's value:
  1. every acknowledged transaction is present: c >= acknowledged, and c <= attempted;
  2. transactions 0..c-1 are wholly present (y{n} for all of them, x{n} for the last three);
  3. transactions c.. are wholly absent (no x{n}, no y{n});
so no transaction is ever half applied, across two tables.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
Runs only for --target=dunlin (DynamoDB Local here runs in memory).
"""

import threading
import time

import botocore.exceptions
import pytest
import urllib3

from conftest import DunlinProcess, make_client, unique_table_name

pytestmark = pytest.mark.dunlin_only("durability of Dunlin's own data directory")

WORKERS = 4
MIN_ACKED_BEFORE_KILL = 150
MAX_SECONDS_BEFORE_KILL = 8.0
CONNECTION_ERRORS = (botocore.exceptions.EndpointConnectionError,
                     botocore.exceptions.ConnectionClosedError,
                     botocore.exceptions.ReadTimeoutError,
                     urllib3.exceptions.HTTPError, ConnectionError)


def transaction(table_a, table_b, worker, n):
    items = [
        {"Put": {"TableName": table_a,
                 "Item": {"pk": {"S": f"w{worker}-x{n}"}, "n": {"N": str(n)}}}},
        {"Put": {"TableName": table_b,
                 "Item": {"pk": {"S": f"w{worker}"}, "sk": {"N": str(n)}, "n": {"N": str(n)}}}},
        {"Update": {"TableName": table_a, "Key": {"pk": {"S": f"w{worker}-counter"}},
                    "UpdateExpression": "ADD c :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
    ]
    if n >= 3:
        items.append({"Delete": {"TableName": table_a, "Key": {"pk": {"S": f"w{worker}-x{n - 3}"}}}})
    return items


class Progress:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = [0] * WORKERS      # transactions acknowledged, per worker
        self.attempted = [0] * WORKERS  # transactions sent, per worker
        self.errors = []


def worker(client, table_a, table_b, index, progress, stop):
    n = 0
    while not stop.is_set():
        with progress.lock:
            progress.attempted[index] = n + 1
        try:
            client.transact_write_items(TransactItems=transaction(table_a, table_b, index, n))
        except CONNECTION_ERRORS:
            return
        except Exception as error:  # a service error is a test failure, not a crash artefact
            with progress.lock:
                progress.errors.append(repr(error))
            return
        n += 1
        with progress.lock:
            progress.acked[index] = n


def test_transactions_are_all_or_nothing_across_kill_9(dunlin_bin, tmp_path):
    data_dir = tmp_path / "data"
    server = DunlinProcess(dunlin_bin, str(data_dir)).start()
    try:
        admin = make_client(server.endpoint)
        table_a, table_b = unique_table_name("txa"), unique_table_name("txb")
        admin.create_table(TableName=table_a, BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        admin.create_table(TableName=table_b, BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                 {"AttributeName": "sk", "AttributeType": "N"}],
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                      {"AttributeName": "sk", "KeyType": "RANGE"}])
        progress = Progress()
        stop = threading.Event()
        threads = [threading.Thread(target=worker, args=(
            make_client(server.endpoint, connect_timeout=2, read_timeout=10), table_a, table_b,
            index, progress, stop)) for index in range(WORKERS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + MAX_SECONDS_BEFORE_KILL
        while time.monotonic() < deadline:
            with progress.lock:
                if sum(progress.acked) >= MIN_ACKED_BEFORE_KILL:
                    break
            time.sleep(0.01)
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert progress.errors == []
        assert sum(progress.acked) > 0

        server = DunlinProcess(dunlin_bin, str(data_dir)).start()
        client = make_client(server.endpoint)
        for index in range(WORKERS):
            counter = client.get_item(TableName=table_a, Key={"pk": {"S": f"w{index}-counter"}},
                                      ConsistentRead=True).get("Item")
            committed = int(counter["c"]["N"]) if counter else 0
            assert progress.acked[index] <= committed <= progress.attempted[index], \
                (index, progress.acked[index], committed, progress.attempted[index])
            for n in range(progress.attempted[index] + 1):
                x = client.get_item(TableName=table_a, Key={"pk": {"S": f"w{index}-x{n}"}},
                                    ConsistentRead=True).get("Item")
                y = client.get_item(TableName=table_b,
                                    Key={"pk": {"S": f"w{index}"}, "sk": {"N": str(n)}},
                                    ConsistentRead=True).get("Item")
                if n < committed:
                    assert y == {"pk": {"S": f"w{index}"}, "sk": {"N": str(n)}, "n": {"N": str(n)}}
                    assert (x is not None) == (n >= committed - 3), (index, n, committed, x)
                else:
                    assert x is None and y is None, (index, n, committed, x, y)
    finally:
        server.stop()
