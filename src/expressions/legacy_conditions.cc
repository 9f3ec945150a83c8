#include "expressions/legacy_conditions.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "expressions/evaluate.h"

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;

constexpr std::string_view kInvalidPrefix = "One or more parameter values were invalid: ";

enum class Operator {
  kEq,
  kNe,
  kLe,
  kLt,
  kGe,
  kGt,
  kNotNull,
  kNull,
  kContains,
  kNotContains,
  kBeginsWith,
  kIn,
  kBetween,
};

std::optional<Operator> ParseOperator(std::string_view text) {
  static constexpr std::pair<std::string_view, Operator> kOperators[] = {
      {"EQ", Operator::kEq},
      {"NE", Operator::kNe},
      {"LE", Operator::kLe},
      {"LT", Operator::kLt},
      {"GE", Operator::kGe},
      {"GT", Operator::kGt},
      {"NOT_NULL", Operator::kNotNull},
      {"NULL", Operator::kNull},
      {"CONTAINS", Operator::kContains},
      {"NOT_CONTAINS", Operator::kNotContains},
      {"BEGINS_WITH", Operator::kBeginsWith},
      {"IN", Operator::kIn},
      {"BETWEEN", Operator::kBetween},
  };
  for (const auto& [name, op] : kOperators) {
    if (name == text) return op;
  }
  return std::nullopt;
}

ExpressionError Invalid(std::string message) { return ExpressionError{std::move(message)}; }

ExpressionError InvalidParameter(std::string_view detail) {
  return ExpressionError{fmt::format("{}{}", kInvalidPrefix, detail)};
}

bool IsScalar(AttributeType type) {
  return type == AttributeType::kS || type == AttributeType::kN || type == AttributeType::kB;
}

bool TypeAllowed(Operator op, AttributeType type) {
  switch (op) {
    case Operator::kEq:
    case Operator::kNe:
      return true;
    case Operator::kBeginsWith:
      return type == AttributeType::kS || type == AttributeType::kB;
    case Operator::kContains:
    case Operator::kNotContains:
      return IsScalar(type) || type == AttributeType::kBool || type == AttributeType::kNull;
    default:
      return IsScalar(type);
  }
}

bool CountAllowed(Operator op, size_t count) {
  switch (op) {
    case Operator::kNull:
    case Operator::kNotNull:
      return count == 0;
    case Operator::kBetween:
      return count == 2;
    case Operator::kIn:
      return count >= 1;
    default:
      return count == 1;
  }
}

// Rules 3-5 of the header for one entry whose operator is `text`.
ExprResult<Operator> CheckArguments(std::string_view text,
                                    const std::vector<AttributeValue>& arguments,
                                    const std::optional<std::string>& invalid_value) {
  std::optional<Operator> op = ParseOperator(text);
  if (!op) return Fail(Invalid("Comparison type does not exist in DynamoDB"));
  if (invalid_value) return Fail(ExpressionError{*invalid_value});
  if (!CountAllowed(*op, arguments.size())) {
    return Fail(InvalidParameter(
        fmt::format("Invalid number of argument(s) for the {} ComparisonOperator", text)));
  }
  const bool one_type = *op == Operator::kIn || *op == Operator::kBetween;
  for (const AttributeValue& argument : arguments) {
    if (!TypeAllowed(*op, argument.type())) {
      return Fail(
          InvalidParameter(fmt::format("ComparisonOperator {} is not valid for {} "
                                       "AttributeValue type",
                                       text, model::AttributeTypeName(argument.type()))));
    }
    if (one_type && argument.type() != arguments.front().type()) {
      return Fail(
          InvalidParameter("AttributeValues inside AttributeValueList must be of same type"));
    }
  }
  if (*op == Operator::kBetween && OrderValues(arguments[0], arguments[1]).value_or(0) > 0) {
    return Fail(Invalid(
        "The BETWEEN condition was provided a range where the lower bound is greater than the "
        "upper bound"));
  }
  return *op;
}

Operand PathOperand(const std::string& attribute) {
  Operand operand;
  operand.kind = OperandKind::kPath;
  operand.path.push_back(PathElement{attribute});
  return operand;
}

Operand ValueOperand(const AttributeValue& value) {
  Operand operand;
  operand.kind = OperandKind::kValue;
  operand.value = value;
  return operand;
}

