#include "bench/http_request.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "http/server.h"
#include "http/sigv4.h"

namespace dunlin::bench {
namespace {

constexpr std::string_view kScheme = "http://";
constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::string_view kStreamsTargetPrefix = "DynamoDBStreams_20120810.";
constexpr std::string_view kContentType = "application/x-amz-json-1.0";
constexpr uint16_t kDefaultHttpPort = 80;

}  // namespace

Result<Endpoint, std::string> ParseEndpoint(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return Fail(fmt::format("bad endpoint '{}': {} (expected http://HOST:PORT)", url, why));
  };
  if (url.substr(0, kScheme.size()) != kScheme) {
    return bad(url.find("://") == std::string_view::npos ? "no http:// scheme"
                                                         : "only plain http is supported");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) return bad("a path is not supported");

  Endpoint endpoint;
  endpoint.url = std::string(url);
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return bad("unclosed '['");
    endpoint.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after ']'");
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = rest.rfind(':');
    endpoint.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (endpoint.host.empty()) return bad("no host");
  endpoint.port = kDefaultHttpPort;
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return bad("the port is not a number from 1 to 65535");
    }
    endpoint.port = static_cast<uint16_t>(port);
  }
  const bool v6 = endpoint.host.find(':') != std::string::npos;
  endpoint.host_header = v6 ? "[" + endpoint.host + "]" : endpoint.host;
  if (endpoint.port != kDefaultHttpPort) {
    endpoint.host_header += ":" + std::to_string(endpoint.port);
  }
  return endpoint;
}

std::string EncodeRequest(const Endpoint& endpoint, const SigningKeys& keys,
                          std::string_view operation, std::string body, std::string_view amz_date,
                          Api api) {
  http::HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers.emplace_back("host", endpoint.host_header);
  request.headers.emplace_back("content-type", std::string(kContentType));
  std::string target(api == Api::kStreams ? kStreamsTargetPrefix : kTargetPrefix);
  target += operation;
  request.headers.emplace_back("x-amz-target", std::move(target));
  request.body = std::move(body);
  http::SignRequest(request, keys.access_key, keys.secret_key, keys.region, "dynamodb", amz_date);

  std::string wire;
  wire.reserve(request.body.size() + 512);
  wire += "POST / HTTP/1.1\r\n";
  for (const auto& [name, value] : request.headers) {
    wire.append(name).append(": ").append(value).append("\r\n");
  }
  wire += fmt::format("content-length: {}\r\n\r\n", request.body.size());
  wire += request.body;
  return wire;
}

}  // namespace dunlin::bench
