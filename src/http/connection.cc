#include "http/connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <utility>

#include "http/content_encoding.h"

namespace dunlin::http::internal {
namespace {

// Beast's default is 8 KiB; SDK requests carry long Authorization and User-Agent headers.
constexpr uint32_t kMaxHeaderBytes = 64 * 1024;
constexpr std::chrono::seconds kWriteTimeout{60};
// After the last response, how long and how much of the client's remaining bytes to swallow.
constexpr std::chrono::seconds kDrainTimeout{1};
constexpr size_t kMaxDrainBytes = 64 * 1024 * 1024;
constexpr size_t kDrainChunkBytes = 16 * 1024;
// A response buffer that grew past this is released after the write instead of reused.
constexpr size_t kMaxRetainedResponseBytes = 64 * 1024;
constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// The IMF-fixdate of RFC 9110 section 5.6.7 for now, formatted at most once per second per
// thread.
std::string_view HttpDateNow() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[32];
  thread_local size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    const int n = std::snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    length = n > 0 ? static_cast<size_t>(n) : 0;
    cached_second = now;
  }
  return std::string_view(text, length);
}

bool IsParseError(const beast::error_code& ec) {
  static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == http_category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

}  // namespace

Connection::Connection(std::shared_ptr<EventLoop> loop, tcp::socket socket)
    : loop_(std::move(loop)), stream_(std::move(socket)) {}

void Connection::Start() {
  loop_->connections.insert(this);
  loop_->open_connections.fetch_add(1, std::memory_order_relaxed);
  beast::error_code ec;
  tcp::socket& socket = stream_.socket();
  socket.set_option(tcp::no_delay(true), ec);
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (!ec) {
    const auto address = remote.address();
    remote_address_ = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    remote_address_ += ':';
    remote_address_ += std::to_string(remote.port());
  }
  if (loop_->stopping) {
    CloseNow();
    return;
  }
  ReadHeader();
}

void Connection::OnServerStopping() {
  if (state_ == State::kReading) CloseNow();
}

void Connection::CloseNow() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  loop_->connections.erase(this);
  loop_->open_connections.fetch_sub(1, std::memory_order_relaxed);
}

void Connection::ReadHeader() {
  if (loop_->stopping) {
    CloseNow();
    return;
  }
  state_ = State::kReading;
  parser_.emplace();
  parser_->header_limit(kMaxHeaderBytes);
  parser_->body_limit(loop_->options.max_body_bytes);
  stream_.expires_after(std::chrono::seconds(loop_->options.idle_timeout_seconds));
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

bool Connection::EndedRead(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    DispatchRequest(HttpRequest::BodyError::kTooLarge);
    return true;
  }
  if (ec) {
    OnReadError(ec);
    return true;
  }
  return false;
}