Condition Function(OperandKind kind, const std::string& attribute,
                   const AttributeValue* argument = nullptr) {
  Operand call;
  call.kind = kind;
  call.args.push_back(PathOperand(attribute));
  if (argument != nullptr) call.args.push_back(ValueOperand(*argument));
  Condition condition;
  condition.kind = ConditionKind::kFunction;
  condition.operands.push_back(std::move(call));
  return condition;
}

Condition Combine(ConditionKind kind, Condition left, Condition right) {
  Condition condition;
  condition.kind = kind;
  condition.children.push_back(std::move(left));
  condition.children.push_back(std::move(right));
  return condition;
}

Condition Comparison(CompareOp op, const std::string& attribute, const AttributeValue& value) {
  Condition condition;
  condition.kind = ConditionKind::kCompare;
  condition.op = op;
  condition.operands.push_back(PathOperand(attribute));
  condition.operands.push_back(ValueOperand(value));
  return condition;
}

// The condition of one checked entry.
Condition Build(Operator op, const std::string& attribute,
                const std::vector<AttributeValue>& arguments) {
  switch (op) {
    case Operator::kEq:
      return Comparison(CompareOp::kEq, attribute, arguments[0]);
    case Operator::kNe:
      return Comparison(CompareOp::kNe, attribute, arguments[0]);
    case Operator::kLe:
      return Comparison(CompareOp::kLe, attribute, arguments[0]);
    case Operator::kLt:
      return Comparison(CompareOp::kLt, attribute, arguments[0]);
    case Operator::kGe:
      return Comparison(CompareOp::kGe, attribute, arguments[0]);
    case Operator::kGt:
      return Comparison(CompareOp::kGt, attribute, arguments[0]);
    case Operator::kNotNull:
      return Function(OperandKind::kAttributeExists, attribute);
    case Operator::kNull:
      return Function(OperandKind::kAttributeNotExists, attribute);
    case Operator::kContains:
      return Function(OperandKind::kContains, attribute, &arguments[0]);
    case Operator::kNotContains: {
      Condition negated;
      negated.kind = ConditionKind::kNot;
      negated.children.push_back(Function(OperandKind::kContains, attribute, &arguments[0]));
      return Combine(ConditionKind::kAnd, Function(OperandKind::kAttributeExists, attribute),
                     std::move(negated));
    }
    case Operator::kBeginsWith:
      return Function(OperandKind::kBeginsWith, attribute, &arguments[0]);
    case Operator::kIn:
    case Operator::kBetween: {
      Condition condition;
      condition.kind = op == Operator::kIn ? ConditionKind::kIn : ConditionKind::kBetween;
      condition.operands.push_back(PathOperand(attribute));
      for (const AttributeValue& argument : arguments) {
        condition.operands.push_back(ValueOperand(argument));
      }
      return condition;
    }
  }
  return Condition{};
}

ExprResult<Condition> TranslateExpectedEntry(const ExpectedEntry& entry) {
  const std::string& name = entry.attribute;
  if (name.empty()) return Fail(Invalid("Empty attribute name"));
  if (entry.comparison_operator) {
    const std::string& text = *entry.comparison_operator;
    if (entry.exists) {
      return Fail(InvalidParameter(fmt::format(
          "Exists and ComparisonOperator cannot be used together for Attribute: {}", name)));
    }
    if (entry.value && entry.value_list) {
      return Fail(InvalidParameter(fmt::format(
          "Value and AttributeValueList cannot be used together for Attribute: {}", name)));
    }
    if (!entry.value && !entry.value_list && text != "NULL" && text != "NOT_NULL") {
      return Fail(InvalidParameter(fmt::format(
          "Value or AttributeValueList must be used with ComparisonOperator: {} for Attribute: {}",
          text, name)));
    }
    std::vector<AttributeValue> arguments;
    if (entry.value) {
      arguments.push_back(*entry.value);
    } else if (entry.value_list) {
      arguments = *entry.value_list;
    }
    DUNLIN_ASSIGN_OR_RETURN(Operator op, CheckArguments(text, arguments, entry.invalid_value));
    return Build(op, name, arguments);
  }
  if (entry.value && entry.value_list) {
    return Fail(InvalidParameter(fmt::format(
        "Value and AttributeValueList cannot be used together for Attribute: {}", name)));
  }
  if (entry.value_list) {
    return Fail(InvalidParameter(fmt::format(
        "AttributeValueList can only be used with a ComparisonOperator for Attribute: {}", name)));
  }
  if (entry.exists == false) {
    if (entry.value) {
      return Fail(InvalidParameter(
          fmt::format("Value cannot be used when Exists is false for Attribute: {}", name)));
    }
    return Function(OperandKind::kAttributeNotExists, name);
  }
  if (!entry.value) {
    return Fail(
        InvalidParameter(fmt::format("Value must be provided when Exists is {} for "
                                     "Attribute: {}",
                                     entry.exists ? "true" : "null", name)));
  }
  if (entry.invalid_value) return Fail(ExpressionError{*entry.invalid_value});
  return Comparison(CompareOp::kEq, name, *entry.value);
}

