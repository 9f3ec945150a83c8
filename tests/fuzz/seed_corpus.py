#!/usr/bin/env python3
"""Turns the expressions of the golden files into a seed corpus for expression_parser_fuzz.

Each `expr` line of tests/unit/expressions/golden/*.txt becomes one corpus file: one byte that
picks the kind of expression, as the fuzz target reads it (0 condition, 1 filter, 2 update,
3 projection, 4 key_condition), then the expression text as UTF-8. The kind is the block's
`kind` line, else the file's `@kind` default (format in docs/expressions.md, "Golden files").
Files are named by the SHA-1 of their content, as libFuzzer names its own, so identical seeds
collapse into one file and reruns rewrite the same names.

Usage: seed_corpus.py GOLDEN_DIR OUTPUT_DIR
Prints the number of seeds written. Standard library only.
"""

import hashlib
import pathlib
import sys

# The first input byte of expression_parser_fuzz.cc, modulo 5.
KIND_BYTES = {
    "condition": 0,
    "filter": 1,
    "update": 2,
    "projection": 3,
    "key_condition": 4,
}


def blocks(path):
    """Yields (kind, expr, line number) for every block of a golden file that has an expr."""
    default_kind = None
    block = None  # the fields of the block being read; its kind defaults as it starts
    start = 0
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\n")
            if line.startswith("@kind "):
                default_kind = line[len("@kind "):]
            elif not line.strip():
                if block and "expr" in block:
                    yield block["kind"], block["expr"], start
                block = None
            elif not line.startswith("#"):
                if block is None:
                    block = {"kind": default_kind}
                    start = number
                key, _, rest = line.partition(" ")
                block[key] = rest
    if block and "expr" in block:
        yield block["kind"], block["expr"], start


def main(argv):
    if len(argv) != 3:
        print("usage: seed_corpus.py GOLDEN_DIR OUTPUT_DIR", file=sys.stderr)
        return 2
    golden_dir = pathlib.Path(argv[1])
    output_dir = pathlib.Path(argv[2])
    output_dir.mkdir(parents=True, exist_ok=True)
    written = set()
    for path in sorted(golden_dir.glob("*.txt")):
        for kind, expr, line in blocks(path):
            if kind not in KIND_BYTES:
                print(f"{path}:{line}: unknown kind {kind!r}", file=sys.stderr)
                return 1
            data = bytes([KIND_BYTES[kind]]) + expr.encode("utf-8")
            name = hashlib.sha1(data).hexdigest()
            (output_dir / name).write_bytes(data)
            written.add(name)
    if not written:
        print(f"no expressions found under {golden_dir}", file=sys.stderr)
        return 1
    print(len(written))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
