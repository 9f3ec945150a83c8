#include "api/request_tokens.h"

#include <utility>

namespace dunlin::api {

RequestTokens::Claim RequestTokens::Begin(std::string_view token, std::string_view fingerprint,
                                          int64_t now_ms) {
  std::lock_guard lock(mutex_);
  ExpireLocked(now_ms);
  Claim claim;
  auto [it, inserted] = entries_.try_emplace(std::string(token));
  Entry& entry = it->second;
  if (inserted) {
    entry.fingerprint = std::string(fingerprint);
    claim.run = true;
    return claim;
  }
  if (entry.fingerprint != fingerprint) {
    // DynamoDB Local's message is empty.
    claim.error = ApiError{ErrorType::kIdempotentParameterMismatch, ""};
    return claim;
  }
  if (entry.running) {
    claim.error = ApiError{ErrorType::kTransactionInProgress,
                           "The transaction with the given request token is already in progress."};
    return claim;
  }
  claim.replay_body = entry.body;
  return claim;
}

void RequestTokens::Finish(std::string_view token, std::string body, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(token));
  if (it == entries_.end()) return;
  it->second.running = false;
  it->second.body = std::move(body);
  it->second.expires_ms = now_ms + kWindowMs;
  expiry_.emplace_back(it->second.expires_ms, it->first);
}

void RequestTokens::Abandon(std::string_view token) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(token));
  if (it != entries_.end() && it->second.running) entries_.erase(it);
}

size_t RequestTokens::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void RequestTokens::ExpireLocked(int64_t now_ms) {
  while (!expiry_.empty() && expiry_.front().first <= now_ms) {
    auto it = entries_.find(expiry_.front().second);
    // A token is listed once per Finish; only its own, finished entry goes.
    if (it != entries_.end() && !it->second.running &&
        it->second.expires_ms == expiry_.front().first) {
      entries_.erase(it);
    }
    expiry_.pop_front();
  }
}

}  // namespace dunlin::api
