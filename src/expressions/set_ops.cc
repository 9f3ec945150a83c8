#include "expressions/set_ops.h"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <utility>
#include <variant>

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;

// Set union or difference over sorted element vectors.
template <typename Set>
void Merge(AttributeValue& target, const AttributeValue& operand, bool add) {
  auto& values = std::get<Set>(target.variant()).values;
  const auto& other = std::get<Set>(operand.variant()).values;
  std::remove_reference_t<decltype(values)> merged;
  if (add) {
    std::set_union(values.begin(), values.end(), other.begin(), other.end(),
                   std::back_inserter(merged));
  } else {
    std::set_difference(values.begin(), values.end(), other.begin(), other.end(),
                        std::back_inserter(merged));
  }
  values = std::move(merged);
}

}  // namespace

bool IsSet(AttributeType type) {
  return type == AttributeType::kSS || type == AttributeType::kNS || type == AttributeType::kBS;
}

std::string_view LongTypeName(AttributeType type) {
  switch (type) {
    case AttributeType::kS:
      return "STRING";
    case AttributeType::kN:
      return "NUMBER";
    case AttributeType::kB:
      return "BINARY";
    case AttributeType::kBool:
      return "BOOLEAN";
    case AttributeType::kNull:
      return "NULL";
    case AttributeType::kM:
      return "MAP";
    case AttributeType::kL:
      return "LIST";
    case AttributeType::kSS:
      return "STRING_SET";
    case AttributeType::kNS:
      return "NUMBER_SET";
    case AttributeType::kBS:
      return "BINARY_SET";
  }
  return "";
}

bool MergeSets(AttributeValue& target, const AttributeValue& operand, bool add) {
  if (target.type() != operand.type()) return false;
  switch (target.type()) {
    case AttributeType::kSS:
      Merge<model::StringSet>(target, operand, add);
      return true;
    case AttributeType::kNS:
      Merge<model::NumberSet>(target, operand, add);
      return true;
    case AttributeType::kBS:
      Merge<model::BinarySet>(target, operand, add);
      return true;
    default:
      return false;
  }
}

bool IsEmptySet(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kSS:
      return std::get<model::StringSet>(value.variant()).values.empty();
    case AttributeType::kNS:
      return std::get<model::NumberSet>(value.variant()).values.empty();
    case AttributeType::kBS:
      return std::get<model::BinarySet>(value.variant()).values.empty();
    default:
      return false;
  }
}

}  // namespace dunlin::expressions
