#!/usr/bin/env python3
"""Side-by-side benchmark: Dunlin, DynamoDB Local and dynalite on this machine, in one run.

For each server: start-up time (process start to the first successful ListTables) and idle RSS;
then it loads the key space (RSS after loading is recorded) and runs every workload with
build/dunlin-bench. With put-gsi among the workloads, each server also creates and loads the
indexed table (dunlin-bench --workload put-gsi --create-table --load --setup-only: the same key
space with --gsi-count global secondary indexes) before any workload runs; its load time is a row
of its own. Workloads alternate between the servers (all servers for put, then all for
get, ...), each server running alone, so that the machine's background noise spreads evenly.
Then, with --latency-at-half-peak (the default), the put and get workloads run once more on every
server in dunlin-bench's open loop (--rate) at half of Dunlin's closed-loop throughput for that
workload, the same offered rate for all servers, for the latency at a fixed load. Writes a
Markdown table of absolute figures and ratios (Dunlin / other) to stdout, and every
raw JSON result to --raw.

Usage (scripts/bench-compare.sh installs what is missing and calls this):
  bench/compare.py --ddblocal-dir DIR --dynalite-bin PATH [--duration 10] [--keys 100000]
                   [--servers dunlin,ddblocal,dynalite] [--workloads put,get,mix,update,query,scan]
                   [--gsi-count 2] [--no-latency-at-half-peak]
Workloads: put, get, mix, update, query, scan, transact, put-gsi, put-stream, stream-lag.
put-stream puts into a table of its own with a NEW_AND_OLD_IMAGES stream (created and loaded like
the indexed table), to set beside put; stream-lag measures the time from a write to its stream
record being readable (one writer at --lag-rate writes/s, a reader polling GetRecords; rows of
their own). A server that cannot run a workload (dynalite has no Streams API) shows n/a.

Dunlin runs with a data directory and durable writes (synced WAL, group commit), DynamoDB Local
with -inMemory (its fastest mode), dynalite in memory. Servers bind 127.0.0.1 only.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(REPO, "build", "dunlin-bench")
DUNLIN = os.path.join(REPO, "build", "dunlin")
NAMES = {"dunlin": "Dunlin", "ddblocal": "DynamoDB Local", "dynalite": "dynalite"}
# Workloads measured again at half of Dunlin's peak with --latency-at-half-peak.
HALF_PEAK_WORKLOADS = ("put", "get")
# Workloads on tables of their own, created and loaded apart from the plain one before any
# workload runs: workload -> the fact its load time is kept under.
SETUP_WORKLOADS = {"put-gsi": "load_gsi_s", "put-stream": "load_stream_s"}
# Workloads that a server may not support: a failure shows as n/a instead of ending the run.
OPTIONAL_WORKLOADS = ("put-stream", "stream-lag")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def list_tables_ok(endpoint):
    request = urllib.request.Request(endpoint + "/", data=b"{}", method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "DynamoDB_20120810.ListTables",
        "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
        "Authorization": "AWS4-HMAC-SHA256 Credential=benchkey/"
                         + time.strftime("%Y%m%d", time.gmtime())
                         + "/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature="
                         + "0" * 64})
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return response.status == 200
    except Exception:
        return False


def rss_kib(pid):
    """Resident set of a process and its descendants, in KiB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/task/{current}/children") as children:
                pids.extend(int(child) for child in children.read().split())
        except OSError:
            pass
    return total


