// ListTables: table names in order, paged with ExclusiveStartTableName/LastEvaluatedTableName.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
#include "api/operations/operations.h"

namespace dunlin::api::operations {

inline constexpr int64_t kMaxListTablesLimit = 100;

ApiResult<void> ListTables(OperationContext& context, const ObjectReader& request,
                           JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(auto limit, request.Int("Limit"));
  DUNLIN_ASSIGN_OR_RETURN(auto start, request.String("ExclusiveStartTableName"));
  if (limit && *limit < 1) {
    return Fail(ApiError::Validation("Limit must be greater than or equal to 1"));
  }
  if (limit && *limit > kMaxListTablesLimit) {
    return Fail(ApiError::Validation("Limit in ListTables must be <= 100"));
  }
  if (start) {
    if (auto error = ValidateTableName(*start)) return Fail(std::move(*error));
  }

  auto tables = context.engine.ListTables();
  if (!tables.ok()) return Fail(FromStorage(tables.error(), ""));
  const size_t max_count = static_cast<size_t>(limit.value_or(kMaxListTablesLimit));

  out.BeginObject();
  out.Key("TableNames");
  out.BeginArray();
  size_t count = 0;
  const std::string* last = nullptr;
  bool more = false;
  for (const model::TableMetadata& table : *tables) {
    if (start && table.name <= *start) continue;
    if (count == max_count) {
      more = true;
      break;
    }
    out.String(table.name);
    last = &table.name;
    ++count;
  }
  out.EndArray();
  if (more && last != nullptr) {
    out.Key("LastEvaluatedTableName");
    out.String(*last);
  }
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
