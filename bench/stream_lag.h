// The stream-lag measurement of dunlin-bench: how long after a write its DynamoDB Streams record
// can be read.
//
// How it works. The streamed table (bench/workload.h) must exist with its stream. The reader
// finds the stream's open shards (DescribeStream, every page), takes a LATEST iterator of each
// (GetShardIterator), and then polls them in turn with GetRecords, each page's
// NextShardIterator replacing the one it came from, without pausing (or --poll-interval-ms
// between rounds of polls), so a record is seen at most one poll round after it became readable.
// Meanwhile one writer thread sends PutItem on its own keep-alive connection, --rate of them per
// second on a fixed schedule (late sends go out at once; none is skipped), each of a new item
// (pk "lag" + 12 digits of its number, sk "00") whose number attribute "t" is the steady clock's
// time, in ns since the run began, at the moment it was handed to the connection. The record's
// NewImage carries "t" back, so the lag of a record is the time the reader had its page minus
// "t": the write's own round trip, the server's commit and the poll that found it included.
// Writes due during --warmup are not counted. After the writer stops, the reader goes on until
// every acknowledged write's record has been seen, or for at most kGraceSeconds.
//
// Besides the lag, the run checks the stream: every acknowledged write must show exactly one
// record (missing and duplicated records are counted), and no record may carry a time that no
// write sent (unexpected). A shard that closes during the run (a shard rollover) ends it with a
// failure, to run again.
//
// Thread-safety: RunStreamLag blocks until the run is over; the rest are pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/histogram.h"
#include "bench/http_request.h"
#include "common/result.h"

namespace dunlin::bench {

// How long the reader waits, after the last write, for records still missing.
inline constexpr double kGraceSeconds = 5;
// GetRecords' largest Limit (API_streams_GetRecords).
inline constexpr int kMaxGetRecordsLimit = 1000;

// Request bodies of the Streams API and the timed write (compact JSON).
std::string DescribeStreamBody(std::string_view stream_arn,
                               std::string_view exclusive_start_shard_id);
std::string LatestShardIteratorBody(std::string_view stream_arn, std::string_view shard_id);
std::string GetRecordsBody(std::string_view shard_iterator, int limit);
// PutItem of item `number` of the stream-lag key space with "t" = `stamp_ns`.
std::string TimedPutBody(std::string_view table, int64_t number, int64_t stamp_ns);

// One page of DescribeStream: the shards still open (no EndingSequenceNumber), in the answer's
// order, and LastEvaluatedShardId when there are more pages.
struct StreamShardsPage {
  std::vector<std::string> open_shards;
  std::optional<std::string> last_evaluated_shard_id;
};
Result<StreamShardsPage, std::string> ParseDescribeStream(std::string_view body);
// ShardIterator of a GetShardIterator answer.
Result<std::string, std::string> ParseShardIterator(std::string_view body);

// One page of GetRecords: the "t" of each record's NewImage that has one, how many records had
// none, and NextShardIterator (absent once a closed shard is read to its end).
struct RecordsPage {
  std::vector<int64_t> stamps;
  int64_t unstamped = 0;
  std::optional<std::string> next_iterator;
};
Result<RecordsPage, std::string> ParseGetRecords(std::string_view body);

struct StreamLagOptions {
  Endpoint endpoint;
  SigningKeys keys;
  std::string table;  // the streamed table
  double rate = 1000;  // writes per second, > 0
  double warmup_seconds = 1;
  double duration_seconds = 10;  // > 0
  int poll_limit = kMaxGetRecordsLimit;  // GetRecords Limit, 1..kMaxGetRecordsLimit
  double poll_interval_ms = 0;           // pause between rounds of polls
  int timeout_ms = 10000;
};

struct StreamLagStats {
  LatencyHistogram lag;            // ns, records of writes sent after the warm-up
  LatencyHistogram write_latency;  // ns, send to answer of those writes
  int64_t writes = 0;              // acknowledged, after the warm-up
  int64_t write_errors = 0;        // after the warm-up
  int64_t records = 0;             // stamped records of those writes
  int64_t missing = 0;             // acknowledged writes (any phase) without a record
  int64_t duplicates = 0;          // records beyond the first of one write
  int64_t unexpected = 0;          // stamped records of no write of this run
  int64_t unstamped = 0;           // records without "t" (writes of someone else)
  int64_t polls = 0;               // GetRecords calls
  int64_t empty_polls = 0;         // of which returned no record
  int shards = 0;                  // open shards read
  std::string first_write_error;   // the first failed write's answer or failure, if any
  double window_seconds = 0;       // length of the measured writing
  double achieved_rate() const { return window_seconds > 0 ? writes / window_seconds : 0; }
};

// Tallies a run's stream: `sent` are the stamps of acknowledged writes (any phase), `seen` the
// stamps of every record read. Fills missing, duplicates and unexpected.
void TallyRecords(std::vector<int64_t> sent, std::vector<int64_t> seen, StreamLagStats& stats);

// The report: a human-readable block, and one JSON line with "workload":"stream-lag", the
// settings, the counts and "lag_us"/"write_latency_us" objects of p50, p90, p99, p99_9, max
// and mean in microseconds.
std::string FormatStreamLagText(const StreamLagOptions& options, const StreamLagStats& stats);
std::string FormatStreamLagJson(const StreamLagOptions& options, const StreamLagStats& stats);

// Runs the measurement described at the top of this file. Fails when the table has no stream,
// the shards cannot be read, or a shard closes during the run.
Result<StreamLagStats, std::string> RunStreamLag(const StreamLagOptions& options);

}  // namespace dunlin::bench
