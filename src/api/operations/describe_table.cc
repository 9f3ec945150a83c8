// DescribeTable: the table's definition and statistics.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
// ItemCount and TableSizeBytes are exact at every call (DynamoDB refreshes them about every six
// hours).
#include "api/operations/operations.h"
#include "api/table_description.h"

namespace dunlin::api::operations {

ApiResult<void> DescribeTable(OperationContext& context, const ObjectReader& request,
                              JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_ASSIGN_OR_RETURN(auto table_snapshot, LoadTable(context, name));
  const model::TableMetadata& table = *table_snapshot;
  DUNLIN_ASSIGN_OR_RETURN(DescriptionStats stats, ReadDescriptionStats(context, table));
  out.BeginObject();
  out.Key("Table");
  WriteTableDescription(out, context.config, table, stats);
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
