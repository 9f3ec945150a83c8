// BatchWriteItem: up to 25 puts and deletes over one or more tables. Each write is atomic on its
// own; the batch is not (as in DynamoDB), but it is checked whole before anything is written.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
//   1. At most 25 requests in all; each table's list is non-empty; each request has exactly
//      one of PutRequest (with an Item) and DeleteRequest (with a Key).
//   2. Items are at most 400 KB; items and keys follow PutItem's and DeleteItem's key rules.
//   3. No two requests of one table name the same key, a put and a delete included.
//   4. A request that breaks a rule rejects the whole batch, and nothing is written.
//   5. A write that fails in storage (an item held by a transaction, say) comes back in
//      UnprocessedItems, in the request's own shape, for the client to send again; when every
//      write failed the request fails with the first error. UnprocessedItems is {} when
//      everything was written. A write refused because its item collection is full fails the
//      request with ItemCollectionSizeLimitExceededException (sending it again cannot help);
//      as with any failed batch, its other writes may have been applied.
//   6. ConsumedCapacity has one entry per table, each write costed as its PutItem or
//      DeleteItem would be (capacity.h). ReturnItemCollectionMetrics SIZE lists, per table
//      with a local secondary index, each item collection written (item_collection.h).
// The checks run in this order (batch_request.h): table by table in request order, an empty
// list, then each request's place in the 25, shape and item size; table names; then table by
// table in VisitOrder, the table and its requests in order, each request's key and then
// whether an earlier one has the same key.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/batch_request.h"
#include "api/capacity.h"
#include "api/item_collection.h"
#include "api/item_request.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "model/item_size.h"
#include "model/json_codec.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {
namespace {

constexpr size_t kMaxRequests = 25;

using Outcome = storage::StorageResult<std::optional<model::Item>>;

// One PutRequest or DeleteRequest, and its outcome.
struct WriteRequest {
  size_t table = 0;  // index into BatchWrite::tables
  bool put = false;
  // The item to put, or the key to delete.
  model::AttributeMap value;
  // Borrows from `value`; set once the table's key schema is known.
  model::PrimaryKey key;
  size_t new_size = 0;  // puts only
  // Written once, by the write's completion.
  std::optional<storage::StorageError> error;
  size_t old_size = 0;  // the item as it was, 0 when absent
  // What the write consumed on the table's indexes, when capacity is reported.
  std::vector<IndexUnits> index_units;
};

// A whole batch. Shared with the completions of its writes, which may outlive the request.
struct BatchWrite {
  std::vector<std::string> tables;
  // The tables' metadata, in the same order, once looked up.
  std::vector<std::shared_ptr<const model::TableMetadata>> metadata;
  std::vector<WriteRequest> writes;
  CapacityReport capacity = CapacityReport::kNone;
  // ReturnItemCollectionMetrics is SIZE; `engine` then reads the collections' sizes.
  bool collection_metrics = false;
  storage::Engine* engine = nullptr;
};

// Reads a PutRequest's Item or a DeleteRequest's Key (`member`).
ApiResult<model::AttributeMap> ReadRequestMap(const ObjectReader& request,
                                              std::string_view member) {
  auto element = request.Element(member);
  if (!element || element->is_null()) {
    return Fail(ApiError::Validation("The supplied Item contains a null AttributeValue"));
  }
  auto map = model::ParseAttributeMap(*element);
  if (!map.ok()) return Fail(FromModel(std::move(map).error()));
  return std::move(map).value();
}

// Deserializes one WriteRequest of table `table`.
ApiResult<WriteRequest> ReadWriteRequest(simdjson::dom::element element, size_t table) {
  if (element.is_null()) {
    return Fail(
        ApiError::Validation("The batch write request list for a table cannot be null or empty"));
  }
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(element));
  const ObjectReader request(object);
  WriteRequest write;
  write.table = table;
  write.put = request.Has("PutRequest");
  if (write.put == request.Has("DeleteRequest")) {
    // DynamoDB reads WriteRequest as a union, and words the error as for AttributeValue.
    return Fail(ApiError::Validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes"));
  }
  DUNLIN_ASSIGN_OR_RETURN(auto inner, request.Object(write.put ? "PutRequest" : "DeleteRequest"));
  DUNLIN_ASSIGN_OR_RETURN(write.value,
                          ReadRequestMap(ObjectReader(*inner), write.put ? "Item" : "Key"));
  return write;
}

// Rule 1's empty list, for table `name`.
ApiError EmptyList(std::string_view name) {
  return ApiError::Validation(
      fmt::format("The batch write request list for a table cannot be null or empty: {}", name));
}

// Rule 2 for one request of an existing table: sets its key, and checks a put's index keys.
ApiResult<void> CheckKey(WriteRequest& write, const model::TableMetadata& table) {
  if (write.put && write.value.empty()) {
    return Fail(ApiError::Validation("Item to put in PutItem cannot be null"));
  }
  auto key = write.put ? model::ExtractItemKey(write.value, table.key_schema)
                       : model::ValidateKeyParameter(write.value, table.key_schema);
  if (!key.ok()) return Fail(FromModel(std::move(key).error()));
  write.key = *key;
  if (write.put) {
    auto index_keys = model::ValidateIndexKeys(write.value, table, model::IndexKeyWrite::kPut);
    if (!index_keys.ok()) return Fail(FromModel(std::move(index_keys).error()));
  }
  return {};
}

bool SameKey(const model::PrimaryKey& a, const model::PrimaryKey& b) {
  if (!(*a.partition == *b.partition)) return false;
  return a.sort == nullptr || *a.sort == *b.sort;
}

// Rule 3 for request `i`, against the requests of its table before it (their keys set).
ApiResult<void> CheckDuplicate(const BatchWrite& batch, size_t i) {
  const std::vector<WriteRequest>& writes = batch.writes;
  for (size_t j = 0; j < i; ++j) {
    if (writes[j].table == writes[i].table && SameKey(writes[j].key, writes[i].key)) {
      return Fail(ApiError::Validation("Provided list of item keys contains duplicates"));
    }
  }
  return {};
}

storage::Mutator MutatorFor(const WriteRequest& write) {
  if (write.put) {
    // A copy: `write.value` stays for UnprocessedItems should the write fail.
    return [&write](const std::optional<model::Item>&) {
      return storage::StorageResult<storage::Mutation>(storage::Mutation::Put(write.value));
    };
  }
  return [](const std::optional<model::Item>& current) {
    return storage::StorageResult<storage::Mutation>(current ? storage::Mutation::Delete()
                                                             : storage::Mutation::None());
  };
}

void Record(const BatchWrite& batch, WriteRequest& write, Outcome outcome) {
  if (!outcome.ok()) {
    write.error = std::move(outcome).error();
    return;
  }
  const std::optional<model::Item>& old_item = *outcome;
  write.old_size = old_item ? model::ItemSize(*old_item) : 0;
  const model::TableMetadata& table = *batch.metadata[write.table];
  if (batch.capacity != CapacityReport::kNone && !table.indexes.empty()) {
    write.index_units = IndexWriteUnits(table, old_item ? &*old_item : nullptr,
                                        write.put ? &write.value : nullptr);
  }
}

// The response once every write has finished (rules 5 and 6).
ApiResult<void> WriteResponse(const BatchWrite& batch, JsonWriter& out) {
  const WriteRequest* first_failure = nullptr;
  size_t written = 0;
  std::vector<TableCapacity> consumed;
  for (const std::string& table : batch.tables) consumed.push_back({table, 0, {}});
  for (const WriteRequest& write : batch.writes) {
    if (write.error) {
      if (first_failure == nullptr) first_failure = &write;
      continue;
    }
    ++written;
    AddTableUnits(consumed, batch.tables[write.table],
                  WriteCapacityUnits(write.put ? std::max(write.old_size, write.new_size)
                                               : write.old_size),
                  write.index_units);
  }
  if (written == 0 && first_failure != nullptr) {
    return Fail(FromStorage(*first_failure->error, batch.tables[first_failure->table]));
  }
  // A collection at its size limit stays there: sending the write again cannot help.
  for (const WriteRequest& write : batch.writes) {
    if (write.error && write.error->code == storage::StorageError::Code::kItemCollectionTooLarge) {
      return Fail(ApiError::ItemCollectionSizeLimitExceeded());
    }
  }

  out.BeginObject();
  out.Key("UnprocessedItems");
  out.BeginObject();
  for (size_t t = 0; t < batch.tables.size(); ++t) {
    bool open = false;
    for (const WriteRequest& write : batch.writes) {
      if (write.table != t || !write.error) continue;
      if (!open) {
        out.Key(batch.tables[t]);
        out.BeginArray();
        open = true;
      }
      out.BeginObject();
      out.Key(write.put ? "PutRequest" : "DeleteRequest");
      out.BeginObject();
      out.Key(write.put ? "Item" : "Key");
      model::WriteAttributeMap(out, write.value);
      out.EndObject();
      out.EndObject();
    }
    if (open) out.EndArray();
  }
  out.EndObject();
  WriteConsumedCapacityList(out, batch.capacity, consumed);
  std::vector<TableCollections> collections;
  for (const WriteRequest& write : batch.writes) {
    const model::TableMetadata& table = *batch.metadata[write.table];
    if (write.error || !ReportsCollectionMetrics(table, batch.collection_metrics)) continue;
    NoteCollection(collections, table, *write.key.partition);
  }
  WriteCollectionMetricsByTable(out, *batch.engine, collections);
  out.EndObject();
  return {};
}

// The deferred answer of a batch whose writes are queued: the last completion gives it.
struct PendingBatch {
  std::shared_ptr<BatchWrite> batch;
  DeferredAnswer answer;
  std::atomic<size_t> remaining{0};

