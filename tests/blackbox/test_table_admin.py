"""ListTables, UpdateTable, DeleteTable, deletion protection.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
"""

import uuid

import pytest

from expect import INVALID_TABLE_NAME, TABLE_NOT_FOUND, expect_error, expect_validation

PROTECTED = ("Resource cannot be deleted as it is currently protected against deletion. "
             "Disable deletion protection first.")


def all_table_names(ddb, start=None, limit=None):
    """Pages through ListTables and returns every name, with the page sizes."""
    names, pages, args = [], [], {}
    if start:
        args["ExclusiveStartTableName"] = start
    if limit:
        args["Limit"] = limit
    while True:
        response = ddb.list_tables(**args)
        names += response["TableNames"]
        pages.append(len(response["TableNames"]))
        if "LastEvaluatedTableName" not in response:
            return names, pages
        assert response["LastEvaluatedTableName"] == response["TableNames"][-1]
        args["ExclusiveStartTableName"] = response["LastEvaluatedTableName"]


@pytest.fixture
def named_tables(table_factory):
    """Seven tables sharing a unique prefix, in an order that tests byte-wise sorting."""
    prefix = "lt" + uuid.uuid4().hex[:8]
    suffixes = ["-ab", ".ab", "0ab", "Abc", "B", "_ab", "q"]   # ASCII order
    for suffix in reversed(suffixes):
        table_factory(name=prefix + suffix)
    return prefix, [prefix + suffix for suffix in suffixes]


# --- ListTables ----------------------------------------------------------------------------

def test_list_tables_sorted_byte_wise(ddb, named_tables):
    prefix, expected = named_tables
    names, _ = all_table_names(ddb, start=prefix)
    assert [n for n in names if n.startswith(prefix)] == expected


def test_list_tables_paging_with_limit(ddb, named_tables):
    prefix, expected = named_tables
    names, pages = all_table_names(ddb, start=prefix, limit=3)
    assert [n for n in names if n.startswith(prefix)] == expected
    assert pages[:2] == [3, 3]


def test_list_tables_limit_one(ddb, named_tables):
    prefix, expected = named_tables
    response = ddb.list_tables(ExclusiveStartTableName=prefix, Limit=1)
    assert response["TableNames"] == expected[:1]
    assert response["LastEvaluatedTableName"] == expected[0]


def test_list_tables_start_name_need_not_exist(ddb, named_tables):
    prefix, expected = named_tables
    response = ddb.list_tables(ExclusiveStartTableName=prefix + "1", Limit=2)
    assert response["TableNames"] == expected[3:5]


def test_list_tables_start_name_is_exclusive(ddb, named_tables):
    prefix, expected = named_tables
    response = ddb.list_tables(ExclusiveStartTableName=expected[2], Limit=1)
    assert response["TableNames"] == [expected[3]]


def test_list_tables_last_page_has_no_last_evaluated_name(ddb, table_factory):
    # 'z' sorts after every other table name the suite makes.
    prefix = "zzzz" + uuid.uuid4().hex[:8]
    first = table_factory(name=prefix + "-1")
    second = table_factory(name=prefix + "-2")
    response = ddb.list_tables(ExclusiveStartTableName=prefix, Limit=5)
    assert response["TableNames"] == [first, second]
    assert "LastEvaluatedTableName" not in response
    # A page that is exactly full and ends the list still has no LastEvaluatedTableName.
    response = ddb.list_tables(ExclusiveStartTableName=prefix, Limit=2)
    assert response["TableNames"] == [first, second]
    assert "LastEvaluatedTableName" not in response


def test_list_tables_past_the_end(ddb):
    response = ddb.list_tables(ExclusiveStartTableName="z" * 255)
    assert response["TableNames"] == []
    assert "LastEvaluatedTableName" not in response


def test_list_tables_limit_100_accepted(ddb):
    assert "TableNames" in ddb.list_tables(Limit=100)


@pytest.mark.parametrize("limit,message", [
    (0, "Limit must be greater than or equal to 1"),
    (-1, "Limit must be greater than or equal to 1"),
    (101, "Limit in ListTables must be <= 100"),
    (1000, "Limit in ListTables must be <= 100"),
])
def test_list_tables_limit_bounds(ddb, limit, message):
    expect_validation(ddb.list_tables, message, Limit=limit)


@pytest.mark.parametrize("start", ["a", "ab", "bad$name", "x" * 256])
def test_list_tables_invalid_start_name(ddb, start):
    expect_validation(ddb.list_tables, INVALID_TABLE_NAME, ExclusiveStartTableName=start)


def test_list_tables_shows_new_and_hides_deleted(ddb, table_factory):
    name = table_factory()
    assert name in all_table_names(ddb)[0]
    ddb.delete_table(TableName=name)
    assert name not in all_table_names(ddb)[0]


# --- UpdateTable ---------------------------------------------------------------------------

@pytest.fixture
def provisioned(table_factory):
    return table_factory(ProvisionedThroughput={"ReadCapacityUnits": 3,
                                                "WriteCapacityUnits": 4})


