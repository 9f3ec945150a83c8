// KeyConditionExpression: the partition-key equality and optional sort-key condition of a
// Query, extracted from a parsed condition.
//
// A key condition is "pk = :v" optionally ANDed with one sort-key condition: = < <= > >=,
// BETWEEN, or begins_with(sk, :v). Operands may be written either way round (":v < sk" is
// "sk > :v"), and parenthesized. DynamoDB Local's messages for anything else, in its order:
// term by term as written (each term's operator and own rules, then a nested path,
// then a second term on one attribute), then the rules on the terms together:
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
//     lookup '.' are not allowed: Key: pk"; on another attribute: "KeyConditionExpressions
//     cannot have conditions on nested attributes"
//   - a second term on one attribute: "KeyConditionExpressions must only contain one condition
//     per key"
//   - (together) more than two terms: "Conditions can be of length 1 or 2 only"
//   - two conditions on a key without a sort key: "Query key condition not supported"
//   - a non-key attribute, or no partition-key condition: "Query condition missed key schema
//     element"
//   - anything but = on the partition key: "Query key condition not supported"
//   - a value of another type than the key's: "One or more parameter values were invalid:
//     Condition parameter type does not match schema type"
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
//
// A global secondary index may have a multi-attribute key: up to four partition attributes and
// up to four sort attributes. A query on it states an equality on every partition attribute and
// conditions on a left prefix of the sort attributes, all equalities but the last, which may be
// any sort-key condition; the conditions come in any order. DynamoDB Local's checks, in its
// order (first fault wins; docs/notes-oracle-indexes.md section 5):
//   1. a nested path on a key attribute of the index, anywhere in the expression, the key
//      attributes taken in schema order: "Key attributes must be scalars; list random access
//      '[]' and map lookup '.' are not allowed: IndexKey: c" (DynamoDB also checks the table's
//      key, "Key: pk", and other indexes' keys, which KeySchema does not hold: Dunlin reports
//      those as the nested paths of step 3);
//   2. OR, NOT, IN, <>, other functions, as above;
//   3. condition by condition, as written: the checks of one comparison above, then a nested
//      path on any other attribute: "KeyConditionExpressions cannot have conditions on nested
//      attributes", then an attribute named twice: "KeyConditionExpressions must only contain
//      one condition per key";
//   4. then BuildMultiAttributeKeyCondition's checks.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

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
  // Multi-attribute keys (global secondary indexes; up to 4 partition and 4 sort attributes):
  // the partition attributes after partition_key and the sort attributes after sort_key, in
  // schema order. Empty for single-attribute keys.
  std::vector<model::KeyElement> more_partition = {};
  std::vector<model::KeyElement> more_sort = {};
};

// The key schema of a table as these functions take it.
KeySchema KeySchemaOf(const model::KeySchema& schema);
// The key schema of a secondary index, its multi-attribute key included.
KeySchema KeySchemaOf(const model::SecondaryIndex& index);

enum class SortKeyOp : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };

struct SortKeyCondition {
  SortKeyOp op = SortKeyOp::kEq;
  model::AttributeValue value;  // the bound, the lower bound of BETWEEN, or the prefix
  model::AttributeValue upper;  // BETWEEN only
};

struct KeyCondition {
  model::AttributeValue partition_value;
  // Multi-attribute keys: the values of KeySchema::more_partition, in schema order (every
  // partition attribute takes an equality).
  std::vector<model::AttributeValue> more_partition_values;
  // Multi-attribute keys: the equality values of the sort attributes before the one `sort`
  // constrains, in schema order (sort then applies to sort attribute number
  // sort_prefix.size(), counting sort_key as 0). Empty when `sort` applies to sort_key.
  std::vector<model::AttributeValue> sort_prefix;
  std::optional<SortKeyCondition> sort;
};

// Extracts the key condition from `condition`, parsed and resolved with
// ParseCondition(text, ExpressionKind::kKeyCondition, ...). DynamoDB checks unused
// ExpressionAttributeNames/Values before these rules, so call CheckAllUsed() in between.
// After the terms' own rules, in DynamoDB Local's order: the partition key's term (its value's
// type, then an operator other than "="), a term on an attribute outside the key ("Query
// condition missed key schema element"), no partition key term (the same), then the sort
// key's value type.
ExprResult<KeyCondition> ExtractKeyCondition(const Condition& condition,
                                             const KeySchema& schema);

// Whether the key has more than one partition or sort attribute (a global secondary index's).
bool IsMultiAttribute(const KeySchema& schema);

// Multi-attribute keys: one condition of a query, read from KeyConditionExpression or
// KeyConditions, for BuildMultiAttributeKeyCondition.
struct KeyAttributeCondition {
  std::string attribute;  // a top-level attribute, of the key or not
  // What the condition states; nullopt for a legacy operator no SortKeyCondition states (NE,
  // IN, CONTAINS, NOT_CONTAINS, NULL, NOT_NULL), which counts as a range condition.
  std::optional<SortKeyCondition> condition;
  // Legacy operators only (condition nullopt): the values given, checked against the
  // attribute's type like any condition's, and DynamoDB's error for the operator, reported
  // once the key's shape and the values' types are right. Empty: the caller reports the
  // operator's error itself after every check here (NE, which DynamoDB Local lets through
  // them all and then fails with an internal error).
  std::vector<model::AttributeValue> legacy_values;
  std::string legacy_error;
};

// Multi-attribute keys: the key condition `conditions` state, after DynamoDB Local's checks, in
// its order (first fault wins):
//   1. more conditions than key attributes: "Query key condition not supported";
//   2. a partition attribute without an equality: "HASH key attributes a, b must have equality
//      conditions specified in the query", naming in schema order the partition attributes
//      without a condition or, when every one has a condition, those whose condition is not an
//      equality;
//   3. a partition value of another type than its attribute's: "One or more parameter values
//      were invalid: Condition parameter type does not match schema type";
//   4. sort conditions that are not on a left prefix of the sort attributes: "RANGE key
//      attributes d, e must have equality conditions specified in the query because a
//      condition is present on key attribute f", naming the attributes without a condition
//      before the first attribute that has one after such a gap; or, on a prefix, an earlier
//      one that is not an equality: the same message naming those before the last one;
//   5. a sort value of another type than its attribute's (as 3);
//   6. a legacy operator's own error (KeyAttributeCondition::legacy_error);
//   7. a condition on another attribute: "Query condition missed key schema element".
// When the last sort condition is a legacy operator with an empty legacy_error, the result
// lacks `sort`, and the caller reports the operator's error instead of using it.
// REQUIRES: IsMultiAttribute(schema); no attribute is named twice.
ExprResult<KeyCondition> BuildMultiAttributeKeyCondition(
    const std::vector<KeyAttributeCondition>& conditions, const KeySchema& schema);

// Whether `item` (holding the key attributes) satisfies the key condition: every partition
// value, then each sort_prefix value and `sort` on the sort attributes they apply to.
bool MatchesKeyCondition(const KeyCondition& condition, const KeySchema& schema,
                         const model::Item& item);

// Whether `value` satisfies the sort-key condition; values of another type never do.
bool MatchesSortKey(const SortKeyCondition& condition, const model::AttributeValue& value);

}  // namespace dunlin::expressions
