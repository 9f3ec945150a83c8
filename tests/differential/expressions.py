"""Random DynamoDB expressions (conditions, filters, updates, projections, key conditions) for
the differential tester.

An Expressions object collects the placeholders one request's expressions use, so that the
request's ExpressionAttributeNames and ExpressionAttributeValues hold exactly those, apart from a
small share of requests that get one unused or one missing on purpose (both are errors in
DynamoDB). Names are written with a "#" placeholder most of the time and directly otherwise;
the reserved words among values.NAMES then make the expression invalid, as they should.
"""

import faults
from values import NAMES, NESTED_NAMES, RESERVED_NAMES, comparable, number, value

COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
TYPES = ("S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS")
# Garbage that the parser must refuse with DynamoDB's syntax error.
BROKEN = ("a = = b", "(a = :v", "a BETWEEN :v", "attribute_exists()", "a IN ()", "#", ":",
          "a = :v AND", "NOT", "size(a) = ", "a.b.", "a[x]", "a[-1] = :v", "SET", "SET a",
          "REMOVE", "ADD a", "SET a = :v REMOVE", "a,,b", "foo(a)", "a = :v :v", "")


class Expressions:
    def __init__(self, rng):
        self.rng = rng
        self.names = {}
        self.values = {}

    def name(self, name):
        """`name` as written in an expression: a placeholder, or itself."""
        if self.rng.random() < 0.8 or (not faults.enabled and name in RESERVED_NAMES):
            placeholder = "#" + ("k" if name in ("pk", "sk", "gk", "lk") else "n") + name
            self.names[placeholder] = name
            return placeholder
        return name

    def value(self, attribute_value):
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = attribute_value
        return placeholder

    def path(self, top=None):
        rng = self.rng
        path = self.name(top or rng.choice(NAMES))
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            if rng.random() < 0.5:
                path += "." + self.name(rng.choice(NESTED_NAMES))
            else:
                path += f"[{rng.choice((0, 0, 1, 2))}]"
        return path

    def operand(self):
        roll = self.rng.random()
        if roll < 0.45:
            return self.path()
        if roll < 0.9:
            return self.value(comparable(self.rng))
        return f"size({self.path()})"

    def condition(self, depth=0):
        rng = self.rng
        roll = rng.random()
        if depth < 2 and roll < 0.2:
            joiner = rng.choice(("AND", "OR"))
            return f"{self.condition(depth + 1)} {joiner} {self.condition(depth + 1)}"
        if depth < 2 and roll < 0.25:
            return f"NOT {self.condition(depth + 1)}"
        if depth < 2 and roll < 0.3:
            return f"({self.condition(depth + 1)})"
        kind = rng.choice(("cmp", "cmp", "cmp", "between", "in", "exists", "not_exists", "type",
                           "begins", "contains", "size"))
        if kind == "cmp":
            return f"{self.operand()} {rng.choice(COMPARATORS)} {self.operand()}"
        if kind == "between":
            return f"{self.operand()} BETWEEN {self.operand()} AND {self.operand()}"
        if kind == "in":
            options = ", ".join(self.operand() for _ in range(rng.choice((1, 2, 3))))
            return f"{self.operand()} IN ({options})"
        if kind == "exists":
            return f"attribute_exists({self.path()})"
        if kind == "not_exists":
            return f"attribute_not_exists({self.path()})"
        if kind == "type":
            type_name = rng.choice(TYPES + ("X",))
            return f"attribute_type({self.path()}, {self.value({'S': type_name})})"
        if kind == "begins":
            return f"begins_with({self.path()}, {self.operand()})"
        if kind == "contains":
            return f"contains({self.path()}, {self.operand()})"
        return f"size({self.path()}) {rng.choice(COMPARATORS)} {self.value({'N': number(rng)})}"

    def update(self):
        rng = self.rng
        clauses = []
        # Without faults, every action writes under its own top-level name, so no two paths
        # overlap; ADD and DELETE write top-level attributes, as DynamoDB requires.
        tops = list(rng.sample(NAMES, len(NAMES)))

        def target(top_level=False):
            if faults.enabled:
                return self.path()
            top = tops.pop()
            return self.name(top) if top_level else self.path(top)

        for clause in rng.sample(("SET", "REMOVE", "ADD", "DELETE"), rng.choice((1, 1, 2, 3))):
            count = rng.choice((1, 1, 2)) if faults.enabled else 1
            if clause == "SET":
                actions = [f"{target()} = {self.set_value()}" for _ in range(count)]
            elif clause == "REMOVE":
                actions = [target() for _ in range(count)]
            elif clause == "ADD":
                actions = [f"{target(True)} {self.value(self.add_value())}"
                           for _ in range(count)]
            else:
                actions = [f"{target(True)} {self.value(self.delete_value())}"
                           for _ in range(count)]
            clauses.append(f"{clause} {', '.join(actions)}")
        return " ".join(clauses)

    def set_value(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            return self.value(value(rng)) if rng.random() < 0.7 else self.path()
        if roll < 0.7:
            return f"{self.operand()} {rng.choice('+-')} {self.operand()}"
        if roll < 0.85:
            return f"if_not_exists({self.path()}, {self.operand()})"
        return f"list_append({self.operand()}, {self.value({'L': [value(rng)]})})"

    def add_value(self):
        rng = self.rng
        if rng.random() < 0.6:
            return {"N": number(rng)}
        choices = ({"SS": ["a"]}, {"SS": ["b", "ab"]}, {"NS": ["1"]}, {"BS": ["YQ=="]})
        return rng.choice(choices + (({"S": "a"},) if faults.enabled else ()))

    def delete_value(self):
        choices = ({"SS": ["a"]}, {"SS": ["b", "ab"]}, {"NS": ["1", "2"]}, {"BS": ["YQ=="]})
        return self.rng.choice(choices + (({"N": "1"},) if faults.enabled else ()))

    def projection(self):
        count = self.rng.choice((1, 1, 2, 3))
        if not faults.enabled:
            # Paths under distinct top-level names cannot overlap.
            return ", ".join(self.path(top) for top in self.rng.sample(NAMES, count))
        return ", ".join(self.path() for _ in range(count))

    def key_condition(self, table, index=None):
        """A key condition on `table` ("H" or "R") or one of R's indexes ("gsi": gk, "lsi": pk
        and lk); now and then one DynamoDB refuses."""
        rng = self.rng
        hash_name, range_name = {None: ("pk", "sk" if table == "R" else None),
                                 "gsi": ("gk", None), "lsi": ("pk", "lk")}[index]
        hash_value = {"S": rng.choice(("x", "y") if index == "gsi" else ("a", "b", "c"))}
        if rng.random() < 0.05 and faults.enabled:
            hash_value = comparable(rng)
        parts = [f"{self.name(hash_name)} = {self.value(hash_value)}"]
        if range_name and rng.random() < 0.6:
            numeric = range_name == "sk"
            strings = ("x", "y", "a") + (("",) if faults.enabled else ())
            sort_value = (lambda: {"N": rng.choice(("1", "2", "3", "0", "4"))}) if numeric else \
                (lambda: {"S": rng.choice(strings)})
            sort = self.name(range_name)
            kind = rng.choice(("cmp", "cmp", "between") +
                              (("begins",) if faults.enabled or not numeric else ()))
            if kind == "cmp":
                parts.append(f"{sort} {rng.choice(('=', '<', '<=', '>', '>='))} "
                             f"{self.value(sort_value())}")
            elif kind == "between":
                bounds = [sort_value(), sort_value()]
                if not faults.enabled:
                    bounds.sort(key=lambda v: float(v["N"]) if numeric else v["S"])
                parts.append(f"{sort} BETWEEN {self.value(bounds[0])} AND "
                             f"{self.value(bounds[1])}")
            else:
                parts.append(f"begins_with({sort}, {self.value(sort_value())})")
        if rng.random() < 0.05 and faults.enabled:
            # Not a key condition: a non-key attribute, OR, or a function keys cannot use.
            parts.append(rng.choice((f"{self.path()} = {self.value({'S': 'a'})}",
                                     f"attribute_exists({self.name(hash_name)})")))
        if rng.random() < 0.2:
            rng.shuffle(parts)
        joiner = " OR " if rng.random() < 0.02 and faults.enabled else " AND "
        return joiner.join(parts)

    def broken(self):
        return self.rng.choice(BROKEN)

    def attach(self, body):
        """Puts the placeholders into `body` (a request), with now and then one unused or one
        missing."""
        rng = self.rng
        names = dict(self.names)
        values = dict(self.values)
        roll = rng.random() if faults.enabled else 1.0
        if roll < 0.02:
            names["#unused"] = "a"
        elif roll < 0.04:
            values[":unused"] = {"S": "a"}
        elif roll < 0.05 and values:
            values.pop(rng.choice(sorted(values)))
        elif roll < 0.06 and names:
            names.pop(rng.choice(sorted(names)))
        if names:
            body["ExpressionAttributeNames"] = names
        if values:
            body["ExpressionAttributeValues"] = values
        elif rng.random() < 0.01 and faults.enabled:
            body["ExpressionAttributeValues"] = {}
        return body
