#include "bench/stream_lag.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "bench/report.h"
#include "bench/response_json.h"
#include "common/json_writer.h"

namespace dunlin::bench {
namespace {

constexpr std::string_view kStampName = "t";

std::optional<std::string_view> StringMember(simdjson::dom::element object,
                                             std::string_view name) {
  std::string_view out;
  if (object[name].get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

}  // namespace

std::string DescribeStreamBody(std::string_view stream_arn,
                               std::string_view exclusive_start_shard_id) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("StreamArn");
  json.String(stream_arn);
  if (!exclusive_start_shard_id.empty()) {
    json.Key("ExclusiveStartShardId");
    json.String(exclusive_start_shard_id);
  }
  json.EndObject();
  return out;
}

std::string LatestShardIteratorBody(std::string_view stream_arn, std::string_view shard_id) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("StreamArn");
  json.String(stream_arn);
  json.Key("ShardId");
  json.String(shard_id);
  json.Key("ShardIteratorType");
  json.String("LATEST");
  json.EndObject();
  return out;
}

std::string GetRecordsBody(std::string_view shard_iterator, int limit) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("ShardIterator");
  json.String(shard_iterator);
  json.Key("Limit");
  json.Int(limit);
  json.EndObject();
  return out;
}

std::string TimedPutBody(std::string_view table, int64_t number, int64_t stamp_ns) {
  return fmt::format(R"({{"TableName":"{}","Item":{{"pk":{{"S":"lag{:012}"}},)"
                     R"("sk":{{"S":"00"}},"{}":{{"N":"{}"}}}}}})",
                     table, number, kStampName, stamp_ns);
}

Result<StreamShardsPage, std::string> ParseDescribeStream(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  simdjson::dom::element description;
  if (root["StreamDescription"].get(description) != simdjson::SUCCESS ||
      !description.is_object()) {
    return Fail(std::string("response has no StreamDescription"));
  }
  StreamShardsPage page;
  simdjson::dom::array shards;
  if (description["Shards"].get(shards) != simdjson::SUCCESS) {
    return Fail(std::string("StreamDescription has no Shards"));
  }
  for (simdjson::dom::element shard : shards) {
    auto id = StringMember(shard, "ShardId");
    if (!id) return Fail(std::string("a shard has no ShardId"));
    simdjson::dom::element range;
    const bool closed = shard["SequenceNumberRange"].get(range) == simdjson::SUCCESS &&
                        StringMember(range, "EndingSequenceNumber").has_value();
    if (!closed) page.open_shards.emplace_back(*id);
  }
  if (auto last = StringMember(description, "LastEvaluatedShardId")) {
    page.last_evaluated_shard_id = std::string(*last);
  }
  return page;
}

Result<std::string, std::string> ParseShardIterator(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  auto iterator = StringMember(root, "ShardIterator");
  if (!iterator) return Fail(std::string("response has no ShardIterator"));
  return std::string(*iterator);
}

Result<RecordsPage, std::string> ParseGetRecords(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  simdjson::dom::array records;
  if (root["Records"].get(records) != simdjson::SUCCESS) {
    return Fail(std::string("response has no Records"));
  }
  RecordsPage page;
  for (simdjson::dom::element record : records) {
    std::string_view digits;
    int64_t stamp = 0;
    if (record["dynamodb"]["NewImage"][kStampName]["N"].get(digits) != simdjson::SUCCESS ||
        std::from_chars(digits.data(), digits.data() + digits.size(), stamp).ptr !=
            digits.data() + digits.size()) {
      ++page.unstamped;
      continue;
    }
    page.stamps.push_back(stamp);
  }
  if (auto next = StringMember(root, "NextShardIterator")) page.next_iterator = std::string(*next);
  return page;
}

void TallyRecords(std::vector<int64_t> sent, std::vector<int64_t> seen, StreamLagStats& stats) {
  std::sort(sent.begin(), sent.end());
  std::sort(seen.begin(), seen.end());
  stats.missing = 0;
  stats.duplicates = 0;
  stats.unexpected = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < sent.size() || j < seen.size()) {
    if (j == seen.size() || (i < sent.size() && sent[i] < seen[j])) {
      ++stats.missing;
      ++i;
    } else if (i == sent.size() || seen[j] < sent[i]) {
      ++stats.unexpected;
      ++j;
    } else {
      const int64_t stamp = sent[i++];
      ++j;
      while (j < seen.size() && seen[j] == stamp) {
        ++stats.duplicates;
        ++j;
      }
    }
  }
}

std::string FormatStreamLagText(const StreamLagOptions& options, const StreamLagStats& stats) {
  std::string out = fmt::format(
      "stream-lag against {} ({}): {:.0f} writes/s offered, {:.1f} achieved, {} writes, {} write "
      "errors, {} s measured after {} s of warm-up\n",
      options.endpoint.url, options.table, options.rate, stats.achieved_rate(), stats.writes,
      stats.write_errors, stats.window_seconds, options.warmup_seconds);
  out += fmt::format(
      "records: {} of those writes, {} missing, {} duplicated, {} unexpected, {} without a time; "
      "{} polls of {} shard(s), {} empty\n",
      stats.records, stats.missing, stats.duplicates, stats.unexpected, stats.unstamped,
      stats.polls, stats.shards, stats.empty_polls);
  if (!stats.first_write_error.empty()) {
    out += "first write error: " + stats.first_write_error + "\n";
  }
  out += "write to readable record (us): " + LatencyLine(stats.lag) + "\n";
  out += "write answered (us): " + LatencyLine(stats.write_latency) + "\n";
  return out;
}

std::string FormatStreamLagJson(const StreamLagOptions& options, const StreamLagStats& stats) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("workload");
  json.String("stream-lag");
  json.Key("endpoint");
  json.String(options.endpoint.url);
  json.Key("table");
  json.String(options.table);
  json.Key("offered_writes_per_s");
  json.Double(options.rate);
  json.Key("achieved_writes_per_s");
  json.Double(std::round(stats.achieved_rate() * 10.0) / 10.0);
  json.Key("warmup_s");
  json.Double(options.warmup_seconds);
  json.Key("window_s");
  json.Double(std::round(stats.window_seconds * 1000.0) / 1000.0);
  json.Key("poll_limit");
  json.Int(options.poll_limit);
  json.Key("poll_interval_ms");
  json.Double(options.poll_interval_ms);
  json.Key("shards");
  json.Int(stats.shards);
  json.Key("writes");
  json.Int(stats.writes);
  json.Key("write_errors");
  json.Int(stats.write_errors);
  json.Key("records");
  json.Int(stats.records);
  json.Key("missing");
  json.Int(stats.missing);
  json.Key("duplicates");
  json.Int(stats.duplicates);
  json.Key("unexpected");
  json.Int(stats.unexpected);
  json.Key("unstamped");
  json.Int(stats.unstamped);
  json.Key("polls");
  json.Int(stats.polls);
  json.Key("empty_polls");
  json.Int(stats.empty_polls);
  json.Key("lag_us");
  WriteLatencyObject(json, stats.lag);
  json.Key("write_latency_us");
  WriteLatencyObject(json, stats.write_latency);
  json.EndObject();
  return out;
}

}  // namespace dunlin::bench
