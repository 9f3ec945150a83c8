#include "expressions/evaluate.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;

// An evaluated operand: a pointer to a value in the item or the AST, or a computed size.
class OperandValue {
 public:
  OperandValue() = default;
  explicit OperandValue(const AttributeValue* ref) : ref_(ref) {}
  explicit OperandValue(AttributeValue owned) : owned_(std::move(owned)), has_owned_(true) {}

  const AttributeValue* get() const { return has_owned_ ? &owned_ : ref_; }

 private:
  const AttributeValue* ref_ = nullptr;
  AttributeValue owned_;
  bool has_owned_ = false;
};

// The length of a UTF-8 string in UTF-16 code units: DynamoDB Local measures strings that way
// ("size(a) = :v" holds for "h\u00e9llo" with 5 and for one emoji with 2).
size_t Utf16Length(std::string_view text) {
  size_t units = 0;
  for (unsigned char byte : text) {
    if ((byte & 0xC0) != 0x80) ++units;  // a lead byte starts a code point
    if (byte >= 0xF0) ++units;           // four-byte sequences need a surrogate pair
  }
  return units;
}

std::optional<size_t> SizeOf(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS: return Utf16Length(value.as_string());
    case AttributeType::kB: return value.as_binary().size();
    case AttributeType::kM: return value.as_map().size();
    case AttributeType::kL: return value.as_list().size();
    case AttributeType::kSS: return std::get<model::StringSet>(value.variant()).values.size();
    case AttributeType::kNS: return std::get<model::NumberSet>(value.variant()).values.size();
    case AttributeType::kBS: return std::get<model::BinarySet>(value.variant()).values.size();
    default: return std::nullopt;
  }
}

OperandValue Evaluate(const Operand& operand, const model::Item* item) {
  switch (operand.kind) {
    case OperandKind::kPath:
      return OperandValue(item == nullptr ? nullptr : FindPath(*item, operand.path));
    case OperandKind::kValue: return OperandValue(&operand.value);
    case OperandKind::kSize: {
      OperandValue arg = Evaluate(operand.args[0], item);
      if (arg.get() == nullptr) return OperandValue();
      std::optional<size_t> size = SizeOf(*arg.get());
      if (!size) return OperandValue();
      return OperandValue(AttributeValue::Num(model::Number::FromInt64(
          static_cast<int64_t>(*size))));
    }
    default: return OperandValue();
  }
}

std::optional<int> OrderPointers(const AttributeValue* a, const AttributeValue* b) {
  if (a == nullptr || b == nullptr) return std::nullopt;
  return OrderValues(*a, *b);
}

bool Compare(CompareOp op, const AttributeValue* a, const AttributeValue* b) {
  if (op == CompareOp::kEq) return a != nullptr && b != nullptr && ValuesEqual(*a, *b);
  if (op == CompareOp::kNe) return !(a != nullptr && b != nullptr && ValuesEqual(*a, *b));
  std::optional<int> order = OrderPointers(a, b);
  if (!order) return false;
  switch (op) {
    case CompareOp::kLt: return *order < 0;
    case CompareOp::kLe: return *order <= 0;
    case CompareOp::kGt: return *order > 0;
    case CompareOp::kGe: return *order >= 0;
    default: return false;
  }
}

template <typename Set, typename Element>
bool SetContains(const AttributeValue& set, const Element& element) {
  const auto& values = std::get<Set>(set.variant()).values;
  return std::find(values.begin(), values.end(), element) != values.end();
}

bool Contains(const AttributeValue& haystack, const AttributeValue& needle) {
  switch (haystack.type()) {
    case AttributeType::kS:
      return needle.type() == AttributeType::kS &&
             haystack.as_string().find(needle.as_string()) != std::string::npos;
    case AttributeType::kB:
      return needle.type() == AttributeType::kB &&
             haystack.as_binary().find(needle.as_binary()) != std::string::npos;
    case AttributeType::kSS:
      return needle.type() == AttributeType::kS &&
             SetContains<model::StringSet>(haystack, needle.as_string());
    case AttributeType::kNS:
      return needle.type() == AttributeType::kN &&
             SetContains<model::NumberSet>(haystack, needle.as_number());
    case AttributeType::kBS:
      return needle.type() == AttributeType::kB &&
             SetContains<model::BinarySet>(haystack, needle.as_binary());
    case AttributeType::kL:
      for (const AttributeValue& element : haystack.as_list()) {
        if (ValuesEqual(element, needle)) return true;
      }
      return false;
    default: return false;
  }
}

