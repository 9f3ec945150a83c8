#include "expressions/lexer.h"

#include <cctype>

namespace dunlin::expressions {
namespace {

// An identifier starts with a letter: DynamoDB Local rejects "_a" with "token: \"_\"".
bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

TokenType KeywordOrIdentifier(std::string_view word) {
  struct Keyword {
    std::string_view text;
    TokenType type;
  };
  static constexpr Keyword kKeywords[] = {
      {"AND", TokenType::kAnd},       {"OR", TokenType::kOr},         {"NOT", TokenType::kNot},
      {"BETWEEN", TokenType::kBetween}, {"IN", TokenType::kIn},       {"SET", TokenType::kSet},
      {"REMOVE", TokenType::kRemove}, {"ADD", TokenType::kAdd},       {"DELETE", TokenType::kDelete},
  };
  for (const Keyword& keyword : kKeywords) {
    if (EqualsIgnoreCase(word, keyword.text)) return keyword.type;
  }
  return TokenType::kIdentifier;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = text.size();
  auto push = [&](TokenType type, size_t begin, size_t end) {
    tokens.push_back(Token{type, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
  };
  while (i < n) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    const size_t begin = i;
    if (IsIdentStart(c)) {
      while (i < n && IsIdentChar(text[i])) ++i;
      push(KeywordOrIdentifier(text.substr(begin, i - begin)), begin, i);
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      // "0" or a digit string without a leading zero: "[00]" is the tokens "0" "0".
      if (c == '0') {
        ++i;
      } else {
        while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      }
      push(TokenType::kNumber, begin, i);
      continue;
    }
    if ((c == '#' || c == ':') && i + 1 < n && IsIdentChar(text[i + 1])) {
      ++i;
      while (i < n && IsIdentChar(text[i])) ++i;
      push(c == '#' ? TokenType::kNamePlaceholder : TokenType::kValuePlaceholder, begin, i);
      continue;
    }
    const char next = i + 1 < n ? text[i + 1] : '\0';
    TokenType type = TokenType::kUnknown;
    size_t length = 1;
    switch (c) {
      case '=': type = TokenType::kEq; break;
      case '<':
        if (next == '>') {
          type = TokenType::kNe;
          length = 2;
        } else if (next == '=') {
          type = TokenType::kLe;
          length = 2;
        } else {
          type = TokenType::kLt;
        }
        break;
      case '>':
        if (next == '=') {
          type = TokenType::kGe;
          length = 2;
        } else {
          type = TokenType::kGt;
        }
        break;
      case '(': type = TokenType::kLeftParen; break;
      case ')': type = TokenType::kRightParen; break;
      case '[': type = TokenType::kLeftBracket; break;
      case ']': type = TokenType::kRightBracket; break;
      case ',': type = TokenType::kComma; break;
      case '.': type = TokenType::kDot; break;
      case '+': type = TokenType::kPlus; break;
      case '-': type = TokenType::kMinus; break;
      default: {
        // One whole UTF-8 character, so that messages never split one.
        const auto lead = static_cast<unsigned char>(c);
        if (lead >= 0xC0) {
          while (begin + length < n &&
                 (static_cast<unsigned char>(text[begin + length]) & 0xC0) == 0x80) {
            ++length;
          }
        }
        break;
      }
    }
    i += length;
    push(type, begin, i);
  }
  push(TokenType::kEof, n, n);
  return tokens;
}

}  // namespace dunlin::expressions
