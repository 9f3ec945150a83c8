#include "api/operations/tagging.h"

#include <fmt/format.h>

#include "api/table_description.h"

namespace dunlin::api::operations {

namespace {

// The table name in a table ARN of this server, or DynamoDB's error.
ApiResult<std::string> TableNameOfArn(OperationContext& context, const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto arn, request.String("ResourceArn"));
  Violations violations;
  if (!arn) {
    violations.Null("resourceArn");
  } else if (arn->size() > 1283) {
    violations.MaxLength(*arn, "resourceArn", 1283);
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  const std::string prefix = fmt::format("arn:aws:dynamodb:{}:{}:table/", context.config.region,
                                         context.config.account_id);
  std::string name(arn->substr(std::min(prefix.size(), arn->size())));
  if (arn->substr(0, prefix.size()) != prefix || ValidateTableName(name)) {
    return Fail(ApiError::Validation(fmt::format("Invalid TableArn: {}", *arn)));
  }
  return name;
}

ApiError ArnNotFound(const ObjectReader& request) {
  return ApiError::ResourceNotFound(
      fmt::format("Requested resource not found: ResourcArn: {} not found",
                  request.String("ResourceArn").value().value_or("")));
}

}  // namespace

ApiResult<model::TableMetadata> LoadTableByArn(OperationContext& context,
                                               const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, TableNameOfArn(context, request));
  auto table = context.engine.DescribeTable(name);
  if (!table.ok()) {
    if (table.error().code == storage::StorageError::Code::kTableNotFound) {
      return Fail(ArnNotFound(request));
    }
    return Fail(FromStorage(table.error(), name));
  }
  return std::move(table).value();
}

ApiResult<void> UpdateTableByArn(
    OperationContext& context, const ObjectReader& request,
    const std::function<ApiResult<void>(model::TableMetadata&)>& change) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, TableNameOfArn(context, request));
  CallbackFailure failure;
  auto updated = context.engine.UpdateTable(name, [&](model::TableMetadata& table) {
    auto changed = change(table);
    if (!changed.ok()) return storage::StorageResult<void>(Fail(failure.Keep(changed.error())));
    return storage::StorageResult<void>();
  });
  if (!updated.ok()) {
    if (updated.error().code == storage::StorageError::Code::kTableNotFound) {
      return Fail(ArnNotFound(request));
    }
    return Fail(failure.Resolve(updated.error(), name));
  }
  return {};
}

}  // namespace dunlin::api::operations
