"""Time to Live expiry: which items the background process deletes, and what a deletion does.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ttl-expired-items.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Identity.html
  1. on a table with TTL enabled, an item expires when its TTL attribute is a top-level Number
     holding epoch seconds at or before now and no more than five years in the past; any other
     type (string, set, list, map, ...), a nested attribute, a missing attribute or an older
     timestamp never expires; the name is matched as a plain attribute name (`a.b` is the
     top-level attribute called "a.b"), key attributes included;
  2. the value at deletion time decides: an item whose TTL was extended, retyped or removed
     stays; one whose TTL was moved into the past goes; a table with TTL disabled (or never
     enabled, or now on another attribute) keeps its items;
  3. expired items stay readable (GetItem, Query, Scan) and writable until deleted;
  4. a deletion removes the item's GSI and LSI entries and appears in the stream as REMOVE
     with the old image and userIdentity {"Type": "Service", "PrincipalId":
     "dynamodb.amazonaws.com"}; user writes carry no userIdentity;
  5. the sweep re-checks each item atomically: a write that removes or extends the TTL and
     succeeds is never followed by a deletion of that item;
  6. TTL settings and pending expiries survive a crash and restart.
DynamoDB deletes "within a few days"; Dunlin deletes within its sweep interval. Against Dunlin
the tests start their own server with `--ttl-sweep-interval-ms` (and `--ttl-change-interval-s 0`
so that TTL can be switched off and on again). DynamoDB Local 2026-05-28 does delete expired
items, about every 10 to 20 seconds, so the tests that do not need a tuned server run there too,
polled with a cap. Local's stream records for TTL deletions carry neither the REMOVE event
name nor the userIdentity (docs/notes-oracle-ttl.md): those checks are dunlin_only.
"""

import threading
import time
from types import SimpleNamespace

import pytest

from conftest import DunlinProcess, RawClient, TableFactory, make_client

