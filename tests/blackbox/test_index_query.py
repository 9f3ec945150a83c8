"""Query and Scan on secondary indexes (IndexName): projections, Select, ConsistentRead, key
conditions, order, paging and sparse indexes (multi-attribute GSI keys:
test_index_multi_attribute.py).

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html
  1. an index holds only the items that have all its key attributes (sparse); an index item has
     the table key, the index key and the projected attributes (KEYS_ONLY, INCLUDE, ALL);
  2. Select defaults to ALL_PROJECTED_ATTRIBUTES on an index; ALL_ATTRIBUTES needs an ALL
     projection on a GSI, while an LSI fetches the missing attributes from the table; a GSI
     ProjectionExpression or any FilterExpression of a Query may name only projected attributes,
     and a FilterExpression may not name the index's own key attributes;
  3. ConsistentRead=true is refused on a GSI and allowed on an LSI;
  4. the key condition names the index keys (a table key attribute that is not an index key is
     "missed"); items come in index sort key order, reversed by ScanIndexForward=false; items
     with equal index keys come in one fixed order, the same on every call and page;
  5. LastEvaluatedKey of an index holds the table key and the index key; ExclusiveStartKey must
     hold exactly those;
Errors are DynamoDB Local's, verbatim; where DynamoDB Local departs from the documentation the
test is dunlin_only and follows the documentation.
"""

import pytest

from conftest import TableFactory
from expect import TABLE_NOT_FOUND, expect_error, expect_validation

SELECT_ALL_ON_GSI = ("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                     "supported for global secondary index {} because its projection type is not "
                     "ALL")
NOT_PROJECTED = ("One or more parameter values were invalid: Global secondary index {} does not "
                 "project [{}]")
FILTER_NOT_PROJECTED = ("One or more parameter values were invalid: Secondary index {} does not "
                        "project one or more filter attributes: [{}]")
FILTER_ON_KEY = ("Filter Expression can only contain non-primary key attributes: Primary key "
                 "attribute: {}")
CONSISTENT_ON_GSI = "Consistent reads are not supported on global secondary indexes"
NO_SUCH_INDEX = "The table does not have the specified index: {}"
MISSED_KEY = "Query condition missed key schema element"
KEY_CONDITION_NOT_SUPPORTED = "Query key condition not supported"
CONDITION_TYPE = ("One or more parameter values were invalid: Condition parameter type does not "
                  "match schema type")
INVALID_START_KEY = "The provided starting key is invalid"
START_KEY_SIZE = "Exclusive Start Key must have same size as table's key schema"
START_KEY_TYPE = "Type mismatch for attribute to update"
START_KEY_PREDICATE = "The provided starting key does not match the range key predicate"
EMPTY_INDEX_KEY = ("A value specified for a secondary index key is not supported. The "
                   "AttributeValue for a key attribute cannot contain an empty string value. "
                   "IndexName: {}, IndexKey: {}")

# The catalog table: pk (S) + sk (N); GSIs on g + gs, an LSI sort key l.
GSI_KEYS = ("g_keys", "g_incl", "g_all")
LSI_KEYS = ("l_keys", "l_incl", "l_all")
PROJECTED = {"g_keys": {"pk", "sk", "g", "gs"}, "g_incl": {"pk", "sk", "g", "gs", "a"},
             "g_all": None, "g_hash": {"pk", "sk", "g"}, "l_keys": {"pk", "sk", "l"},
             "l_incl": {"pk", "sk", "l", "a"}, "l_all": None}
G = {":g": {"S": "G"}}
P = {":p": {"S": "p"}}


def definitions(*pairs):
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in pairs]


def key(*names, kinds=None):
    kinds = kinds or ["HASH"] + ["RANGE"] * (len(names) - 1)
    return [{"AttributeName": name, "KeyType": kind} for name, kind in zip(names, kinds)]


def index(name, key_schema, projection_type="ALL", non_key=None):
    projection = {"ProjectionType": projection_type}
    if non_key:
        projection["NonKeyAttributes"] = non_key
    return {"IndexName": name, "KeySchema": key_schema, "Projection": projection}


def catalog_item(i):
    """Item i of partition p: gs = 10 - i and l = L<3-i>, so index order is i = 3, 2, 1, 0."""
    return {"pk": {"S": "p"}, "sk": {"N": str(i)}, "g": {"S": "G"}, "gs": {"N": str(10 - i)},
            "l": {"S": f"L{3 - i}"}, "a": {"S": f"a{i}"}, "b": {"S": f"b{i}"}}


UNINDEXED = {"pk": {"S": "p"}, "sk": {"N": "9"}, "a": {"S": "a9"}, "b": {"S": "b9"}}
OTHER = {"pk": {"S": "q"}, "sk": {"N": "0"}, "g": {"S": "H"}, "gs": {"N": "1"},
         "l": {"S": "L0"}, "a": {"S": "aq"}}


def project(item, index_name):
    names = PROJECTED[index_name]
    return dict(item) if names is None else {k: v for k, v in item.items() if k in names}


