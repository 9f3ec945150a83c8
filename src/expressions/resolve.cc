#include "expressions/resolve.h"

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/java_hash.h"
#include "expressions/evaluate.h"
#include "expressions/parser.h"
#include "expressions/reserved_words.h"
#include "expressions/set_ops.h"

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;

enum class FunctionUse { kCondition, kConditionOperand, kUpdateOperand };

struct FunctionSpec {
  std::string_view name;
  OperandKind kind;
  size_t arity;
  FunctionUse use;
};

// Function names are case-sensitive ("SIZE(a)" is "Invalid function name").
constexpr FunctionSpec kFunctions[] = {
    {"attribute_exists", OperandKind::kAttributeExists, 1, FunctionUse::kCondition},
    {"attribute_not_exists", OperandKind::kAttributeNotExists, 1, FunctionUse::kCondition},
    {"attribute_type", OperandKind::kAttributeType, 2, FunctionUse::kCondition},
    {"begins_with", OperandKind::kBeginsWith, 2, FunctionUse::kCondition},
    {"contains", OperandKind::kContains, 2, FunctionUse::kCondition},
    {"size", OperandKind::kSize, 1, FunctionUse::kConditionOperand},
    {"if_not_exists", OperandKind::kIfNotExists, 2, FunctionUse::kUpdateOperand},
    {"list_append", OperandKind::kListAppend, 2, FunctionUse::kUpdateOperand},
};

bool IsValidKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsValidPlaceholder(std::string_view key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (size_t i = 1; i < key.size(); ++i) {
    if (!IsValidKeyChar(key[i])) return false;
  }
  return true;
}

bool IsOrderable(AttributeType type) {
  return type == AttributeType::kN || type == AttributeType::kS || type == AttributeType::kB;
}
bool IsStringOrBinary(AttributeType type) {
  return type == AttributeType::kS || type == AttributeType::kB;
}
bool HasSize(AttributeType type) {
  return type != AttributeType::kN && type != AttributeType::kBool &&
         type != AttributeType::kNull;
}
bool IsNumber(AttributeType type) { return type == AttributeType::kN; }
bool IsList(AttributeType type) { return type == AttributeType::kL; }
bool IsString(AttributeType type) { return type == AttributeType::kS; }

// The type an operand is known to have before evaluation, if any.
std::optional<AttributeType> StaticType(const Operand& operand) {
  switch (operand.kind) {
    case OperandKind::kValue: return operand.value.type();
    case OperandKind::kSize:
    case OperandKind::kPlus:
    case OperandKind::kMinus: return AttributeType::kN;
    case OperandKind::kListAppend: return AttributeType::kL;
    default: return std::nullopt;
  }
}

bool IsValidTypeName(std::string_view name) {
  for (std::string_view valid : {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}) {
    if (name == valid) return true;
  }
  return false;
}

// How two paths of one update or projection relate: independent, one a prefix of the other
// (overlap), or a map key and a list index at the same step (conflict).
enum class PathRelation { kIndependent, kOverlap, kConflict };

PathRelation Relate(const Path& a, const Path& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i].is_index() != b[i].is_index()) return PathRelation::kConflict;
    if (!(a[i] == b[i])) return PathRelation::kIndependent;
  }
  return PathRelation::kOverlap;
}

// The paths of a projection as DynamoDB Local adds them up, one tree per top-level name, to
// find two that overlap (one a prefix of the other) or conflict (a map key and a list index
// at the same step). The path it names beside the one being added:
//   - a clash at the top level (either path is a bare name): the first path added under the
//     top-level name that comes last in a Java HashMap of the names (common/java_hash.h), not
//     necessarily one of the pair. This is the closest rule measured, not DynamoDB Local's
//     whole rule: it names another path in about one such case in twenty (the tester's
//     expression-error-order entry);
//   - a clash below: the first path added through the node where it is found.
class ProjectionTree {
 public:
  struct Clash {
    bool conflict = false;
    size_t other = 0;  // index of the path named with the one added
  };

  explicit ProjectionTree(const std::vector<Path>& paths) : paths_(paths) {}