void Connection::OnHeader(beast::error_code ec) {
  if (state_ == State::kClosed || EndedRead(ec)) return;
  if (parser_->is_done()) {
    DispatchRequest(HttpRequest::BodyError::kNone);
    return;
  }
  const auto& header = parser_->get();
  const auto expect = header.find(bhttp::field::expect);
  if (expect != header.end() && EqualsIgnoreCase(expect->value(), "100-continue")) {
    // RFC 9110 section 10.1.1: the client waits for this before sending the body.
    stream_.expires_after(kWriteTimeout);
    asio::async_write(stream_, asio::buffer(kContinueResponse.data(), kContinueResponse.size()),
                      [self = shared_from_this()](beast::error_code write_ec, size_t) {
                        if (self->state_ == State::kClosed) return;
                        if (write_ec) {
                          self->CloseNow();
                          return;
                        }
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  stream_.expires_after(std::chrono::seconds(loop_->options.idle_timeout_seconds));
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
}

void Connection::OnBody(beast::error_code ec) {
  if (state_ == State::kClosed || EndedRead(ec)) return;
  DispatchRequest(HttpRequest::BodyError::kNone);
}

void Connection::OnReadError(beast::error_code ec) {
  // A request the parser rejects gets a plain answer; EOF, resets and timeouts just close.
  if (ec == bhttp::error::header_limit) {
    WriteCanned(431, "Request Header Fields Too Large");
  } else if (IsParseError(ec)) {
    WriteCanned(400, "Bad Request");
  } else {
    CloseNow();
  }
}

void Connection::DispatchRequest(HttpRequest::BodyError body_error) {
  auto& message = parser_->get();
  HttpRequest request;
  request.method.assign(message.method_string().data(), message.method_string().size());
  request.target.assign(message.target().data(), message.target().size());
  request.headers.reserve(16);
  std::string_view content_encoding;
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = AsciiLower(c);
    if (name == "content-encoding") content_encoding = field.value();
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request_version_ = message.version();
  request_keep_alive_ = message.keep_alive();
  if (body_error == HttpRequest::BodyError::kTooLarge) {
    // The rest of the body was never read, so the connection cannot carry another request.
    close_after_response_ = true;
  } else if (IsIdentityEncoding(content_encoding) || message.body().empty()) {
    request.body = std::move(message.body());
  } else {
    request.raw_body = std::move(message.body());
    auto decoded = DecodeContent(content_encoding, request.raw_body, loop_->options.max_body_bytes,
                                 request.body);
    if (!decoded.ok()) {
      body_error = decoded.error();
      request.body.clear();
    }
  }
  request.body_error = body_error;
  request.remote_address = remote_address_;
  parser_.reset();

  state_ = State::kHandling;
  stream_.expires_never();
  try {
    loop_->handler.Handle(std::move(request), [self = shared_from_this()](HttpResponse response) {
      self->Respond(std::move(response));
    });
  } catch (...) {
    // The request boundary: a throwing handler answers 500 unless it already answered.
    if (state_ == State::kHandling) WriteCanned(500, "Internal Server Error");
  }
}

void Connection::Respond(HttpResponse response) {
  if (loop_->ioc.get_executor().running_in_this_thread()) {
    Write(std::move(response));
    return;
  }
  std::lock_guard lock(loop_->post_mu);
  if (loop_->finished) return;
  asio::post(loop_->ioc, [self = shared_from_this(), response = std::move(response)]() mutable {
    self->Write(std::move(response));
  });
}

void Connection::Write(HttpResponse response) {
  if (state_ != State::kHandling) return;  // closed meanwhile, or answered twice
  const bool keep_alive =
      request_keep_alive_ && !response.close && !close_after_response_ && !loop_->stopping;
  close_after_response_ = !keep_alive;
  const unsigned status =
      (response.status >= 100 && response.status <= 999) ? response.status : 500;
  // RFC 9110 sections 15.2, 15.3.5 and 15.4.5: these statuses carry no content.
  const bool no_content = status < 200 || status == 204 || status == 304;
  if (no_content) response.body.clear();
  bool has_date = false;
  for (const auto& [name, value] : response.headers) {
    if (EqualsIgnoreCase(name, "date")) {
      has_date = true;
      break;
    }
  }
  StartResponse(status, request_version_);
  for (const auto& [name, value] : response.headers) AppendHeader(name, value);
  if (!has_date) AppendHeader("Date", HttpDateNow());
  if (!response.content_type.empty()) AppendHeader("Content-Type", response.content_type);
  FinishResponse(keep_alive, no_content, response.body);
  StartWrite();
}

void Connection::WriteCanned(unsigned status, std::string_view body) {
  close_after_response_ = true;
  StartResponse(status, 11);
  AppendHeader("Date", HttpDateNow());
  AppendHeader("Content-Type", "text/plain");
  FinishResponse(/*keep_alive=*/false, /*no_content=*/false, body);
  StartWrite();
}

void Connection::StartResponse(unsigned status, unsigned version) {
  out_.clear();
  out_ += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char code[4] = {static_cast<char>('0' + status / 100), static_cast<char>('0' + status / 10 % 10),
                  static_cast<char>('0' + status % 10), ' '};
  out_.append(code, sizeof(code));
  const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(status));
  out_.append(reason.data(), reason.size());
  out_ += "\r\n";
  response_version_ = version;
}

void Connection::AppendHeader(std::string_view name, std::string_view value) {
  out_.append(name);
  out_ += ": ";
  out_.append(value);
  out_ += "\r\n";
}

void Connection::FinishResponse(bool keep_alive, bool no_content, std::string_view body) {
  // RFC 9112 section 9.3: HTTP/1.1 connections persist unless closed; HTTP/1.0 ones close
  // unless kept alive.
  if (response_version_ == 10) {
    if (keep_alive) AppendHeader("Connection", "keep-alive");
  } else if (!keep_alive) {
    AppendHeader("Connection", "close");
  }
  if (!no_content) {
    char length[24];
    const int n = std::snprintf(length, sizeof(length), "%zu", body.size());
    AppendHeader("Content-Length", std::string_view(length, n > 0 ? static_cast<size_t>(n) : 0));
  }
  out_ += "\r\n";
  out_.append(body);
}

void Connection::StartWrite() {
  state_ = State::kWriting;
  stream_.expires_after(kWriteTimeout);
  asio::async_write(stream_, asio::buffer(out_),
                    [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
}

void Connection::OnWrite(beast::error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec) {
    CloseNow();
    return;
  }
  // Keep the buffer for the next response unless a large one grew it.
  if (out_.capacity() > kMaxRetainedResponseBytes) std::string().swap(out_);
  if (close_after_response_ || loop_->stopping) {
    CloseGracefully();
    return;
  }
  ReadHeader();
}

void Connection::CloseGracefully() {
  state_ = State::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    CloseNow();
    return;
  }
  buffer_.clear();
  drained_bytes_ = 0;
  stream_.expires_after(kDrainTimeout);
  Drain();
}

void Connection::Drain() {
  stream_.async_read_some(buffer_.prepare(kDrainChunkBytes),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            if (self->state_ == State::kClosed) return;
                            self->drained_bytes_ += n;
                            if (ec || self->drained_bytes_ > kMaxDrainBytes) {
                              self->CloseNow();
                              return;
                            }
                            self->Drain();
                          });
}

}  // namespace dunlin::http::internal