ExprResult<Condition> TranslateConditionEntry(const ConditionEntry& entry) {
  if (entry.attribute.empty()) return Fail(Invalid("Empty attribute name"));
  DUNLIN_ASSIGN_OR_RETURN(Operator op,
                          CheckArguments(entry.comparison_operator.value_or(""), entry.value_list,
                                         entry.invalid_value));
  return Build(op, entry.attribute, entry.value_list);
}

template <typename Entry, typename Translate>
ExprResult<Condition> TranslateAll(const std::vector<Entry>& entries, ConditionalOperator combine,
                                   Translate translate) {
  std::optional<Condition> result;
  for (const Entry& entry : entries) {
    DUNLIN_ASSIGN_OR_RETURN(Condition condition, translate(entry));
    if (!result) {
      result = std::move(condition);
    } else {
      result =
          Combine(combine == ConditionalOperator::kAnd ? ConditionKind::kAnd : ConditionKind::kOr,
                  std::move(*result), std::move(condition));
    }
  }
  return std::move(result).value_or(Condition{});
}

}  // namespace

ExprResult<Condition> TranslateExpected(const std::vector<ExpectedEntry>& entries,
                                        ConditionalOperator combine) {
  return TranslateAll(entries, combine, TranslateExpectedEntry);
}

ExprResult<Condition> TranslateFilter(const std::vector<ConditionEntry>& entries,
                                      ConditionalOperator combine) {
  return TranslateAll(entries, combine, TranslateConditionEntry);
}

namespace {

// The sort-key condition an operator states, for those that state one (EQ, LT, LE, GT, GE,
// BEGINS_WITH, BETWEEN). REQUIRES: CheckArguments accepted `values` for `op`.
std::optional<SortKeyCondition> SortConditionOf(Operator op,
                                                const std::vector<AttributeValue>& values) {
  SortKeyCondition range;
  switch (op) {
    case Operator::kEq:
      range.op = SortKeyOp::kEq;
      break;
    case Operator::kLt:
      range.op = SortKeyOp::kLt;
      break;
    case Operator::kLe:
      range.op = SortKeyOp::kLe;
      break;
    case Operator::kGt:
      range.op = SortKeyOp::kGt;
      break;
    case Operator::kGe:
      range.op = SortKeyOp::kGe;
      break;
    case Operator::kBeginsWith:
      range.op = SortKeyOp::kBeginsWith;
      break;
    case Operator::kBetween:
      range.op = SortKeyOp::kBetween;
      range.upper = values[1];
      break;
    default:
      return std::nullopt;
  }
  range.value = values[0];
  return range;
}

constexpr std::string_view kNotIndexable =
    "Attempted conditional constraint is not an indexable operation";

// Multi-attribute keys: every condition counts, whatever its attribute, up to the number of
// key attributes; a partition attribute without EQ gets the HASH message. On the last sort
// attribute, once the key's shape and types are right, NULL and NOT_NULL get "Only scalar types
// can be used as Range Key values" and IN, CONTAINS and NOT_CONTAINS "Attempted conditional
// constraint is not an indexable operation". NE passes every check on DynamoDB Local, a
// condition on another attribute included, and then fails with an internal error; Dunlin
// reports it as not indexable at that point.
ExprResult<KeyCondition> TranslateMultiAttribute(const std::vector<ConditionEntry>& entries,
                                                 const std::vector<Operator>& ops,
                                                 const KeySchema& schema) {
  std::vector<KeyAttributeCondition> conditions;
  bool not_equal = false;
  for (size_t i = 0; i < entries.size(); ++i) {
    KeyAttributeCondition condition;
    condition.attribute = entries[i].attribute;
    condition.condition = SortConditionOf(ops[i], entries[i].value_list);
    if (!condition.condition) {
      condition.legacy_values = entries[i].value_list;
      if (ops[i] == Operator::kNull || ops[i] == Operator::kNotNull) {
        condition.legacy_error = "Only scalar types can be used as Range Key values";
      } else if (ops[i] != Operator::kNe) {
        condition.legacy_error = kNotIndexable;
      }
    }
    not_equal = not_equal || ops[i] == Operator::kNe;
    conditions.push_back(std::move(condition));
  }
  DUNLIN_ASSIGN_OR_RETURN(KeyCondition keys, BuildMultiAttributeKeyCondition(conditions, schema));
  // Past every check, an NE can only be the last sort condition.
  if (not_equal) return Fail(Invalid(std::string(kNotIndexable)));
  return keys;
}

}  // namespace

