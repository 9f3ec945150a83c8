// RocksDbEngine: the Engine (engine.h) on one RocksDB database.
//
// How it works (docs/storage-format.md has the byte layouts):
//   - Column family "catalog": table name -> encoded TableMetadata (catalog_codec.h). The whole
//     catalog is also held in memory, so DescribeTable and ListTables never touch the disk.
//   - Column family "items": storage key (key_encoding.h) -> encoded item (item_codec.h).
//   - Column family "stats": 8-byte big-endian internal_id -> item count and size in bytes,
//     updated by merge operands (deltas) that a merge operator adds up, so concurrent writers
//     never lose an update and no read is needed to update them.
//   - Default column family, key "meta": the format version and the next internal table id.
//     Opening a directory written in another format version fails with a clear message.
//   - MutateItem holds one of kLockStripes mutexes (picked by a hash of the storage key) across
//     reading the old item, running the mutator and writing one WriteBatch (item and stats
//     delta), so a mutator must not call MutateItem itself (it could wait on its own stripe).
//     Concurrent synced writers share WAL syncs through RocksDB's group commit.
//   - Catalog operations are serialized by one mutex. A write to a table and the deletion of
//     that table exclude each other, so no item is ever written under a deleted table's prefix.
//
// Thread-safety: all Engine methods may be called concurrently. Cursors returned by Scan and
// Query must be destroyed before the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "storage/catalog_codec.h"
#include "storage/engine.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
}  // namespace rocksdb

namespace dunlin::storage {

// The storage format this build reads and writes (recorded in the meta record).
inline constexpr uint32_t kStorageFormatVersion = 1;

inline constexpr char kCatalogColumnFamily[] = "catalog";
inline constexpr char kItemsColumnFamily[] = "items";
inline constexpr char kStatsColumnFamily[] = "stats";
// Key of the meta record in the default column family.
inline constexpr char kMetaKey[] = "meta";

// Number of mutexes MutateItem stripes item keys over.
inline constexpr size_t kLockStripes = 4096;

// Stats values are 16 bytes: item count then size in bytes, each a 64-bit two's-complement
// big-endian integer. Stats merge operands have the same form and hold deltas.
std::string EncodeStatsValue(const TableStats& stats);
// Fails with kCorruption unless `bytes` is 16 bytes long.
StorageResult<TableStats> DecodeStatsValue(std::string_view bytes);

class RocksDbEngine final : public Engine {
 public:
  // Use OpenRocksDbEngine (engine.h).
  static StorageResult<std::unique_ptr<RocksDbEngine>> Open(const EngineOptions& options);

  // Syncs the write-ahead log and closes the database.
  ~RocksDbEngine() override;

  RocksDbEngine(const RocksDbEngine&) = delete;
  RocksDbEngine& operator=(const RocksDbEngine&) = delete;

  StorageResult<model::TableMetadata> CreateTable(model::TableMetadata table) override;
  StorageResult<model::TableMetadata> DescribeTable(const std::string& name) override;
  StorageResult<std::vector<model::TableMetadata>> ListTables() override;
  StorageResult<model::TableMetadata> UpdateTable(const std::string& name,
                                                  const TableUpdater& update) override;
  using Engine::DeleteTable;
  StorageResult<model::TableMetadata> DeleteTable(const std::string& name,
                                                  const TableCheck& check) override;
  StorageResult<TableStats> GetTableStats(const model::TableMetadata& table) override;

  StorageResult<std::optional<model::Item>> GetItem(const model::TableMetadata& table,
                                                    const model::PrimaryKey& key) override;
  StorageResult<std::optional<model::Item>> MutateItem(const model::TableMetadata& table,
                                                       const model::PrimaryKey& key,
                                                       const Mutator& mutator) override;
  StorageResult<std::unique_ptr<ItemCursor>> Scan(const model::TableMetadata& table,
                                                  const ScanSpec& spec) override;
  // One RocksDB iterator over the exact key range of query_range.h, forward or backward.
  StorageResult<std::unique_ptr<ItemCursor>> Query(const model::TableMetadata& table,
                                                   const QuerySpec& spec) override;

 private:
  explicit RocksDbEngine(const EngineOptions& options);

  StorageResult<void> OpenDatabase();
  StorageResult<void> LoadMetaAndCatalog();
  // Fails with kTableNotFound unless a table with this name and internal id exists.
  // REQUIRES: tables_mutex_ held (shared or exclusive).
  StorageResult<void> CheckLiveLocked(const model::TableMetadata& table) const;
  StorageResult<void> CheckLive(const model::TableMetadata& table) const;

  EngineOptions options_;
  // Declared before db_ so that it outlives it (in-memory mode only).
  std::unique_ptr<rocksdb::Env> mem_env_;
  std::unique_ptr<rocksdb::DB> db_;
  // Owned by db_'s lifetime; destroyed in the destructor before db_ closes.
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* catalog_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* items_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* stats_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* default_cf_ = nullptr;

  // Serializes catalog operations (and with them meta_).
  std::mutex catalog_mutex_;
  MetaRecord meta_;
  // Guards tables_ and write_gates_; held only briefly, never across I/O.
  mutable std::shared_mutex tables_mutex_;
  std::map<std::string, model::TableMetadata, std::less<>> tables_;
  // One per live table, by internal id: item writers hold it shared across their synced write,
  // DeleteTable exclusively across the removal, so no write lands after the range delete and a
  // delete waits only for writes to its own table.
  std::map<uint64_t, std::shared_ptr<std::shared_mutex>> write_gates_;

  std::unique_ptr<std::mutex[]> stripes_;
};

}  // namespace dunlin::storage