@pytest.fixture(scope="module")
def catalog(ddb, raw):
    """Items 0..3 of partition p in every index, p/9 in none, q/0 under g = H."""
    factory = TableFactory(ddb, raw)
    name = factory(
        range_key=("sk", "N"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "N"), ("g", "S"), ("gs", "N"),
                                         ("l", "S")),
        GlobalSecondaryIndexes=[index("g_keys", key("g", "gs"), "KEYS_ONLY"),
                                index("g_incl", key("g", "gs"), "INCLUDE", ["a"]),
                                index("g_all", key("g", "gs")),
                                index("g_hash", key("g"), "KEYS_ONLY")],
        LocalSecondaryIndexes=[index("l_keys", key("pk", "l"), "KEYS_ONLY"),
                               index("l_incl", key("pk", "l"), "INCLUDE", ["a"]),
                               index("l_all", key("pk", "l"))])
    for item in [catalog_item(i) for i in range(4)] + [UNINDEXED, OTHER]:
        ddb.put_item(TableName=name, Item=item)
    yield name
    factory.cleanup()


def query(ddb, table, index_name, condition=None, values=None, **args):
    """Query on an index; the condition defaults to the index's partition key = its p/G value
    (values then default to that placeholder's)."""
    if condition is None:
        condition, default = ("pk = :p", P) if index_name.startswith("l_") else ("g = :g", G)
        values = {**default, **(values or {})}
    if values is not None:
        args["ExpressionAttributeValues"] = values
    response = ddb.query(TableName=table, IndexName=index_name, KeyConditionExpression=condition,
                         **args)
    response.pop("ResponseMetadata")
    return response


def sks(response):
    return [int(item["sk"]["N"]) for item in response["Items"]]


def used_values(*expressions):
    """The subset of G and P whose placeholders the expressions use."""
    text = " ".join(expressions)
    return {k: v for k, v in {**G, **P}.items() if k in text}


# --- Projections and Select ----------------------------------------------------------------

@pytest.mark.parametrize("index_name", GSI_KEYS + LSI_KEYS)
def test_index_items_hold_the_projection(ddb, catalog, index_name):
    response = query(ddb, catalog, index_name)
    assert response["Items"] == [project(catalog_item(i), index_name) for i in (3, 2, 1, 0)]
    assert (response["Count"], response["ScannedCount"]) == (4, 4)
    assert "LastEvaluatedKey" not in response


def test_hash_only_gsi_items(ddb, catalog):
    response = query(ddb, catalog, "g_hash")
    assert sorted(response["Items"], key=lambda item: item["sk"]["N"]) == [
        project(catalog_item(i), "g_hash") for i in range(4)]


@pytest.mark.parametrize("index_name", ["g_keys", "g_incl"])
def test_all_attributes_needs_all_projection_on_gsi(ddb, catalog, index_name):
    expect_validation(ddb.query, SELECT_ALL_ON_GSI.format(index_name), TableName=catalog,
                      IndexName=index_name, KeyConditionExpression="g = :g",
                      ExpressionAttributeValues=G, Select="ALL_ATTRIBUTES")
    expect_validation(ddb.scan, SELECT_ALL_ON_GSI.format(index_name), TableName=catalog,
                      IndexName=index_name, Select="ALL_ATTRIBUTES")


@pytest.mark.parametrize("index_name", ["g_all", "l_keys", "l_incl", "l_all"])
def test_all_attributes_returns_whole_items(ddb, catalog, index_name):
    """LSI.html: attributes not projected into an LSI are fetched from the table."""
    response = query(ddb, catalog, index_name, Select="ALL_ATTRIBUTES")
    assert response["Items"] == [catalog_item(i) for i in (3, 2, 1, 0)]


@pytest.mark.parametrize("index_name", GSI_KEYS + LSI_KEYS + ("g_hash",))
def test_all_projected_attributes_is_the_default(ddb, catalog, index_name):
    default = query(ddb, catalog, index_name)
    explicit = query(ddb, catalog, index_name, Select="ALL_PROJECTED_ATTRIBUTES")
    assert explicit == default
    scanned = ddb.scan(TableName=catalog, IndexName=index_name, Select="ALL_PROJECTED_ATTRIBUTES")
    assert all(set(item) == (PROJECTED[index_name] or set(item)) for item in scanned["Items"])


def test_all_projected_attributes_refuses_a_projection(ddb, catalog):
    message = "Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES"
    expect_validation(ddb.query, message, TableName=catalog, IndexName="g_keys",
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                      Select="ALL_PROJECTED_ATTRIBUTES", ProjectionExpression="pk")
    expect_validation(ddb.scan, message, TableName=catalog, IndexName="g_keys",
                      Select="ALL_PROJECTED_ATTRIBUTES", ProjectionExpression="pk")
    # Without IndexName the projection is refused first, too.
    expect_validation(ddb.scan, message, TableName=catalog, Select="ALL_PROJECTED_ATTRIBUTES",
                      ProjectionExpression="pk")


