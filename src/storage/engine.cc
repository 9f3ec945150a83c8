#include "storage/engine.h"

#include <future>
#include <utility>

namespace dunlin::storage {

StorageResult<std::optional<model::Item>> Engine::MutateItem(const model::TableMetadata& table,
                                                             const model::PrimaryKey& key,
                                                             const Mutator& mutator) {
  std::promise<StorageResult<std::optional<model::Item>>> outcome;
  auto future = outcome.get_future();
  MutateItemAsync(table, key, mutator,
                  [&outcome](StorageResult<std::optional<model::Item>> result) {
                    outcome.set_value(std::move(result));
                  });
  return future.get();
}

StorageResult<std::vector<std::optional<model::Item>>> Engine::MutateItems(
    const std::vector<ItemRef>& items, const MultiMutator& mutator) {
  std::promise<StorageResult<std::vector<std::optional<model::Item>>>> outcome;
  auto future = outcome.get_future();
  MutateItemsAsync(items, mutator,
                   [&outcome](StorageResult<std::vector<std::optional<model::Item>>> result) {
                     outcome.set_value(std::move(result));
                   });
  return future.get();
}

}  // namespace dunlin::storage
