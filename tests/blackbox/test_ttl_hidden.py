"""The --hide-expired-items extension: reads leave out items whose Time to Live has passed but
which are not deleted yet. DynamoDB returns such items until they are deleted (howitworks-ttl.html:
"Items that have expired, but haven't yet been deleted by TTL, still appear in reads, queries,
and scans"), as Dunlin does by default (test_ttl_expiry.py); this option saves applications the
filter on the expiry attribute. Dunlin only: the server is started with the flag and a sweep
period of an hour, so expired items stay stored throughout.
"""
import time

import pytest

from conftest import DunlinProcess, make_client, unique_table_name

pytestmark = pytest.mark.dunlin_only("a Dunlin extension (--hide-expired-items)")


@pytest.fixture
def hiding(dunlin_bin, tmp_path):
    server = DunlinProcess(dunlin_bin, str(tmp_path / "data"), extra_args=[
        "--hide-expired-items", "--ttl-sweep-interval-ms", "3600000"]).start()
    ddb = make_client(server.endpoint)
    name = unique_table_name("hide")
    ddb.create_table(TableName=name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "exp"})
    now = int(time.time())
    for sk, exp in (("expired", {"N": str(now - 60)}), ("future", {"N": str(now + 3600)}),
                    ("text", {"S": str(now - 60)}), ("none", None)):
        item = {"pk": {"S": "p"}, "sk": {"S": sk}}
        if exp:
            item["exp"] = exp
        ddb.put_item(TableName=name, Item=item)
    yield ddb, name
    server.stop()


def key(sk):
    return {"pk": {"S": "p"}, "sk": {"S": sk}}


def test_get_item_hides_an_expired_item(hiding):
    ddb, name = hiding
    assert "Item" not in ddb.get_item(TableName=name, Key=key("expired"))
    for sk in ("future", "text", "none"):
        assert ddb.get_item(TableName=name, Key=key(sk))["Item"]["sk"]["S"] == sk


def test_query_and_scan_read_but_do_not_return_it(hiding):
    ddb, name = hiding
    query = ddb.query(TableName=name, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"S": "p"}})
    scan = ddb.scan(TableName=name)
    for page in (query, scan):
        assert sorted(i["sk"]["S"] for i in page["Items"]) == ["future", "none", "text"]
        assert page["Count"] == 3 and page["ScannedCount"] == 4


def test_batch_and_transaction_reads_hide_it(hiding):
    ddb, name = hiding
    batch = ddb.batch_get_item(RequestItems={name: {"Keys": [key("expired"), key("future")]}})
    assert [i["sk"]["S"] for i in batch["Responses"][name]] == ["future"]
    transaction = ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": name, "Key": key("expired")}},
        {"Get": {"TableName": name, "Key": key("future")}}])
    assert "Item" not in transaction["Responses"][0]
    assert transaction["Responses"][1]["Item"]["sk"]["S"] == "future"


def test_writes_still_see_it(hiding):
    """Only reads hide it: a conditional write still finds the stored item, and extending its
    expiry makes it visible again."""
    ddb, name = hiding
    ddb.update_item(TableName=name, Key=key("expired"), UpdateExpression="SET exp = :later",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeValues={":later": {"N": str(int(time.time()) + 3600)}})
    assert ddb.get_item(TableName=name, Key=key("expired"))["Item"]["sk"]["S"] == "expired"
