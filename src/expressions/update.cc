#include "expressions/update.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "expressions/evaluate.h"
#include "expressions/set_ops.h"

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;

constexpr char kInvalidPath[] =
    "The document path provided in the update expression is invalid for update";
constexpr char kMissingOperand[] =
    "The provided expression refers to an attribute that does not exist in the item";
constexpr char kWrongType[] = "An operand in the update expression has an incorrect data type";

Unexpected<ExpressionError> Error(const char* message) { return Fail(ExpressionError{message}); }

ExprResult<AttributeValue> EvaluateValue(const Operand& operand, const model::Item& item) {
  switch (operand.kind) {
    case OperandKind::kValue: return operand.value;
    case OperandKind::kPath: {
      const AttributeValue* value = FindPath(item, operand.path);
      if (value == nullptr) return Error(kMissingOperand);
      return *value;
    }
    case OperandKind::kIfNotExists: {
      // The fallback is evaluated even when the path exists: "if_not_exists(a, q)" with q
      // missing fails in DynamoDB Local whether or not a exists.
      const AttributeValue* value = FindPath(item, operand.args[0].path);
      DUNLIN_ASSIGN_OR_RETURN(AttributeValue fallback, EvaluateValue(operand.args[1], item));
      if (value != nullptr) return *value;
      return fallback;
    }
    case OperandKind::kListAppend: {
      // Each operand is type-checked as soon as it is evaluated: "list_append(a, q)" with a
      // number a is a type error even when q is missing.
      DUNLIN_ASSIGN_OR_RETURN(AttributeValue first, EvaluateValue(operand.args[0], item));
      if (first.type() != AttributeType::kL) return Error(kWrongType);
      DUNLIN_ASSIGN_OR_RETURN(AttributeValue second, EvaluateValue(operand.args[1], item));
      if (second.type() != AttributeType::kL) return Error(kWrongType);
      auto& list = std::get<model::AttributeList>(first.variant());
      const auto& tail = second.as_list();
      list.insert(list.end(), tail.begin(), tail.end());
      return first;
    }
    case OperandKind::kPlus:
    case OperandKind::kMinus: {
      // As for list_append, each operand is type-checked as soon as it is evaluated.
      DUNLIN_ASSIGN_OR_RETURN(AttributeValue a, EvaluateValue(operand.args[0], item));
      if (a.type() != AttributeType::kN) return Error(kWrongType);
      DUNLIN_ASSIGN_OR_RETURN(AttributeValue b, EvaluateValue(operand.args[1], item));
      if (b.type() != AttributeType::kN) return Error(kWrongType);
      auto sum = operand.kind == OperandKind::kPlus ? a.as_number().Add(b.as_number())
                                                    : a.as_number().Subtract(b.as_number());
      if (!sum.ok()) return Fail(ExpressionError{model::NumberErrorMessage(sum.error(), "")});
      return AttributeValue::Num(std::move(sum).value());
    }
    default: return Error(kWrongType);
  }
}

// The container holding the last step of `path`: the item's top level (map) or a nested M/L.
// Null when a step is missing or of the wrong type.
AttributeValue* FindParent(model::Item& item, const Path& path, model::Item** top) {
  *top = nullptr;
  if (path.size() == 1) {
    *top = &item;
    return nullptr;
  }
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  AttributeValue* current = &it->second;
  for (size_t i = 1; i + 1 < path.size(); ++i) {
    const PathElement& step = path[i];
    if (step.is_index()) {
      if (current->type() != AttributeType::kL) return nullptr;
      auto& list = std::get<model::AttributeList>(current->variant());
      if (static_cast<size_t>(step.index) >= list.size()) return nullptr;
      current = &list[static_cast<size_t>(step.index)];
    } else {
      if (current->type() != AttributeType::kM) return nullptr;
      auto& map = std::get<model::AttributeMap>(current->variant());
      auto found = map.find(step.name);
      if (found == map.end()) return nullptr;
      current = &found->second;
    }
  }
  return current;
}

// Where the last step of `path` lives, for reading and writing.
struct Slot {
  model::AttributeMap* map = nullptr;    // the step is a key of this map
  model::AttributeList* list = nullptr;  // the step is an index of this list
  const PathElement* step = nullptr;

  AttributeValue* Get() const {
    if (map != nullptr) {
      auto it = map->find(step->name);
      return it == map->end() ? nullptr : &it->second;
    }
    const auto index = static_cast<size_t>(step->index);
    return index < list->size() ? &(*list)[index] : nullptr;
  }
  void Put(AttributeValue value) const {
    if (map != nullptr) {
      (*map)[step->name] = std::move(value);
      return;
    }
    const auto index = static_cast<size_t>(step->index);
    if (index < list->size()) {
      (*list)[index] = std::move(value);
    } else {
      list->push_back(std::move(value));
    }
  }
  void Erase() const {
    if (map != nullptr) {
      map->erase(step->name);
      return;
    }
    const auto index = static_cast<size_t>(step->index);
    if (index < list->size()) list->erase(list->begin() + static_cast<ptrdiff_t>(index));
  }
};

ExprResult<Slot> FindSlot(model::Item& item, const Path& path) {
  model::Item* top = nullptr;
  AttributeValue* parent = FindParent(item, path, &top);
  Slot slot;
  slot.step = &path.back();
  if (top != nullptr) {
    slot.map = top;
    return slot;
  }
  if (parent == nullptr) return Error(kInvalidPath);
  if (slot.step->is_index()) {
    if (parent->type() != AttributeType::kL) return Error(kInvalidPath);
    slot.list = &std::get<model::AttributeList>(parent->variant());
  } else {
    if (parent->type() != AttributeType::kM) return Error(kInvalidPath);
    slot.map = &std::get<model::AttributeMap>(parent->variant());
  }
  return slot;
}

