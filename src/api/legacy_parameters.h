// Reading the legacy parameters that predate expressions and that old SDK code and tools still
// send: Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter, AttributesToGet and
// ConditionalOperator. They become the same ASTs as their expression counterparts
// (expressions/legacy_conditions.h, legacy_update.h).
//
// Rules shared by every operation, as DynamoDB Local applies them:
//   1. A request may not mix the two styles: "Can not use both expression and non-expression
//      parameters in the same request: Non-expression parameters: {Expected} Expression
//      parameters: {ConditionExpression}", each list in the operation's own order. An empty map,
//      list or string counts as absent (an empty expression is refused when parsed).
//   2. ConditionalOperator (AND, OR) needs Expected or the filter: "ConditionalOperator cannot
//      be used without Filter or Expected", and with two entries or more: "ConditionalOperator
//      can only be used when Filter or Expected has two or more elements".
//   3. AttributesToGet names top-level attributes: "Cannot have two attributes with the same
//      name", "Empty attribute name".
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
//
// Thread-safety: none; per request.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "api/params.h"
#include "expressions/ast.h"
#include "expressions/legacy_conditions.h"
#include "expressions/legacy_update.h"

namespace dunlin::api {

// Rule 1. `legacy` and `expression` list the operation's members in DynamoDB's order.
ApiResult<void> RejectMixedParameters(const ObjectReader& request,
                                      std::initializer_list<std::string_view> legacy,
                                      std::initializer_list<std::string_view> expression);

// Rule 1 over several bodies taken as one request (BatchGetItem's tables: DynamoDB Local
// refuses a ProjectionExpression in one table beside AttributesToGet in another).
ApiResult<void> RejectMixedParameters(const std::vector<ObjectReader>& bodies,
                                      std::initializer_list<std::string_view> legacy,
                                      std::initializer_list<std::string_view> expression);

// Whether `member` is present and, when a map, list or string, not empty.
bool HasLegacyParameter(const ObjectReader& request, std::string_view member);

// Expected with ConditionalOperator (rule 2); nullopt without Expected. DynamoDB Local checks
// the entries, then whether the request mixes legacy and expression parameters (rule 1), then
// ConditionalOperator: CheckExpectedEntries is the first step alone.
ApiResult<std::optional<expressions::Condition>> ReadExpected(const ObjectReader& request);
ApiResult<void> CheckExpectedEntries(const ObjectReader& request);

// QueryFilter or ScanFilter (`member`) with ConditionalOperator (rule 2); nullopt without it.
ApiResult<std::optional<expressions::Condition>> ReadLegacyFilter(const ObjectReader& request,
                                                                  std::string_view member);

// The entries of KeyConditions, as written; nullopt when absent.
ApiResult<std::optional<std::vector<expressions::ConditionEntry>>> ReadKeyConditions(
    const ObjectReader& request);

// AttributesToGet as a projection of top-level names (rule 3); nullopt when absent or empty.
ApiResult<std::optional<expressions::ProjectionExpression>> ReadAttributesToGet(
    const ObjectReader& request);

// The entries of AttributeUpdates; nullopt when absent or empty. Action defaults to PUT, as
// the API reference states. Only malformed JSON fails here: an unknown Action and an invalid
// Value are recorded in the entry, for ApplyAttributeUpdates to report in the entry's turn
// (expressions/legacy_update.h).
ApiResult<std::optional<std::vector<expressions::AttributeUpdate>>> ReadAttributeUpdates(
    const ObjectReader& request);

}  // namespace dunlin::api
