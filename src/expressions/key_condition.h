// KeyConditionExpression: the partition-key equality and optional sort-key condition of a
// Query, extracted from a parsed condition.
//
// A key condition is "pk = :v" optionally ANDed with one sort-key condition: = < <= > >=,
// BETWEEN, or begins_with(sk, :v). Operands may be written either way round (":v < sk" is
// "sk > :v"), and parenthesized. DynamoDB Local's messages for anything else:
//   - OR, NOT, IN, <>, other functions: "Invalid operator used in KeyConditionExpression: OR"
//   - size() and other nested operands: "KeyConditionExpressions cannot contain nested
//     operations"
//   - two paths in one comparison: "Invalid condition in KeyConditionExpression: Multiple
//     attribute names used in one condition"
//   - begins_with(:v, sk) or begins_with(:v, :w): "Invalid condition in KeyConditionExpression:
//     begins_with operator must have the key attribute as its first operand"
//   - a comparison or BETWEEN naming no attribute: "Invalid condition in
//     KeyConditionExpression: No key attribute specified"; BETWEEN with the key elsewhere than
//     first: "... BETWEEN operator must have the key attribute as its first operand"
//   - a nested path on a key: "Key attributes must be scalars; list random access '[]' and map
//     lookup '.' are not allowed: Key: pk"
//   - two conditions on one key, or more than two: "KeyConditionExpressions must only contain
//     one condition per key"
//   - a non-key attribute, or no partition-key condition: "Query condition missed key schema
//     element"
//   - anything but = on the partition key, or two conditions on a key without a sort key:
//     "Query key condition not supported"
//   - a value of another type than the key's: "One or more parameter values were invalid:
//     Condition parameter type does not match schema type"
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "expressions/ast.h"
#include "expressions/expression_error.h"
#include "model/attribute_value.h"
#include "model/table.h"

namespace dunlin::expressions {

// The key of the table or index being queried.
struct KeySchema {
  std::string partition_key;
  std::string sort_key;  // empty when the key has no sort key
  model::AttributeType partition_type = model::AttributeType::kS;
  model::AttributeType sort_type = model::AttributeType::kS;
};

// The key schema of a table as these functions take it.
KeySchema KeySchemaOf(const model::KeySchema& schema);

enum class SortKeyOp : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };

struct SortKeyCondition {
  SortKeyOp op = SortKeyOp::kEq;
  model::AttributeValue value;  // the bound, the lower bound of BETWEEN, or the prefix
  model::AttributeValue upper;  // BETWEEN only
};

struct KeyCondition {
  model::AttributeValue partition_value;
  std::optional<SortKeyCondition> sort;
};

// Extracts the key condition from `condition`, parsed and resolved with
// ParseCondition(text, ExpressionKind::kKeyCondition, ...). DynamoDB checks unused
// ExpressionAttributeNames/Values before these rules, so call CheckAllUsed() in between.
ExprResult<KeyCondition> ExtractKeyCondition(const Condition& condition,
                                             const KeySchema& schema);

// Whether `item` (holding the key attributes) satisfies the key condition.
bool MatchesKeyCondition(const KeyCondition& condition, const KeySchema& schema,
                         const model::Item& item);

// Whether `value` satisfies the sort-key condition; values of another type never do.
bool MatchesSortKey(const SortKeyCondition& condition, const model::AttributeValue& value);

}  // namespace dunlin::expressions
