"""ReturnValues on PutItem / DeleteItem and ReturnConsumedCapacity on item operations.

Capacity rules, from
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html:
  1. a read unit covers 4 KB, rounded up; eventually consistent reads cost half;
  2. a write unit covers 1 KB, rounded up;
  3. a PutItem that replaces an item is charged for the larger of the old and new item;
     a DeleteItem for the deleted item's size; a write of a missing item, or a read that finds
     nothing, for the minimum (1 write unit, 0.5 / 1 read unit).
"""

import pytest

from expect import RETURN_VALUES_INVALID, expect_validation


def sized_item(key, total_bytes):
    """An item of exactly total_bytes: pk (2 + len(key)) and d (1 + padding)."""
    return {"pk": {"S": key}, "d": {"S": "x" * (total_bytes - 2 - len(key) - 1)}}


def without_metadata(response):
    response = dict(response)
    response.pop("ResponseMetadata", None)
    return response


# --- ReturnValues --------------------------------------------------------------------------

def test_put_all_old_on_new_item(ddb, table):
    response = ddb.put_item(TableName=table, Item={"pk": {"S": "r"}, "a": {"S": "1"}},
                            ReturnValues="ALL_OLD")
    assert without_metadata(response) == {}


def test_put_all_old_returns_replaced_item(ddb, table):
    old = {"pk": {"S": "r"}, "a": {"S": "1"}, "m": {"M": {"n": {"N": "5"}}}}
    ddb.put_item(TableName=table, Item=old)
    response = ddb.put_item(TableName=table, Item={"pk": {"S": "r"}, "b": {"S": "2"}},
                            ReturnValues="ALL_OLD")
    assert without_metadata(response) == {"Attributes": old}


def test_put_return_values_none(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "r"}})
    response = ddb.put_item(TableName=table, Item={"pk": {"S": "r"}}, ReturnValues="NONE")
    assert without_metadata(response) == {}


def test_delete_all_old_returns_deleted_item(ddb, table):
    old = {"pk": {"S": "r"}, "ss": {"SS": ["x"]}, "b": {"B": b"\x00"}}
    ddb.put_item(TableName=table, Item=old)
    response = ddb.delete_item(TableName=table, Key={"pk": {"S": "r"}}, ReturnValues="ALL_OLD")
    assert response["Attributes"] == old
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "r"}})


def test_delete_all_old_on_missing_item(ddb, table):
    response = ddb.delete_item(TableName=table, Key={"pk": {"S": "none"}},
                               ReturnValues="ALL_OLD")
    assert "Attributes" not in response


def test_delete_return_values_none(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "r"}})
    response = ddb.delete_item(TableName=table, Key={"pk": {"S": "r"}}, ReturnValues="NONE")
    assert without_metadata(response) == {}


@pytest.mark.parametrize("value", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "FOO", "all_old"])
def test_put_invalid_return_values(ddb, table, value):
    expect_validation(ddb.put_item, RETURN_VALUES_INVALID, TableName=table,
                      Item={"pk": {"S": "r"}}, ReturnValues=value)
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "r"}})


@pytest.mark.parametrize("value", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "FOO"])
def test_delete_invalid_return_values(ddb, table, value):
    ddb.put_item(TableName=table, Item={"pk": {"S": "r"}})
    expect_validation(ddb.delete_item, RETURN_VALUES_INVALID, TableName=table,
                      Key={"pk": {"S": "r"}}, ReturnValues=value)
    assert "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": "r"}})


# --- ReturnConsumedCapacity: shape ---------------------------------------------------------

@pytest.mark.parametrize("setting", [None, "NONE"])
def test_no_capacity_unless_asked(ddb, table, setting):
    args = {} if setting is None else {"ReturnConsumedCapacity": setting}
    assert "ConsumedCapacity" not in ddb.put_item(TableName=table, Item={"pk": {"S": "c"}},
                                                  **args)
    assert "ConsumedCapacity" not in ddb.get_item(TableName=table, Key={"pk": {"S": "c"}},
                                                  **args)
    assert "ConsumedCapacity" not in ddb.scan(TableName=table, **args)
    assert "ConsumedCapacity" not in ddb.delete_item(TableName=table, Key={"pk": {"S": "c"}},
                                                     **args)


