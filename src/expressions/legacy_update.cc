#include "expressions/legacy_update.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "expressions/set_ops.h"

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;

ExpressionError Invalid(std::string_view detail) {
  return ExpressionError{fmt::format("One or more parameter values were invalid: {}", detail)};
}

ExpressionError TypeMismatch() { return ExpressionError{"Type mismatch for attribute to update"}; }

// ADD of `operand` to the existing `target`.
ExprResult<void> Add(AttributeValue& target, const AttributeValue& operand) {
  if (target.type() != operand.type()) return Fail(TypeMismatch());
  if (operand.type() == AttributeType::kN) {
    auto sum = target.as_number().Add(operand.as_number());
    if (!sum.ok()) return Fail(ExpressionError{model::NumberErrorMessage(sum.error(), "")});
    target = AttributeValue::Num(std::move(sum).value());
    return {};
  }
  if (operand.type() == AttributeType::kL) {
    auto& list = std::get<model::AttributeList>(target.variant());
    for (const AttributeValue& element : operand.as_list()) list.push_back(element);
    return {};
  }
  MergeSets(target, operand, /*add=*/true);
  return {};
}

}  // namespace

namespace {

// The checks of one entry that need no item.
ExprResult<void> CheckEntry(const AttributeUpdate& update, const model::AttributeMap& key) {
  if (update.attribute.empty()) return Fail(ExpressionError{"Empty attribute name"});
  if (key.contains(update.attribute)) {
    return Fail(Invalid(fmt::format("Cannot update attribute {}. This attribute is part of the key",
                                    update.attribute)));
  }
  if (update.unknown_action) {
    return Fail(ExpressionError{"Member must satisfy enum value set: [ADD, DELETE, PUT]"});
  }
  if (update.invalid_value) return Fail(ExpressionError{*update.invalid_value});
  if (!update.value) {
    if (update.action != LegacyUpdateAction::kDelete) {
      return Fail(Invalid("Only DELETE action is allowed when no attribute value is specified"));
    }
    return {};
  }
  const AttributeType type = update.value->type();
  if (update.action == LegacyUpdateAction::kAdd && type != AttributeType::kN &&
      type != AttributeType::kL && !IsSet(type)) {
    return Fail(
        Invalid(fmt::format("ADD action is not supported for the type {}", LongTypeName(type))));
  }
  if (update.action == LegacyUpdateAction::kDelete && !IsSet(type)) {
    return Fail(Invalid(fmt::format("DELETE action with value is not supported for the type {}",
                                    LongTypeName(type))));
  }
  return {};
}

}  // namespace

ExprResult<UpdateResult> ApplyAttributeUpdates(const std::vector<AttributeUpdate>& updates,
                                               const model::AttributeMap& key,
                                               const model::Item* item) {
  UpdateResult result;
  if (item != nullptr) result.item = *item;
  model::Item& out = result.item;
  for (const AttributeUpdate& update : updates) {
    DUNLIN_RETURN_IF_ERROR(CheckEntry(update, key));
    result.updated_paths.push_back(Path{PathElement{update.attribute}});
    auto existing = out.find(update.attribute);
    switch (update.action) {
      case LegacyUpdateAction::kPut:
        out.insert_or_assign(update.attribute, *update.value);
        break;
      case LegacyUpdateAction::kAdd:
        if (existing == out.end()) {
          out.emplace(update.attribute, *update.value);
        } else {
          DUNLIN_RETURN_IF_ERROR(Add(existing->second, *update.value));
        }
        break;
      case LegacyUpdateAction::kDelete:
        if (existing == out.end()) break;
        if (!update.value) {
          out.erase(existing);
          break;
        }
        if (!MergeSets(existing->second, *update.value, /*add=*/false)) {
          return Fail(TypeMismatch());
        }
        if (IsEmptySet(existing->second)) out.erase(existing);
        break;
    }
  }
  return result;
}

}  // namespace dunlin::expressions
