// DeleteTable: removes a table and all its items at once.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
// The response describes the table as DELETING, as DynamoDB does; it is already gone.
#include "api/operations/operations.h"
#include "api/table_description.h"

namespace dunlin::api::operations {

ApiResult<void> DeleteTable(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata table, LoadTable(context, name));
  if (table.deletion_protection) {
    return Fail(ApiError::Validation(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first."));
  }
  auto stats = context.engine.GetTableStats(table);
  if (!stats.ok()) return Fail(FromStorage(stats.error(), name));
  auto deleted = context.engine.DeleteTable(name);
  if (!deleted.ok()) return Fail(FromStorage(deleted.error(), name));
  table.status = model::TableStatus::kDeleting;
  out.BeginObject();
  out.Key("TableDescription");
  WriteTableDescription(out, context.config, table, *stats);
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
