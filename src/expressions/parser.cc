#include "expressions/parser.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "expressions/lexer.h"

namespace dunlin::expressions {
namespace {

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

std::optional<CompareOp> ComparatorOf(TokenType type) {
  switch (type) {
    case TokenType::kEq: return CompareOp::kEq;
    case TokenType::kNe: return CompareOp::kNe;
    case TokenType::kLt: return CompareOp::kLt;
    case TokenType::kLe: return CompareOp::kLe;
    case TokenType::kGt: return CompareOp::kGt;
    case TokenType::kGe: return CompareOp::kGe;
    default: return std::nullopt;
  }
}

class Parser {
 public:
  Parser(std::string_view text, ExpressionKind kind)
      : text_(text), kind_(kind), tokens_(Tokenize(text)) {}

  ExprResult<void> CheckText() {
    if (IsBlank(text_)) return Fail(InvalidExpression(kind_, "The expression can not be empty;"));
    // DynamoDB counts characters, not bytes; condition-like expressions also print the size.
    size_t characters = 0;
    for (char c : text_) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (characters > kMaxExpressionCharacters) {
      std::string detail = "Expression size has exceeded the maximum allowed size;";
      if (kind_ != ExpressionKind::kUpdate && kind_ != ExpressionKind::kProjection) {
        detail += " expression size: " + std::to_string(characters);
      }
      return Fail(InvalidExpression(kind_, detail));
    }
    return {};
  }

  ExprResult<Condition> ParseWholeCondition() {
    DUNLIN_ASSIGN_OR_RETURN(Condition condition, ParseOr());
    if (Peek() != TokenType::kEof) return SyntaxError();
    return condition;
  }

  ExprResult<UpdateExpression> ParseWholeUpdate() {
    UpdateExpression update;
    int seen[4] = {0, 0, 0, 0};
    const char* names[4] = {"SET", "REMOVE", "ADD", "DELETE"};
    int repeated = -1;
    do {
      UpdateActionKind kind;
      switch (Peek()) {
        case TokenType::kSet: kind = UpdateActionKind::kSet; break;
        case TokenType::kRemove: kind = UpdateActionKind::kRemove; break;
        case TokenType::kAdd: kind = UpdateActionKind::kAdd; break;
        case TokenType::kDelete: kind = UpdateActionKind::kDelete; break;
        default: return SyntaxError();
      }
      const int clause = static_cast<int>(kind);
      if (seen[clause]++ == 1 && repeated < 0) repeated = clause;
      ++pos_;
      while (true) {
        UpdateAction action;
        action.kind = kind;
        DUNLIN_ASSIGN_OR_RETURN(action.path, ParsePath());
        if (kind == UpdateActionKind::kSet) {
          if (Peek() != TokenType::kEq) return SyntaxError();
          ++pos_;
          DUNLIN_ASSIGN_OR_RETURN(action.value, ParseSetValue());
        } else if (kind != UpdateActionKind::kRemove) {
          if (Peek() != TokenType::kValuePlaceholder) return SyntaxError();
          action.value = ValueOperand();
        }
        update.actions.push_back(std::move(action));
        if (Peek() != TokenType::kComma) break;
        ++pos_;
      }
    } while (Peek() != TokenType::kEof);
    if (repeated >= 0) {
      return Fail(InvalidExpression(
          kind_, std::string("The \"") + names[repeated] +
                     "\" section can only be used once in an update expression;"));
    }
    return update;
  }

  ExprResult<ProjectionExpression> ParseWholeProjection() {
    ProjectionExpression projection;
    while (true) {
      DUNLIN_ASSIGN_OR_RETURN(Path path, ParsePath());
      projection.paths.push_back(std::move(path));
      if (Peek() != TokenType::kComma) break;
      ++pos_;
    }
    if (Peek() != TokenType::kEof) return SyntaxError();
    return projection;
  }