@pytest.mark.parametrize("index_name", GSI_KEYS + LSI_KEYS)
def test_count_on_index(ddb, catalog, index_name):
    response = query(ddb, catalog, index_name, Select="COUNT")
    assert response == {"Count": 4, "ScannedCount": 4}


@pytest.mark.parametrize("index_name,projection,names", [
    ("g_keys", "b", "b"),
    ("g_keys", "d, b, c", "b, c, d"),
    ("g_keys", "b.x, a[1], pk", "a, b"),
    ("g_incl", "b, a", "b"),
    ("g_keys", "#n", "b"),
], ids=["one", "sorted", "paths", "include", "name-placeholder"])
def test_gsi_projection_expression_must_name_projected_attributes(ddb, catalog, index_name,
                                                                  projection, names):
    names_arg = {"ExpressionAttributeNames": {"#n": "b"}} if "#n" in projection else {}
    message = NOT_PROJECTED.format(index_name, names)
    expect_validation(ddb.query, message, TableName=catalog, IndexName=index_name,
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                      ProjectionExpression=projection, **names_arg)
    expect_validation(ddb.query, message, TableName=catalog, IndexName=index_name,
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                      ProjectionExpression=projection, Select="SPECIFIC_ATTRIBUTES", **names_arg)
    expect_validation(ddb.scan, message, TableName=catalog, IndexName=index_name,
                      ProjectionExpression=projection, **names_arg)


def test_gsi_projection_expression_of_projected_attributes(ddb, catalog):
    assert query(ddb, catalog, "g_incl", ProjectionExpression="a", Limit=1)["Items"] == [
        {"a": {"S": "a3"}}]
    assert query(ddb, catalog, "g_keys", ProjectionExpression="pk, gs", Limit=1)["Items"] == [
        {"pk": {"S": "p"}, "gs": {"N": "7"}}]


@pytest.mark.parametrize("index_name", LSI_KEYS)
def test_lsi_projection_expression_fetches_from_table(ddb, catalog, index_name):
    """LSI.html: an LSI query may request attributes that are not projected."""
    response = query(ddb, catalog, index_name, ProjectionExpression="b, pk", Limit=2)
    assert response["Items"] == [{"b": {"S": "b3"}, "pk": {"S": "p"}},
                                 {"b": {"S": "b2"}, "pk": {"S": "p"}}]


@pytest.mark.parametrize("index_name,filter_,missing", [
    ("g_keys", "attribute_exists(b)", "b"),
    ("g_incl", "b = :g", "b"),
    ("l_keys", "b = :g", "b"),
    ("l_incl", "b = :g", "b"),
], ids=["gsi-keys-only", "gsi-include", "lsi-keys-only", "lsi-include"])
def test_query_filter_must_name_projected_attributes(ddb, catalog, index_name, filter_, missing):
    condition = "pk = :p" if index_name.startswith("l_") else "g = :g"
    for select in ({}, {"Select": "COUNT"}):
        expect_validation(ddb.query, FILTER_NOT_PROJECTED.format(index_name, missing),
                          TableName=catalog, IndexName=index_name,
                          KeyConditionExpression=condition, FilterExpression=filter_,
                          ExpressionAttributeValues=used_values(condition, filter_), **select)


@pytest.mark.parametrize("index_name,attribute", [("g_keys", "g"), ("g_keys", "gs"),
                                                  ("l_keys", "l")])
def test_query_filter_on_index_key_refused(ddb, catalog, index_name, attribute):
    condition = "pk = :p" if index_name.startswith("l_") else "g = :g"
    expect_validation(ddb.query, FILTER_ON_KEY.format(attribute), TableName=catalog,
                      IndexName=index_name, KeyConditionExpression=condition,
                      FilterExpression=f"attribute_exists({attribute})",
                      ExpressionAttributeValues=used_values(condition))


def test_query_filter_on_table_key_and_projected_attributes(ddb, catalog):
    on_gsi = query(ddb, catalog, "g_incl", values={":s": {"N": "1"}, ":a": {"S": "a1"}},
                   FilterExpression="sk >= :s AND a = :a")
    assert (sks(on_gsi), on_gsi["ScannedCount"]) == ([1], 4)
    on_lsi = query(ddb, catalog, "l_keys", values={":s": {"N": "2"}},
                   FilterExpression="sk < :s")
    assert (sks(on_lsi), on_lsi["ScannedCount"]) == ([1, 0], 4)


def test_limit_counts_index_items_before_the_filter(ddb, catalog):
    response = query(ddb, catalog, "g_incl", values={":a": {"S": "a2"}}, Limit=2,
                     FilterExpression="a = :a")
    assert (sks(response), response["ScannedCount"]) == ([2], 2)
    assert response["LastEvaluatedKey"] == project(catalog_item(2), "g_keys")


# --- ConsistentRead ------------------------------------------------------------------------

def test_consistent_read_refused_on_gsi(ddb, catalog):
    expect_validation(ddb.query, CONSISTENT_ON_GSI, TableName=catalog, IndexName="g_all",
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                      ConsistentRead=True)
    expect_validation(ddb.scan, CONSISTENT_ON_GSI, TableName=catalog, IndexName="g_keys",
                      ConsistentRead=True)


