// UpdateTimeToLive: enables or disables Time to Live on a table. Only the setting is kept
// here; the deletion of expired items is the storage engine's.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
// The checks and their order are in api/time_to_live.h. The new setting shows at once in
// DescribeTimeToLive; DescribeTable never shows it.
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "api/table_name.h"
#include "api/time_to_live.h"

namespace dunlin::api::operations {

ApiResult<void> UpdateTimeToLive(OperationContext& context, const ObjectReader& request,
                                 JsonWriter& out) {
  // Deserialization first: a member of the wrong type fails before any other check.
  DUNLIN_ASSIGN_OR_RETURN(TimeToLiveSpecificationMembers members,
                          ReadTimeToLiveSpecification(request));
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableNameOrArn(request, context.config));
  // A missing table beats a missing or bad specification.
  DUNLIN_RETURN_IF_ERROR(LoadTable(context, name));
  DUNLIN_ASSIGN_OR_RETURN(TimeToLiveSpecification specification,
                          RequireTimeToLiveSpecification(members));

  // The state and interval checks and the change are one catalog step, so two concurrent calls
  // cannot both pass the checks.
  CallbackFailure failure;
  auto updated = context.engine.UpdateTable(name, [&](model::TableMetadata& table) {
    ApiResult<void> applied = ApplyTimeToLiveSpecification(
        specification, context.now_ms, context.config.ttl_change_interval_s, table.ttl);
    if (!applied.ok()) return storage::StorageResult<void>(Fail(failure.Keep(applied.error())));
    return storage::StorageResult<void>();
  });
  if (!updated.ok()) return Fail(failure.Resolve(updated.error(), name));

  // The answer echoes the specification as sent.
  out.BeginObject();
  out.Key("TimeToLiveSpecification");
  out.BeginObject();
  out.Key("AttributeName");
  out.String(specification.attribute_name);
  out.Key("Enabled");
  out.Bool(specification.enabled);
  out.EndObject();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
