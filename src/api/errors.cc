#include "api/errors.h"

#include <fmt/format.h>

#include "common/json_writer.h"

namespace dunlin::api {

ApiError ApiError::Validation(std::string message) {
  return {ErrorType::kValidation, std::move(message), {}};
}
ApiError ApiError::Serialization(std::string message) {
  return {ErrorType::kSerialization, std::move(message), {}};
}
ApiError ApiError::UnknownOperation() {
  return {ErrorType::kUnknownOperation, "An unknown operation was requested.", {}};
}
ApiError ApiError::ResourceNotFound(std::string message) {
  return {ErrorType::kResourceNotFound, std::move(message), {}};
}
ApiError ApiError::ResourceInUse(std::string message) {
  return {ErrorType::kResourceInUse, std::move(message), {}};
}
ApiError ApiError::LimitExceeded(std::string message) {
  return {ErrorType::kLimitExceeded, std::move(message), {}};
}
ApiError ApiError::ItemCollectionSizeLimitExceeded() {
  // The API reference's description of the exception's message.
  return {ErrorType::kItemCollectionSizeLimitExceeded,
          "The total size of an item collection has exceeded the maximum limit of 10 gigabytes.",
          {}};
}
ApiError ApiError::ConditionalCheckFailed(std::string item_json) {
  return {ErrorType::kConditionalCheckFailed, "The conditional request failed",
          std::move(item_json)};
}
ApiError ApiError::Internal(std::string message) {
  return {ErrorType::kInternalServerError, std::move(message), {}};
}
ApiError ApiError::TransactionCanceled(const std::vector<std::string>& codes,
                                       std::string reasons_json) {
  ApiError error;
  error.type = ErrorType::kTransactionCanceled;
  error.message = fmt::format(
      "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
      fmt::join(codes, ", "));
  error.reasons_json = std::move(reasons_json);
  return error;
}
ApiError ApiError::TransactionConflict() {
  return {ErrorType::kTransactionConflict, "Transaction is ongoing for the item", {}};
}

ApiError ApiError::ExpiredIterator() {
  // DynamoDB Local sends an empty message; clients key on the type.
  return {ErrorType::kExpiredIterator, "Iterator expired", {}};
}

ApiError ApiError::TrimmedDataAccess(std::string message) {
  return {ErrorType::kTrimmedDataAccess, std::move(message), {}};
}

std::string_view WireTypeName(ErrorType type) {
  switch (type) {
    case ErrorType::kValidation:
      return "com.amazon.coral.validate#ValidationException";
    case ErrorType::kSerialization:
      return "com.amazon.coral.service#SerializationException";
    case ErrorType::kUnknownOperation:
      return "com.amazon.coral.service#UnknownOperationException";
    case ErrorType::kResourceNotFound:
      return "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException";
    case ErrorType::kResourceInUse:
      return "com.amazonaws.dynamodb.v20120810#ResourceInUseException";
    case ErrorType::kLimitExceeded:
      return "com.amazonaws.dynamodb.v20120810#LimitExceededException";
    case ErrorType::kConditionalCheckFailed:
      return "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";
    case ErrorType::kMissingAuthenticationToken:
      return "com.amazon.coral.service#MissingAuthenticationTokenException";
    case ErrorType::kUnrecognizedClient:
      return "com.amazon.coral.service#UnrecognizedClientException";
    case ErrorType::kInvalidSignature:
      return "com.amazon.coral.service#InvalidSignatureException";
    case ErrorType::kIncompleteSignature:
      return "com.amazon.coral.service#IncompleteSignatureException";
    case ErrorType::kInvalidAction:
      return "com.amazonaws.dynamodb.v20120810#InvalidAction";
    case ErrorType::kAccessDenied:
      return "com.amazon.coral.service#AccessDeniedException";
    case ErrorType::kRequestEntityTooLarge:
      return "com.amazon.coral.service#RequestEntityTooLarge";
    case ErrorType::kInternalServerError:
      return "com.amazonaws.dynamodb.v20120810#InternalServerError";
    case ErrorType::kTransactionCanceled:
      return "com.amazonaws.dynamodb.v20120810#TransactionCanceledException";
    case ErrorType::kTransactionConflict:
      return "com.amazonaws.dynamodb.v20120810#TransactionConflictException";
    case ErrorType::kTransactionInProgress:
      return "com.amazonaws.dynamodb.v20120810#TransactionInProgressException";
    case ErrorType::kIdempotentParameterMismatch:
      return "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException";
    case ErrorType::kItemCollectionSizeLimitExceeded:
      return "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException";
    case ErrorType::kExpiredIterator:
      return "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException";
    case ErrorType::kTrimmedDataAccess:
      return "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException";
  }
  return "com.amazonaws.dynamodb.v20120810#InternalServerError";
}

int HttpStatus(ErrorType type) {
  switch (type) {
    case ErrorType::kInternalServerError:
      return 500;
    case ErrorType::kRequestEntityTooLarge:
      return 413;
    default:
      return 400;
  }
}

std::string ToWireBody(const ApiError& error) {
  std::string body;
  body.reserve(96 + error.message.size() + error.reasons_json.size());
  JsonWriter out(body);
  out.BeginObject();
  out.Key("__type");
  out.String(WireTypeName(error.type));
  if (!error.reasons_json.empty()) {
    out.Key("CancellationReasons");
    out.Raw(error.reasons_json);
  }
  // The transaction errors spell the member with a capital M, as DynamoDB writes them.
  const bool capital = error.type == ErrorType::kTransactionCanceled ||
                       error.type == ErrorType::kTransactionConflict ||
                       error.type == ErrorType::kTransactionInProgress ||
                       error.type == ErrorType::kIdempotentParameterMismatch;
  out.Key(capital ? "Message" : "message");
  out.String(error.message);
  if (!error.item_json.empty()) {
    out.Key("Item");
    out.Raw(error.item_json);
  }
  out.EndObject();
  return body;
}

}  // namespace dunlin::api
