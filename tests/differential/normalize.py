"""What of an answer the differential tester compares, and how.

normalize() turns one HTTP answer into a plain value: errors become
{"status", "type", "message"} (the type without its namespace, the message whichever of
"Message" and "message" the server used), successes become the JSON body with what
legitimately differs between two servers taken out or put in a fixed order:

- table descriptions: creation times, ARNs and ids (their region, account and ids differ),
  stream labels, sizes and item counts (DynamoDB refreshes those only every six hours), and the
  summaries and flags a server may leave out (billing mode summary, table class, deletion
  protection, warm throughput);
- Scan pages: the items as a sorted list (DynamoDB leaves the order of a Scan unspecified);
  index Query pages: each run of items with equal index keys sorted (their order is
  unspecified too), the order between runs kept; BatchGetItem's responses and unprocessed keys
  sorted, and the list of ConsumedCapacity entries by table name;
- the members of every string, number and binary set sorted: "The order of the values within a
  set is not preserved" (developer guide, HowItWorks.NamingRulesDataTypes).

Request ids and every header are never compared.
"""

import json

TABLE_VOLATILE = ("CreationDateTime", "TableArn", "TableId", "LatestStreamArn",
                  "LatestStreamLabel", "TableSizeBytes", "ItemCount", "BillingModeSummary",
                  "TableClassSummary", "DeletionProtectionEnabled", "WarmThroughput",
                  "OnDemandThroughput")
INDEX_VOLATILE = ("IndexArn", "IndexSizeBytes", "ItemCount", "WarmThroughput",
                  "OnDemandThroughput")
THROUGHPUT_VOLATILE = ("LastIncreaseDateTime", "LastDecreaseDateTime",
                       "NumberOfDecreasesToday")


def canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def item_order(item):
    """Sort key of an item in a list DynamoDB leaves unordered: its table key (the generator's
    tables are keyed by pk and sk), which reconciling number forms (known_differences) leaves
    as it is, then the whole item."""
    if not isinstance(item, dict):
        return canonical(item), ""
    return canonical({name: item.get(name) for name in ("pk", "sk")}), canonical(item)


def _clean_throughput(container):
    throughput = container.get("ProvisionedThroughput")
    if isinstance(throughput, dict):
        for name in THROUGHPUT_VOLATILE:
            throughput.pop(name, None)


def _clean_table(description):
    for name in TABLE_VOLATILE:
        description.pop(name, None)
    _clean_throughput(description)
    for member in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = description.get(member)
        if isinstance(indexes, list):
            for index in indexes:
                for name in INDEX_VOLATILE:
                    index.pop(name, None)
                _clean_throughput(index)
            description[member] = sorted(indexes, key=lambda i: i.get("IndexName", ""))
    for member in ("AttributeDefinitions",):
        if isinstance(description.get(member), list):
            description[member] = sorted(description[member], key=canonical)


# The index key attribute whose equal values make a run of unordered items, per index of the
# generator's table R.
INDEX_SORT_ATTRIBUTES = {"gsi": "gk", "lsi": "lk"}


def rewrite_members(value, rewrite):
    """A copy of the JSON `value` in which every object member (key, member) for which
    rewrite(key, member) is not None has that result instead; the others are copied the same
    way, recursively."""
    if isinstance(value, dict):
        result = {}
        for key, member in value.items():
            replacement = rewrite(key, member)
            result[key] = rewrite_members(member, rewrite) if replacement is None else replacement
        return result
    if isinstance(value, list):
        return [rewrite_members(member, rewrite) for member in value]
    return value


def _sort_sets(value):
    return rewrite_members(value, lambda key, member: sorted(member, key=str) if (
        key in ("SS", "NS", "BS") and isinstance(member, list)) else None)


def _sort_runs(items, attribute):
    """`items` with each run of equal `attribute` values sorted."""
    result, run = [], []
    for item in items:
        if run and canonical(run[-1].get(attribute)) != canonical(item.get(attribute)):
            result += sorted(run, key=item_order)
            run = []
        run.append(item)
    return result + sorted(run, key=item_order)


def _sort_capacity(body):
    if isinstance(body.get("ConsumedCapacity"), list):
        body["ConsumedCapacity"] = sorted(body["ConsumedCapacity"], key=canonical)


def normalize(operation, request, status, body):
    """The comparable form of one answer. `body` is the parsed JSON (None when the answer was
    not JSON); `request` is the body sent (a dict), for the choices that depend on it."""
    if status != 200 or (isinstance(body, dict) and "__type" in body):
        error = body if isinstance(body, dict) else {}
        message = error.get("Message", error.get("message"))
        return {"status": status, "type": str(error.get("__type", "")).rsplit("#", 1)[-1],
                "message": message}
    if not isinstance(body, dict):
        return {"status": status, "body": body}
    body = _sort_sets(body)  # also a deep copy
    for member in ("TableDescription", "Table"):
        if isinstance(body.get(member), dict):
            _clean_table(body[member])
    items = body.get("Items")
    if isinstance(items, list) and operation == "Scan":
        body["Items"] = sorted(items, key=item_order)
    elif isinstance(items, list) and operation == "Query" and isinstance(request, dict):
        attribute = INDEX_SORT_ATTRIBUTES.get(request.get("IndexName"))
        if attribute:
            body["Items"] = _sort_runs(items, attribute)
    if operation == "BatchGetItem":
        for member in ("Responses",):
            for table, items in (body.get(member) or {}).items():
                body[member][table] = sorted(items, key=item_order)
        for table, entry in (body.get("UnprocessedKeys") or {}).items():
            if isinstance(entry.get("Keys"), list):
                entry["Keys"] = sorted(entry["Keys"], key=item_order)
    _sort_capacity(body)
    return {"status": status, "body": body}


def difference(dunlin, reference):
    """Where two normalized answers differ: None when equal, else "status", "type", "message"
    or "body"."""
    if dunlin == reference:
        return None
    for part in ("status", "type", "message"):
        if dunlin.get(part) != reference.get(part):
            return part
    return "body"
