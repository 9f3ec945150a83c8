// SigV4 verification (http/sigv4.h), which every request pays before its body is parsed.
//
// The request is a PutItem of the sample item, signed once the way the AWS SDKs sign it (host,
// content-type, content-length, x-amz-target and x-amz-date signed; user-agent not).
//   - BM_SigV4Verify: a server with a credentials file: parse the Authorization header, check
//     scope and date, hash the body, build the canonical request and string to sign, derive the
//     signing key (four HMACs) and compare the signature.
//   - BM_SigV4VerifyNoCredentials: the default server without credentials, which only parses
//     the Authorization header and checks its scope.
//   - BM_SigV4SigningKey: the key derivation alone, the part a per-day cache could save.
// Bytes processed are body bytes (hashed once per verification).
#include <benchmark/benchmark.h>

#include <string>

#include "bench/micro/sample_data.h"
#include "http/server.h"
#include "http/sigv4.h"

namespace dunlin::bench::micro {
namespace {

constexpr std::string_view kAccessKeyId = "AKIDEXAMPLEBENCH0001";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kRegion = "us-east-1";
// 2023-11-14T22:13:20Z; the server clock is set to the same second.
constexpr int64_t kNowEpochSeconds = 1700000000;

http::HttpRequest SignedPutItem() {
  http::HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.body = PutItemBody(SampleItem(model::AttributeType::kS));
  request.headers = {
      {"host", "localhost:8000"},
      {"accept-encoding", "identity"},
      {"x-amz-target", "DynamoDB_20120810.PutItem"},
      {"content-type", "application/x-amz-json-1.0"},
      {"user-agent", "Boto3/1.26.27 Python/3.11.2 Linux/6.1.0 Botocore/1.29.27"},
      {"content-length", std::to_string(request.body.size())},
  };
  http::SignRequest(request, kAccessKeyId, kSecret, kRegion, "dynamodb",
                    http::FormatAmzDate(kNowEpochSeconds));
  return request;
}

void BM_SigV4Verify(benchmark::State& state) {
  const http::HttpRequest request = SignedPutItem();
  http::CredentialStore credentials;
  credentials.Add(std::string(kAccessKeyId), std::string(kSecret));
  http::VerifyOptions options;
  options.region = std::string(kRegion);
  options.credentials = &credentials;
  if (!http::Verify(request, options, kNowEpochSeconds).ok()) {
    state.SkipWithError("the sample request does not verify");
    return;
  }
  for (auto _ : state) {
    auto access_key = http::Verify(request, options, kNowEpochSeconds);
    benchmark::DoNotOptimize(access_key);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * request.body.size()));
}
BENCHMARK(BM_SigV4Verify);

void BM_SigV4VerifyNoCredentials(benchmark::State& state) {
  const http::HttpRequest request = SignedPutItem();
  http::VerifyOptions options;
  options.region = "";
  if (!http::Verify(request, options, kNowEpochSeconds).ok()) {
    state.SkipWithError("the sample request does not verify");
    return;
  }
  for (auto _ : state) {
    auto access_key = http::Verify(request, options, kNowEpochSeconds);
    benchmark::DoNotOptimize(access_key);
  }
}
BENCHMARK(BM_SigV4VerifyNoCredentials);

void BM_SigV4SigningKey(benchmark::State& state) {
  const std::string date = http::FormatAmzDate(kNowEpochSeconds).substr(0, 8);
  for (auto _ : state) {
    std::string key = http::SigningKey(kSecret, date, kRegion, "dynamodb");
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_SigV4SigningKey);

}  // namespace
}  // namespace dunlin::bench::micro
