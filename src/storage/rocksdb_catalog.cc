// RocksDbEngine's catalog operations: creating, describing, listing, updating and deleting
// tables, and CommitCatalogEntry, through which every catalog change is ordered with the item
// writes around it (see rocksdb_engine.h).
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <future>
#include <mutex>
#include <utility>

#include "storage/expiry_index.h"
#include "storage/group_commit.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_status.h"

namespace dunlin::storage {

// --- Catalog ---

StorageResult<model::TableMetadata> RocksDbEngine::CreateTable(model::TableMetadata table) {
  if (table.indexes.size() > kMaxIndexesPerTable) {
    return Fail(StorageError{StorageError::Code::kInvalidArgument,
                             "a table has at most " + std::to_string(kMaxIndexesPerTable) +
                                 " secondary indexes"});
  }
  std::lock_guard catalog_lock(catalog_mutex_);
  {
    std::shared_lock lock(tables_mutex_);
    if (tables_.count(table.name) != 0) {
      return Fail(StorageError{StorageError::Code::kTableExists, "table exists: " + table.name});
    }
  }
  // The table's id, then one per index: each index has its own key prefix.
  table.internal_id = meta_.next_table_id;
  MetaRecord next_meta = meta_;
  next_meta.next_table_id = table.internal_id + 1;
  for (model::SecondaryIndex& index : table.indexes) index.internal_id = next_meta.next_table_id++;
  DUNLIN_RETURN_IF_ERROR(
      CommitCatalogEntry(nullptr, table, next_meta, "creating table " + table.name));
  return table;
}

StorageResult<model::TableMetadata> RocksDbEngine::DescribeTable(const std::string& name) {
  DUNLIN_ASSIGN_OR_RETURN(std::shared_ptr<const model::TableMetadata> table, FindTable(name));
  return *table;
}

StorageResult<std::shared_ptr<const model::TableMetadata>> RocksDbEngine::FindTable(
    const std::string& name) {
  std::shared_lock lock(tables_mutex_);
  auto it = tables_.find(name);
  if (it == tables_.end()) return Fail(TableNotFound(name));
  return it->second;
}

StorageResult<std::vector<model::TableMetadata>> RocksDbEngine::ListTables() {
  std::shared_lock lock(tables_mutex_);
  std::vector<model::TableMetadata> tables;
  tables.reserve(tables_.size());
  for (const auto& [name, table] : tables_) tables.push_back(*table);
  return tables;
}

StorageResult<model::TableMetadata> RocksDbEngine::UpdateTable(const std::string& name,
                                                               const TableUpdater& update) {
  std::lock_guard catalog_lock(catalog_mutex_);
  DUNLIN_ASSIGN_OR_RETURN(const model::TableMetadata before, DescribeTable(name));
  model::TableMetadata table = before;
  DUNLIN_RETURN_IF_ERROR(update(table));
  if (table.name != name || table.internal_id != before.internal_id) {
    return Fail(StorageError{StorageError::Code::kInvalidArgument,
                             "a table update may not change the name or internal id"});
  }
  DUNLIN_RETURN_IF_ERROR(CommitCatalogEntry(&before, table, meta_, "updating table " + name));
  return table;
}

StorageResult<model::TableMetadata> RocksDbEngine::DeleteTable(const std::string& name,
                                                               const TableCheck& check) {
  std::lock_guard catalog_lock(catalog_mutex_);
  if (check) {
    // Item writers never change the catalog, so the check holds until the removal below.
    DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata current, DescribeTable(name));
    DUNLIN_RETURN_IF_ERROR(check(current));
  }
  // Taken out of the catalog and queued in one step under the catalog lock: item writers
  // check the table and queue their write under the same lock (shared), so every write queued
  // before is applied before the range delete, and none is queued after it.
  model::TableMetadata deleted;
  std::promise<rocksdb::Status> written;
  auto outcome = written.get_future();
  {
    std::unique_lock lock(tables_mutex_);
    auto it = tables_.find(name);
    if (it == tables_.end()) return Fail(TableNotFound(name));
    deleted = *it->second;
    MetaRecord unchanged_meta = meta_;
    const StreamChange streams = PlanStreamChange(&deleted, nullptr, unchanged_meta);
    const uint64_t expiry_id = deleted.ttl.expiry_id;
    // The table's items and stats, and each index's entries and stats.
    std::vector<uint64_t> ids = {deleted.internal_id};
    for (const model::SecondaryIndex& index : deleted.indexes) ids.push_back(index.internal_id);
    committer_->Submit(
        [&](rocksdb::WriteBatch& batch) {
          rocksdb::Status status = batch.Delete(catalog_cf_, name);
          if (status.ok()) status = AddStreamChangeWrites(batch, streams);
          if (status.ok() && expiry_id != 0) {
            status = batch.DeleteRange(expiry_cf_, ExpiryKeyPrefix(expiry_id, 0),
                                       ExpiryKeyPrefix(expiry_id + 1, 0));
          }
          for (uint64_t id : ids) {
            const StorageKeyRange range = StorageKeyRangeOf(id, HashRange{});
            if (status.ok()) status = batch.DeleteRange(items_cf_, range.begin, range.end);
            if (status.ok()) status = batch.Delete(stats_cf_, StatsKey(id));
          }
          // The table's item collections: every stats key longer than the table's own.
          if (status.ok()) {
            std::string first_collection = StatsKey(deleted.internal_id);
            first_collection.push_back('\0');
            status = batch.DeleteRange(stats_cf_, first_collection,
                                       StatsKey(deleted.internal_id + 1));
          }
          return status;
        },
        /*table_id=*/0, TableStats{},
        [&written](const rocksdb::Status& status) { written.set_value(status); },
        /*stats_first=*/true);
    tables_.erase(it);
  }
  rocksdb::Status status = outcome.get();
  if (!status.ok()) {
    // Not removed after all: the table comes back (writes meanwhile were told it is gone).
    std::unique_lock lock(tables_mutex_);
    tables_.emplace(deleted.name, std::make_shared<const model::TableMetadata>(deleted));
    return Fail(FromStatus(status, "deleting table " + name));
  }
  return deleted;
}

