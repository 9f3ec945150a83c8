// The legacy AttributeUpdates parameter of UpdateItem: per top-level attribute, PUT (the
// default), ADD or DELETE.
//
// Behaviour, following AttributeValueUpdate in the API reference and DynamoDB Local:
//   - PUT sets the attribute to the value.
//   - DELETE without a value removes the attribute; with a set value it removes those elements
//     from a set of the same type (an emptied set disappears; a missing attribute is left
//     alone).
//   - ADD with a number adds to a number attribute; with a set unions into a set of the same
//     type; with a list appends to a list attribute. A missing attribute is set to the value.
//   - An existing attribute of another type is "Type mismatch for attribute to update";
//     arithmetic is exact (model::Number) and fails with the number error's message.
// Each entry is checked before anything applies (CheckAttributeUpdates), in request order:
// "Empty attribute name", a key attribute ("One or more parameter values were invalid: Cannot
// update attribute pk. This attribute is part of the key"), a missing value for PUT or ADD
// ("... Only DELETE action is allowed when no attribute value is specified"), and value types
// the action does not take ("... ADD action is not supported for the type STRING", "... DELETE
// action with value is not supported for the type NUMBER").
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValueUpdate.html
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expressions/expression_error.h"
#include "expressions/key_condition.h"
#include "expressions/update.h"
#include "model/attribute_value.h"

namespace dunlin::expressions {

enum class LegacyUpdateAction { kPut, kAdd, kDelete };

struct AttributeUpdate {
  std::string attribute;
  LegacyUpdateAction action = LegacyUpdateAction::kPut;
  std::optional<model::AttributeValue> value;
};

// The static checks above, against the table's key.
ExprResult<void> CheckAttributeUpdates(const std::vector<AttributeUpdate>& updates,
                                       const KeySchema& key);

// Applies checked updates to `item` (null: no item; the caller adds the key attributes).
// updated_paths holds every attribute named, for ReturnValues UPDATED_OLD / UPDATED_NEW.
ExprResult<UpdateResult> ApplyAttributeUpdates(const std::vector<AttributeUpdate>& updates,
                                               const model::Item* item);

}  // namespace dunlin::expressions