namespace {

ExprResult<std::vector<Operator>> CheckEntries(const std::vector<ConditionEntry>& entries,
                                               bool multi_attribute) {
  if (entries.empty()) return Fail(Invalid("Conditions must be at least length 1"));
  if (!multi_attribute && entries.size() > 2) {
    return Fail(Invalid("Conditions can be of length 1 or 2 only"));
  }
  std::vector<Operator> ops;
  for (const ConditionEntry& entry : entries) {
    if (entry.attribute.empty()) return Fail(Invalid("Empty attribute name"));
    DUNLIN_ASSIGN_OR_RETURN(
        Operator op, CheckArguments(entry.comparison_operator.value_or(""), entry.value_list,
                                    entry.invalid_value));
    ops.push_back(op);
  }
  return ops;
}

}  // namespace

ExprResult<void> CheckKeyConditionEntries(const std::vector<ConditionEntry>& entries,
                                          bool multi_attribute) {
  DUNLIN_RETURN_IF_ERROR(CheckEntries(entries, multi_attribute));
  return {};
}

ExprResult<KeyCondition> TranslateKeyConditions(const std::vector<ConditionEntry>& entries,
                                                const KeySchema& schema) {
  const bool multi_attribute = IsMultiAttribute(schema);
  DUNLIN_ASSIGN_OR_RETURN(std::vector<Operator> ops, CheckEntries(entries, multi_attribute));
  if (multi_attribute) return TranslateMultiAttribute(entries, ops, schema);
  // A key without a sort key takes one condition (as KeyConditionExpression).
  if (schema.sort_key.empty() && entries.size() == 2) {
    return Fail(Invalid("Query key condition not supported"));
  }
  const ConditionEntry* partition = nullptr;
  const ConditionEntry* sort = nullptr;
  Operator partition_op = Operator::kEq;
  Operator sort_op = Operator::kEq;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].attribute == schema.partition_key) {
      partition = &entries[i];
      partition_op = ops[i];
    } else if (!schema.sort_key.empty() && entries[i].attribute == schema.sort_key) {
      sort = &entries[i];
      sort_op = ops[i];
    } else {
      return Fail(Invalid("Query condition missed key schema element"));
    }
  }
  if (partition == nullptr) return Fail(Invalid("Query condition missed key schema element"));
  if (partition_op == Operator::kNull || partition_op == Operator::kNotNull) {
    return Fail(Invalid("Only scalar types can be used as Hash Key values"));
  }
  if (partition_op != Operator::kEq) return Fail(Invalid("Query key condition not supported"));
  if (sort != nullptr) {
    switch (sort_op) {
      case Operator::kNull:
      case Operator::kNotNull:
        return Fail(Invalid("Only scalar types can be used as Range Key values"));
      case Operator::kNe:
      case Operator::kIn:
      case Operator::kContains:
      case Operator::kNotContains:
        return Fail(Invalid("Attempted conditional constraint is not an indexable operation"));
      default:
        break;
    }
  }
  const ExpressionError mismatch =
      InvalidParameter("Condition parameter type does not match schema type");
  if (partition->value_list[0].type() != schema.partition_type) return Fail(mismatch);
  KeyCondition result;
  result.partition_value = partition->value_list[0];
  if (sort == nullptr) return result;
  for (const AttributeValue& value : sort->value_list) {
    if (value.type() != schema.sort_type) return Fail(mismatch);
  }
  result.sort = SortConditionOf(sort_op, sort->value_list);
  return result;
}

}  // namespace dunlin::expressions
