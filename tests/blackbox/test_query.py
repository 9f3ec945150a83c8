"""Query: key conditions, order, paging, Select, filters, capacity; a single-table example.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
  1. the key condition is `pk = :v`, optionally AND one sort-key condition: =, <, <=, >, >=,
     BETWEEN, begins_with;
  2. items come in sort-key order (bytes for S and B, numeric for N), reversed with
     ScanIndexForward=false;
  3. Limit caps the items read (before the filter); LastEvaluatedKey is returned whenever Limit
     ends a page, even when nothing is left, unless the page ends on the sort-key range's
     inclusive end in the read's direction (as DynamoDB Local answers);
  4. Count counts the items after FilterExpression, ScannedCount before it.
"""

import pytest

from expect import TABLE_NOT_FOUND, expect_error, expect_validation

N_ITEMS = 10


@pytest.fixture(scope="module")
def num(module_tables, ddb):
    """pk (S) + sk (N): partition "a" holds sk 0..9 with v = 10 * sk and s = "x" * sk;
    partition "b" holds sk 1."""
    table = module_tables("hash_s_range_n")
    for i in range(N_ITEMS):
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"N": str(i)},
                                            "v": {"N": str(i * 10)}, "s": {"S": "x" * i}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "b"}, "sk": {"N": "1"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}, "sk": {"N": "-5"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}, "sk": {"N": "2.5"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}, "sk": {"N": "10"}})
    return table


@pytest.fixture(scope="module")
def strs(module_tables, ddb):
    """pk (S) + sk (S): partition "p" holds sort keys in a deliberately unsorted write order."""
    table = module_tables("hash_s_range_s")
    for sk in ["b", "a", "ab", "abc", "B", "ac", "b#1", "\u00e9", "aa"]:
        ddb.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"S": sk}})
    return table


A = {":p": {"S": "a"}}


def query(ddb, table, condition, values=None, **args):
    if values is not None:
        args["ExpressionAttributeValues"] = values
    response = ddb.query(TableName=table, KeyConditionExpression=condition, **args)
    response.pop("ResponseMetadata")
    return response


def sks(response, kind="N"):
    return [item["sk"][kind] for item in response["Items"]]


# --- Key conditions ------------------------------------------------------------------------

def test_query_whole_partition(ddb, num):
    response = query(ddb, num, "pk = :p", A)
    assert (response["Count"], response["ScannedCount"]) == (N_ITEMS, N_ITEMS)
    assert sks(response) == [str(i) for i in range(N_ITEMS)]
    assert response["Items"][3] == {"pk": {"S": "a"}, "sk": {"N": "3"}, "v": {"N": "30"},
                                    "s": {"S": "xxx"}}
    assert "LastEvaluatedKey" not in response


def test_query_missing_partition(ddb, num):
    response = query(ddb, num, "pk = :p", {":p": {"S": "zz"}})
    assert response == {"Items": [], "Count": 0, "ScannedCount": 0}


def test_query_numeric_order(ddb, num):
    response = query(ddb, num, "pk = :p", {":p": {"S": "c"}})
    assert sks(response) == ["-5", "2.5", "10"]


@pytest.mark.parametrize("condition,values,expected", [
    ("sk = :a", {":a": {"N": "3"}}, [3]),
    ("sk < :a", {":a": {"N": "3"}}, [0, 1, 2]),
    ("sk <= :a", {":a": {"N": "3"}}, [0, 1, 2, 3]),
    ("sk > :a", {":a": {"N": "7"}}, [8, 9]),
    ("sk >= :a", {":a": {"N": "7"}}, [7, 8, 9]),
    ("sk BETWEEN :a AND :b", {":a": {"N": "2"}, ":b": {"N": "4"}}, [2, 3, 4]),
    ("sk BETWEEN :a AND :b", {":a": {"N": "4"}, ":b": {"N": "4"}}, [4]),
    ("sk = :a", {":a": {"N": "3.5"}}, []),
    ("sk > :a", {":a": {"N": "100"}}, []),
], ids=["eq", "lt", "le", "gt", "ge", "between", "between-same", "eq-none", "gt-none"])
def test_query_sort_key_operators(ddb, num, condition, values, expected):
    response = query(ddb, num, "pk = :p AND " + condition, {**A, **values})
    assert sks(response) == [str(i) for i in expected]
    assert response["Count"] == response["ScannedCount"] == len(expected)


