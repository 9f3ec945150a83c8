"""Scan: paging, Select, parallel segments, the 1 MB page limit, consumed capacity.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
  1. a page ends after Limit items, or once the items read reach 1 MB (1,048,576 bytes): the item
     that reaches the limit is included;
  2. LastEvaluatedKey is returned when Limit ends a page, even if no items are left;
  3. a scan is charged for the total size of the items read, rounded up to 4 KB, at 0.5 units
     per 4 KB (1 unit when ConsistentRead); a scan that reads nothing costs 0;
  4. Segment and TotalSegments go together; 0 <= Segment < TotalSegments <= 1,000,000.
The order in which a scan returns items is unspecified and is not tested.
"""

import pytest

from expect import expect_validation

PAGE_LIMIT_BYTES = 1024 * 1024


def fill(ddb, table, count, make_key=lambda i: {"pk": {"S": "k%04d" % i}}, size=None):
    """Writes `count` items; with `size`, each item is exactly `size` bytes."""
    keys = []
    for i in range(count):
        item = dict(make_key(i))
        if size is not None:
            key_bytes = sum(len(name) + len(value["S"]) for name, value in item.items())
            item["d"] = {"S": "x" * (size - key_bytes - 1)}
        else:
            item["v"] = {"N": str(i)}
        ddb.put_item(TableName=table, Item=item)
        keys.append(make_key(i))
    return keys


def scan_pages(ddb, table, **args):
    """Runs a scan to the end; returns the list of responses (ResponseMetadata removed)."""
    pages = []
    while True:
        response = ddb.scan(TableName=table, **args)
        response.pop("ResponseMetadata")
        pages.append(response)
        if "LastEvaluatedKey" not in response:
            return pages
        args["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def key_of(item, names=("pk",)):
    return tuple(sorted((name, str(item[name])) for name in names))


@pytest.fixture(scope="module")
def filled(module_tables, ddb):
    """A module-wide table with 25 small items k0000..k0024."""
    table = module_tables("hash_s")
    fill(ddb, table, 25)
    return table


# --- Basics --------------------------------------------------------------------------------

def test_scan_empty_table(ddb, table):
    response = ddb.scan(TableName=table)
    response.pop("ResponseMetadata")
    assert response == {"Items": [], "Count": 0, "ScannedCount": 0}


def test_scan_returns_every_item(ddb, filled):
    response = ddb.scan(TableName=filled)
    assert (response["Count"], response["ScannedCount"]) == (25, 25)
    assert "LastEvaluatedKey" not in response
    assert sorted(item["pk"]["S"] for item in response["Items"]) == \
        ["k%04d" % i for i in range(25)]
    assert all(item["v"]["N"] == str(int(item["pk"]["S"][1:])) for item in response["Items"])


def test_scan_select_all_attributes(ddb, filled):
    response = ddb.scan(TableName=filled, Select="ALL_ATTRIBUTES", Limit=1)
    assert set(response["Items"][0]) == {"pk", "v"}


def test_scan_select_count(ddb, filled):
    response = ddb.scan(TableName=filled, Select="COUNT")
    response.pop("ResponseMetadata")
    assert response == {"Count": 25, "ScannedCount": 25}


def test_scan_select_count_with_limit(ddb, filled):
    response = ddb.scan(TableName=filled, Select="COUNT", Limit=3)
    assert (response["Count"], response["ScannedCount"]) == (3, 3)
    assert "Items" not in response
    assert set(response["LastEvaluatedKey"]) == {"pk"}


@pytest.mark.parametrize("select,message", [
    ("SPECIFIC_ATTRIBUTES", "Must specify the AttributesToGet or ProjectionExpression when "
                            "choosing to get SPECIFIC_ATTRIBUTES"),
    ("ALL_PROJECTED_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES can be used only when Querying "
                                 "using an IndexName"),
    ("FOO", "Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or "
            "SPECIFIC_ATTRIBUTES"),
])
def test_scan_invalid_select(ddb, filled, select, message):
    expect_validation(ddb.scan, message, TableName=filled, Select=select)


# --- Limit and paging ----------------------------------------------------------------------

@pytest.mark.parametrize("limit", [1, 7, 10, 24])
def test_scan_paging_covers_everything_once(ddb, filled, limit):
    pages = scan_pages(ddb, filled, Limit=limit)
    seen = [item["pk"]["S"] for page in pages for item in page["Items"]]
    assert sorted(seen) == ["k%04d" % i for i in range(25)]
    assert [page["Count"] for page in pages[:-1]] == [limit] * (len(pages) - 1)
    for page in pages:
        assert page["ScannedCount"] == page["Count"] == len(page["Items"])
        if "LastEvaluatedKey" in page:
            assert page["LastEvaluatedKey"] == {"pk": page["Items"][-1]["pk"]}


def test_scan_limit_equal_to_item_count_returns_last_key(ddb, filled):
    response = ddb.scan(TableName=filled, Limit=25)
    assert response["Count"] == 25
    assert "LastEvaluatedKey" in response
    rest = ddb.scan(TableName=filled, ExclusiveStartKey=response["LastEvaluatedKey"])
    assert (rest["Count"], rest["Items"]) == (0, [])
    assert "LastEvaluatedKey" not in rest


def test_scan_limit_above_item_count(ddb, filled):
    response = ddb.scan(TableName=filled, Limit=26)
    assert response["Count"] == 25
    assert "LastEvaluatedKey" not in response


def test_scan_paging_composite_key(ddb, table_factory):
    table = table_factory(range_key=("sk", "N"))
    fill(ddb, table, 30, make_key=lambda i: {"pk": {"S": "p%d" % (i % 4)}, "sk": {"N": str(i)}})
    pages = scan_pages(ddb, table, Limit=4)
    seen = sorted(int(item["sk"]["N"]) for page in pages for item in page["Items"])
    assert seen == list(range(30))
    for page in pages:
        if "LastEvaluatedKey" in page:
            last = page["Items"][-1]
            assert page["LastEvaluatedKey"] == {"pk": last["pk"], "sk": last["sk"]}


def test_scan_start_key_need_not_exist(ddb, filled):
    # A key that is not in the table still marks a position; the scan goes on from there.
    pages = scan_pages(ddb, filled, ExclusiveStartKey={"pk": {"S": "zz-not-there"}})
    assert sum(page["Count"] for page in pages) <= 25


@pytest.mark.parametrize("limit", [0, -1])
def test_scan_limit_bounds(ddb, filled, limit):
    expect_validation(ddb.scan, "Limit must be greater than or equal to 1", TableName=filled,
                      Limit=limit)


@pytest.mark.parametrize("start_key", [{"x": {"S": "1"}}, {}], ids=["wrong-name", "empty"])
def test_scan_invalid_start_key(ddb, filled, start_key):
    expect_validation(ddb.scan, "The provided starting key is invalid", TableName=filled,
                      ExclusiveStartKey=start_key)


def test_scan_start_key_wrong_type(ddb, filled):
    expect_validation(ddb.scan, TableName=filled, ExclusiveStartKey={"pk": {"N": "1"}})


@pytest.mark.parametrize("start_key", [
    {"pk": {"S": "a"}},
    {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "1"}},
], ids=["missing-range", "extra-attribute"])
def test_scan_start_key_wrong_size(ddb, module_tables, start_key):
    expect_validation(ddb.scan, "Exclusive Start Key must have same size as table's key schema",
                      TableName=module_tables("hash_s_range_n"), ExclusiveStartKey=start_key)


