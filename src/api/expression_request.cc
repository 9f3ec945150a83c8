#include "api/expression_request.h"

#include <fmt/format.h>

#include "api/item_request.h"
#include "expressions/expression_cache.h"
#include "model/json_codec.h"

namespace dunlin::api {
namespace {

// Parsed expressions, shared by every request of the process (ARCHITECTURE.md: the AST is
// parsed once per distinct text and resolved per request). Never destroyed, so that requests
// still running at exit do not race its destructor.
expressions::ExpressionCache& ParsedExpressions() {
  static auto* cache = new expressions::ExpressionCache();
  return *cache;
}

}  // namespace

ApiError FromExpression(expressions::ExpressionError error) {
  return ApiError::Validation(std::move(error.message));
}

ApiResult<void> RequestExpressions::Read(const ObjectReader& request, bool uses_expressions,
                                         std::string_view missing) {
  return ReadMembers(request, uses_expressions, missing, /*read_values=*/true);
}

ApiResult<void> RequestExpressions::ReadNamesOnly(const ObjectReader& request,
                                                  bool uses_expressions) {
  return ReadMembers(request, uses_expressions, {}, /*read_values=*/false);
}

ApiResult<void> RequestExpressions::ReadMembers(const ObjectReader& request,
                                                bool uses_expressions, std::string_view missing,
                                                bool read_values) {
  // Placeholders without an expression are an error, but empty maps are accepted (as
  // DynamoDB Local accepts them) and then stand for nothing.
  // Values are not looked at where the operation has none (ReadNamesOnly).
  DUNLIN_RETURN_IF_ERROR(
      CheckNeedsExpression(request, uses_expressions, uses_expressions || !read_values, missing));
  DUNLIN_ASSIGN_OR_RETURN(auto names, request.Object("ExpressionAttributeNames"));
  std::optional<simdjson::dom::object> values;
  if (read_values) {
    DUNLIN_ASSIGN_OR_RETURN(values, request.Object("ExpressionAttributeValues"));
  }
  names_member_ = names;
  values_member_ = values;
  if (names) {
    has_names_ = true;
    for (auto field : *names) {
      DUNLIN_ASSIGN_OR_RETURN(std::string_view name, AsString(field.value));
      names_.emplace(std::string(field.key), std::string(name));
    }
  }
  if (values) {
    has_values_ = true;
    for (auto field : *values) {
      auto value = model::ParseAttributeValue(field.value);
      if (!value.ok()) {
        if (value.error().kind == model::ModelError::Kind::kSerialization) {
          return Fail(FromModel(std::move(value).error()));
        }
        return Fail(ApiError::Validation(
            fmt::format("ExpressionAttributeValues contains invalid value: {} for key {}",
                        value.error().message, field.key)));
      }
      values_.emplace(std::string(field.key), std::move(value).value());
    }
  }
  if (!uses_expressions) {
    has_names_ = false;
    has_values_ = false;
  }
  attributes_.emplace(has_names_ ? &names_ : nullptr, has_values_ ? &values_ : nullptr);
  auto valid = attributes_->Validate();
  if (!valid.ok()) return Fail(FromExpression(std::move(valid).error()));
  return {};
}

ApiResult<void> RequestExpressions::CheckNeedsExpression(const ObjectReader& request,
                                                         bool names_used, bool values_used,
                                                         std::string_view missing) {
  if (!names_used) {
    DUNLIN_ASSIGN_OR_RETURN(auto names, request.Object("ExpressionAttributeNames"));
    if (names && names->size() != 0) {
      return Fail(ApiError::Validation(
          "ExpressionAttributeNames can only be specified when using expressions"));
    }
  }
  if (values_used) return {};
  DUNLIN_ASSIGN_OR_RETURN(auto values, request.Object("ExpressionAttributeValues"));
  if (values && values->size() != 0) {
    return Fail(ApiError::Validation(
        missing.empty()
            ? std::string("ExpressionAttributeValues can only be specified when using "
                          "expressions")
            : fmt::format("ExpressionAttributeValues can only be specified when using "
                          "expressions: {}",
                          missing)));
  }
  return {};
}

ApiResult<std::optional<std::string_view>> RequestExpressions::Text(const ObjectReader& request,
                                                                    std::string_view member) const {
  return request.String(member);
}

ApiResult<std::optional<expressions::Condition>> RequestExpressions::Condition(
    const ObjectReader& request, std::string_view member, expressions::ExpressionKind kind) {
  DUNLIN_ASSIGN_OR_RETURN(auto text, Text(request, member));
  if (!text) return std::optional<expressions::Condition>();
  auto parsed = ParsedExpressions().ParseCondition(*text, kind, *attributes_);
  if (!parsed.ok()) return Fail(FromExpression(std::move(parsed).error()));
  return std::optional<expressions::Condition>(std::move(parsed).value());
}

ApiResult<std::optional<expressions::UpdateExpression>> RequestExpressions::Update(
    const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto text, Text(request, "UpdateExpression"));
  if (!text) return std::optional<expressions::UpdateExpression>();
  auto parsed = ParsedExpressions().ParseUpdate(*text, *attributes_);
  if (!parsed.ok()) return Fail(FromExpression(std::move(parsed).error()));
  return std::optional<expressions::UpdateExpression>(std::move(parsed).value());
}

ApiResult<std::optional<expressions::ProjectionExpression>> RequestExpressions::Projection(
    const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto text, Text(request, "ProjectionExpression"));
  if (!text) return std::optional<expressions::ProjectionExpression>();
  auto parsed = ParsedExpressions().ParseProjection(*text, *attributes_);
  if (!parsed.ok()) return Fail(FromExpression(std::move(parsed).error()));
  return std::optional<expressions::ProjectionExpression>(std::move(parsed).value());
}

ApiResult<void> RequestExpressions::CheckAllUsed() const {
  if (attributes_->CheckAllUsed().ok()) return {};
  // The message lists the keys in an order that depends on the request's order of them.
  auto order = [](const std::optional<simdjson::dom::object>& member) {
    std::vector<std::string_view> keys;
    if (member) {
      for (auto field : *member) keys.push_back(field.key);
    }
    return keys;
  };
  const std::vector<std::string_view> names = order(names_member_);
  const std::vector<std::string_view> values = order(values_member_);
  auto used = attributes_->CheckAllUsed(names, values);
  if (!used.ok()) return Fail(FromExpression(used.error()));
  return {};
}

}  // namespace dunlin::api
