// DeleteItem: removes one item by primary key; deleting a missing item succeeds.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
#include "api/capacity.h"
#include "api/item_request.h"
#include "api/operations/operations.h"
#include "api/return_values.h"
#include "api/table_description.h"
#include "model/item_size.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {

ApiResult<void> DeleteItem(OperationContext& context, const ObjectReader& request,
                           JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_RETURN_IF_ERROR(RejectUnsupported(
      request, {"ConditionExpression", "Expected", "ConditionalOperator",
                "ExpressionAttributeNames", "ExpressionAttributeValues"}));
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(ReturnValues return_values,
                          ReadReturnValues(request, violations,
                                           {ReturnValues::kNone, ReturnValues::kAllOld}));
  DUNLIN_ASSIGN_OR_RETURN(CapacityReport capacity, ReadCapacityReport(request, violations));
  DUNLIN_ASSIGN_OR_RETURN(auto metrics, request.String("ReturnItemCollectionMetrics"));
  if (metrics) CheckEnum(violations, *metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  DUNLIN_ASSIGN_OR_RETURN(auto on_failure, request.String("ReturnValuesOnConditionCheckFailure"));
  if (on_failure) {
    CheckEnum(violations, *on_failure, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  if (!request.Has("Key")) {
    return Fail(
        ApiError::Validation("Cannot have null key for GetItem, DeleteItem, or UpdateItem"));
  }

  DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap key_map, ReadAttributeMap(request, "Key", "key"));
  DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata table, LoadTable(context, name));
  auto key = model::ValidateKeyParameter(key_map, table.key_schema);
  if (!key.ok()) return Fail(FromModel(std::move(key).error()));

  auto old_item = context.engine.MutateItem(
      table, *key, [](const std::optional<model::Item>& current) {
        return storage::StorageResult<storage::Mutation>(
            current ? storage::Mutation::Delete() : storage::Mutation::None());
      });
  if (!old_item.ok()) return Fail(FromStorage(old_item.error(), name));

  out.BeginObject();
  if (return_values == ReturnValues::kAllOld && *old_item) {
    WriteItemMember(out, "Attributes", **old_item);
  }
  const size_t old_size = *old_item ? model::ItemSize(**old_item) : 0;
  WriteConsumedCapacity(out, capacity, name, WriteCapacityUnits(old_size));
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
