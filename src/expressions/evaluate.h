// Evaluation of conditions (ConditionExpression, FilterExpression) against an item, and the
// document-path lookup shared by updates and projections.
//
// Semantics follow "Comparison operator and function reference" in the Developer Guide:
//   1. A path that does not exist, or an operand of the wrong type, never raises an error at
//      evaluation time: the comparison is simply false ("<>" is then true).
//   2. = and <> compare any two values: different types are unequal; numbers compare by value;
//      sets compare as sets; maps and lists compare element by element.
//   3. < <= > >= and BETWEEN apply only to two N, two S or two B values (S and B by unsigned
//      bytes); anything else is false.
//   4. size(): the length of S (UTF-16 code units, as DynamoDB Local counts) and B (bytes), the
//      element count of sets, M and L; no size for N, BOOL and NULL (the comparison is false).
//   5. contains(): substring of S, byte substring of B, set membership (same element type),
//      or an element of L equal to the operand.
//   6. begins_with(): prefix of S or of B.
//   7. attribute_type(): the attribute exists and its type name is the operand's S value.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
//
// Thread-safety: pure functions; evaluation allocates only for size() results.
#pragma once

#include <optional>

#include "expressions/ast.h"
#include "model/attribute_value.h"

namespace dunlin::expressions {

// The value at `path` inside `item`, or null when any step is missing or of the wrong type.
// The pointer is valid as long as `item` is not modified.
const model::AttributeValue* FindPath(const model::Item& item, const Path& path);

// Evaluates a resolved condition (resolve.h). `item` is null when there is no item (a
// conditional write on a missing key): every path is then missing.
bool EvaluateCondition(const Condition& condition, const model::Item* item);

// The order of two N, two S or two B values (rule 3): negative, zero or positive; nullopt for
// any other pair.
std::optional<int> OrderValues(const model::AttributeValue& a, const model::AttributeValue& b);

// DynamoDB equality of two values (rule 2).
bool ValuesEqual(const model::AttributeValue& a, const model::AttributeValue& b);

}  // namespace dunlin::expressions
