// The expression lexer: splits an expression string into tokens.
//
// Tokens follow DynamoDB's expression grammar: identifiers ([A-Za-z][A-Za-z0-9_]*), the
// keywords AND OR NOT BETWEEN IN SET REMOVE ADD DELETE (any case; they are never attribute
// names), "#name" and ":value" placeholders, unsigned integers without leading zeros (list
// indexes), and the punctuation = <> < <= > >= ( ) [ ] , . + -. Any other character is a one-character kUnknown
// token, which the parser reports as a syntax error, as DynamoDB does.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace dunlin::expressions {

enum class TokenType : uint8_t {
  kIdentifier,
  kNamePlaceholder,   // #name
  kValuePlaceholder,  // :value
  kNumber,
  kAnd,
  kOr,
  kNot,
  kBetween,
  kIn,
  kSet,
  kRemove,
  kAdd,
  kDelete,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kDot,
  kPlus,
  kMinus,
  kUnknown,
  kEof,
};

struct Token {
  TokenType type = TokenType::kEof;
  uint32_t begin = 0;  // byte offsets into the expression text
  uint32_t end = 0;
};

// Splits `text`; the last token is always kEof (begin == end == text.size()).
std::vector<Token> Tokenize(std::string_view text);

}  // namespace dunlin::expressions
