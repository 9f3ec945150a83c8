"""Random request sequences for the differential tester.

A sequence is what one pair of fresh tables sees: CreateTable of both (the setup), then steps,
then DeleteTable of both (the teardown). Steps name their tables by role, "$H" and "$R", and the
runner puts real names in when it replays them (run.instantiate), so a sequence, or any part of
it the shrinker keeps, replays on any server and any fresh pair of tables.

The tables:
  H  pk (S) as its only key.
  R  pk (S) and sk (N); a global index "gsi" on gk (S, projecting ALL) and a local index "lsi" on
     pk and lk (S, projecting KEYS_ONLY), so writes maintain indexes and item collections.

Steps draw over the small key space of values.py with every item operation, Query and Scan with
every expression kind, the legacy parameters, batches and transactions, plus a share of invalid
requests (broken expressions, missing or wrong parameters, limits exceeded). What is compared
must not depend on choices DynamoDB leaves open, so the generator stays away from them: Scans
read whole tables (their order is unspecified; the runner compares them as sets) and never use
Segment, and index Queries have no Limit (items with equal index keys come in no set order).
"""

import random

import faults
import values
from expressions import Expressions

TABLES = ("H", "R")
OPERATIONS = ("PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "Scan",
              "BatchWriteItem", "BatchGetItem", "TransactWriteItems", "TransactGetItems")
# Relative frequency of each operation among the steps.
WEIGHTS = {"PutItem": 20, "GetItem": 12, "UpdateItem": 20, "DeleteItem": 8, "Query": 12,
           "Scan": 6, "BatchWriteItem": 6, "BatchGetItem": 5, "TransactWriteItems": 7,
           "TransactGetItems": 4}
# Share of steps that are made invalid on purpose (besides the invalid values and expressions
# the generators produce by themselves).
INVALID_SHARE = 0.08
RETURN_VALUES = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")