class Server:
    def __init__(self, kind, args, work_dir):
        self.kind = kind
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(work_dir, f"{kind}.log"), "wb")
        if kind == "dunlin":
            data_dir = os.path.join(work_dir, "dunlin-data")
            self.command = [DUNLIN, "serve", "--listen", f"127.0.0.1:{self.port}",
                            "--data-dir", data_dir, "--log-level", "warn"]
            self.cwd = REPO
        elif kind == "ddblocal":
            self.command = ["java", "-Djava.library.path=./DynamoDBLocal_lib", "-jar",
                            "DynamoDBLocal.jar", "-inMemory", "-port", str(self.port)]
            self.cwd = args.ddblocal_dir
        else:
            self.command = [args.dynalite_bin, "--host", "127.0.0.1", "--port", str(self.port)]
            self.cwd = REPO
        self.process = None

    def start(self):
        began = time.monotonic()
        self.process = subprocess.Popen(self.command, cwd=self.cwd, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        while not list_tables_ok(self.endpoint):
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited at start; see its log")
            if time.monotonic() - began > 120:
                raise RuntimeError(f"{self.kind} did not answer within 120 s")
            time.sleep(0.002)
        return time.monotonic() - began

    def rss_mib(self):
        return rss_kib(self.process.pid) / 1024.0

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def bench(server, args, workload, extra=()):
    command = [BENCH, "--endpoint", server.endpoint, "--workload", workload, "--json",
               "--threads", str(args.threads), "--connections", str(args.connections),
               "--keys", str(args.keys), "--item-bytes", str(args.item_bytes),
               "--gsi-count", str(args.gsi_count), "--seed", str(args.seed), *extra]
    if workload == "stream-lag":
        command += ["--rate", str(args.lag_rate)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        if workload in OPTIONAL_WORKLOADS:
            print(f"{server.kind} {workload}: not measured: {result.stderr.strip()}",
                  file=sys.stderr)
            return None
        raise RuntimeError(f"dunlin-bench {workload} on {server.kind} failed: {result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ddblocal-dir")
    parser.add_argument("--dynalite-bin")
    parser.add_argument("--servers", default="dunlin,ddblocal,dynalite")
    parser.add_argument("--workloads", default="put,get,mix,update,query,scan")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--keys", type=int, default=100000)
    parser.add_argument("--item-bytes", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--gsi-count", type=int, default=2,
                        help="global secondary indexes of the put-gsi workload's table (1..20)")
    parser.add_argument("--lag-rate", type=float, default=1000,
                        help="writes per second of the stream-lag workload")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--raw", default=None, help="file for every raw JSON result")
    parser.add_argument("--latency-at-half-peak", action=argparse.BooleanOptionalAction,
                        default=True,
                        help="after the closed-loop runs, run put and get on every server at a "
                             "fixed rate of half Dunlin's peak for that workload (needs dunlin "
                             "among --servers)")
    args = parser.parse_args()
    kinds = args.servers.split(",")
    workloads = args.workloads.split(",")

    work_dir = tempfile.mkdtemp(prefix="dunlin-compare-")
    servers = {kind: Server(kind, args, work_dir) for kind in kinds}
    facts = {kind: {} for kind in kinds}
    results = {kind: {} for kind in kinds}
    paced = {kind: {} for kind in kinds}
    rates = {}
    raw = []
    try:
        for kind, server in servers.items():
            facts[kind]["startup_ms"] = server.start() * 1000
            time.sleep(1)
            facts[kind]["idle_rss_mib"] = server.rss_mib()
            began = time.monotonic()
            bench(server, args, "none", ["--create-table", "--load"])
            facts[kind]["load_s"] = time.monotonic() - began
            facts[kind]["loaded_rss_mib"] = server.rss_mib()
            for workload, fact in SETUP_WORKLOADS.items():
                if workload in workloads:
                    began = time.monotonic()
                    if bench(server, args, workload,
                             ["--create-table", "--load", "--setup-only"]) is not None:
                        facts[kind][fact] = time.monotonic() - began
            if "stream-lag" in workloads and "put-stream" not in workloads:
                bench(server, args, "stream-lag", ["--create-table", "--setup-only"])
            print(f"{kind}: ready", file=sys.stderr)
        for workload in workloads:
            for kind, server in servers.items():
                result = bench(server, args, workload,
                               ["--duration", str(args.duration), "--warmup", str(args.warmup)])
                results[kind][workload] = result or {}
                if result is None:
                    continue
                raw.append({"server": kind, "workload": workload, "result": result})
                if workload == "stream-lag":
                    print(f"{kind} {workload}: p99 "
                          f"{(result.get('lag_us', {}).get('p99') or 0) / 1000.0:.2f} ms, "
                          f"{result.get('missing', 0)} missing", file=sys.stderr)
                else:
                    print(f"{kind} {workload}: {result.get('ops_per_s', 0):.0f} ops/s, "
                          f"{result.get('errors', 0)} errors", file=sys.stderr)
        if args.latency_at_half_peak:
            rates = half_peak_rates(kinds, workloads, results)
        for workload, rate in rates.items():
            for kind, server in servers.items():
                result = bench(server, args, workload,
                               ["--duration", str(args.duration), "--warmup", str(args.warmup),
                                "--rate", str(rate)])
                paced[kind][workload] = result
                raw.append({"server": kind, "workload": workload, "rate": rate,
                            "result": result})
                p99_ms = (result.get("latency_us", {}).get("p99") or 0) / 1000.0
                print(f"{kind} {workload} at {rate} ops/s: {p99_ms:.2f} ms p99, "
                      f"{result.get('achieved_ops_per_s', 0):.0f} ops/s achieved, "
                      f"{result.get('errors', 0)} errors, {result.get('unsent', 0)} unsent",
                      file=sys.stderr)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    if args.raw:
        with open(args.raw, "w") as out:
            json.dump({"facts": facts, "runs": raw}, out, indent=1)
    write_table(kinds, workloads, facts, results, paced, rates, args)


def half_peak_rates(kinds, workloads, results):
    """Offered rate per workload for the open-loop runs: half of Dunlin's closed-loop ops/s."""
    if "dunlin" not in kinds:
        print("latency at half peak skipped: it needs dunlin among --servers", file=sys.stderr)
        return {}
    rates = {}
    for workload in HALF_PEAK_WORKLOADS:
        peak = results["dunlin"].get(workload, {}).get("ops_per_s") or 0
        if workload in workloads and round(peak / 2) > 0:
            rates[workload] = round(peak / 2)
    return rates


def write_table(kinds, workloads, facts, results, paced, rates, args):
    others = [kind for kind in kinds if kind != "dunlin"]
    header = ["measure"] + [NAMES[kind] for kind in kinds]
    header += [f"Dunlin / {NAMES[kind]}" for kind in others if "dunlin" in kinds]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))

    def row(label, values, lower_is_better=False, fmt="{:.0f}", ratio=True):
        cells = [label] + [fmt.format(values[kind]) if values.get(kind) is not None else "n/a"
                           for kind in kinds]
        if "dunlin" in kinds:
            for kind in others:
                if not ratio:
                    cells.append("")
                    continue
                a, b = values.get("dunlin"), values.get(kind)
                if a and b:
                    ratio = b / a if lower_is_better else a / b
                    cells.append(f"{ratio:.1f}x")
                else:
                    cells.append("n/a")
        print("| " + " | ".join(cells) + " |")

    for workload in workloads:
        if workload == "stream-lag":
            write_stream_lag_rows(row, kinds, results, args)
            continue
        row(f"{workload} ops/s", {k: results[k].get(workload, {}).get("ops_per_s") for k in kinds})
        for percentile in ("p50", "p99", "p99_9"):
            row(f"{workload} {percentile.replace('_', '.')} ms",
                {k: (results[k].get(workload, {}).get("latency_us", {}).get(percentile) or 0)
                 / 1000.0 or None for k in kinds},
                lower_is_better=True, fmt="{:.2f}")
        row(f"{workload} errors", {k: results[k].get(workload, {}).get("errors") for k in kinds},
            fmt="{}", ratio=False)
        if workload in rates:
            at = f"at {rates[workload]} ops/s (half Dunlin's peak)"
            for percentile in ("p50", "p99", "p99_9"):
                row(f"{workload} {percentile.replace('_', '.')} ms {at}",
                    {k: (paced[k].get(workload, {}).get("latency_us", {}).get(percentile) or 0)
                     / 1000.0 or None for k in kinds},
                    lower_is_better=True, fmt="{:.2f}")
            row(f"{workload} achieved ops/s {at}",
                {k: paced[k].get(workload, {}).get("achieved_ops_per_s") for k in kinds})
    row("start-up ms", {k: facts[k]["startup_ms"] for k in kinds}, lower_is_better=True,
        fmt="{:.0f}")
    row("idle RSS MiB", {k: facts[k]["idle_rss_mib"] for k in kinds}, lower_is_better=True,
        fmt="{:.1f}")
    row(f"RSS after loading {args.keys} items, MiB", {k: facts[k]["loaded_rss_mib"] for k in kinds},
        lower_is_better=True, fmt="{:.1f}")
    row(f"load of {args.keys} items, s", {k: facts[k]["load_s"] for k in kinds},
        lower_is_better=True, fmt="{:.1f}")
    if any("load_gsi_s" in facts[k] for k in kinds):
        row(f"load of {args.keys} items with {args.gsi_count} global secondary indexes, s",
            {k: facts[k].get("load_gsi_s") for k in kinds}, lower_is_better=True, fmt="{:.1f}")
    if any("load_stream_s" in facts[k] for k in kinds):
        row(f"load of {args.keys} items with a stream, s",
            {k: facts[k].get("load_stream_s") for k in kinds}, lower_is_better=True, fmt="{:.1f}")


def write_stream_lag_rows(row, kinds, results, args):
    """Rows of the stream-lag workload: write to readable record, and the stream's tally."""
    lag = {k: results[k].get("stream-lag", {}) for k in kinds}
    at = f"at {args.lag_rate:.0f} writes/s"
    for percentile in ("p50", "p99", "p99_9", "max"):
        row(f"stream-lag: write to readable record {percentile.replace('_', '.')} ms {at}",
            {k: (lag[k].get("lag_us", {}).get(percentile) or 0) / 1000.0 or None for k in kinds},
            lower_is_better=True, fmt="{:.2f}")
    row(f"stream-lag: write answered p99 ms {at}",
        {k: (lag[k].get("write_latency_us", {}).get("p99") or 0) / 1000.0 or None
         for k in kinds}, lower_is_better=True, fmt="{:.2f}")
    row("stream-lag: records missing, duplicated or unexpected",
        {k: (lag[k].get("missing", 0) + lag[k].get("duplicates", 0) + lag[k].get("unexpected", 0)
             if lag[k] else None) for k in kinds}, fmt="{}", ratio=False)


if __name__ == "__main__":
    main()