  // Adds paths_[index] (resolved); the clash it meets, if any.
  std::optional<Clash> Add(size_t index) {
    const Path& path = paths_[index];
    const std::string& name = path.front().name;
    auto top = std::find_if(roots_.begin(), roots_.end(),
                            [&](const auto& root) { return root.first == name; });
    if (top == roots_.end()) {
      roots_.emplace_back(name, Grow(NewNode(index), path, 1, index));
      return std::nullopt;
    }
    size_t node = top->second;
    if (path.size() == 1 || nodes_[node].leaf) return Clash{false, LastRootPath()};
    for (size_t depth = 1; depth < path.size(); ++depth) {
      const PathElement& element = path[depth];
      Node& current = nodes_[node];
      if (!current.children.empty() &&
          nodes_[current.children.front()].element.is_index() != element.is_index()) {
        return Clash{true, current.path};
      }
      auto child = std::find_if(current.children.begin(), current.children.end(),
                                [&](size_t c) { return nodes_[c].element == element; });
      if (child == current.children.end()) {
        Grow(node, path, depth, index);
        return std::nullopt;
      }
      const Node& next = nodes_[*child];
      if (depth + 1 == path.size() || next.leaf) return Clash{false, next.path};
      node = *child;
    }
    return std::nullopt;
  }

 private:
  struct Node {
    PathElement element;
    size_t path = 0;  // the first path added through this node
    bool leaf = false;
    std::vector<size_t> children;
  };

  size_t NewNode(size_t path, const PathElement* element = nullptr) {
    Node node;
    if (element != nullptr) node.element = *element;
    node.path = path;
    nodes_.push_back(std::move(node));
    return nodes_.size() - 1;
  }

  // Adds path[depth...] below `node`; returns `node`.
  size_t Grow(size_t node, const Path& path, size_t depth, size_t index) {
    size_t at = node;
    for (size_t d = depth; d < path.size(); ++d) {
      const size_t child = NewNode(index, &path[d]);
      nodes_[at].children.push_back(child);
      at = child;
    }
    nodes_[at].leaf = true;
    return node;
  }

  size_t LastRootPath() const {
    const size_t capacity = JavaDefaultCapacity(roots_.size());
    size_t last = 0;
    for (size_t i = 1; i < roots_.size(); ++i) {
      if (JavaHashBucket(roots_[i].first, capacity) >=
          JavaHashBucket(roots_[last].first, capacity)) {
        last = i;
      }
    }
    return nodes_[roots_[last].second].path;
  }

  const std::vector<Path>& paths_;
  std::vector<Node> nodes_;
  std::vector<std::pair<std::string, size_t>> roots_;  // top-level name, node; in added order
};

class Resolver {
 public:
  Resolver(ExpressionKind kind, ExpressionAttributes& attributes)
      : kind_(kind), attributes_(attributes) {}

  Unexpected<ExpressionError> Invalid(std::string_view detail) const {
    return Fail(InvalidExpression(kind_, detail));
  }

  Unexpected<ExpressionError> WrongType(std::string_view function, AttributeType type) const {
    std::string detail = "Incorrect operand type for operator or function; operator or function: ";
    detail.append(function);
    detail += ", operand type: ";
    detail.append(model::AttributeTypeName(type));
    return Invalid(detail);
  }

  ExprResult<void> CheckType(const Operand& operand, std::string_view function,
                             bool (*allowed)(AttributeType)) const {
    if (auto type = StaticType(operand); type && !allowed(*type)) {
      return WrongType(function, *type);
    }
    return {};
  }

  ExprResult<void> ResolvePath(Path& path) {
    for (PathElement& element : path) {
      if (element.is_index()) {
        if (element.index > INT32_MAX) {
          return Invalid("List index is not within the allowable range; index: [" +
                         element.name + "]");
        }
        element.name.clear();
      } else if (element.placeholder) {
        const std::string* name = attributes_.Name(element.name);
        if (name == nullptr) {
          return Invalid(
              "An expression attribute name used in the document path is not defined; "
              "attribute name: " +
              element.name);
        }
        element.name = *name;
        element.placeholder = false;
      } else if (IsReservedWord(element.name)) {
        return Invalid("Attribute name is a reserved keyword; reserved keyword: " + element.name);
      }
    }
    if (path.size() > kMaxPathDepth) {
      return Invalid("The document path has too many nesting levels; nesting levels: " +
                     std::to_string(path.size()));
    }
    return {};
  }

