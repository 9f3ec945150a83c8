// RocksDbEngine: adding a global secondary index to a table with items (with its paced
// backfill) and dropping an index. See engine.h (AddIndex, DropIndex) for the contracts.
//
// Why the backfill is correct while writes go on:
//   1. The index enters the catalog before the backfill starts, under the catalog lock that
//      every writer holds (shared) while it plans and queues: a writer queued after that keeps
//      the index itself, and one queued before left its value pending in its stripe.
//   2. The backfill reads each item under its stripe lock, pending values included, and queues
//      the item's entry behind every write queued before. Whatever order a writer and the
//      backfill take for one item, the later one writes the entry of the item's latest value,
//      and a writer deletes the entry of the value it replaces: the entries end exact.
//   3. Statistics: a writer that replaces an item the backfill has not reached yet counts the
//      removal of an entry that was never written, and the backfill may write an entry a writer
//      already wrote. So once the backfill's writes are applied, it counts the index's entries
//      in one snapshot, reads the index's statistics in the same snapshot, and adds the
//      difference. Entries and statistics change in the same atomic writes, so the snapshot
//      sees them agree, and every write after it finds the entry it replaces: exact from then on.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <utility>

#include "model/item_size.h"
#include "storage/group_commit.h"
#include "storage/index_entries.h"
#include "storage/item_codec.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_status.h"

namespace dunlin::storage {
namespace {

StorageError InvalidArgument(std::string message) {
  return StorageError{StorageError::Code::kInvalidArgument, std::move(message)};
}

const model::SecondaryIndex* FindIndexById(const model::TableMetadata& table, uint64_t id) {
  for (const model::SecondaryIndex& index : table.indexes) {
    if (index.internal_id == id) return &index;
  }
  return nullptr;
}

}  // namespace

namespace {

// Runs `prepare` on `table`, keeping what it may not change.
StorageResult<void> RunPrepare(const Engine::TableUpdater& prepare, model::TableMetadata& table) {
  if (!prepare) return {};
  const std::string name = table.name;
  const uint64_t id = table.internal_id;
  std::vector<model::SecondaryIndex> indexes = table.indexes;
  DUNLIN_RETURN_IF_ERROR(prepare(table));
  table.name = name;
  table.internal_id = id;
  table.indexes = std::move(indexes);
  return {};
}

}  // namespace

StorageResult<model::TableMetadata> RocksDbEngine::AddIndex(const std::string& table_name,
                                                            model::SecondaryIndex index,
                                                            const TableUpdater& prepare) {
  model::TableMetadata table;
  {
    std::lock_guard catalog_lock(catalog_mutex_);
    DUNLIN_ASSIGN_OR_RETURN(const model::TableMetadata before, DescribeTable(table_name));
    table = before;
    DUNLIN_RETURN_IF_ERROR(RunPrepare(prepare, table));
    if (table.indexes.size() >= kMaxIndexesPerTable) {
      return Fail(InvalidArgument("table " + table_name + " has the most indexes a table may"));
    }
    for (const model::SecondaryIndex& existing : table.indexes) {
      if (existing.name == index.name) {
        return Fail(InvalidArgument("table " + table_name + " has an index " + index.name));
      }
    }
    MetaRecord next_meta = meta_;
    index.internal_id = next_meta.next_table_id++;
    index.status = model::IndexStatus::kCreating;
    index.backfilling = true;
    table.indexes.push_back(index);
    DUNLIN_RETURN_IF_ERROR(
        CommitCatalogEntry(&before, table, next_meta, "adding index " + index.name));
  }
  StartBackfill(table.name, table.internal_id, index.internal_id);
  return table;
}

StorageResult<model::TableMetadata> RocksDbEngine::DropIndex(const std::string& table_name,
                                                             const std::string& index_name,
                                                             const TableUpdater& prepare) {
  std::lock_guard catalog_lock(catalog_mutex_);
  DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata before, DescribeTable(table_name));
  model::TableMetadata after = before;
  auto it = std::find_if(after.indexes.begin(), after.indexes.end(),
                         [&](const model::SecondaryIndex& index) { return index.name == index_name; });
  if (it == after.indexes.end()) {
    return Fail(InvalidArgument("table " + table_name + " has no index " + index_name));
  }
  const uint64_t index_id = it->internal_id;
  after.indexes.erase(it);
  DUNLIN_RETURN_IF_ERROR(RunPrepare(prepare, after));
  MetaRecord next_meta = meta_;
  const StreamChange streams = PlanStreamChange(&before, &after, next_meta);
  // As DeleteTable: queued behind the writes that still keep the index, and swapped in the
  // catalog in the same step, so no later write touches the dropped range.
  std::promise<rocksdb::Status> written;
  auto outcome = written.get_future();
  {
    std::unique_lock lock(tables_mutex_);
    const StorageKeyRange range = StorageKeyRangeOf(index_id, HashRange{});
    const std::string encoded = EncodeTableMetadata(after);
    const std::string encoded_meta = EncodeMetaRecord(next_meta);
    committer_->Submit(
        [&](rocksdb::WriteBatch& batch) {
          rocksdb::Status status = batch.Put(catalog_cf_, table_name, encoded);
          if (status.ok()) status = batch.Put(default_cf_, kMetaKey, encoded_meta);
          if (status.ok()) status = AddStreamChangeWrites(batch, streams);
          if (status.ok()) status = batch.DeleteRange(items_cf_, range.begin, range.end);
          if (status.ok()) status = batch.Delete(stats_cf_, TablePrefix(index_id));
          return status;
        },
        /*table_id=*/0, TableStats{},
        [&written](const rocksdb::Status& status) { written.set_value(status); },
        /*stats_first=*/true);
    tables_[table_name] = std::make_shared<const model::TableMetadata>(after);
  }
  rocksdb::Status status = outcome.get();
  if (!status.ok()) {
    std::unique_lock lock(tables_mutex_);
    tables_[table_name] = std::make_shared<const model::TableMetadata>(before);
    return Fail(FromStatus(status, "dropping index " + index_name));
  }
  meta_ = next_meta;
  return before;
}