def test_query_sort_key_condition_first(ddb, num):
    response = query(ddb, num, "sk < :a AND pk = :p", {**A, ":a": {"N": "2"}})
    assert sks(response) == ["0", "1"]


def test_query_parentheses_and_names(ddb, num):
    response = query(ddb, num, "(#k = :p) AND (#s > :a)", {**A, ":a": {"N": "8"}},
                     ExpressionAttributeNames={"#k": "pk", "#s": "sk"})
    assert sks(response) == ["9"]


def test_query_string_sort_order_is_bytewise(ddb, strs):
    response = query(ddb, strs, "pk = :p", {":p": {"S": "p"}})
    assert sks(response, "S") == ["B", "a", "aa", "ab", "abc", "ac", "b", "b#1", "\u00e9"]


def test_query_begins_with(ddb, strs):
    response = query(ddb, strs, "pk = :p AND begins_with(sk, :b)",
                     {":p": {"S": "p"}, ":b": {"S": "a"}})
    assert sks(response, "S") == ["a", "aa", "ab", "abc", "ac"]
    response = query(ddb, strs, "pk = :p AND begins_with(sk, :b)",
                     {":p": {"S": "p"}, ":b": {"S": "ab"}}, ScanIndexForward=False)
    assert sks(response, "S") == ["abc", "ab"]


def test_query_string_between(ddb, strs):
    response = query(ddb, strs, "pk = :p AND sk BETWEEN :a AND :b",
                     {":p": {"S": "p"}, ":a": {"S": "ab"}, ":b": {"S": "b"}})
    assert sks(response, "S") == ["ab", "abc", "ac", "b"]


# --- Order and paging ----------------------------------------------------------------------

def test_query_backward(ddb, num):
    response = query(ddb, num, "pk = :p AND sk BETWEEN :a AND :b",
                     {**A, ":a": {"N": "1"}, ":b": {"N": "3"}}, ScanIndexForward=False)
    assert sks(response) == ["3", "2", "1"]


def test_query_limit_returns_last_evaluated_key(ddb, num):
    response = query(ddb, num, "pk = :p", A, Limit=2, ProjectionExpression="sk")
    assert response == {"Items": [{"sk": {"N": "0"}}, {"sk": {"N": "1"}}], "Count": 2,
                        "ScannedCount": 2,
                        "LastEvaluatedKey": {"pk": {"S": "a"}, "sk": {"N": "1"}}}


def test_query_limit_equal_to_remaining_still_returns_key(ddb, num):
    response = query(ddb, num, "pk = :p", A, Limit=N_ITEMS, ProjectionExpression="sk")
    assert response["Count"] == N_ITEMS
    assert response["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": str(N_ITEMS - 1)}}
    following = query(ddb, num, "pk = :p", A, Limit=N_ITEMS,
                      ExclusiveStartKey=response["LastEvaluatedKey"])
    assert following == {"Items": [], "Count": 0, "ScannedCount": 0}


@pytest.mark.parametrize("condition,bounds,forward,limit,expected,has_key", [
    ("sk <= :x", ["3"], True, 4, ["0", "1", "2", "3"], False),
    ("sk BETWEEN :x AND :y", ["2", "3"], True, 2, ["2", "3"], False),
    ("sk BETWEEN :x AND :y", ["2", "3"], False, 2, ["3", "2"], False),
    ("sk >= :x", ["7"], False, 3, ["9", "8", "7"], False),
    ("sk BETWEEN :x AND :y", ["2", "5"], True, 2, ["2", "3"], True),
    ("sk < :x", ["4"], True, 4, ["0", "1", "2", "3"], True),
    ("sk >= :x", ["7"], True, 3, ["7", "8", "9"], True),
    ("sk = :x", ["3"], True, 1, ["3"], True),
], ids=["le", "between-up", "between-down", "ge-down", "between-short", "lt", "ge-up", "eq"])
def test_query_limit_ending_on_the_inclusive_range_end_has_no_key(ddb, num, condition, bounds,
                                                                  forward, limit, expected,
                                                                  has_key):
    """A page that Limit ends on the item at the range's inclusive end, in the read's
    direction (<= or BETWEEN's upper bound forward, >= or BETWEEN's lower bound backward), has
    no LastEvaluatedKey; an exclusive bound, an equality or a page ending short of the bound
    keeps it."""
    values = {**A, **{name: {"N": bound} for name, bound in zip((":x", ":y"), bounds)}}
    response = query(ddb, num, "pk = :p AND " + condition, values, Limit=limit,
                     ScanIndexForward=forward, ProjectionExpression="sk")
    assert sks(response) == expected
    assert ("LastEvaluatedKey" in response) == has_key, response


