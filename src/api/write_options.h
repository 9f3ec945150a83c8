// The response options every single-item write shares (PutItem, DeleteItem, and later
// UpdateItem): ReturnValues, ReturnConsumedCapacity, ReturnItemCollectionMetrics and
// ReturnValuesOnConditionCheckFailure.
#pragma once

#include <initializer_list>
#include <optional>

#include "api/capacity.h"
#include "api/params.h"
#include "api/return_values.h"
#include "expressions/ast.h"
#include "model/attribute_value.h"

namespace dunlin::api {

struct WriteOptions {
  ReturnValues return_values = ReturnValues::kNone;
  CapacityReport capacity = CapacityReport::kNone;
  // ReturnValuesOnConditionCheckFailure is ALL_OLD.
  bool old_item_on_condition_failure = false;
  // ReturnItemCollectionMetrics is SIZE.
  bool collection_metrics = false;
};

// Reads and checks the options whose values the request's framework checks, before the table:
// ReturnConsumedCapacity, ReturnItemCollectionMetrics, ReturnValuesOnConditionCheckFailure.
// ReturnValues is left NONE: the operation reads it (ReadReturnValues) once the table is known.
ApiResult<WriteOptions> ReadWriteOptions(const ObjectReader& request);

class RequestExpressions;

// The condition of a write that has no other expression (PutItem, DeleteItem): the
// ConditionExpression with its ExpressionAttributeNames/Values, or the legacy Expected with
// ConditionalOperator (legacy_parameters.h), never both. DynamoDB Local checks it in two
// steps, with the item or key in between: CheckConditionParameters before the item or key
// (legacy and expression parameters mixed; placeholders without an expression), then
// ReadConditionOnly after the key (Expected's entries and ConditionalOperator, then the
// placeholders' values, the expression and unused placeholders) on the request's one
// `expressions`.
ApiResult<void> CheckConditionParameters(const ObjectReader& request);
ApiResult<std::optional<expressions::Condition>> ReadConditionOnly(
    const ObjectReader& request, RequestExpressions& expressions);

// Checks a write's ConditionExpression against the item as stored (nullopt: absent). On failure
// returns ConditionalCheckFailedException, carrying the stored item when the request asked for
// it (ReturnValuesOnConditionCheckFailure ALL_OLD) and there is one.
std::optional<ApiError> CheckWriteCondition(const std::optional<expressions::Condition>& condition,
                                            const std::optional<model::Item>& current,
                                            const WriteOptions& options);

}  // namespace dunlin::api
