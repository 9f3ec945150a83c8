// RocksDbEngine's Time to Live: the expiry index kept with item writes, its backfill when TTL
// is enabled on a table with items, and the sweeper that deletes due items.
//
// Why a deletion never removes an item that was just saved: the sweeper deletes through
// MutateItemAsync, whose mutator sees the item as the writes queued before it leave it, under
// the item's stripe lock, and deletes only when that item's own Time to Live value is due. A
// write that extends or removes the value is either queued before (the mutator sees it and
// keeps the item) or after (it finds the item deleted, as DynamoDB's would).
//
// Entries are hints: the backfill may write an entry for a value a concurrent write has just
// replaced. The sweeper finds the item no longer due and removes such an entry, under the
// item's stripe lock and queued like a write of the item, so a write that gives the item that
// same expiry again is ordered after the removal and puts the entry back.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <utility>

#include "storage/group_commit.h"
#include "storage/item_codec.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_status.h"

namespace dunlin::storage {
namespace {

// Expiry deletions in flight at once within one sweep of a table.
constexpr size_t kSweepConcurrency = 128;

model::PrimaryKey KeyOf(const model::KeySchema& schema, const model::Item& keys) {
  model::PrimaryKey key;
  if (auto it = keys.find(schema.partition.name); it != keys.end()) key.partition = &it->second;
  if (schema.sort) {
    if (auto it = keys.find(schema.sort->name); it != keys.end()) key.sort = &it->second;
  }
  return key;
}

}  // namespace

uint64_t RocksDbEngine::PlanExpiryChange(const model::TableMetadata* before,
                                         model::TableMetadata& after, MetaRecord& next_meta) {
  const uint64_t old_id = before != nullptr ? before->ttl.expiry_id : 0;
  if (!after.ttl.enabled) {
    after.ttl.expiry_id = 0;
    after.ttl.backfilling = false;
  } else if (before == nullptr || !before->ttl.enabled || before->ttl.expiry_id == 0 ||
             before->ttl.attribute_name != after.ttl.attribute_name) {
    after.ttl.expiry_id = next_meta.next_table_id++;
    // A new table has no items to index.
    after.ttl.backfilling = before != nullptr;
  }
  return old_id != 0 && old_id != after.ttl.expiry_id ? old_id : 0;
}

rocksdb::Status RocksDbEngine::AddExpiryWrites(rocksdb::WriteBatch& batch,
                                               const ExpiryChanges& changes) {
  if (changes.remove) {
    rocksdb::Status status = batch.Delete(expiry_cf_, *changes.remove);
    if (!status.ok()) return status;
  }
  if (changes.add) return batch.Put(expiry_cf_, changes.add->first, changes.add->second);
  return rocksdb::Status::OK();
}

// --- Backfill ---

void RocksDbEngine::StartExpiryBackfill(const std::string& table_name, uint64_t table_id,
                                        uint64_t expiry_id) {
  std::lock_guard lock(backfill_mutex_);
  if (backfill_stopping_) return;
  backfills_.emplace_back([this, table_name, table_id, expiry_id] {
    RunExpiryBackfill(table_name, table_id, expiry_id);
  });
}

void RocksDbEngine::RunExpiryBackfill(const std::string& table_name, uint64_t table_id,
                                      uint64_t expiry_id) {
  const StorageKeyRange range = StorageKeyRangeOf(table_id, HashRange{});
  std::string next = range.begin;
  bool done = false;
  while (!done) {
    // The table as the catalog holds it now, while it still has this expiry index.
    std::shared_ptr<const model::TableMetadata> table;
    {
      std::shared_lock lock(tables_mutex_);
      auto it = tables_.find(table_name);
      if (it != tables_.end() && it->second->internal_id == table_id &&
          it->second->ttl.expiry_id == expiry_id) {
        table = it->second;
      }
    }
    if (!table) return;  // disabled, renamed or deleted meanwhile
    std::vector<ExpiryChanges> entries;
    {
      rocksdb::ReadOptions read;
      rocksdb::Slice upper(range.end);
      read.iterate_upper_bound = &upper;
      read.total_order_seek = true;
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, items_cf_));
      size_t seen = 0;
      for (it->Seek(next); it->Valid() && seen < options_.backfill_batch_items; it->Next()) {
        ++seen;
        auto item = DecodeItem(it->value().ToStringView());
        if (!item.ok()) continue;
        ExpiryChanges changes = PlanExpiryChanges(*table, it->key().ToStringView(), nullptr, &*item);
        if (changes.add) entries.push_back(std::move(changes));
      }
      done = !it->Valid();
      if (!done) next = it->key().ToString();
    }
    if (!entries.empty()) {
      std::promise<rocksdb::Status> written;
      auto outcome = written.get_future();
      {
        // Queued under the catalog lock, so a disable's removal of the index comes after.
        std::shared_lock lock(tables_mutex_);
        auto it = tables_.find(table_name);
        if (it == tables_.end() || it->second->ttl.expiry_id != expiry_id) return;
        committer_->Submit(
            [&](rocksdb::WriteBatch& batch) {
              for (const ExpiryChanges& changes : entries) {
                rocksdb::Status status = AddExpiryWrites(batch, changes);
                if (!status.ok()) return status;
              }
              return rocksdb::Status::OK();
            },
            /*table_id=*/0, TableStats{},
            [&written](const rocksdb::Status& status) { written.set_value(status); });
      }
      if (!outcome.get().ok()) return;  // a restart resumes it
    }
    if (!done && !BackfillPause()) return;
  }
  UpdateTable(table_name, [&](model::TableMetadata& current) -> StorageResult<void> {
    if (current.internal_id == table_id && current.ttl.expiry_id == expiry_id) {
      current.ttl.backfilling = false;
    }
    return {};
  }).ok();
}