def test_query_limit_above_remaining_has_no_key(ddb, num):
    response = query(ddb, num, "pk = :p", A, Limit=N_ITEMS + 1)
    assert response["Count"] == N_ITEMS and "LastEvaluatedKey" not in response


def test_query_exclusive_start_key(ddb, num):
    response = query(ddb, num, "pk = :p", A, ProjectionExpression="sk",
                     ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "6"}})
    assert sks(response) == ["7", "8", "9"]
    assert "LastEvaluatedKey" not in response


def test_query_exclusive_start_key_of_missing_item(ddb, num):
    response = query(ddb, num, "pk = :p", A, ProjectionExpression="sk",
                     ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "6.5"}})
    assert sks(response) == ["7", "8", "9"]


def test_query_paging_backward(ddb, num):
    seen = []
    args = dict(Limit=3, ScanIndexForward=False)
    pages = 0
    while True:
        response = query(ddb, num, "pk = :p AND sk >= :a", {**A, ":a": {"N": "2"}}, **args)
        pages += 1
        seen += sks(response)
        if "LastEvaluatedKey" not in response:
            break
        args["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    assert seen == [str(i) for i in range(9, 1, -1)]
    assert pages == 3


def test_query_backward_from_start_key(ddb, num):
    response = query(ddb, num, "pk = :p", A, ProjectionExpression="sk", ScanIndexForward=False,
                     ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "2"}})
    assert sks(response) == ["1", "0"]


def test_query_hash_only_table(ddb, module_tables):
    table = module_tables("hash_s")
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    response = query(ddb, table, "pk = :p", A, Limit=1)
    # The partition holds one item at most: no LastEvaluatedKey even though Limit was reached.
    assert response == {"Items": [{"pk": {"S": "a"}, "v": {"N": "1"}}], "Count": 1,
                        "ScannedCount": 1}
    expect_validation(ddb.query, "Query key condition not supported", TableName=table,
                      KeyConditionExpression="pk = :p AND sk = :s",
                      ExpressionAttributeValues={**A, ":s": {"S": "a"}})


def test_query_binary_sort_key(ddb, module_tables):
    table = module_tables("hash_s_range_b")
    for b in [b"\x00", b"\xff", b"\x7f", b"\x01\x02", b"\x01"]:
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"B": b}})
    response = query(ddb, table, "pk = :p", A)
    assert [item["sk"]["B"] for item in response["Items"]] == \
        [b"\x00", b"\x01", b"\x01\x02", b"\x7f", b"\xff"]
    response = query(ddb, table, "pk = :p AND begins_with(sk, :b)", {**A, ":b": {"B": b"\x01"}})
    assert [item["sk"]["B"] for item in response["Items"]] == [b"\x01", b"\x01\x02"]