def test_consistent_read_false_allowed_on_gsi(ddb, catalog):
    assert sks(query(ddb, catalog, "g_all", ConsistentRead=False)) == [3, 2, 1, 0]


def test_consistent_read_allowed_on_lsi(ddb, catalog):
    assert query(ddb, catalog, "l_all", ConsistentRead=True) == query(ddb, catalog, "l_all")
    scanned = ddb.scan(TableName=catalog, IndexName="l_keys", ConsistentRead=True)
    assert scanned["Count"] == 5


@pytest.mark.parametrize("extra", [
    dict(KeyConditionExpression="pk = :g"),
    dict(Select="ALL_ATTRIBUTES", IndexName="g_keys"),
    dict(ProjectionExpression="zz", IndexName="g_keys"),
    dict(ExclusiveStartKey={"x": {"S": "1"}}),
], ids=["bad-key-condition", "all-attributes", "not-projected", "bad-start-key"])
def test_consistent_read_checked_first(ddb, catalog, extra):
    args = dict(TableName=catalog, IndexName="g_all", KeyConditionExpression="g = :g",
                ExpressionAttributeValues=G, ConsistentRead=True)
    args.update(extra)
    expect_validation(ddb.query, CONSISTENT_ON_GSI, **args)


# --- Unknown indexes -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["nope", "G_ALL", "ab", "a$b", ""],
                         ids=["unknown", "other-case", "2-chars", "dollar", "empty"])
def test_unknown_index(ddb, catalog, name):
    expect_validation(ddb.query, NO_SUCH_INDEX.format(name), TableName=catalog, IndexName=name,
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G)
    expect_validation(ddb.scan, NO_SUCH_INDEX.format(name), TableName=catalog, IndexName=name)


@pytest.mark.parametrize("extra", [
    dict(KeyConditionExpression="zz = :g"),
    dict(KeyConditionExpression="g = = :g"),
    dict(ConsistentRead=True),
    dict(Select="BAD"),
    dict(ExpressionAttributeValues={**G, ":unused": {"S": "x"}}),
], ids=["unknown-key", "syntax", "consistent", "select", "unused-value"])
def test_unknown_index_checked_before_the_rest(ddb, catalog, extra):
    args = dict(TableName=catalog, IndexName="nope", KeyConditionExpression="g = :g",
                ExpressionAttributeValues=G)
    args.update(extra)
    expect_validation(ddb.query, NO_SUCH_INDEX.format("nope"), **args)


def test_missing_table_checked_before_index(ddb):
    expect_error(ddb.query, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="missing-ix-table", IndexName="nope",
                 KeyConditionExpression="g = :g", ExpressionAttributeValues=G)
    expect_error(ddb.scan, "ResourceNotFoundException", TABLE_NOT_FOUND,
                 TableName="missing-ix-table", IndexName="nope")


def test_index_on_table_without_indexes(ddb, module_tables):
    table = module_tables("hash_s_range_n")
    expect_validation(ddb.scan, NO_SUCH_INDEX.format("any_index"), TableName=table,
                      IndexName="any_index")


# --- Key conditions ------------------------------------------------------------------------

N1 = {":n": {"N": "1"}}


@pytest.mark.parametrize("index_name,condition,values,message", [
    ("g_all", "pk = :g", G, MISSED_KEY),
    ("g_all", "pk = :g AND sk = :n", {**G, **N1}, MISSED_KEY),
    ("g_all", "g = :g AND sk = :n", {**G, **N1}, MISSED_KEY),
    ("g_all", "gs = :n", N1, MISSED_KEY),
    ("g_all", "g > :g", G, KEY_CONDITION_NOT_SUPPORTED),
    ("g_hash", "g = :g AND sk = :n", {**G, **N1}, KEY_CONDITION_NOT_SUPPORTED),
    ("g_all", "g = :n", N1, CONDITION_TYPE),
    ("g_all", "g = :g AND gs = :s", {**G, ":s": {"S": "1"}}, CONDITION_TYPE),
    ("l_all", "pk = :p AND sk = :n", {**P, **N1}, MISSED_KEY),
    ("l_all", "l = :p", P, MISSED_KEY),
], ids=["table-hash-on-gsi", "table-key-on-gsi", "gsi-hash-and-table-sort", "gsi-sort-only",
        "range-on-gsi-hash", "sort-condition-on-hash-only-gsi", "gsi-hash-type",
        "gsi-sort-type", "table-sort-on-lsi", "lsi-sort-only"])
def test_key_condition_errors(ddb, catalog, index_name, condition, values, message):
    expect_validation(ddb.query, message, TableName=catalog, IndexName=index_name,
                      KeyConditionExpression=condition, ExpressionAttributeValues=values)


def test_index_key_on_table_query(ddb, catalog):
    expect_validation(ddb.query, MISSED_KEY, TableName=catalog, KeyConditionExpression="g = :g",
                      ExpressionAttributeValues=G)


