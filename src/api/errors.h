// ApiError: the DynamoDB error catalogue, and the one place errors become wire JSON.
//
// Every failure that reaches a client passes through here: lower layers return their own error
// values (model::ModelError, storage::StorageError, http::AuthError) and api/ translates them
// with the factories below. ToWireBody() renders {"__type": "<namespace>#<Type>", "message": ...}
// exactly as DynamoDB does; HttpStatus() gives the status code.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <utility>
#include <string_view>
#include <optional>
#include <vector>

namespace dunlin::api {

enum class ErrorType {
  kValidation,
  kSerialization,
  kUnknownOperation,
  kResourceNotFound,
  kResourceInUse,
  kLimitExceeded,
  kConditionalCheckFailed,
  kMissingAuthenticationToken,
  kUnrecognizedClient,
  kInvalidSignature,
  kIncompleteSignature,
  kInvalidAction,
  kAccessDenied,
  kRequestEntityTooLarge,
  kInternalServerError,
  kTransactionCanceled,
  kTransactionConflict,
  kTransactionInProgress,
  kIdempotentParameterMismatch,
  kItemCollectionSizeLimitExceeded,
  kExpiredIterator,     // DynamoDB Streams
  kTrimmedDataAccess,   // DynamoDB Streams
};

struct ApiError {
  ApiError() = default;
  ApiError(ErrorType type, std::string message, std::string item_json = {},
           std::string reasons_json = {})
      : type(type),
        message(std::move(message)),
        item_json(std::move(item_json)),
        reasons_json(std::move(reasons_json)) {}

  ErrorType type = ErrorType::kInternalServerError;
  std::string message;
  // ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure ALL_OLD: the
  // item as stored, already rendered as DynamoDB JSON; written as the error's "Item".
  std::string item_json;
  // TransactionCanceledException: the CancellationReasons array, already rendered as JSON.
  std::string reasons_json;
  // Of a multi-item write's failure: the position of the item it concerns, when one does.
  std::optional<size_t> item;

  static ApiError Validation(std::string message);
  static ApiError Serialization(std::string message);
  static ApiError UnknownOperation();
  static ApiError ResourceNotFound(std::string message);
  static ApiError ResourceInUse(std::string message);
  static ApiError LimitExceeded(std::string message);
  static ApiError Internal(std::string message);
  static ApiError ConditionalCheckFailed(std::string item_json = "");
  // `codes` are the reasons' codes in request order, for the message; `reasons_json` the
  // CancellationReasons array.
  static ApiError TransactionCanceled(const std::vector<std::string>& codes,
                                      std::string reasons_json);
  static ApiError TransactionConflict();
  // A write would grow an item collection (a table with local indexes) past 10 GB.
  static ApiError ItemCollectionSizeLimitExceeded();
  // DynamoDB Streams: a shard iterator older than its lifetime; a read of trimmed records.
  static ApiError ExpiredIterator();
  static ApiError TrimmedDataAccess(std::string message);
};

// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" and friends; coral-level errors
// (validation, serialization, authentication) carry the "com.amazon.coral.*" namespaces.
std::string_view WireTypeName(ErrorType type);
int HttpStatus(ErrorType type);
std::string ToWireBody(const ApiError& error);

}  // namespace dunlin::api
