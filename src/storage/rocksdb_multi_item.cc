// RocksDbEngine's multi-item operations: MutateItemsAsync (all-or-nothing writes of several
// items, the ground of TransactWriteItems) and ReadItemsTogether (one snapshot of several
// items, the ground of TransactGetItems). See rocksdb_engine.h for the locking scheme.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <mutex>
#include <utility>

#include "storage/group_commit.h"
#include "storage/item_codec.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_status.h"
#include "storage/stream_codec.h"

namespace dunlin::storage {
namespace {

StorageError InvalidArgument(std::string message) {
  return StorageError{StorageError::Code::kInvalidArgument, std::move(message)};
}

// The storage keys of `items`, in their order. Fails with kInvalidArgument on an empty list, a
// null table or two equal keys (keys of different tables differ by their table prefix).
StorageResult<std::vector<std::string>> EncodeKeys(const std::vector<ItemRef>& items) {
  if (items.empty()) return Fail(InvalidArgument("a multi-item operation needs an item"));
  std::vector<std::string> keys;
  keys.reserve(items.size());
  for (const ItemRef& item : items) {
    if (item.table == nullptr) return Fail(InvalidArgument("an item without its table"));
    DUNLIN_ASSIGN_OR_RETURN(std::string key, EncodeStorageKey(*item.table, item.key));
    keys.push_back(std::move(key));
  }
  std::vector<const std::string*> sorted;
  sorted.reserve(keys.size());
  for (const std::string& key : keys) sorted.push_back(&key);
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (*sorted[i] == *sorted[i - 1]) {
      return Fail(InvalidArgument("a multi-item operation names one item twice"));
    }
  }
  return keys;
}

}  // namespace

// The stripe locks of a set of keys, taken in ascending stripe order (so two multi-item
// callers never wait on each other in a cycle) and released on destruction.
class RocksDbEngine::StripeLocks {
 public:
  StripeLocks(RocksDbEngine& engine, const std::vector<std::string>& keys) {
    std::vector<Stripe*> stripes;
    stripes.reserve(keys.size());
    for (const std::string& key : keys) stripes.push_back(&engine.StripeOf(key));
    std::sort(stripes.begin(), stripes.end());
    stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
    locks_.reserve(stripes.size());
    for (Stripe* stripe : stripes) locks_.emplace_back(stripe->mutex);
  }
  void Release() { locks_.clear(); }

 private:
  std::vector<std::unique_lock<std::mutex>> locks_;
};