 private:
  TokenType Peek(size_t ahead = 0) const {
    const size_t at = pos_ + ahead;
    return at < tokens_.size() ? tokens_[at].type : TokenType::kEof;
  }
  std::string_view TokenText(const Token& token) const {
    return text_.substr(token.begin, token.end - token.begin);
  }

  // DynamoDB's syntax error at the current token: the token, and the text from the previous
  // token through the next one.
  Unexpected<ExpressionError> SyntaxError() const {
    const Token& token = tokens_[pos_];
    const size_t begin = pos_ > 0 ? tokens_[pos_ - 1].begin : token.begin;
    size_t end = token.end;
    if (token.type != TokenType::kEof && pos_ + 1 < tokens_.size() &&
        tokens_[pos_ + 1].type != TokenType::kEof) {
      end = tokens_[pos_ + 1].end;
    }
    const std::string_view shown =
        token.type == TokenType::kEof ? std::string_view("<EOF>") : TokenText(token);
    std::string detail = "Syntax error; token: \"";
    detail.append(shown);
    detail += "\", near: \"";
    detail.append(text_.substr(begin, end - begin));
    detail += '"';
    return Fail(InvalidExpression(kind_, detail));
  }

  ExprResult<void> CountOperator() {
    if (++operators_ > kMaxOperators) {
      return Fail(InvalidExpression(
          kind_, "The expression contains too many operators; operator count: " +
                     std::to_string(operators_)));
    }
    return {};
  }

  // Parentheses nest at most kMaxParenthesisDepth deep before the parser stops recursing (a
  // bounded stack whatever the input). Deeper nesting is always an error in DynamoDB: each
  // non-redundant level needs an operator, and there are at most kMaxOperators. Without
  // parsing further, the error is approximated from a scan of the whole token stream, in text
  // order as DynamoDB reports them: an unknown character is a syntax error and a pair of
  // parentheses directly inside another, "((...))", is redundant, whichever comes first; then a
  // missing ")" is a syntax error at the end; anything else is reported as redundant.
  Unexpected<ExpressionError> TooDeep() {
    too_deep_ = true;
    std::vector<size_t> open;  // token indexes of the unmatched "("
    size_t last_open = SIZE_MAX;  // the "(" matched by the previous ")"
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const TokenType type = tokens_[i].type;
      if (type == TokenType::kUnknown) {
        pos_ = i;
        return SyntaxError();
      }
      if (type == TokenType::kLeftParen) open.push_back(i);
      if (type == TokenType::kRightParen && !open.empty()) {
        const size_t match = open.back();
        open.pop_back();
        if (tokens_[i - 1].type == TokenType::kRightParen && last_open == match + 1) {
          pos_ = tokens_.size() - 1;
          return RedundantParentheses();
        }
        last_open = match;
      }
    }
    pos_ = tokens_.size() - 1;  // the end, so that no fallback parse reports an earlier error
    if (!open.empty()) return SyntaxError();
    return RedundantParentheses();
  }

  // Counts one level of parentheses for the lifetime of the guard.
  class DepthGuard {
   public:
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    bool too_deep() const { return depth_ > kMaxParenthesisDepth; }

   private:
    int& depth_;
  };

  Unexpected<ExpressionError> RedundantParentheses() const {
    return Fail(InvalidExpression(kind_, "The expression has redundant parentheses;"));
  }

  ExprResult<Condition> ParseOr() {
    DUNLIN_ASSIGN_OR_RETURN(Condition left, ParseAnd());
    while (Peek() == TokenType::kOr) {
      ++pos_;
      DUNLIN_RETURN_IF_ERROR(CountOperator());
      DUNLIN_ASSIGN_OR_RETURN(Condition right, ParseAnd());
      left = Combine(ConditionKind::kOr, std::move(left), std::move(right));
    }
    return left;
  }

  ExprResult<Condition> ParseAnd() {
    DUNLIN_ASSIGN_OR_RETURN(Condition left, ParseNot());
    while (Peek() == TokenType::kAnd) {
      ++pos_;
      DUNLIN_RETURN_IF_ERROR(CountOperator());
      DUNLIN_ASSIGN_OR_RETURN(Condition right, ParseNot());
      left = Combine(ConditionKind::kAnd, std::move(left), std::move(right));
    }
    return left;
  }

