// Where dunlin-bench sends requests, and the bytes of one signed DynamoDB request.
//
// Requests use DynamoDB's JSON protocol: POST / with Content-Type application/x-amz-json-1.0 and
// X-Amz-Target DynamoDB_20120810.<Operation>, signed with AWS Signature Version 4 the way the
// SDKs sign (http::SignRequest). DynamoDB Local and dynalite accept any well-formed signature;
// dunlin started with --credentials checks it, so --access-key/--secret-key must match a line of
// its credentials file.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dunlin::bench {

struct Endpoint {
  std::string url;   // as given
  std::string host;  // name or address, without IPv6 brackets
  uint16_t port = 80;
  // The Host header: host (bracketed when IPv6) and ":port" unless the port is 80.
  std::string host_header;
};

// Parses "http://HOST[:PORT][/]" (HOST may be "[v6 address]"). Fails with a readable message for
// anything else, https included (the generator speaks plain HTTP only).
Result<Endpoint, std::string> ParseEndpoint(std::string_view url);

struct SigningKeys {
  std::string access_key = "benchkey";
  std::string secret_key = "benchsecret";
  std::string region = "us-east-1";
};

// The API an operation belongs to: its X-Amz-Target prefix. DynamoDB Streams operations are
// "DynamoDBStreams_20120810.<Operation>" and are signed for the service "dynamodb", as DynamoDB's
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html).
enum class Api { kDynamoDb, kStreams };

// The complete HTTP/1.1 request (head and body) calling `operation` ("PutItem", ...) of `api`
// with JSON `body`, signed at `amz_date` ("20150830T123600Z", see http::FormatAmzDate).
std::string EncodeRequest(const Endpoint& endpoint, const SigningKeys& keys,
                          std::string_view operation, std::string body, std::string_view amz_date,
                          Api api = Api::kDynamoDb);

}  // namespace dunlin::bench
