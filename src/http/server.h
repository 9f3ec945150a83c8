// HttpServer: HTTP/1.1 with keep-alive on one event loop per core.
//
// How it works: each of `threads` event loops owns an acceptor bound to the same address with
// SO_REUSEPORT, so the kernel spreads connections across loops; a connection lives on one loop
// for its whole life. Each request is read whole (gzip bodies are inflated, bodies larger than
// max_body_bytes are not read), handed to the RequestHandler, and its response is written back
// on the connection's loop whichever thread the handler answers from. Requests on one
// connection are answered in order.
//
// This module knows nothing about DynamoDB: it moves bytes and headers.
//
// Thread-safety: Start/Stop/Wait from one controlling thread; handlers are called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace dunlin::http {

struct HttpRequest {
  // Why the body could not be delivered; the handler answers with an error of its choosing.
  enum class BodyError { kNone, kTooLarge, kBadEncoding };

  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent, e.g. "/" or "/?a=b"
  // Header names lower-cased, values as sent (trimmed), in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  // The body after Content-Encoding was undone (the signature covers the raw body, see below).
  std::string body;
  // The body exactly as received, kept only when Content-Encoding was applied; SigV4 hashes it.
  std::string raw_body;
  BodyError body_error = BodyError::kNone;
  std::string remote_address;

  // Value of the first header named `name` (lower-case), or empty when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The bytes the client signed: raw_body when an encoding was undone, else body.
  const std::string& SignedBody() const { return raw_body.empty() ? body : raw_body; }
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Close the connection after this response.
  bool close = false;
};

// Called exactly once per request, from any thread.
using Responder = std::function<void(HttpResponse)>;

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // May answer inline or later from another thread; must call `respond` exactly once.
  virtual void Handle(HttpRequest request, Responder respond) = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8000;  // 0 picks a free port; see HttpServer::port()
  int threads = 0;       // 0: one per core
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Idle keep-alive connections are closed after this many seconds.
  int idle_timeout_seconds = 300;
  // One acceptor per loop with SO_REUSEPORT; false (or a kernel without it) falls back to one
  // acceptor that hands connections to the loops in turn.
  bool reuse_port = true;
};

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  // The bound port (useful with port 0).
  virtual uint16_t port() const = 0;
  // Stops accepting, closes idle connections, gives requests in flight a short grace period
  // (3 s) to be answered, then closes everything and joins the loops. Answers given after that
  // are dropped. Idempotent; also done by the destructor.
  virtual void Stop() = 0;
};

// Binds and starts serving. `handler` must outlive the server. Fails with a readable message
// (address in use, bad host, ...).
Result<std::unique_ptr<HttpServer>, std::string> StartHttpServer(const ServerOptions& options,
                                                                 RequestHandler& handler);

}  // namespace dunlin::http
