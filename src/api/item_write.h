// The last step of PutItem, UpdateItem and DeleteItem: the item write through the engine, and
// the response built from the item as it was before.
//
// On the dispatcher's event loops the write is queued (Engine::MutateItemAsync) and the answer
// is given once it is applied, from the engine's commit thread, so no thread waits for the
// disk; elsewhere (tests, the blocking pool) the call waits. Either way the mutator runs before
// WriteItem returns, so it may borrow the request; the responder runs later and must own what
// it reads.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "api/operation.h"
#include "model/attribute_value.h"
#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::api {

// Decides the write from the stored item; an ApiError it returns is the operation's answer.
using ItemMutator =
    std::function<ApiResult<storage::Mutation>(const std::optional<model::Item>& current)>;
// Writes the successful response from the item as it was before the write.
using ItemResponder =
    std::function<void(const std::optional<model::Item>& old_item, JsonWriter& out)>;

// Writes the item at `key` of `table` as `mutate` decides and answers with `respond`: into
// `out` before returning, or through context.answer_later (setting context.deferred).
ApiResult<void> WriteItem(OperationContext& context, const model::TableMetadata& table,
                          const model::PrimaryKey& key, const ItemMutator& mutate,
                          ItemResponder respond, JsonWriter& out);

// Decides the writes of several items from their states (Engine::MutateItemsAsync); an
// ApiError it returns is the operation's answer.
using ItemsMutator = std::function<ApiResult<std::vector<storage::Mutation>>(
    const std::vector<storage::ItemState>& states)>;
// Given the outcome (the items as they were before, or the error), writes the successful
// response and returns success, or returns the error to answer with.
using ItemsFinisher = std::function<ApiResult<void>(
    ApiResult<std::vector<std::optional<model::Item>>> outcome, JsonWriter& out)>;

// WriteItem for an all-or-nothing write of several items (TransactWriteItems). `finish` runs
// exactly once, whatever the outcome.
ApiResult<void> WriteItems(OperationContext& context, const std::vector<storage::ItemRef>& items,
                           const ItemsMutator& mutate, ItemsFinisher finish, JsonWriter& out);

}  // namespace dunlin::api
