"""Random DynamoDB attribute values, keys and attribute names for the differential tester.

Everything here draws from a random.Random passed in, so a seed fixes every choice. Pools are
small on purpose: the same few keys, names and values come back again and again, so items
collide, conditions both hold and fail, and sets meet their duplicates.

Values are mostly valid; a small share is not (numbers out of range or with too many digits,
empty or duplicated sets, unknown type descriptors), the way clients get them wrong.
"""

import base64
from decimal import Context, Decimal

import faults

# Partition key values, sort key values (numbers) and index key values of the key space.
PARTITION_KEYS = ("a", "b", "c")
SORT_KEYS = ("1", "2", "3")
INDEX_KEYS = ("x", "y")

# Attribute names that are not key attributes. "name", "size" and "count" are reserved words:
# written into an expression without a placeholder they are an error.
NAMES = ("a", "b", "c", "m", "l", "name", "size")
RESERVED_NAMES = ("name", "size")
NESTED_NAMES = ("x", "y")

STRINGS = ("", "a", "b", "ab", "abc", "B", "a b", "\u00e9", "\u4e2d\u6587", "zz", "1", "x")
# Numbers: canonical and not, edges of DynamoDB's range and precision, and a few invalid ones
# (39 significant digits, beyond 1E+126 or below 1E-130, not numbers at all).
NUMBERS = ("0", "1", "2", "3", "-1", "10", "0.5", "-0.5", "1.50", "007", "-0", "0.000", "1e3",
           "1E+2", "-2.5e-3", "12345678901234567890123456789012345678",
           "1.2345678901234567890123456789012345678",
           "9.9999999999999999999999999999999999999E+125",
           "-9.9999999999999999999999999999999999999E+125", "1E-130", "-1E-130",
           "123456789012345678901234567890123456789", "1E+126", "1E-131", "abc", "", " 1",
           "1.", ".5", "+5", "0x10", "1e", "Infinity", "NaN")
INVALID_NUMBERS = frozenset(("123456789012345678901234567890123456789", "1E+126", "1E-131",
                             "abc", "", " 1", "0x10", "1e", "Infinity", "NaN"))
BINARIES = (b"", b"\x00", b"a", b"ab", b"\xff\xfe", b"abc")


def number_identity(text):
    """The number `text` stands for, as one string: "1", "1.0" and "1E0" are one number, and
    "-0" and "0.000" are zero."""
    value = Decimal(text)
    return "0" if value == 0 else format(value.normalize(Context(prec=200)), "f")


def b64(data):
    return base64.b64encode(data).decode("ascii")


def number(rng, valid_share=0.9):
    if rng.random() < valid_share or not faults.enabled:
        return rng.choice([n for n in NUMBERS if n not in INVALID_NUMBERS])
    return rng.choice(NUMBERS)


def scalar(rng):
    kind = rng.choice(("S", "S", "N", "N", "B", "BOOL", "NULL"))
    if kind == "S":
        return {"S": rng.choice(STRINGS)}
    if kind == "N":
        return {"N": number(rng)}
    if kind == "B":
        return {"B": b64(rng.choice(BINARIES))}
    if kind == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    return {"NULL": True}


def a_set(rng, kind=None):
    kind = kind or rng.choice(("SS", "NS", "BS"))
    size = rng.choice((0, 1, 1, 2, 2, 3))  # an empty set is invalid
    if not faults.enabled:
        size = max(size, 1)
    if kind == "SS":
        members = [rng.choice(STRINGS[1:6]) for _ in range(size)]
    elif kind == "NS":
        members = [number(rng, 0.97) for _ in range(size)]
    else:
        members = [b64(rng.choice(BINARIES[1:])) for _ in range(size)]
    if not faults.enabled:
        # Distinct members ("1" and "1.0" are one number).
        seen, distinct = set(), []
        for member in members:
            identity = number_identity(member) if kind == "NS" else member
            if identity not in seen:
                seen.add(identity)
                distinct.append(member)
        members = distinct
    return {kind: members}


def value(rng, depth=0):
    """Any attribute value; documents nest up to three levels here."""
    roll = rng.random()
    if roll < 0.55 or depth >= 3:
        return scalar(rng)
    if roll < 0.7:
        return a_set(rng)
    if roll < 0.85:
        return {"L": [value(rng, depth + 1) for _ in range(rng.choice((0, 1, 2, 3)))]}
    names = rng.sample(NESTED_NAMES + ("z",), rng.choice((0, 1, 2, 3)))
    return {"M": {name: value(rng, depth + 1) for name in names}}


def malformed_value(rng):
    """A value DynamoDB refuses for its shape."""
    return rng.choice(({}, {"S": "a", "N": "1"}, {"X": "a"}, {"NULL": False}, {"SS": ["a", "a"]},
                       {"NS": []}, {"L": [{}]}, {"M": {"k": {"Q": "1"}}}, {"B": "not base64!"}))


def comparable(rng):
    """A value for a comparison: usually a string or number from the pools."""
    roll = rng.random()
    if roll < 0.4:
        return {"S": rng.choice(STRINGS)}
    if roll < 0.8:
        return {"N": number(rng, 0.97)}
    return value(rng)


def key(rng, table):
    """A key of `table` ("H": pk, "R": pk and sk); now and then one that is wrong."""
    roll = rng.random()
    item = {"pk": {"S": rng.choice(PARTITION_KEYS)}}
    if table == "R":
        item["sk"] = {"N": rng.choice(SORT_KEYS)}
    if roll < 0.95 or not faults.enabled:
        return item
    mistake = rng.choice(("type", "empty", "missing", "extra"))
    if mistake == "type":
        item["pk"] = {"N": "1"}
    elif mistake == "empty":
        item["pk"] = {"S": ""}
    elif mistake == "missing":
        item.pop("sk" if table == "R" else "pk")
    else:
        item["a"] = {"S": "a"}
    return item


def item(rng, table):
    """An item of `table`: its key and a few attributes; index keys on R now and then."""
    result = key(rng, table)
    for name in rng.sample(NAMES, rng.choice((0, 1, 2, 3, 4))):
        result[name] = value(rng)
    if table == "R":
        typed = 0.95 if faults.enabled else 1.0
        if rng.random() < 0.5:
            result["gk"] = {"S": rng.choice(INDEX_KEYS)} if rng.random() < typed else value(rng)
        if rng.random() < 0.4:
            result["lk"] = {"S": rng.choice(INDEX_KEYS)} if rng.random() < typed else value(rng)
    if rng.random() < 0.02 and faults.enabled:
        result[rng.choice(NAMES)] = malformed_value(rng)
    return result