  // Resolves an operand used as a value (as_condition: a function call standing as a whole
  // condition).
  ExprResult<void> ResolveOperand(Operand& operand, bool as_condition = false) {
    switch (operand.kind) {
      case OperandKind::kPath: return ResolvePath(operand.path);
      case OperandKind::kValue: {
        const AttributeValue* value = attributes_.Value(operand.text);
        if (value == nullptr) {
          return Invalid(
              "An expression attribute value used in expression is not defined; attribute "
              "value: " +
              operand.text);
        }
        operand.value = *value;
        return {};
      }
      case OperandKind::kPlus:
      case OperandKind::kMinus: {
        // Both operands resolve (a function not allowed here is reported first) before
        // either's type is checked, as DynamoDB Local orders the two errors.
        const char* op = operand.kind == OperandKind::kPlus ? "+" : "-";
        for (Operand& arg : operand.args) DUNLIN_RETURN_IF_ERROR(ResolveOperand(arg));
        for (const Operand& arg : operand.args) {
          DUNLIN_RETURN_IF_ERROR(CheckType(arg, op, IsNumber));
        }
        return {};
      }
      case OperandKind::kFunction: return ResolveFunction(operand, as_condition);
      default: return {};  // already resolved
    }
  }

  // The function `call` names, if it exists and this kind of expression may use it.
  ExprResult<const FunctionSpec*> AllowedFunction(const Operand& call) const {
    const FunctionSpec* spec = FindFunction(call.text);
    if (spec == nullptr) return Invalid("Invalid function name; function: " + call.text);
    const bool update = kind_ == ExpressionKind::kUpdate;
    if (update && spec->use != FunctionUse::kUpdateOperand) {
      return Invalid("The function is not allowed in an update expression; function: " +
                     call.text);
    }
    if (!update && spec->use == FunctionUse::kUpdateOperand) {
      return Invalid("The function is not allowed in a condition expression; function: " +
                     call.text);
    }
    return spec;
  }

  ExprResult<void> CheckOperandCount(const Operand& call, const FunctionSpec& spec) const {
    if (call.args.size() == spec.arity) return {};
    return Invalid(
        "Incorrect number of operands for operator or function; operator or function: " +
        call.text + ", number of operands: " + std::to_string(call.args.size()));
  }

  ExprResult<void> ResolveFunction(Operand& call, bool as_condition) {
    DUNLIN_ASSIGN_OR_RETURN(const FunctionSpec* spec, AllowedFunction(call));
    if (kind_ != ExpressionKind::kUpdate &&
        as_condition != (spec->use == FunctionUse::kCondition)) {
      return Invalid(
          "The function is not allowed to be used this way in an expression; function: " +
          call.text);
    }
    DUNLIN_RETURN_IF_ERROR(CheckOperandCount(call, *spec));
    for (Operand& arg : call.args) DUNLIN_RETURN_IF_ERROR(ResolveOperand(arg));
    call.kind = spec->kind;
    const std::string& name = call.text;
    // list_append(a, a) is allowed; these are not (DynamoDB Local).
    if (spec->kind == OperandKind::kBeginsWith || spec->kind == OperandKind::kContains ||
        spec->kind == OperandKind::kAttributeType || spec->kind == OperandKind::kIfNotExists) {
      DUNLIN_RETURN_IF_ERROR(CheckDistinctFirst(call.args, name));
    }
    switch (spec->kind) {
      case OperandKind::kAttributeExists:
      case OperandKind::kAttributeNotExists:
      case OperandKind::kIfNotExists:
        if (call.args[0].kind != OperandKind::kPath) {
          return Invalid(
              "Operator or function requires a document path; operator or function: " + name);
        }
        return {};
      case OperandKind::kSize: return CheckType(call.args[0], name, HasSize);
      case OperandKind::kBeginsWith:
        DUNLIN_RETURN_IF_ERROR(CheckType(call.args[0], name, IsStringOrBinary));
        return CheckType(call.args[1], name, IsStringOrBinary);
      case OperandKind::kListAppend:
        DUNLIN_RETURN_IF_ERROR(CheckType(call.args[0], name, IsList));
        return CheckType(call.args[1], name, IsList);
      case OperandKind::kAttributeType: {
        const Operand& type = call.args[1];
        if (type.kind != OperandKind::kValue) {
          return Invalid(
              "Incorrect operand type for operator or function; operator or function: "
              "attribute_type, operand type: {DOUBLESET,FLOAT,INT,DECIMAL,N,BS,HDS,FS,M,SS,"
              "INTSET,HD,L,BOOL,DICT,DECIMALSET,DOUBLE,S,B,NS,NULL}");
        }
        DUNLIN_RETURN_IF_ERROR(CheckType(type, name, IsString));
        if (!IsValidTypeName(type.value.as_string())) {
          return Invalid("Invalid attribute type name found; type: " + type.value.as_string() +
                         ", valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}");
        }
        return {};
      }
      default: return {};
    }
  }