// Orders paths so that, within one list, higher indexes come first.
bool RemoveBefore(const Path* a, const Path* b) {
  const size_t n = std::min(a->size(), b->size());
  for (size_t i = 0; i < n; ++i) {
    const PathElement& x = (*a)[i];
    const PathElement& y = (*b)[i];
    if (x.is_index() && y.is_index()) {
      if (x.index != y.index) return x.index > y.index;
    } else if (x.name != y.name) {
      return x.name < y.name;
    }
  }
  return a->size() > b->size();
}

// Orders paths so that, within one list, lower indexes come first: SET writes past the end of a
// list append in index order whatever the order written ("SET a[4] = :w, a[3] = :v" on a
// three-element list gives [.., v, w] in DynamoDB Local).
bool SetBefore(const Path* a, const Path* b) {
  const size_t n = std::min(a->size(), b->size());
  for (size_t i = 0; i < n; ++i) {
    const PathElement& x = (*a)[i];
    const PathElement& y = (*b)[i];
    if (x.is_index() && y.is_index()) {
      if (x.index != y.index) return x.index < y.index;
    } else if (x.is_index() != y.is_index()) {
      return x.is_index();
    } else if (x.name != y.name) {
      return x.name < y.name;
    }
  }
  return a->size() < b->size();
}

// The order in which SET actions report errors: paths by name, descending; an index sorts
// before any name and indexes descend too.
bool PathDescending(const Path& a, const Path& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const PathElement& x = a[i];
    const PathElement& y = b[i];
    if (x.is_index() && y.is_index()) {
      if (x.index != y.index) return x.index > y.index;
    } else if (x.is_index() != y.is_index()) {
      return x.is_index();
    } else if (x.name != y.name) {
      return x.name > y.name;
    }
  }
  return a.size() > b.size();
}

}  // namespace

ExprResult<UpdateResult> ApplyUpdate(const UpdateExpression& update, const model::Item* item) {
  static const model::Item kEmpty;
  const model::Item& old_item = item == nullptr ? kEmpty : *item;

  UpdateResult result;
  result.item = old_item;
  model::Item& out = result.item;

  // Rule 1: SET operands see the old item. Errors come in DynamoDB Local's order: SET actions
  // by path in descending order, each checking its target's parent before its operand
  // ("SET b.b = :v, c = q" on {b: N} reports the missing q; "SET c.b = :v, b = q" on {c: N}
  // the invalid path). `out` is still the old item here.
  std::vector<size_t> order;
  std::vector<const UpdateAction*> set_actions;
  for (const UpdateAction& action : update.actions) {
    if (action.kind == UpdateActionKind::kSet) set_actions.push_back(&action);
  }
  for (size_t i = 0; i < set_actions.size(); ++i) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return PathDescending(set_actions[a]->path, set_actions[b]->path);
  });
  std::vector<AttributeValue> set_values(set_actions.size());
  for (size_t i : order) {
    DUNLIN_RETURN_IF_ERROR(FindSlot(out, set_actions[i]->path));
    DUNLIN_ASSIGN_OR_RETURN(set_values[i], EvaluateValue(set_actions[i]->value, old_item));
  }

  std::vector<std::pair<const Path*, AttributeValue*>> sets;
  size_t next_value = 0;
  for (const UpdateAction& action : update.actions) {
    if (action.kind != UpdateActionKind::kSet) continue;
    sets.emplace_back(&action.path, &set_values[next_value++]);
  }
  std::stable_sort(sets.begin(), sets.end(),
                   [](const auto& a, const auto& b) { return SetBefore(a.first, b.first); });
  for (auto& [path, value] : sets) {
    DUNLIN_ASSIGN_OR_RETURN(Slot slot, FindSlot(out, *path));
    slot.Put(std::move(*value));
  }

  std::vector<const Path*> removals;
  for (const UpdateAction& action : update.actions) {
    if (action.kind == UpdateActionKind::kRemove) removals.push_back(&action.path);
  }
  std::sort(removals.begin(), removals.end(), RemoveBefore);
  for (const Path* path : removals) {
    DUNLIN_ASSIGN_OR_RETURN(Slot slot, FindSlot(out, *path));
    slot.Erase();
  }

  for (UpdateActionKind kind : {UpdateActionKind::kAdd, UpdateActionKind::kDelete}) {
    const bool add = kind == UpdateActionKind::kAdd;
    for (const UpdateAction& action : update.actions) {
      if (action.kind != kind) continue;
      DUNLIN_ASSIGN_OR_RETURN(Slot slot, FindSlot(out, action.path));
      const AttributeValue& operand = action.value.value;
      AttributeValue* target = slot.Get();
      if (target == nullptr) {
        if (add) slot.Put(operand);
        continue;
      }
      if (add && target->type() == AttributeType::kN && operand.type() == AttributeType::kN) {
        auto sum = target->as_number().Add(operand.as_number());
        if (!sum.ok()) return Fail(ExpressionError{model::NumberErrorMessage(sum.error(), "")});
        *target = AttributeValue::Num(std::move(sum).value());
        continue;
      }
      if (!MergeSets(*target, operand, add)) return Error(kWrongType);
      if (IsEmptySet(*target)) slot.Erase();
    }
  }

  result.updated_paths.reserve(update.actions.size());
  for (const UpdateAction& action : update.actions) result.updated_paths.push_back(action.path);
  return result;
}

}  // namespace dunlin::expressions
