#include "bench/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/json_writer.h"

namespace dunlin::bench {
namespace {

constexpr double kNanosPerMicro = 1000.0;

struct PercentilePoint {
  std::string_view json_name;
  std::string_view text_name;
  double percentile;
};
constexpr PercentilePoint kPercentiles[] = {
    {"p50", "p50", 50.0}, {"p90", "p90", 90.0}, {"p99", "p99", 99.0}, {"p99_9", "p99.9", 99.9}};

// Microseconds with one decimal: enough for latencies, short enough to read.
double Micros(double nanos) { return std::round(nanos / kNanosPerMicro * 10.0) / 10.0; }

double PerSecond(int64_t count, double seconds) {
  return seconds > 0 ? std::round(count / seconds * 10.0) / 10.0 : 0.0;
}

}  // namespace

void WriteLatencyObject(JsonWriter& json, const LatencyHistogram& latency) {
  json.BeginObject();
  json.Key("mean");
  json.Double(Micros(latency.Mean()));
  for (const auto& point : kPercentiles) {
    json.Key(point.json_name);
    json.Double(Micros(static_cast<double>(latency.ValueAtPercentile(point.percentile))));
  }
  json.Key("max");
  json.Double(Micros(static_cast<double>(latency.max())));
  json.EndObject();
}

std::string LatencyLine(const LatencyHistogram& latency) {
  std::string line = fmt::format("mean {:.1f}", Micros(latency.Mean()));
  for (const auto& point : kPercentiles) {
    line += fmt::format("  {} {:.1f}", point.text_name,
                        Micros(static_cast<double>(latency.ValueAtPercentile(point.percentile))));
  }
  line += fmt::format("  max {:.1f}", Micros(static_cast<double>(latency.max())));
  return line;
}

void RunStats::Merge(const RunStats& other) {
  for (int i = 0; i < kOperationCount; ++i) {
    OperationStats& mine = operations[i];
    const OperationStats& theirs = other.operations[i];
    mine.latency.Merge(theirs.latency);
    mine.ok += theirs.ok;
    mine.errors += theirs.errors;
    mine.missing += theirs.missing;
    mine.ok_all += theirs.ok_all;
    mine.uncertain_all += theirs.uncertain_all;
  }
  for (const auto& [type, count] : other.errors_by_type) errors_by_type[type] += count;
  errors_all += other.errors_all;
  connect_failures += other.connect_failures;
  send_lag.Merge(other.send_lag);
  unsent += other.unsent;
  window_seconds = std::max(window_seconds, other.window_seconds);
}

int64_t RunStats::TotalOk() const {
  int64_t total = 0;
  for (const auto& op : operations) total += op.ok;
  return total;
}

int64_t RunStats::TotalErrors() const {
  int64_t total = 0;
  for (const auto& op : operations) total += op.errors;
  return total;
}

int64_t RunStats::TotalMissing() const {
  int64_t total = 0;
  for (const auto& op : operations) total += op.missing;
  return total;
}

LatencyHistogram RunStats::AllLatencies() const {
  LatencyHistogram all;
  for (const auto& op : operations) all.Merge(op.latency);
  return all;
}

std::string FormatJson(const RunDescription& description, const RunStats& stats,
                       const std::optional<CounterCheck>& check) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("workload");
  json.String(WorkloadName(description.workload));
  json.Key("endpoint");
  json.String(description.endpoint);
  json.Key("threads");
  json.Int(description.threads);
  json.Key("connections");
  json.Int(description.connections);
  json.Key("in_flight");
  json.Int(description.in_flight);
  json.Key("pipelined");
  json.Bool(description.in_flight > description.connections);
  json.Key("loop");
  json.String(description.rate > 0 ? "open" : "closed");
  json.Key("item_bytes");
  json.Int(description.item_bytes);
  json.Key("keys");
  json.Int(description.keys);
  json.Key("table");
  json.String(description.table);
  if (description.gsi_count > 0) {
    json.Key("gsi_count");
    json.Int(description.gsi_count);
  }
  json.Key("seed");
  json.Raw(std::to_string(description.seed));  // a uint64_t may not fit Int()
  json.Key("warmup_s");
  json.Double(description.warmup_seconds);
  if (description.requests > 0) {
    json.Key("requests_asked");
    json.Int(description.requests);
  } else {
    json.Key("duration_s");
    json.Double(description.duration_seconds);
  }
  json.Key("window_s");
  json.Double(std::round(stats.window_seconds * 1000.0) / 1000.0);
  json.Key("requests");
  json.Int(stats.TotalOk() + stats.TotalErrors());
  json.Key("ok");
  json.Int(stats.TotalOk());
  json.Key("errors");
  json.Int(stats.TotalErrors());
  json.Key("errors_all_phases");
  json.Int(stats.errors_all);
  json.Key("missing");
  json.Int(stats.TotalMissing());
  json.Key("connect_failures");
  json.Int(stats.connect_failures);
  json.Key("ops_per_s");
  json.Double(PerSecond(stats.TotalOk(), stats.window_seconds));
  if (description.rate > 0) {
    json.Key("offered_ops_per_s");
    json.Double(description.rate);
    json.Key("achieved_ops_per_s");
    json.Double(PerSecond(stats.TotalOk(), stats.window_seconds));
    json.Key("unsent");
    json.Int(stats.unsent);
  }
  json.Key("latency_us");
  WriteLatencyObject(json, stats.AllLatencies());
  if (description.rate > 0) {
    json.Key("send_lag_us");
    WriteLatencyObject(json, stats.send_lag);
  }
  json.Key("errors_by_type");
  json.BeginObject();
  for (const auto& [type, count] : stats.errors_by_type) {
    json.Key(type);
    json.Int(count);
  }
  json.EndObject();
  json.Key("operations");
  json.BeginObject();
  for (int i = 0; i < kOperationCount; ++i) {
    const OperationStats& op = stats.operations[i];
    if (op.ok + op.errors == 0) continue;
    json.Key(OperationName(static_cast<Operation>(i)));
    json.BeginObject();
    json.Key("ok");
    json.Int(op.ok);
    json.Key("errors");
    json.Int(op.errors);
    json.Key("missing");
    json.Int(op.missing);
    json.Key("ops_per_s");
    json.Double(PerSecond(op.ok, stats.window_seconds));
    json.Key("latency_us");
    WriteLatencyObject(json, op.latency);
    json.EndObject();
  }
  json.EndObject();
  if (check) {
    json.Key("counters");
    json.BeginObject();
    json.Key("acknowledged");
    json.Int(check->acknowledged);
    json.Key("uncertain");
    json.Int(check->uncertain);
    if (check->checked) {
      json.Key("before");
      json.Int(check->before);
      json.Key("after");
      json.Int(check->after);
      json.Key("check");
      json.String(check->Passed() ? "passed" : "failed");
    }
    json.EndObject();
  }
  json.EndObject();
  return out;
}

