// The legacy conditional parameters: Expected (PutItem, UpdateItem, DeleteItem), QueryFilter and
// ScanFilter, and KeyConditions (Query), translated into the same ASTs the expressions produce,
// so that evaluation, paging and key ranges have one implementation.
//
// Each entry names a top-level attribute literally (a dot or bracket is part of the name) and
// compares it with ComparisonOperator against AttributeValueList:
//   EQ, NE, LE, LT, GE, GT   attr = v, attr <> v, ... (NE holds for a missing attribute)
//   NOT_NULL / NULL          attribute_exists(attr) / attribute_not_exists(attr)
//   CONTAINS                 contains(attr, v)
//   NOT_CONTAINS             attribute_exists(attr) AND NOT contains(attr, v): unlike the
//                            expression form it is false for a missing attribute
//   BEGINS_WITH              begins_with(attr, v)
//   IN                       attr IN (v1, v2, ...)
//   BETWEEN                  attr BETWEEN v1 AND v2
// and the entries combine with ConditionalOperator (AND by default). An Expected entry may
// instead give Value (attr = Value) and/or Exists (false: attribute_not_exists(attr)).
// Checked against DynamoDB Local for every operator, attribute type and value type.
//
// Validation, in DynamoDB Local's order and wording, per entry:
//   1. "Empty attribute name" for "".
//   2. Expected only: Exists with ComparisonOperator, Value with AttributeValueList, Value or
//      AttributeValueList missing where the operator needs one, AttributeValueList without an
//      operator, Value with Exists false, no Value with Exists true or absent.
//   3. "Comparison type does not exist in DynamoDB" for an unknown or missing operator.
//      Then the entry's first value that is not a valid attribute value (`invalid_value`; for
//      an Expected entry without an operator, after rule 2).
//   4. The argument count ("Invalid number of argument(s) for the EQ ComparisonOperator"):
//      none for NULL/NOT_NULL, two for BETWEEN, at least one for IN, one otherwise.
//   5. Each argument's type ("ComparisonOperator LT is not valid for SS AttributeValue type"):
//      EQ/NE take any type; LE/LT/GE/GT/IN/BETWEEN S, N or B; BEGINS_WITH S or B; CONTAINS and
//      NOT_CONTAINS S, N, B, BOOL or NULL; for IN and BETWEEN, each argument then also has the
//      first one's type (one pass over the arguments, both checks on each). Then BETWEEN's
//      lower bound not above its upper bound.
// Entries are checked in order, each wholly before the next.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expressions/ast.h"
#include "expressions/expression_error.h"
#include "expressions/key_condition.h"
#include "model/attribute_value.h"

namespace dunlin::expressions {

// One entry of Expected (ExpectedAttributeValue). Absent members are nullopt.
struct ExpectedEntry {
  std::string attribute;
  std::optional<model::AttributeValue> value;
  std::optional<bool> exists;
  std::optional<std::string> comparison_operator;  // as written
  std::optional<std::vector<model::AttributeValue>> value_list;
  // The message of the entry's first value that is not a valid attribute value, which then
  // stands in `value` or `value_list` as NULL (so that presence and counts hold).
  std::optional<std::string> invalid_value;
};

// One entry of QueryFilter, ScanFilter or KeyConditions (Condition).
struct ConditionEntry {
  std::string attribute;
  std::optional<std::string> comparison_operator;  // as written
  std::vector<model::AttributeValue> value_list;   // absent: empty
  std::optional<std::string> invalid_value;         // as ExpectedEntry's
};

enum class ConditionalOperator { kAnd, kOr };

// The condition an Expected map states. REQUIRES: `entries` is not empty.
ExprResult<Condition> TranslateExpected(const std::vector<ExpectedEntry>& entries,
                                        ConditionalOperator combine);

// The condition a QueryFilter or ScanFilter map states. REQUIRES: `entries` is not empty.
ExprResult<Condition> TranslateFilter(const std::vector<ConditionEntry>& entries,
                                      ConditionalOperator combine);

// The key range a KeyConditions map states. Beyond the per-entry checks, DynamoDB Local's
// messages: "Conditions must be at least length 1", "Conditions can be of length 1 or 2 only",
// "Query condition missed key schema element" (a non-key attribute, or no partition key),
// "Query key condition not supported" (anything but EQ on the partition key), "Attempted
// conditional constraint is not an indexable operation" (NE, IN, CONTAINS, NOT_CONTAINS on the
// sort key), "Only scalar types can be used as Hash Key values" / "... Range Key values"
// (NULL, NOT_NULL), and "One or more parameter values were invalid: Condition parameter type
// does not match schema type".
// TranslateKeyConditions' first checks, which need no key schema: the number of entries and
// each entry's own (DynamoDB Local makes them before it looks at ConsistentRead on an index).
ExprResult<void> CheckKeyConditionEntries(const std::vector<ConditionEntry>& entries,
                                          bool multi_attribute);

ExprResult<KeyCondition> TranslateKeyConditions(const std::vector<ConditionEntry>& entries,
                                                const KeySchema& schema);

}  // namespace dunlin::expressions
