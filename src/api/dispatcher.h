// Dispatcher: the DynamoDB front door. Implements http::RequestHandler.
//
// Life of a request: authenticate (SigV4, see http/sigv4.h) -> find the operation named by
// X-Amz-Target -> parse the JSON body once -> run the operation against the engine -> answer
// with DynamoDB's headers (x-amzn-RequestId, x-amz-crc32) and body, or with the error.
// Operations that write (and so wait for a synced WAL) run on a pool of blocking threads so
// the event loops keep serving; reads run inline on the loop that received them.
//
// Thread-safety: Handle() is called concurrently from every event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "api/operation.h"
#include "http/server.h"
#include "http/sigv4.h"
#include "storage/engine.h"

namespace dunlin::api {

struct DispatcherOptions {
  ServiceConfig service;
  // Verify signatures against these keys; null accepts any well-formed signature.
  const http::CredentialStore* credentials = nullptr;
  // The HTTP server's body limit, quoted in the error for larger bodies.
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Threads that run writing operations.
  int write_threads = 32;
  // Epoch milliseconds; injectable for tests.
  std::function<int64_t()> clock_ms;
};

class Dispatcher : public http::RequestHandler {
 public:
  // `engine` must outlive the dispatcher.
  Dispatcher(storage::Engine& engine, DispatcherOptions options);
  ~Dispatcher() override;

  void Handle(http::HttpRequest request, http::Responder respond) override;

  // Processes one request on the calling thread (tests, and the write pool).
  http::HttpResponse Process(const http::HttpRequest& request);

 private:
  class WritePool;
  storage::Engine& engine_;
  DispatcherOptions options_;
  std::unique_ptr<WritePool> write_pool_;
};

}  // namespace dunlin::api
