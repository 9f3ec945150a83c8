// UpdateItem: changes an item with an UpdateExpression (or the legacy AttributeUpdates),
// creating it when absent.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
//   1. The ConditionExpression is checked against the item as stored, then the update applies
//      to it (or to an item holding only the key when absent), atomically (Engine::MutateItem).
//   2. Key attributes cannot be updated.
//   3. The result obeys the 400 KB item limit ("Item size to update has exceeded ...").
//   4. ReturnValues: ALL_OLD / ALL_NEW return the whole item before / after; UPDATED_OLD /
//      UPDATED_NEW only the attributes the update expression named.
//   5. The legacy Expected and AttributeUpdates stand in for ConditionExpression and
//      UpdateExpression; the two styles do not mix (legacy_parameters.h).
#include "api/expression_request.h"
#include "api/item_collection.h"
#include "api/item_request.h"
#include "api/item_update.h"
#include "api/item_write.h"
#include "api/legacy_parameters.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "api/write_options.h"
#include "expressions/key_condition.h"
#include "expressions/projection.h"
#include "expressions/update.h"
#include "model/item_size.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {

ApiResult<void> UpdateItem(OperationContext& context, const ObjectReader& request,
                           JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_ASSIGN_OR_RETURN(WriteOptions options, ReadWriteOptions(request));
  // DynamoDB Local's order: the table, Expected's entries, ReturnValues, legacy and expression
  // parameters mixed, placeholders without an expression, the key, then the expressions.
  DUNLIN_ASSIGN_OR_RETURN(auto table_snapshot, LoadTable(context, name));
  const model::TableMetadata& table = *table_snapshot;
  DUNLIN_RETURN_IF_ERROR(CheckExpectedEntries(request));
  DUNLIN_ASSIGN_OR_RETURN(
      options.return_values,
      ReadReturnValues(request,
                       {ReturnValues::kNone, ReturnValues::kAllOld, ReturnValues::kUpdatedOld,
                        ReturnValues::kAllNew, ReturnValues::kUpdatedNew}));
  DUNLIN_RETURN_IF_ERROR(
      RejectMixedParameters(request, {"AttributeUpdates", "Expected", "ConditionalOperator"},
                            {"UpdateExpression", "ConditionExpression"}));
  const bool uses_expressions =
      request.Has("UpdateExpression") || request.Has("ConditionExpression");
  constexpr std::string_view kMissing = "UpdateExpression and ConditionExpression are null";
  DUNLIN_RETURN_IF_ERROR(
      RequestExpressions::CheckNeedsExpression(request, uses_expressions, uses_expressions,
                                               kMissing));
  if (!request.Has("Key")) {
    return Fail(
        ApiError::Validation("Cannot have null key for GetItem, DeleteItem, or UpdateItem"));
  }
  DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap key_map, ReadAttributeMap(request, "Key", "key"));
  auto key = model::ValidateKeyParameter(key_map, table.key_schema);
  if (!key.ok()) return Fail(FromModel(std::move(key).error()));
  RequestExpressions expressions;
  DUNLIN_RETURN_IF_ERROR(expressions.Read(request, uses_expressions, kMissing));
  ItemChanges changes;
  DUNLIN_ASSIGN_OR_RETURN(changes.expression, expressions.Update(request));
  DUNLIN_ASSIGN_OR_RETURN(auto condition,
                          expressions.Condition(request, "ConditionExpression",
                                                expressions::ExpressionKind::kCondition));
  DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
  // Without a ConditionExpression, the legacy form; an empty ConditionalOperator beside an
  // UpdateExpression alone is refused there (DynamoDB Local lets it pass beside a
  // ConditionExpression).
  if (!condition) {
    DUNLIN_ASSIGN_OR_RETURN(condition, ReadExpected(request));
  }
  DUNLIN_ASSIGN_OR_RETURN(changes.attribute_updates, ReadAttributeUpdates(request));
  if (changes.expression) {
    DUNLIN_RETURN_IF_ERROR(RejectKeyUpdates(*changes.expression, table.key_schema));
  }
  // AttributeUpdates' entries are checked as they apply, once the condition holds (DynamoDB
  // Local's order; ApplyItemChanges).

  // Filled by the mutator (which runs before WriteItem returns), read by the responder.
  auto result = std::make_shared<expressions::UpdateResult>();
  const ReturnValues return_values = options.return_values;
  const CapacityReport capacity = options.capacity;
  auto collection = PlanCollectionReport(context.engine, table_snapshot,
                                         options.collection_metrics, *key->partition);
  return WriteItem(
      context, table, *key,
      [&](const std::optional<model::Item>& current) -> ApiResult<storage::Mutation> {
        if (auto failed = CheckWriteCondition(condition, current, options)) return Fail(*failed);
        DUNLIN_ASSIGN_OR_RETURN(*result, ApplyItemChanges(changes, current, key_map));
        auto index_keys =
            model::ValidateIndexKeys(result->item, table, model::IndexKeyWrite::kUpdate);
        if (!index_keys.ok()) return Fail(FromModel(std::move(index_keys).error()));
        return storage::Mutation::Put(result->item);
      },
      [result, return_values, capacity, name, collection = std::move(collection),
       table_snapshot](const std::optional<model::Item>& old_item, JsonWriter& out) {
        out.BeginObject();
        std::optional<model::Item> attributes;
        switch (return_values) {
          case ReturnValues::kNone:
            break;
          case ReturnValues::kAllOld:
            attributes = old_item;
            break;
          case ReturnValues::kAllNew:
            attributes = result->item;
            break;
          case ReturnValues::kUpdatedOld:
            if (old_item) attributes = expressions::ProjectPaths(*old_item, result->updated_paths);
            break;
          case ReturnValues::kUpdatedNew:
            attributes = expressions::ProjectPaths(result->item, result->updated_paths);
            break;
        }
        if (attributes && !attributes->empty()) WriteItemMember(out, "Attributes", *attributes);
        const size_t old_size = old_item ? model::ItemSize(*old_item) : 0;
        WriteConsumedCapacity(
            out, capacity, name,
            WriteCapacityUnits(std::max(old_size, model::ItemSize(result->item))),
            capacity != CapacityReport::kNone
                ? IndexWriteUnits(*table_snapshot, old_item ? &*old_item : nullptr, &result->item)
                : std::vector<IndexUnits>());
        WriteCollectionMetricsMember(out, collection);
        out.EndObject();
      },
      out);
}

}  // namespace dunlin::api::operations
