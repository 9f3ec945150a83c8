// RunStreamLag (bench/stream_lag.h): the writer thread and the polling reader.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>
#include <utility>

#include "bench/runner.h"
#include "bench/stream_lag.h"
#include "bench/workload.h"

namespace dunlin::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t Nanos(Clock::duration duration) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
}

Clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

bool IsSuccess(int status) { return status >= 200 && status < 300; }

Result<CallResponse, std::string> CallOk(KeepAliveClient& client, std::string_view operation,
                                         std::string body, Api api) {
  DUNLIN_ASSIGN_OR_RETURN(CallResponse response, client.Call(operation, std::move(body), api));
  if (!IsSuccess(response.status)) {
    return Fail(fmt::format("{} answered {}: {}", operation, response.status, response.body));
  }
  return response;
}

// The LATEST iterator of every open shard of the table's stream.
Result<std::vector<std::string>, std::string> OpenShardIterators(const StreamLagOptions& options,
                                                                 KeepAliveClient& client) {
  DUNLIN_ASSIGN_OR_RETURN(CallResponse table, CallOk(client, "DescribeTable",
                                                     DescribeTableBody(options.table),
                                                     Api::kDynamoDb));
  if (auto ready = StreamedTableReady(table.body); !ready.ok()) {
    return Fail(fmt::format("table {} is not the streamed table: {}; create it with "
                            "--create-table or name another with --stream-table",
                            options.table, ready.error()));
  }
  DUNLIN_ASSIGN_OR_RETURN(std::string arn, LatestStreamArn(table.body));
  std::vector<std::string> shards;
  std::string start_after;
  while (true) {
    DUNLIN_ASSIGN_OR_RETURN(CallResponse described,
                            CallOk(client, "DescribeStream", DescribeStreamBody(arn, start_after),
                                   Api::kStreams));
    DUNLIN_ASSIGN_OR_RETURN(StreamShardsPage page, ParseDescribeStream(described.body));
    shards.insert(shards.end(), page.open_shards.begin(), page.open_shards.end());
    if (!page.last_evaluated_shard_id) break;
    start_after = *page.last_evaluated_shard_id;
  }
  if (shards.empty()) return Fail(fmt::format("the stream {} has no open shard", arn));
  std::vector<std::string> iterators;
  for (const std::string& shard : shards) {
    DUNLIN_ASSIGN_OR_RETURN(CallResponse answer,
                            CallOk(client, "GetShardIterator",
                                   LatestShardIteratorBody(arn, shard), Api::kStreams));
    DUNLIN_ASSIGN_OR_RETURN(std::string iterator, ParseShardIterator(answer.body));
    iterators.push_back(std::move(iterator));
  }
  return iterators;
}

// What the writer thread leaves behind.
struct WriterResult {
  std::vector<int64_t> acknowledged;  // stamps, every phase
  LatencyHistogram latency;
  int64_t writes = 0;  // in the window
  int64_t errors = 0;  // in the window
  std::string first_error;
};

// Sends the timed writes on their schedule until `end` (or `stop`).
void Write(const StreamLagOptions& options, Clock::time_point start,
           Clock::time_point measure_start, Clock::time_point end, const std::atomic<bool>& stop,
           std::atomic<int64_t>& acknowledged_count, WriterResult& out) {
  KeepAliveClient client(options.endpoint, options.keys, options.timeout_ms);
  const double period_ns = 1e9 / options.rate;
  for (int64_t number = 0; !stop.load(std::memory_order_relaxed); ++number) {
    const Clock::time_point due =
        start + std::chrono::nanoseconds(static_cast<int64_t>(number * period_ns));
    if (due >= end) break;
    std::this_thread::sleep_until(due);
    const Clock::time_point sent = Clock::now();
    const int64_t stamp = Nanos(sent - start);
    auto answer = client.Call("PutItem", TimedPutBody(options.table, number, stamp));
    const Clock::time_point answered = Clock::now();
    const bool counted = due >= measure_start;
    if (answer.ok() && IsSuccess(answer->status)) {
      out.acknowledged.push_back(stamp);
      acknowledged_count.fetch_add(1, std::memory_order_release);
      if (counted) {
        ++out.writes;
        out.latency.Record(Nanos(answered - sent));
      }
      continue;
    }
    if (counted) ++out.errors;
    if (out.first_error.empty()) {
      out.first_error = answer.ok() ? fmt::format("{} {}", answer->status, answer->body)
                                    : answer.error();
    }
  }
}

}  // namespace

