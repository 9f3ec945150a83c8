// Test helper: a small blocking HTTP/1.1 client over one connection, with a timeout on every
// operation so that a broken server fails a test instead of hanging it.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace dunlin::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using Response = bhttp::response<bhttp::string_body>;

class TestClient {
 public:
  static constexpr std::chrono::seconds kTimeout{10};

  // Connects to 127.0.0.1:port; check connect_error() before use.
  explicit TestClient(uint16_t port) : stream_(ioc_) {
    stream_.expires_after(kTimeout);
    stream_.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                          [this](beast::error_code ec) { connect_error_ = ec; });
    Run();
  }

  beast::error_code connect_error() const { return connect_error_; }

  beast::error_code WriteRaw(std::string_view data) {
    beast::error_code result;
    stream_.expires_after(kTimeout);
    asio::async_write(stream_, asio::buffer(data.data(), data.size()),
                      [&](beast::error_code ec, size_t) { result = ec; });
    Run();
    return result;
  }

  // Sends a request to "/" with Host set and the given body (Content-Length added).
  beast::error_code Post(std::string body, std::string_view target = "/",
                         std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> request{bhttp::verb::post, target, 11};
    request.set(bhttp::field::host, "localhost");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = std::move(body);
    request.prepare_payload();
    beast::error_code result;
    stream_.expires_after(kTimeout);
    bhttp::async_write(stream_, request, [&](beast::error_code ec, size_t) { result = ec; });
    Run();
    return result;
  }

  beast::error_code Read(Response& response) {
    response = {};
    beast::error_code result;
    stream_.expires_after(kTimeout);
    bhttp::async_read(stream_, buffer_, response,
                      [&](beast::error_code ec, size_t) { result = ec; });
    Run();
    return result;
  }

  // Reads raw bytes until at least `n` arrived (or an error).
  std::string ReadRawAtLeast(size_t n) {
    std::string out;
    while (out.size() < n) {
      char chunk[4096];
      beast::error_code result;
      size_t got = 0;
      stream_.expires_after(kTimeout);
      stream_.async_read_some(asio::buffer(chunk), [&](beast::error_code ec, size_t bytes) {
        result = ec;
        got = bytes;
      });
      Run();
      out.append(chunk, got);
      if (result) break;
    }
    return out;
  }

  // True when the server closes the connection (EOF or reset) with no further bytes.
  bool ClosedByServer() {
    if (buffer_.size() > 0) return false;
    char byte;
    beast::error_code result;
    size_t got = 0;
    stream_.expires_after(kTimeout);
    stream_.async_read_some(asio::buffer(&byte, 1), [&](beast::error_code ec, size_t bytes) {
      result = ec;
      got = bytes;
    });
    Run();
    return got == 0 && (result == asio::error::eof || result == asio::error::connection_reset);
  }

 private:
  void Run() {
    ioc_.restart();
    ioc_.run();
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  beast::error_code connect_error_;
};

}  // namespace dunlin::http::testing
