"""Differences between Dunlin's and DynamoDB Local's answers that the differential tester does
not count as divergences, each with the reason and the place it is written down.

Two kinds:
- DOCUMENTED: DynamoDB Local departs from the service's documented behaviour, Dunlin follows the
  service; each row of docs/compatibility.md's "Where DynamoDB Local differs from the service"
  that the generator can reach has an entry here.
- OPEN: Dunlin answers differently from DynamoDB Local where no documentation settles it, and
  Dunlin is to be changed to DynamoDB Local's answer. They are listed so that a run finds the
  divergences not yet known; docs/compatibility.md ("Open divergences") lists them too.

An entry is (name, kind, reason, predicate). predicate(operation, request, dunlin, ddblocal) is
true when the pair of normalized answers (normalize.normalize) is explained by the entry; each
checks the request as well, so that it explains only the case it names.
"""

import re
from decimal import Context, Decimal, InvalidOperation

from normalize import rewrite_members

TYPE_MISMATCH = "One or more parameter values were invalid: Type mismatch for key"
ONE_ITEM = "Transaction request cannot include multiple operations on one item"
TRANSACTIONS = ("TransactWriteItems", "TransactGetItems")


def _error(answer, status=400, types=None):
    return answer.get("status") == status and "type" in answer and (
        types is None or answer["type"] in types)


def _local_internal_failure(operation, request, dunlin, ddblocal):
    return (_error(ddblocal, 500, ("InternalFailure",))
            and _error(dunlin, 400, ("SerializationException", "ValidationException")))


def _bodies(request):
    """The request and the bodies inside it: transaction actions, BatchGetItem's tables."""
    yield request
    for action in request.get("TransactItems") or []:
        if isinstance(action, dict):
            yield from (body for body in action.values() if isinstance(body, dict))
    items = request.get("RequestItems")
    if isinstance(items, dict):
        yield from (entry for entry in items.values() if isinstance(entry, dict))


def _members(request):
    """The members of the request and of the bodies inside it."""
    for body in _bodies(request):
        yield from body.items()


def _local_coercion(operation, request, dunlin, ddblocal):
    # DynamoDB Local reads a number or boolean where a string member belongs as that string
    # ("TableName": 5 is the table "5"), and a number where a boolean belongs as a boolean
    # ("ConsistentRead": 1); the service and Dunlin refuse the request as malformed. The
    # request must really hold such a member.
    match = re.fullmatch(r"(NUMBER|BOOLEAN)_VALUE cannot be converted to (String|Boolean)",
                         dunlin.get("message") or "")
    if not match or dunlin.get("type") != "SerializationException" or \
            match.group(0) == "BOOLEAN_VALUE cannot be converted to Boolean":
        return False
    kind = bool if match.group(1) == "BOOLEAN" else (int, float)
    return any(isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
               for _, value in _members(request))


IGNORED_ENUMS = {
    "returnConsumedCapacity": ("ReturnConsumedCapacity", ("INDEXES", "TOTAL", "NONE")),
    "returnItemCollectionMetrics": ("ReturnItemCollectionMetrics", ("SIZE", "NONE")),
    "conditionalOperator": ("ConditionalOperator", ("AND", "OR")),
}


def _ignored_enum(operation, request, dunlin, ddblocal):
    # DynamoDB Local ignores unknown ReturnConsumedCapacity and ReturnItemCollectionMetrics
    # values (and an unknown ConditionalOperator beside two filter entries or more), so its
    # answer is whatever the request gets without them; the service refuses them with an enum
    # constraint violation. The request must really hold such a value.
    match = re.match(r"1 validation error detected: Value '([^']*)' at '(\w+)' failed to "
                     r"satisfy constraint: Member must satisfy enum value set",
                     dunlin.get("message") or "")
    if not match or match.group(2) not in IGNORED_ENUMS:
        return False
    member, allowed = IGNORED_ENUMS[match.group(2)]
    value = request.get(member)
    return value == match.group(1) and value not in allowed


