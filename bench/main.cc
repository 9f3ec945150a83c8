// dunlin-bench: a load generator for DynamoDB-compatible endpoints (dunlin, DynamoDB Local,
// dynalite, DynamoDB itself over plain HTTP).
//
// Usage. Create a table and fill it once, then run workloads against it:
//   dunlin-bench --endpoint http://127.0.0.1:8000 --create-table --load --workload none
//   dunlin-bench --endpoint http://127.0.0.1:8000 --workload get --threads 2
//       --connections 8 --in-flight 32 --warmup 1 --duration 10 --json   (one command line)
// Workloads: put (PutItem of random keys, --item-bytes items), get (GetItem of random keys),
// mix (--get-percent reads, the rest puts), update (UpdateItem "SET #c = #c + :one" under
// "attribute_exists(pk)" on --counters counter items; --check reads the counters before and
// after and verifies that they grew by the acknowledged increments), query (one whole 20-item
// collection per Query), scan (pages of --scan-limit items, starting over at the end), transact
// (TransactWriteItems putting --transact-items items of distinct collections), put-gsi (put into
// the indexed table, --gsi-table, which has --gsi-count global secondary indexes; each put moves
// the item's entry in every index; see bench/workload.h), put-stream (put into the streamed
// table, --stream-table, whose NEW_AND_OLD_IMAGES stream takes a record of every put), stream-lag
// (the time from a write to its stream record being readable: one writer at --rate writes per
// second, default 1000, and a reader polling GetRecords; see bench/stream_lag.h; --strict fails it
// when a record is missing, duplicated or unexpected). --load writes the --keys items of the
// key space (in collections of 20) and the counters; get, query, scan and update need it.
// --create-table and --load act on the table of --workload: the plain table (--table) for every
// workload and none, the indexed table for put-gsi, the streamed table for put-stream and
// stream-lag. To prepare the indexed table alone:
//   dunlin-bench --endpoint http://127.0.0.1:8000 --workload put-gsi --create-table --load
//       --setup-only   (one command line)
// Requests are signed with SigV4 (--access-key, --secret-key, --region), so a dunlin started
// with --credentials accepts them. --in-flight requests are spread over --connections keep-alive
// connections; above one per connection, a connection pipelines (HTTP/1.1, answers in order).
// By default each logical client sends its next request when its last one is answered (a closed
// loop). With --rate the load is an open loop at that many requests per second: sends follow a
// fixed, evenly spaced schedule split over the connections, and latency counts from each
// request's scheduled send time, waiting for a busy connection included (bench/pacer.h states
// the rules); the report adds the offered and achieved rates, the lag of
// the sends behind the schedule, and the requests due but never sent. --seed fixes every random
// choice of every client.
//
// Output: a report on stdout, or with --json exactly one line of JSON on stdout (see
// bench/report.h) and the report on stderr. Non-2xx answers, lost connections and timeouts are
// counted as errors by kind and never stop the run. Exit status: 0 when the run completed;
// 1 when --check failed, or with --strict when any request failed or lacked its data; 2 when the
// run could not start (bad flags, endpoint unreachable, table missing, load incomplete).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <thread>

#include "bench/http_request.h"
#include "bench/pacer.h"
#include "bench/report.h"
#include "bench/runner.h"
#include "bench/stream_lag.h"
#include "bench/workload.h"