  // Called by each write's completion, from any thread.
  void Done(size_t index, Outcome outcome) {
    Record(*batch, batch->writes[index], std::move(outcome));
    // acq_rel: the last completion sees every other completion's Record().
    if (remaining.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    std::string body;
    JsonWriter out(body);
    auto written = WriteResponse(*batch, out);
    if (!written.ok()) {
      answer(Fail(std::move(written).error()));
      return;
    }
    answer(std::move(body));
  }
};

}  // namespace

ApiResult<void> BatchWriteItem(OperationContext& context, const ObjectReader& request,
                               JsonWriter& out) {
  auto batch = std::make_shared<BatchWrite>();
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(batch->capacity, ReadCapacityReport(request, violations));
  DUNLIN_ASSIGN_OR_RETURN(auto metrics, request.String("ReturnItemCollectionMetrics"));
  if (metrics) CheckEnum(violations, *metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  batch->collection_metrics = metrics && *metrics == "SIZE";
  batch->engine = &context.engine;
  DUNLIN_ASSIGN_OR_RETURN(
      std::vector<BatchTable> tables,
      ReadRequestItems(request, "BatchWriteItem cannot have a null or no requests set"));

  for (size_t t = 0; t < tables.size(); ++t) {
    batch->tables.push_back(tables[t].name);
    if (tables[t].request.is_null()) return Fail(EmptyList(tables[t].name));
    DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::array list, AsArray(tables[t].request));
    if (list.size() == 0) return Fail(EmptyList(tables[t].name));
    for (simdjson::dom::element element : list) {
      if (batch->writes.size() == kMaxRequests) {
        return Fail(ApiError::Validation("Too many items requested for the BatchWriteItem call"));
      }
      DUNLIN_ASSIGN_OR_RETURN(WriteRequest write, ReadWriteRequest(element, t));
      if (write.put) {
        write.new_size = model::ItemSize(write.value);
        if (write.new_size > model::kMaxItemSizeBytes) {
          return Fail(ApiError::Validation("Item size has exceeded the maximum allowed size"));
        }
      }
      batch->writes.push_back(std::move(write));
    }
  }
  DUNLIN_RETURN_IF_ERROR(CheckTableNames(tables));
  for (size_t t : VisitOrder(tables)) {
    DUNLIN_ASSIGN_OR_RETURN(tables[t].metadata, LoadTable(context, tables[t].name));
    for (size_t i = 0; i < batch->writes.size(); ++i) {
      if (batch->writes[i].table != t) continue;
      DUNLIN_RETURN_IF_ERROR(CheckKey(batch->writes[i], *tables[t].metadata));
      DUNLIN_RETURN_IF_ERROR(CheckDuplicate(*batch, i));
    }
  }
  for (const BatchTable& table : tables) batch->metadata.push_back(table.metadata);

  // Every request is valid: write them. The mutators run before each call returns, so they
  // may borrow from `batch`.
  if (!context.answer_later) {
    for (WriteRequest& write : batch->writes) {
      Record(*batch, write,
             context.engine.MutateItem(*tables[write.table].metadata, write.key,
                                       MutatorFor(write)));
    }
    return WriteResponse(*batch, out);
  }
  auto pending = std::make_shared<PendingBatch>();
  pending->batch = batch;
  pending->answer = std::move(context.answer_later);
  pending->remaining.store(batch->writes.size(), std::memory_order_relaxed);
  context.deferred = true;
  for (size_t i = 0; i < batch->writes.size(); ++i) {
    const WriteRequest& write = batch->writes[i];
    context.engine.MutateItemAsync(
        *tables[write.table].metadata, write.key, MutatorFor(write),
        [pending, i](Outcome outcome) { pending->Done(i, std::move(outcome)); });
  }
  return {};
}

}  // namespace dunlin::api::operations
