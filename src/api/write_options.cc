#include "api/write_options.h"

#include "api/expression_request.h"
#include "api/legacy_parameters.h"
#include "expressions/evaluate.h"
#include "model/json_codec.h"

namespace dunlin::api {
namespace {

constexpr std::string_view kConditionMissing = "ConditionExpression is null";

}  // namespace

ApiResult<WriteOptions> ReadWriteOptions(const ObjectReader& request) {
  WriteOptions options;
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(options.capacity, ReadCapacityReport(request, violations));
  DUNLIN_ASSIGN_OR_RETURN(auto metrics, request.String("ReturnItemCollectionMetrics"));
  if (metrics) CheckEnum(violations, *metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  options.collection_metrics = metrics && *metrics == "SIZE";
  DUNLIN_ASSIGN_OR_RETURN(auto on_failure, request.String("ReturnValuesOnConditionCheckFailure"));
  if (on_failure) {
    CheckEnum(violations, *on_failure, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
    options.old_item_on_condition_failure = *on_failure == "ALL_OLD";
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  return options;
}

ApiResult<void> CheckConditionParameters(const ObjectReader& request) {
  DUNLIN_RETURN_IF_ERROR(RejectMixedParameters(request, {"Expected", "ConditionalOperator"},
                                               {"ConditionExpression"}));
  const bool uses_expression = request.Has("ConditionExpression");
  return RequestExpressions::CheckNeedsExpression(request, uses_expression, uses_expression,
                                                  kConditionMissing);
}

ApiResult<std::optional<expressions::Condition>> ReadConditionOnly(
    const ObjectReader& request, RequestExpressions& expressions) {
  // Expected beside a ConditionExpression was refused before; an empty ConditionalOperator
  // beside one is not a mixed parameter, and ReadExpected refuses it here, before the
  // placeholders' values, as DynamoDB Local does.
  DUNLIN_ASSIGN_OR_RETURN(auto expected, ReadExpected(request));
  DUNLIN_RETURN_IF_ERROR(
      expressions.Read(request, request.Has("ConditionExpression"), kConditionMissing));
  DUNLIN_ASSIGN_OR_RETURN(auto condition,
                          expressions.Condition(request, "ConditionExpression",
                                                expressions::ExpressionKind::kCondition));
  DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
  if (!condition) return expected;
  return condition;
}

std::optional<ApiError> CheckWriteCondition(const std::optional<expressions::Condition>& condition,
                                            const std::optional<model::Item>& current,
                                            const WriteOptions& options) {
  if (!condition) return std::nullopt;
  if (expressions::EvaluateCondition(*condition, current ? &*current : nullptr)) {
    return std::nullopt;
  }
  std::string item_json;
  if (options.old_item_on_condition_failure && current) {
    JsonWriter out(item_json);
    model::WriteAttributeMap(out, *current);
  }
  return ApiError::ConditionalCheckFailed(std::move(item_json));
}

}  // namespace dunlin::api