@pytest.mark.parametrize("index_name,condition,values,expected", [
    ("g_all", "g = :g AND gs BETWEEN :lo AND :hi", {**G, ":lo": {"N": "8"}, ":hi": {"N": "9"}},
     [2, 1]),
    ("g_keys", "g = :g AND gs > :lo", {**G, ":lo": {"N": "8"}}, [1, 0]),
    ("g_all", "g = :h", {":h": {"S": "H"}}, [0]),
    ("l_keys", "pk = :p AND begins_with(l, :l)", {**P, ":l": {"S": "L"}}, [3, 2, 1, 0]),
    ("l_keys", "pk = :p AND l <= :l", {**P, ":l": {"S": "L1"}}, [3, 2]),
    ("l_keys", "pk = :q", {":q": {"S": "q"}}, [0]),
], ids=["gsi-between", "gsi-greater", "gsi-other-partition", "lsi-begins-with", "lsi-le",
        "lsi-other-partition"])
def test_key_conditions_on_index_keys(ddb, catalog, index_name, condition, values, expected):
    assert sks(query(ddb, catalog, index_name, condition, values)) == expected


def test_legacy_key_conditions_on_index(ddb, catalog):
    response = ddb.query(TableName=catalog, IndexName="g_keys", KeyConditions={
        "g": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "G"}]},
        "gs": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "9"}]}})
    assert sks(response) == [3, 2]
    expect_validation(ddb.query, MISSED_KEY, TableName=catalog, IndexName="g_keys",
                      KeyConditions={"pk": {"ComparisonOperator": "EQ",
                                            "AttributeValueList": [{"S": "p"}]}})


@pytest.mark.parametrize("index_name", ["g_keys", "l_keys"])
def test_scan_index_forward_on_index(ddb, catalog, index_name):
    assert sks(query(ddb, catalog, index_name, ScanIndexForward=False)) == [0, 1, 2, 3]
    backward = query(ddb, catalog, index_name, ScanIndexForward=False, Limit=3)
    assert sks(backward) == [0, 1, 2]
    rest = query(ddb, catalog, index_name, ScanIndexForward=False,
                 ExclusiveStartKey=backward["LastEvaluatedKey"])
    assert sks(rest) == [3]


# --- Paging --------------------------------------------------------------------------------

@pytest.mark.parametrize("index_name,expected_key", [
    ("g_keys", {"pk", "sk", "g", "gs"}), ("g_all", {"pk", "sk", "g", "gs"}),
    ("g_hash", {"pk", "sk", "g"}), ("l_keys", {"pk", "sk", "l"}), ("l_all", {"pk", "sk", "l"}),
])
def test_last_evaluated_key_holds_table_and_index_keys(ddb, catalog, index_name, expected_key):
    page = query(ddb, catalog, index_name, Limit=1)
    assert page["LastEvaluatedKey"] == {k: v for k, v in page["Items"][0].items()
                                        if k in expected_key}
    scanned = ddb.scan(TableName=catalog, IndexName=index_name, Limit=1)
    assert set(scanned["LastEvaluatedKey"]) == expected_key


@pytest.mark.parametrize("index_name", ["g_keys", "g_hash", "l_keys"])
def test_paging_through_an_index(ddb, catalog, index_name):
    full = query(ddb, catalog, index_name)["Items"]
    seen, args = [], {"Limit": 3}
    while True:
        page = query(ddb, catalog, index_name, **args)
        seen += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert seen == full


START = {"pk": {"S": "p"}, "sk": {"N": "2"}, "g": {"S": "G"}, "gs": {"N": "8"}}


def without(key_, name):
    return {k: v for k, v in key_.items() if k != name}


@pytest.mark.parametrize("start_key,message", [
    (without(START, "sk"), INVALID_START_KEY),
    (without(START, "pk"), INVALID_START_KEY),
    (without(START, "gs"), INVALID_START_KEY),
    (without(START, "g"), INVALID_START_KEY),
    ({"pk": {"S": "p"}, "sk": {"N": "2"}}, INVALID_START_KEY),
    ({"g": {"S": "G"}, "gs": {"N": "8"}}, INVALID_START_KEY),
    (dict(START, x={"S": "1"}), INVALID_START_KEY),
    ({}, INVALID_START_KEY),
    (dict(START, gs={"S": "8"}), START_KEY_TYPE),
    (dict(START, pk={"N": "1"}), START_KEY_TYPE),
    (dict(START, g={"S": "OTHER"}), START_KEY_PREDICATE),
], ids=["no-table-sort", "no-table-hash", "no-index-sort", "no-index-hash", "table-key-only",
        "index-key-only", "extra-attribute", "empty", "index-key-type", "table-key-type",
        "other-partition"])
def test_gsi_start_key_errors(ddb, catalog, start_key, message):
    expect_validation(ddb.query, message, TableName=catalog, IndexName="g_keys",
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                      ExclusiveStartKey=start_key)