def _ignored_action_enum(operation, request, dunlin, ddblocal):
    # The same for a transaction action's ReturnValuesOnConditionCheckFailure.
    match = re.match(r"1 validation error detected: Value '([^']*)' at 'transactItems\.(\d+)\."
                     r"member\.(\w+)\.returnValuesOnConditionCheckFailure' failed to satisfy "
                     r"constraint: Member must satisfy enum value set",
                     dunlin.get("message") or "")
    actions = request.get("TransactItems")
    if not match or not isinstance(actions, list) or int(match.group(2)) > len(actions):
        return False
    action = actions[int(match.group(2)) - 1]
    body = next(iter(action.values()), None) if isinstance(action, dict) and action else None
    value = body.get("ReturnValuesOnConditionCheckFailure") if isinstance(body, dict) else None
    return value == match.group(1) and value not in ("ALL_OLD", "NONE")


def _key_type_suffix(operation, request, dunlin, ddblocal):
    # Dunlin adds the service's " pk expected: S actual: N" to DynamoDB Local's message.
    message, local = dunlin.get("message") or "", ddblocal.get("message") or ""
    return (dunlin.get("type") == ddblocal.get("type") and local == TYPE_MISMATCH
            and re.fullmatch(re.escape(TYPE_MISMATCH) + r" \S+ expected: \w+ actual: \w+",
                             message) is not None)


def _canonical_number(text):
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if value == 0:
        return "0"
    # Enough precision for any DynamoDB number: normalize() rounds to the context's.
    return format(value.normalize(Context(prec=200)), "f")


def _canonical_numbers(value):
    def rewrite(key, member):
        if key == "N" and isinstance(member, str):
            return _canonical_number(member)
        if key == "NS" and isinstance(member, list):
            return sorted(_canonical_number(m) for m in member)
        return None
    return rewrite_members(value, rewrite)


def _with_body(answer, body):
    return dict(answer, body=body)


def _nested_numbers(operation, request, dunlin, ddblocal):
    # DynamoDB Local returns numbers inside maps and lists (and numbers UpdateItem computed) as
    # written; Dunlin returns every number in canonical form.
    if "body" not in dunlin or "body" not in ddblocal:
        return None
    local = _canonical_numbers(ddblocal["body"])
    return (dunlin, _with_body(ddblocal, local)) if local != ddblocal["body"] else None


def _number_in_message(operation, request, dunlin, ddblocal):
    # The same for numbers quoted in error messages ("AttributeValue: {N:1E-130}").
    if not (_error(dunlin) and _error(ddblocal)) or dunlin["type"] != ddblocal["type"]:
        return False

    def canonical(message):
        return re.sub(r"\{N:([^}]*)\}", lambda m: "{N:" + _canonical_number(m.group(1)) + "}",
                      message or "")
    return dunlin["message"] != ddblocal["message"] and \
        canonical(dunlin["message"]) == canonical(ddblocal["message"])


def _without(body, member):
    return {k: v for k, v in body.items() if k != member}


def _delete_capacity(operation, request, dunlin, ddblocal):
    # DeleteItem of a missing item: DynamoDB Local adds ConsumedCapacity even when not asked.
    if (operation == "DeleteItem" and "body" in dunlin and "body" in ddblocal
            and request.get("ReturnConsumedCapacity") not in ("TOTAL", "INDEXES")
            and "ConsumedCapacity" in ddblocal["body"]
            and "ConsumedCapacity" not in dunlin["body"]):
        return dunlin, _with_body(ddblocal, _without(ddblocal["body"], "ConsumedCapacity"))
    return None


def _item_collection_metrics(operation, request, dunlin, ddblocal):
    # DynamoDB Local never returns ItemCollectionMetrics.
    if ("body" in dunlin and "body" in ddblocal
            and request.get("ReturnItemCollectionMetrics") == "SIZE"
            and "ItemCollectionMetrics" in dunlin["body"]
            and "ItemCollectionMetrics" not in ddblocal["body"]):
        return _with_body(dunlin, _without(dunlin["body"], "ItemCollectionMetrics")), ddblocal
    return None


def _transaction_capacity(operation, request, dunlin, ddblocal):
    # Transaction and batch capacity: DynamoDB Local counts each distinct figure once per
    # table, and a batch DeleteRequest of a missing item twice.
    if (operation in ("TransactWriteItems", "TransactGetItems", "BatchWriteItem")
            and "body" in dunlin and "body" in ddblocal
            and request.get("ReturnConsumedCapacity") in ("TOTAL", "INDEXES")
            and dunlin["body"].get("ConsumedCapacity") != ddblocal["body"].get("ConsumedCapacity")):
        return (_with_body(dunlin, _without(dunlin["body"], "ConsumedCapacity")),
                _with_body(ddblocal, _without(ddblocal["body"], "ConsumedCapacity")))
    return None