StorageResult<void> RocksDbEngine::CommitCatalogEntry(const model::TableMetadata* before,
                                                      model::TableMetadata& table,
                                                      MetaRecord next_meta,
                                                      const std::string& what) {
  const StreamChange streams = PlanStreamChange(before, &table, next_meta);
  const uint64_t dropped_expiry_id = PlanExpiryChange(before, table, next_meta);
  const bool start_expiry_backfill =
      table.ttl.backfilling && (before == nullptr || before->ttl.expiry_id != table.ttl.expiry_id);
  const std::string encoded = EncodeTableMetadata(table);
  const std::string encoded_meta = EncodeMetaRecord(next_meta);
  std::promise<rocksdb::Status> written;
  auto outcome = written.get_future();
  {
    // Queued and swapped in one step: item writes queued before use the old entry (and its
    // stream), later ones the new.
    std::unique_lock lock(tables_mutex_);
    committer_->Submit(
        [&](rocksdb::WriteBatch& batch) {
          rocksdb::Status status = batch.Put(catalog_cf_, table.name, encoded);
          if (status.ok()) status = batch.Put(default_cf_, kMetaKey, encoded_meta);
          if (status.ok()) status = AddStreamChangeWrites(batch, streams);
          if (status.ok() && dropped_expiry_id != 0) {
            status = batch.DeleteRange(expiry_cf_, ExpiryKeyPrefix(dropped_expiry_id, 0),
                                       ExpiryKeyPrefix(dropped_expiry_id + 1, 0));
          }
          return status;
        },
        /*table_id=*/0, TableStats{},
        [&written](const rocksdb::Status& status) { written.set_value(status); });
    tables_[table.name] = std::make_shared<const model::TableMetadata>(table);
  }
  rocksdb::Status status = outcome.get();
  if (!status.ok()) {
    std::unique_lock lock(tables_mutex_);
    if (before != nullptr) {
      tables_[table.name] = std::make_shared<const model::TableMetadata>(*before);
    } else {
      tables_.erase(table.name);
    }
    return Fail(FromStatus(status, what));
  }
  meta_ = next_meta;
  if (start_expiry_backfill) StartExpiryBackfill(table.name, table.internal_id, table.ttl.expiry_id);
  return {};
}

}  // namespace dunlin::storage