  ExprResult<void> CheckDistinctFirst(const Condition& condition, std::string_view op) const {
    return CheckDistinctFirst(condition.operands, op);
  }

  // DynamoDB rejects an operator or function whose first operand is a path repeated later.
  ExprResult<void> CheckDistinctFirst(const std::vector<Operand>& operands,
                                      std::string_view op) const {
    const Operand& first = operands[0];
    if (first.kind != OperandKind::kPath) return {};
    for (size_t i = 1; i < operands.size(); ++i) {
      const Operand& other = operands[i];
      if (other.kind == OperandKind::kPath && other.path == first.path) {
        std::string detail =
            "The first operand must be distinct from the remaining operands for this operator "
            "or function; operator: ";
        detail.append(op);
        detail += ", first operand: " + FormatPath(first.path);
        return Invalid(detail);
      }
    }
    return {};
  }

  ExprResult<void> ResolveCondition(Condition& condition) {
    switch (condition.kind) {
      case ConditionKind::kAnd:
      case ConditionKind::kOr:
      case ConditionKind::kNot:
        for (Condition& child : condition.children) DUNLIN_RETURN_IF_ERROR(ResolveCondition(child));
        return {};
      case ConditionKind::kFunction:
        return ResolveOperand(condition.operands[0], /*as_condition=*/true);
      case ConditionKind::kCompare: {
        for (Operand& operand : condition.operands) DUNLIN_RETURN_IF_ERROR(ResolveOperand(operand));
        const char* op = CompareOpText(condition.op);
        if (condition.op != CompareOp::kEq && condition.op != CompareOp::kNe) {
          for (const Operand& operand : condition.operands) {
            DUNLIN_RETURN_IF_ERROR(CheckType(operand, op, IsOrderable));
          }
        }
        return CheckDistinctFirst(condition, op);
      }
      case ConditionKind::kBetween: {
        for (Operand& operand : condition.operands) {
          DUNLIN_RETURN_IF_ERROR(ResolveOperand(operand));
          DUNLIN_RETURN_IF_ERROR(CheckType(operand, "BETWEEN", IsOrderable));
        }
        const Operand& lower = condition.operands[1];
        const Operand& upper = condition.operands[2];
        if (lower.kind == OperandKind::kValue && upper.kind == OperandKind::kValue) {
          const std::string bounds = "lower bound operand: " + DescribeValue(lower.value) +
                                     ", upper bound operand: " + DescribeValue(upper.value);
          if (lower.value.type() != upper.value.type()) {
            return Invalid(
                "The BETWEEN operator requires same data type for lower and upper bounds; " +
                bounds);
          }
          if (OrderValues(lower.value, upper.value).value_or(0) > 0) {
            return Invalid(
                "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                "bound; " +
                bounds);
          }
        }
        return CheckDistinctFirst(condition, "BETWEEN");
      }
      case ConditionKind::kIn:
        for (Operand& operand : condition.operands) DUNLIN_RETURN_IF_ERROR(ResolveOperand(operand));
        return CheckDistinctFirst(condition, "IN");
    }
    return {};
  }

