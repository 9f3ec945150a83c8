// PutItem: creates or replaces a whole item.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
#include "api/expression_request.h"
#include "api/item_collection.h"
#include "api/item_request.h"
#include "api/item_write.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "api/write_options.h"
#include "model/item_size.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {

ApiResult<void> PutItem(OperationContext& context, const ObjectReader& request, JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_ASSIGN_OR_RETURN(WriteOptions options, ReadWriteOptions(request));
  // DynamoDB Local's order: the table, ReturnValues, the condition's parameters, the item and
  // its keys, then the condition itself.
  DUNLIN_ASSIGN_OR_RETURN(auto table_snapshot, LoadTable(context, name));
  const model::TableMetadata& table = *table_snapshot;
  DUNLIN_ASSIGN_OR_RETURN(options.return_values,
                          ReadReturnValues(request, {ReturnValues::kNone, ReturnValues::kAllOld}));
  DUNLIN_RETURN_IF_ERROR(CheckConditionParameters(request));
  if (!request.Has("Item")) {
    return Fail(ApiError::Validation("Item to put in PutItem cannot be null"));
  }

  DUNLIN_ASSIGN_OR_RETURN(model::Item item, ReadAttributeMap(request, "Item", "item"));
  const size_t new_size = model::ItemSize(item);
  if (new_size > model::kMaxItemSizeBytes) {
    return Fail(ApiError::Validation("Item size has exceeded the maximum allowed size"));
  }
  auto key = model::ExtractItemKey(item, table.key_schema);
  if (!key.ok()) return Fail(FromModel(std::move(key).error()));
  auto index_keys = model::ValidateIndexKeys(item, table, model::IndexKeyWrite::kPut);
  if (!index_keys.ok()) return Fail(FromModel(std::move(index_keys).error()));
  RequestExpressions expressions;
  DUNLIN_ASSIGN_OR_RETURN(auto condition, ReadConditionOnly(request, expressions));

  // The key pointers borrow from `item`, which the mutator moves; copy the key first.
  model::AttributeValue partition = *key->partition;
  std::optional<model::AttributeValue> sort;
  if (key->sort != nullptr) sort = *key->sort;
  model::PrimaryKey stable_key{&partition, sort ? &*sort : nullptr};

  const ReturnValues return_values = options.return_values;
  const CapacityReport capacity = options.capacity;
  auto collection =
      PlanCollectionReport(context.engine, table_snapshot, options.collection_metrics, partition);
  // What the write consumes on the indexes needs the new item after it is written: a copy,
  // kept only when capacity is reported for a table with indexes.
  std::shared_ptr<const model::Item> new_item;
  if (capacity != CapacityReport::kNone && !table.indexes.empty()) {
    new_item = std::make_shared<const model::Item>(item);
  }
  return WriteItem(
      context, table, stable_key,
      [&](const std::optional<model::Item>& current) -> ApiResult<storage::Mutation> {
        if (auto failed = CheckWriteCondition(condition, current, options)) return Fail(*failed);
        return storage::Mutation::Put(std::move(item));
      },
      [return_values, capacity, name, new_size, collection = std::move(collection), new_item,
       table_snapshot](const std::optional<model::Item>& old_item, JsonWriter& out) {
        const size_t old_size = old_item ? model::ItemSize(*old_item) : 0;
        out.BeginObject();
        if (return_values == ReturnValues::kAllOld && old_item) {
          WriteItemMember(out, "Attributes", *old_item);
        }
        WriteConsumedCapacity(
            out, capacity, name, WriteCapacityUnits(std::max(old_size, new_size)),
            new_item ? IndexWriteUnits(*table_snapshot, old_item ? &*old_item : nullptr,
                                       new_item.get())
                     : std::vector<IndexUnits>());
        WriteCollectionMetricsMember(out, collection);
        out.EndObject();
      },
      out);
}

}  // namespace dunlin::api::operations
