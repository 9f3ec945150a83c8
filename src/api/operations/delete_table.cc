// DeleteTable: removes a table and all its items at once.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
// The response describes the table as DELETING, as DynamoDB does; it is already gone.
#include "api/operations/operations.h"
#include "api/table_description.h"

namespace dunlin::api::operations {

ApiResult<void> DeleteTable(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  // The statistics are read just before the delete; writes racing the delete may still move
  // them, as they may in DynamoDB, whose figures lag anyway.
  DUNLIN_ASSIGN_OR_RETURN(auto current_snapshot, LoadTable(context, name));
  const model::TableMetadata& current = *current_snapshot;
  DUNLIN_ASSIGN_OR_RETURN(DescriptionStats stats, ReadDescriptionStats(context, current));
  // Deletion protection is checked in the same atomic step as the removal, so a table
  // protected (or replaced) meanwhile is never deleted.
  CallbackFailure failure;
  auto deleted = context.engine.DeleteTable(name, [&](const model::TableMetadata& table) {
    if (table.deletion_protection) {
      return storage::StorageResult<void>(Fail(failure.Keep(ApiError::Validation(
          "Resource cannot be deleted as it is currently protected against deletion. Disable "
          "deletion protection first."))));
    }
    if (table.internal_id != current.internal_id) {
      return storage::StorageResult<void>(Fail(failure.Keep(
          ApiError::ResourceNotFound("Cannot do operations on a non-existent table"))));
    }
    return storage::StorageResult<void>();
  });
  if (!deleted.ok()) return Fail(failure.Resolve(deleted.error(), name));
  model::TableMetadata table = std::move(deleted).value();
  table.status = model::TableStatus::kDeleting;
  out.BeginObject();
  out.Key("TableDescription");
  WriteTableDescription(out, context.config, table, stats);
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
