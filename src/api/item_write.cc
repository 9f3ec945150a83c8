#include "api/item_write.h"

#include <memory>
#include <string>
#include <utility>

namespace dunlin::api {
namespace {

using Outcome = storage::StorageResult<std::optional<model::Item>>;

}  // namespace

ApiResult<void> WriteItem(OperationContext& context, const model::TableMetadata& table,
                          const model::PrimaryKey& key, const ItemMutator& mutate,
                          ItemResponder respond, JsonWriter& out) {
  // The mutator's own error is kept here and reported as is; a storage error is translated.
  // Shared with the completion, which may run after this frame is gone.
  auto failure = std::make_shared<CallbackFailure>();
  const storage::Mutator mutator =
      [&mutate, &failure](const std::optional<model::Item>& current) {
        auto decided = mutate(current);
        if (!decided.ok()) {
          return storage::StorageResult<storage::Mutation>(Fail(failure->Keep(decided.error())));
        }
        return storage::StorageResult<storage::Mutation>(std::move(decided).value());
      };

  if (!context.answer_later) {
    auto old_item = context.engine.MutateItem(table, key, mutator);
    if (!old_item.ok()) return Fail(failure->Resolve(old_item.error(), table.name));
    respond(*old_item, out);
    return {};
  }

  context.deferred = true;
  context.engine.MutateItemAsync(
      table, key, mutator,
      [failure, answer = std::move(context.answer_later), respond = std::move(respond),
       table_name = table.name](Outcome outcome) {
        if (!outcome.ok()) {
          answer(Fail(failure->Resolve(outcome.error(), table_name)));
          return;
        }
        std::string body;
        body.reserve(256);
        JsonWriter writer(body);
        respond(*outcome, writer);
        answer(std::move(body));
      });
  return {};
}

ApiResult<void> WriteItems(OperationContext& context, const std::vector<storage::ItemRef>& items,
                           const ItemsMutator& mutate, ItemsFinisher finish, JsonWriter& out) {
  using OldItems = std::vector<std::optional<model::Item>>;
  auto failure = std::make_shared<CallbackFailure>();
  const storage::MultiMutator mutator = [&mutate,
                                         &failure](const std::vector<storage::ItemState>& states) {
    auto decided = mutate(states);
    if (!decided.ok()) {
      return storage::StorageResult<std::vector<storage::Mutation>>(
          Fail(failure->Keep(decided.error())));
    }
    return storage::StorageResult<std::vector<storage::Mutation>>(std::move(decided).value());
  };
  // The storage outcome as the finisher sees it; `table_name` names the table in errors.
  auto translate = [failure](storage::StorageResult<OldItems> outcome) -> ApiResult<OldItems> {
    if (!outcome.ok()) {
      ApiError error = failure->Resolve(outcome.error(), "");
      error.item = outcome.error().item;
      return Fail(std::move(error));
    }
    return std::move(outcome).value();
  };

  if (!context.answer_later) {
    return finish(translate(context.engine.MutateItems(items, mutator)), out);
  }

  context.deferred = true;
  context.engine.MutateItemsAsync(
      items, mutator,
      [translate, answer = std::move(context.answer_later),
       finish = std::move(finish)](storage::StorageResult<OldItems> outcome) {
        std::string body;
        body.reserve(256);
        JsonWriter writer(body);
        auto finished = finish(translate(std::move(outcome)), writer);
        if (!finished.ok()) {
          answer(Fail(std::move(finished).error()));
          return;
        }
        answer(std::move(body));
      });
  return {};
}

}  // namespace dunlin::api
