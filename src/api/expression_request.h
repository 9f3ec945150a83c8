// A request's expressions: ExpressionAttributeNames/Values and the expression members that use
// them (ConditionExpression, UpdateExpression, ProjectionExpression, FilterExpression,
// KeyConditionExpression), parsed and resolved once per request with src/expressions.
//
// Usage: construct, Read() the placeholders, parse each expression member the operation has,
// then CheckAllUsed(): DynamoDB reports unused placeholders only once every expression of the
// request has parsed.
//
// Thread-safety: none; one per request. Not movable (the resolver points into its maps).
#pragma once

#include <optional>
#include <string_view>

#include "api/params.h"
#include "expressions/ast.h"
#include "expressions/expression_error.h"
#include "expressions/resolve.h"
#include "model/attribute_value.h"

namespace dunlin::api {

class RequestExpressions {
 public:
  RequestExpressions() = default;
  RequestExpressions(const RequestExpressions&) = delete;
  RequestExpressions& operator=(const RequestExpressions&) = delete;

  // Reads and checks ExpressionAttributeNames and ExpressionAttributeValues. `uses_expressions`
  // says whether the request has any expression member: placeholders without one are an error,
  // and for values DynamoDB names the missing members (`missing`, e.g. "ConditionExpression is
  // null").
  ApiResult<void> Read(const ObjectReader& request, bool uses_expressions,
                       std::string_view missing = {});

  // Read() for operations whose API has ExpressionAttributeNames only (GetItem): an
  // ExpressionAttributeValues member is not theirs, and DynamoDB ignores it.
  ApiResult<void> ReadNamesOnly(const ObjectReader& request, bool uses_expressions);

  // The part of Read() that DynamoDB Local checks early, before the table and the item or key
  // (the values' own validity comes with Read(), later): ExpressionAttributeNames unless
  // `names_used`, ExpressionAttributeValues unless `values_used` (some operations' values
  // serve only some of their expressions: Query's a filter or key condition). Empty maps pass.
  static ApiResult<void> CheckNeedsExpression(const ObjectReader& request, bool names_used,
                                              bool values_used, std::string_view missing = {});

  // Parses `member` (absent: nullopt) as a condition of `kind` (kCondition, kFilter or
  // kKeyCondition).
  ApiResult<std::optional<expressions::Condition>> Condition(const ObjectReader& request,
                                                             std::string_view member,
                                                             expressions::ExpressionKind kind);
  ApiResult<std::optional<expressions::UpdateExpression>> Update(const ObjectReader& request);
  ApiResult<std::optional<expressions::ProjectionExpression>> Projection(
      const ObjectReader& request);

  ApiResult<void> CheckAllUsed() const;

 private:
  ApiResult<std::optional<std::string_view>> Text(const ObjectReader& request,
                                                  std::string_view member) const;
  ApiResult<void> ReadMembers(const ObjectReader& request, bool uses_expressions,
                              std::string_view missing, bool read_values);

  expressions::NameMap names_;
  model::AttributeMap values_;
  // The members as the request gave them, for the order of CheckAllUsed's message.
  std::optional<simdjson::dom::object> names_member_;
  std::optional<simdjson::dom::object> values_member_;
  bool has_names_ = false;
  bool has_values_ = false;
  std::optional<expressions::ExpressionAttributes> attributes_;
};

ApiError FromExpression(expressions::ExpressionError error);

}  // namespace dunlin::api
