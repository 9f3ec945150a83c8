// DeleteItem: removes one item by primary key; deleting a missing item succeeds.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
#include "api/expression_request.h"
#include "api/item_collection.h"
#include "api/item_request.h"
#include "api/item_write.h"
#include "api/legacy_parameters.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "api/write_options.h"
#include "model/item_size.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {

ApiResult<void> DeleteItem(OperationContext& context, const ObjectReader& request,
                           JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_ASSIGN_OR_RETURN(WriteOptions options, ReadWriteOptions(request));
  // DynamoDB Local's order: the table, Expected's entries, ReturnValues, the condition's
  // parameters, the key, then the condition itself.
  DUNLIN_ASSIGN_OR_RETURN(auto table_snapshot, LoadTable(context, name));
  const model::TableMetadata& table = *table_snapshot;
  DUNLIN_RETURN_IF_ERROR(CheckExpectedEntries(request));
  DUNLIN_ASSIGN_OR_RETURN(options.return_values,
                          ReadReturnValues(request, {ReturnValues::kNone, ReturnValues::kAllOld}));
  DUNLIN_RETURN_IF_ERROR(CheckConditionParameters(request));
  if (!request.Has("Key")) {
    return Fail(
        ApiError::Validation("Cannot have null key for GetItem, DeleteItem, or UpdateItem"));
  }

  DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap key_map, ReadAttributeMap(request, "Key", "key"));
  auto key = model::ValidateKeyParameter(key_map, table.key_schema);
  if (!key.ok()) return Fail(FromModel(std::move(key).error()));
  RequestExpressions expressions;
  DUNLIN_ASSIGN_OR_RETURN(auto condition, ReadConditionOnly(request, expressions));

  const ReturnValues return_values = options.return_values;
  const CapacityReport capacity = options.capacity;
  auto collection = PlanCollectionReport(context.engine, table_snapshot,
                                         options.collection_metrics, *key->partition);
  return WriteItem(
      context, table, *key,
      [&](const std::optional<model::Item>& current) -> ApiResult<storage::Mutation> {
        if (auto failed = CheckWriteCondition(condition, current, options)) return Fail(*failed);
        return current ? storage::Mutation::Delete() : storage::Mutation::None();
      },
      [return_values, capacity, name, collection = std::move(collection), table_snapshot](
          const std::optional<model::Item>& old_item, JsonWriter& out) {
        out.BeginObject();
        if (return_values == ReturnValues::kAllOld && old_item) {
          WriteItemMember(out, "Attributes", *old_item);
        }
        const size_t old_size = old_item ? model::ItemSize(*old_item) : 0;
        WriteConsumedCapacity(
            out, capacity, name, WriteCapacityUnits(old_size),
            capacity != CapacityReport::kNone && old_item
                ? IndexWriteUnits(*table_snapshot, &*old_item, nullptr)
                : std::vector<IndexUnits>());
        WriteCollectionMetricsMember(out, collection);
        out.EndObject();
      },
      out);
}

}  // namespace dunlin::api::operations