bool BeginsWith(const AttributeValue& value, const AttributeValue& prefix) {
  if (value.type() != prefix.type()) return false;
  if (value.type() == AttributeType::kS) return value.as_string().starts_with(prefix.as_string());
  if (value.type() == AttributeType::kB) return value.as_binary().starts_with(prefix.as_binary());
  return false;
}

bool EvaluateFunction(const Operand& call, const model::Item* item) {
  const OperandValue first = Evaluate(call.args[0], item);
  switch (call.kind) {
    case OperandKind::kAttributeExists: return first.get() != nullptr;
    case OperandKind::kAttributeNotExists: return first.get() == nullptr;
    default: break;
  }
  const OperandValue second = Evaluate(call.args[1], item);
  const AttributeValue* a = first.get();
  const AttributeValue* b = second.get();
  if (a == nullptr || b == nullptr) return false;
  switch (call.kind) {
    case OperandKind::kAttributeType:
      return b->type() == AttributeType::kS &&
             model::AttributeTypeName(a->type()) == b->as_string();
    case OperandKind::kBeginsWith: return BeginsWith(*a, *b);
    case OperandKind::kContains: return Contains(*a, *b);
    default: return false;
  }
}

}  // namespace

const model::AttributeValue* FindPath(const model::Item& item, const Path& path) {
  if (path.empty() || path[0].is_index()) return nullptr;
  auto top = item.find(path[0].name);
  if (top == item.end()) return nullptr;
  const AttributeValue* current = &top->second;
  for (size_t i = 1; i < path.size(); ++i) {
    const PathElement& step = path[i];
    if (step.is_index()) {
      if (current->type() != AttributeType::kL) return nullptr;
      const model::AttributeList& list = current->as_list();
      if (static_cast<size_t>(step.index) >= list.size()) return nullptr;
      current = &list[static_cast<size_t>(step.index)];
    } else {
      if (current->type() != AttributeType::kM) return nullptr;
      const model::AttributeMap& map = current->as_map();
      auto it = map.find(step.name);
      if (it == map.end()) return nullptr;
      current = &it->second;
    }
  }
  return current;
}

std::optional<int> OrderValues(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case AttributeType::kN: return a.as_number().Compare(b.as_number());
    case AttributeType::kS: return a.as_string().compare(b.as_string());
    case AttributeType::kB: return a.as_binary().compare(b.as_binary());
    default: return std::nullopt;
  }
}

bool ValuesEqual(const model::AttributeValue& a, const model::AttributeValue& b) {
  // Numbers and set elements are canonical and sets sorted (attribute_value.h), so structural
  // equality is DynamoDB's equality.
  return a == b;
}

bool EvaluateCondition(const Condition& condition, const model::Item* item) {
  switch (condition.kind) {
    case ConditionKind::kAnd:
      return EvaluateCondition(condition.children[0], item) &&
             EvaluateCondition(condition.children[1], item);
    case ConditionKind::kOr:
      return EvaluateCondition(condition.children[0], item) ||
             EvaluateCondition(condition.children[1], item);
    case ConditionKind::kNot: return !EvaluateCondition(condition.children[0], item);
    case ConditionKind::kFunction: return EvaluateFunction(condition.operands[0], item);
    case ConditionKind::kCompare: {
      const OperandValue a = Evaluate(condition.operands[0], item);
      const OperandValue b = Evaluate(condition.operands[1], item);
      return Compare(condition.op, a.get(), b.get());
    }
    case ConditionKind::kBetween: {
      const OperandValue v = Evaluate(condition.operands[0], item);
      const OperandValue lower = Evaluate(condition.operands[1], item);
      const OperandValue upper = Evaluate(condition.operands[2], item);
      std::optional<int> above = OrderPointers(v.get(), lower.get());
      std::optional<int> below = OrderPointers(v.get(), upper.get());
      return above && below && *above >= 0 && *below <= 0;
    }
    case ConditionKind::kIn: {
      const OperandValue v = Evaluate(condition.operands[0], item);
      if (v.get() == nullptr) return false;
      for (size_t i = 1; i < condition.operands.size(); ++i) {
        const OperandValue candidate = Evaluate(condition.operands[i], item);
        if (candidate.get() != nullptr && ValuesEqual(*v.get(), *candidate.get())) return true;
      }
      return false;
    }
  }
  return false;
}

}  // namespace dunlin::expressions