// --- Sweeper ---

void RocksDbEngine::StartExpirySweeper() {
  sweeper_ = std::thread([this] {
    std::unique_lock lock(sweeper_mutex_);
    while (!sweeper_stopping_) {
      sweeper_wake_.wait_for(lock, std::chrono::milliseconds(options_.ttl_sweep_interval_ms),
                             [this] { return sweeper_stopping_; });
      if (sweeper_stopping_) break;
      lock.unlock();
      SweepExpired();
      lock.lock();
    }
  });
}

void RocksDbEngine::StopExpirySweeper() {
  {
    std::lock_guard lock(sweeper_mutex_);
    sweeper_stopping_ = true;
  }
  sweeper_wake_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

void RocksDbEngine::SweepExpired() {
  std::vector<std::shared_ptr<const model::TableMetadata>> tables;
  {
    std::shared_lock lock(tables_mutex_);
    for (const auto& [name, table] : tables_) {
      if (table->ttl.enabled && table->ttl.expiry_id != 0) tables.push_back(table);
    }
  }
  const int64_t now_seconds = NowMs() / 1000;
  for (const auto& table : tables) SweepTable(table, now_seconds);
}

size_t RocksDbEngine::SweepTable(const std::shared_ptr<const model::TableMetadata>& table,
                                 int64_t now_seconds) {
  const uint64_t expiry_id = table->ttl.expiry_id;
  // Due entries: expiring in the last five years, up to now.
  const std::string first = ExpiryKeyPrefix(
      expiry_id, std::max<int64_t>(0, now_seconds - kExpiryWindowSeconds));
  const std::string end = ExpiryKeyPrefix(expiry_id, now_seconds + 1);
  struct Due {
    std::string entry_key;
    int64_t seconds = 0;
    std::string storage_key;
    model::Item keys;
  };
  std::vector<Due> due;
  {
    rocksdb::ReadOptions read;
    rocksdb::Slice upper(end);
    read.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, expiry_cf_));
    for (it->Seek(first); it->Valid() && due.size() < options_.ttl_sweep_batch; it->Next()) {
      auto parsed = ParseExpiryKey(it->key().ToStringView());
      auto keys = DecodeItem(it->value().ToStringView());
      if (!parsed || !keys.ok()) continue;
      due.push_back({it->key().ToString(), parsed->seconds, std::string(parsed->storage_key),
                     std::move(*keys)});
    }
  }
  // Deletes in waves of kSweepConcurrency, each item re-checked by its own mutator.
  std::vector<const Due*> stale;
  for (size_t start = 0; start < due.size(); start += kSweepConcurrency) {
    const size_t count = std::min(kSweepConcurrency, due.size() - start);
    std::atomic<size_t> left{count};
    std::promise<void> all_done;
    auto finished = all_done.get_future();
    for (size_t i = start; i < start + count; ++i) {
      const Due& entry = due[i];
      bool is_stale = false;
      MutateItemAsync(
          *table, KeyOf(table->key_schema, entry.keys),
          [&](const std::optional<model::Item>& current) -> StorageResult<Mutation> {
            const std::optional<int64_t> seconds =
                current ? ExpirySeconds(table->ttl, *current) : std::nullopt;
            if (seconds && ExpiryDue(*seconds, now_seconds)) return Mutation::ExpiryDelete();
            is_stale = seconds != entry.seconds;
            return Mutation::None();
          },
          [&left, &all_done](StorageResult<std::optional<model::Item>>) {
            if (left.fetch_sub(1) == 1) all_done.set_value();
          });
      if (is_stale) stale.push_back(&entry);
    }
    finished.wait();
  }
  // Entries whose item no longer expires then (a backfill that raced a write): checked again
  // and removed under the item's stripe lock, queued as a write of the item would be.
  for (const Due* entry : stale) {
    Stripe& stripe = StripeOf(entry->storage_key);
    std::lock_guard lock(stripe.mutex);
    auto current = ReadForWrite(stripe, entry->storage_key, table->name);
    if (!current.ok()) continue;
    const std::optional<int64_t> seconds =
        *current ? ExpirySeconds(table->ttl, **current) : std::nullopt;
    if (seconds == entry->seconds) continue;
    committer_->Submit(
        [&](rocksdb::WriteBatch& batch) { return batch.Delete(expiry_cf_, entry->entry_key); },
        /*table_id=*/0, TableStats{}, [](const rocksdb::Status&) {});
  }
  return due.size();
}

}  // namespace dunlin::storage
