// The TransactItems of TransactWriteItems and TransactGetItems, read into typed actions and
// checked the way DynamoDB checks them.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
//   1. 1 to 100 actions; each is exactly one of Put, Update, Delete, ConditionCheck (writes)
//      or a Get (reads), with its own TableName, key or item, and expressions whose
//      ExpressionAttributeNames/Values belong to that action alone.
//   2. No two actions may name the same item (same table and key).
//   3. Key values, item sizes and expressions are checked as the single-item operations check
//      them, before anything is read or written, in DynamoDB Local's order. For writes:
//      a. for every action, what needs no table: the placeholders' values, the update
//         expression, the condition, unused placeholders, the item's or key's values and
//         size; and the 4 MB payload as the actions add up;
//      b. action by action, what needs its table: the table itself, placeholders without an
//         expression, the item or key and its shape, the expression a ConditionCheck or
//         Update requires. DynamoDB Local evaluates each action against its stored item
//         before it checks the next, so an error here stops the checks (TransactItems::stop)
//         and the caller reports it only after trying the earlier actions' updates; an
//         action that passes is checked against the ones before it for the one-item rule.
//      For reads, each Get whole before the next: its table, projection, names, key, then
//      the one-item rule against the Gets before it.
//
// Thread-safety: plain values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/item_update.h"
#include "api/operation.h"
#include "expressions/ast.h"
#include "model/attribute_value.h"
#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::api {

inline constexpr size_t kMaxTransactItems = 100;
// The aggregate size of the items of one TransactWriteItems.
inline constexpr size_t kMaxTransactionBytes = 4 * 1024 * 1024;

struct TransactAction {
  enum class Kind { kPut, kUpdate, kDelete, kConditionCheck, kGet };
  Kind kind = Kind::kGet;
  std::shared_ptr<const model::TableMetadata> table;
  // The key attributes of the item acted on (from Key, or from Item for a Put).
  model::AttributeMap key;
  // kPut: the whole item.
  model::Item item;
  // kPut, kUpdate, kDelete (optional) and kConditionCheck (required).
  std::optional<expressions::Condition> condition;
  // kUpdate.
  ItemChanges changes;
  // kGet: the attributes to return (none: all).
  std::optional<expressions::ProjectionExpression> projection;
  // ReturnValuesOnConditionCheckFailure is ALL_OLD.
  bool old_item_on_failure = false;
  // A key DynamoDB rejects only once it looks the item up (a key value of the wrong type or
  // too long): the action's cancellation reason, a ValidationError with this message. Such an
  // action reads and writes nothing.
  std::optional<std::string> key_error;

  // The name DynamoDB uses for the action in reasons ("Put", "Update", ...).
  const char* name() const;
};

// The cancellation reasons of one call, in request order: "None" unless Set.
class CancellationReasons {
 public:
  explicit CancellationReasons(size_t count) : codes_(count, "None"), entries_(count) {}
  // Action `index` failed with `code` and `message`; `item` (may be null) is the stored item
  // ReturnValuesOnConditionCheckFailure asked for.
  void Set(size_t index, std::string code, std::string_view message,
           const model::Item* item = nullptr);
  bool cancelled() const { return cancelled_; }
  // TransactionCanceledException with these reasons.
  ApiError Error() const;

 private:
  std::vector<std::string> codes_;
  std::vector<std::string> entries_;  // rendered JSON; empty for "None"
  bool cancelled_ = false;
};

// The actions of one call, as read and checked.
struct TransactItems {
  // Every action in request order; with `stop`, only those before the action it names.
  std::vector<TransactAction> actions;
  // How many actions the request has (more than `actions` holds when stopped).
  size_t count = 0;
  // The error of rule 3b that stopped the checks (writes only).
  std::optional<ApiError> stop;
};

// Reads TransactItems: write actions when `writes`, else Get actions. Checks every rule above
// and loads each action's table.
ApiResult<TransactItems> ReadTransactItems(OperationContext& context, const ObjectReader& request,
                                           bool writes);

// The engine's view of the actions: one ItemRef per action without a key_error, in order,
// borrowing from `actions`.
std::vector<storage::ItemRef> ItemRefsOf(const std::vector<TransactAction>& actions);

}  // namespace dunlin::api