def test_capacity_total(ddb, table):
    put = ddb.put_item(TableName=table, Item={"pk": {"S": "c"}}, ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}
    get = ddb.get_item(TableName=table, Key={"pk": {"S": "c"}}, ReturnConsumedCapacity="TOTAL")
    assert get["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.5}
    scan = ddb.scan(TableName=table, ReturnConsumedCapacity="TOTAL")
    assert scan["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.5}
    delete = ddb.delete_item(TableName=table, Key={"pk": {"S": "c"}},
                             ReturnConsumedCapacity="TOTAL")
    assert delete["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


def test_capacity_indexes(ddb, table):
    put = ddb.put_item(TableName=table, Item={"pk": {"S": "c"}},
                       ReturnConsumedCapacity="INDEXES")
    assert put["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0,
                                       "Table": {"CapacityUnits": 1.0}}
    get = ddb.get_item(TableName=table, Key={"pk": {"S": "c"}},
                       ReturnConsumedCapacity="INDEXES")
    assert get["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.5,
                                       "Table": {"CapacityUnits": 0.5}}
    scan = ddb.scan(TableName=table, ReturnConsumedCapacity="INDEXES")
    assert scan["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.5,
                                        "Table": {"CapacityUnits": 0.5}}
    delete = ddb.delete_item(TableName=table, Key={"pk": {"S": "c"}},
                             ReturnConsumedCapacity="INDEXES")
    assert delete["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0,
                                          "Table": {"CapacityUnits": 1.0}}


def test_capacity_raw_json_numbers(raw, table):
    response = raw.request("PutItem", {"TableName": table, "Item": {"pk": {"S": "c"}},
                                       "ReturnConsumedCapacity": "TOTAL"})
    assert response.body == {"ConsumedCapacity": {"TableName": table, "CapacityUnits": 1.0}}


# --- ReturnConsumedCapacity: units ---------------------------------------------------------

# (item bytes, write units, eventually consistent read units, strongly consistent read units)
CAPACITY_BY_SIZE = [
    (10, 1.0, 0.5, 1.0),
    (1024, 1.0, 0.5, 1.0),
    (1025, 2.0, 0.5, 1.0),
    (2049, 3.0, 0.5, 1.0),
    (4096, 4.0, 0.5, 1.0),
    (4097, 5.0, 1.0, 2.0),
    (8192, 8.0, 1.0, 2.0),
    (8193, 9.0, 1.5, 3.0),
    (409600, 400.0, 50.0, 100.0),
]


@pytest.mark.parametrize("size,write,read,strong_read", CAPACITY_BY_SIZE,
                         ids=[str(c[0]) for c in CAPACITY_BY_SIZE])
def test_capacity_by_item_size(ddb, table, size, write, read, strong_read):
    item = sized_item("s", size)
    put = ddb.put_item(TableName=table, Item=item, ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"]["CapacityUnits"] == write
    put_again = ddb.put_item(TableName=table, Item=item, ReturnConsumedCapacity="TOTAL")
    assert put_again["ConsumedCapacity"]["CapacityUnits"] == write
    get = ddb.get_item(TableName=table, Key={"pk": {"S": "s"}}, ReturnConsumedCapacity="TOTAL")
    assert get["ConsumedCapacity"]["CapacityUnits"] == read
    strong = ddb.get_item(TableName=table, Key={"pk": {"S": "s"}}, ConsistentRead=True,
                          ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["CapacityUnits"] == strong_read
    delete = ddb.delete_item(TableName=table, Key={"pk": {"S": "s"}},
                             ReturnConsumedCapacity="TOTAL")
    assert delete["ConsumedCapacity"]["CapacityUnits"] == write


def test_replacing_put_charged_for_larger_item(ddb, table):
    ddb.put_item(TableName=table, Item=sized_item("o", 5000))
    smaller = ddb.put_item(TableName=table, Item=sized_item("o", 10),
                           ReturnConsumedCapacity="TOTAL")
    assert smaller["ConsumedCapacity"]["CapacityUnits"] == 5.0
    larger = ddb.put_item(TableName=table, Item=sized_item("o", 5000),
                          ReturnConsumedCapacity="TOTAL")
    assert larger["ConsumedCapacity"]["CapacityUnits"] == 5.0


def test_missing_item_read_costs_minimum(ddb, table):
    get = ddb.get_item(TableName=table, Key={"pk": {"S": "none"}},
                       ReturnConsumedCapacity="TOTAL")
    assert get["ConsumedCapacity"]["CapacityUnits"] == 0.5
    strong = ddb.get_item(TableName=table, Key={"pk": {"S": "none"}}, ConsistentRead=True,
                          ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_missing_item_delete_costs_one(ddb, table):
    delete = ddb.delete_item(TableName=table, Key={"pk": {"S": "none"}},
                             ReturnConsumedCapacity="TOTAL")
    assert delete["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


def test_capacity_with_return_values(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "rv"}, "a": {"S": "1"}})
    response = ddb.put_item(TableName=table, Item={"pk": {"S": "rv"}},
                            ReturnValues="ALL_OLD", ReturnConsumedCapacity="TOTAL")
    assert without_metadata(response) == {
        "Attributes": {"pk": {"S": "rv"}, "a": {"S": "1"}},
        "ConsumedCapacity": {"TableName": table, "CapacityUnits": 1.0}}


def test_capacity_on_provisioned_table(ddb, table_factory):
    table = table_factory(ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                 "WriteCapacityUnits": 1})
    put = ddb.put_item(TableName=table, Item=sized_item("p", 3000),
                       ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 3.0}