# --- Parallel scan -------------------------------------------------------------------------

@pytest.mark.parametrize("total_segments", [1, 2, 4, 7])
def test_parallel_scan_covers_every_item_once(ddb, table_factory, total_segments):
    table = table_factory(range_key=("sk", "N"))
    fill(ddb, table, 120, make_key=lambda i: {"pk": {"S": "p%d" % (i % 17)},
                                              "sk": {"N": str(i)}})
    seen = []
    for segment in range(total_segments):
        pages = scan_pages(ddb, table, Segment=segment, TotalSegments=total_segments, Limit=9)
        seen += [int(item["sk"]["N"]) for page in pages for item in page["Items"]]
    assert sorted(seen) == list(range(120))


def test_parallel_scan_segments_agree_with_page_boundaries(ddb, filled):
    # Scanning a segment page by page gives the same items as scanning it at once.
    for segment in range(3):
        whole = ddb.scan(TableName=filled, Segment=segment, TotalSegments=3)["Items"]
        paged = [item for page in scan_pages(ddb, filled, Segment=segment, TotalSegments=3,
                                             Limit=2) for item in page["Items"]]
        assert sorted(i["pk"]["S"] for i in whole) == sorted(i["pk"]["S"] for i in paged)


def test_parallel_scan_more_segments_than_items(ddb, filled):
    seen = []
    for segment in range(64):
        response = ddb.scan(TableName=filled, Segment=segment, TotalSegments=64)
        seen += [item["pk"]["S"] for item in response["Items"]]
        assert response["Count"] == len(response["Items"])
    assert sorted(seen) == ["k%04d" % i for i in range(25)]


def test_parallel_scan_maximum_segments(ddb, filled):
    for segment in (0, 999999):
        response = ddb.scan(TableName=filled, Segment=segment, TotalSegments=1000000)
        assert response["Count"] == len(response["Items"])


def test_parallel_scan_select_count(ddb, filled):
    total = sum(ddb.scan(TableName=filled, Segment=s, TotalSegments=4, Select="COUNT")["Count"]
                for s in range(4))
    assert total == 25


