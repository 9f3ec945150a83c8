// Reading request parameters: typed access to a request's JSON members, and DynamoDB's
// constraint-violation messages.
//
// DynamoDB checks a request in two passes, and so do we:
//   1. Deserialization: a member of the wrong JSON type fails at once with
//      SerializationException (RequestReader's getters).
//   2. Constraints: missing required members, lengths, enum values and ranges are collected
//      (Violations) and reported together as "N validation error(s) detected: a; b; c".
// Semantic checks (key schema rules and the like) come after, one message at a time.
//
// Thread-safety: none; one reader per request.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "common/result.h"

namespace dunlin::api {

template <typename T>
using ApiResult = Result<T, ApiError>;

// Typed getters over one JSON object. Each returns nullopt when the member is absent or JSON
// null, and a SerializationException when it has the wrong JSON type.
class ObjectReader {
 public:
  explicit ObjectReader(simdjson::dom::object object) : object_(object) {}

  bool Has(std::string_view member) const;
  ApiResult<std::optional<std::string_view>> String(std::string_view member) const;
  ApiResult<std::optional<int64_t>> Int(std::string_view member) const;
  ApiResult<std::optional<bool>> Bool(std::string_view member) const;
  ApiResult<std::optional<simdjson::dom::object>> Object(std::string_view member) const;
  ApiResult<std::optional<simdjson::dom::array>> Array(std::string_view member) const;
  // The raw element, whatever its type.
  std::optional<simdjson::dom::element> Element(std::string_view member) const;

  simdjson::dom::object object() const { return object_; }

 private:
  simdjson::dom::object object_;
};

// Serialization errors for elements read outside an ObjectReader (array items and the like).
ApiResult<simdjson::dom::object> AsObject(simdjson::dom::element element);
ApiResult<simdjson::dom::array> AsArray(simdjson::dom::element element);
ApiResult<std::string_view> AsString(simdjson::dom::element element);

// Collects constraint violations in DynamoDB's wording. `path` is the member's path as
// DynamoDB names it: lowerCamelCase, e.g. "tableName", "keySchema.1.member.attributeName".
class Violations {
 public:
  // "Value null at '<path>' failed to satisfy constraint: Member must not be null".
  void Null(std::string_view path);
  // "Value '<value>' at '<path>' failed to satisfy constraint: Member must satisfy enum value
  // set: [A, B]".
  void NotInEnum(std::string_view value, std::string_view path, std::string_view allowed);
  // Length limits; `shown` is how DynamoDB prints the value (a string or a list).
  void MinLength(std::string_view shown, std::string_view path, int64_t min);
  void MaxLength(std::string_view shown, std::string_view path, int64_t max);
  void MinValue(int64_t value, std::string_view path, int64_t min);
  void MaxValue(int64_t value, std::string_view path, int64_t max);
  void Add(std::string message) { messages_.push_back(std::move(message)); }

  bool empty() const { return messages_.empty(); }
  // ValidationException with every collected message, or success.
  ApiResult<void> Check() const;

 private:
  std::vector<std::string> messages_;
};

// Checks a string against an enum; records a violation and returns false when not allowed.
bool CheckEnum(Violations& violations, std::string_view value, std::string_view path,
               std::initializer_list<std::string_view> allowed);

// Table names: 3-255 characters of [a-zA-Z0-9_.-]. Returns DynamoDB's message when invalid.
std::optional<ApiError> ValidateTableName(std::string_view name);

// Reads and checks the TableName member every table operation has.
ApiResult<std::string> ReadTableName(const ObjectReader& request);

// Rejects members that belong to features not implemented yet, naming them, so that they are
// never silently ignored.
ApiResult<void> RejectUnsupported(const ObjectReader& request,
                                  std::initializer_list<std::string_view> members);

}  // namespace dunlin::api
