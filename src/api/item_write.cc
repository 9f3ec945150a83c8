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

}  // namespace dunlin::api