def test_query_limit_applies_before_filter(ddb, num):
    response = query(ddb, num, "pk = :p", {**A, ":x": {"N": "10"}}, Limit=3,
                     FilterExpression="v > :x")
    assert sks(response) == ["2"]
    assert (response["Count"], response["ScannedCount"]) == (1, 3)
    assert response["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "2"}}


# --- Select, projection, filter ------------------------------------------------------------

def test_query_select_count_with_filter(ddb, num):
    response = query(ddb, num, "pk = :p", {**A, ":x": {"N": "30"}}, Select="COUNT",
                     FilterExpression="v > :x")
    assert response == {"Count": 6, "ScannedCount": 10}


def test_query_select_count_with_limit(ddb, num):
    response = query(ddb, num, "pk = :p", A, Select="COUNT", Limit=2)
    assert response == {"Count": 2, "ScannedCount": 2,
                        "LastEvaluatedKey": {"pk": {"S": "a"}, "sk": {"N": "1"}}}


def test_query_select_specific_attributes(ddb, num):
    response = query(ddb, num, "pk = :p AND sk = :k", {**A, ":k": {"N": "4"}},
                     Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="v, s, absent")
    assert response["Items"] == [{"v": {"N": "40"}, "s": {"S": "xxxx"}}]


def test_query_select_all_attributes(ddb, num):
    response = query(ddb, num, "pk = :p AND sk = :k", {**A, ":k": {"N": "1"}},
                     Select="ALL_ATTRIBUTES")
    assert response["Items"] == [{"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"N": "10"},
                                  "s": {"S": "x"}}]


def test_query_filter_on_size_and_names(ddb, num):
    response = query(ddb, num, "pk = :p", {**A, ":n": {"N": "7"}},
                     FilterExpression="size(#s) >= :n", ExpressionAttributeNames={"#s": "s"},
                     ProjectionExpression="sk")
    assert sks(response) == ["7", "8", "9"]
    assert (response["Count"], response["ScannedCount"]) == (3, 10)


def test_query_filter_matches_nothing(ddb, num):
    response = query(ddb, num, "pk = :p", {**A, ":x": {"N": "1000"}},
                     FilterExpression="v > :x")
    assert response == {"Items": [], "Count": 0, "ScannedCount": 10}


# --- Consumed capacity ---------------------------------------------------------------------

def test_query_consumed_capacity(ddb, num):
    response = query(ddb, num, "pk = :p", A, Select="COUNT", ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": num, "CapacityUnits": 0.5}
    response = query(ddb, num, "pk = :p", A, Select="COUNT", ReturnConsumedCapacity="TOTAL",
                     ConsistentRead=True)
    assert response["ConsumedCapacity"] == {"TableName": num, "CapacityUnits": 1.0}


def test_query_consumed_capacity_sums_item_sizes(ddb, num):
    """Four items of about 3 KB: 12 KB read, 3 units of 4 KB, half for eventual consistency."""
    for i in range(4):
        ddb.put_item(TableName=num, Item={"pk": {"S": "big"}, "sk": {"N": str(i)},
                                          "d": {"S": "x" * 3000}})
    values = {":p": {"S": "big"}}
    response = query(ddb, num, "pk = :p", values, Select="COUNT", ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": num, "CapacityUnits": 1.5}
    response = query(ddb, num, "pk = :p", values, Select="COUNT", ReturnConsumedCapacity="TOTAL",
                     ConsistentRead=True)
    assert response["ConsumedCapacity"] == {"TableName": num, "CapacityUnits": 3.0}
    response = query(ddb, num, "pk = :p", values, Select="COUNT",
                     ReturnConsumedCapacity="INDEXES")
    assert response["ConsumedCapacity"] == {"TableName": num, "CapacityUnits": 1.5,
                                            "Table": {"CapacityUnits": 1.5}}
    response = query(ddb, num, "pk = :p", values, ProjectionExpression="sk", Limit=1,
                     ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": num, "CapacityUnits": 0.5}


def test_query_consumed_capacity_of_empty_result(ddb, num):
    response = query(ddb, num, "pk = :p", {":p": {"S": "nobody"}}, ReturnConsumedCapacity="TOTAL")
    assert response == {"Items": [], "Count": 0, "ScannedCount": 0,
                        "ConsumedCapacity": {"TableName": num, "CapacityUnits": 0.0}}


def test_query_consumed_capacity_none(ddb, num):
    response = query(ddb, num, "pk = :p", A, Select="COUNT", ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in response


# --- Errors --------------------------------------------------------------------------------

KEY_ERRORS = [
    ("sk = :p", {":p": {"N": "1"}}, "Query condition missed key schema element"),
    ("pk < :p", A, "Query key condition not supported"),
    ("pk = :p AND v = :p", A, "Query condition missed key schema element"),
    ("pk = :p AND sk = :p", A,
     "One or more parameter values were invalid: Condition parameter type does not match "
     "schema type"),
    ("pk = :p AND sk <> :s", {**A, ":s": {"N": "1"}},
     "Invalid operator used in KeyConditionExpression: <>"),
    ("pk = :p OR sk = :s", {**A, ":s": {"N": "1"}},
     "Invalid operator used in KeyConditionExpression: OR"),
    ("pk = :p AND begins_with(sk, :s)", {**A, ":s": {"N": "1"}},
     "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator "
     "or function: begins_with, operand type: N"),
    ("pk = :p AND sk = :s AND sk = :s", {**A, ":s": {"N": "1"}},
     "KeyConditionExpressions must only contain one condition per key"),
    ("pk = :p AND pk = :p", A, "KeyConditionExpressions must only contain one condition per key"),
    ("pk = :p AND sk IN (:s)", {**A, ":s": {"N": "1"}},
     "Invalid operator used in KeyConditionExpression: IN"),
    ("pk = :p AND NOT sk = :s", {**A, ":s": {"N": "1"}},
     "Invalid operator used in KeyConditionExpression: NOT"),
    ("pk = :p AND sk BETWEEN :b AND :a", {**A, ":a": {"N": "1"}, ":b": {"N": "3"}},
     "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater "
     "than or equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound "
     "operand: AttributeValue: {N:1}"),
    ("pk = :p AND attribute_exists(sk)", A,
     "Invalid operator used in KeyConditionExpression: attribute_exists"),
    ("", A, "Invalid KeyConditionExpression: The expression can not be empty;"),
    ("pk = :x", A,
     "Invalid KeyConditionExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :x"),
    ("pk = :p", {**A, ":z": {"N": "1"}},
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:z}"),
]


@pytest.mark.parametrize("condition,values,message", KEY_ERRORS,
                         ids=[f"{i}-{e[0]}" for i, e in enumerate(KEY_ERRORS)])
def test_query_key_condition_errors(ddb, num, condition, values, message):
    expect_validation(ddb.query, message, TableName=num, KeyConditionExpression=condition,
                      ExpressionAttributeValues=values)


@pytest.mark.parametrize("args,message", [
    (dict(FilterExpression="sk = :p"),
     "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"),
    (dict(FilterExpression="pk = :p"),
     "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk"),
    (dict(Select="SPECIFIC_ATTRIBUTES"),
     "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
     "SPECIFIC_ATTRIBUTES"),
    (dict(Select="ALL_ATTRIBUTES", ProjectionExpression="v"),
     "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"),
    (dict(Select="COUNT", ProjectionExpression="v"),
     "Cannot specify the ProjectionExpression when choosing to get only the Count"),
    (dict(Select="ALL_PROJECTED_ATTRIBUTES"),
     "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"),
    (dict(Select="BAD"),
     "Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES"),
    (dict(Limit=0), "Limit must be greater than or equal to 1"),
    (dict(ExclusiveStartKey={"pk": {"S": "b"}, "sk": {"N": "2"}}),
     "The provided starting key does not match the range key predicate"),
    (dict(ExclusiveStartKey={"pk": {"S": "a"}}),
     "Exclusive Start Key must have same size as table's key schema"),
    (dict(IndexName="idx"), "The table does not have the specified index: idx"),
    (dict(ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"S": "0"}}),
     "Type mismatch for attribute to update"),
], ids=["filter-sk", "filter-pk", "specific-without-projection", "all-with-projection",
        "count-with-projection", "all-projected", "bad-select", "limit-0", "start-key-other-pk",
        "start-key-short", "no-index", "start-key-type"])
def test_query_parameter_errors(ddb, num, args, message):
    expect_validation(ddb.query, message, TableName=num, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues=A, **args)


def test_query_start_key_outside_sort_condition(ddb, num):
    expect_validation(ddb.query, "The provided starting key does not match the range key "
                      "predicate", TableName=num, KeyConditionExpression="pk = :p AND sk > :s",
                      ExpressionAttributeValues={**A, ":s": {"N": "1"}},
                      ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "0"}})


@pytest.mark.parametrize("condition,forward,start", [
    ("sk BETWEEN :lo AND :hi", True, "3"),
    ("sk <= :hi", True, "3"),
    ("sk BETWEEN :lo AND :hi", False, "1"),
    ("sk >= :lo", False, "1"),
], ids=["between-upper", "le", "between-lower-backward", "ge-backward"])
def test_query_start_key_at_inclusive_end_refused(ddb, num, condition, forward, start):
    # A start key at the end of the range, in the direction of reading, is refused (no page
    # ends there with a LastEvaluatedKey).
    values = {**A, ":lo": {"N": "1"}, ":hi": {"N": "3"}}
    used = {k: v for k, v in values.items() if k in condition or k == ":p"}
    expect_validation(ddb.query, "The provided starting key does not match the range key "
                      "predicate", TableName=num, KeyConditionExpression="pk = :p AND " + condition,
                      ExpressionAttributeValues=used, ScanIndexForward=forward,
                      ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": start}})


@pytest.mark.parametrize("condition,forward,start", [
    ("sk BETWEEN :lo AND :hi", True, "1"),
    ("sk BETWEEN :lo AND :hi", False, "3"),
    ("sk = :hi", True, "3"),
], ids=["between-lower", "between-upper-backward", "equal"])
def test_query_start_key_at_other_end_accepted(ddb, num, condition, forward, start):
    values = {**A, ":lo": {"N": "1"}, ":hi": {"N": "3"}}
    used = {k: v for k, v in values.items() if k in condition or k == ":p"}
    result = ddb.query(TableName=num, KeyConditionExpression="pk = :p AND " + condition,
                       ExpressionAttributeValues=used, ScanIndexForward=forward,
                       ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": start}})
    assert all(item["sk"]["N"] != start for item in result["Items"])


def test_query_partition_key_type_mismatch(ddb, num):
    expect_validation(ddb.query, "One or more parameter values were invalid: Condition "
                      "parameter type does not match schema type", TableName=num,
                      KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"N": "1"}})


def test_query_without_key_condition(ddb, num):
    expect_validation(ddb.query, "Either the KeyConditions or KeyConditionExpression parameter "
                      "must be specified in the request.", TableName=num)


def test_query_missing_table(ddb):
    expect_error(ddb.query, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="no-such-table-q", KeyConditionExpression="pk = :p",
                 ExpressionAttributeValues=A)


# --- Single-table design example -----------------------------------------------------------

FAILED = "The conditional request failed"


@pytest.fixture(scope="module")
def shop(module_tables, ddb):
    """Customers and their orders in one table: pk CUST#<id>, sk PROFILE or ORDER#<date>."""
    table = module_tables("hash_s_range_s")
    for customer in ("c1", "c2"):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"CUST#{customer}"},
                                            "sk": {"S": "PROFILE"},
                                            "name": {"S": customer.upper()}})
    for day in range(1, 13):
        ddb.put_item(TableName=table, Item={
            "pk": {"S": "CUST#c1"}, "sk": {"S": f"ORDER#2024-03-{day:02d}"},
            "status": {"S": "PLACED"}, "total": {"N": str(day * 5)}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "CUST#c2"}, "sk": {"S": "ORDER#2024-03-05"},
                                        "status": {"S": "PLACED"}, "total": {"N": "1"}})
    return table


