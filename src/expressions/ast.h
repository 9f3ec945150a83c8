// The expression AST: document paths, operands, conditions, update actions.
//
// The parser (parser.h) builds it with placeholders still as written ("#n", ":v"); resolution
// (resolve.h) replaces them with attribute names and copies of the values, so an evaluated AST
// is self-contained and does not point into the request.
//
// Thread-safety: plain value types; a resolved AST may be shared read-only between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/attribute_value.h"

namespace dunlin::expressions {

// One step of a document path: a map key / top-level attribute name, or a list index.
struct PathElement {
  std::string name;          // empty for an index
  int64_t index = -1;        // >= 0 for a list index
  bool placeholder = false;  // name is an unresolved "#name" (parser output only)
  uint32_t offset = 0;       // where the step starts in the expression text

  bool is_index() const { return index >= 0; }
  friend bool operator==(const PathElement& a, const PathElement& b) {
    return a.name == b.name && a.index == b.index;
  }
};

using Path = std::vector<PathElement>;

// DynamoDB's rendering of a path in messages: "[a, b, [0]]".
std::string FormatPath(const Path& path);

enum class OperandKind : uint8_t {
  kPath,
  kValue,
  kFunction,  // parser output; resolution turns it into one of the kinds below
  kSize,
  kIfNotExists,
  kListAppend,
  kAttributeExists,
  kAttributeNotExists,
  kAttributeType,
  kBeginsWith,
  kContains,
  kPlus,
  kMinus,
};

struct Operand {
  OperandKind kind = OperandKind::kPath;
  Path path;                    // kPath
  std::string text;             // kValue: ":name"; kFunction: the function name as written
  model::AttributeValue value;  // kValue once resolved
  std::vector<Operand> args;    // functions and + / -
  uint32_t offset = 0;
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

// "=", "<>", "<", "<=", ">", ">=".
const char* CompareOpText(CompareOp op);

enum class ConditionKind : uint8_t { kCompare, kBetween, kIn, kAnd, kOr, kNot, kFunction };

struct Condition {
  ConditionKind kind = ConditionKind::kCompare;
  CompareOp op = CompareOp::kEq;
  // kCompare: 2; kBetween: subject, lower, upper; kIn: subject then the list; kFunction: the
  // call (one operand of a function kind).
  std::vector<Operand> operands;
  std::vector<Condition> children;  // kAnd / kOr: 2; kNot: 1
};

enum class UpdateActionKind : uint8_t { kSet, kRemove, kAdd, kDelete };

struct UpdateAction {
  UpdateActionKind kind = UpdateActionKind::kSet;
  Path path;
  Operand value;  // unused for kRemove
};

struct UpdateExpression {
  std::vector<UpdateAction> actions;  // in the order written
};

struct ProjectionExpression {
  std::vector<Path> paths;
};

}  // namespace dunlin::expressions