  static Condition Combine(ConditionKind kind, Condition left, Condition right) {
    Condition combined;
    combined.kind = kind;
    combined.children.reserve(2);
    combined.children.push_back(std::move(left));
    combined.children.push_back(std::move(right));
    return combined;
  }

  ExprResult<Condition> ParseNot() {
    if (Peek() != TokenType::kNot) return ParsePrimary();
    ++pos_;
    DUNLIN_RETURN_IF_ERROR(CountOperator());
    DUNLIN_ASSIGN_OR_RETURN(Condition child, ParseNot());
    Condition negated;
    negated.kind = ConditionKind::kNot;
    negated.children.push_back(std::move(child));
    return negated;
  }

  ExprResult<Condition> ParsePrimary() {
    if (Peek() == TokenType::kLeftParen) {
      DepthGuard guard(depth_);
      if (guard.too_deep()) return TooDeep();
      // Either a parenthesized condition or a parenthesized operand ("(a) = :v"); try the
      // condition first and fall back, keeping the error that got further.
      const size_t start = pos_;
      const int operators = operators_;
      ++pos_;
      auto inner = ParseOr();
      if (inner.ok() && Peek() == TokenType::kRightParen) {
        // "((c))": the inner condition is itself exactly one parenthesized condition.
        const bool redundant = paren_open_ == start + 1 && paren_close_ == pos_ - 1;
        paren_open_ = start;
        paren_close_ = pos_;
        ++pos_;
        if (redundant) return RedundantParentheses();
        return inner;
      }
      if (too_deep_) return inner;  // the error stands; do not retry every level
      const size_t failed_at = pos_;
      auto condition_error = inner.ok() ? SyntaxError() : Fail(std::move(inner).error());
      pos_ = start;
      operators_ = operators;
      auto comparison = ParseComparison();
      if (comparison.ok()) return comparison;
      if (pos_ >= failed_at) return comparison;
      pos_ = failed_at;  // so that enclosing attempts compare against the right position
      return condition_error;
    }
    return ParseComparison();
  }

  ExprResult<Condition> ParseComparison() {
    DUNLIN_ASSIGN_OR_RETURN(Operand left, ParseConditionOperand());
    Condition condition;
    if (auto op = ComparatorOf(Peek())) {
      ++pos_;
      DUNLIN_RETURN_IF_ERROR(CountOperator());
      DUNLIN_ASSIGN_OR_RETURN(Operand right, ParseConditionOperand());
      condition.kind = ConditionKind::kCompare;
      condition.op = *op;
      condition.operands.reserve(2);
      condition.operands.push_back(std::move(left));
      condition.operands.push_back(std::move(right));
      return condition;
    }
    if (Peek() == TokenType::kBetween) {
      ++pos_;
      DUNLIN_RETURN_IF_ERROR(CountOperator());
      DUNLIN_ASSIGN_OR_RETURN(Operand lower, ParseConditionOperand());
      if (Peek() != TokenType::kAnd) return SyntaxError();
      ++pos_;
      DUNLIN_ASSIGN_OR_RETURN(Operand upper, ParseConditionOperand());
      condition.kind = ConditionKind::kBetween;
      condition.operands.reserve(3);
      condition.operands.push_back(std::move(left));
      condition.operands.push_back(std::move(lower));
      condition.operands.push_back(std::move(upper));
      return condition;
    }
    if (Peek() == TokenType::kIn) {
      ++pos_;
      DUNLIN_RETURN_IF_ERROR(CountOperator());
      if (Peek() != TokenType::kLeftParen) return SyntaxError();
      ++pos_;
      condition.kind = ConditionKind::kIn;
      condition.operands.push_back(std::move(left));
      while (true) {
        DUNLIN_ASSIGN_OR_RETURN(Operand item, ParseConditionOperand());
        condition.operands.push_back(std::move(item));
        if (Peek() != TokenType::kComma) break;
        ++pos_;
      }
      if (Peek() != TokenType::kRightParen) return SyntaxError();
      ++pos_;
      if (condition.operands.size() - 1 > kMaxInOperands) {
        return Fail(InvalidExpression(
            kind_, "The IN operator is provided with too many operands; number of operands: " +
                       std::to_string(condition.operands.size() - 1)));
      }
      return condition;
    }
    if (left.kind == OperandKind::kFunction) {
      condition.kind = ConditionKind::kFunction;
      condition.operands.push_back(std::move(left));
      return condition;
    }
    return SyntaxError();
  }

