"""ProjectionExpression on GetItem and Scan, FilterExpression on Scan.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.FilterExpression
  1. a projection keeps only the named paths; nested map paths keep their enclosing maps, list
     elements keep their original order, compacted; paths that are absent are left out;
  2. a filter is applied after the read: Count counts the items that pass, ScannedCount those
     read, and capacity is charged for everything read;
  3. unlike Query, a Scan filter may use key attributes.
The order in which a scan returns items is unspecified, so results are sorted before comparing.
"""

import pytest

from expect import expect_validation

DOC = {"pk": {"S": "doc"},
       "m": {"M": {"x": {"N": "1"}, "y": {"M": {"z": {"S": "deep"}}}}},
       "l": {"L": [{"N": "0"}, {"M": {"q": {"N": "1"}}}, {"N": "2"}]},
       "s": {"S": "str"}, "n": {"N": "3"}}
N_ROWS = 10


@pytest.fixture(scope="module")
def tbl(module_tables, ddb):
    """DOC plus rows r0..r9 with v = i and t = even/odd."""
    table = module_tables("hash_s")
    ddb.put_item(TableName=table, Item=DOC)
    for i in range(N_ROWS):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"r{i}"}, "v": {"N": str(i)},
                                            "t": {"S": "even" if i % 2 == 0 else "odd"}})
    return table


def get(ddb, tbl, projection, names=None, pk="doc", **args):
    if names is not None:
        args["ExpressionAttributeNames"] = names
    response = ddb.get_item(TableName=tbl, Key={"pk": {"S": pk}}, ProjectionExpression=projection,
                            **args)
    response.pop("ResponseMetadata")
    return response


def scan(ddb, tbl, **args):
    response = ddb.scan(TableName=tbl, **args)
    response.pop("ResponseMetadata")
    if "Items" in response:
        response["Items"].sort(key=lambda item: sorted((k, str(v)) for k, v in item.items()))
    return response


# --- GetItem projection --------------------------------------------------------------------

@pytest.mark.parametrize("projection,expected", [
    ("s", {"s": {"S": "str"}}),
    (" pk ", {"pk": {"S": "doc"}}),
    ("s, n, pk", {"s": {"S": "str"}, "n": {"N": "3"}, "pk": {"S": "doc"}}),
    ("m.x, l[1].q, l[2]", {"m": {"M": {"x": {"N": "1"}}},
                           "l": {"L": [{"M": {"q": {"N": "1"}}}, {"N": "2"}]}}),
    ("m.y.z, s", {"m": {"M": {"y": {"M": {"z": {"S": "deep"}}}}}, "s": {"S": "str"}}),
    ("l[2], l[0]", {"l": {"L": [{"N": "0"}, {"N": "2"}]}}),
    ("m", {"m": DOC["m"]}),
    ("s, absent", {"s": {"S": "str"}}),
], ids=["one", "spaces", "several", "nested", "deep", "list-order", "whole-map", "absent"])
def test_get_projection(ddb, tbl, projection, expected):
    assert get(ddb, tbl, projection) == {"Item": expected}


@pytest.mark.parametrize("projection", ["absent", "absent, m.nope, l[9]", "m.x[0]", "s[0]",
                                        "s.x"])
def test_get_projection_matching_nothing_returns_empty_item(ddb, tbl, projection):
    assert get(ddb, tbl, projection) == {"Item": {}}


def test_get_projection_of_missing_item(ddb, tbl):
    assert get(ddb, tbl, "s", pk="nobody") == {}


def test_get_projection_with_names(ddb, tbl):
    assert get(ddb, tbl, "#m.#x, #n", {"#m": "m", "#x": "x", "#n": "n"}) == {
        "Item": {"m": {"M": {"x": {"N": "1"}}}, "n": {"N": "3"}}}


def test_get_projection_name_with_dot_is_one_attribute(ddb, tbl):
    assert get(ddb, tbl, "#mx", {"#mx": "m.x"}) == {"Item": {}}


def test_get_projection_consumed_capacity(ddb, tbl):
    response = get(ddb, tbl, "s", ReturnConsumedCapacity="TOTAL")
    assert response == {"Item": {"s": {"S": "str"}},
                        "ConsumedCapacity": {"TableName": tbl, "CapacityUnits": 0.5}}


