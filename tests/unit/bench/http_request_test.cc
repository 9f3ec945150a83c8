// ParseEndpoint and EncodeRequest: endpoints the generator accepts, and that the bytes it sends
// are a well-formed request whose signature dunlin's verifier accepts.
#include "bench/http_request.h"

#include <gtest/gtest.h>

#include <string>

#include "http/server.h"
#include "http/sigv4.h"

namespace dunlin::bench {
namespace {

constexpr int64_t kNow = 1440938160;  // 20150830T123600Z
constexpr char kAmzDate[] = "20150830T123600Z";

// Splits an encoded request back into an HttpRequest (header names are already lower-case).
http::HttpRequest Decode(const std::string& wire) {
  http::HttpRequest request;
  const size_t head_end = wire.find("\r\n\r\n");
  EXPECT_NE(head_end, std::string::npos);
  const std::string head = wire.substr(0, head_end);
  request.body = wire.substr(head_end + 4);
  size_t line_start = 0;
  bool first = true;
  while (line_start <= head.size()) {
    size_t line_end = head.find("\r\n", line_start);
    if (line_end == std::string::npos) line_end = head.size();
    const std::string line = head.substr(line_start, line_end - line_start);
    if (first) {
      EXPECT_EQ(line, "POST / HTTP/1.1");
      request.method = "POST";
      request.target = "/";
      first = false;
    } else {
      const size_t colon = line.find(": ");
      EXPECT_NE(colon, std::string::npos) << line;
      request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
    line_start = line_end + 2;
  }
  return request;
}

TEST(ParseEndpointTest, AcceptsHostsPortsAndIpv6) {
  auto plain = ParseEndpoint("http://127.0.0.1:8620");
  ASSERT_TRUE(plain.ok()) << plain.error();
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 8620);
  EXPECT_EQ(plain->host_header, "127.0.0.1:8620");

  auto slash = ParseEndpoint("http://localhost/");
  ASSERT_TRUE(slash.ok()) << slash.error();
  EXPECT_EQ(slash->host, "localhost");
  EXPECT_EQ(slash->port, 80);
  EXPECT_EQ(slash->host_header, "localhost");

  auto v6 = ParseEndpoint("http://[::1]:9000");
  ASSERT_TRUE(v6.ok()) << v6.error();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9000);
  EXPECT_EQ(v6->host_header, "[::1]:9000");
}

TEST(ParseEndpointTest, RejectsWhatItCannotSpeak) {
  for (const char* url :
       {"127.0.0.1:8000", "https://dynamodb.us-east-1.amazonaws.com", "http://host:0",
        "http://host:70000", "http://host:12ab", "http://host/path", "http://", "http://[::1"}) {
    auto endpoint = ParseEndpoint(url);
    EXPECT_FALSE(endpoint.ok()) << url;
  }
  auto https = ParseEndpoint("https://example.com");
  ASSERT_FALSE(https.ok());
  EXPECT_NE(https.error().find("only plain http"), std::string::npos);
}

TEST(EncodeRequestTest, SignedRequestVerifiesWithTheRightSecretOnly) {
  auto endpoint = ParseEndpoint("http://127.0.0.1:8620");
  ASSERT_TRUE(endpoint.ok());
  SigningKeys keys;
  keys.access_key = "AKIDBENCH";
  keys.secret_key = "bench-secret";
  keys.region = "eu-west-1";
  const std::string body = R"({"TableName":"dunlin-bench"})";
  const std::string wire = EncodeRequest(*endpoint, keys, "DescribeTable", body, kAmzDate);

  http::HttpRequest request = Decode(wire);
  EXPECT_EQ(request.body, body);
  EXPECT_EQ(request.Header("host"), "127.0.0.1:8620");
  EXPECT_EQ(request.Header("x-amz-target"), "DynamoDB_20120810.DescribeTable");
  EXPECT_EQ(request.Header("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(request.Header("content-length"), std::to_string(body.size()));
  EXPECT_EQ(request.Header("x-amz-date"), kAmzDate);

  http::CredentialStore credentials;
  credentials.Add("AKIDBENCH", "bench-secret");
  http::VerifyOptions options;
  options.region = "eu-west-1";
  options.credentials = &credentials;
  auto verified = http::Verify(request, options, kNow);
  ASSERT_TRUE(verified.ok()) << verified.error().detail;
  EXPECT_EQ(*verified, "AKIDBENCH");

  http::CredentialStore wrong;
  wrong.Add("AKIDBENCH", "another secret");
  options.credentials = &wrong;
  EXPECT_FALSE(http::Verify(request, options, kNow).ok());
}

// Streams operations have their own target prefix and are signed for "dynamodb" as well.
TEST(EncodeRequestTest, StreamsOperationsHaveTheirOwnTarget) {
  auto endpoint = ParseEndpoint("http://127.0.0.1:8620");
  ASSERT_TRUE(endpoint.ok());
  SigningKeys keys;
  const std::string wire =
      EncodeRequest(*endpoint, keys, "GetRecords", R"({"ShardIterator":"x"})", kAmzDate,
                    Api::kStreams);
  http::HttpRequest request = Decode(wire);
  EXPECT_EQ(request.Header("x-amz-target"), "DynamoDBStreams_20120810.GetRecords");

  http::CredentialStore credentials;
  credentials.Add(keys.access_key, keys.secret_key);
  http::VerifyOptions options;
  options.region = keys.region;
  options.credentials = &credentials;
  auto verified = http::Verify(request, options, kNow);
  ASSERT_TRUE(verified.ok()) << verified.error().detail;
}

}  // namespace
}  // namespace dunlin::bench