Result<StreamLagStats, std::string> RunStreamLag(const StreamLagOptions& options) {
  KeepAliveClient reader(options.endpoint, options.keys, options.timeout_ms);
  DUNLIN_ASSIGN_OR_RETURN(std::vector<std::string> iterators,
                          OpenShardIterators(options, reader));
  StreamLagStats stats;
  stats.shards = static_cast<int>(iterators.size());

  const Clock::time_point start = Clock::now();
  const Clock::time_point measure_start = start + Seconds(options.warmup_seconds);
  const Clock::time_point end = measure_start + Seconds(options.duration_seconds);
  std::atomic<bool> stop{false};
  std::atomic<bool> writer_done{false};
  std::atomic<int64_t> acknowledged_count{0};
  WriterResult written;
  std::string writer_failure;
  std::thread writer([&] {
    try {
      Write(options, start, measure_start, end, stop, acknowledged_count, written);
    } catch (const std::exception& e) {
      writer_failure = e.what();
    }
    writer_done.store(true, std::memory_order_release);
  });

  // Every record read: its stamp and when its page arrived (ns since start).
  std::vector<std::pair<int64_t, int64_t>> seen;
  std::string failure;
  Clock::time_point grace_end = Clock::time_point::max();
  try {
    while (failure.empty()) {
      if (writer_done.load(std::memory_order_acquire)) {
        if (grace_end == Clock::time_point::max()) {
          grace_end = Clock::now() + Seconds(kGraceSeconds);
        }
        if (static_cast<int64_t>(seen.size()) >= acknowledged_count.load() ||
            Clock::now() >= grace_end) {
          break;
        }
      }
      for (std::string& iterator : iterators) {
        auto answer = CallOk(reader, "GetRecords", GetRecordsBody(iterator, options.poll_limit),
                             Api::kStreams);
        const int64_t arrived = Nanos(Clock::now() - start);
        ++stats.polls;
        if (!answer.ok()) {
          failure = answer.error();
          break;
        }
        auto page = ParseGetRecords(answer->body);
        if (!page.ok()) {
          failure = "GetRecords: " + page.error();
          break;
        }
        if (page->stamps.empty() && page->unstamped == 0) ++stats.empty_polls;
        stats.unstamped += page->unstamped;
        for (int64_t stamp : page->stamps) seen.emplace_back(stamp, arrived);
        if (!page->next_iterator) {
          failure = "a shard closed during the run (a shard rollover); run again";
          break;
        }
        iterator = std::move(*page->next_iterator);
      }
      if (options.poll_interval_ms > 0) {
        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(
            options.poll_interval_ms));
      }
    }
  } catch (const std::exception& e) {
    failure = e.what();
  }
  stop.store(true, std::memory_order_relaxed);
  writer.join();
  if (!writer_failure.empty()) return Fail("writer failed: " + writer_failure);
  if (!failure.empty()) return Fail(failure);

  std::vector<int64_t> sent = written.acknowledged;
  std::sort(sent.begin(), sent.end());
  std::vector<int64_t> seen_stamps;
  seen_stamps.reserve(seen.size());
  for (const auto& [stamp, arrived] : seen) seen_stamps.push_back(stamp);
  TallyRecords(sent, seen_stamps, stats);
  // The lag of the first record of each counted write.
  const int64_t measured_from = Nanos(measure_start - start);
  std::sort(seen.begin(), seen.end());
  for (size_t i = 0; i < seen.size(); ++i) {
    const auto [stamp, arrived] = seen[i];
    if (i > 0 && seen[i - 1].first == stamp) continue;
    if (stamp < measured_from || !std::binary_search(sent.begin(), sent.end(), stamp)) continue;
    ++stats.records;
    stats.lag.Record(arrived - stamp);
  }
  stats.writes = written.writes;
  stats.write_errors = written.errors;
  stats.write_latency = std::move(written.latency);
  stats.first_write_error = std::move(written.first_error);
  // The writer runs to the end unless the reader failed, which fails the run.
  stats.window_seconds = options.duration_seconds;
  return stats;
}

}  // namespace dunlin::bench