def _within(part, whole):
    """Whether attribute value `part` is `whole` or a part of it, as UPDATED_OLD/UPDATED_NEW
    return the updated paths of a document: map members kept by name, list elements in
    order."""
    if part == whole:
        return True
    if not (isinstance(part, dict) and isinstance(whole, dict)):
        return False
    if "M" in part and "M" in whole:
        return all(name in whole["M"] and _within(value, whole["M"][name])
                   for name, value in part["M"].items())
    if "L" in part and "L" in whole:
        remaining = iter(whole["L"])
        return all(any(_within(element, candidate) for candidate in remaining)
                   for element in part["L"])
    return False


def _updated_paths(operation, request, dunlin, ddblocal):
    # UPDATED_OLD/UPDATED_NEW after a nested update: DynamoDB Local returns the whole top-level
    # attribute, Dunlin the updated paths only (API reference, UpdateItem: ReturnValues).
    if not (operation == "UpdateItem" and "body" in dunlin and "body" in ddblocal
            and request.get("ReturnValues") in ("UPDATED_OLD", "UPDATED_NEW")):
        return None
    mine = dunlin["body"].get("Attributes") or {}
    theirs = ddblocal["body"].get("Attributes") or {}
    if mine == theirs or set(mine) != set(theirs) or \
            not all(_within(mine[name], theirs[name]) for name in mine):
        return None
    return dunlin, _with_body(ddblocal, dict(ddblocal["body"], Attributes=mine))


def _action_keys(request):
    keys = []
    for action in request.get("TransactItems") or []:
        if not isinstance(action, dict) or len(action) != 1:
            return None
        body = next(iter(action.values()))
        if not isinstance(body, dict):
            return None
        key = body.get("Key") if "Key" in body else {
            name: body.get("Item", {}).get(name) for name in ("pk", "sk")
            if name in (body.get("Item") or {})}
        keys.append((body.get("TableName"), repr(_canonical_numbers(key))))
    return keys


def _one_item_rule(operation, request, dunlin, ddblocal):
    # Two actions on one item: DynamoDB Local lets a ConditionCheck (or an Update followed by
    # a check) through; the service refuses every such pair.
    if operation != "TransactWriteItems" or dunlin.get("message") != ONE_ITEM:
        return False
    keys = _action_keys(request)
    return keys is not None and len(set(keys)) < len(keys) and \
        ddblocal.get("message") != ONE_ITEM


def _update_expression_required(operation, request, dunlin, ddblocal):
    # A transaction's Update without UpdateExpression: DynamoDB Local runs it (an update that
    # changes nothing); the service requires the member (API reference, Update).
    match = re.fullmatch(r"Value null at 'transactItems\.(\d+)\.member\.update\.updateExpression'"
                         r" failed to satisfy constraint: Member must not be null",
                         dunlin.get("message") or "")
    if operation != "TransactWriteItems" or not match or \
            ddblocal.get("message") == dunlin.get("message"):
        return False
    actions = request.get("TransactItems") or []
    position = int(match.group(1)) - 1
    if not (isinstance(actions, list) and position < len(actions)
            and isinstance(actions[position], dict)):
        return False
    update = actions[position].get("Update")
    return isinstance(update, dict) and "UpdateExpression" not in update


CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons "
# The key attributes of the generator's tables.
KEY_ATTRIBUTES = ("pk", "sk")


def _reason_codes(answer):
    message = answer.get("message") or ""
    if answer.get("type") != "TransactionCanceledException" or not message.startswith(CANCELLED):
        return None
    return [code.strip() for code in message[len(CANCELLED):].strip("[]").split(",")]


def _updates_key(action):
    update = action.get("Update") if isinstance(action, dict) else None
    text = update.get("UpdateExpression") if isinstance(update, dict) else None
    if not isinstance(text, str):
        return False
    names = update.get("ExpressionAttributeNames")
    if isinstance(names, dict):
        text = re.sub(r"#\w+", lambda m: str(names.get(m.group(0), m.group(0))), text)
    return re.search(r"(?<![\w.#:\]])(" + "|".join(KEY_ATTRIBUTES) + r")(?![\w\[.(])",
                     text) is not None


