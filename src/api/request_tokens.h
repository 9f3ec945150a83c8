// RequestTokens: TransactWriteItems' ClientRequestToken idempotency.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
//   1. A token stays in effect for 10 minutes after the request that first used it succeeded.
//   2. Within that window, the same token with the same request succeeds again without
//      writing anything, and answers as the first call did; with a different request it fails
//      with IdempotentParameterMismatchException.
//   3. While the first call with a token is still running, another call with it fails with
//      TransactionInProgressException.
//   4. A call that failed leaves no trace: a retry with its token runs afresh.
// Tokens live in memory: a restart forgets them (docs/compatibility.md).
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/errors.h"

namespace dunlin::api {

class RequestTokens {
 public:
  static constexpr int64_t kWindowMs = 10 * 60 * 1000;

  // What Begin() found for a token.
  struct Claim {
    // The request may run; the caller must call Finish() (or Abandon()) once it is done.
    bool run = false;
    // When !run: the earlier call's answer to give again, or the error to answer with.
    std::string replay_body;
    std::optional<ApiError> error;
  };

  // Claims `token` for a request whose parameters (apart from the token) are `fingerprint`,
  // at `now_ms`.
  Claim Begin(std::string_view token, std::string_view fingerprint, int64_t now_ms);
  // The claimed request succeeded with `body`: the token answers with it for kWindowMs.
  void Finish(std::string_view token, std::string body, int64_t now_ms);
  // The claimed request failed: the token is free again.
  void Abandon(std::string_view token);

  size_t size() const;

 private:
  struct Entry {
    std::string fingerprint;
    bool running = true;
    std::string body;
    int64_t expires_ms = 0;
  };
  // Forgets entries whose window closed. REQUIRES: mutex_ held.
  void ExpireLocked(int64_t now_ms);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Finished tokens in the order they expire (windows all have one length).
  std::deque<std::pair<int64_t, std::string>> expiry_;
};

}  // namespace dunlin::api
