#include "expressions/key_condition.h"

#include <utility>
#include <vector>

#include "expressions/evaluate.h"

namespace dunlin::expressions {

KeySchema KeySchemaOf(const model::KeySchema& schema) {
  KeySchema out;
  out.partition_key = schema.partition.name;
  out.partition_type = schema.partition.type;
  if (schema.sort) {
    out.sort_key = schema.sort->name;
    out.sort_type = schema.sort->type;
  }
  return out;
}
namespace {

using model::AttributeType;
using model::AttributeValue;

Unexpected<ExpressionError> Error(std::string message) {
  return Fail(ExpressionError{std::move(message)});
}

ExpressionError InvalidOperator(std::string_view op) {
  return ExpressionError{"Invalid operator used in KeyConditionExpression: " + std::string(op)};
}

// Flattens the ANDs of a key condition into its comparisons.
ExprResult<void> Flatten(const Condition& condition, std::vector<const Condition*>& out) {
  switch (condition.kind) {
    case ConditionKind::kAnd:
      for (const Condition& child : condition.children) {
        DUNLIN_RETURN_IF_ERROR(Flatten(child, out));
      }
      return {};
    case ConditionKind::kOr: return Fail(InvalidOperator("OR"));
    case ConditionKind::kNot: return Fail(InvalidOperator("NOT"));
    case ConditionKind::kIn: return Fail(InvalidOperator("IN"));
    case ConditionKind::kCompare:
      if (condition.op == CompareOp::kNe) return Fail(InvalidOperator("<>"));
      out.push_back(&condition);
      return {};
    case ConditionKind::kFunction:
      if (condition.operands[0].kind != OperandKind::kBeginsWith) {
        return Fail(InvalidOperator(condition.operands[0].text));
      }
      out.push_back(&condition);
      return {};
    case ConditionKind::kBetween: out.push_back(&condition); return {};
  }
  return {};
}

CompareOp Mirror(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    default: return op;
  }
}

SortKeyOp ToSortOp(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return SortKeyOp::kLt;
    case CompareOp::kLe: return SortKeyOp::kLe;
    case CompareOp::kGt: return SortKeyOp::kGt;
    case CompareOp::kGe: return SortKeyOp::kGe;
    default: return SortKeyOp::kEq;
  }
}

// One comparison on one key: which key, and the condition on it.
struct KeyTerm {
  const Path* path = nullptr;
  SortKeyCondition condition;
};

ExprResult<KeyTerm> ReadTerm(const Condition& condition) {
  for (const Operand& operand : condition.operands) {
    if (operand.kind != OperandKind::kPath && operand.kind != OperandKind::kValue &&
        operand.kind != OperandKind::kBeginsWith) {
      return Error("KeyConditionExpressions cannot contain nested operations");
    }
  }
  KeyTerm term;
  if (condition.kind == ConditionKind::kFunction) {
    const Operand& call = condition.operands[0];
    if (call.args[0].kind != OperandKind::kPath) {
      return Error(
          "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
          "attribute as its first operand");
    }
    if (call.args[1].kind == OperandKind::kPath) {
      return Error(
          "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
          "condition");
    }
    for (const Operand& arg : call.args) {
      if (arg.kind != OperandKind::kPath && arg.kind != OperandKind::kValue) {
        return Error("KeyConditionExpressions cannot contain nested operations");
      }
    }
    term.path = &call.args[0].path;
    term.condition.op = SortKeyOp::kBeginsWith;
    term.condition.value = call.args[1].value;
    return term;
  }
  int paths = 0;
  for (const Operand& operand : condition.operands) paths += operand.kind == OperandKind::kPath;
  if (paths > 1) {
    return Error(
        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
        "condition");
  }
  if (paths == 0) {
    return Error("Invalid condition in KeyConditionExpression: No key attribute specified");
  }
  if (condition.kind == ConditionKind::kBetween) {
    if (condition.operands[0].kind != OperandKind::kPath) {
      return Error(
          "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
          "attribute as its first operand");
    }
    term.path = &condition.operands[0].path;
    term.condition.op = SortKeyOp::kBetween;
    term.condition.value = condition.operands[1].value;
    term.condition.upper = condition.operands[2].value;
    return term;
  }
  const bool path_first = condition.operands[0].kind == OperandKind::kPath;
  term.path = &condition.operands[path_first ? 0 : 1].path;
  term.condition.op = ToSortOp(path_first ? condition.op : Mirror(condition.op));
  term.condition.value = condition.operands[path_first ? 1 : 0].value;
  return term;
}

