// BatchGetItem and BatchWriteItem over an in-memory engine: the response budget, and both ways
// a batch write answers (waiting on the calling thread, and later from the commit thread).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <future>
#include <string>

#include "api/batch_request.h"
#include "api/dispatcher.h"

namespace dunlin::api {
namespace {

TEST(ResponseBudgetTest, TakesItemsUpToTheLimitExactly) {
  ResponseBudget budget(100);
  EXPECT_TRUE(budget.Take(60));
  EXPECT_TRUE(budget.Take(40));
  EXPECT_EQ(budget.remaining(), 0u);
  EXPECT_FALSE(budget.Take(1));
}

TEST(ResponseBudgetTest, AnItemThatDoesNotFitLeavesRoomForSmallerOnes) {
  ResponseBudget budget(100);
  EXPECT_TRUE(budget.Take(70));
  EXPECT_FALSE(budget.Take(31));
  EXPECT_EQ(budget.remaining(), 30u);
  EXPECT_TRUE(budget.Take(30));
}

TEST(ResponseBudgetTest, DefaultIsSixteenMebibytes) {
  ResponseBudget budget;
  // 40 items of 400 KB, and one of the rest of 16 MiB.
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(budget.Take(409600));
  EXPECT_FALSE(budget.Take(393217));
  EXPECT_TRUE(budget.Take(393216));
}

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::EngineOptions options;
    options.in_memory = true;
    auto engine = storage::OpenRocksDbEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    engine_ = std::move(engine).value();
    DispatcherOptions dispatcher_options;
    dispatcher_options.write_threads = 1;
    dispatcher_options.clock_ms = [] { return int64_t{1795431678688}; };
    dispatcher_ = std::make_unique<Dispatcher>(*engine_, dispatcher_options);
    auto created = Call("CreateTable", R"({"TableName": "items",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST"})");
    ASSERT_EQ(created.status, 200) << created.body;
  }

  static http::HttpRequest Request(std::string_view operation, std::string body) {
    http::HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.headers.emplace_back("host", "127.0.0.1:8000");
    request.headers.emplace_back("x-amz-target", "DynamoDB_20120810." + std::string(operation));
    request.headers.emplace_back("x-amz-date", "20261123T111111Z");
    request.headers.emplace_back(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" +
            std::string(64, '0'));
    request.body = std::move(body);
    return request;
  }

  // Waits on this thread: operations see no answer_later and write with Engine::MutateItem.
  http::HttpResponse Call(std::string_view operation, std::string body) {
    return dispatcher_->Process(Request(operation, std::move(body)));
  }

  // As the server calls it: writes are queued and answered from the commit thread.
  http::HttpResponse Handle(std::string_view operation, std::string body) {
    std::promise<http::HttpResponse> answered;
    auto answer = answered.get_future();
    dispatcher_->Handle(
        Request(operation, std::move(body)),
        [&answered](http::HttpResponse response) { answered.set_value(std::move(response)); });
    EXPECT_EQ(answer.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return answer.get();
  }

  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

constexpr std::string_view kThreePuts = R"({"RequestItems": {"items": [
    {"PutRequest": {"Item": {"pk": {"S": "a"}, "v": {"N": "1"}}}},
    {"PutRequest": {"Item": {"pk": {"S": "b"}}}},
    {"DeleteRequest": {"Key": {"pk": {"S": "c"}}}}]},
    "ReturnConsumedCapacity": "TOTAL"})";

constexpr std::string_view kReadBack = R"({"RequestItems": {"items": {
    "Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}, {"pk": {"S": "c"}}],
    "ConsistentRead": true}}})";

constexpr std::string_view kWritten =
    R"({"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"items","CapacityUnits":3.0}]})";
constexpr std::string_view kReadBackBody =
    R"({"Responses":{"items":[{"pk":{"S":"a"},"v":{"N":"1"}},{"pk":{"S":"b"}}]},)"
    R"("UnprocessedKeys":{}})";

TEST_F(BatchTest, WritesWaitingOnTheCallingThread) {
  auto written = Call("BatchWriteItem", std::string(kThreePuts));
  ASSERT_EQ(written.status, 200) << written.body;
  EXPECT_EQ(written.body, kWritten);
  auto read = Call("BatchGetItem", std::string(kReadBack));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body, kReadBackBody);
}

TEST_F(BatchTest, WritesAnsweredFromTheCommitThread) {
  auto written = Handle("BatchWriteItem", std::string(kThreePuts));
  ASSERT_EQ(written.status, 200) << written.body;
  EXPECT_EQ(written.body, kWritten);
  auto read = Handle("BatchGetItem", std::string(kReadBack));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body, kReadBackBody);
}

TEST_F(BatchTest, DeletesOfMissingItemsAnswerAtOnce) {
  // Nothing to write: every completion runs before MutateItemAsync returns.
  auto written = Handle("BatchWriteItem", R"({"RequestItems": {"items": [
      {"DeleteRequest": {"Key": {"pk": {"S": "x"}}}},
      {"DeleteRequest": {"Key": {"pk": {"S": "y"}}}}]}})");
  ASSERT_EQ(written.status, 200) << written.body;
  EXPECT_EQ(written.body, R"({"UnprocessedItems":{}})");
}

TEST_F(BatchTest, InvalidRequestWritesNothing) {
  auto written = Handle("BatchWriteItem", R"({"RequestItems": {"items": [
      {"PutRequest": {"Item": {"pk": {"S": "a"}}}},
      {"PutRequest": {"Item": {"pk": {"N": "1"}}}}]}})");
  EXPECT_EQ(written.status, 400);
  auto read =
      Call("BatchGetItem", R"({"RequestItems": {"items": {"Keys": [{"pk": {"S": "a"}}]}}})");
  EXPECT_EQ(read.body, R"({"Responses":{"items":[]},"UnprocessedKeys":{}})");
}

}  // namespace
}  // namespace dunlin::api
