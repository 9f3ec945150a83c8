#!/usr/bin/env python3
"""The differential tester: the same random requests to Dunlin and to AWS's DynamoDB Local,
every answer compared.

    /usr/bin/python3 tests/differential/run.py --seed 1 --requests 5000
    /usr/bin/python3 tests/differential/run.py --requests 100000          # a fresh random seed
    /usr/bin/python3 tests/differential/run.py --replay divergence-1.json  # one saved case

It starts build/dunlin (in memory) and DynamoDB Local (in memory, from scripts/ddblocal.sh's
install) on free loopback ports, unless --dunlin-url / --ddblocal-url name running ones. Then,
sequence after sequence (generator.py), it creates the sequence's two tables on both servers,
sends each step to Dunlin and then to DynamoDB Local, and compares the two normalized answers
(normalize.py). A difference that known_differences.py explains is counted under its entry and
the sequence goes on (unless one server applied the request and the other refused it: their
data may then differ, so the sequence ends there); any other ends the sequence as a
divergence. The divergence is then shrunk (ddmin over the steps before it, each candidate
replayed on fresh tables of both servers) to a
shortest sequence that still ends in the same kind of difference on the same operation, and
reported with both answers; with --report-dir each is also saved as JSON that --replay runs
again.

--requests counts the generated steps; the setup and teardown requests come on top. The exit
status is 0 when no divergence is left unexplained, 1 otherwise, 2 when the run could not start.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "blackbox"))

from conftest import DdbLocalProcess, DunlinProcess, RawClient, find_ddblocal_dir  # noqa: E402

import generator  # noqa: E402
import faults  # noqa: E402
from known_differences import explain  # noqa: E402
from normalize import difference, normalize  # noqa: E402
from shrink import shrink  # noqa: E402

# The most candidate replays one shrink may take.
SHRINK_BUDGET = 400


def instantiate(value, names):
    """`value` with the table roles ("$H", "$R") replaced by table names, in strings and in
    object keys (RequestItems maps table names)."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [instantiate(v, names) for v in value]
    if isinstance(value, dict):
        return {names.get(k, k): instantiate(v, names) for k, v in value.items()}
    return value


class Pair:
    """The two endpoints, and fresh table names for each replay."""

    def __init__(self, dunlin_url, ddblocal_url, tag):
        self.dunlin = RawClient(dunlin_url)
        self.ddblocal = RawClient(ddblocal_url)
        self.tag = tag
        self.replays = 0
        self.sent = 0

    def fresh_names(self):
        self.replays += 1
        base = f"df{self.tag}_{self.replays}"
        return {"$H": base + "_h", "$R": base + "_r"}

    def send(self, operation, body, names):
        request = instantiate(body, names)
        self.sent += 1
        answers = []
        for client in (self.dunlin, self.ddblocal):
            response = client.request(operation, request)
            answers.append(normalize(operation, request, response.status, response.body))
        return request, answers[0], answers[1]


class Outcome:
    def __init__(self):
        self.explained = {}
        self.divergence = None  # (index, operation, kind, request, dunlin, ddblocal)
        self.steps_sent = 0


def replay(pair, setup, steps, teardown):
    """Runs one sequence on fresh tables; stops at the first unexplained divergence (its index
    is -1 for the setup)."""
    names = pair.fresh_names()
    outcome = Outcome()
    try:
        for operation, body in setup:
            request, dunlin, ddblocal = pair.send(operation, body, names)
            kind = difference(dunlin, ddblocal)
            if kind:
                outcome.divergence = (-1, operation, kind, request, dunlin, ddblocal)
                return outcome
        for index, (operation, body) in enumerate(steps):
            request, dunlin, ddblocal = pair.send(operation, body, names)
            outcome.steps_sent = index + 1
            kind = difference(dunlin, ddblocal)
            if not kind:
                continue
            known = explain(operation, request, dunlin, ddblocal)
            if known:
                outcome.explained[known] = outcome.explained.get(known, 0) + 1
                if (dunlin["status"] == 200) != (ddblocal["status"] == 200):
                    # One server applied the request and the other refused it: their data may
                    # differ from here on, so the sequence ends.
                    return outcome
                continue
            outcome.divergence = (index, operation, kind, request, dunlin, ddblocal)
            return outcome
        return outcome
    finally:
        for operation, body in teardown:
            pair.send(operation, body, names)


def shrink_divergence(pair, sequence, outcome):
    """The shortest steps found that still end in the same kind of divergence on the same
    operation, and that replay's divergence."""
    index, operation, kind = outcome.divergence[:3]
    steps = sequence.steps[:index + 1]
    last = {"divergence": outcome.divergence}

    def still_diverges(candidate):
        result = replay(pair, sequence.setup, candidate, sequence.teardown)
        found = result.divergence
        if found and found[0] == len(candidate) - 1 and found[1] == operation \
                and found[2] == kind:
            last["divergence"] = found
            return True
        return False

    if index < 0:
        return [], outcome.divergence
    kept = shrink(steps, still_diverges, SHRINK_BUDGET)
    # Replay the result once more so the reported answers are those of the kept steps.
    still_diverges(kept)
    return kept, last["divergence"]


def describe(number, case):
    lines = [f"divergence {number}: seed {case['seed']}, sequence {case['sequence']}, "
             f"{case['operation']} differs in {case['kind']}; "
             f"{len(case['steps'])} step(s) after the setup (CreateTable of H and R):"]
    for position, (operation, body) in enumerate(case["steps"], 1):
        lines.append(f"  {position}. {operation} {json.dumps(body, ensure_ascii=False)}")
    lines.append(f"  dunlin:   {json.dumps(case['dunlin'], ensure_ascii=False)}")
    lines.append(f"  ddblocal: {json.dumps(case['ddblocal'], ensure_ascii=False)}")
    return "\n".join(lines)


