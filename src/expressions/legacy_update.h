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
// The entries are checked and applied one by one, in request order, each checked just before
// it applies (as DynamoDB Local does, after the request's condition holds): "Empty attribute
// name", a key attribute ("One or more parameter values were invalid: Cannot update attribute
// pk. This attribute is part of the key"), an Action outside the enum ("Member must satisfy
// enum value set: [ADD, DELETE, PUT]"), a Value that is not a valid attribute value (its own
// message), a missing value for PUT or ADD ("... Only DELETE action is allowed when no
// attribute value is specified"), value types the action does not take ("... ADD action is
// not supported for the type STRING", "... DELETE action with value is not supported for the
// type NUMBER"), then the entry against the item so far (type mismatch, number errors).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValueUpdate.html
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expressions/expression_error.h"
#include "expressions/update.h"
#include "model/attribute_value.h"

namespace dunlin::expressions {

enum class LegacyUpdateAction { kPut, kAdd, kDelete };

struct AttributeUpdate {
  std::string attribute;
  LegacyUpdateAction action = LegacyUpdateAction::kPut;
  std::optional<model::AttributeValue> value;
  // What the reader found wrong, reported in the entry's turn: an Action outside the enum
  // (`action` is then meaningless), and the message of a Value that is not a valid attribute
  // value (`value` then holds NULL).
  bool unknown_action = false;
  std::optional<std::string> invalid_value = std::nullopt;
};

// Checks and applies `updates` to `item` (null: no item; the caller adds the key attributes),
// as above; `key` is the item's key, whose attributes may not be updated. updated_paths holds
// every attribute named, for ReturnValues UPDATED_OLD / UPDATED_NEW.
ExprResult<UpdateResult> ApplyAttributeUpdates(const std::vector<AttributeUpdate>& updates,
                                               const model::AttributeMap& key,
                                               const model::Item* item);

}  // namespace dunlin::expressions
