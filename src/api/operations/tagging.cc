#include "api/operations/tagging.h"

#include <fmt/format.h>

#include "api/table_description.h"

namespace dunlin::api::operations {

ApiResult<model::TableMetadata> LoadTableByArn(OperationContext& context,
                                               const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto arn, request.String("ResourceArn"));
  Violations violations;
  if (!arn)
    violations.Null("resourceArn");
  else if (arn->size() > 1283)
    violations.MaxLength(*arn, "resourceArn", 1283);
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  const std::string prefix = fmt::format("arn:aws:dynamodb:{}:{}:table/", context.config.region,
                                         context.config.account_id);
  if (arn->substr(0, prefix.size()) != prefix) {
    return Fail(ApiError::Validation(fmt::format("Invalid TableArn: {}", *arn)));
  }
  std::string name(arn->substr(prefix.size()));
  if (ValidateTableName(name)) {
    return Fail(ApiError::Validation(fmt::format("Invalid TableArn: {}", *arn)));
  }
  auto table = context.engine.DescribeTable(name);
  if (!table.ok()) {
    if (table.error().code == storage::StorageError::Code::kTableNotFound) {
      return Fail(ApiError::ResourceNotFound(
          fmt::format("Requested resource not found: ResourcArn: {} not found", *arn)));
    }
    return Fail(FromStorage(table.error(), name));
  }
  return std::move(table).value();
}

}  // namespace dunlin::api::operations