def start_servers(args, work_dir):
    processes = []
    dunlin_url, ddblocal_url = args.dunlin_url, args.ddblocal_url
    if not dunlin_url:
        dunlin = DunlinProcess(args.dunlin_bin, os.path.join(work_dir, "data"),
                               extra_args=["--in-memory"]).start()
        processes.append(dunlin)
        dunlin_url = dunlin.endpoint
    if not ddblocal_url:
        ddblocal = DdbLocalProcess(find_ddblocal_dir(args.ddblocal_dir)).start()
        processes.append(ddblocal)
        ddblocal_url = ddblocal.endpoint
    return processes, dunlin_url, ddblocal_url


def run(args, pair):
    started = time.monotonic()
    cases = []
    explained = {}
    steps_sent = 0
    number = 0
    while steps_sent < args.requests and len(cases) < args.max_divergences:
        if args.time_limit and time.monotonic() - started > args.time_limit:
            print(f"time limit of {args.time_limit} s reached", file=sys.stderr)
            break
        length = min(args.length, args.requests - steps_sent)
        sequence = generator.generate_sequence(args.seed, number, length)
        outcome = replay(pair, sequence.setup, sequence.steps, sequence.teardown)
        for name, count in outcome.explained.items():
            explained[name] = explained.get(name, 0) + count
        steps_sent += outcome.steps_sent
        if outcome.divergence is not None:
            steps, found = (shrink_divergence(pair, sequence, outcome) if args.shrink
                            else (sequence.steps[:outcome.divergence[0] + 1],
                                  outcome.divergence))
            case = {"seed": args.seed, "sequence": number, "operation": found[1],
                    "kind": found[2], "steps": steps, "dunlin": found[4], "ddblocal": found[5]}
            cases.append(case)
            print(describe(len(cases), case), file=sys.stderr)
            if args.report_dir:
                os.makedirs(args.report_dir, exist_ok=True)
                path = os.path.join(args.report_dir, f"divergence-{len(cases)}.json")
                with open(path, "w") as out:
                    json.dump(case, out, indent=1, ensure_ascii=False)
        number += 1
        if number % 20 == 0:
            print(f"{steps_sent} steps in {number} sequences, {len(cases)} divergence(s), "
                  f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    return {"seed": args.seed, "valid_only": not faults.enabled, "steps": steps_sent,
            "sequences": number, "requests": pair.sent, "divergences": len(cases),
            "explained": explained, "seconds": round(time.monotonic() - started, 1)}


def replay_case(args, pair):
    with open(args.replay) as source:
        case = json.load(source)
    steps = [tuple(step) for step in case["steps"]]
    outcome = replay(pair, generator.create_table_requests(), steps,
                     generator.delete_table_requests())
    if outcome.divergence is None:
        explained = ", ".join(f"{name}: {count}" for name, count in outcome.explained.items())
        print("no unexplained divergence" + (f" (explained: {explained})" if explained else
                                             ": the case replays identically on both servers"))
        return 0
    index, operation, kind, request, dunlin, ddblocal = outcome.divergence
    print(f"step {index + 1} ({operation}) differs in {kind}\n  request:  "
          f"{json.dumps(request, ensure_ascii=False)}\n  dunlin:   {json.dumps(dunlin)}\n"
          f"  ddblocal: {json.dumps(ddblocal)}")
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of every random choice (default: a fresh one, printed)")
    parser.add_argument("--requests", type=int, default=2000, help="generated steps to send")
    parser.add_argument("--length", type=int, default=60, help="steps per sequence")
    parser.add_argument("--max-divergences", type=int, default=20,
                        help="stop after this many unexplained divergences")
    parser.add_argument("--time-limit", type=float, default=0,
                        help="stop starting sequences after this many seconds (0: none)")
    parser.add_argument("--valid-only", action="store_true",
                        help="generate well-formed requests only (faults.py)")
    parser.add_argument("--no-shrink", dest="shrink", action="store_false")
    parser.add_argument("--report-dir", default=None, help="save each divergence here as JSON")
    parser.add_argument("--summary", default=None, help="write the run's summary here as JSON")
    parser.add_argument("--replay", default=None, help="replay one saved divergence")
    parser.add_argument("--dunlin-bin", default=os.path.join(REPO, "build", "dunlin"))
    parser.add_argument("--ddblocal-dir", default=None)
    parser.add_argument("--dunlin-url", default=None, help="a running Dunlin to use")
    parser.add_argument("--ddblocal-url", default=None, help="a running DynamoDB Local to use")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 2 ** 31)
    faults.set_enabled(not args.valid_only)
    print(f"seed {args.seed}{' (valid requests only)' if args.valid_only else ''}",
          file=sys.stderr)

    work_dir = tempfile.mkdtemp(prefix="dunlin-differential-")
    try:
        processes, dunlin_url, ddblocal_url = start_servers(args, work_dir)
    except RuntimeError as error:
        print(f"cannot start the servers: {error}", file=sys.stderr)
        return 2
    try:
        pair = Pair(dunlin_url, ddblocal_url, f"{args.seed % 100000}")
        if args.replay:
            return replay_case(args, pair)
        summary = run(args, pair)
    finally:
        for process in processes:
            process.stop()
    print(json.dumps(summary))
    if args.summary:
        with open(args.summary, "w") as out:
            json.dump(summary, out, indent=1)
    return 1 if summary["divergences"] else 0


if __name__ == "__main__":
    sys.exit(main())