void RocksDbEngine::StartBackfill(const std::string& table_name, uint64_t table_id,
                                  uint64_t index_id) {
  std::lock_guard lock(backfill_mutex_);
  backfills_.emplace_back([this, table_name, table_id, index_id] {
    RunBackfill(table_name, table_id, index_id);
  });
}

void RocksDbEngine::StopBackfills() {
  {
    std::lock_guard lock(backfill_mutex_);
    backfill_stopping_ = true;
  }
  backfill_wake_.notify_all();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(backfill_mutex_);
    threads.swap(backfills_);
  }
  for (std::thread& thread : threads) thread.join();
}

bool RocksDbEngine::BackfillPause() {
  std::unique_lock lock(backfill_mutex_);
  backfill_wake_.wait_for(lock, std::chrono::milliseconds(options_.backfill_pause_ms),
                          [this] { return backfill_stopping_; });
  return !backfill_stopping_;
}

std::shared_ptr<const model::TableMetadata> RocksDbEngine::BackfillTarget(
    const std::string& table_name, uint64_t table_id, uint64_t index_id) {
  std::shared_lock lock(tables_mutex_);
  auto it = tables_.find(table_name);
  if (it == tables_.end() || it->second->internal_id != table_id ||
      FindIndexById(*it->second, index_id) == nullptr) {
    return nullptr;
  }
  return it->second;
}

