// RunStats and the reports: merging per-thread figures, and the one-line JSON a script reads.
#include "bench/report.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace dunlin::bench {
namespace {

RunStats ThreadStats(int64_t ok, int64_t latency_ns, double window_seconds) {
  RunStats stats;
  OperationStats& get = stats.Of(Operation::kGetItem);
  get.ok = ok;
  get.ok_all = ok;
  get.latency.RecordMany(latency_ns, ok);
  stats.window_seconds = window_seconds;
  return stats;
}

TEST(RunStatsTest, MergeAddsCountsAndKeepsTheLongestWindow) {
  RunStats a = ThreadStats(100, 1000000, 2.0);
  a.errors_by_type["400 ThrottlingException"] = 2;
  a.Of(Operation::kGetItem).errors = 2;
  RunStats b = ThreadStats(300, 3000000, 2.5);
  b.errors_by_type["400 ThrottlingException"] = 1;
  b.errors_by_type["timeout"] = 4;
  b.Of(Operation::kPutItem).errors = 5;
  b.connect_failures = 1;
  a.Merge(b);
  EXPECT_EQ(a.TotalOk(), 400);
  EXPECT_EQ(a.TotalErrors(), 7);
  EXPECT_EQ(a.errors_by_type["400 ThrottlingException"], 3);
  EXPECT_EQ(a.errors_by_type["timeout"], 4);
  EXPECT_EQ(a.connect_failures, 1);
  EXPECT_DOUBLE_EQ(a.window_seconds, 2.5);
  const LatencyHistogram all = a.AllLatencies();
  EXPECT_EQ(all.count(), 400);
  // The top of the bucket holding 1 ms, then the largest sample.
  EXPECT_EQ(all.ValueAtPercentile(25),
            LatencyHistogram::BucketHighest(LatencyHistogram::BucketIndex(1000000)));
  EXPECT_EQ(all.ValueAtPercentile(50), 3000000);
}

TEST(ReportTest, JsonIsOneLineWithTheFiguresAScriptNeeds) {
  RunStats stats = ThreadStats(2000, 250000, 2.0);
  stats.Of(Operation::kUpdateItem).errors = 3;
  stats.errors_by_type["400 ConditionalCheckFailedException"] = 3;
  RunDescription description;
  description.endpoint = "http://127.0.0.1:8620";
  description.workload = Workload::kUpdate;
  description.threads = 2;
  description.connections = 4;
  description.in_flight = 32;
  description.duration_seconds = 2;
  CounterCheck check;
  check.acknowledged = 10;
  check.uncertain = 1;
  check.checked = true;
  check.before = 5;
  check.after = 16;
  const std::string json = FormatJson(description, stats, check);
  EXPECT_EQ(json.find('\n'), std::string::npos);

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(root["workload"]), "update");
  EXPECT_TRUE(bool(root["pipelined"]));
  EXPECT_EQ(int64_t(root["ok"]), 2000);
  EXPECT_EQ(int64_t(root["errors"]), 3);
  EXPECT_EQ(int64_t(root["requests"]), 2003);
  EXPECT_DOUBLE_EQ(double(root["ops_per_s"]), 1000.0);
  EXPECT_DOUBLE_EQ(double(root["latency_us"]["p50"]), 250.0);
  EXPECT_DOUBLE_EQ(double(root["latency_us"]["p99_9"]), 250.0);
  EXPECT_DOUBLE_EQ(double(root["latency_us"]["max"]), 250.0);
  EXPECT_EQ(int64_t(root["errors_by_type"]["400 ConditionalCheckFailedException"]), 3);
  EXPECT_EQ(int64_t(root["operations"]["GetItem"]["ok"]), 2000);
  EXPECT_EQ(int64_t(root["operations"]["UpdateItem"]["errors"]), 3);
  EXPECT_TRUE(root["operations"]["PutItem"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(std::string_view(root["counters"]["check"]), "passed");
  EXPECT_EQ(int64_t(root["counters"]["acknowledged"]), 10);
  // A closed loop says so and carries none of the open-loop figures.
  EXPECT_EQ(std::string_view(root["loop"]), "closed");
  EXPECT_TRUE(root["offered_ops_per_s"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_TRUE(root["send_lag_us"].error() == simdjson::NO_SUCH_FIELD);
}

TEST(ReportTest, OpenLoopReportsOfferedAndAchievedRatesLagAndUnsent) {
  // 20095 ns is the top of its histogram bucket, so it is reported exactly.
  constexpr int64_t kLagNs = 20095;
  ASSERT_EQ(LatencyHistogram::BucketHighest(LatencyHistogram::BucketIndex(kLagNs)), kLagNs);
  RunStats a = ThreadStats(1500, 400000, 3.0);
  a.send_lag.RecordMany(kLagNs, 1500);
  a.unsent = 2;
  RunStats b = ThreadStats(1400, 400000, 3.0);
  b.send_lag.RecordMany(kLagNs, 1399);
  b.send_lag.Record(5000000);
  b.unsent = 1;
  a.Merge(b);
  EXPECT_EQ(a.unsent, 3);
  EXPECT_EQ(a.send_lag.count(), 2900);
  RunDescription description;
  description.workload = Workload::kGet;
  description.rate = 1000;
  description.duration_seconds = 3;

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const std::string json = FormatJson(description, a, std::nullopt);
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(root["loop"]), "open");
  EXPECT_DOUBLE_EQ(double(root["offered_ops_per_s"]), 1000.0);
  EXPECT_DOUBLE_EQ(double(root["achieved_ops_per_s"]), 966.7);
  EXPECT_DOUBLE_EQ(double(root["ops_per_s"]), 966.7);
  EXPECT_EQ(int64_t(root["unsent"]), 3);
  EXPECT_DOUBLE_EQ(double(root["send_lag_us"]["p50"]), 20.1);
  EXPECT_DOUBLE_EQ(double(root["send_lag_us"]["max"]), 5000.0);
  EXPECT_DOUBLE_EQ(double(root["latency_us"]["p99"]), 400.0);

  const std::string text = FormatText(description, a, std::nullopt);
  EXPECT_NE(text.find("open loop at 1000.0 ops/s"), std::string::npos) << text;
  EXPECT_NE(text.find("966.7 ops/s achieved of 1000.0 offered"), std::string::npos) << text;
  EXPECT_NE(text.find("latency from the scheduled send (us)"), std::string::npos) << text;
  EXPECT_NE(text.find("send lag behind the schedule (us)"), std::string::npos) << text;
  EXPECT_NE(text.find("3 requests due but never sent"), std::string::npos) << text;
}

TEST(ReportTest, CounterCheckAllowsOnlyUncertainIncrementsBeyondTheAcknowledged) {
  CounterCheck check;
  check.checked = true;
  check.acknowledged = 10;
  check.uncertain = 2;
  for (int64_t increase : {10, 11, 12}) {
    check.after = increase;
    EXPECT_TRUE(check.Passed()) << increase;
  }
  for (int64_t increase : {9, 13}) {
    check.after = increase;
    EXPECT_FALSE(check.Passed()) << increase;
  }
}

TEST(ReportTest, TheIndexedTableIsNamedWithItsIndexCount) {
  RunStats stats = ThreadStats(10, 1000, 1.0);
  RunDescription description;
  description.workload = Workload::kPutGsi;
  description.table = "dunlin-bench-gsi";
  description.gsi_count = 2;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const std::string json = FormatJson(description, stats, std::nullopt);
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(root["workload"]), "put-gsi");
  EXPECT_EQ(std::string_view(root["table"]), "dunlin-bench-gsi");
  EXPECT_EQ(int64_t(root["gsi_count"]), 2);
  const std::string text = FormatText(description, stats, std::nullopt);
  EXPECT_NE(text.find("table dunlin-bench-gsi with 2 global secondary indexes"), std::string::npos)
      << text;

  // The plain table has no gsi_count.
  description.workload = Workload::kPut;
  description.table = "dunlin-bench";
  description.gsi_count = 0;
  const std::string plain = FormatJson(description, stats, std::nullopt);
  ASSERT_EQ(parser.parse(plain).get(root), simdjson::SUCCESS) << plain;
  EXPECT_TRUE(root["gsi_count"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(FormatText(description, stats, std::nullopt).find("secondary"), std::string::npos);
}

TEST(ReportTest, TextNamesErrorsAndMissingData) {
  RunStats stats = ThreadStats(10, 1000, 1.0);
  stats.Of(Operation::kGetItem).missing = 4;
  stats.errors_by_type["timeout"] = 1;
  RunDescription description;
  description.workload = Workload::kGet;
  const std::string text = FormatText(description, stats, std::nullopt);
  EXPECT_NE(text.find("10 ok"), std::string::npos) << text;
  EXPECT_NE(text.find("error timeout: 1"), std::string::npos) << text;
  EXPECT_NE(text.find("--load"), std::string::npos) << text;
}

}  // namespace
}  // namespace dunlin::bench