def customer_query(ddb, shop, condition, values, **args):
    return query(ddb, shop, "pk = :c AND " + condition, {":c": {"S": "CUST#c1"}, **values},
                 **args)


def test_shop_orders_in_date_range(ddb, shop):
    response = customer_query(ddb, shop, "sk BETWEEN :from AND :to",
                              {":from": {"S": "ORDER#2024-03-03"},
                               ":to": {"S": "ORDER#2024-03-05"}},
                              ProjectionExpression="sk, #t",
                              ExpressionAttributeNames={"#t": "total"})
    assert response["Items"] == [{"sk": {"S": "ORDER#2024-03-03"}, "total": {"N": "15"}},
                                 {"sk": {"S": "ORDER#2024-03-04"}, "total": {"N": "20"}},
                                 {"sk": {"S": "ORDER#2024-03-05"}, "total": {"N": "25"}}]


def test_shop_all_orders_newest_first(ddb, shop):
    response = customer_query(ddb, shop, "begins_with(sk, :o)", {":o": {"S": "ORDER#"}},
                              ScanIndexForward=False, Select="COUNT")
    assert response == {"Count": 12, "ScannedCount": 12}
    response = customer_query(ddb, shop, "begins_with(sk, :o)", {":o": {"S": "ORDER#"}},
                              ScanIndexForward=False, Limit=2, ProjectionExpression="sk")
    assert sks(response, "S") == ["ORDER#2024-03-12", "ORDER#2024-03-11"]


