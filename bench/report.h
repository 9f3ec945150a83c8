// Results of a dunlin-bench run: per-thread statistics, their merge, and the two report forms
// (a human-readable block, and one JSON line for scripts).
//
// Conventions. A request is "ok" when answered 2xx and an error otherwise (non-2xx answer, lost
// connection, timeout); errors never stop a run. Latency histograms hold ok answers only, in
// nanoseconds to reading the whole answer from handing the request to the connection (closed
// loop) or from its scheduled send time (open loop, --rate; see bench/pacer.h), so a run against
// a throttling server does not look fast. Counts and histograms cover the measurement window
// (answers read after --warmup, until the end of --duration or the last of --requests); the *_all
// fields cover every phase, for the counter check.
//
// Thread-safety: plain values; each thread fills its own RunStats.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "bench/histogram.h"
#include "bench/workload.h"

namespace dunlin {
class JsonWriter;
}  // namespace dunlin

namespace dunlin::bench {

// A latency histogram (ns) as a JSON object of microseconds with one decimal: mean, p50, p90,
// p99, p99_9 and max; and as one line of text ("mean 1.0  p50 ...  max ...").
void WriteLatencyObject(JsonWriter& json, const LatencyHistogram& latency);
std::string LatencyLine(const LatencyHistogram& latency);

struct OperationStats {
  LatencyHistogram latency;  // ns, ok answers completed in the window
  int64_t ok = 0;            // in the window
  int64_t errors = 0;        // in the window
  int64_t missing = 0;       // ok answers without the expected data (SlotOutcome::missing)
  int64_t ok_all = 0;        // ok answers in any phase
  // Errors of any phase that may still have been applied: no answer, or a 5xx.
  int64_t uncertain_all = 0;
};

struct RunStats {
  std::array<OperationStats, kOperationCount> operations;
  // Errors in the window by kind: "<status> <__type>" ("400 ConditionalCheckFailedException",
  // "500 -" without a type), "timeout", or "connection: <reason>".
  std::map<std::string, int64_t> errors_by_type;
  int64_t errors_all = 0;        // errors in any phase
  int64_t connect_failures = 0;  // failed (re)connection attempts; not requests
  // Open loop only: ns from each counted request's scheduled send time to its actual hand-off
  // to the connection (ok answers in the window, like the latencies).
  LatencyHistogram send_lag;
  // Open loop only: requests due before the run ended that were never sent (Pacer rule 4).
  int64_t unsent = 0;
  // Length of the measurement window; the longest of the threads' after Merge().
  double window_seconds = 0;

  OperationStats& Of(Operation op) { return operations[static_cast<int>(op)]; }
  const OperationStats& Of(Operation op) const { return operations[static_cast<int>(op)]; }
  // Adds `other`'s counts and histograms to these.
  void Merge(const RunStats& other);
  int64_t TotalOk() const;
  int64_t TotalErrors() const;
  int64_t TotalMissing() const;
  // The latencies of every operation together.
  LatencyHistogram AllLatencies() const;
};

// The settings a report echoes, so that a line of JSON stands on its own.
struct RunDescription {
  std::string endpoint;
  Workload workload = Workload::kGet;
  int threads = 1;
  int connections = 1;
  int in_flight = 1;
  int item_bytes = 200;
  int64_t keys = 0;
  std::string table;  // the table the requests went to
  int gsi_count = 0;  // its global secondary indexes (put-gsi); 0 for the plain table
  uint64_t seed = 0;
  double warmup_seconds = 0;
  double duration_seconds = 0;  // as asked; 0 with --requests
  int64_t requests = 0;         // as asked; 0 with --duration
  double rate = 0;              // offered requests per second (--rate); 0 for a closed loop
};

// The update workload's increments, and with --check the counters read before and after the run.
struct CounterCheck {
  int64_t acknowledged = 0;  // ok UpdateItem answers in every phase
  int64_t uncertain = 0;     // UpdateItem errors that may still have been applied
  bool checked = false;      // before and after were read
  int64_t before = 0;        // sum of the counters before the run
  int64_t after = 0;         // and after it
  // REQUIRES: checked. The increase is at least every acknowledged increment and at most those
  // plus the uncertain ones.
  bool Passed() const {
    const int64_t increase = after - before;
    return increase >= acknowledged && increase <= acknowledged + uncertain;
  }
};

// One line of JSON (no trailing newline) with every figure of the run: settings ("table", and
// "gsi_count" only for the indexed table), "loop" ("closed" or "open"), "ok", "errors",
// "ops_per_s", "latency_us" {mean, p50, p90, p99, p99_9, max}, "errors_by_type", and the same per
// operation under "operations"; for the update workload "counters". An open-loop run adds
// "offered_ops_per_s" (the --rate), "achieved_ops_per_s" (ok answers per second of the window, the
// same figure as "ops_per_s"), "unsent" and "send_lag_us" {mean, p50, p90, p99, p99_9, max}.
std::string FormatJson(const RunDescription& description, const RunStats& stats,
                       const std::optional<CounterCheck>& check);
// The same for people, several lines ending with a newline.
std::string FormatText(const RunDescription& description, const RunStats& stats,
                       const std::optional<CounterCheck>& check);

}  // namespace dunlin::bench
