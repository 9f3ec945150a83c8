// Dispatcher: the DynamoDB front door. Implements http::RequestHandler.
//
// Life of a request: authenticate (SigV4, see http/sigv4.h) -> find the operation named by
// X-Amz-Target -> parse the JSON body once -> run the operation against the engine -> answer
// with DynamoDB's headers (x-amzn-RequestId, x-amz-crc32) and body, or with the error.
// Reads and item writes run inline on the loop that received them; an item write queues its
// write in the engine and is answered from the engine's commit thread once the write is
// applied (api/item_write.h), so no thread waits for the disk on its behalf. Catalog changes,
// which wait for their synced write, run on a small pool of blocking threads.
//
// Thread-safety: Handle() is called concurrently from every event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

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
  // Threads that run catalog changes (CreateTable, UpdateTable, DeleteTable, tagging).
  int write_threads = 4;
  // Epoch milliseconds; injectable for tests.
  std::function<int64_t()> clock_ms;
};

class Dispatcher : public http::RequestHandler {
 public:
  // `engine` must outlive the dispatcher.
  Dispatcher(storage::Engine& engine, DispatcherOptions options);
  ~Dispatcher() override;

  void Handle(http::HttpRequest request, http::Responder respond) override;

  // Processes one request on the calling thread, waiting for any write (tests, the pool).
  http::HttpResponse Process(const http::HttpRequest& request);

 private:
  // Answers `request` through `respond`: before returning, or, when `may_defer`, possibly later
  // from the engine's commit thread.
  void Run(const http::HttpRequest& request, const http::Responder& respond, bool may_defer);
  // The answer when it is ready now; nullopt when the operation answers later via `respond`.
  std::optional<http::HttpResponse> Prepare(const http::HttpRequest& request,
                                            const http::Responder& respond, bool may_defer);

  class WritePool;
  storage::Engine& engine_;
  DispatcherOptions options_;
  std::unique_ptr<WritePool> write_pool_;
  std::unique_ptr<RequestTokens> request_tokens_;
};

}  // namespace dunlin::api
