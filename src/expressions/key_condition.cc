#include "expressions/key_condition.h"

#include <string_view>
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

KeySchema KeySchemaOf(const model::SecondaryIndex& index) {
  KeySchema out = KeySchemaOf(index.key_schema);
  out.more_partition = index.more_partition;
  out.more_sort = index.more_sort;
  return out;
}

bool IsMultiAttribute(const KeySchema& schema) {
  return !schema.more_partition.empty() || !schema.more_sort.empty();
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

// Whether one term of a key condition (an operand of its ANDs) uses an operator a key
// condition takes.
ExprResult<void> CheckTermOperator(const Condition& condition) {
  switch (condition.kind) {
    case ConditionKind::kAnd: return {};
    case ConditionKind::kOr: return Fail(InvalidOperator("OR"));
    case ConditionKind::kNot: return Fail(InvalidOperator("NOT"));
    case ConditionKind::kIn: return Fail(InvalidOperator("IN"));
    case ConditionKind::kCompare:
      if (condition.op == CompareOp::kNe) return Fail(InvalidOperator("<>"));
      return {};
    case ConditionKind::kFunction:
      if (condition.operands[0].kind != OperandKind::kBeginsWith) {
        return Fail(InvalidOperator(condition.operands[0].text));
      }
      return {};
    case ConditionKind::kBetween: return {};
  }
  return {};
}

// Flattens the ANDs of a key condition into its terms, checking each term's operator on the way
// when `check` (multi-attribute keys), else leaving that to the caller, term by term.
ExprResult<void> Flatten(const Condition& condition, std::vector<const Condition*>& out,
                         bool check = true) {
  if (condition.kind == ConditionKind::kAnd) {
    for (const Condition& child : condition.children) {
      DUNLIN_RETURN_IF_ERROR(Flatten(child, out, check));
    }
    return {};
  }
  if (check) DUNLIN_RETURN_IF_ERROR(CheckTermOperator(condition));
  out.push_back(&condition);
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
struct TermRead {
  const Path* path = nullptr;
  SortKeyCondition condition;
};

ExprResult<TermRead> ReadTerm(const Condition& condition) {
  for (const Operand& operand : condition.operands) {
    if (operand.kind != OperandKind::kPath && operand.kind != OperandKind::kValue &&
        operand.kind != OperandKind::kBeginsWith) {
      return Error("KeyConditionExpressions cannot contain nested operations");
    }
  }
  TermRead term;
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

constexpr std::string_view kTypeMismatch =
    "One or more parameter values were invalid: Condition parameter type does not match schema "
    "type";

// The partition attributes, then (SortElements) the sort attributes, of a key in schema order.
std::vector<model::KeyElement> PartitionElements(const KeySchema& schema) {
  std::vector<model::KeyElement> out{{schema.partition_key, schema.partition_type}};
  out.insert(out.end(), schema.more_partition.begin(), schema.more_partition.end());
  return out;
}

std::vector<model::KeyElement> SortElements(const KeySchema& schema) {
  std::vector<model::KeyElement> out;
  if (!schema.sort_key.empty()) out.push_back({schema.sort_key, schema.sort_type});
  out.insert(out.end(), schema.more_sort.begin(), schema.more_sort.end());
  return out;
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

void CollectPaths(const Operand& operand, std::vector<const Path*>& out) {
  if (operand.kind == OperandKind::kPath) out.push_back(&operand.path);
  for (const Operand& arg : operand.args) CollectPaths(arg, out);
}

void CollectPaths(const Condition& condition, std::vector<const Path*>& out) {
  for (const Operand& operand : condition.operands) CollectPaths(operand, out);
  for (const Condition& child : condition.children) CollectPaths(child, out);
}

// Multi-attribute keys: DynamoDB looks for a nested path on a key attribute anywhere in the
// expression before any other check, taking the key attributes in schema order.
ExprResult<void> CheckNestedKeyPaths(const Condition& condition, const KeySchema& schema) {
  std::vector<const Path*> paths;
  CollectPaths(condition, paths);
  std::vector<model::KeyElement> keys = PartitionElements(schema);
  for (model::KeyElement& element : SortElements(schema)) keys.push_back(std::move(element));
  for (const model::KeyElement& key : keys) {
    for (const Path* path : paths) {
      if (path->size() > 1 && (*path)[0].name == key.name) {
        return Error(
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
            "allowed: IndexKey: " +
            key.name);
      }
    }
  }
  return {};
}

// Multi-attribute keys: ExtractKeyCondition's checks up to BuildMultiAttributeKeyCondition's.
ExprResult<KeyCondition> ExtractMultiAttribute(const Condition& condition,
                                               const KeySchema& schema) {
  DUNLIN_RETURN_IF_ERROR(CheckNestedKeyPaths(condition, schema));
  std::vector<const Condition*> terms;
  DUNLIN_RETURN_IF_ERROR(Flatten(condition, terms));
  std::vector<KeyAttributeCondition> conditions;
  for (const Condition* term_condition : terms) {
    DUNLIN_ASSIGN_OR_RETURN(TermRead term, ReadTerm(*term_condition));
    if (term.path->size() > 1) {
      return Error("KeyConditionExpressions cannot have conditions on nested attributes");
    }
    const std::string& name = (*term.path)[0].name;
    for (const KeyAttributeCondition& earlier : conditions) {
      if (earlier.attribute == name) {
        return Error("KeyConditionExpressions must only contain one condition per key");
      }
    }
    conditions.push_back({name, std::move(term.condition), {}, {}});
  }
  return BuildMultiAttributeKeyCondition(conditions, schema);
}

bool IsEquality(const KeyAttributeCondition* condition) {
  return condition != nullptr && condition->condition && condition->condition->op == SortKeyOp::kEq;
}

bool TypeMatches(const KeyAttributeCondition& condition, AttributeType type) {
  if (condition.condition) return TypeMatches(*condition.condition, type);
  for (const AttributeValue& value : condition.legacy_values) {
    if (value.type() != type) return false;
  }
  return true;
}

// Rule 4 of BuildMultiAttributeKeyCondition: `on_sort[i]` is the condition on sort attribute i.
ExprResult<void> CheckSortPrefix(const std::vector<model::KeyElement>& sort,
                                 const std::vector<const KeyAttributeCondition*>& on_sort) {
  auto fail = [&](const std::vector<std::string_view>& lacking, size_t present) {
    return Error("RANGE key attributes " + JoinNames(lacking) +
                 " must have equality conditions specified in the query because a condition is "
                 "present on key attribute " +
                 sort[present].name);
  };
  // A condition after a gap names the attributes without a condition before it.
  bool gap = false;
  for (size_t i = 0; i < sort.size(); ++i) {
    if (on_sort[i] == nullptr) {
      gap = true;
    } else if (gap) {
      std::vector<std::string_view> lacking;
      for (size_t k = 0; k < i; ++k) {
        if (on_sort[k] == nullptr) lacking.push_back(sort[k].name);
      }
      return fail(lacking, i);
    }
  }
  // The conditions are on a prefix; the last of them names the earlier non-equalities.
  size_t constrained = 0;
  while (constrained < sort.size() && on_sort[constrained] != nullptr) ++constrained;
  std::vector<std::string_view> lacking;
  for (size_t k = 0; k + 1 < constrained; ++k) {
    if (!IsEquality(on_sort[k])) lacking.push_back(sort[k].name);
  }
  if (!lacking.empty()) return fail(lacking, constrained - 1);
  return {};
}

}  // namespace

ExprResult<KeyCondition> BuildMultiAttributeKeyCondition(
    const std::vector<KeyAttributeCondition>& conditions, const KeySchema& schema) {
  const std::vector<model::KeyElement> partition = PartitionElements(schema);
  const std::vector<model::KeyElement> sort = SortElements(schema);
  if (conditions.size() > partition.size() + sort.size()) {
    return Error("Query key condition not supported");
  }
  auto find = [&](const std::string& name) -> const KeyAttributeCondition* {
    for (const KeyAttributeCondition& condition : conditions) {
      if (condition.attribute == name) return &condition;
    }
    return nullptr;
  };
  // The partition attributes without a condition, or else those whose condition is not an
  // equality.
  std::vector<const KeyAttributeCondition*> on_partition;
  std::vector<std::string_view> lacking;
  for (const model::KeyElement& element : partition) {
    on_partition.push_back(find(element.name));
    if (on_partition.back() == nullptr) lacking.push_back(element.name);
  }
  if (lacking.empty()) {
    for (size_t i = 0; i < partition.size(); ++i) {
      if (!IsEquality(on_partition[i])) lacking.push_back(partition[i].name);
    }
  }
  if (!lacking.empty()) {
    return Error("HASH key attributes " + JoinNames(lacking) +
                 " must have equality conditions specified in the query");
  }
  for (size_t i = 0; i < partition.size(); ++i) {
    if (!TypeMatches(*on_partition[i], partition[i].type)) return Error(std::string(kTypeMismatch));
  }
  std::vector<const KeyAttributeCondition*> on_sort;
  for (const model::KeyElement& element : sort) on_sort.push_back(find(element.name));
  DUNLIN_RETURN_IF_ERROR(CheckSortPrefix(sort, on_sort));
  size_t constrained = 0;
  while (constrained < sort.size() && on_sort[constrained] != nullptr) ++constrained;
  for (size_t i = 0; i < constrained; ++i) {
    if (!TypeMatches(*on_sort[i], sort[i].type)) return Error(std::string(kTypeMismatch));
  }
  // Only the last sort condition may be something other than an equality by now.
  if (constrained > 0 && !on_sort[constrained - 1]->condition &&
      !on_sort[constrained - 1]->legacy_error.empty()) {
    return Error(on_sort[constrained - 1]->legacy_error);
  }
  if (on_partition.size() + constrained < conditions.size()) {
    return Error("Query condition missed key schema element");
  }
  KeyCondition key;
  key.partition_value = on_partition[0]->condition->value;
  for (size_t i = 1; i < on_partition.size(); ++i) {
    key.more_partition_values.push_back(on_partition[i]->condition->value);
  }
  for (size_t i = 0; i + 1 < constrained; ++i) {
    key.sort_prefix.push_back(on_sort[i]->condition->value);
  }
  if (constrained > 0) key.sort = on_sort[constrained - 1]->condition;
  return key;
}

ExprResult<KeyCondition> ExtractKeyCondition(const Condition& condition,
                                             const KeySchema& schema) {
  if (IsMultiAttribute(schema)) return ExtractMultiAttribute(condition, schema);
  std::vector<const Condition*> terms;
  DUNLIN_RETURN_IF_ERROR(Flatten(condition, terms, /*check=*/false));
  // DynamoDB Local reads the terms one by one: each must be a readable condition on a
  // top-level attribute that no earlier term names; only then are they counted and matched
  // to the key.
  std::vector<TermRead> reads;
  reads.reserve(terms.size());
  for (const Condition* term_condition : terms) {
    DUNLIN_RETURN_IF_ERROR(CheckTermOperator(*term_condition));
    DUNLIN_ASSIGN_OR_RETURN(TermRead term, ReadTerm(*term_condition));
    const std::string& name = (*term.path)[0].name;
    const bool is_key =
        name == schema.partition_key || (!schema.sort_key.empty() && name == schema.sort_key);
    if (term.path->size() > 1) {
      if (!is_key) {
        return Error("KeyConditionExpressions cannot have conditions on nested attributes");
      }
      return Error(
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
          "allowed: Key: " +
          name);
    }
    for (const TermRead& earlier : reads) {
      if ((*earlier.path)[0].name == name) {
        return Error("KeyConditionExpressions must only contain one condition per key");
      }
    }
    reads.push_back(std::move(term));
  }
  if (reads.size() > 2) return Error("Conditions can be of length 1 or 2 only");
  // A key without a sort key takes one condition, on the partition key.
  if (schema.sort_key.empty() && reads.size() == 2) {
    return Error("Query key condition not supported");
  }
  // DynamoDB Local's order: the partition key's term (its type, then its operator), then a
  // term on another attribute, then the sort key's type.
  std::optional<SortKeyCondition> partition;
  std::optional<SortKeyCondition> sort;
  for (TermRead& term : reads) {
    if ((*term.path)[0].name == schema.partition_key) partition = std::move(term.condition);
  }
  if (partition) {
    if (!TypeMatches(*partition, schema.partition_type)) return Error(std::string(kTypeMismatch));
    if (partition->op != SortKeyOp::kEq) return Error("Query key condition not supported");
  }
  for (TermRead& term : reads) {
    const std::string& name = (*term.path)[0].name;
    if (name == schema.partition_key) continue;
    if (schema.sort_key.empty() || name != schema.sort_key) {
      return Error("Query condition missed key schema element");
    }
    sort = std::move(term.condition);
  }
  if (!partition) return Error("Query condition missed key schema element");
  if (sort && !TypeMatches(*sort, schema.sort_type)) return Error(std::string(kTypeMismatch));
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
  auto equals = [&](const std::string& name, const AttributeValue& value) {
    auto found = item.find(name);
    return found != item.end() && ValuesEqual(found->second, value);
  };
  if (!equals(schema.partition_key, condition.partition_value)) return false;
  if (condition.more_partition_values.size() != schema.more_partition.size()) return false;
  for (size_t i = 0; i < schema.more_partition.size(); ++i) {
    if (!equals(schema.more_partition[i].name, condition.more_partition_values[i])) return false;
  }
  const size_t constrained = condition.sort_prefix.size() + (condition.sort ? 1 : 0);
  if (constrained == 0) return true;
  const std::vector<model::KeyElement> sort = SortElements(schema);
  if (constrained > sort.size()) return false;
  for (size_t i = 0; i < condition.sort_prefix.size(); ++i) {
    if (!equals(sort[i].name, condition.sort_prefix[i])) return false;
  }
  if (!condition.sort) return true;
  auto found = item.find(sort[condition.sort_prefix.size()].name);
  return found != item.end() && MatchesSortKey(*condition.sort, found->second);
}

}  // namespace dunlin::expressions