def test_shop_profile_and_orders_together(ddb, shop):
    response = query(ddb, shop, "pk = :c", {":c": {"S": "CUST#c2"}})
    assert sks(response, "S") == ["ORDER#2024-03-05", "PROFILE"]
    assert response["Items"][1]["name"] == {"S": "C2"}


def test_shop_conditional_status_update(ddb, shop):
    key = {"pk": {"S": "CUST#c2"}, "sk": {"S": "ORDER#2024-03-05"}}
    values = {":new": {"S": "SHIPPED"}, ":expected": {"S": "PLACED"}}
    response = ddb.update_item(TableName=shop, Key=key, UpdateExpression="SET #s = :new",
                               ConditionExpression="#s = :expected",
                               ExpressionAttributeNames={"#s": "status"},
                               ExpressionAttributeValues=values, ReturnValues="UPDATED_OLD")
    assert response["Attributes"] == {"status": {"S": "PLACED"}}
    expect_error(ddb.update_item, "ConditionalCheckFailedException", FAILED, TableName=shop,
                 Key=key, UpdateExpression="SET #s = :new", ConditionExpression="#s = :expected",
                 ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues=values)
    response = query(ddb, shop, "pk = :c AND begins_with(sk, :o)",
                     {":c": {"S": "CUST#c2"}, ":o": {"S": "ORDER#"}, ":s": {"S": "SHIPPED"}},
                     FilterExpression="#s = :s", ExpressionAttributeNames={"#s": "status"})
    assert (response["Count"], response["ScannedCount"]) == (1, 1)


