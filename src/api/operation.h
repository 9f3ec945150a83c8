// The shape shared by every DynamoDB operation handler in api/operations/.
//
// An operation reads its request through an ObjectReader, does its work through the storage
// engine, and writes its response JSON into `out`. It returns an ApiError instead of writing
// when it fails; the dispatcher then discards whatever was written.
//
// Thread-safety: operations are called concurrently; OperationContext is per request.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/errors.h"
#include "api/params.h"
#include "common/json_writer.h"
#include "storage/engine.h"

namespace dunlin::api {

class RequestTokens;

// Server-wide settings the operations need.
struct ServiceConfig {
  std::string region = "us-east-1";
  // The account id that appears in ARNs.
  std::string account_id = "000000000000";
  // How long a DynamoDB Streams shard iterator stays usable (DynamoDB: 15 minutes).
  int64_t stream_iterator_lifetime_ms = 15 * 60 * 1000;
  // The --hide-expired-items extension (api/expired_items.h).
  bool hide_expired_items = false;
  // Least time between two successful UpdateTimeToLive changes of one table, in seconds; 0
  // allows any number. DynamoDB refuses further changes for about an hour after one.
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
  int64_t ttl_change_interval_s = 3600;
};

// Delivers the outcome of an operation that finishes after it returned: the response body, or
// the error.
using DeferredAnswer = std::function<void(ApiResult<std::string> body)>;

struct OperationContext {
  storage::Engine& engine;
  const ServiceConfig& config;
  // Request time, epoch milliseconds.
  int64_t now_ms = 0;
  // The Host header the client sent (for DescribeEndpoints).
  std::string_view host;
  // Set when the caller accepts an answer given later (the dispatcher does, on an event loop).
  // An operation that takes it sets `deferred`, returns success without writing to `out`, and
  // calls it exactly once, from any thread (see item_write.h). Empty: answer before returning.
  DeferredAnswer answer_later;
  bool deferred = false;
  // TransactWriteItems' ClientRequestToken registry, shared by the server; null: tokens are
  // accepted but not remembered.
  RequestTokens* request_tokens = nullptr;
};

using Operation = ApiResult<void> (*)(OperationContext& context, const ObjectReader& request,
                                      JsonWriter& out);

// Translates a storage failure into DynamoDB's error; `table_name` names the table involved.
ApiError FromStorage(const storage::StorageError& error, std::string_view table_name);

// Carries an ApiError out of a storage callback (a table updater, an item mutator): Keep()
// records it and gives the callback an error that aborts the storage operation; Resolve()
// then reports the kept error, or translates a storage error that happened on its own.
class CallbackFailure {
 public:
  storage::StorageError Keep(ApiError error) {
    error_ = std::move(error);
    return {storage::StorageError::Code::kAborted, error_->message};
  }
  ApiError Resolve(const storage::StorageError& error, std::string_view table_name) const {
    return error_ ? *error_ : FromStorage(error, table_name);
  }

 private:
  std::optional<ApiError> error_;
};

}  // namespace dunlin::api
