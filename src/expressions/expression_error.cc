#include "expressions/expression_error.h"

#include <string>

namespace dunlin::expressions {

std::string_view ExpressionKindName(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kCondition: return "ConditionExpression";
    case ExpressionKind::kFilter: return "FilterExpression";
    case ExpressionKind::kUpdate: return "UpdateExpression";
    case ExpressionKind::kProjection: return "ProjectionExpression";
    case ExpressionKind::kKeyCondition: return "KeyConditionExpression";
  }
  return "Expression";
}

ExpressionError InvalidExpression(ExpressionKind kind, std::string_view detail) {
  std::string message = "Invalid ";
  message.append(ExpressionKindName(kind));
  message += ": ";
  message.append(detail);
  return ExpressionError{std::move(message)};
}

}  // namespace dunlin::expressions
