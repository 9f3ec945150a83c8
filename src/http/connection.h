// Internal to http/: one event loop and the HTTP/1.1 connections it serves. Not part of the
// module's interface (server.h is); this header brings in Boost.Beast and Asio.
//
// How a connection works: read a request header; answer "100 Continue" if asked; read the body
// (at most max_body_bytes, else the request goes to the handler with kTooLarge and the
// connection closes after the answer); undo Content-Encoding; hand the request to the handler;
// when the Responder is called (from any thread, it posts back to the loop), write the response;
// then read the next request. Reading only after writing keeps pipelined requests in order: their
// bytes wait in the connection's buffer. Closing after a response shuts down the sending side and
// drains what the client still sends for a moment, so the client reads the response instead of a
// reset.
//
// Thread-safety: an EventLoop's plain members belong to its thread (and to the thread that
// drains it after it stopped), except the atomics and what post_mu guards. A Connection runs on its loop's
// thread except for Respond(), which may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>

#include "http/server.h"

namespace dunlin::http::internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class Connection;

// One io_context run by one thread, and the connections that live on it.
struct EventLoop {
  EventLoop(RequestHandler& handler_in, const ServerOptions& options_in)
      : handler(handler_in), options(options_in) {}

  RequestHandler& handler;
  const ServerOptions options;
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::thread thread;

  // Loop thread only.
  std::unordered_set<Connection*> connections;
  bool stopping = false;

  std::atomic<int64_t> open_connections{0};

  // Responders on other threads post under this lock; once `finished` is set the loop never
  // runs again and late responses are dropped instead of queued.
  std::mutex post_mu;
  bool finished = false;  // guarded by post_mu
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `socket` must belong to loop->ioc.
  Connection(std::shared_ptr<EventLoop> loop, tcp::socket socket);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Loop thread: registers with the loop and starts reading.
  void Start();
  // Loop thread: the server is stopping. Idle connections close now; one whose request is with
  // the handler closes after writing its response.
  void OnServerStopping();
  // Closes the socket at once and unregisters. Loop thread; idempotent.
  void CloseNow();
  // Any thread: delivers the handler's answer to the current request.
  void Respond(HttpResponse response);

 private:
  enum class State { kReading, kHandling, kWriting, kClosing, kClosed };

  void ReadHeader();
  // After a read step: answers a too-large body or closes on an error; true when it did
  // either, so the step has nothing left to do.
  bool EndedRead(beast::error_code ec);
  void OnHeader(beast::error_code ec);
  void ReadBody();
  void OnBody(beast::error_code ec);
  void OnReadError(beast::error_code ec);
  void DispatchRequest(HttpRequest::BodyError body_error);
  void Write(HttpResponse response);
  void WriteCanned(unsigned status, std::string_view body);
  // Serialize a response into out_: the status line, then headers, then the framing headers
  // and the body.
  void StartResponse(unsigned status, unsigned version);
  void AppendHeader(std::string_view name, std::string_view value);
  void FinishResponse(bool keep_alive, bool no_content, std::string_view body);
  void StartWrite();
  void OnWrite(beast::error_code ec);
  void CloseGracefully();
  void Drain();

  std::shared_ptr<EventLoop> loop_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // The response being written, serialized whole (status line, headers, body).
  std::string out_;
  unsigned response_version_ = 11;
  std::string remote_address_;
  State state_ = State::kReading;
  unsigned request_version_ = 11;
  bool request_keep_alive_ = true;
  bool close_after_response_ = false;
  size_t drained_bytes_ = 0;
};

}  // namespace dunlin::http::internal
