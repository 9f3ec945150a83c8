// TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions on distinct
// items, applied all or nothing.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
//   1. The request is checked whole first (transact_request.h); then every item is read and
//      every condition evaluated at one instant (Engine::MutateItemsAsync), and the writes land
//      in one atomic write, serialized with every other write of those items.
//   2. Any false condition, key error found at lookup, or item held by another transaction
//      cancels everything: TransactionCanceledException, whose CancellationReasons follow
//      request order ("None" for the actions that were fine). ALL_OLD adds the stored item.
//   3. Before any reason counts, each action is evaluated against its stored item in request
//      order (ApplyUpdates): an update that cannot apply (an operand of the wrong type) fails
//      the whole call with its ValidationException, and an Update of a key attribute cancels
//      it naming that action alone, whatever the later actions hold. An error the checks
//      stopped at (transact_request.h, rule 3b) comes only after the earlier actions' updates.
//   4. Each write costs 2 WCU per started KB of the larger of the old and new item; a
//      ConditionCheck 2 RCU per started 4 KB; reported per table.
//   5. ClientRequestToken makes a successful call idempotent for 10 minutes (request_tokens.h).
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "api/capacity.h"
#include "api/item_collection.h"
#include "api/item_request.h"
#include "api/item_update.h"
#include "api/item_write.h"
#include "api/operations/operations.h"
#include "api/request_tokens.h"
#include "api/transact_request.h"
#include "expressions/evaluate.h"
#include "model/item_size.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {
namespace {

using Kind = TransactAction::Kind;

constexpr std::string_view kConditionFailed = "The conditional request failed";
// A ConditionCheck's reason has its own wording.
constexpr std::string_view kCheckFailed = "The conditional request failed.";
constexpr std::string_view kUpdateTooLarge =
    "Item size to update has exceeded the maximum allowed size";

// What evaluating one action against its stored item found before anything is written.
struct Applied {
  bool condition_failed = false;
  // A cancellation reason the update met (an item grown too large, an index key of the wrong
  // type).
  std::optional<std::string> reason;
  // An Update's new item.
  std::optional<model::Item> item;
};

// Evaluates the actions against their stored items (`states`, one per action without a key
// error) in request order, as DynamoDB Local does before it decides anything: each condition,
// then, where it holds, an Update's changes. An Update of a key attribute (a cancellation
// naming that action alone) or an update that cannot apply (its ValidationException) ends the
// call at once (`count`: the request's actions); what else each action met is left in `applied` for the reasons.
ApiResult<void> ApplyUpdates(const std::vector<TransactAction>& actions, size_t count,
                             const std::vector<storage::ItemState>& states,
                             std::vector<Applied>& applied) {
  size_t next_state = 0;
  for (size_t i = 0; i < actions.size(); ++i) {
    const TransactAction& action = actions[i];
    if (action.key_error) continue;
    const storage::ItemState& state = states[next_state++];
    if (state.held) continue;
    const model::Item* current = state.item ? &*state.item : nullptr;
    if (action.condition && !expressions::EvaluateCondition(*action.condition, current)) {
      applied[i].condition_failed = true;
      continue;
    }
    if (action.kind != Kind::kUpdate) continue;
    if (auto keyed = RejectKeyUpdates(*action.changes.expression, action.table->key_schema);
        !keyed.ok()) {
      CancellationReasons reasons(count);
      reasons.Set(i, "ValidationError", keyed.error().message);
      return Fail(reasons.Error());
    }
    auto changed = ApplyItemChanges(action.changes, state.item, action.key);
    if (!changed.ok()) {
      if (changed.error().message != kUpdateTooLarge) return Fail(std::move(changed).error());
      applied[i].reason = std::string(kUpdateTooLarge);
      continue;
    }
    // A new index key of the wrong type cancels; any other bad index key value fails the whole
    // request, as for a Put.
    auto index_keys =
        model::ValidateIndexKeys(changed->item, *action.table, model::IndexKeyWrite::kUpdate);
    if (!index_keys.ok()) {
      if (!model::IsIndexKeyTypeMismatch(index_keys.error())) {
        return Fail(FromModel(std::move(index_keys).error()));
      }
      applied[i].reason = std::move(index_keys).error().message;
      continue;
    }
    applied[i].item = std::move(changed->item);
  }
  return {};
}

// Reads ClientRequestToken, ReturnConsumedCapacity and ReturnItemCollectionMetrics.
struct TopLevel {
  std::optional<std::string_view> token;
  CapacityReport capacity = CapacityReport::kNone;
  bool collection_metrics = false;  // ReturnItemCollectionMetrics SIZE
};

ApiResult<TopLevel> ReadTopLevel(const ObjectReader& request) {
  TopLevel top;
  DUNLIN_ASSIGN_OR_RETURN(top.token, request.String("ClientRequestToken"));
  if (top.token && top.token->size() > 36) {
    return Fail(ApiError::Validation(
        fmt::format("Value {} at 'clientRequestToken' failed to satisfy constraint: Member must "
                    "have length less than or equal to 36",
                    *top.token)));
  }
  Violations violations;
  if (top.token && top.token->empty()) violations.MinLength("", "clientRequestToken", 1);
  DUNLIN_ASSIGN_OR_RETURN(top.capacity, ReadCapacityReport(request, violations));
  DUNLIN_ASSIGN_OR_RETURN(auto metrics, request.String("ReturnItemCollectionMetrics"));
  if (metrics) CheckEnum(violations, *metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  top.collection_metrics = metrics && *metrics == "SIZE";
  return top;
}

// `element` as JSON with every object's members sorted by name, so that two renderings of one
// value compare equal whatever their member order.
void AppendCanonical(std::string& out, simdjson::dom::element element) {
  if (element.is_object()) {
    std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
    for (auto field : simdjson::dom::object(element)) fields.emplace_back(field.key, field.value);
    std::sort(fields.begin(), fields.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out.push_back('{');
    for (const auto& [key, value] : fields) {
      // Length-prefixed, so no name can run into its value.
      out.append(std::to_string(key.size()));
      out.push_back(':');
      out.append(key);
      AppendCanonical(out, value);
      out.push_back(',');
    }
    out.push_back('}');
  } else if (element.is_array()) {
    out.push_back('[');
    for (simdjson::dom::element item : simdjson::dom::array(element)) {
      AppendCanonical(out, item);
      out.push_back(',');
    }
    out.push_back(']');
  } else {
    out.append(simdjson::minify(element));
  }
}

// What two calls with one token must agree on: the actions, in a canonical text (member order,
// ReturnConsumedCapacity and ReturnItemCollectionMetrics do not matter, as in DynamoDB Local).
std::string Fingerprint(const ObjectReader& request) {
  std::string text;
  if (auto items = request.Element("TransactItems")) AppendCanonical(text, *items);
  return text;
}

}  // namespace

ApiResult<void> TransactWriteItems(OperationContext& context, const ObjectReader& request,
                                   JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(TopLevel top, ReadTopLevel(request));
  DUNLIN_ASSIGN_OR_RETURN(TransactItems items,
                          ReadTransactItems(context, request, /*writes=*/true));
  const std::vector<TransactAction>& actions = items.actions;
  const std::vector<storage::ItemRef> refs = ItemRefsOf(actions);

  if (items.stop) {
    // The checks stopped at an action: the updates before it (distinct items, by the one-item
    // rule) are tried on their stored items first, and their first error wins. Nothing is
    // written, so a snapshot read does.
    if (refs.empty()) return Fail(*items.stop);
    auto states = context.engine.ReadItemsTogether(refs);
    if (!states.ok()) return Fail(FromStorage(states.error(), ""));
    std::vector<Applied> applied(actions.size());
    DUNLIN_RETURN_IF_ERROR(ApplyUpdates(actions, items.count, *states, applied));
    return Fail(*items.stop);
  }

  std::string token;
  RequestTokens* tokens = top.token ? context.request_tokens : nullptr;
  if (tokens != nullptr) {
    token = std::string(*top.token);
    RequestTokens::Claim claim = tokens->Begin(token, Fingerprint(request), context.now_ms);
    if (claim.error) return Fail(*claim.error);
    if (!claim.run) {
      out.Raw(claim.replay_body);
      return {};
    }
  }

  // Filled by the mutator, which runs before WriteItems returns; read by the finisher.
  auto capacity = std::make_shared<std::vector<TableCapacity>>();
  const CapacityReport report = top.capacity;
  auto mutate = [&](const std::vector<storage::ItemState>& states)
      -> ApiResult<std::vector<storage::Mutation>> {
    std::vector<Applied> applied(actions.size());
    DUNLIN_RETURN_IF_ERROR(ApplyUpdates(actions, items.count, states, applied));
    std::vector<storage::Mutation> mutations(states.size());
    CancellationReasons reasons(actions.size());
    size_t next_state = 0;
    for (size_t i = 0; i < actions.size(); ++i) {
      const TransactAction& action = actions[i];
      if (action.key_error) {
        reasons.Set(i, "ValidationError", *action.key_error);
        continue;
      }
      const size_t at = next_state++;
      const storage::ItemState& state = states[at];
      if (state.held) {
        reasons.Set(i, "TransactionConflict", "Transaction is ongoing for the item");
        continue;
      }
      const model::Item* current = state.item ? &*state.item : nullptr;
      if (applied[i].condition_failed) {
        reasons.Set(i, "ConditionalCheckFailed",
                    action.kind == Kind::kConditionCheck ? kCheckFailed : kConditionFailed,
                    action.old_item_on_failure ? current : nullptr);
        continue;
      }
      if (applied[i].reason) {
        reasons.Set(i, "ValidationError", *applied[i].reason);
        continue;
      }
      const size_t old_size = current != nullptr ? model::ItemSize(*current) : 0;
      const std::string& table = action.table->name;
      // What the write consumes on the table's indexes (only computed when reported).
      auto on_indexes = [&](const model::Item* new_item) {
        if (report == CapacityReport::kNone || action.table->indexes.empty()) {
          return std::vector<IndexUnits>();
        }
        return IndexWriteUnits(*action.table, current, new_item, 2);
      };
      switch (action.kind) {
        case Kind::kConditionCheck:
          AddTableUnits(*capacity, table, 2 * ReadCapacityUnits(old_size, true));
          break;
        case Kind::kPut:
          mutations[at] = storage::Mutation::Put(action.item);
          AddTableUnits(*capacity, table,
                        2 * WriteCapacityUnits(std::max(old_size, model::ItemSize(action.item))),
                        on_indexes(&action.item));
          break;
        case Kind::kDelete:
          if (current != nullptr) mutations[at] = storage::Mutation::Delete();
          AddTableUnits(*capacity, table, 2 * WriteCapacityUnits(old_size), on_indexes(nullptr));
          break;
        case Kind::kUpdate: {
          model::Item& item = *applied[i].item;
          AddTableUnits(*capacity, table,
                        2 * WriteCapacityUnits(std::max(old_size, model::ItemSize(item))),
                        on_indexes(&item));
          mutations[at] = storage::Mutation::Put(std::move(item));
          break;
        }
        case Kind::kGet:
          break;
      }
    }
    if (reasons.cancelled()) return Fail(reasons.Error());
    return mutations;
  };

  // The collections written, for ReturnItemCollectionMetrics; they point into the tables'
  // metadata, which `tables` keeps alive for the finisher.
  std::vector<TableCollections> collections;
  for (const TransactAction& action : actions) {
    if (action.kind == Kind::kConditionCheck ||
        !ReportsCollectionMetrics(*action.table, top.collection_metrics)) {
      continue;
    }
    NoteCollection(collections, *action.table,
                   action.key.at(action.table->key_schema.partition.name));
  }
  std::vector<std::shared_ptr<const model::TableMetadata>> tables;
  for (const TransactAction& action : actions) tables.push_back(action.table);
  const size_t action_count = actions.size();
  auto finish = [tokens, token, now_ms = context.now_ms, capacity, report = top.capacity,
                 engine = &context.engine, collections = std::move(collections),
                 tables = std::move(tables), action_count](
                    ApiResult<std::vector<std::optional<model::Item>>> outcome,
                    JsonWriter& out) -> ApiResult<void> {
    if (!outcome.ok()) {
      if (tokens != nullptr) tokens->Abandon(token);
      ApiError error = std::move(outcome).error();
      // A full item collection cancels the transaction, naming the action that would grow it
      // (every action reached storage, so the positions agree).
      if (error.type == ErrorType::kItemCollectionSizeLimitExceeded && error.item &&
          *error.item < action_count) {
        CancellationReasons reasons(action_count);
        reasons.Set(*error.item, "ItemCollectionSizeLimitExceeded", error.message);
        return Fail(reasons.Error());
      }
      return Fail(std::move(error));
    }
    std::string body;
    JsonWriter writer(body);
    writer.BeginObject();
    WriteConsumedCapacityList(writer, report, *capacity);
    WriteCollectionMetricsByTable(writer, *engine, collections);
    writer.EndObject();
    out.Raw(body);
    if (tokens != nullptr) tokens->Finish(token, std::move(body), now_ms);
    return {};
  };

  if (refs.empty()) {
    // Every action failed at lookup: nothing to read, the call is cancelled.
    auto cancelled = mutate({});
    return finish(Fail(std::move(cancelled).error()), out);
  }
  return WriteItems(context, refs, mutate, std::move(finish), out);
}

}  // namespace dunlin::api::operations
