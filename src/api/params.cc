#include "api/params.h"

#include <fmt/format.h>

namespace dunlin::api {
namespace {

// The token names DynamoDB's deserializer prints when a member has the wrong JSON type.
std::string_view TokenName(simdjson::dom::element_type type) {
  using simdjson::dom::element_type;
  switch (type) {
    case element_type::ARRAY:
      return "START_ARRAY";
    case element_type::OBJECT:
      return "START_OBJECT";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "NUMBER_VALUE";
    case element_type::STRING:
      return "STRING_VALUE";
    case element_type::BOOL:
      return "BOOLEAN_VALUE";
    case element_type::NULL_VALUE:
      return "NULL_VALUE";
  }
  return "VALUE";
}

ApiError WrongType(simdjson::dom::element element, std::string_view wanted) {
  return ApiError::Serialization(
      fmt::format("{} cannot be converted to {}", TokenName(element.type()), wanted));
}

bool IsNull(simdjson::dom::element element) {
  return element.type() == simdjson::dom::element_type::NULL_VALUE;
}

}  // namespace

bool ObjectReader::Has(std::string_view member) const {
  auto element = Element(member);
  return element.has_value() && !IsNull(*element);
}

std::optional<simdjson::dom::element> ObjectReader::Element(std::string_view member) const {
  simdjson::dom::element element;
  if (object_.at_key(member).get(element) != simdjson::SUCCESS) return std::nullopt;
  return element;
}

ApiResult<std::optional<std::string_view>> ObjectReader::String(std::string_view member) const {
  auto element = Element(member);
  if (!element || IsNull(*element)) return std::optional<std::string_view>();
  std::string_view value;
  if (element->get(value) != simdjson::SUCCESS) return Fail(WrongType(*element, "String"));
  return std::optional<std::string_view>(value);
}

ApiResult<std::optional<int64_t>> ObjectReader::Int(std::string_view member) const {
  auto element = Element(member);
  if (!element || IsNull(*element)) return std::optional<int64_t>();
  int64_t value = 0;
  if (element->get(value) != simdjson::SUCCESS) {
    return Fail(WrongType(*element, "Long"));
  }
  return std::optional<int64_t>(value);
}

ApiResult<std::optional<bool>> ObjectReader::Bool(std::string_view member) const {
  auto element = Element(member);
  if (!element || IsNull(*element)) return std::optional<bool>();
  bool value = false;
  if (element->get(value) != simdjson::SUCCESS) return Fail(WrongType(*element, "Boolean"));
  return std::optional<bool>(value);
}

ApiResult<std::optional<simdjson::dom::object>> ObjectReader::Object(
    std::string_view member) const {
  auto element = Element(member);
  if (!element || IsNull(*element)) return std::optional<simdjson::dom::object>();
  simdjson::dom::object value;
  if (element->get(value) != simdjson::SUCCESS) {
    return Fail(ApiError::Serialization(fmt::format(
        "Unexpected token {} where a structure was expected", TokenName(element->type()))));
  }
  return std::optional<simdjson::dom::object>(value);
}

ApiResult<std::optional<simdjson::dom::array>> ObjectReader::Array(std::string_view member) const {
  auto element = Element(member);
  if (!element || IsNull(*element)) return std::optional<simdjson::dom::array>();
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::array value, AsArray(*element));
  return std::optional<simdjson::dom::array>(value);
}

ApiResult<simdjson::dom::object> AsObject(simdjson::dom::element element) {
  simdjson::dom::object value;
  if (element.get(value) != simdjson::SUCCESS) {
    return Fail(ApiError::Serialization(fmt::format(
        "Unexpected token {} where a structure was expected", TokenName(element.type()))));
  }
  return value;
}

ApiResult<simdjson::dom::array> AsArray(simdjson::dom::element element) {
  simdjson::dom::array value;
  if (element.get(value) != simdjson::SUCCESS) {
    return Fail(ApiError::Serialization(
        fmt::format("Unexpected token {} where a list was expected", TokenName(element.type()))));
  }
  return value;
}

ApiResult<std::string_view> AsString(simdjson::dom::element element) {
  std::string_view value;
  if (element.get(value) != simdjson::SUCCESS) return Fail(WrongType(element, "String"));
  return value;
}

void Violations::Null(std::string_view path) {
  Add(fmt::format("Value null at '{}' failed to satisfy constraint: Member must not be null",
                  path));
}

void Violations::NotInEnum(std::string_view value, std::string_view path,
                           std::string_view allowed) {
  Add(fmt::format(
      "Value '{}' at '{}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
      value, path, allowed));
}

void Violations::MinLength(std::string_view shown, std::string_view path, int64_t min) {
  Add(fmt::format(
      "Value '{}' at '{}' failed to satisfy constraint: Member must have length greater than or "
      "equal to {}",
      shown, path, min));
}

void Violations::MaxLength(std::string_view shown, std::string_view path, int64_t max) {
  Add(fmt::format(
      "Value '{}' at '{}' failed to satisfy constraint: Member must have length less than or "
      "equal to {}",
      shown, path, max));
}

void Violations::MinValue(int64_t value, std::string_view path, int64_t min) {
  Add(fmt::format(
      "Value '{}' at '{}' failed to satisfy constraint: Member must have value greater than or "
      "equal to {}",
      value, path, min));
}

void Violations::MaxValue(int64_t value, std::string_view path, int64_t max) {
  Add(fmt::format(
      "Value '{}' at '{}' failed to satisfy constraint: Member must have value less than or "
      "equal to {}",
      value, path, max));
}

ApiResult<void> Violations::Check() const {
  if (messages_.empty()) return {};
  return Fail(ApiError::Validation(fmt::format("{} validation error{} detected: {}",
                                               messages_.size(), messages_.size() == 1 ? "" : "s",
                                               fmt::join(messages_, "; "))));
}

bool CheckEnum(Violations& violations, std::string_view value, std::string_view path,
               std::initializer_list<std::string_view> allowed) {
  for (std::string_view candidate : allowed) {
    if (candidate == value) return true;
  }
  violations.NotInEnum(value, path, fmt::format("{}", fmt::join(allowed, ", ")));
  return false;
}

std::optional<ApiError> ValidateTableName(std::string_view name) {
  bool valid = name.size() >= 3 && name.size() <= 255;
  for (char c : name) {
    if (!valid) break;
    valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '-' || c == '.';
  }
  if (valid) return std::nullopt;
  return ApiError::Validation(
      "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, "
      "and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'");
}

ApiResult<std::string> ReadTableName(const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto name, request.String("TableName"));
  if (!name) {
    // DynamoDB reports a missing TableName on its own, without the violation count.
    return Fail(ApiError::Validation(
        "Value null at 'tableName' failed to satisfy constraint: Member must not be null"));
  }
  if (auto error = ValidateTableName(*name)) return Fail(std::move(*error));
  return std::string(*name);
}

ApiResult<void> RejectUnsupported(const ObjectReader& request,
                                  std::initializer_list<std::string_view> members) {
  for (std::string_view member : members) {
    if (request.Has(member)) {
      return Fail(ApiError::Validation(
          fmt::format("{} is not supported by this version of Dunlin yet", member)));
    }
  }
  return {};
}

}  // namespace dunlin::api