@pytest.mark.parametrize("start_key", [without(START, "pk"), {"pk": {"S": "p"}, "sk": {"N": "2"}},
                                       {"g": {"S": "G"}, "gs": {"N": "8"}},
                                       dict(START, x={"S": "1"})],
                         ids=["no-table-hash", "table-key-only", "index-key-only", "extra"])
def test_gsi_scan_start_key_errors(ddb, catalog, start_key):
    expect_validation(ddb.scan, INVALID_START_KEY, TableName=catalog, IndexName="g_keys",
                      ExclusiveStartKey=start_key)


@pytest.mark.parametrize("start_key,message", [
    ({"pk": {"S": "p"}, "l": {"S": "L1"}}, START_KEY_SIZE),
    ({"pk": {"S": "p"}, "sk": {"N": "2"}}, START_KEY_SIZE),
    ({"pk": {"S": "q"}, "sk": {"N": "0"}, "l": {"S": "L0"}}, START_KEY_PREDICATE),
], ids=["no-table-sort", "no-index-sort", "other-partition"])
def test_lsi_start_key_errors(ddb, catalog, start_key, message):
    expect_validation(ddb.query, message, TableName=catalog, IndexName="l_keys",
                      KeyConditionExpression="pk = :p", ExpressionAttributeValues=P,
                      ExclusiveStartKey=start_key)


@pytest.mark.parametrize("start_key,contains", [
    (dict(START, g={"S": ""}), EMPTY_INDEX_KEY.format("g_keys", "g")),
    (dict(START, pk={"S": ""}), "The AttributeValue for a key attribute cannot contain an empty "
                                "string value. Key: pk"),
], ids=["index-key", "table-key"])
def test_start_key_with_empty_string(ddb, catalog, start_key, contains):
    expect_validation(ddb.query, contains=contains, TableName=catalog, IndexName="g_keys",
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                      ExclusiveStartKey=start_key)


def test_start_key_need_not_be_an_index_item(ddb, catalog):
    beyond = query(ddb, catalog, "g_keys", ExclusiveStartKey=dict(START, gs={"N": "100"}))
    assert beyond["Items"] == []
    mid = query(ddb, catalog, "g_keys", ExclusiveStartKey=dict(START, gs={"N": "8.5"}))
    assert sks(mid) == [1, 0]


def test_hash_only_gsi_start_key(ddb, catalog):
    expect_validation(ddb.query, INVALID_START_KEY, TableName=catalog, IndexName="g_hash",
                      KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                      ExclusiveStartKey={"pk": {"S": "p"}, "g": {"S": "G"}})


# --- Scan on an index ----------------------------------------------------------------------

@pytest.mark.parametrize("index_name,expected", [
    ("g_keys", {"p/0", "p/1", "p/2", "p/3", "q/0"}), ("l_keys", {"p/0", "p/1", "p/2", "p/3",
                                                                 "q/0"}),
])
def test_scan_reads_only_indexed_items(ddb, catalog, index_name, expected):
    response = ddb.scan(TableName=catalog, IndexName=index_name)
    assert {f"{i['pk']['S']}/{i['sk']['N']}" for i in response["Items"]} == expected
    assert all(set(item) == PROJECTED[index_name] for item in response["Items"])


@pytest.mark.parametrize("index_name", ["g_keys", "l_keys", "g_hash"])
def test_parallel_scan_of_an_index(ddb, catalog, index_name):
    everything = ddb.scan(TableName=catalog, IndexName=index_name)["Items"]
    parts = []
    for segment in range(3):
        parts += ddb.scan(TableName=catalog, IndexName=index_name, Segment=segment,
                          TotalSegments=3)["Items"]
    keys = sorted((i["pk"]["S"], i["sk"]["N"]) for i in parts)
    assert keys == sorted((i["pk"]["S"], i["sk"]["N"]) for i in everything)


def test_scan_filter_on_index(ddb, catalog):
    response = ddb.scan(TableName=catalog, IndexName="g_incl", FilterExpression="a = :a",
                        ExpressionAttributeValues={":a": {"S": "a1"}})
    assert (sks(response), response["ScannedCount"]) == ([1], 5)


@pytest.mark.dunlin_only("DynamoDB Local filters an index Scan on the table's whole item")
@pytest.mark.parametrize("index_name", ["g_keys", "l_incl"])
def test_scan_filter_must_name_projected_attributes(ddb, catalog, index_name):
    """GSI.html and LSI.html: a scan of an index reads what the index holds, so a filter on an
    attribute it does not project is refused, as a Query's is."""
    expect_validation(ddb.scan, FILTER_NOT_PROJECTED.format(index_name, "b"), TableName=catalog,
                      IndexName=index_name, FilterExpression="b = :b",
                      ExpressionAttributeValues={":b": {"S": "b1"}})


