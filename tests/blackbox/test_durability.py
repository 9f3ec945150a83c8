"""Crash durability: every acknowledged write survives kill -9 of the server.

Starts its own Dunlin on a temporary data directory, writes (and deletes) items from several
threads while recording every acknowledged operation, kills the server with SIGKILL in the
middle of the stream, restarts it on the same data directory and checks that
  1. every acknowledged PutItem is present and byte-for-byte intact;
  2. every acknowledged DeleteItem stays deleted;
  3. writes in flight at the kill are either fully present or absent, never partial;
  4. nothing else appeared, and the table's definition is unchanged.
Runs only for --target=dunlin (DynamoDB Local here runs in memory).
"""

import hashlib
import threading
import time

import botocore.exceptions
import pytest
import urllib3

from conftest import DunlinProcess, make_client, unique_table_name

pytestmark = pytest.mark.dunlin_only("durability of Dunlin's own data directory")

WRITER_THREADS = 4
DELETER_THREADS = 1
MIN_ACKED_BEFORE_KILL = 400
MAX_SECONDS_BEFORE_KILL = 8.0


def item_for(key):
    """A deterministic item with every kind of value, 100 bytes to a few KB."""
    digest = hashlib.sha256(key.encode()).digest()
    size = 100 + digest[0] * 16
    return {
        "pk": {"S": key},
        "payload": {"S": (digest.hex() * (size // 64 + 1))[:size]},
        "bin": {"B": digest},
        "num": {"N": str(int.from_bytes(digest[:8], "big"))},
        "doc": {"M": {"list": {"L": [{"N": str(digest[1])}, {"BOOL": digest[2] % 2 == 0},
                                     {"NULL": True}]},
                      "set": {"SS": sorted({digest[3:5].hex(), digest[5:7].hex()})}}},
    }


class Recorder:
    """What each worker attempted and what the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked_puts = set()
        self.acked_deletes = set()
        self.in_flight = set()      # attempted, outcome unknown (the server died meanwhile)
        self.errors = []


def writer(client, table, prefix, recorder, stop):
    i = 0
    while not stop.is_set():
        key = f"{prefix}-{i:06d}"
        with recorder.lock:
            recorder.in_flight.add(key)
        try:
            client.put_item(TableName=table, Item=item_for(key))
        except (botocore.exceptions.EndpointConnectionError,
                botocore.exceptions.ConnectionClosedError,
                botocore.exceptions.ReadTimeoutError,
                urllib3.exceptions.HTTPError, ConnectionError):
            return
        except Exception as error:  # a service error is a test failure, not a crash artefact
            with recorder.lock:
                recorder.errors.append(repr(error))
            return
        with recorder.lock:
            recorder.in_flight.discard(key)
            recorder.acked_puts.add(key)
        i += 1


def deleter(client, table, keys, recorder, stop):
    for key in keys:
        if stop.is_set():
            return
        with recorder.lock:
            recorder.in_flight.add(key)
        try:
            client.delete_item(TableName=table, Key={"pk": {"S": key}})
        except (botocore.exceptions.EndpointConnectionError,
                botocore.exceptions.ConnectionClosedError,
                botocore.exceptions.ReadTimeoutError,
                urllib3.exceptions.HTTPError, ConnectionError):
            return
        except Exception as error:
            with recorder.lock:
                recorder.errors.append(repr(error))
            return
        with recorder.lock:
            recorder.in_flight.discard(key)
            recorder.acked_deletes.add(key)


def scan_all(client, table):
    items, args = {}, {"TableName": table, "ConsistentRead": True}
    while True:
        response = client.scan(**args)
        for item in response["Items"]:
            items[item["pk"]["S"]] = item
        if "LastEvaluatedKey" not in response:
            return items
        args["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def fast_client(endpoint):
    return make_client(endpoint, connect_timeout=2, read_timeout=10)


def test_acknowledged_writes_survive_kill_9(dunlin_bin, tmp_path):
    data_dir = tmp_path / "data"
    server = DunlinProcess(dunlin_bin, str(data_dir)).start()
    try:
        admin = make_client(server.endpoint)
        table = unique_table_name("durable")
        admin.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        description_before = admin.describe_table(TableName=table)["Table"]

        # Items that the deleter removes while the writers run.
        doomed = [f"doomed-{i:04d}" for i in range(150)]
        for key in doomed:
            admin.put_item(TableName=table, Item=item_for(key))

        recorder = Recorder()
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(fast_client(server.endpoint), table,
                                                         f"w{n}", recorder, stop))
                   for n in range(WRITER_THREADS)]
        threads += [threading.Thread(target=deleter, args=(fast_client(server.endpoint), table,
                                                           doomed, recorder, stop))
                    for _ in range(DELETER_THREADS)]
        for thread in threads:
            thread.start()

        deadline = time.monotonic() + MAX_SECONDS_BEFORE_KILL
        while time.monotonic() < deadline:
            with recorder.lock:
                if len(recorder.acked_puts) >= MIN_ACKED_BEFORE_KILL:
                    break
            time.sleep(0.01)
        server.kill()                      # SIGKILL mid-stream
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not recorder.errors, recorder.errors[:5]
        assert len(recorder.acked_puts) > 0
    finally:
        server.stop()

    restarted = DunlinProcess(dunlin_bin, str(data_dir)).start()
    try:
        client = make_client(restarted.endpoint)
        description_after = client.describe_table(TableName=table)["Table"]
        for key in ("TableName", "KeySchema", "AttributeDefinitions", "TableArn",
                    "CreationDateTime", "BillingModeSummary"):
            assert description_after.get(key) == description_before.get(key), key

        everything = scan_all(client, table)
        lost = recorder.acked_puts - set(everything)
        assert not lost, f"{len(lost)} acknowledged items lost, e.g. {sorted(lost)[:5]}"
        undone = recorder.acked_deletes & set(everything)
        assert not undone, f"acknowledged deletes undone: {sorted(undone)[:5]}"
        allowed = recorder.acked_puts | recorder.in_flight | (set(doomed) -
                                                              recorder.acked_deletes)
        unexpected = set(everything) - allowed
        assert not unexpected, sorted(unexpected)[:10]
        for key, item in everything.items():
            assert item == item_for(key), f"item {key} damaged"

        # Point reads of the writes acknowledged last, the ones most at risk.
        for prefix in [f"w{n}-" for n in range(WRITER_THREADS)]:
            for key in sorted(k for k in recorder.acked_puts if k.startswith(prefix))[-20:]:
                item = client.get_item(TableName=table, Key={"pk": {"S": key}},
                                       ConsistentRead=True).get("Item")
                assert item == item_for(key), f"acknowledged item {key} lost or damaged"
        for key in sorted(recorder.acked_deletes)[-20:]:
            assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": key}},
                                                 ConsistentRead=True)

        # The restarted server takes writes again.
        client.put_item(TableName=table, Item=item_for("after-restart"))
        assert client.get_item(TableName=table, Key={"pk": {"S": "after-restart"}},
                               ConsistentRead=True)["Item"] == item_for("after-restart")
    finally:
        restarted.stop()


def test_clean_shutdown_keeps_everything(dunlin_bin, tmp_path):
    data_dir = tmp_path / "data"
    server = DunlinProcess(dunlin_bin, str(data_dir)).start()
    table = unique_table_name("durable")
    try:
        client = make_client(server.endpoint)
        client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk",
                                                   "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        for i in range(50):
            client.put_item(TableName=table, Item=item_for(f"k{i}"))
        client.delete_item(TableName=table, Key={"pk": {"S": "k7"}})
    finally:
        server.stop()                      # SIGTERM

    restarted = DunlinProcess(dunlin_bin, str(data_dir)).start()
    try:
        client = make_client(restarted.endpoint)
        everything = scan_all(client, table)
        assert set(everything) == {f"k{i}" for i in range(50)} - {"k7"}
        assert all(item == item_for(key) for key, item in everything.items())
        assert table in client.list_tables()["TableNames"]
    finally:
        restarted.stop()