FAST_SWEEP = ["--ttl-sweep-interval-ms", "100", "--ttl-change-interval-s", "0"]
IDLE_SWEEP = ["--ttl-sweep-interval-ms", "3600000"]
# How long an expired item may survive: DynamoDB Local sweeps every 10 to 20 s.
EXPIRY_CAP_SECONDS = {"dunlin": 10.0, "ddblocal": 60.0}
# On Dunlin with FAST_SWEEP an expired item goes within this bound (a sweep plus slack).
DUNLIN_DELAY_BOUND_SECONDS = 3.0
SERVICE_IDENTITY = {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
DAY_SECONDS = 86400
# Five calendar years are 1825 or 1826 days; these stay clear of the edge either way.
INSIDE_FIVE_YEARS_SECONDS = 1823 * DAY_SECONDS
OUTSIDE_FIVE_YEARS_SECONDS = 1832 * DAY_SECONDS
SOON_SECONDS = 5
STREAM_WAIT_SECONDS = 10.0


def n(value):
    return {"N": str(value)}


def s(value):
    return {"S": str(value)}


def key(pk_):
    return {"pk": s(pk_)}


def get(client, table, item_key):
    return client.get_item(TableName=table, Key=item_key, ConsistentRead=True).get("Item")


def wait_until_gone(client, keys_by_table, cap_seconds):
    """Polls (consistent GetItem, every 100 ms) until none of the keys exists; returns the
    seconds it took, or raises with the keys still present after cap_seconds."""
    start = time.monotonic()
    pending = {(table, repr(k)): (table, k) for table, keys in keys_by_table.items()
               for k in keys}
    while True:
        for name in list(pending):
            table, item_key = pending[name]
            if get(client, table, item_key) is None:
                del pending[name]
        elapsed = time.monotonic() - start
        if not pending:
            return elapsed
        if elapsed > cap_seconds:
            raise AssertionError(f"not expired after {cap_seconds} s: {sorted(pending)}")
        time.sleep(0.1)


def enable_ttl(client, table, attribute):
    client.update_time_to_live(TableName=table, TimeToLiveSpecification={
        "AttributeName": attribute, "Enabled": True})


def disable_ttl(client, table, attribute):
    client.update_time_to_live(TableName=table, TimeToLiveSpecification={
        "AttributeName": attribute, "Enabled": False})


def stream_records(streams, stream_arn, expected_count=0, cap_seconds=STREAM_WAIT_SECONDS):
    """Every record of the stream, all shards read from TRIM_HORIZON, in shard order then
    sequence order; polls until there are at least expected_count or cap_seconds pass."""
    deadline = time.monotonic() + cap_seconds
    while True:
        records, shards, args = [], [], {}
        while True:
            description = streams.describe_stream(StreamArn=stream_arn, **args)
            description = description["StreamDescription"]
            shards += description["Shards"]
            if "LastEvaluatedShardId" not in description:
                break
            args = {"ExclusiveStartShardId": description["LastEvaluatedShardId"]}
        for shard in shards:
            iterator = streams.get_shard_iterator(
                StreamArn=stream_arn, ShardId=shard["ShardId"],
                ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            for _ in range(1000):
                page = streams.get_records(ShardIterator=iterator)
                records += page["Records"]
                iterator = page.get("NextShardIterator")
                if not page["Records"] or iterator is None:
                    break
        if len(records) >= expected_count or time.monotonic() > deadline:
            return records
        time.sleep(0.2)


def records_by_key(records, key_name="pk"):
    """{pk: [(eventName, userIdentity or None, OldImage or None, NewImage or None), ...]}"""
    result = {}
    for record in records:
        change = record["dynamodb"]
        result.setdefault(change["Keys"][key_name]["S"], []).append(
            (record["eventName"], record.get("userIdentity"), change.get("OldImage"),
             change.get("NewImage")))
    return result


@pytest.fixture(scope="module")
def server(request, target, dunlin_bin, tmp_path_factory):
    """The endpoint the module's tests use: the shared DynamoDB Local, or a Dunlin of its own
    with a 100 ms sweep and no TTL change interval."""
    if target == "ddblocal":
        yield SimpleNamespace(endpoint=request.getfixturevalue("endpoint"), target=target)
        return
    process = DunlinProcess(dunlin_bin, str(tmp_path_factory.mktemp("ttl-data")),
                            extra_args=FAST_SWEEP).start()
    try:
        yield SimpleNamespace(endpoint=process.endpoint, target=target)
    finally:
        process.stop()


@pytest.fixture(scope="module")
def clients(server):
    return SimpleNamespace(ddb=make_client(server.endpoint), raw=RawClient(server.endpoint),
                           streams=make_client(server.endpoint, service="dynamodbstreams"))


@pytest.fixture
def tables(clients):
    factory = TableFactory(clients.ddb, clients.raw)
    yield factory
    factory.cleanup()


# --- One world, one wait --------------------------------------------------------------------
# Every scenario that runs on both targets is set up in one module fixture and waited on once,
# so that DynamoDB Local's slow sweep is paid for only once.

STREAM = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}


def value_cases(now):
    """(pk, TTL value or None, expires) for the values table; TTL attribute `exp`."""
    return [
        ("past", n(now - 60), True),
        ("just-past", n(now - 1), True),
        ("fraction", {"N": f"{now - 60}.5"}, True),
        ("exponent", {"N": f"{(now - 60) / 10 ** 9:.9f}E9"}, True),
        ("inside-five-years", n(now - INSIDE_FIVE_YEARS_SECONDS), True),
        ("future", n(now + 3600), False),
        ("outside-five-years", n(now - OUTSIDE_FIVE_YEARS_SECONDS), False),
        ("zero", n(0), False),
        ("negative", n(-60), False),
        ("milliseconds", n((now - 60) * 1000), False),
        ("string", s(now - 60), False),
        ("number-set", {"NS": [str(now - 60)]}, False),
        ("list", {"L": [n(now - 60)]}, False),
        ("map", {"M": {"exp": n(now - 60)}}, False),
        ("binary", {"B": b"\x01"}, False),
        ("bool", {"BOOL": True}, False),
        ("null", {"NULL": True}, False),
        ("missing", None, False),
    ]


# Besides the value cases: `soon` expires SOON_SECONDS after it is written, `shortened` has
# its TTL moved into the past, `extended`, `removed` and `retyped` had a past TTL replaced by a
# future one, by nothing, by a string.
EXPIRING = [pk_ for pk_, _, expires in value_cases(0) if expires] + ["soon", "shortened"]
KEPT = ([pk_ for pk_, _, expires in value_cases(0) if not expires]
        + ["extended", "removed", "retyped"])


def build_world(client, factory, now):
    world = SimpleNamespace(now=now, items={}, signup_items={})
    put = client.put_item

    # Tables whose items must outlive the sweeps: written first, so that every wait below
    # also covers them.
    world.no_ttl = factory()
    put(TableName=world.no_ttl, Item={"pk": s("a"), "exp": n(now - 60)})
    world.disabled = factory()
    enable_ttl(client, world.disabled, "exp")
    disable_ttl(client, world.disabled, "exp")
    put(TableName=world.disabled, Item={"pk": s("a"), "exp": n(now - 60)})
    world.renamed = factory()
    enable_ttl(client, world.renamed, "old_exp")
    disable_ttl(client, world.renamed, "old_exp")
    enable_ttl(client, world.renamed, "new_exp")
    put(TableName=world.renamed, Item={"pk": s("old"), "old_exp": n(now - 60)})
    put(TableName=world.renamed, Item={"pk": s("new"), "new_exp": n(now - 60)})

    # The values table, written while TTL is off; some TTLs change before it is switched on.
    world.values = factory(**STREAM)
    for pk_, value, _ in value_cases(now):
        item = {"pk": s(pk_), "v": s("value of " + pk_)}
        if value is not None:
            item["exp"] = value
        put(TableName=world.values, Item=item)
        world.items[pk_] = item
    for pk_ in ("extended", "removed", "retyped"):
        item = {"pk": s(pk_), "exp": n(now - 60)}
        put(TableName=world.values, Item=item)
    changes = {"extended": ("SET exp = :v", n(now + 3600)), "removed": ("REMOVE exp", None),
               "retyped": ("SET exp = :v", s(now - 60))}
    for pk_, (expression, value) in changes.items():
        args = {"ExpressionAttributeValues": {":v": value}} if value else {}
        world.items[pk_] = client.update_item(
            TableName=world.values, Key=key(pk_), UpdateExpression=expression,
            ReturnValues="ALL_NEW", **args)["Attributes"]
    put(TableName=world.values, Item={"pk": s("user-deleted"), "exp": n(now + 3600)})
    client.delete_item(TableName=world.values, Key=key("user-deleted"))
    put(TableName=world.values, Item={"pk": s("shortened"), "exp": n(now + 3600)})
    enable_ttl(client, world.values, "exp")
    client.update_item(TableName=world.values, Key=key("shortened"),
                       UpdateExpression="SET exp = :v",
                       ExpressionAttributeValues={":v": n(now - 60)})
    soon_exp = int(time.time()) + SOON_SECONDS
    world.items["soon"] = {"pk": s("soon"), "exp": n(soon_exp)}
    put(TableName=world.values, Item=world.items["soon"])
    world.soon_before_expiry = (get(client, world.values, key("soon")),
                                time.time() < soon_exp)

    # Indexes: pk + sk, GSI on g, LSI on l.
    world.indexed = factory(
        range_key=("sk", "S"),
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}
                              for name in ("pk", "sk", "g", "l")],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [
            {"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}],
        LocalSecondaryIndexes=[{"IndexName": "by_l", "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    enable_ttl(client, world.indexed, "exp")
    for pk_, sk_, exp in (("a", "1", now - 60), ("a", "2", now + 3600), ("b", "1", now - 60)):
        put(TableName=world.indexed, Item={"pk": s(pk_), "sk": s(sk_), "g": s("G"),
                                           "l": s("L" + sk_), "exp": n(exp)})

    # The sort key is the TTL attribute.
    world.key_ttl = factory(range_key=("sk", "N"))
    enable_ttl(client, world.key_ttl, "sk")
    put(TableName=world.key_ttl, Item={"pk": s("a"), "sk": n(now - 60)})
    put(TableName=world.key_ttl, Item={"pk": s("a"), "sk": n(now + 3600)})

    # A dotted TTL attribute name.
    world.dotted = factory()
    enable_ttl(client, world.dotted, "a.b")
    put(TableName=world.dotted, Item={"pk": s("flat"), "a.b": n(now - 60)})
    put(TableName=world.dotted, Item={"pk": s("nested"), "a": {"M": {"b": n(now - 60)}}})

    # Sign-ups: each expires SOON_SECONDS after it is made unless activated first; activation
    # removes the TTL, under a condition that the sign-up still exists.
    world.signups = factory(**STREAM)
    enable_ttl(client, world.signups, "expires_at")
    signup_exp = int(time.time()) + SOON_SECONDS
    for i in range(6):
        item = {"pk": s(f"user{i}@example.com"), "code": s(f"code-{i}"),
                "expires_at": n(signup_exp)}
        put(TableName=world.signups, Item=item)
        world.signup_items[item["pk"]["S"]] = item
    world.activated = {}
    for i in (0, 2, 4):
        email = f"user{i}@example.com"
        world.activated[email] = client.update_item(
            TableName=world.signups, Key=key(email),
            UpdateExpression="SET activated = :t REMOVE expires_at",
            ConditionExpression="attribute_exists(pk) AND code = :c",
            ExpressionAttributeValues={":t": {"BOOL": True}, ":c": s(f"code-{i}")},
            ReturnValues="ALL_NEW")["Attributes"]
    world.expired_signups = sorted(set(world.signup_items) - set(world.activated))
    return world


@pytest.fixture(scope="module")
def world(server, clients):
    factory = TableFactory(clients.ddb, clients.raw)
    try:
        world = build_world(clients.ddb, factory, int(time.time()))
        world.waited = wait_until_gone(clients.ddb, {
            world.values: [key(pk_) for pk_ in EXPIRING],
            world.renamed: [key("new")],
            world.indexed: [{"pk": s("a"), "sk": s("1")}, {"pk": s("b"), "sk": s("1")}],
            world.key_ttl: [{"pk": s("a"), "sk": n(world.now - 60)}],
            world.dotted: [key("flat")],
            world.signups: [key(email) for email in world.expired_signups],
        }, EXPIRY_CAP_SECONDS[server.target])
        yield world
    finally:
        factory.cleanup()


@pytest.mark.parametrize("pk_", KEPT)
def test_items_that_do_not_expire(clients, world, pk_):
    assert get(clients.ddb, world.values, key(pk_)) == world.items[pk_]


@pytest.mark.parametrize("pk_", EXPIRING)
def test_items_that_expire(clients, world, pk_):
    assert get(clients.ddb, world.values, key(pk_)) is None


def test_an_item_is_readable_until_it_expires(world):
    item, in_time = world.soon_before_expiry
    if not in_time:
        pytest.skip("the set-up took longer than the item's lifetime")
    assert item == world.items["soon"]


def test_expired_items_leave_the_indexes(clients, world):
    client = clients.ddb
    survivor = {"pk": s("a"), "sk": s("2"), "g": s("G"), "l": s("L2"),
                "exp": n(world.now + 3600)}
    assert client.scan(TableName=world.indexed, ConsistentRead=True)["Items"] == [survivor]
    by_g = client.query(TableName=world.indexed, IndexName="by_g",
                        KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": s("G")})
    assert by_g["Items"] == [survivor]
    assert client.scan(TableName=world.indexed, IndexName="by_g")["Items"] == [survivor]
    for pk_, expected in (("a", [{"pk": s("a"), "sk": s("2"), "l": s("L2")}]), ("b", [])):
        by_l = client.query(TableName=world.indexed, IndexName="by_l",
                            KeyConditionExpression="pk = :p",
                            ExpressionAttributeValues={":p": s(pk_)})
        assert by_l["Items"] == expected


def test_a_key_attribute_can_be_the_ttl_attribute(clients, world):
    items = clients.ddb.query(TableName=world.key_ttl, KeyConditionExpression="pk = :p",
                              ExpressionAttributeValues={":p": s("a")})["Items"]
    assert items == [{"pk": s("a"), "sk": n(world.now + 3600)}]


def test_the_ttl_attribute_name_is_not_a_path(clients, world):
    assert get(clients.ddb, world.dotted, key("flat")) is None
    assert get(clients.ddb, world.dotted, key("nested")) == {
        "pk": s("nested"), "a": {"M": {"b": n(world.now - 60)}}}


def test_tables_without_ttl_keep_expired_items(clients, world):
    for table in (world.no_ttl, world.disabled):
        assert get(clients.ddb, table, key("a")) == {"pk": s("a"), "exp": n(world.now - 60)}


def test_only_the_current_ttl_attribute_counts(clients, world):
    assert get(clients.ddb, world.renamed, key("new")) is None
    assert get(clients.ddb, world.renamed, key("old")) == {"pk": s("old"),
                                                           "old_exp": n(world.now - 60)}


def test_signup_flow(clients, world):
    """Activated sign-ups stay, as the activation wrote them; the others expire."""
    items = clients.ddb.scan(TableName=world.signups, ConsistentRead=True)["Items"]
    assert sorted(items, key=lambda item: item["pk"]["S"]) == [
        world.activated[email] for email in sorted(world.activated)]
    for email, item in world.activated.items():
        assert "expires_at" not in item and item["activated"] == {"BOOL": True}
    # Activating an expired sign-up fails its condition: the item is gone.
    error = clients.ddb.exceptions.ConditionalCheckFailedException
    with pytest.raises(error):
        clients.ddb.update_item(
            TableName=world.signups, Key=key(world.expired_signups[0]),
            UpdateExpression="SET activated = :t REMOVE expires_at",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":t": {"BOOL": True}})


@pytest.mark.dunlin_only("DynamoDB Local's TTL stream records lack eventName REMOVE and "
                         "userIdentity")
def test_ttl_deletions_in_the_stream(clients, world):
    arn = clients.ddb.describe_table(TableName=world.values)["Table"]["LatestStreamArn"]
    # Puts of every case and the three changed ones, three updates, put and delete of
    # user-deleted, put and update of shortened, put of soon, one REMOVE per expiry.
    expected_count = len(value_cases(0)) + 3 + 3 + 2 + 2 + 1 + len(EXPIRING)
    by_key = records_by_key(stream_records(clients.streams, arn, expected_count))
    for pk_ in EXPIRING:
        removes = [r for r in by_key[pk_] if r[0] == "REMOVE"]
        assert len(removes) == 1, by_key[pk_]
        event, identity, old_image, new_image = removes[0]
        assert identity == SERVICE_IDENTITY
        assert new_image is None and old_image["pk"] == s(pk_) and "exp" in old_image
        assert by_key[pk_][-1][0] == "REMOVE"
    assert by_key["soon"] == [("INSERT", None, None, world.items["soon"]),
                              ("REMOVE", SERVICE_IDENTITY, world.items["soon"], None)]
    for pk_ in KEPT:
        assert all(event != "REMOVE" for event, *_ in by_key[pk_]), by_key[pk_]
    assert [event for event, *_ in by_key["user-deleted"]] == ["INSERT", "REMOVE"]
    # Only TTL deletions carry a userIdentity.
    for pk_, entries in by_key.items():
        for event, identity, _, _ in entries:
            assert (identity is not None) == (pk_ in EXPIRING and event == "REMOVE"), (pk_,
                                                                                       event)


@pytest.mark.dunlin_only("DynamoDB Local's TTL stream records lack eventName REMOVE and "
                         "userIdentity")
def test_signup_flow_stream(clients, world):
    """Exactly: an INSERT per sign-up, a MODIFY per activation, a TTL REMOVE per expiry."""
    arn = clients.ddb.describe_table(TableName=world.signups)["Table"]["LatestStreamArn"]
    records = stream_records(clients.streams, arn, 6 + 3 + 3)
    expected = {}
    for email, item in world.signup_items.items():
        if email in world.activated:
            expected[email] = [("INSERT", None, None, item),
                               ("MODIFY", None, item, world.activated[email])]
        else:
            expected[email] = [("INSERT", None, None, item),
                               ("REMOVE", SERVICE_IDENTITY, item, None)]
    assert records_by_key(records) == expected
    assert len(records) == 12


# --- Dunlin's own timing, restarts and races -----------------------------------------------------

@pytest.mark.dunlin_only("needs a server whose sweep interval the test sets")
def test_deletion_within_the_sweep_interval(clients, tables):
    client = clients.ddb
    table = tables()
    enable_ttl(client, table, "exp")
    now = time.time()
    client.put_item(TableName=table, Item={"pk": s("due"), "exp": n(int(now) - 1)})
    client.put_item(TableName=table, Item={"pk": s("later"), "exp": n(int(now) + 2)})
    wait_until_gone(client, {table: [key("due")]}, DUNLIN_DELAY_BOUND_SECONDS)
    if time.time() < int(now) + 1.8:
        assert get(client, table, key("later")) is not None
    wait_until_gone(client, {table: [key("later")]},
                    int(now) + 2 - time.time() + DUNLIN_DELAY_BOUND_SECONDS)


@pytest.mark.dunlin_only("needs a server whose sweep interval the test sets")
def test_expired_items_stay_readable_and_writable_until_deleted(dunlin_bin, tmp_path):
    server = DunlinProcess(dunlin_bin, str(tmp_path / "data"), extra_args=IDLE_SWEEP).start()
    try:
        client = make_client(server.endpoint)
        table = TableFactory(client, RawClient(server.endpoint))(range_key=("sk", "S"))
        enable_ttl(client, table, "exp")
        item = {"pk": s("a"), "sk": s("1"), "exp": n(int(time.time()) - 60)}
        client.put_item(TableName=table, Item=item)
        item_key = {"pk": s("a"), "sk": s("1")}
        assert client.get_item(TableName=table, Key=item_key)["Item"] == item
        assert client.scan(TableName=table)["Items"] == [item]
        assert client.query(TableName=table, KeyConditionExpression="pk = :p",
                            ExpressionAttributeValues={":p": s("a")})["Items"] == [item]
        updated = client.update_item(
            TableName=table, Key=item_key, UpdateExpression="SET v = :v",
            ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":v": s("x")},
            ReturnValues="ALL_NEW")["Attributes"]
        assert updated == {**item, "v": s("x")}
    finally:
        server.stop()


@pytest.mark.dunlin_only("DynamoDB Local runs in memory; needs a server whose sweep interval "
                         "the test sets")
def test_ttl_survives_a_crash_and_expiry_resumes(dunlin_bin, tmp_path):
    data_dir = str(tmp_path / "data")
    now = int(time.time())
    server = DunlinProcess(dunlin_bin, data_dir, extra_args=IDLE_SWEEP).start()
    try:
        client = make_client(server.endpoint)
        table = TableFactory(client, RawClient(server.endpoint))(**STREAM)
        for i in range(20):
            client.put_item(TableName=table, Item={
                "pk": s(f"p{i:02d}"), "exp": n(now - 60 if i % 2 == 0 else now + 3600)})
        enable_ttl(client, table, "exp")
        assert client.scan(TableName=table, Select="COUNT")["Count"] == 20
    finally:
        server.kill()
    server = DunlinProcess(dunlin_bin, data_dir, extra_args=FAST_SWEEP).start()
    try:
        client = make_client(server.endpoint)
        assert client.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {
            "TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}
        wait_until_gone(client, {table: [key(f"p{i:02d}") for i in range(0, 20, 2)]},
                        DUNLIN_DELAY_BOUND_SECONDS)
        left = client.scan(TableName=table, ConsistentRead=True)["Items"]
        assert sorted(item["pk"]["S"] for item in left) == [f"p{i:02d}" for i in range(1, 20, 2)]
        streams = make_client(server.endpoint, service="dynamodbstreams")
        arn = client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
        by_key = records_by_key(stream_records(streams, arn, 20 + 10))
        for i in range(20):
            events = [(event, identity) for event, identity, _, _ in by_key[f"p{i:02d}"]]
            expected = [("INSERT", None)] + ([("REMOVE", SERVICE_IDENTITY)] if i % 2 == 0 else [])
            assert events == expected
    finally:
        server.stop()


@pytest.mark.dunlin_only("needs a sweep interval short enough to race it")
def test_a_ttl_removed_or_extended_just_in_time_is_never_deleted(clients, tables):
    """Items expire together while writes remove or extend their TTL around that moment; each
    write that succeeds (its condition saw the item) keeps the item for good, each that fails
    found it already deleted by TTL."""
    client = clients.ddb
    table = tables(**STREAM)
    enable_ttl(client, table, "exp")
    count = 60
    expiry = int(time.time()) + 2
    for i in range(count):
        client.put_item(TableName=table, Item={"pk": s(f"r{i:02d}"), "exp": n(expiry)})
    outcomes = {}

    def write(indexes):
        own = make_client(clients.ddb.meta.endpoint_url)
        for i in indexes:
            time.sleep(max(0.0, expiry - 0.3 + i * 0.01 - time.time()))
            expression, values = (("REMOVE exp", None) if i % 2 == 0
                                  else ("SET exp = :e", {":e": n(expiry + 3600)}))
            args = {"ExpressionAttributeValues": values} if values else {}
            try:
                own.update_item(TableName=table, Key=key(f"r{i:02d}"),
                                UpdateExpression=expression,
                                ConditionExpression="attribute_exists(pk)", **args)
                outcomes[i] = "kept"
            except own.exceptions.ConditionalCheckFailedException:
                outcomes[i] = "expired"

    threads = [threading.Thread(target=write, args=(range(t, count, 6),)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == count
    time.sleep(1.0)  # several sweeps after the last write
    left = {item["pk"]["S"] for item in client.scan(TableName=table,
                                                    ConsistentRead=True)["Items"]}
    assert left == {f"r{i:02d}" for i, outcome in outcomes.items() if outcome == "kept"}
    arn = client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    by_key = records_by_key(stream_records(clients.streams, arn, 2 * count))
    for i, outcome in outcomes.items():
        events = [(event, identity) for event, identity, _, _ in by_key[f"r{i:02d}"]]
        second = ("MODIFY", None) if outcome == "kept" else ("REMOVE", SERVICE_IDENTITY)
        assert events == [("INSERT", None), second], (i, events)