def create_table_requests():
    """The setup of every sequence: CreateTable of H and R."""
    hash_only = {
        "TableName": "$H", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}
    composite = {
        "TableName": "$R", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"},
                                 {"AttributeName": "gk", "AttributeType": "S"},
                                 {"AttributeName": "lk", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{
            "IndexName": "gsi", "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}],
        "LocalSecondaryIndexes": [{
            "IndexName": "lsi", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                            {"AttributeName": "lk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}]}
    return [("CreateTable", hash_only), ("CreateTable", composite)]


def delete_table_requests():
    return [("DeleteTable", {"TableName": "$H"}), ("DeleteTable", {"TableName": "$R"})]


class Sequence:
    def __init__(self, steps):
        self.setup = create_table_requests()
        self.steps = steps
        self.teardown = delete_table_requests()


def sequence_rng(seed, number):
    """The random source of sequence `number` of a run with `seed`: independent of every other
    sequence, so any one can be generated again alone."""
    return random.Random(f"{seed}/{number}")


def generate_sequence(seed, number, length):
    rng = sequence_rng(seed, number)
    return Sequence([step(rng) for _ in range(length)])


def step(rng):
    """One (operation, body) pair."""
    operation = rng.choices(OPERATIONS, weights=[WEIGHTS[o] for o in OPERATIONS])[0]
    body = BUILDERS[operation](rng)
    if rng.random() < INVALID_SHARE and faults.enabled:
        body = spoil(rng, operation, body)
    return operation, body


def table(rng):
    return rng.choice(TABLES)


def maybe(rng, share, body, name, make):
    if rng.random() < share:
        body[name] = make()


def capacity_options(rng, body, writes=True):
    maybe(rng, 0.3, body, "ReturnConsumedCapacity",
          lambda: rng.choice(("TOTAL", "INDEXES", "NONE")))
    if writes:
        maybe(rng, 0.1, body, "ReturnItemCollectionMetrics", lambda: rng.choice(("SIZE", "NONE")))


def condition(rng, body, expressions, legacy_share=0.15):
    """A condition on a write: an expression, or the legacy Expected, or none."""
    roll = rng.random()
    if roll < 0.45:
        body["ConditionExpression"] = expressions.condition()
    elif roll < 0.45 + legacy_share:
        body["Expected"] = expected(rng)
        conditional_operator(rng, body, body["Expected"])


def conditional_operator(rng, body, conditions):
    """ConditionalOperator now and then; without faults only where it is allowed (two or more
    conditions)."""
    if faults.enabled or len(conditions) >= 2:
        maybe(rng, 0.3, body, "ConditionalOperator", lambda: rng.choice(("AND", "OR")))


LEGACY_OPERATORS = {"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1, "NOT_NULL": 0,
                    "NULL": 0, "CONTAINS": 1, "NOT_CONTAINS": 1, "BEGINS_WITH": 1, "IN": 2,
                    "BETWEEN": 2}


def legacy_condition(rng):
    operator = rng.choice(sorted(LEGACY_OPERATORS))
    count = LEGACY_OPERATORS[operator]
    if operator == "IN":
        count = rng.choice((1, 2, 3))
    if rng.random() < 0.05 and faults.enabled:
        count = rng.choice((0, 1, 2, 3))  # the wrong number of values
    condition = {"ComparisonOperator": operator}
    if faults.enabled:
        if count or rng.random() < 0.3:
            condition["AttributeValueList"] = [values.comparable(rng) for _ in range(count)]
        return condition
    # Values the operator takes: scalars of one type; strings for BEGINS_WITH; ordered bounds.
    if count:
        kind = "S" if operator == "BEGINS_WITH" or rng.random() < 0.5 else "N"
        members = [{"S": rng.choice(values.STRINGS)} if kind == "S"
                   else {"N": values.number(rng)} for _ in range(count)]
        if operator == "BETWEEN":
            members.sort(key=lambda v: float(v["N"]) if kind == "N" else v["S"].encode())
        if operator == "IN":
            members = list({repr(m): m for m in members}.values())
        condition["AttributeValueList"] = members
    return condition


def expected(rng):
    result = {}
    for name in rng.sample(values.NAMES, rng.choice((1, 1, 2))):
        roll = rng.random()
        if roll < 0.3:
            result[name] = {"Exists": False}
        elif roll < 0.5:
            result[name] = {"Value": values.comparable(rng)}
        elif roll < 0.55 and faults.enabled:
            result[name] = {"Exists": True}  # without a Value: an error
        else:
            result[name] = legacy_condition(rng)
    return result


def legacy_filter(rng):
    return {name: legacy_condition(rng)
            for name in rng.sample(values.NAMES, rng.choice((1, 1, 2)))}


def conditional_write(rng, member, make):
    """The start of a PutItem or DeleteItem: its table, `member` (Item or Key) made by
    make(rng, table), its condition and ReturnValues (NONE or ALL_OLD; ALL_NEW is a fault)."""
    which = table(rng)
    expressions = Expressions(rng)
    body = {"TableName": f"${which}", member: make(rng, which)}
    condition(rng, body, expressions)
    maybe(rng, 0.3, body, "ReturnValues", lambda: rng.choice(
        RETURN_VALUES[:2] + (("ALL_NEW",) if faults.enabled else ())))
    return expressions, body


def put_item(rng):
    expressions, body = conditional_write(rng, "Item", values.item)
    maybe(rng, 0.1, body, "ReturnValuesOnConditionCheckFailure",
          lambda: rng.choice(("ALL_OLD", "NONE")))
    capacity_options(rng, body)
    return expressions.attach(body)


def get_item(rng):
    which = table(rng)
    expressions = Expressions(rng)
    body = {"TableName": f"${which}", "Key": values.key(rng, which)}
    roll = rng.random()
    if roll < 0.35:
        body["ProjectionExpression"] = expressions.projection()
    elif roll < 0.45:
        body["AttributesToGet"] = rng.sample(values.NAMES + ("pk",), rng.choice((1, 2)))
    maybe(rng, 0.3, body, "ConsistentRead", lambda: rng.random() < 0.5)
    capacity_options(rng, body, writes=False)
    return expressions.attach(body)


def update_item(rng):
    which = table(rng)
    expressions = Expressions(rng)
    body = {"TableName": f"${which}", "Key": values.key(rng, which)}
    if rng.random() < 0.85:
        body["UpdateExpression"] = expressions.update()
    elif rng.random() < 0.8:
        body["AttributeUpdates"] = attribute_updates(rng)
    condition(rng, body, expressions)
    maybe(rng, 0.5, body, "ReturnValues", lambda: rng.choice(RETURN_VALUES))
    maybe(rng, 0.05, body, "ReturnValuesOnConditionCheckFailure", lambda: "ALL_OLD")
    capacity_options(rng, body)
    return expressions.attach(body)


def attribute_updates(rng):
    result = {}
    for name in rng.sample(values.NAMES, rng.choice((1, 1, 2))):
        action = rng.choice(("PUT", "PUT", "DELETE", "ADD"))
        update = {"Action": action}
        # ADD needs a Value (without one: "Only DELETE action is allowed when no attribute
        # value is specified").
        if action == "PUT" or rng.random() < 0.6 or (action == "ADD" and not faults.enabled):
            operands = ({"SS": ["a"]}, {"NS": ["2"]})
            if faults.enabled or action == "ADD":
                operands += ({"N": "1"},)
            if faults.enabled:
                operands += ({"S": "a"},)
            update["Value"] = values.value(rng) if action == "PUT" else rng.choice(operands)
        result[name] = update
    return result


def delete_item(rng):
    expressions, body = conditional_write(rng, "Key", values.key)
    capacity_options(rng, body)
    return expressions.attach(body)


def query(rng):
    which = table(rng)
    expressions = Expressions(rng)
    body = {"TableName": f"${which}"}
    index = None
    if which == "R" and rng.random() < 0.3:
        index = rng.choice(("gsi", "lsi"))
        body["IndexName"] = index
    if rng.random() < 0.85 or index is not None and not faults.enabled:
        body["KeyConditionExpression"] = expressions.key_condition(which, index)
    else:
        body["KeyConditions"] = key_conditions(rng, which)
    roll = rng.random()
    if roll < 0.3:
        body["FilterExpression"] = expressions.condition()
    elif roll < 0.4:
        body["QueryFilter"] = legacy_filter(rng)
        if not faults.enabled and "KeyConditionExpression" in body:
            body["FilterExpression"] = expressions.condition()
            del body["QueryFilter"]
    if rng.random() < 0.3:
        body["ProjectionExpression"] = expressions.projection()
    selects = ("ALL_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES")
    if not faults.enabled:
        selects = (("SPECIFIC_ATTRIBUTES",) if "ProjectionExpression" in body else
                   ("ALL_ATTRIBUTES", "COUNT") + (("ALL_PROJECTED_ATTRIBUTES",) if index else ()))
    maybe(rng, 0.2, body, "Select", lambda: rng.choice(selects))
    maybe(rng, 0.3, body, "ScanIndexForward", lambda: rng.random() < 0.5)
    if index is None:
        # Index pages would split runs of equal index keys, whose order is unspecified.
        maybe(rng, 0.3, body, "Limit", lambda: rng.choice((1, 2, 3, 10)))
        if which == "R" and index is None and rng.random() < 0.1 and faults.enabled:
            body["ExclusiveStartKey"] = values.key(rng, "R")
    if faults.enabled or index != "gsi":
        maybe(rng, 0.1, body, "ConsistentRead", lambda: rng.random() < 0.5)
    capacity_options(rng, body, writes=False)
    return expressions.attach(body)


def key_conditions(rng, which):
    result = {"pk": {"ComparisonOperator": "EQ",
                     "AttributeValueList": [{"S": rng.choice(values.PARTITION_KEYS)}]}}
    if which == "R" and rng.random() < 0.6:
        operators = ("EQ", "LT", "LE", "GT", "GE", "BETWEEN")
        operator = rng.choice(operators + (("BEGINS_WITH",) if faults.enabled else ()))
        count = 2 if operator == "BETWEEN" else 1
        bounds = sorted((rng.choice(values.SORT_KEYS) for _ in range(count)), key=float)
        result["sk"] = {"ComparisonOperator": operator,
                        "AttributeValueList": [{"N": bound} for bound in bounds]}
    return result


def scan(rng):
    which = table(rng)
    expressions = Expressions(rng)
    body = {"TableName": f"${which}"}
    roll = rng.random()
    if roll < 0.5:
        body["FilterExpression"] = expressions.condition()
    elif roll < 0.65:
        body["ScanFilter"] = legacy_filter(rng)
        conditional_operator(rng, body, body["ScanFilter"])
    if rng.random() < 0.3 and (faults.enabled or "ScanFilter" not in body):
        body["ProjectionExpression"] = expressions.projection()
    if faults.enabled or "ProjectionExpression" not in body:
        maybe(rng, 0.15, body, "Select", lambda: rng.choice(("ALL_ATTRIBUTES", "COUNT")))
    maybe(rng, 0.1, body, "ConsistentRead", lambda: True)
    capacity_options(rng, body, writes=False)
    return expressions.attach(body)


def key_identity(which, key):
    """Keys that DynamoDB takes for one item: "1" and "1.0" are one number."""
    return which, tuple(sorted((name, values.number_identity(v["N"]) if "N" in v else repr(v))
                               for name, v in key.items()))


def distinct(entries, identity):
    """`entries` without the ones whose identity came before, unless faults are on."""
    if faults.enabled:
        return entries
    seen, kept = set(), []
    for entry in entries:
        if identity(entry) not in seen:
            seen.add(identity(entry))
            kept.append(entry)
    return kept


def request_key(which, request):
    inner = request.get("PutRequest", {}).get("Item") or request.get("DeleteRequest", {})["Key"]
    return key_identity(which, {k: v for k, v in inner.items() if k in ("pk", "sk")})


def write_request(rng, which):
    if rng.random() < 0.65:
        return {"PutRequest": {"Item": values.item(rng, which)}}
    return {"DeleteRequest": {"Key": values.key(rng, which)}}


def batch_write_item(rng):
    body = {"RequestItems": {}}
    for which in rng.sample(TABLES, rng.choice((1, 1, 2))):
        requests = [write_request(rng, which) for _ in range(rng.choice((1, 2, 3, 4)))]
        body["RequestItems"][f"${which}"] = distinct(
            requests, lambda request, which=which: request_key(which, request))
    capacity_options(rng, body)
    return body


def batch_get_item(rng):
    body = {"RequestItems": {}}
    for which in rng.sample(TABLES, rng.choice((1, 1, 2))):
        expressions = Expressions(rng)
        keys = [values.key(rng, which) for _ in range(rng.choice((1, 2, 3)))]
        entry = {"Keys": distinct(keys, lambda key, which=which: key_identity(which, key))}
        if rng.random() < 0.3:
            entry["ProjectionExpression"] = expressions.projection()
        maybe(rng, 0.2, entry, "ConsistentRead", lambda: rng.random() < 0.5)
        body["RequestItems"][f"${which}"] = expressions.attach(entry)
    capacity_options(rng, body, writes=False)
    return body


def action_identity(action):
    body = next(iter(action.values()))
    key = body.get("Key") or {k: v for k, v in body["Item"].items() if k in ("pk", "sk")}
    return key_identity(body["TableName"], key)


def transact_write_items(rng):
    actions = []
    for _ in range(rng.choice((1, 2, 2, 3, 4))):
        which = table(rng)
        expressions = Expressions(rng)
        kind = rng.choice(("Put", "Put", "Update", "Update", "Delete", "ConditionCheck"))
        action = {"TableName": f"${which}"}
        if kind == "Put":
            action["Item"] = values.item(rng, which)
        else:
            action["Key"] = values.key(rng, which)
        if kind == "Update":
            action["UpdateExpression"] = expressions.update()
        if kind == "ConditionCheck" or rng.random() < 0.4:
            action["ConditionExpression"] = expressions.condition()
        maybe(rng, 0.1, action, "ReturnValuesOnConditionCheckFailure", lambda: "ALL_OLD")
        actions.append({kind: expressions.attach(action)})
    body = {"TransactItems": distinct(actions, action_identity)}
    capacity_options(rng, body)
    return body


def transact_get_items(rng):
    actions = []
    for _ in range(rng.choice((1, 2, 3))):
        which = table(rng)
        expressions = Expressions(rng)
        get = {"TableName": f"${which}", "Key": values.key(rng, which)}
        if rng.random() < 0.3:
            get["ProjectionExpression"] = expressions.projection()
        actions.append({"Get": expressions.attach(get)})
    body = {"TransactItems": distinct(actions, action_identity)}
    capacity_options(rng, body, writes=False)
    return body


BUILDERS = {"PutItem": put_item, "GetItem": get_item, "UpdateItem": update_item,
            "DeleteItem": delete_item, "Query": query, "Scan": scan,
            "BatchWriteItem": batch_write_item, "BatchGetItem": batch_get_item,
            "TransactWriteItems": transact_write_items, "TransactGetItems": transact_get_items}

EXPRESSION_MEMBERS = ("ConditionExpression", "UpdateExpression", "ProjectionExpression",
                      "FilterExpression", "KeyConditionExpression")


def spoil(rng, operation, body):
    """`body` made invalid in one of the ways clients get requests wrong."""
    body = dict(body)
    present = [m for m in EXPRESSION_MEMBERS if m in body]
    choice = rng.choice(("drop", "table", "limit", "expression", "enum", "mix", "oversize",
                         "type"))
    if choice == "drop" and body:
        body.pop(rng.choice(sorted(body)))
    elif choice == "table" and "TableName" in body:
        body["TableName"] = rng.choice(("x", "no_such_table", "bad name!", "a" * 256))
    elif choice == "limit":
        body["Limit"] = rng.choice((0, -1, 1001 if operation == "Query" else 0))
    elif choice == "expression" and present:
        body[rng.choice(present)] = Expressions(rng).broken()
    elif choice == "enum":
        member = rng.choice(("ReturnValues", "ReturnConsumedCapacity", "Select",
                             "ReturnItemCollectionMetrics", "ConditionalOperator"))
        body[member] = rng.choice(("all_old", "EVERYTHING", ""))
    elif choice == "mix":
        # Legacy and expression parameters together.
        body["AttributesToGet"] = ["a"]
        body["ProjectionExpression"] = "a"
    elif choice == "oversize" and operation in ("BatchWriteItem", "TransactWriteItems"):
        if operation == "BatchWriteItem":
            body["RequestItems"] = {"$H": [{"DeleteRequest": {"Key": {"pk": {"S": f"k{i}"}}}}
                                           for i in range(26)]}
        else:
            body["TransactItems"] = [{"ConditionCheck": {
                "TableName": "$H", "Key": {"pk": {"S": f"k{i}"}},
                "ConditionExpression": "attribute_exists(pk)"}} for i in range(101)]
    elif choice == "type":
        # A member of the wrong JSON type.
        member = rng.choice(sorted(body)) if body else "TableName"
        body[member] = rng.choice((5, True, [], {}, "x"))
    return body