bool TypeMatches(const SortKeyCondition& condition, AttributeType type) {
  if (condition.value.type() != type) return false;
  return condition.op != SortKeyOp::kBetween || condition.upper.type() == type;
}

}  // namespace

ExprResult<KeyCondition> ExtractKeyCondition(const Condition& condition,
                                             const KeySchema& schema) {
  std::vector<const Condition*> terms;
  DUNLIN_RETURN_IF_ERROR(Flatten(condition, terms));
  if (terms.size() > 2) {
    return Error("KeyConditionExpressions must only contain one condition per key");
  }
  // A key without a sort key takes one condition, on the partition key.
  if (schema.sort_key.empty() && terms.size() == 2) {
    return Error("Query key condition not supported");
  }
  std::optional<SortKeyCondition> partition;
  std::optional<SortKeyCondition> sort;
  for (const Condition* term_condition : terms) {
    DUNLIN_ASSIGN_OR_RETURN(KeyTerm term, ReadTerm(*term_condition));
    const Path& path = *term.path;
    const std::string& name = path[0].name;
    const bool is_partition = name == schema.partition_key;
    const bool is_sort = !schema.sort_key.empty() && name == schema.sort_key;
    if (!is_partition && !is_sort) return Error("Query condition missed key schema element");
    if (path.size() > 1) {
      return Error(
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
          "allowed: Key: " +
          name);
    }
    std::optional<SortKeyCondition>& slot = is_partition ? partition : sort;
    if (slot) return Error("KeyConditionExpressions must only contain one condition per key");
    slot = std::move(term.condition);
  }
  if (!partition) return Error("Query condition missed key schema element");
  if (partition->op != SortKeyOp::kEq) return Error("Query key condition not supported");
  if (!TypeMatches(*partition, schema.partition_type) ||
      (sort && !TypeMatches(*sort, schema.sort_type))) {
    return Error(
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type");
  }
  KeyCondition key;
  key.partition_value = std::move(partition->value);
  key.sort = std::move(sort);
  return key;
}

bool MatchesSortKey(const SortKeyCondition& condition, const model::AttributeValue& value) {
  if (value.type() != condition.value.type()) return false;
  // Bounds have the key's type (ExtractKeyCondition checks it), so values of the same type
  // always order.
  auto order = [&](const AttributeValue& bound) { return OrderValues(value, bound).value_or(0); };
  switch (condition.op) {
    case SortKeyOp::kEq: return ValuesEqual(value, condition.value);
    case SortKeyOp::kLt: return order(condition.value) < 0;
    case SortKeyOp::kLe: return order(condition.value) <= 0;
    case SortKeyOp::kGt: return order(condition.value) > 0;
    case SortKeyOp::kGe: return order(condition.value) >= 0;
    case SortKeyOp::kBetween:
      return order(condition.value) >= 0 && order(condition.upper) <= 0;
    case SortKeyOp::kBeginsWith:
      if (value.type() == AttributeType::kS) {
        return value.as_string().starts_with(condition.value.as_string());
      }
      return value.type() == AttributeType::kB &&
             value.as_binary().starts_with(condition.value.as_binary());
  }
  return false;
}

bool MatchesKeyCondition(const KeyCondition& condition, const KeySchema& schema,
                         const model::Item& item) {
  auto partition = item.find(schema.partition_key);
  if (partition == item.end() || !ValuesEqual(partition->second, condition.partition_value)) {
    return false;
  }
  if (!condition.sort) return true;
  auto sort = item.find(schema.sort_key);
  return sort != item.end() && MatchesSortKey(*condition.sort, sort->second);
}

}  // namespace dunlin::expressions