void RocksDbEngine::MutateItemsAsync(const std::vector<ItemRef>& items,
                                     const MultiMutator& mutator, MutateManyDone done) {
  using Outcome = StorageResult<std::vector<std::optional<model::Item>>>;
  auto encoded = EncodeKeys(items);
  if (!encoded.ok()) return done(Outcome(Fail(std::move(encoded).error())));
  std::vector<std::string> keys = std::move(*encoded);
  for (const ItemRef& item : items) {
    if (auto live = CheckLive(*item.table); !live.ok()) {
      return done(Outcome(Fail(std::move(live).error())));
    }
  }

  StripeLocks locks(*this, keys);
  // Nothing to queue: answer now, outside the stripe locks.
  auto answer_now = [&locks, &done](Outcome outcome) {
    locks.Release();
    done(std::move(outcome));
  };

  std::vector<ItemState> states(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const Stripe& stripe = StripeOf(keys[i]);
    auto read = ReadForWrite(stripe, keys[i], items[i].table->name);
    if (!read.ok()) return answer_now(Fail(std::move(read).error()));
    states[i].item = std::move(*read);
    states[i].held = HeldLocked(stripe, keys[i]);
  }
  auto decided = mutator(states);
  if (!decided.ok()) return answer_now(Fail(std::move(decided).error()));
  if (decided->size() != items.size()) {
    return answer_now(Fail(InvalidArgument("a multi-item mutator must decide every item")));
  }
  std::vector<ItemChange> changes;
  changes.reserve(items.size());
  bool any_write = false;
  for (size_t i = 0; i < items.size(); ++i) {
    auto planned = PlanChange(*items[i].table, items[i].key, states[i].item, (*decided)[i]);
    if (!planned.ok()) return answer_now(Fail(std::move(planned).error()));
    any_write = any_write || planned->write;
    changes.push_back(std::move(*planned));
  }
  std::vector<std::optional<model::Item>> old_items;
  old_items.reserve(items.size());
  for (ItemState& state : states) old_items.push_back(std::move(state.item));
  // Only reads: they all held at one instant, which is the serialization point.
  if (!any_write) return answer_now(std::move(old_items));

  // As in MutateItemAsync: queued under the catalog lock, after checking every table, with
  // the index changes planned against the catalog's current metadata.
  std::shared_lock tables_lock(tables_mutex_);
  std::vector<GroupCommitter::TableDelta> deltas;
  auto add_delta = [&deltas](uint64_t id, const TableStats& change) {
    auto it = std::find_if(deltas.begin(), deltas.end(),
                           [id](const GroupCommitter::TableDelta& d) { return d.table_id == id; });
    if (it == deltas.end()) it = deltas.insert(deltas.end(), {id, TableStats{}});
    it->delta.item_count += change.item_count;
    it->delta.size_bytes += change.size_bytes;
  };
  IndexChanges index_changes;
  std::vector<size_t> collection_items;  // the item of each collection delta
  struct Record {
    uint64_t stream_id = 0;
    std::string value;
  };
  std::vector<Record> records;  // in item order
  std::vector<ExpiryChanges> expiry_changes;
  for (size_t i = 0; i < items.size(); ++i) {
    auto current = CurrentLocked(*items[i].table);
    if (!current.ok()) {
      tables_lock.unlock();
      return answer_now(Fail(std::move(current).error()));
    }
    if (!changes[i].write) continue;
    bool unchanged = false;
    std::optional<std::string> record =
        PlanRecord(**current, old_items[i], (*decided)[i], changes[i].new_value, &unchanged);
    if (unchanged) {
      changes[i].write = false;  // an equal item: nothing to write (still held)
      continue;
    }
    if (record) records.push_back({(*current)->stream->stream_id, std::move(*record)});
    if ((*current)->ttl.enabled && (*current)->ttl.expiry_id != 0) {
      const Mutation& mutation = (*decided)[i];
      expiry_changes.push_back(PlanExpiryChanges(
          **current, keys[i], old_items[i] ? &*old_items[i] : nullptr,
          mutation.kind == Mutation::Kind::kPut ? &mutation.new_item : nullptr));
    }
    add_delta(items[i].table->internal_id, changes[i].delta);
    if ((*current)->indexes.empty()) continue;
    const Mutation& mutation = (*decided)[i];
    const size_t first_delta = index_changes.deltas.size();
    PlanIndexChanges(**current, old_items[i] ? &*old_items[i] : nullptr,
                     mutation.kind == Mutation::Kind::kPut ? &mutation.new_item : nullptr,
                     index_changes);
    for (size_t d = first_delta; d < index_changes.deltas.size(); ++d) {
      add_delta(index_changes.deltas[d].index_id, index_changes.deltas[d].delta);
    }
    collection_items.resize(index_changes.collections.size(), i);
  }
  if (auto fits = CheckCollectionLimits(index_changes, 0, collection_items); !fits.ok()) {
    tables_lock.unlock();
    return answer_now(Fail(std::move(fits).error()));
  }
  std::vector<bool> wrote(items.size());
  std::vector<const std::optional<std::string>*> values(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    wrote[i] = changes[i].write;
    values[i] = &NoteQueuedLocked(StripeOf(keys[i]), keys[i], changes[i], /*hold=*/true);
  }
  const uint64_t generation = generation_;
  committer_->Submit(
      [&](rocksdb::WriteBatch& batch) {  // runs now, under the stripe locks
        for (size_t i = 0; i < keys.size(); ++i) {
          if (!wrote[i]) continue;
          rocksdb::Status status = *values[i] ? batch.Put(items_cf_, keys[i], **values[i])
                                              : batch.Delete(items_cf_, keys[i]);
          if (!status.ok()) return status;
        }
        for (const ExpiryChanges& changes : expiry_changes) {
          rocksdb::Status status = AddExpiryWrites(batch, changes);
          if (!status.ok()) return status;
        }
        for (const Record& record : records) {
          rocksdb::Status status = batch.Put(
              stream_records_cf_,
              StreamRecordKey(record.stream_id, TakeSequence(record.stream_id)), record.value);
          if (!status.ok()) return status;
        }
        return AddIndexWrites(batch, index_changes);
      },
      deltas,
      [this, keys, wrote, generation, old_items = std::move(old_items),
       done = std::move(done)](const rocksdb::Status& status) mutable {
        for (size_t i = 0; i < keys.size(); ++i) {
          ReleaseQueued(StripeOf(keys[i]), keys[i], generation, wrote[i], /*hold=*/true);
        }
        if (!status.ok()) {
          done(Outcome(Fail(FromStatus(status, "writing a multi-item change"))));
          return;
        }
        done(Outcome(std::move(old_items)));
      });
}

StorageResult<std::vector<ItemState>> RocksDbEngine::ReadItemsTogether(
    const std::vector<ItemRef>& items) {
  DUNLIN_ASSIGN_OR_RETURN(std::vector<std::string> keys, EncodeKeys(items));
  for (const ItemRef& item : items) DUNLIN_RETURN_IF_ERROR(CheckLive(*item.table));
  std::vector<ItemState> states(items.size());
  const rocksdb::Snapshot* snapshot = nullptr;
  {
    // The holds and the snapshot are taken at one instant: a multi-item write is either held
    // here or wholly in the snapshot or wholly absent from it.
    StripeLocks locks(*this, keys);
    for (size_t i = 0; i < items.size(); ++i) states[i].held = HeldLocked(StripeOf(keys[i]), keys[i]);
    snapshot = db_->GetSnapshot();
  }
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  StorageResult<void> outcome;
  for (size_t i = 0; i < items.size() && outcome.ok(); ++i) {
    rocksdb::PinnableSlice value;
    rocksdb::Status status = db_->Get(read, items_cf_, keys[i], &value);
    if (status.IsNotFound()) continue;
    if (!status.ok()) {
      outcome = Fail(FromStatus(status, "reading an item of " + items[i].table->name));
      break;
    }
    auto item = DecodeItem(value.ToStringView());
    if (!item.ok()) {
      outcome = Fail(std::move(item).error());
      break;
    }
    states[i].item = std::move(*item);
  }
  db_->ReleaseSnapshot(snapshot);
  DUNLIN_RETURN_IF_ERROR(outcome);
  return states;
}

}  // namespace dunlin::storage