def _single_reason(operation, request, dunlin, ddblocal):
    # An Update of a key attribute in a transaction: DynamoDB Local's cancellation lists that
    # one reason; the service lists a reason for every action, "None" for the others (API
    # reference, CancellationReason).
    mine, theirs = _reason_codes(dunlin), _reason_codes(ddblocal)
    if operation != "TransactWriteItems" or mine is None or theirs != ["ValidationError"]:
        return False
    named = [i for i, code in enumerate(mine) if code != "None"]
    actions = request.get("TransactItems") or []
    return (len(mine) > 1 and len(named) == 1 and mine[named[0]] == "ValidationError"
            and isinstance(actions, list) and len(actions) == len(mine)
            and _updates_key(actions[named[0]]))


def _expression_error_order(operation, request, dunlin, ddblocal):
    # Both refuse the request for its expressions, DynamoDB Local naming another of its errors:
    # it checks reserved words, undefined placeholders and overlapping paths of every
    # expression member before the operand types and functions of any (OPEN).
    if not (_error(dunlin, 400, ("ValidationException",))
            and _error(ddblocal, 400, ("ValidationException",))):
        return False
    local = ddblocal.get("message") or ""
    match = re.match(r"Invalid (\w+): (.*)$", local)
    if not match or not (dunlin.get("message") or "").startswith("Invalid "):
        return False
    member, detail = match.groups()
    texts = [body.get(member) for body in _bodies(request)]
    texts = [text for text in texts if isinstance(text, str)]
    if not texts:
        return False
    text = " ".join(texts)
    reserved = re.fullmatch(r"Attribute name is a reserved keyword; reserved keyword: (\w+)",
                            detail)
    if reserved:
        return re.search(r"(?<![#:\w])" + re.escape(reserved.group(1)) + r"(?![\w(])",
                         text) is not None
    undefined = re.fullmatch(r"An expression attribute name used in the document path is not "
                             r"defined; attribute name: (#\w+)", detail)
    if undefined:
        names = request.get("ExpressionAttributeNames") or {}
        return undefined.group(1) in text and undefined.group(1) not in names
    undefined = re.fullmatch(r"An expression attribute value used in expression is not "
                             r"defined; attribute value: (:\w+)", detail)
    if undefined:
        values = request.get("ExpressionAttributeValues") or {}
        return re.search(re.escape(undefined.group(1)) + r"(?!\w)", text) is not None and \
            undefined.group(1) not in values
    # Overlapping or conflicting paths named differently (DynamoDB Local's choice of the pair
    # to name is not yet known), in the same expression member.
    for relation in ("overlap", "conflict"):
        phrase = f"Two document paths {relation} with each other"
        if detail.startswith(phrase):
            return dunlin["message"].startswith(f"Invalid {member}: {phrase}")
    return False


UPDATE_RUNTIME_ERRORS = frozenset((
    "The provided expression refers to an attribute that does not exist in the item",
    "The document path provided in the update expression is invalid for update",
    "An operand in the update expression has an incorrect data type",
    "DynamoDB only supports precision up to 38 digits"))


def _update_actions(text):
    """How many actions an update expression has: its clauses' comma-separated parts."""
    clauses = re.split(r"\b(?:SET|REMOVE|ADD|DELETE)\b", text, flags=re.IGNORECASE)
    return sum(len([part for part in clause.split(",") if part.strip()]) for clause in clauses)


def _update_error_order(operation, request, dunlin, ddblocal):
    # An update whose actions fail in several ways against the stored item: DynamoDB Local
    # names another of the failures (OPEN: its order of applying actions is not yet known).
    if not (_error(dunlin, 400, ("ValidationException",))
            and _error(ddblocal, 400, ("ValidationException",))):
        return False
    if dunlin["message"] not in UPDATE_RUNTIME_ERRORS or \
            ddblocal["message"] not in UPDATE_RUNTIME_ERRORS:
        return False
    texts = [request.get("UpdateExpression")] + [
        (action.get("Update") or {}).get("UpdateExpression")
        for action in request.get("TransactItems") or [] if isinstance(action, dict)]
    return any(isinstance(text, str) and _update_actions(text) >= 2 for text in texts)