  // An update expression is checked in DynamoDB Local's order:
  //   1. in the order written: reserved words and function names (unknown, or not allowed in
  //      an update); then the functions' operand counts;
  //   2. the actions' target paths, last action first: each path's names, then whether it
  //      overlaps or conflicts with a path written after it (CheckPathPair);
  //   3. the actions' operands, last action first: placeholders, functions' operands, types.
  ExprResult<void> ResolveUpdate(UpdateExpression& update) {
    for (const UpdateAction& action : update.actions) {
      DUNLIN_RETURN_IF_ERROR(CheckReservedWords(action.path));
      if (action.kind != UpdateActionKind::kRemove) {
        DUNLIN_RETURN_IF_ERROR(CheckNamesWritten(action.value));
      }
    }
    for (const UpdateAction& action : update.actions) {
      if (action.kind != UpdateActionKind::kRemove) {
        DUNLIN_RETURN_IF_ERROR(CheckOperandCounts(action.value));
      }
    }
    std::vector<UpdateAction>& actions = update.actions;
    for (size_t k = actions.size(); k-- > 0;) {
      DUNLIN_RETURN_IF_ERROR(ResolvePath(actions[k].path));
      for (size_t j = k + 1; j < actions.size(); ++j) {
        DUNLIN_RETURN_IF_ERROR(CheckPathPair(actions, k, j));
      }
    }
    for (auto action = update.actions.rbegin(); action != update.actions.rend(); ++action) {
      if (action->kind == UpdateActionKind::kRemove) continue;
      DUNLIN_RETURN_IF_ERROR(ResolveOperand(action->value));
      if (action->kind == UpdateActionKind::kSet) continue;
      const AttributeType type = action->value.value.type();
      const bool add = action->kind == UpdateActionKind::kAdd;
      if (IsSet(type) || (add && type == AttributeType::kN)) continue;
      std::string detail = "Incorrect operand type for operator or function; operator: ";
      detail += add ? "ADD" : "DELETE";
      detail += ", operand type: ";
      detail.append(LongTypeName(type));
      detail += add ? ", typeSet: ALLOWED_FOR_ADD_OPERAND" : ", typeSet: ALLOWED_FOR_DELETE_OPERAND";
      return Invalid(detail);
    }
    return {};
  }

  ExprResult<void> CheckReservedWords(const Path& path) const {
    for (const PathElement& element : path) {
      if (!element.is_index() && !element.placeholder && IsReservedWord(element.name)) {
        return Invalid("Attribute name is a reserved keyword; reserved keyword: " + element.name);
      }
    }
    return {};
  }

  const FunctionSpec* FindFunction(std::string_view name) const {
    for (const FunctionSpec& candidate : kFunctions) {
      if (candidate.name == name) return &candidate;
    }
    return nullptr;
  }

  // Step 1 of an update's checks for one operand, in the order written.
  ExprResult<void> CheckNamesWritten(const Operand& operand) const {
    if (operand.kind == OperandKind::kPath) return CheckReservedWords(operand.path);
    if (operand.kind == OperandKind::kFunction) {
      DUNLIN_RETURN_IF_ERROR(AllowedFunction(operand));
    }
    for (const Operand& arg : operand.args) DUNLIN_RETURN_IF_ERROR(CheckNamesWritten(arg));
    return {};
  }

  ExprResult<void> CheckOperandCounts(const Operand& operand) const {
    if (operand.kind == OperandKind::kFunction) {
      if (const FunctionSpec* spec = FindFunction(operand.text)) {
        DUNLIN_RETURN_IF_ERROR(CheckOperandCount(operand, *spec));
      }
    }
    for (const Operand& arg : operand.args) DUNLIN_RETURN_IF_ERROR(CheckOperandCounts(arg));
    return {};
  }

