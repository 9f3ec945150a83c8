// The stream-lag measurement's pure parts: the Streams request bodies, the readers of their
// answers, the tally of records against writes, and the report.
#include "bench/stream_lag.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "bench/workload.h"
#include "json_test_util.h"

namespace dunlin::bench {
namespace {

TEST(StreamLagBodiesTest, RequestsOfTheStreamsApi) {
  simdjson::dom::parser parser;
  auto first = Parse(parser, DescribeStreamBody("arn:s", ""));
  EXPECT_EQ(StringAt(first, "/StreamArn"), "arn:s");
  EXPECT_TRUE(first["ExclusiveStartShardId"].error() == simdjson::NO_SUCH_FIELD);
  auto next = Parse(parser, DescribeStreamBody("arn:s", "shardId-1"));
  EXPECT_EQ(StringAt(next, "/ExclusiveStartShardId"), "shardId-1");

  auto iterator = Parse(parser, LatestShardIteratorBody("arn:s", "shardId-2"));
  EXPECT_EQ(StringAt(iterator, "/ShardId"), "shardId-2");
  EXPECT_EQ(StringAt(iterator, "/ShardIteratorType"), "LATEST");

  auto records = Parse(parser, GetRecordsBody("it\"1", 250));
  EXPECT_EQ(StringAt(records, "/ShardIterator"), "it\"1");
  EXPECT_EQ(int64_t(records["Limit"]), 250);

  auto put = Parse(parser, TimedPutBody("tbl-stream", 42, 123456789));
  EXPECT_EQ(StringAt(put, "/TableName"), "tbl-stream");
  EXPECT_EQ(StringAt(put, "/Item/pk/S"), "lag000000000042");
  EXPECT_EQ(StringAt(put, "/Item/sk/S"), "00");
  EXPECT_EQ(StringAt(put, "/Item/t/N"), "123456789");
}

TEST(StreamLagParseTest, DescribeStreamKeepsOpenShardsAndThePageEnd) {
  auto page = ParseDescribeStream(R"({"StreamDescription":{"Shards":[
      {"ShardId":"old","SequenceNumberRange":{"StartingSequenceNumber":"1",
                                              "EndingSequenceNumber":"5"}},
      {"ShardId":"new","ParentShardId":"old",
       "SequenceNumberRange":{"StartingSequenceNumber":"6"}}],
      "LastEvaluatedShardId":"new"}})");
  ASSERT_TRUE(page.ok()) << page.error();
  ASSERT_EQ(page->open_shards.size(), 1u);
  EXPECT_EQ(page->open_shards[0], "new");
  EXPECT_EQ(page->last_evaluated_shard_id, "new");

  auto last = ParseDescribeStream(R"({"StreamDescription":{"Shards":[]}})");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->open_shards.empty());
  EXPECT_FALSE(last->last_evaluated_shard_id.has_value());

  EXPECT_FALSE(ParseDescribeStream(R"({"Table":{}})").ok());
  EXPECT_FALSE(ParseDescribeStream(R"({"StreamDescription":{"Shards":[{}]}})").ok());
  EXPECT_FALSE(ParseDescribeStream("not json").ok());
}

TEST(StreamLagParseTest, ShardIterator) {
  auto iterator = ParseShardIterator(R"({"ShardIterator":"abc"})");
  ASSERT_TRUE(iterator.ok());
  EXPECT_EQ(*iterator, "abc");
  EXPECT_FALSE(ParseShardIterator("{}").ok());
}

TEST(StreamLagParseTest, GetRecordsReadsStampsOfNewImages) {
  auto page = ParseGetRecords(R"({"Records":[
      {"eventName":"INSERT","dynamodb":{"NewImage":{"pk":{"S":"a"},"t":{"N":"17"}}}},
      {"eventName":"REMOVE","dynamodb":{"OldImage":{"t":{"N":"3"}}}},
      {"eventName":"MODIFY","dynamodb":{"NewImage":{"t":{"N":"1.5"}}}},
      {"eventName":"MODIFY","dynamodb":{"NewImage":{"t":{"N":"99"}}}}],
      "NextShardIterator":"next"})");
  ASSERT_TRUE(page.ok()) << page.error();
  EXPECT_EQ(page->stamps, (std::vector<int64_t>{17, 99}));
  EXPECT_EQ(page->unstamped, 2);
  EXPECT_EQ(page->next_iterator, "next");

  auto closed = ParseGetRecords(R"({"Records":[]})");
  ASSERT_TRUE(closed.ok());
  EXPECT_TRUE(closed->stamps.empty());
  EXPECT_FALSE(closed->next_iterator.has_value());
  EXPECT_FALSE(ParseGetRecords(R"({"NextShardIterator":"x"})").ok());
}