namespace dunlin::bench {
namespace {

constexpr int kExitCompleted = 0;
constexpr int kExitFailedChecks = 1;
constexpr int kExitCannotRun = 2;
constexpr auto kTableReadyTimeout = std::chrono::seconds(60);
constexpr auto kTablePollInterval = std::chrono::milliseconds(100);
// Writes per second of stream-lag without --rate.
constexpr double kDefaultStreamLagRate = 1000;

struct Flags {
  std::string endpoint = "http://127.0.0.1:8000";
  std::string workload = "get";
  int threads = 1;
  int connections = 8;
  int in_flight = 0;  // 0: one per connection
  double duration_seconds = 10;
  int64_t requests = 0;
  double warmup_seconds = 1;
  int item_bytes = 200;
  int64_t keys = 100000;
  int counters = 10;
  int get_percent = 50;
  int scan_limit = 100;
  int transact_items = 4;
  int gsi_count = 2;
  uint64_t seed = 1;
  std::string table = "dunlin-bench";
  std::string gsi_table;  // empty: IndexedTableName(table)
  std::string stream_table;  // empty: StreamTableName(table)
  int poll_limit = kMaxGetRecordsLimit;
  double poll_interval_ms = 0;
  bool create_table = false;
  bool load = false;
  bool setup_only = false;
  SigningKeys keys_for_signing;
  int timeout_ms = 10000;
  bool json = false;
  bool check = false;
  bool strict = false;
  double rate = 0;  // 0: closed loop
};

void Note(const std::string& text) { std::fprintf(stderr, "%s\n", text.c_str()); }

// Calls `operation` and fails unless it answers 2xx, quoting the error.
Result<CallResponse, std::string> CallOk(const RunOptions& run, std::string_view operation,
                                         std::string body) {
  DUNLIN_ASSIGN_OR_RETURN(CallResponse response, CallOnce(run.endpoint, run.keys, operation,
                                                          std::move(body), run.timeout_ms));
  if (response.status < 200 || response.status >= 300) {
    return Fail(fmt::format("{} answered {}: {}", operation, response.status, response.body));
  }
  return response;
}

// CreateTable of `options.table` with its options.gsi_count indexes (an existing table is
// reused), then waits until the table and its indexes are ACTIVE. For the indexed table, fails
// unless the table's indexes are those put-gsi needs.
Result<void, std::string> PrepareTable(const RunOptions& run, const WorkloadOptions& options,
                                       bool create_table) {
  const std::string& table = options.table;
  if (create_table) {
    DUNLIN_ASSIGN_OR_RETURN(CallResponse created,
                            CallOnce(run.endpoint, run.keys, "CreateTable",
                                     CreateTableBody(table, options.gsi_count, options.stream),
                                     run.timeout_ms));
    if (created.status == 200) {
      Note(options.gsi_count > 0 ? fmt::format("created table {} with {} global secondary indexes",
                                               table, options.gsi_count)
                                 : fmt::format("created table {}", table));
    } else if (ErrorType(created.body) == "ResourceInUseException") {
      Note(fmt::format("table {} exists; using it", table));
    } else {
      return Fail(fmt::format("CreateTable answered {}: {}", created.status, created.body));
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + kTableReadyTimeout;
  while (true) {
    DUNLIN_ASSIGN_OR_RETURN(CallResponse described,
                            CallOnce(run.endpoint, run.keys, "DescribeTable",
                                     DescribeTableBody(table), run.timeout_ms));
    if (described.status != 200) {
      if (ErrorType(described.body) == "ResourceNotFoundException") {
        return Fail(
            fmt::format("table {} does not exist at {}: create it with --create-table "
                        "(and fill it with --load)",
                        table, run.endpoint.url));
      }
      return Fail(fmt::format("DescribeTable answered {}: {}", described.status, described.body));
    }
    DUNLIN_ASSIGN_OR_RETURN(std::string status, TableStatus(described.body));
    if (options.stream) {
      if (auto streamed = StreamedTableReady(described.body); !streamed.ok()) {
        return Fail(fmt::format(
            "table {} is not the streamed table: {}; delete it or name another with "
            "--stream-table",
            table, streamed.error()));
      }
    }
    bool ready = status == "ACTIVE";
    if (ready && options.gsi_count > 0) {
      auto indexes_ready = IndexedTableReady(described.body, options.gsi_count);
      if (!indexes_ready.ok()) {
        return Fail(fmt::format(
            "table {} is not the indexed table put-gsi with --gsi-count {} writes to: {}; "
            "delete it or name another with --gsi-table",
            table, options.gsi_count, indexes_ready.error()));
      }
      ready = *indexes_ready;
      if (!ready) status = "ACTIVE with indexes not yet ACTIVE";
    }
    if (ready) return {};
    if (std::chrono::steady_clock::now() > deadline) {
      return Fail(fmt::format("table {} is still {} after {} s", table, status,
                              kTableReadyTimeout.count()));
    }
    std::this_thread::sleep_for(kTablePollInterval);
  }
}

Result<void, std::string> LoadTable(const RunOptions& run, const Flags& flags,
                                    const WorkloadOptions& options) {
  WorkloadContext context(Workload::kLoad, options, flags.seed);
  RunOptions load = run;
  load.warmup_seconds = 0;
  load.duration_seconds = 0;
  load.requests = 0;
  load.rate = 0;  // loading runs as fast as the server takes it
  const int64_t counters = context.LoadTotal() - options.keys;  // none in the indexed table
  Note(fmt::format("loading {} items of {} bytes{} into {}", options.keys, options.item_bytes,
                   counters > 0 ? fmt::format(" and {} counters", counters) : "", options.table));
  DUNLIN_ASSIGN_OR_RETURN(RunStats stats, RunWorkload(load, context));
  const int64_t written = stats.Of(Operation::kPutItem).ok_all;
  Note(fmt::format("loaded {} of {} in {:.2f} s ({:.0f} items/s, {} failed attempts)", written,
                   context.LoadTotal(), stats.window_seconds,
                   stats.window_seconds > 0 ? written / stats.window_seconds : 0.0,
                   stats.errors_all));
  if (written < context.LoadTotal()) {
    std::string kinds;
    for (const auto& [type, count] : stats.errors_by_type) {
      kinds += fmt::format("; {}: {}", type, count);
    }
    return Fail(fmt::format("load incomplete: {} items not written{}",
                            context.LoadTotal() - written, kinds));
  }
  return {};
}

// The sum of the counter items; fails when one is missing.
Result<int64_t, std::string> SumCounters(const RunOptions& run, const WorkloadOptions& options) {
  int64_t sum = 0;
  for (int counter = 0; counter < options.counters; ++counter) {
    DUNLIN_ASSIGN_OR_RETURN(CallResponse response,
                            CallOk(run, "GetItem", GetCounterBody(options.table, counter)));
    DUNLIN_ASSIGN_OR_RETURN(std::optional<int64_t> value, CounterValue(response.body));
    if (!value) {
      return Fail(fmt::format("counter item {} is missing: fill the table with --load",
                              CounterPartitionKey(counter)));
    }
    sum += *value;
  }
  return sum;
}

// The stream-lag measurement (bench/stream_lag.h) on the streamed table.
int StreamLagMain(const Flags& flags, const RunOptions& run, const std::string& stream_table) {
  WorkloadOptions options;
  options.table = stream_table;
  options.stream = true;
  if (auto prepared = PrepareTable(run, options, flags.create_table); !prepared.ok()) {
    Note(prepared.error());
    return kExitCannotRun;
  }
  if (flags.setup_only) return kExitCompleted;
  StreamLagOptions lag;
  lag.endpoint = run.endpoint;
  lag.keys = run.keys;
  lag.table = stream_table;
  lag.rate = flags.rate > 0 ? flags.rate : kDefaultStreamLagRate;
  lag.warmup_seconds = flags.warmup_seconds;
  lag.duration_seconds = flags.duration_seconds;
  lag.poll_limit = flags.poll_limit;
  lag.poll_interval_ms = flags.poll_interval_ms;
  lag.timeout_ms = flags.timeout_ms;
  auto stats = RunStreamLag(lag);
  if (!stats.ok()) {
    Note(stats.error());
    return kExitCannotRun;
  }
  const std::string text = FormatStreamLagText(lag, *stats);
  if (flags.json) {
    std::fputs(text.c_str(), stderr);
    std::printf("%s\n", FormatStreamLagJson(lag, *stats).c_str());
  } else {
    std::fputs(text.c_str(), stdout);
  }
  std::fflush(stdout);
  const bool incomplete = stats->missing > 0 || stats->duplicates > 0 || stats->unexpected > 0;
  if (flags.strict && (incomplete || stats->write_errors > 0)) return kExitFailedChecks;
  return kExitCompleted;
}

int Main(const Flags& flags) {
  const bool stream_lag = flags.workload == "stream-lag";
  auto workload = stream_lag ? Result<Workload, std::string>(Workload::kNone)
                             : ParseWorkload(flags.workload);
  if (!workload.ok()) {
    Note(workload.error());
    return kExitCannotRun;
  }
  if (!IsValidTableName(flags.table)) {
    Note(fmt::format("bad --table '{}': 3 to 255 of A-Z a-z 0-9 _ - .", flags.table));
    return kExitCannotRun;
  }
  // put-gsi works on the indexed table, every other workload on the plain one.
  const bool indexed = *workload == Workload::kPutGsi;
  const std::string gsi_table =
      flags.gsi_table.empty() ? IndexedTableName(flags.table) : flags.gsi_table;
  const bool streamed = stream_lag || *workload == Workload::kPutStream;
  const std::string stream_table =
      flags.stream_table.empty() ? StreamTableName(flags.table) : flags.stream_table;
  if (streamed && !IsValidTableName(stream_table)) {
    Note(fmt::format("bad --stream-table '{}': 3 to 255 of A-Z a-z 0-9 _ - .", stream_table));
    return kExitCannotRun;
  }
  if (indexed && !IsValidTableName(gsi_table)) {
    Note(fmt::format("bad --gsi-table '{}': 3 to 255 of A-Z a-z 0-9 _ - .", gsi_table));
    return kExitCannotRun;
  }
  if (indexed && flags.item_bytes < MinItemBytes(flags.gsi_count)) {
    Note(
        fmt::format("--item-bytes must be at least {} for put-gsi with --gsi-count {} (the keys "
                    "and index attributes take that much)",
                    MinItemBytes(flags.gsi_count), flags.gsi_count));
    return kExitCannotRun;
  }
  const int in_flight = flags.in_flight == 0 ? flags.connections : flags.in_flight;
  if (in_flight < flags.connections) {
    Note("--in-flight must be at least --connections (each connection carries one or more)");
    return kExitCannotRun;
  }
  auto endpoint = ParseEndpoint(flags.endpoint);
  if (!endpoint.ok()) {
    Note(endpoint.error());
    return kExitCannotRun;
  }

  RunOptions run;
  run.endpoint = *endpoint;
  run.keys = flags.keys_for_signing;
  run.threads = std::min(flags.threads, flags.connections);
  run.connections = flags.connections;
  run.in_flight = in_flight;
  run.warmup_seconds = flags.warmup_seconds;
  run.duration_seconds = flags.requests > 0 ? 0 : flags.duration_seconds;
  run.requests = flags.requests;
  run.timeout_ms = flags.timeout_ms;
  run.seed = flags.seed;
  run.rate = flags.rate;
  if (stream_lag) return StreamLagMain(flags, run, stream_table);

  WorkloadOptions options;
  options.table = indexed ? gsi_table : streamed ? stream_table : flags.table;
  options.gsi_count = indexed ? flags.gsi_count : 0;
  options.stream = streamed;
  options.keys = flags.keys;
  options.item_bytes = flags.item_bytes;
  options.counters = flags.counters;
  options.get_percent = flags.get_percent;
  options.scan_limit = flags.scan_limit;
  options.transact_items = flags.transact_items;

  if (auto prepared = PrepareTable(run, options, flags.create_table); !prepared.ok()) {
    Note(prepared.error());
    return kExitCannotRun;
  }
  if (flags.load) {
    if (auto loaded = LoadTable(run, flags, options); !loaded.ok()) {
      Note(loaded.error());
      return kExitCannotRun;
    }
  }
  if (*workload == Workload::kNone || flags.setup_only) return kExitCompleted;

  const bool counting = *workload == Workload::kUpdate;
  std::optional<CounterCheck> counters;
  if (counting) {
    counters.emplace();
    if (flags.check) {
      auto before = SumCounters(run, options);
      if (!before.ok()) {
        Note(before.error());
        return kExitCannotRun;
      }
      counters->checked = true;
      counters->before = *before;
    }
  }

  WorkloadContext context(*workload, options, flags.seed);
  auto stats = RunWorkload(run, context);
  if (!stats.ok()) {
    Note(stats.error());
    return kExitCannotRun;
  }
  if (counters) {
    counters->acknowledged = stats->Of(Operation::kUpdateItem).ok_all;
    counters->uncertain = stats->Of(Operation::kUpdateItem).uncertain_all;
    if (counters->checked) {
      auto after = SumCounters(run, options);
      if (!after.ok()) {
        Note("cannot read the counters back: " + after.error());
        return kExitFailedChecks;
      }
      counters->after = *after;
    }
  }

  RunDescription description;
  description.endpoint = flags.endpoint;
  description.workload = *workload;
  description.threads = run.threads;
  description.connections = run.connections;
  description.in_flight = run.in_flight;
  description.item_bytes = options.item_bytes;
  description.keys = options.keys;
  description.table = options.table;
  description.gsi_count = options.gsi_count;
  description.seed = flags.seed;
  description.warmup_seconds = run.warmup_seconds;
  description.duration_seconds = run.duration_seconds;
  description.requests = run.requests;
  description.rate = run.rate;
  const std::string text = FormatText(description, *stats, counters);
  if (flags.json) {
    std::fputs(text.c_str(), stderr);
    std::printf("%s\n", FormatJson(description, *stats, counters).c_str());
  } else {
    std::fputs(text.c_str(), stdout);
  }
  std::fflush(stdout);

  if (counters && counters->checked && !counters->Passed()) return kExitFailedChecks;
  if (flags.strict &&
      (stats->errors_all > 0 || stats->TotalMissing() > 0 || stats->connect_failures > 0)) {
    return kExitFailedChecks;
  }
  return kExitCompleted;
}

}  // namespace
}  // namespace dunlin::bench

int main(int argc, char** argv) {
  using dunlin::bench::Flags;
  Flags flags;
  CLI::App app{"dunlin-bench: a load generator for DynamoDB-compatible endpoints"};
  // A later flag overrides an earlier one, so scripts can append overrides to common flags.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--endpoint", flags.endpoint, "http://HOST:PORT")->capture_default_str();
  app.add_option("--workload", flags.workload,
                 "put, get, mix, update, query, scan, transact, put-gsi, put-stream, "
                 "stream-lag or none")
      ->capture_default_str();
  app.add_option("--threads", flags.threads, "Event-loop threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--connections", flags.connections, "Keep-alive connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--in-flight", flags.in_flight,
                 "Requests outstanding in all (>= --connections; more pipelines; default: one "
                 "per connection)")
      ->check(CLI::Range(1, 1000000));
  auto* duration =
      app.add_option("--duration", flags.duration_seconds, "Seconds measured after the warm-up")
          ->capture_default_str()
          ->check(CLI::PositiveNumber);
  app.add_option("--requests", flags.requests, "Measure this many requests instead of a duration")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->excludes(duration);
  app.add_option("--warmup", flags.warmup_seconds, "Seconds run before measuring")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--item-bytes", flags.item_bytes, "Item size by DynamoDB's measure")
      ->capture_default_str()
      ->check(CLI::Range(dunlin::bench::kMinItemBytes, dunlin::bench::kMaxItemBytes));
  app.add_option("--keys", flags.keys, "Items in the key space (collections of 20)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{2000000000}));
  app.add_option("--counters", flags.counters, "Counter items of the update workload")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--get-percent", flags.get_percent, "Share of reads in the mix workload")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  app.add_option("--scan-limit", flags.scan_limit, "Limit of each Scan page")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--transact-items", flags.transact_items,
                 "Puts per TransactWriteItems in the transact workload")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--gsi-count", flags.gsi_count,
                 "Global secondary indexes of the indexed table (put-gsi); even ones KEYS_ONLY, "
                 "odd ones ALL")
      ->capture_default_str()
      ->check(CLI::Range(1, dunlin::bench::kMaxGsiCount));
  app.add_option("--seed", flags.seed, "Seed of every random choice")->capture_default_str();
  app.add_option("--table", flags.table, "Table name")->capture_default_str();
  app.add_option("--gsi-table", flags.gsi_table,
                 "Name of the indexed table of the put-gsi workload (default: --table plus -gsi)");
  app.add_option("--stream-table", flags.stream_table,
                 "Name of the streamed table of put-stream and stream-lag (default: --table plus "
                 "-stream)");
  app.add_option("--poll-limit", flags.poll_limit, "stream-lag: Limit of each GetRecords")
      ->capture_default_str()
      ->check(CLI::Range(1, dunlin::bench::kMaxGetRecordsLimit));
  app.add_option("--poll-interval-ms", flags.poll_interval_ms,
                 "stream-lag: pause between rounds of GetRecords (0: poll continuously)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 60000.0));
  app.add_flag("--create-table", flags.create_table,
               "Create the workload's table (pk S hash, sk S range, on demand; for put-gsi with "
               "--gsi-count indexes; for put-stream and stream-lag with a stream); an existing "
               "one is reused");
  app.add_flag("--load", flags.load,
               "Write every item of the key space (and, but for put-gsi, the counters) first");
  app.add_flag("--setup-only", flags.setup_only,
               "Only create and load the workload's table (--create-table, --load); measure "
               "nothing");
  app.add_option("--region", flags.keys_for_signing.region, "Region in the signatures")
      ->capture_default_str();
  app.add_option("--access-key", flags.keys_for_signing.access_key, "Access key id for SigV4")
      ->capture_default_str();
  app.add_option("--secret-key", flags.keys_for_signing.secret_key, "Secret key for SigV4");
  app.add_option("--timeout-ms", flags.timeout_ms, "Per-request timeout")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  app.add_flag("--json", flags.json, "Print the results as one line of JSON on stdout");
  app.add_flag("--check", flags.check, "update: verify the counters against acknowledged writes");
  app.add_flag("--strict", flags.strict, "Exit 1 when any request failed or lacked its data");
  app.add_option(
         "--rate", flags.rate,
         "Open loop: offer this many requests per second in all, on a fixed schedule of evenly "
         "spaced send times from the start of the run (warm-up included), split evenly over the "
         "connections. A request due while its connection's share of --in-flight is busy waits "
         "and goes out as soon as one is free (none is dropped); latency counts from the "
         "scheduled send time, so that wait counts. Requests still unsent at the end are "
         "reported as unsent. Default: closed loop")
      ->check(CLI::PositiveNumber)
      ->check(CLI::Range(0.0, dunlin::bench::kMaxRatePerSecond));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and exits 0; a bad flag is a run that cannot start.
    return app.exit(e) == 0 ? dunlin::bench::kExitCompleted : dunlin::bench::kExitCannotRun;
  }
  try {
    return dunlin::bench::Main(flags);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fatal: %s\n", e.what());
    return dunlin::bench::kExitCannotRun;
  }
}