  // The target paths of actions k and j (k < j, in the order written). DynamoDB Local names
  // path k first; for a conflict the other path of the pair, for an overlap the path written
  // right after path k (not necessarily the other path of the pair).
  ExprResult<void> CheckPathPair(const std::vector<UpdateAction>& actions, size_t k,
                                 size_t j) const {
    const PathRelation relation = Relate(actions[k].path, actions[j].path);
    if (relation == PathRelation::kIndependent) return {};
    const bool overlap = relation == PathRelation::kOverlap;
    std::string detail = overlap ? "Two document paths overlap with each other; "
                                 : "Two document paths conflict with each other; ";
    detail += "must remove or rewrite one of these paths; path one: " +
              FormatPath(actions[k].path) +
              ", path two: " + FormatPath(actions[overlap ? k + 1 : j].path);
    return Invalid(detail);
  }

  // A projection's paths in DynamoDB Local's order: reserved words in the order written; then
  // the paths from the last to the first, each resolved (its placeholders) and added to a tree
  // of the paths added before it (ProjectionTree), which finds the first overlap or conflict.
  ExprResult<void> ResolveProjectionPaths(std::vector<Path>& paths) {
    for (const Path& path : paths) DUNLIN_RETURN_IF_ERROR(CheckReservedWords(path));
    ProjectionTree tree(paths);
    for (size_t i = paths.size(); i-- > 0;) {
      DUNLIN_RETURN_IF_ERROR(ResolvePath(paths[i]));
      if (auto clash = tree.Add(i)) {
        std::string detail = clash->conflict ? "Two document paths conflict with each other; "
                                             : "Two document paths overlap with each other; ";
        detail += "must remove or rewrite one of these paths; path one: " +
                  FormatPath(paths[i]) + ", path two: " + FormatPath(paths[clash->other]);
        return Invalid(detail);
      }
    }
    return {};
  }

 private:
  ExpressionKind kind_;
  ExpressionAttributes& attributes_;
};

}  // namespace

std::string FormatPath(const Path& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ", ";
    if (path[i].is_index()) {
      out += "[" + std::to_string(path[i].index) + "]";
    } else {
      out += path[i].name;
    }
  }
  out += "]";
  return out;
}

const char* CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "";
}

std::string DescribeValue(const model::AttributeValue& value) {
  std::string out = "AttributeValue: {";
  out.append(model::AttributeTypeName(value.type()));
  out += ':';
  switch (value.type()) {
    case AttributeType::kS: out += value.as_string(); break;
    case AttributeType::kN: out += value.as_number().ToString(); break;
    case AttributeType::kB: {
      // DynamoDB Local prints the Java ByteBuffer.
      const std::string size = std::to_string(value.as_binary().size());
      out += "java.nio.HeapByteBuffer[pos=0 lim=" + size + " cap=" + size + "]";
      break;
    }
    default: break;
  }
  out += '}';
  return out;
}

ExprResult<void> ExpressionAttributes::Validate() const {
  if (names_ != nullptr && names_->empty()) {
    return Fail(ExpressionError{"ExpressionAttributeNames must not be empty"});
  }
  if (values_ != nullptr && values_->empty()) {
    return Fail(ExpressionError{"ExpressionAttributeValues must not be empty"});
  }
  if (names_ != nullptr) {
    for (const auto& [key, name] : *names_) {
      if (!IsValidPlaceholder(key, '#')) {
        return Fail(ExpressionError{
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\""});
      }
      if (name.empty()) {
        return Fail(ExpressionError{
            "ExpressionAttributeNames contains invalid value: Empty attribute name for key " +
            key});
      }
      if (name.size() > kMaxAttributeNameBytes) {
        return Fail(ExpressionError{
            "ExpressionAttributeNames contains invalid value: Attribute name is too large, must "
            "be less than 65536 bytes for key " +
            key});
      }
    }
  }
  if (values_ != nullptr) {
    for (const auto& entry : *values_) {
      if (!IsValidPlaceholder(entry.first, ':')) {
        return Fail(ExpressionError{
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" +
            entry.first + "\""});
      }
    }
  }
  return {};
}

const std::string* ExpressionAttributes::Name(std::string_view placeholder) {
  if (names_ == nullptr) return nullptr;
  auto it = names_->find(placeholder);
  if (it == names_->end()) return nullptr;
  used_names_.emplace(placeholder);
  return &it->second;
}

