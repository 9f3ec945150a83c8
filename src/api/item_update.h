// The update step shared by UpdateItem and TransactWriteItems' Update action: key attributes
// may not be updated, the update applies to the stored item (or to one holding only the key),
// and the result obeys the 400 KB item limit.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
//
// Thread-safety: pure functions over plain values.
#pragma once

#include <optional>
#include <vector>

#include "api/params.h"
#include "expressions/ast.h"
#include "expressions/legacy_update.h"
#include "expressions/update.h"
#include "model/attribute_value.h"
#include "model/table.h"

namespace dunlin::api {

// What a request changes: an UpdateExpression, legacy AttributeUpdates, or nothing.
struct ItemChanges {
  std::optional<expressions::UpdateExpression> expression;
  std::optional<std::vector<expressions::AttributeUpdate>> attribute_updates;
};

// "Cannot update attribute <name>. This attribute is part of the key" for an action on a key
// attribute.
ApiResult<void> RejectKeyUpdates(const expressions::UpdateExpression& update,
                                 const model::KeySchema& schema);

// The item after `changes` apply to `current` (nullopt: absent, so the update starts from an
// item holding only `key`), with the attributes the update named. Fails with the expression's
// evaluation error (AttributeUpdates: also its entries' checks, `key` naming the key
// attributes), or "Item size to update has exceeded the maximum allowed size".
ApiResult<expressions::UpdateResult> ApplyItemChanges(const ItemChanges& changes,
                                                      const std::optional<model::Item>& current,
                                                      const model::AttributeMap& key);

}  // namespace dunlin::api