def test_index_read_capacity(ddb, catalog):
    """GSI.html: index reads are charged to the index, by the size of the index entries."""
    gsi = query(ddb, catalog, "g_keys", ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert gsi == {"TableName": catalog, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.0},
                   "GlobalSecondaryIndexes": {"g_keys": {"CapacityUnits": 0.5}}}
    lsi = query(ddb, catalog, "l_keys", ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert lsi == {"TableName": catalog, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.0},
                   "LocalSecondaryIndexes": {"l_keys": {"CapacityUnits": 0.5}}}
    total = query(ddb, catalog, "g_keys", ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert total == {"TableName": catalog, "CapacityUnits": 0.5}


# --- Equal index keys ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def ties(ddb, raw):
    """Seven items whose GSI keys are all equal (t = T, ts = 5), and an LSI tie in p1."""
    factory = TableFactory(ddb, raw)
    name = factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("t", "S"), ("ts", "N")),
        GlobalSecondaryIndexes=[index("tie_r", key("t", "ts"), "KEYS_ONLY"),
                                index("tie_h", key("t"), "KEYS_ONLY")],
        LocalSecondaryIndexes=[index("tie_l", key("pk", "t"), "KEYS_ONLY")])
    for pk_, sk_ in [("p2", "b"), ("p3", "a"), ("p1", "c"), ("p1", "b"), ("p10", "a"),
                     ("p2", "a"), ("p1", "a")]:
        ddb.put_item(TableName=name, Item={"pk": {"S": pk_}, "sk": {"S": sk_}, "t": {"S": "T"},
                                           "ts": {"N": "5"}})
    yield name
    factory.cleanup()


def tie_query(ddb, table, index_name, **args):
    condition, values = (("pk = :p", {":p": {"S": "p1"}}) if index_name == "tie_l"
                         else ("t = :t", {":t": {"S": "T"}}))
    return ddb.query(TableName=table, IndexName=index_name, KeyConditionExpression=condition,
                     ExpressionAttributeValues=values, **args)


def keys_of(items):
    return [(item["pk"]["S"], item["sk"]["S"]) for item in items]