TEST(StreamLagTallyTest, CountsMissingDuplicatedAndUnexpectedRecords) {
  StreamLagStats stats;
  TallyRecords({5, 1, 3, 4}, {3, 1, 3, 3, 9, 4}, stats);
  EXPECT_EQ(stats.missing, 1);     // 5
  EXPECT_EQ(stats.duplicates, 2);  // 3 twice more
  EXPECT_EQ(stats.unexpected, 1);  // 9

  StreamLagStats exact;
  TallyRecords({2, 1}, {1, 2}, exact);
  EXPECT_EQ(exact.missing + exact.duplicates + exact.unexpected, 0);

  StreamLagStats none;
  TallyRecords({1, 2}, {}, none);
  EXPECT_EQ(none.missing, 2);
}

TEST(StreamLagReportTest, JsonCarriesCountsAndLatencies) {
  StreamLagOptions options;
  options.endpoint.url = "http://127.0.0.1:1";
  options.table = "tbl-stream";
  options.rate = 500;
  StreamLagStats stats;
  stats.writes = 10;
  stats.records = 10;
  stats.window_seconds = 2;
  stats.lag.Record(1500000);  // 1.5 ms
  stats.write_latency.Record(400000);
  simdjson::dom::parser parser;
  auto json = Parse(parser, FormatStreamLagJson(options, stats));
  EXPECT_EQ(StringAt(json, "/workload"), "stream-lag");
  EXPECT_EQ(int64_t(json["writes"]), 10);
  EXPECT_EQ(int64_t(json["missing"]), 0);
  EXPECT_DOUBLE_EQ(double(json["achieved_writes_per_s"]), 5.0);
  EXPECT_NEAR(double(json.at_pointer("/lag_us/p99")), 1500.0, 15.0);
  EXPECT_NEAR(double(json.at_pointer("/write_latency_us/max")), 400.0, 0.1);
  const std::string text = FormatStreamLagText(options, stats);
  EXPECT_NE(text.find("write to readable record (us)"), std::string::npos);
}

// The streamed table: the plain table's keys and a NEW_AND_OLD_IMAGES stream; DescribeTable
// answers are checked for it.
TEST(StreamedTableTest, CreateTableEnablesTheStreamAndDescribeTableIsChecked) {
  simdjson::dom::parser parser;
  auto create = Parse(parser, CreateTableBody("tbl-stream", 0, true));
  EXPECT_TRUE(bool(create.at_pointer("/StreamSpecification/StreamEnabled")));
  EXPECT_EQ(StringAt(create, "/StreamSpecification/StreamViewType"), "NEW_AND_OLD_IMAGES");
  EXPECT_EQ(StringAt(create, "/KeySchema/1/AttributeName"), "sk");
  EXPECT_TRUE(Parse(parser, CreateTableBody("tbl")).at_pointer("/StreamSpecification").error() ==
              simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(StreamTableName("dunlin-bench"), "dunlin-bench-stream");

  EXPECT_TRUE(StreamedTableReady(R"({"Table":{"StreamSpecification":{"StreamEnabled":true,
      "StreamViewType":"NEW_AND_OLD_IMAGES"},"LatestStreamArn":"arn:x"}})")
                  .ok());
  auto keys_only = StreamedTableReady(R"({"Table":{"StreamSpecification":{"StreamEnabled":true,
      "StreamViewType":"KEYS_ONLY"}}})");
  ASSERT_FALSE(keys_only.ok());
  EXPECT_NE(keys_only.error().find("KEYS_ONLY"), std::string::npos);
  auto plain = StreamedTableReady(R"({"Table":{"TableName":"tbl"}})");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().find("not enabled"), std::string::npos);

  auto arn = LatestStreamArn(R"({"Table":{"LatestStreamArn":"arn:x"}})");
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(*arn, "arn:x");
  EXPECT_FALSE(LatestStreamArn(R"({"Table":{}})").ok());
}

}  // namespace
}  // namespace dunlin::bench