def test_update_throughput(ddb, provisioned):
    description = ddb.update_table(TableName=provisioned, ProvisionedThroughput={
        "ReadCapacityUnits": 10, "WriteCapacityUnits": 4})["TableDescription"]
    assert description["TableName"] == provisioned
    throughput = ddb.describe_table(TableName=provisioned)["Table"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (10, 4)


def test_update_throughput_decrease(ddb, provisioned):
    ddb.update_table(TableName=provisioned, ProvisionedThroughput={
        "ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    throughput = ddb.describe_table(TableName=provisioned)["Table"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (1, 1)


def test_update_throughput_unchanged(ddb, provisioned):
    expect_validation(ddb.update_table,
                      "The requested throughput value equals the current value",
                      TableName=provisioned,
                      ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})


@pytest.mark.parametrize("throughput,message", [
    ({"ReadCapacityUnits": 0, "WriteCapacityUnits": 4},
     "Table read and write throughput must be at least 1, and cannot be null"),
    ({"ReadCapacityUnits": 7},
     "Table read and write throughput must be at least 1, and cannot be null"),
    ({"ReadCapacityUnits": 50000, "WriteCapacityUnits": 4},
     "Cannot increase provisioned throughput to more than 40,000 units per table"),
], ids=["zero", "missing-write", "too-high"])
def test_update_throughput_bounds(ddb, provisioned, throughput, message):
    expect_validation(ddb.update_table, message, TableName=provisioned,
                      ProvisionedThroughput=throughput)


def test_update_nothing(ddb, provisioned):
    expect_validation(ddb.update_table, "Nothing to update", TableName=provisioned)


def test_switch_to_pay_per_request_and_back(ddb, provisioned):
    description = ddb.update_table(TableName=provisioned,
                                   BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    table = ddb.describe_table(TableName=provisioned)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 0

    expect_validation(ddb.update_table, "No provisioned throughput specified for the table",
                      TableName=provisioned, BillingMode="PROVISIONED")

    description = ddb.update_table(
        TableName=provisioned, BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8})[
        "TableDescription"]
    assert description["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    throughput = ddb.describe_table(TableName=provisioned)["Table"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (7, 8)


def test_update_keeps_items(ddb, provisioned):
    ddb.put_item(TableName=provisioned, Item={"pk": {"S": "kept"}})
    ddb.update_table(TableName=provisioned, BillingMode="PAY_PER_REQUEST")
    assert ddb.get_item(TableName=provisioned, Key={"pk": {"S": "kept"}})["Item"] == {
        "pk": {"S": "kept"}}


def test_update_missing_table(ddb):
    expect_error(ddb.update_table, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="missing-" + uuid.uuid4().hex, BillingMode="PAY_PER_REQUEST")


def test_update_invalid_table_name(ddb):
    expect_validation(ddb.update_table, INVALID_TABLE_NAME, TableName="ab",
                      BillingMode="PAY_PER_REQUEST")


# --- Deletion protection -------------------------------------------------------------------

def test_deletion_protection_blocks_delete(raw, ddb, table):
    response = raw.request("UpdateTable", {"TableName": table,
                                           "DeletionProtectionEnabled": True})
    assert response.status == 200, response
    assert response.body["TableDescription"]["DeletionProtectionEnabled"] is True
    assert raw.request("DescribeTable", {"TableName": table}).body["Table"][
        "DeletionProtectionEnabled"] is True

    expect_validation(ddb.delete_table, PROTECTED, TableName=table)
    assert ddb.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"

    # Enabling it again is not "Nothing to update".
    assert raw.request("UpdateTable", {"TableName": table,
                                       "DeletionProtectionEnabled": True}).status == 200

    response = raw.request("UpdateTable", {"TableName": table,
                                           "DeletionProtectionEnabled": False})
    assert response.status == 200
    assert response.body["TableDescription"]["DeletionProtectionEnabled"] is False
    ddb.delete_table(TableName=table)
    expect_error(ddb.describe_table, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName=table)


# --- DeleteTable ---------------------------------------------------------------------------

def test_delete_table_response(raw, ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    response = raw.request("DeleteTable", {"TableName": table})
    assert response.status == 200
    assert set(response.body) == {"TableDescription"}
    description = response.body["TableDescription"]
    assert description["TableName"] == table
    assert description["TableStatus"] in ("DELETING", "ACTIVE")
    assert description["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert description["ItemCount"] == 1
    assert description["TableSizeBytes"] == 3
    assert description["TableArn"].endswith(":table/" + table)


def test_deleted_table_is_gone(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    ddb.delete_table(TableName=table)
    for call, args in [
            (ddb.describe_table, {}),
            (ddb.delete_table, {}),
            (ddb.get_item, {"Key": {"pk": {"S": "a"}}}),
            (ddb.put_item, {"Item": {"pk": {"S": "a"}}}),
            (ddb.scan, {})]:
        expect_error(call, "ResourceNotFoundException", TABLE_NOT_FOUND, TableName=table,
                     **args)


def test_recreated_table_starts_empty(ddb, table_factory):
    name = table_factory()
    ddb.put_item(TableName=name, Item={"pk": {"S": "old"}})
    ddb.delete_table(TableName=name)
    table_factory(name=name)
    assert ddb.scan(TableName=name)["Count"] == 0


def test_delete_missing_table(ddb):
    expect_error(ddb.delete_table, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="missing-" + uuid.uuid4().hex)