std::string FormatText(const RunDescription& description, const RunStats& stats,
                       const std::optional<CounterCheck>& check) {
  const bool open_loop = description.rate > 0;
  std::string out =
      fmt::format("{} against {}: {} thread(s), {} connection(s), {} in flight{}{}\n",
                  WorkloadName(description.workload), description.endpoint, description.threads,
                  description.connections, description.in_flight,
                  description.in_flight > description.connections ? " (pipelined)" : "",
                  open_loop ? fmt::format(", open loop at {:.1f} ops/s", description.rate) : "");
  if (description.gsi_count > 0) {
    out += fmt::format("table {} with {} global secondary indexes\n", description.table,
                       description.gsi_count);
  }
  out += fmt::format("{:.2f} s measured: {} ok, {} errors, {:.1f} ops/s", stats.window_seconds,
                     stats.TotalOk(), stats.TotalErrors(),
                     PerSecond(stats.TotalOk(), stats.window_seconds));
  out += open_loop ? fmt::format(" achieved of {:.1f} offered\n", description.rate) : "\n";
  if (open_loop) {
    out += "latency from the scheduled send (us): " + LatencyLine(stats.AllLatencies()) + "\n";
    out += "send lag behind the schedule (us): " + LatencyLine(stats.send_lag) + "\n";
  } else {
    out += "latency (us): " + LatencyLine(stats.AllLatencies()) + "\n";
  }
  int active = 0;
  for (const auto& op : stats.operations) active += (op.ok + op.errors > 0) ? 1 : 0;
  for (int i = 0; i < kOperationCount && active > 1; ++i) {
    const OperationStats& op = stats.operations[i];
    if (op.ok + op.errors == 0) continue;
    out += fmt::format("  {:<10} {} ok, {} errors, {:.1f} ops/s; {}\n",
                       OperationName(static_cast<Operation>(i)), op.ok, op.errors,
                       PerSecond(op.ok, stats.window_seconds), LatencyLine(op.latency));
  }
  if (stats.TotalMissing() > 0) {
    out += fmt::format("{} answers lacked the preloaded data (was the table loaded with --load?)\n",
                       stats.TotalMissing());
  }
  for (const auto& [type, count] : stats.errors_by_type) {
    out += fmt::format("error {}: {}\n", type, count);
  }
  if (stats.errors_all > stats.TotalErrors()) {
    out += fmt::format("{} more errors during warm-up or drain\n",
                       stats.errors_all - stats.TotalErrors());
  }
  if (stats.unsent > 0) {
    out += fmt::format(
        "{} requests due but never sent: the server or the load generator fell behind the "
        "schedule\n",
        stats.unsent);
  }
  if (stats.connect_failures > 0) {
    out += fmt::format("{} failed connection attempts\n", stats.connect_failures);
  }
  if (check) {
    out += fmt::format("counters: {} increments acknowledged, {} uncertain", check->acknowledged,
                       check->uncertain);
    if (check->checked) {
      out += fmt::format("; sum {} -> {} (+{}): check {}", check->before, check->after,
                         check->after - check->before, check->Passed() ? "passed" : "FAILED");
    }
    out += "\n";
  }
  return out;
}

}  // namespace dunlin::bench
