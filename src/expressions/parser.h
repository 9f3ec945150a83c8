// The recursive-descent parser: expression text to an unresolved AST (ast.h).
//
// Grammar (DynamoDB's, from the Developer Guide pages "Condition and filter expressions,
// operators, and functions", "Update expressions" and "Projection expressions"):
//
//   condition  := or
//   or         := and (OR and)*
//   and        := not (AND not)*
//   not        := NOT not | primary
//   primary    := '(' condition ')' | operand comparator operand
//               | operand BETWEEN operand AND operand | operand IN '(' operand (',' operand)* ')'
//               | function-call
//   operand    := path | ':value' | function-call | '(' operand ')'
//   path       := (identifier | '#name') ('.' (identifier | '#name') | '[' digits ']')*
//   update     := (SET set (',' set)* | REMOVE path (',' path)* | ADD path ':value' (',' ...)*
//                  | DELETE path ':value' (',' ...)*)+
//   set        := path '=' value ;  value := first (('+' | '-') term)?
//   first      := term | '(' value ')'  (nothing follows a parenthesized arithmetic value)
//   term       := path | ':value' | function-call | '(' term ')'
//                 (arithmetic never nests: ":v + (:v + :v)" is a syntax error)
//   projection := path (',' path)*
//
// Parsing checks syntax, the size limit, redundant parentheses, the operator count and path
// depth; placeholders stay unresolved. Syntax errors carry DynamoDB's shape:
//   Syntax error; token: "<t>", near: "<previous token .. next token>"
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "expressions/ast.h"
#include "expressions/expression_error.h"

namespace dunlin::expressions {

// Expression strings longer than this are rejected ("Service, account, and table quotas",
// Expression parameters: "The maximum length of any expression string is 4 KB"). DynamoDB Local
// counts characters rather than UTF-8 bytes, and so do we.
inline constexpr size_t kMaxExpressionCharacters = 4096;
// At most this many operators and functions in one expression (DynamoDB Local counts and stops
// at the 301st).
inline constexpr int kMaxOperators = 300;
// A document path has at most this many steps.
inline constexpr size_t kMaxPathDepth = 32;
// Parentheses nest at most this deep before parsing stops (a bound on recursion; any deeper
// nesting is an error anyway, see parser.cc).
inline constexpr int kMaxParenthesisDepth = 512;
// IN takes at most this many operands after the subject.
inline constexpr size_t kMaxInOperands = 100;

// `kind` is kCondition, kFilter or kKeyCondition; it only names the expression in messages.
ExprResult<Condition> ParseConditionSyntax(std::string_view text, ExpressionKind kind);
ExprResult<UpdateExpression> ParseUpdateSyntax(std::string_view text);
ExprResult<ProjectionExpression> ParseProjectionSyntax(std::string_view text);

}  // namespace dunlin::expressions
