// TransactGetItems: up to 100 Gets, read as of one instant.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
//   1. The request is checked whole first (transact_request.h); then every item is read from
//      one snapshot (Engine::ReadItemsTogether), so no transaction is seen half applied.
//   2. An item held by a transaction being written cancels the call: TransactionCanceledException
//      with a reason per Get ("None" for the others). A key that does not fit the table's
//      schema is a TransactionCanceledException without reasons (transact_request.h).
//   3. Responses has one entry per Get, in request order: {"Item": ...} (projected), or {}
//      for a missing item.
//   4. Each Get costs 2 RCU per started 4 KB of the item; reported per table.
#include "api/capacity.h"
#include "api/expired_items.h"
#include "api/item_request.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "api/transact_request.h"
#include "expressions/projection.h"
#include "model/item_size.h"

namespace dunlin::api::operations {

ApiResult<void> TransactGetItems(OperationContext& context, const ObjectReader& request,
                                 JsonWriter& out) {
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(CapacityReport report, ReadCapacityReport(request, violations));
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  DUNLIN_ASSIGN_OR_RETURN(TransactItems items,
                          ReadTransactItems(context, request, /*writes=*/false));
  const std::vector<TransactAction>& actions = items.actions;

  const std::vector<storage::ItemRef> refs = ItemRefsOf(actions);
  std::vector<storage::ItemState> states;
  if (!refs.empty()) {
    auto read = context.engine.ReadItemsTogether(refs);
    if (!read.ok()) return Fail(FromStorage(read.error(), ""));
    states = std::move(read).value();
  }

  // Reasons, when any Get meets an item a transaction holds.
  CancellationReasons reasons(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    if (states[i].held) reasons.Set(i, "TransactionConflict", "Transaction is ongoing for the item");
  }
  if (reasons.cancelled()) return Fail(reasons.Error());

  std::vector<TableCapacity> capacity;
  out.BeginObject();
  out.Key("Responses");
  out.BeginArray();
  for (size_t i = 0; i < actions.size(); ++i) {
    const TransactAction& action = actions[i];
    const std::optional<model::Item>& item = states[i].item;
    out.BeginObject();
    if (item && !ExpiredItemFilterFor(context, *action.table).Hides(*item)) {
      if (action.projection) {
        WriteItemMember(out, "Item", expressions::Project(*item, *action.projection));
      } else {
        WriteItemMember(out, "Item", *item);
      }
    }
    out.EndObject();
    const double units = 2 * ReadCapacityUnits(item ? model::ItemSize(*item) : 0, true);
    AddTableUnits(capacity, action.table->name, units);
  }
  out.EndArray();
  WriteConsumedCapacityList(out, report, capacity);
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