@pytest.mark.parametrize("index_name,count", [("tie_r", 7), ("tie_h", 7), ("tie_l", 3)])
def test_equal_index_keys_have_one_fixed_order(ddb, ties, index_name, count):
    forward = keys_of(tie_query(ddb, ties, index_name)["Items"])
    assert len(forward) == len(set(forward)) == count
    assert keys_of(tie_query(ddb, ties, index_name)["Items"]) == forward
    backward = keys_of(tie_query(ddb, ties, index_name, ScanIndexForward=False)["Items"])
    assert backward == forward[::-1]
    paged, args = [], {"Limit": 2}
    while True:
        page = tie_query(ddb, ties, index_name, **args)
        paged += keys_of(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        last = page["Items"][-1]
        assert page["LastEvaluatedKey"] == last
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert paged == forward
    scanned = keys_of(ddb.scan(TableName=ties, IndexName=index_name)["Items"])
    assert sorted(scanned) == sorted(keys_of(ddb.scan(TableName=ties)["Items"]))


# --- 1 MB pages ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big(ddb, raw):
    """25 items of exactly 100,000 bytes, all under g = G, gs = their number (S)."""
    factory = TableFactory(ddb, raw)
    name = factory(
        AttributeDefinitions=definitions(("pk", "S"), ("g", "S"), ("gs", "S")),
        GlobalSecondaryIndexes=[index("big_all", key("g", "gs")),
                                index("big_keys", key("g", "gs"), "KEYS_ONLY")])
    for i in range(25):
        # pk (2 + 3) + g (1 + 1) + gs (2 + 2) + d (1 + 99,988) = 100,000 bytes
        ddb.put_item(TableName=name, Item={"pk": {"S": "k%02d" % i}, "g": {"S": "G"},
                                           "gs": {"S": "%02d" % i},
                                           "d": {"S": "x" * (100000 - 12)}})
    yield name
    factory.cleanup()


def index_pages(ddb, table, index_name, **args):
    counts = []
    while True:
        response = ddb.query(TableName=table, IndexName=index_name,
                             KeyConditionExpression="g = :g", ExpressionAttributeValues=G,
                             **args)
        counts.append(response["Count"])
        if "LastEvaluatedKey" not in response:
            return counts
        args["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def test_all_projection_page_ends_at_1mb(ddb, big):
    assert index_pages(ddb, big, "big_all") == [11, 11, 3]
    assert index_pages(ddb, big, "big_all", Select="COUNT") == [11, 11, 3]


@pytest.mark.dunlin_only("DynamoDB Local ends a KEYS_ONLY index page at 1 MB of whole table "
                         "items ([11, 11, 3])")
def test_keys_only_page_counts_projected_size(ddb, big):
    """https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html ('Reading data
    from a global secondary index'; 'Read capacity units'): an index read works on the index
    entries (the projected attributes), not on the table items, so 25 small KEYS_ONLY entries
    fit one page."""
    assert index_pages(ddb, big, "big_keys") == [25]


# --- Sparse indexes ------------------------------------------------------------------------

@pytest.fixture
def sparse(table_factory):
    return table_factory(
        range_key=("sk", "S"),
        AttributeDefinitions=definitions(("pk", "S"), ("sk", "S"), ("g", "S"), ("gs", "N"),
                                         ("l", "N")),
        GlobalSecondaryIndexes=[index("sp_gsi", key("g", "gs"), "KEYS_ONLY")],
        LocalSecondaryIndexes=[index("sp_lsi", key("pk", "l"), "KEYS_ONLY")])


def in_gsi(ddb, table, g="G"):
    return keys_of(ddb.query(TableName=table, IndexName="sp_gsi", KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": g}})["Items"])


def in_lsi(ddb, table, pk_="a"):
    return keys_of(ddb.query(TableName=table, IndexName="sp_lsi",
                             KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": pk_}})["Items"])


def test_items_without_all_index_keys_are_absent(ddb, sparse):
    """bp-indexes-general-sparse-indexes.html: only items with the index key attributes."""
    base = {"pk": {"S": "a"}}
    ddb.put_item(TableName=sparse, Item={**base, "sk": {"S": "none"}})
    ddb.put_item(TableName=sparse, Item={**base, "sk": {"S": "hash-only"}, "g": {"S": "G"}})
    ddb.put_item(TableName=sparse, Item={**base, "sk": {"S": "sort-only"}, "gs": {"N": "1"}})
    ddb.put_item(TableName=sparse, Item={**base, "sk": {"S": "both"}, "g": {"S": "G"},
                                         "gs": {"N": "1"}, "l": {"N": "1"}})
    ddb.put_item(TableName=sparse, Item={**base, "sk": {"S": "lsi-only"}, "g": {"S": "G"},
                                         "l": {"N": "2"}})
    assert in_gsi(ddb, sparse) == [("a", "both")]
    assert in_lsi(ddb, sparse) == [("a", "both"), ("a", "lsi-only")]
    assert ddb.scan(TableName=sparse, IndexName="sp_gsi")["Count"] == 1
    assert ddb.scan(TableName=sparse, Select="COUNT")["Count"] == 5


def test_index_follows_key_attribute_changes(ddb, sparse):
    item_key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
    ddb.put_item(TableName=sparse, Item={**item_key, "g": {"S": "G"}})
    assert in_gsi(ddb, sparse) == []
    ddb.update_item(TableName=sparse, Key=item_key, UpdateExpression="SET gs = :n, l = :n",
                    ExpressionAttributeValues={":n": {"N": "1"}})
    assert in_gsi(ddb, sparse) == [("a", "1")]
    assert in_lsi(ddb, sparse) == [("a", "1")]
    ddb.update_item(TableName=sparse, Key=item_key, UpdateExpression="SET g = :h",
                    ExpressionAttributeValues={":h": {"S": "H"}})
    assert (in_gsi(ddb, sparse), in_gsi(ddb, sparse, "H")) == ([], [("a", "1")])
    ddb.update_item(TableName=sparse, Key=item_key, UpdateExpression="REMOVE gs, l")
    assert (in_gsi(ddb, sparse, "H"), in_lsi(ddb, sparse)) == ([], [])


def test_gsi_keys_repeat_across_items(ddb, sparse):
    for pk_ in ("a", "b"):
        for sk_ in ("1", "2"):
            ddb.put_item(TableName=sparse, Item={"pk": {"S": pk_}, "sk": {"S": sk_},
                                                 "g": {"S": "G"}, "gs": {"N": "7"}})
    assert sorted(in_gsi(ddb, sparse)) == [("a", "1"), ("a", "2"), ("b", "1"), ("b", "2")]


@pytest.mark.parametrize("index_name,condition,values,attribute", [
    ("g_all", "g = :e", {":e": {"S": ""}}, "g"),
    ("l_all", "pk = :e", {":e": {"S": ""}}, "pk"),
    ("l_all", "pk = :p AND l = :e", {**P, ":e": {"S": ""}}, "l"),
    ("l_keys", "pk = :p AND begins_with(l, :e)", {**P, ":e": {"S": ""}}, "l"),
    ("l_incl", "pk = :p AND l BETWEEN :e AND :z", {**P, ":e": {"S": ""}, ":z": {"S": "z"}}, "l"),
    ("l_all", "pk = :p AND l < :e", {**P, ":e": {"S": ""}}, "l"),
], ids=["gsi-hash", "lsi-hash", "lsi-eq", "lsi-begins-with", "lsi-between", "lsi-less"])
def test_empty_key_condition_value_refused(ddb, catalog, index_name, condition, values,
                                           attribute):
    """An empty string is no key value, whatever the operator: the query is refused."""
    expect_validation(lambda: query(ddb, catalog, index_name, condition, values),
                      "One or more parameter values are not valid. " +
                      EMPTY_INDEX_KEY.format(index_name, attribute))


def test_empty_table_key_condition_value_refused(ddb, catalog):
    expect_validation(ddb.query, "One or more parameter values are not valid. The AttributeValue "
                      "for a key attribute cannot contain an empty string value. Key: pk",
                      TableName=catalog, KeyConditionExpression="pk = :e",
                      ExpressionAttributeValues={":e": {"S": ""}})
