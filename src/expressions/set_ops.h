// Set types and arithmetic shared by UpdateExpression's ADD/DELETE and the legacy
// AttributeUpdates.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "model/attribute_value.h"

namespace dunlin::expressions {

// Whether `type` is SS, NS or BS.
bool IsSet(model::AttributeType type);

// DynamoDB's long type names in ADD / DELETE messages: "STRING", "NUMBER_SET", ...
std::string_view LongTypeName(model::AttributeType type);

// Applies ADD (add: union) or DELETE (!add: difference) of `operand`'s elements to `target`,
// both sets (SS, NS or BS). Returns false, leaving `target` unchanged, when the two are not
// sets of the same type.
bool MergeSets(model::AttributeValue& target, const model::AttributeValue& operand, bool add);

// Whether `value` is a set with no elements (what DELETE leaves behind; the attribute is then
// removed).
bool IsEmptySet(const model::AttributeValue& value);

}  // namespace dunlin::expressions