@pytest.mark.parametrize("projection,names,message", [
    ("m.x, m", None,
     "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [m, x], path two: [m]"),
    ("l[0], l[0].a", None,
     "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [l, [0]], path two: [l, [0], a]"),
    ("s, s", None,
     "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [s], path two: [s]"),
    ("#a", {"#a": "s", "#b": "x"},
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"),
    ("#c", None,
     "Invalid ProjectionExpression: An expression attribute name used in the document path is "
     "not defined; attribute name: #c"),
    ("name", None,
     "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
     "name"),
    ("s,", None, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'),
    ("l[-1]", None, 'Invalid ProjectionExpression: Syntax error; token: "-", near: "[-1"'),
    ("", None, "Invalid ProjectionExpression: The expression can not be empty;"),
], ids=["overlap-map", "overlap-list", "duplicate", "unused-name", "undefined-name", "reserved",
        "trailing-comma", "negative-index", "empty"])
def test_get_projection_errors(ddb, tbl, projection, names, message):
    args = {"ExpressionAttributeNames": names} if names else {}
    expect_validation(ddb.get_item, message, TableName=tbl, Key={"pk": {"S": "doc"}},
                      ProjectionExpression=projection, **args)


def test_get_names_without_projection(ddb, tbl):
    expect_validation(ddb.get_item, "ExpressionAttributeNames can only be specified when using "
                      "expressions", TableName=tbl, Key={"pk": {"S": "doc"}},
                      ExpressionAttributeNames={"#a": "s"})


# --- Scan filter and projection ------------------------------------------------------------

def test_scan_filter_and_projection(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="v >= :a", ProjectionExpression="pk, v",
                    ExpressionAttributeValues={":a": {"N": "8"}})
    assert response == {"Items": [{"pk": {"S": "r8"}, "v": {"N": "8"}},
                                  {"pk": {"S": "r9"}, "v": {"N": "9"}}],
                        "Count": 2, "ScannedCount": N_ROWS + 1}


def test_scan_filter_on_key_attribute(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="pk = :a",
                    ExpressionAttributeValues={":a": {"S": "r3"}})
    assert response == {"Items": [{"pk": {"S": "r3"}, "v": {"N": "3"}, "t": {"S": "odd"}}],
                        "Count": 1, "ScannedCount": N_ROWS + 1}


def test_scan_filter_select_count(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="begins_with(pk, :a)", Select="COUNT",
                    ExpressionAttributeValues={":a": {"S": "r"}})
    assert response == {"Count": N_ROWS, "ScannedCount": N_ROWS + 1}


def test_scan_filter_size_of_number_is_false(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="size(v) > :a", Select="COUNT",
                    ExpressionAttributeValues={":a": {"N": "0"}})
    assert response == {"Count": 0, "ScannedCount": N_ROWS + 1}


def test_scan_filter_nested_projection(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="attribute_exists(m)", ProjectionExpression="m.y")
    assert response == {"Items": [{"m": {"M": {"y": {"M": {"z": {"S": "deep"}}}}}}],
                        "Count": 1, "ScannedCount": N_ROWS + 1}


def test_scan_filter_or_in_with_missing_path(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="a.b.c = :a OR v IN (:a, :b)",
                    ExpressionAttributeValues={":a": {"N": "1"}, ":b": {"N": "7"}},
                    ProjectionExpression="v")
    assert response == {"Items": [{"v": {"N": "1"}}, {"v": {"N": "7"}}], "Count": 2,
                        "ScannedCount": N_ROWS + 1}


def test_scan_filter_specific_attributes(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="t = :e", Select="SPECIFIC_ATTRIBUTES",
                    ProjectionExpression="v", ExpressionAttributeValues={":e": {"S": "even"}})
    assert sorted(item["v"]["N"] for item in response["Items"]) == ["0", "2", "4", "6", "8"]
    assert (response["Count"], response["ScannedCount"]) == (5, N_ROWS + 1)


def test_scan_filter_paging_counts(ddb, tbl):
    """Limit caps the items read; pages may come back empty but still carry a key."""
    args = dict(FilterExpression="t = :o", ExpressionAttributeValues={":o": {"S": "odd"}},
                Limit=3)
    found, scanned, pages = [], 0, 0
    while True:
        response = scan(ddb, tbl, **args)
        pages += 1
        assert response["ScannedCount"] <= 3
        assert response["Count"] == len(response["Items"])
        found += [item["pk"]["S"] for item in response["Items"]]
        scanned += response["ScannedCount"]
        if "LastEvaluatedKey" not in response:
            break
        args["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    assert sorted(found) == ["r1", "r3", "r5", "r7", "r9"]
    assert scanned == N_ROWS + 1
    assert pages == 4  # 11 items in pages of 3: the fourth page holds 2 and has no key


def test_scan_filter_consumed_capacity(ddb, tbl):
    response = scan(ddb, tbl, FilterExpression="v >= :a", Select="COUNT",
                    ExpressionAttributeValues={":a": {"N": "8"}}, ReturnConsumedCapacity="TOTAL")
    assert response == {"Count": 2, "ScannedCount": N_ROWS + 1,
                        "ConsumedCapacity": {"TableName": tbl, "CapacityUnits": 0.5}}


@pytest.mark.parametrize("args,message", [
    (dict(FilterExpression="v >= :a"),
     "Invalid FilterExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :a"),
    (dict(FilterExpression="v >= :a",
          ExpressionAttributeValues={":a": {"N": "8"}, ":b": {"N": "1"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}"),
    (dict(ExpressionAttributeValues={":a": {"N": "8"}}),
     "ExpressionAttributeValues can only be specified when using expressions: FilterExpression "
     "is null"),
    (dict(FilterExpression="", ExpressionAttributeValues={":a": {"N": "8"}}),
     "ExpressionAttributeValues can only be specified when using expressions: FilterExpression "
     "is null"),
    (dict(FilterExpression="v"),
     'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "v"'),
    (dict(FilterExpression="v = :a", ExpressionAttributeValues={":a": {"SS": []}}),
     "ExpressionAttributeValues contains invalid value: One or more parameter values were "
     "invalid: An string set  may not be empty for key :a"),
    (dict(ProjectionExpression="v", Select="COUNT"),
     "Cannot specify the ProjectionExpression when choosing to get only the Count"),
    (dict(ProjectionExpression="v", Select="ALL_ATTRIBUTES"),
     "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"),
    (dict(Select="SPECIFIC_ATTRIBUTES"),
     "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
     "SPECIFIC_ATTRIBUTES"),
    (dict(ProjectionExpression="v, #x", ExpressionAttributeNames={"#x": "x", "#y": "y"}),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#y}"),
], ids=["undefined-value", "unused-value", "values-without-filter", "empty-filter", "syntax",
        "empty-set", "count-with-projection", "all-with-projection", "specific-without",
        "unused-name"])
def test_scan_filter_errors(ddb, tbl, args, message):
    expect_validation(ddb.scan, message, TableName=tbl, **args)
