// ExpressionError: why an expression was rejected or could not be applied.
//
// Every expression failure is a ValidationException in DynamoDB; the message is DynamoDB's own
// wording, checked against DynamoDB Local. Parse-time messages carry the "Invalid
// <Kind>Expression: " prefix; evaluation-time messages (an update on an item of the wrong shape)
// do not, as in DynamoDB.
//
// Thread-safety: a plain value type.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace dunlin::expressions {

struct ExpressionError {
  std::string message;
};

template <typename T>
using ExprResult = Result<T, ExpressionError>;

// Which request parameter an expression came from; it names the expression in messages.
enum class ExpressionKind { kCondition, kFilter, kUpdate, kProjection, kKeyCondition };

// "ConditionExpression", "FilterExpression", "UpdateExpression", "ProjectionExpression",
// "KeyConditionExpression".
std::string_view ExpressionKindName(ExpressionKind kind);

// "Invalid <Kind>: <detail>".
ExpressionError InvalidExpression(ExpressionKind kind, std::string_view detail);

}  // namespace dunlin::expressions