void RocksDbEngine::RunBackfill(const std::string& table_name, uint64_t table_id,
                                uint64_t index_id) {
  const StorageKeyRange table_range = StorageKeyRangeOf(table_id, HashRange{});
  std::string next = table_range.begin;
  bool done = false;
  while (!done) {
    if (!BackfillTarget(table_name, table_id, index_id)) return;  // dropped meanwhile
    // The next batch of item keys, from a fresh iterator.
    std::vector<std::string> keys;
    {
      rocksdb::ReadOptions read;
      rocksdb::Slice upper(table_range.end);
      read.iterate_upper_bound = &upper;
      read.total_order_seek = true;
      std::unique_ptr<rocksdb::Iterator> iter(db_->NewIterator(read, items_cf_));
      for (iter->Seek(next); iter->Valid() && keys.size() < options_.backfill_batch_items;
           iter->Next()) {
        keys.emplace_back(iter->key().ToString());
      }
      done = !iter->Valid();
    }
    for (const std::string& key : keys) {
      Stripe& stripe = StripeOf(key);
      std::unique_lock stripe_lock(stripe.mutex);
      auto current = ReadForWrite(stripe, key, table_name);
      if (!current.ok() || !*current) continue;
      std::shared_lock tables_lock(tables_mutex_);
      auto it = tables_.find(table_name);
      if (it == tables_.end() || it->second->internal_id != table_id) return;
      const model::TableMetadata& table = *it->second;
      const model::SecondaryIndex* index = FindIndexById(table, index_id);
      if (index == nullptr) return;
      std::optional<std::string> entry_key = IndexEntryKey(table, *index, **current);
      if (!entry_key) continue;
      const model::Item projected = ProjectForIndex(table, *index, **current);
      std::string value = EncodeItem(projected);
      TableStats delta{1, static_cast<int64_t>(model::ItemSize(projected))};
      std::string existing;
      if (db_->Get(rocksdb::ReadOptions(), items_cf_, *entry_key, &existing).ok()) {
        if (existing == value) continue;  // a writer already wrote it
        delta.item_count = 0;  // replaced; the count is settled at the end anyway
      }
      committer_->Submit(
          [&](rocksdb::WriteBatch& batch) { return batch.Put(items_cf_, *entry_key, value); },
          index_id, delta, [](const rocksdb::Status&) {});
    }
    if (!keys.empty()) next = keys.back() + std::string(1, '\0');
    if (!done && !BackfillPause()) return;
  }
  if (!SettleIndexStats(table_name, table_id, index_id)) return;
  // Ready: the index turns ACTIVE.
  auto updated = UpdateTable(table_name, [&](model::TableMetadata& table) -> StorageResult<void> {
    if (table.internal_id != table_id) return Fail(InvalidArgument("table replaced"));
    for (model::SecondaryIndex& index : table.indexes) {
      if (index.internal_id == index_id) {
        index.status = model::IndexStatus::kActive;
        index.backfilling = false;
      }
    }
    return {};
  });
  (void)updated;  // a table dropped meanwhile needs nothing more
}

bool RocksDbEngine::SettleIndexStats(const std::string& table_name, uint64_t table_id,
                                     uint64_t index_id) {
  // Wait until every write queued so far (the backfill's included) is applied.
  std::promise<rocksdb::Status> drained;
  auto applied = drained.get_future();
  committer_->Submit([](rocksdb::WriteBatch&) { return rocksdb::Status::OK(); }, 0, TableStats{},
                     [&drained](const rocksdb::Status& status) { drained.set_value(status); });
  if (!applied.get().ok()) return false;
  if (!BackfillTarget(table_name, table_id, index_id)) return false;

  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  TableStats counted;
  const StorageKeyRange range = StorageKeyRangeOf(index_id, HashRange{});
  rocksdb::Slice upper(range.end);
  read.iterate_upper_bound = &upper;
  read.total_order_seek = true;
  bool ok = true;
  {
    std::unique_ptr<rocksdb::Iterator> iter(db_->NewIterator(read, items_cf_));
    for (iter->Seek(range.begin); iter->Valid(); iter->Next()) {
      auto item = DecodeItem(iter->value().ToStringView());
      if (!item.ok()) {
        ok = false;
        break;
      }
      counted.item_count += 1;
      counted.size_bytes += static_cast<int64_t>(model::ItemSize(*item));
    }
    ok = ok && iter->status().ok();
  }
  TableStats stored;
  std::string value;
  read.iterate_upper_bound = nullptr;
  rocksdb::Status status = db_->Get(read, stats_cf_, TablePrefix(index_id), &value);
  db_->ReleaseSnapshot(snapshot);
  if (!ok || (!status.ok() && !status.IsNotFound())) return false;
  if (status.ok()) {
    auto decoded = DecodeStatsValue(value);
    if (!decoded.ok()) return false;
    stored = *decoded;
  }
  const TableStats correction{counted.item_count - stored.item_count,
                              counted.size_bytes - stored.size_bytes};
  if (correction.item_count == 0 && correction.size_bytes == 0) return true;
  std::promise<rocksdb::Status> corrected;
  auto written = corrected.get_future();
  {
    // Queued under the catalog lock, with the index still in the catalog: DropIndex and
    // DeleteTable queue their removal of the index's statistics under the same lock, so the
    // correction lands before that removal or not at all (it would otherwise recreate them).
    std::shared_lock lock(tables_mutex_);
    auto it = tables_.find(table_name);
    if (it == tables_.end() || it->second->internal_id != table_id ||
        FindIndexById(*it->second, index_id) == nullptr) {
      return false;
    }
    committer_->Submit(
        [](rocksdb::WriteBatch&) { return rocksdb::Status::OK(); }, index_id, correction,
        [&corrected](const rocksdb::Status& result) { corrected.set_value(result); });
  }
  return written.get().ok();
}

}  // namespace dunlin::storage
