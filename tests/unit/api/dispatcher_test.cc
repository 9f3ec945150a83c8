// The dispatcher end to end over an in-memory engine: routing, headers, errors, and a table's
// life cycle, without sockets.
#include "api/dispatcher.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <zlib.h>

namespace dunlin::api {
namespace {

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::EngineOptions options;
    options.in_memory = true;
    auto engine = storage::OpenRocksDbEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    engine_ = std::move(engine).value();
    DispatcherOptions dispatcher_options;
    dispatcher_options.write_threads = 2;
    dispatcher_options.clock_ms = [] { return int64_t{1795431678688}; };
    dispatcher_ = std::make_unique<Dispatcher>(*engine_, dispatcher_options);
  }

  http::HttpResponse Call(std::string_view operation, std::string body) {
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
    return dispatcher_->Process(request);
  }

  static std::string ErrorType(const http::HttpResponse& response) {
    simdjson::dom::parser parser;
    std::string_view type;
    EXPECT_EQ(parser.parse(response.body)["__type"].get(type), simdjson::SUCCESS);
    return std::string(type);
  }

  static std::string_view Header(const http::HttpResponse& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return {};
  }

  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, ResponsesCarryRequestIdAndCrc32) {
  auto response = Call("ListTables", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"TableNames":[]})");
  EXPECT_EQ(response.content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(Header(response, "x-amzn-RequestId").size(), 52u);
  const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(response.body.data()),
                          static_cast<uInt>(response.body.size()));
  EXPECT_EQ(Header(response, "x-amz-crc32"), std::to_string(crc));
}

TEST_F(DispatcherTest, UnknownOperation) {
  auto response = Call("Frobnicate", "{}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorType(response), "com.amazon.coral.service#UnknownOperationException");
}

TEST_F(DispatcherTest, MalformedJsonIsSerializationException) {
  auto response = Call("ListTables", "{bad");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorType(response), "com.amazon.coral.service#SerializationException");
}

TEST_F(DispatcherTest, MissingAuthorizationIsRejected) {
  http::HttpRequest request;
  request.method = "POST";
  request.headers.emplace_back("x-amz-target", "DynamoDB_20120810.ListTables");
  request.body = "{}";
  auto response = dispatcher_->Process(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorType(response), "com.amazon.coral.service#MissingAuthenticationTokenException");
}

TEST_F(DispatcherTest, TableLifeCycle) {
  auto created = Call("CreateTable", R"({"TableName":"accounts","BillingMode":"PAY_PER_REQUEST",
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]})");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_NE(created.body.find(R"("TableStatus":"ACTIVE")"), std::string::npos);
  EXPECT_NE(created.body.find(R"("CreationDateTime":1795431678.688)"), std::string::npos);

  auto again = Call("CreateTable", R"({"TableName":"accounts","BillingMode":"PAY_PER_REQUEST",
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]})");
  EXPECT_EQ(ErrorType(again), "com.amazonaws.dynamodb.v20120810#ResourceInUseException");

  auto put =
      Call("PutItem", R"({"TableName":"accounts","Item":{"pk":{"S":"u1"},"n":{"N":"1E3"}}})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto get = Call("GetItem", R"({"TableName":"accounts","Key":{"pk":{"S":"u1"}}})");
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_NE(get.body.find(R"({"N":"1000"})"), std::string::npos) << get.body;

  auto described = Call("DescribeTable", R"({"TableName":"accounts"})");
  EXPECT_NE(described.body.find(R"("ItemCount":1)"), std::string::npos) << described.body;

  auto deleted = Call("DeleteTable", R"({"TableName":"accounts"})");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  auto missing = Call("DescribeTable", R"({"TableName":"accounts"})");
  EXPECT_EQ(ErrorType(missing), "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
}

TEST_F(DispatcherTest, LaterFeaturesAreRejectedByName) {
  auto response = Call("ExecuteStatement", "{}");
  EXPECT_EQ(ErrorType(response), "com.amazon.coral.validate#ValidationException");
  EXPECT_NE(response.body.find("ExecuteStatement"), std::string::npos);
}

}  // namespace
}  // namespace dunlin::api
