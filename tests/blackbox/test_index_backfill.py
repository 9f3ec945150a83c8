"""A global secondary index added by UpdateTable to a table with items, watched while its
backfill runs: a server started with a slow backfill pace keeps the index CREATING long enough
to look at it.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html
  1. while the backfill runs the index is CREATING with Backfilling true and cannot be read
     ("Cannot read from backfilling global secondary index: {index}");
  2. another index can be neither created nor deleted meanwhile (LimitExceededException);
  3. writes during the backfill land in the index: once ACTIVE it holds exactly the items that
     have its key attributes, whatever was put, updated or deleted meanwhile, and ItemCount
     counts them;
  4. a server stopped during the backfill finishes it after a restart.
"""

import time

import pytest

from conftest import DunlinProcess, make_client, unique_table_name
from expect import expect_error, expect_validation

pytestmark = pytest.mark.dunlin_only("needs a server whose backfill pace the test sets")

ONE_AT_A_TIME = ("Subscriber limit exceeded: Only 1 online index can be created or deleted "
                 "simultaneously per table")
ITEMS = 30
# One item per batch, 40 ms apart: the backfill of ITEMS items takes over a second.
SLOW_BACKFILL = ["--backfill-batch", "1", "--backfill-pause-ms", "40"]
WAIT_SECONDS = 15.0


def gsi(client, table, name="g_gsi"):
    described = client.describe_table(TableName=table)["Table"]
    for entry in described.get("GlobalSecondaryIndexes", []):
        if entry["IndexName"] == name:
            return entry
    return None


def wait_active(client, table, name="g_gsi"):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        entry = gsi(client, table, name)
        if entry["IndexStatus"] == "ACTIVE":
            return entry
        time.sleep(0.05)
    raise AssertionError(f"index {name} not ACTIVE after {WAIT_SECONDS} s: {entry}")


def indexed_keys(client, table):
    """pk of every item in g_gsi, by a paged Scan of the index."""
    keys, args = [], {}
    while True:
        page = client.scan(TableName=table, IndexName="g_gsi", Limit=7, **args)
        keys += [item["pk"]["S"] for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return sorted(keys)
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def create_table_with_items(client):
    table = unique_table_name("bf")
    client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    for i in range(ITEMS):
        item = {"pk": {"S": f"p{i:02d}"}}
        if i % 3 != 0:  # every third item has no g: it stays out of the index
            item["g"] = {"S": f"g{i % 2}"}
        client.put_item(TableName=table, Item=item)
    return table


def add_index(client, table, name="g_gsi", attribute="g"):
    return client.update_table(
        TableName=table, AttributeDefinitions=[{"AttributeName": attribute, "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": name, "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}}])


def expected_keys():
    return sorted(f"p{i:02d}" for i in range(ITEMS) if i % 3 != 0)


def test_backfill_is_visible_and_writes_meanwhile_land_in_the_index(dunlin_bin, tmp_path):
    server = DunlinProcess(dunlin_bin, str(tmp_path / "data"), extra_args=SLOW_BACKFILL).start()
    try:
        client = make_client(server.endpoint)
        table = create_table_with_items(client)
        created = add_index(client, table)["TableDescription"]["GlobalSecondaryIndexes"][0]
        assert (created["IndexName"], created["IndexStatus"]) == ("g_gsi", "CREATING")

        entry = gsi(client, table)
        assert (entry["IndexStatus"], entry["Backfilling"]) == ("CREATING", True)
        assert "ItemCount" not in entry
        expect_validation(client.query,
                          "Cannot read from backfilling global secondary index: g_gsi",
                          TableName=table, IndexName="g_gsi", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": {"S": "g1"}})
        expect_error(client.update_table, "LimitExceededException", ONE_AT_A_TIME,
                     TableName=table,
                     AttributeDefinitions=[{"AttributeName": "h", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": {
                         "IndexName": "h_gsi",
                         "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "ALL"}}}])

        # Writes while the backfill runs, at both ends of the key range it walks.
        client.put_item(TableName=table, Item={"pk": {"S": "new"}, "g": {"S": "g1"}})
        client.delete_item(TableName=table, Key={"pk": {"S": "p01"}})
        client.delete_item(TableName=table, Key={"pk": {"S": f"p{ITEMS - 1:02d}"}})
        client.update_item(TableName=table, Key={"pk": {"S": "p00"}},
                           UpdateExpression="SET g = :g", ExpressionAttributeValues={
                               ":g": {"S": "g0"}})
        client.update_item(TableName=table, Key={"pk": {"S": "p02"}}, UpdateExpression="REMOVE g")
        assert gsi(client, table)["IndexStatus"] == "CREATING"

        active = wait_active(client, table)
        expected = sorted(set(expected_keys()) - {"p01", f"p{ITEMS - 1:02d}", "p02"}
                          | {"new", "p00"})
        assert indexed_keys(client, table) == expected
        assert active["ItemCount"] == len(expected)
        assert "Backfilling" not in active
        g1 = client.query(TableName=table, IndexName="g_gsi", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": {"S": "g1"}})
        assert "new" in [item["pk"]["S"] for item in g1["Items"]]
    finally:
        server.stop()


def test_backfill_resumes_after_a_restart(dunlin_bin, tmp_path):
    data_dir = str(tmp_path / "data")
    server = DunlinProcess(dunlin_bin, data_dir, extra_args=SLOW_BACKFILL).start()
    try:
        client = make_client(server.endpoint)
        table = create_table_with_items(client)
        add_index(client, table)
        assert gsi(client, table)["IndexStatus"] == "CREATING"
    finally:
        server.stop()
    server = DunlinProcess(dunlin_bin, data_dir).start()
    try:
        client = make_client(server.endpoint)
        assert wait_active(client, table)["ItemCount"] == len(expected_keys())
        assert indexed_keys(client, table) == expected_keys()
    finally:
        server.stop()