  // operand := path | ':value' | function-call | '(' operand ')'
  ExprResult<Operand> ParseConditionOperand() {
    if (Peek() == TokenType::kLeftParen) {
      DepthGuard guard(depth_);
      if (guard.too_deep()) return TooDeep();
      ++pos_;
      const bool nested = Peek() == TokenType::kLeftParen;
      DUNLIN_ASSIGN_OR_RETURN(Operand inner, ParseConditionOperand());
      if (Peek() != TokenType::kRightParen) return SyntaxError();
      ++pos_;
      if (nested && tokens_[pos_ - 2].type == TokenType::kRightParen) return RedundantParentheses();
      return inner;
    }
    return ParseTerm(/*update=*/false);
  }

  // A path, a value placeholder or a function call. In updates, function arguments may be
  // parenthesized values; in conditions, operands.
  ExprResult<Operand> ParseTerm(bool update) {
    if (Peek() == TokenType::kValuePlaceholder) return ValueOperand();
    if (Peek() == TokenType::kIdentifier && Peek(1) == TokenType::kLeftParen) {
      Operand call;
      call.kind = OperandKind::kFunction;
      call.offset = tokens_[pos_].begin;
      call.text = std::string(TokenText(tokens_[pos_]));
      pos_ += 2;
      DUNLIN_RETURN_IF_ERROR(CountOperator());
      while (true) {
        if (update) {
          DUNLIN_ASSIGN_OR_RETURN(Operand arg, ParseUpdateTerm(/*arithmetic=*/false));
          call.args.push_back(std::move(arg));
        } else {
          DUNLIN_ASSIGN_OR_RETURN(Operand arg, ParseConditionOperand());
          call.args.push_back(std::move(arg));
        }
        if (Peek() != TokenType::kComma) break;
        ++pos_;
      }
      if (Peek() != TokenType::kRightParen) return SyntaxError();
      ++pos_;
      return call;
    }
    Operand operand;
    operand.kind = OperandKind::kPath;
    operand.offset = tokens_[pos_].begin;
    DUNLIN_ASSIGN_OR_RETURN(operand.path, ParsePath());
    return operand;
  }

  Operand ValueOperand() {
    Operand value;
    value.kind = OperandKind::kValue;
    value.offset = tokens_[pos_].begin;
    value.text = std::string(TokenText(tokens_[pos_]));
    ++pos_;
    return value;
  }

  // value := term (('+' | '-') term)?, where only the first term may be a parenthesized
  // value; arithmetic nests nowhere else (DynamoDB Local: ":v + (:v + :v)" and
  // "(:v + :v) + :v" are syntax errors at the second operator, "(:v + (:v))" is fine).
  ExprResult<Operand> ParseSetValue() {
    DUNLIN_ASSIGN_OR_RETURN(Operand left, ParseUpdateTerm(/*arithmetic=*/true));
    if (left.kind == OperandKind::kPlus || left.kind == OperandKind::kMinus) return left;
    if (Peek() != TokenType::kPlus && Peek() != TokenType::kMinus) return left;
    Operand arithmetic;
    arithmetic.kind = Peek() == TokenType::kPlus ? OperandKind::kPlus : OperandKind::kMinus;
    arithmetic.offset = tokens_[pos_].begin;
    ++pos_;
    DUNLIN_RETURN_IF_ERROR(CountOperator());
    DUNLIN_ASSIGN_OR_RETURN(Operand right, ParseUpdateTerm(/*arithmetic=*/false));
    arithmetic.args.reserve(2);
    arithmetic.args.push_back(std::move(left));
    arithmetic.args.push_back(std::move(right));
    return arithmetic;
  }