def test_shop_paging_loop(ddb, shop):
    seen = []
    pages = []
    args = {"Limit": 5, "ProjectionExpression": "sk"}
    while True:
        response = customer_query(ddb, shop, "begins_with(sk, :o)", {":o": {"S": "ORDER#"}},
                                  **args)
        pages.append(response["Count"])
        seen += sks(response, "S")
        if "LastEvaluatedKey" not in response:
            break
        assert response["LastEvaluatedKey"] == {"pk": {"S": "CUST#c1"}, "sk": {"S": seen[-1]}}
        args["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    assert pages == [5, 5, 2]
    assert seen == [f"ORDER#2024-03-{day:02d}" for day in range(1, 13)]


@pytest.mark.parametrize("table_kind,condition,select,message", [
    ("hash", "pk = :p AND l.x = :p", None,
     "KeyConditionExpressions cannot have conditions on nested attributes"),
    ("range", "pk = :p AND l[1] = :p", None,
     "KeyConditionExpressions cannot have conditions on nested attributes"),
    ("range", "pk = :p AND a = :p", "ALL_PROJECTED_ATTRIBUTES",
     "Query condition missed key schema element"),
], ids=["nested-on-hash-only", "nested-non-key", "key-condition-before-select"])
def test_key_condition_errors_in_order(ddb, num, module_tables, table_kind, condition, select,
                                       message):
    table = module_tables("hash_s") if table_kind == "hash" else num
    args = {"Select": select} if select else {}
    expect_validation(ddb.query, message, TableName=table, KeyConditionExpression=condition,
                      ExpressionAttributeValues=A, **args)


def test_legacy_key_conditions_on_hash_only_key_take_one(ddb, module_tables):
    expect_validation(ddb.query, "Query key condition not supported",
                      TableName=module_tables("hash_s"),
                      KeyConditions={"x": {"ComparisonOperator": "EQ",
                                           "AttributeValueList": [{"S": "a"}]},
                                     "y": {"ComparisonOperator": "GE",
                                           "AttributeValueList": [{"N": "1"}]}})
