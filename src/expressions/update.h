// Applying an UpdateExpression to an item.
//
// Behaviour, following "Using update expressions in DynamoDB" (Developer Guide) and DynamoDB
// Local where the guide is silent:
//   1. Every operand is evaluated against the item as it was before the update ("SET a = b,
//      b = a" swaps), then the actions are applied: SET, then REMOVE, then ADD, then DELETE;
//      within a clause, in the order written, except that SET handles list elements from the
//      lowest index up (writes past the end append in index order) and REMOVE from the highest
//      index down, so indexes always name elements of the original list.
//   2. SET writes a path whose parent exists: a map key (added or replaced), or a list index
//      (replaced; an index past the end appends). A missing or mistyped parent is "The document
//      path provided in the update expression is invalid for update".
//   3. SET operands: a path that does not exist is "The provided expression refers to an
//      attribute that does not exist in the item", except as the first operand of
//      if_not_exists. + and - need two numbers and list_append two lists, otherwise "An operand
//      in the update expression has an incorrect data type". Arithmetic is exact
//      (model::Number); precision and range failures carry the number error's message.
//   4. REMOVE of a missing attribute, map key or list index is a no-op; removing a list element
//      shifts the following ones down.
//   5. ADD on a missing attribute sets it; on a number adds; on a set unions (same set type).
//      DELETE removes the elements of a set of the same type; an emptied set attribute
//      disappears; DELETE on a missing attribute is a no-op. Other types are "An operand in the
//      update expression has an incorrect data type".
// The caller enforces key-attribute rules and the item size and nesting limits on the result.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
//
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "expressions/ast.h"
#include "expressions/expression_error.h"
#include "model/attribute_value.h"

namespace dunlin::expressions {

struct UpdateResult {
  model::Item item;
  // The path of every action, in the order written; ReturnValues UPDATED_OLD / UPDATED_NEW
  // project the old and new items onto these.
  std::vector<Path> updated_paths;
};

// Applies a resolved update (resolve.h) to `item`: null for a missing item (the update then
// starts from an empty item; the caller adds the key attributes). Errors carry no expression
// prefix, as DynamoDB's evaluation errors do not.
ExprResult<UpdateResult> ApplyUpdate(const UpdateExpression& update, const model::Item* item);

}  // namespace dunlin::expressions