  // term := path | ':value' | function-call | '(' term ')' | '(' value ')' (the last only where
  // `arithmetic` allows it: as the first term of a SET value).
  ExprResult<Operand> ParseUpdateTerm(bool arithmetic) {
    if (Peek() == TokenType::kLeftParen) {
      DepthGuard guard(depth_);
      if (guard.too_deep()) return TooDeep();
      ++pos_;
      const bool nested = Peek() == TokenType::kLeftParen;
      DUNLIN_ASSIGN_OR_RETURN(Operand inner,
                              arithmetic ? ParseSetValue() : ParseUpdateTerm(false));
      if (Peek() != TokenType::kRightParen) return SyntaxError();
      ++pos_;
      if (nested && tokens_[pos_ - 2].type == TokenType::kRightParen) return RedundantParentheses();
      return inner;
    }
    return ParseTerm(/*update=*/true);
  }

  ExprResult<Path> ParsePath() {
    Path path;
    if (Peek() != TokenType::kIdentifier && Peek() != TokenType::kNamePlaceholder) {
      return SyntaxError();
    }
    path.push_back(NameElement());
    while (true) {
      if (Peek() == TokenType::kDot) {
        ++pos_;
        if (Peek() != TokenType::kIdentifier && Peek() != TokenType::kNamePlaceholder) {
          return SyntaxError();
        }
        path.push_back(NameElement());
      } else if (Peek() == TokenType::kLeftBracket) {
        ++pos_;
        if (Peek() != TokenType::kNumber) return SyntaxError();
        PathElement element;
        element.offset = tokens_[pos_].begin;
        element.name = std::string(TokenText(tokens_[pos_]));  // digits, for messages
        element.index = ParseIndex(element.name);
        ++pos_;
        if (Peek() != TokenType::kRightBracket) return SyntaxError();
        ++pos_;
        path.push_back(std::move(element));
      } else {
        break;
      }
    }
    return path;
  }

  // Saturates at INT64_MAX; resolution rejects anything past INT32_MAX.
  static int64_t ParseIndex(std::string_view digits) {
    int64_t value = 0;
    for (char c : digits) {
      if (value > (INT64_MAX - 9) / 10) return INT64_MAX;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  PathElement NameElement() {
    PathElement element;
    element.offset = tokens_[pos_].begin;
    element.placeholder = Peek() == TokenType::kNamePlaceholder;
    element.name = std::string(TokenText(tokens_[pos_]));
    ++pos_;
    return element;
  }

  std::string_view text_;
  ExpressionKind kind_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int operators_ = 0;
  int depth_ = 0;          // parentheses open around the current position
  bool too_deep_ = false;  // TooDeep() decided the outcome
  // Token indexes of the parentheses of the last parenthesized condition parsed.
  size_t paren_open_ = SIZE_MAX;
  size_t paren_close_ = SIZE_MAX;
};

}  // namespace

ExprResult<Condition> ParseConditionSyntax(std::string_view text, ExpressionKind kind) {
  Parser parser(text, kind);
  DUNLIN_RETURN_IF_ERROR(parser.CheckText());
  return parser.ParseWholeCondition();
}

ExprResult<UpdateExpression> ParseUpdateSyntax(std::string_view text) {
  Parser parser(text, ExpressionKind::kUpdate);
  DUNLIN_RETURN_IF_ERROR(parser.CheckText());
  return parser.ParseWholeUpdate();
}

ExprResult<ProjectionExpression> ParseProjectionSyntax(std::string_view text) {
  Parser parser(text, ExpressionKind::kProjection);
  DUNLIN_RETURN_IF_ERROR(parser.CheckText());
  return parser.ParseWholeProjection();
}

}  // namespace dunlin::expressions
