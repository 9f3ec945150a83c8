#include "api/item_update.h"

#include <fmt/format.h>

#include "api/expression_request.h"
#include "model/item_size.h"

namespace dunlin::api {

ApiResult<void> RejectKeyUpdates(const expressions::UpdateExpression& update,
                                 const model::KeySchema& schema) {
  for (const expressions::UpdateAction& action : update.actions) {
    const std::string& top = action.path.front().name;
    if (model::IsKeyAttribute(schema, top)) {
      return Fail(ApiError::Validation(
          fmt::format("One or more parameter values were invalid: Cannot update attribute {}. This "
                      "attribute is part of the key",
                      top)));
    }
  }
  return {};
}

ApiResult<expressions::UpdateResult> ApplyItemChanges(const ItemChanges& changes,
                                                      const std::optional<model::Item>& current,
                                                      const model::AttributeMap& key) {
  expressions::UpdateResult result;
  const model::Item* item = current ? &*current : nullptr;
  if (changes.expression || changes.attribute_updates) {
    auto applied = changes.expression
                       ? expressions::ApplyUpdate(*changes.expression, item)
                       : expressions::ApplyAttributeUpdates(*changes.attribute_updates, key, item);
    if (!applied.ok()) return Fail(FromExpression(std::move(applied).error()));
    result = std::move(applied).value();
  } else if (current) {
    result.item = *current;
  }
  // A new item gets its key; an existing one already has it (key attributes are never updated).
  for (const auto& [name, value] : key) result.item.insert_or_assign(name, value);
  if (model::ItemSize(result.item) > model::kMaxItemSizeBytes) {
    return Fail(ApiError::Validation("Item size to update has exceeded the maximum allowed size"));
  }
  return result;
}

}  // namespace dunlin::api