DOCUMENTED = "documented"
OPEN = "open"

# Entries that explain a pair of answers on their own: (name, kind, reason, predicate).
KNOWN_DIFFERENCES = [
    ("local-500-for-malformed-input", DOCUMENTED,
     "DynamoDB Local answers 500 InternalFailure for members of the wrong JSON type; the "
     "service answers 400 (API reference, Common Errors)", _local_internal_failure),
    ("local-coerces-scalars-to-strings", DOCUMENTED,
     "DynamoDB Local reads a number or boolean given for a string member as a string, and a "
     "number given for a boolean member as a boolean; the service answers 400 "
     "SerializationException (API reference, Common Errors)",
     _local_coercion),
    ("ignored-enum-values", DOCUMENTED,
     "DynamoDB Local ignores unknown ReturnConsumedCapacity, ReturnItemCollectionMetrics and "
     "(at times) ConditionalOperator values; the service refuses them (API reference: the "
     "members' valid values)", _ignored_enum),
    ("ignored-action-enum-values", DOCUMENTED,
     "DynamoDB Local ignores an unknown ReturnValuesOnConditionCheckFailure in a "
     "transaction's action; the service refuses it (API reference: the member's valid "
     "values)", _ignored_action_enum),
    ("key-type-mismatch-detail", DOCUMENTED,
     "the service's key type message names the key and both types", _key_type_suffix),
    ("numbers-as-written-in-messages", DOCUMENTED,
     "DynamoDB Local quotes numbers in messages as written; Dunlin in canonical form",
     _number_in_message),
    ("transaction-one-item-rule", DOCUMENTED,
     "the service refuses two actions on one item, a ConditionCheck included (developer "
     "guide, transaction-apis)", _one_item_rule),
    ("update-expression-required", DOCUMENTED,
     "DynamoDB Local runs a transaction's Update without UpdateExpression; the service "
     "requires it (API reference, Update: UpdateExpression)", _update_expression_required),
    ("key-update-single-reason", DOCUMENTED,
     "DynamoDB Local cancels a transaction that updates a key attribute with that one reason; "
     "the service gives one per action (API reference, CancellationReason)", _single_reason),
    ("expression-error-order", OPEN,
     "which of several expression errors is reported first", _expression_error_order),
    ("update-error-order", OPEN,
     "which of several failing update actions is reported", _update_error_order),
]

# Entries that take one difference out of a pair of successful answers, so that several can
# meet in one answer: (name, kind, reason, reconcile), reconcile returning the pair with that
# difference removed, or None where it does not apply.
RECONCILERS = [
    ("numbers-as-written", DOCUMENTED,
     "DynamoDB Local returns numbers inside documents and computed numbers as written; "
     "Dunlin returns canonical numbers", _nested_numbers),
    ("delete-item-capacity", DOCUMENTED,
     "DeleteItem of a missing item: DynamoDB Local returns ConsumedCapacity unasked (API "
     "reference, DeleteItem: ConsumedCapacity)", _delete_capacity),
    ("item-collection-metrics", DOCUMENTED,
     "DynamoDB Local never returns ItemCollectionMetrics (API reference, "
     "ItemCollectionMetrics)", _item_collection_metrics),
    ("updated-paths", DOCUMENTED,
     "UPDATED_OLD/UPDATED_NEW after a nested update: DynamoDB Local returns the whole "
     "top-level attribute (API reference, UpdateItem: ReturnValues)", _updated_paths),
    ("batch-and-transaction-capacity", DOCUMENTED,
     "DynamoDB Local's capacity of transactions and batch deletes of missing items "
     "(developer guide, transaction capacity)", _transaction_capacity),
]


def explain(operation, request, dunlin, ddblocal):
    """The name of the entry (or "+"-joined names of the reconcilers) that explains the pair,
    or None."""
    for name, _, _, predicate in KNOWN_DIFFERENCES:
        if predicate(operation, request, dunlin, ddblocal):
            return name
    applied = []
    for name, _, _, reconcile in RECONCILERS:
        reconciled = reconcile(operation, request, dunlin, ddblocal)
        if reconciled is not None:
            dunlin, ddblocal = reconciled
            applied.append(name)
    if applied and dunlin == ddblocal:
        return "+".join(applied)
    return None
