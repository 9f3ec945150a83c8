#include "api/table_name.h"

#include <array>

namespace dunlin::api {

namespace {

constexpr std::string_view kArnPrefix = "arn:";
constexpr std::string_view kTableResource = "table/";
constexpr size_t kArnFields = 6;

ApiError InvalidArn() { return ApiError::Validation(std::string(kInvalidArnMessage)); }

}  // namespace

ApiResult<std::string> ResolveTableNameOrArn(std::string_view value, const ServiceConfig& config) {
  if (!value.starts_with(kArnPrefix)) {
    if (auto error = ValidateTableName(value)) return Fail(std::move(*error));
    return std::string(value);
  }
  // arn:<partition>:<service>:<region>:<account>:<resource>; the resource may not hold ':'.
  std::array<std::string_view, kArnFields> fields;
  size_t count = 0;
  std::string_view rest = value;
  while (true) {
    const size_t colon = rest.find(':');
    if (count == kArnFields) return Fail(InvalidArn());
    fields[count++] = rest.substr(0, colon);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  if (count != kArnFields || fields[1] != "aws" || fields[2] != "dynamodb" ||
      !fields[5].starts_with(kTableResource)) {
    return Fail(InvalidArn());
  }
  std::string_view name = fields[5].substr(kTableResource.size());
  if (auto error = ValidateTableName(name)) return Fail(std::move(*error));
  if (fields[3] != config.region || fields[4] != config.account_id) {
    return Fail(ApiError::ResourceNotFound("Cannot do operations on a non-existent table"));
  }
  return std::string(name);
}

ApiResult<std::string> ReadTableNameOrArn(const ObjectReader& request,
                                          const ServiceConfig& config) {
  DUNLIN_ASSIGN_OR_RETURN(auto value, request.String("TableName"));
  if (!value) {
    // As ReadTableName: reported on its own, without the violation count.
    return Fail(ApiError::Validation(
        "Value null at 'tableName' failed to satisfy constraint: Member must not be null"));
  }
  return ResolveTableNameOrArn(*value, config);
}

}  // namespace dunlin::api
