// Parsing with resolution: the entry points that turn expression text plus the request's
// ExpressionAttributeNames / ExpressionAttributeValues into a resolved, checked AST.
//
// Resolution, after a successful parse, walks the AST in text order and:
//   1. replaces "#name" steps with their names ("An expression attribute name used in the
//      document path is not defined; attribute name: #x") and ":value" operands with copies of
//      their values ("An expression attribute value used in expression is not defined; ...");
//   2. rejects reserved words used literally (reserved_words.h), paths deeper than 32 steps and
//      list indexes past 2^31-1;
//   3. checks functions: known name, allowed in this kind of expression, number of operands,
//      document-path operands, and the types of operands known before evaluation (values and
//      size()), e.g. "a < :v" with a BOOL :v, or BETWEEN bounds out of order;
//   4. for updates and projections, rejects overlapping or conflicting paths.
// All messages are DynamoDB Local's, prefixed "Invalid <Kind>Expression: ".
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
//
// Unused names and values are a request-wide check (DynamoDB reports them only after every
// expression of the request parsed): parse all of a request's expressions with one
// ExpressionAttributes, then call CheckAllUsed().
//
// Thread-safety: ExpressionAttributes is not thread-safe (it records what was used); the
// functions are otherwise pure. The maps passed in must outlive the ExpressionAttributes.
#pragma once

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "expressions/ast.h"
#include "expressions/expression_error.h"
#include "model/attribute_value.h"

namespace dunlin::expressions {

using NameMap = std::map<std::string, std::string, std::less<>>;

// An attribute name (from ExpressionAttributeNames) may be at most this long.
inline constexpr size_t kMaxAttributeNameBytes = 65535;

class ExpressionAttributes {
 public:
  // Either map may be null (the parameter was absent).
  ExpressionAttributes(const NameMap* names, const model::AttributeMap* values)
      : names_(names), values_(values) {}

  // Request-level checks of the maps themselves, before any expression is parsed:
  // "ExpressionAttributeNames must not be empty" (an empty map, as opposed to an absent one;
  // likewise for values), "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"" (keys must be
  // '#' then [A-Za-z0-9_]+), "ExpressionAttributeNames contains invalid value: Empty attribute
  // name for key #a", "... Attribute name is too large, must be less than 65536 bytes for key
  // #a", and "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"".
  ExprResult<void> Validate() const;

  // The definition of a placeholder, marking it used; null when undefined.
  const std::string* Name(std::string_view placeholder);
  const model::AttributeValue* Value(std::string_view placeholder);

  // "Value provided in ExpressionAttributeNames unused in expressions: keys: {#z, #a}", then
  // the same for ExpressionAttributeValues. Call after parsing every expression of the
  // request. The keys are listed in DynamoDB Local's order (resolve.cc), which depends on the
  // order the request gave the placeholders in: `name_order` and `value_order` give it where
  // known (each: every key of its map), else name order stands in.
  ExprResult<void> CheckAllUsed(std::span<const std::string_view> name_order = {},
                                std::span<const std::string_view> value_order = {}) const;

 private:
  const NameMap* names_;
  const model::AttributeMap* values_;
  std::set<std::string, std::less<>> used_names_;
  std::set<std::string, std::less<>> used_values_;
};

// ConditionExpression / FilterExpression (kind says which, for messages).
ExprResult<Condition> ParseCondition(std::string_view text, ExpressionKind kind,
                                     ExpressionAttributes& attributes);
ExprResult<UpdateExpression> ParseUpdate(std::string_view text, ExpressionAttributes& attributes);
ExprResult<ProjectionExpression> ParseProjection(std::string_view text,
                                                 ExpressionAttributes& attributes);

// Resolution alone, for an AST that the parser (parser.h) or the cache (expression_cache.h)
// produced: the same checks, messages and marking of used placeholders as the Parse* functions
// above after their parse. `parsed` is taken by value because resolution rewrites it in place;
// pass a copy to keep an unresolved original. `kind` is kCondition, kFilter or kKeyCondition and
// must be the kind `parsed` was parsed as.
ExprResult<Condition> ResolveCondition(Condition parsed, ExpressionKind kind,
                                       ExpressionAttributes& attributes);
ExprResult<UpdateExpression> ResolveUpdate(UpdateExpression parsed,
                                           ExpressionAttributes& attributes);
ExprResult<ProjectionExpression> ResolveProjection(ProjectionExpression parsed,
                                                   ExpressionAttributes& attributes);

// DynamoDB's rendering of a value in messages, "AttributeValue: {N:5}".
std::string DescribeValue(const model::AttributeValue& value);

}  // namespace dunlin::expressions