@pytest.mark.parametrize("args,message", [
    (dict(Segment=0), "If segment is specified, total segment must also be specified"),
    (dict(Segment=-1), "If segment is specified, total segment must also be specified"),
    (dict(TotalSegments=2), "If total segments is specified, a particular segment must also be "
                            "specified for this request"),
    (dict(TotalSegments=1000001), "If total segments is specified, a particular segment must "
                                  "also be specified for this request"),
    (dict(Segment=2, TotalSegments=2), "1 validation error detected: Value '2' at 'segment' "
                                       "failed to satisfy constraint: Member must have value "
                                       "less than or equal to 1"),
    (dict(Segment=5, TotalSegments=3), "1 validation error detected: Value '5' at 'segment' "
                                       "failed to satisfy constraint: Member must have value "
                                       "less than or equal to 2"),
    (dict(Segment=1, TotalSegments=1), "1 validation error detected: Value '1' at 'segment' "
                                       "failed to satisfy constraint: Member must have value "
                                       "less than or equal to 0"),
    (dict(Segment=1000000, TotalSegments=1000000),
     "1 validation error detected: Value '1000000' at 'segment' failed to satisfy constraint: "
     "Member must have value less than or equal to 999999"),
    (dict(Segment=0, TotalSegments=1000001),
     "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy "
     "constraint: Member must have value less than or equal to 1000000"),
], ids=["segment-alone", "negative-segment-alone", "total-alone", "total-too-big-alone",
        "segment-equals-total", "segment-above-total", "segment-1-of-1", "segment-1000000",
        "total-1000001"])
def test_parallel_scan_parameter_errors(ddb, filled, args, message):
    expect_validation(ddb.scan, message, TableName=filled, **args)


@pytest.mark.parametrize("args", [dict(Segment=-1, TotalSegments=2),
                                  dict(Segment=0, TotalSegments=0),
                                  dict(Segment=0, TotalSegments=-1)],
                         ids=["negative-segment", "zero-total", "negative-total"])
def test_parallel_scan_out_of_range(ddb, filled, args):
    expect_validation(ddb.scan, contains="1 validation error detected", TableName=filled,
                      **args)


# --- 1 MB pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("item_bytes,count,page_counts,page_units", [
    # 10 items are 1,000,000 bytes; the 11th crosses 1 MB and ends the page.
    (100000, 25, [11, 11, 3], [134.5, 134.5, 37.0]),
    # 16 items are exactly 1 MB: the page ends with the 16th.
    (65536, 20, [16, 4], [128.0, 32.0]),
    # 16 items are 16 bytes short of 1 MB: the 17th is included.
    (65535, 20, [17, 3], [136.0, 24.0]),
    (300000, 8, [4, 4], [146.5, 146.5]),
], ids=["100000", "65536", "65535", "300000"])
def test_scan_page_ends_at_1mb(ddb, table, item_bytes, count, page_counts, page_units):
    fill(ddb, table, count, size=item_bytes)
    pages = scan_pages(ddb, table, ReturnConsumedCapacity="TOTAL")
    assert [page["Count"] for page in pages] == page_counts
    assert [page["ScannedCount"] for page in pages] == page_counts
    assert [page["ConsumedCapacity"]["CapacityUnits"] for page in pages] == page_units
    assert sum(page_counts) == count


def test_scan_count_page_ends_at_1mb(ddb, table):
    fill(ddb, table, 13, size=100000)
    response = ddb.scan(TableName=table, Select="COUNT", ReturnConsumedCapacity="TOTAL")
    assert (response["Count"], response["ScannedCount"]) == (11, 11)
    assert "LastEvaluatedKey" in response
    assert response["ConsumedCapacity"]["CapacityUnits"] == 134.5


def test_scan_limit_ends_page_before_1mb(ddb, table):
    fill(ddb, table, 15, size=100000)
    response = ddb.scan(TableName=table, Limit=5, ReturnConsumedCapacity="TOTAL")
    assert response["Count"] == 5
    assert response["ConsumedCapacity"]["CapacityUnits"] == 61.5   # ceil(500000 / 4096) / 2


# --- Capacity ------------------------------------------------------------------------------

def test_scan_capacity_small_items(ddb, filled):
    eventual = ddb.scan(TableName=filled, ReturnConsumedCapacity="TOTAL")
    assert eventual["ConsumedCapacity"] == {"TableName": filled, "CapacityUnits": 0.5}
    strong = ddb.scan(TableName=filled, ConsistentRead=True, Limit=3,
                      ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"] == {"TableName": filled, "CapacityUnits": 1.0}
    count = ddb.scan(TableName=filled, Select="COUNT", ReturnConsumedCapacity="INDEXES")
    assert count["ConsumedCapacity"] == {"TableName": filled, "CapacityUnits": 0.5,
                                         "Table": {"CapacityUnits": 0.5}}


def test_scan_capacity_sums_item_sizes(ddb, table):
    fill(ddb, table, 10, size=3000)      # 30,000 bytes: 8 blocks of 4 KB
    eventual = ddb.scan(TableName=table, ReturnConsumedCapacity="TOTAL")
    assert eventual["ConsumedCapacity"]["CapacityUnits"] == 4.0
    strong = ddb.scan(TableName=table, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 8.0


def test_scan_capacity_empty_table(ddb, table):
    # No bytes read: no 4 KB block to charge (unlike GetItem, which has a minimum).
    response = ddb.scan(TableName=table, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.0}