const model::AttributeValue* ExpressionAttributes::Value(std::string_view placeholder) {
  if (values_ == nullptr) return nullptr;
  auto it = values_->find(placeholder);
  if (it == values_->end()) return nullptr;
  used_values_.emplace(placeholder);
  return &it->second;
}

ExprResult<void> ExpressionAttributes::CheckAllUsed(
    std::span<const std::string_view> name_order,
    std::span<const std::string_view> value_order) const {
  auto check = [](const auto* map, const std::set<std::string, std::less<>>& used,
                  std::span<const std::string_view> order,
                  std::string_view parameter) -> ExprResult<void> {
    if (map == nullptr) return {};
    std::vector<std::string_view> keys;
    if (order.size() == map->size()) {
      keys.assign(order.begin(), order.end());
    } else {
      for (const auto& entry : *map) keys.push_back(entry.first);
    }
    std::erase_if(keys, [&](std::string_view key) { return used.count(key) != 0; });
    if (keys.empty()) return {};
    // DynamoDB Local lists them as a Java HashSet iterates that is filled from a HashMap of
    // the map's placeholders in request order: by bucket in the set, then by bucket in the
    // map, then in request order (common/java_hash.h).
    const size_t set_capacity = JavaDefaultCapacity(keys.size());
    const size_t map_capacity = JavaDefaultCapacity(map->size());
    auto place = [&](std::string_view key) {
      return std::pair(JavaHashBucket(key, set_capacity), JavaHashBucket(key, map_capacity));
    };
    std::stable_sort(keys.begin(), keys.end(),
                     [&](std::string_view a, std::string_view b) { return place(a) < place(b); });
    std::string message = "Value provided in ";
    message.append(parameter);
    message += " unused in expressions: keys: {";
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) message += ", ";
      message.append(keys[i]);
    }
    message += "}";
    return Fail(ExpressionError{std::move(message)});
  };
  DUNLIN_RETURN_IF_ERROR(check(names_, used_names_, name_order, "ExpressionAttributeNames"));
  return check(values_, used_values_, value_order, "ExpressionAttributeValues");
}

ExprResult<Condition> ResolveCondition(Condition parsed, ExpressionKind kind,
                                       ExpressionAttributes& attributes) {
  Resolver resolver(kind, attributes);
  DUNLIN_RETURN_IF_ERROR(resolver.ResolveCondition(parsed));
  return parsed;
}

ExprResult<UpdateExpression> ResolveUpdate(UpdateExpression parsed,
                                           ExpressionAttributes& attributes) {
  Resolver resolver(ExpressionKind::kUpdate, attributes);
  DUNLIN_RETURN_IF_ERROR(resolver.ResolveUpdate(parsed));
  return parsed;
}

ExprResult<ProjectionExpression> ResolveProjection(ProjectionExpression parsed,
                                                   ExpressionAttributes& attributes) {
  Resolver resolver(ExpressionKind::kProjection, attributes);
  DUNLIN_RETURN_IF_ERROR(resolver.ResolveProjectionPaths(parsed.paths));
  return parsed;
}

ExprResult<Condition> ParseCondition(std::string_view text, ExpressionKind kind,
                                     ExpressionAttributes& attributes) {
  DUNLIN_ASSIGN_OR_RETURN(Condition condition, ParseConditionSyntax(text, kind));
  return ResolveCondition(std::move(condition), kind, attributes);
}

ExprResult<UpdateExpression> ParseUpdate(std::string_view text, ExpressionAttributes& attributes) {
  DUNLIN_ASSIGN_OR_RETURN(UpdateExpression update, ParseUpdateSyntax(text));
  return ResolveUpdate(std::move(update), attributes);
}

ExprResult<ProjectionExpression> ParseProjection(std::string_view text,
                                                 ExpressionAttributes& attributes) {
  DUNLIN_ASSIGN_OR_RETURN(ProjectionExpression projection, ParseProjectionSyntax(text));
  return ResolveProjection(std::move(projection), attributes);
}

}  // namespace dunlin::expressions
