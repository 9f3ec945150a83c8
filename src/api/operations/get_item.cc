// GetItem: one item by primary key. Every read is strongly consistent; ConsistentRead only
// changes the capacity reported.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
#include "api/capacity.h"
#include "api/expired_items.h"
#include "api/expression_request.h"
#include "api/item_request.h"
#include "api/legacy_parameters.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "expressions/projection.h"
#include "model/item_size.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {

ApiResult<void> GetItem(OperationContext& context, const ObjectReader& request, JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(CapacityReport capacity, ReadCapacityReport(request, violations));
  DUNLIN_ASSIGN_OR_RETURN(auto consistent, request.Bool("ConsistentRead"));
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  // DynamoDB Local's order: AttributesToGet's duplicates, legacy and expression parameters
  // mixed, names without an expression, the table, the projection, then the key.
  DUNLIN_ASSIGN_OR_RETURN(auto attributes_to_get, ReadAttributesToGet(request));
  DUNLIN_RETURN_IF_ERROR(
      RejectMixedParameters(request, {"AttributesToGet"}, {"ProjectionExpression"}));
  const bool uses_expressions = request.Has("ProjectionExpression");
  // GetItem has no ExpressionAttributeValues; DynamoDB ignores one.
  DUNLIN_RETURN_IF_ERROR(RequestExpressions::CheckNeedsExpression(request, uses_expressions,
                                                                  /*values_used=*/true));
  DUNLIN_ASSIGN_OR_RETURN(auto table_snapshot, LoadTable(context, name));
  const model::TableMetadata& table = *table_snapshot;
  RequestExpressions expressions;
  DUNLIN_RETURN_IF_ERROR(expressions.ReadNamesOnly(request, uses_expressions));
  DUNLIN_ASSIGN_OR_RETURN(auto projection, expressions.Projection(request));
  DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
  if (!projection) projection = std::move(attributes_to_get);
  if (!request.Has("Key")) {
    return Fail(
        ApiError::Validation("Cannot have null key for GetItem, DeleteItem, or UpdateItem"));
  }
  DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap key_map, ReadAttributeMap(request, "Key", "key"));
  auto key = model::ValidateKeyParameter(key_map, table.key_schema);
  if (!key.ok()) return Fail(FromModel(std::move(key).error()));

  auto item = context.engine.GetItem(table, *key);
  if (!item.ok()) return Fail(FromStorage(item.error(), name));
  const bool hidden = *item && ExpiredItemFilterFor(context, table).Hides(**item);

  out.BeginObject();
  size_t size = 0;
  if (*item) {
    // Capacity counts the whole item read, whatever the projection returns.
    size = model::ItemSize(**item);
  }
  if (*item && !hidden) {
    if (projection) {
      WriteItemMember(out, "Item", expressions::Project(**item, *projection));
    } else {
      WriteItemMember(out, "Item", **item);
    }
  }
  WriteConsumedCapacity(out, capacity, name, ReadCapacityUnits(size, consistent.value_or(false)));
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
