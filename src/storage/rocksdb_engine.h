// RocksDbEngine: the Engine (engine.h) on one RocksDB database.
//
// How it works (docs/storage-format.md has the byte layouts):
//   - Column family "catalog": table name -> encoded TableMetadata (catalog_codec.h). The whole
//     catalog is also held in memory, so DescribeTable and ListTables never touch the disk.
//   - Column family "items": storage key (key_encoding.h) -> encoded item (item_codec.h).
//   - Column family "stats": 8-byte big-endian internal_id -> item count and size in bytes,
//     updated by merge operands (deltas) that a merge operator adds up, so concurrent writers
//     never lose an update and no read is needed to update them.
//   - Column family "streams": stream id -> stream descriptor; "stream_records": stream id and
//     sequence number -> record (stream_codec.h). A write to a table with an enabled stream
//     adds its record to the item's own batch; its sequence number is taken inside the
//     committer's queue lock (GroupCommitter::Submit's `add`), so numbers rise in commit order.
//     Descriptor changes (a stream enabled, closed, rolled, trimmed) are made the same way,
//     ordered with the item writes around them. A maintenance thread trims, rolls and drops
//     (rocksdb_streams.cc).
//   - Column family "expiry": the expiry index of tables with Time to Live enabled
//     (expiry_index.h), kept in each item's own write like index entries; a sweeper thread
//     deletes due items through MutateItemAsync, re-checking each (rocksdb_ttl.cc).
//   - Default column family, key "meta": the format version and the next internal table id.
//     Opening a directory written in another format version fails with a clear message.
//   - Item writes go through one GroupCommitter (group_commit.h): concurrent writers share one
//     batch, one WAL write and one sync, and no thread waits for the disk on a writer's behalf.
//   - MutateItemAsync holds one of kLockStripes mutexes (picked by a hash of the storage key)
//     while it reads the old item, runs the mutator and queues the write, so a mutator must not
//     write itself (it could wait on its own stripe). A queued write is not in RocksDB yet, so
//     each stripe also keeps the pending value of its queued keys: a later writer of the same
//     key reads that value instead of RocksDB's, and the entry goes once the last queued write
//     of the key is applied. Plain reads (GetItem, Query, Scan) see only applied writes, which
//     includes every acknowledged one. When a group fails to write, every write queued behind
//     it fails too and the pending values are dropped, so no write builds on a lost one.
//   - MutateItemsAsync locks the stripes of all its items (in ascending order), reads them all,
//     and queues every change as one Submit, so the group's single RocksDB write applies all of
//     them or none. Until then its keys are held (PendingValue::holds): single-item writers of
//     them fail with kTransactionConflict, and multi-item writers and ReadItemsTogether see
//     the hold. ReadItemsTogether takes one RocksDB snapshot under the same stripe locks.
//   - Catalog operations are serialized by one mutex. DeleteTable queues its removal behind the
//     table's queued item writes and takes the table out of the catalog in the same step, so
//     no item is ever written under a deleted table's prefix.
//
// Thread-safety: all Engine methods may be called concurrently. Cursors returned by Scan and
// Query must be destroyed before the engine.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <condition_variable>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/catalog_codec.h"
#include "storage/expiry_index.h"
#include "storage/engine.h"
#include "storage/index_entries.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class Status;
class WriteBatch;
}  // namespace rocksdb

namespace dunlin::storage {

class GroupCommitter;

// The storage format this build writes (recorded in the meta record). Version 2 added
// secondary indexes, version 3 streams and Time to Live. An older directory, which holds none
// of the newer things, is upgraded when opened, so that builds which would not keep them refuse
// it from then on.
inline constexpr uint32_t kStorageFormatVersion = 3;
inline constexpr uint32_t kOldestReadableFormatVersion = 1;

inline constexpr char kCatalogColumnFamily[] = "catalog";
inline constexpr char kItemsColumnFamily[] = "items";
inline constexpr char kStatsColumnFamily[] = "stats";
inline constexpr char kStreamsColumnFamily[] = "streams";
inline constexpr char kStreamRecordsColumnFamily[] = "stream_records";
inline constexpr char kExpiryColumnFamily[] = "expiry";
// Key of the meta record in the default column family.
inline constexpr char kMetaKey[] = "meta";

// The most secondary indexes a table may have (DynamoDB's 20 global and 5 local).
inline constexpr size_t kMaxIndexesPerTable = 25;

// Number of mutexes MutateItemAsync stripes item keys over.
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
  StorageResult<std::shared_ptr<const model::TableMetadata>> FindTable(
      const std::string& name) override;
  StorageResult<std::vector<model::TableMetadata>> ListTables() override;
  StorageResult<model::TableMetadata> UpdateTable(const std::string& name,
                                                  const TableUpdater& update) override;
  using Engine::DeleteTable;
  StorageResult<model::TableMetadata> DeleteTable(const std::string& name,
                                                  const TableCheck& check) override;
  // rocksdb_index_admin.cc explains why the backfill is exact while writes go on.
  using Engine::AddIndex;
  using Engine::DropIndex;
  StorageResult<model::TableMetadata> AddIndex(const std::string& table_name,
                                               model::SecondaryIndex index,
                                               const TableUpdater& prepare) override;
  StorageResult<model::TableMetadata> DropIndex(const std::string& table_name,
                                                const std::string& index_name,
                                                const TableUpdater& prepare) override;
  StorageResult<TableStats> GetTableStats(const model::TableMetadata& table) override;
  StorageResult<TableStats> GetIndexStats(const model::TableMetadata& table,
                                          const model::SecondaryIndex& index) override;
  StorageResult<TableStats> GetItemCollectionStats(const model::TableMetadata& table,
                                                   const model::AttributeValue& partition) override;

  StorageResult<std::vector<StreamInfo>> ListStreams() override;
  StorageResult<std::vector<StreamRecord>> ReadStream(uint64_t stream_id, uint64_t from,
                                                      uint64_t through, size_t limit,
                                                      int64_t max_bytes) override;
  uint64_t NextStreamSequence() override;

  StorageResult<std::optional<model::Item>> GetItem(const model::TableMetadata& table,
                                                    const model::PrimaryKey& key) override;
  void MutateItemAsync(const model::TableMetadata& table, const model::PrimaryKey& key,
                       const Mutator& mutator, MutateDone done) override;
  StorageResult<std::unique_ptr<ItemCursor>> Scan(const model::TableMetadata& table,
                                                  const ScanSpec& spec) override;
  // Locks the items' stripes in ascending order, so multi-item writers never deadlock.
  void MutateItemsAsync(const std::vector<ItemRef>& items, const MultiMutator& mutator,
                        MutateManyDone done) override;
  StorageResult<std::vector<ItemState>> ReadItemsTogether(
      const std::vector<ItemRef>& items) override;
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
  // The catalog's current metadata of `table` (same name and internal id), whose indexes item
  // writes keep in step. Fails with kTableNotFound. REQUIRES: tables_mutex_ held.
  StorageResult<std::shared_ptr<const model::TableMetadata>> CurrentLocked(
      const model::TableMetadata& table) const;
  // Makes `table` its name's catalog entry and `next_meta` current, with the stream changes
  // from `before` (null: a new table) to `table` (PlanStreamChange, which may set table's
  // stream id and label), in one write queued behind every item write queued before it, and
  // swaps the in-memory catalog in the same step; on failure the swap is undone. `what`
  // names the change in errors. REQUIRES: catalog_mutex_ held.
  StorageResult<void> CommitCatalogEntry(const model::TableMetadata* before,
                                         model::TableMetadata& table, MetaRecord next_meta,
                                         const std::string& what);

  // --- Streams (rocksdb_streams.cc) ---
  int64_t NowMs() const;
  // What a catalog change does to streams: a stream to open (its descriptor, shards not yet
  // numbered) and one to close.
  struct StreamChange {
    std::optional<StreamInfo> opened;
    uint64_t closed = 0;  // stream id; 0: none
  };
  // The stream change from `before` (null: a new table) to `after` (null: deleted). Assigns a
  // newly enabled stream its id (from next_meta) and label. REQUIRES: catalog_mutex_ held.
  StreamChange PlanStreamChange(const model::TableMetadata* before, model::TableMetadata* after,
                                MetaRecord& next_meta);
  // Adds `change`'s descriptor writes to `batch` and applies it to streams_, taking sequence
  // numbers. REQUIRES: inside a committer `add` callback.
  rocksdb::Status AddStreamChangeWrites(rocksdb::WriteBatch& batch, const StreamChange& change);
  // A sequence number for a record of `stream_id`. REQUIRES: inside a committer `add` callback.
  uint64_t TakeSequence(uint64_t stream_id);
  // The encoded record of an item write to `table` (its stream as the catalog holds it now),
  // or nullopt: no enabled stream, or a write that changes nothing (then *unchanged is set).
  std::optional<std::string> PlanRecord(const model::TableMetadata& table,
                                        const std::optional<model::Item>& old_item,
                                        const Mutation& mutation,
                                        const std::optional<std::string>& new_value,
                                        bool* unchanged);
  // Loads the stream descriptors and the sequence counter (opening).
  StorageResult<void> LoadStreams();
  void StartStreamMaintenance();
  void StopStreamMaintenance();
  void RunStreamMaintenance();
  // One pass: roll old shards, trim old records, drop expired streams.
  void MaintainStreams();

  // --- Time to Live (rocksdb_ttl.cc) ---
  // Assigns a newly enabled (or renamed) Time to Live setting of `after` its expiry index id
  // (from next_meta) and marks it backfilling; clears the id of a disabled one. Returns the
  // expiry index id whose entries the change drops (0: none). REQUIRES: catalog_mutex_ held.
  uint64_t PlanExpiryChange(const model::TableMetadata* before, model::TableMetadata& after,
                            MetaRecord& next_meta);
  // Adds an item write's expiry index changes to `batch`.
  rocksdb::Status AddExpiryWrites(rocksdb::WriteBatch& batch, const ExpiryChanges& changes);
  // Fills the expiry index of `expiry_id` from the table's items, then clears `backfilling`.
  void StartExpiryBackfill(const std::string& table_name, uint64_t table_id, uint64_t expiry_id);
  void RunExpiryBackfill(const std::string& table_name, uint64_t table_id, uint64_t expiry_id);
  void StartExpirySweeper();
  void StopExpirySweeper();
  // One pass over every table with Time to Live enabled: deletes its due items, at most
  // EngineOptions::ttl_sweep_batch per table.
  void SweepExpired();
  // Deletes the due items of `table` named by expiry entries; returns how many entries it
  // looked at.
  size_t SweepTable(const std::shared_ptr<const model::TableMetadata>& table, int64_t now_seconds);
  // Adds an item write's index entry writes and collection stats merges to `batch`.
  rocksdb::Status AddIndexWrites(rocksdb::WriteBatch& batch, const IndexChanges& changes);
  // Fails with kItemCollectionTooLarge when the collection growth in changes.collections
  // (from `first` on; deltas of one collection summed) would pass the limit. `items` gives,
  // per collection delta, the position of its item in a multi-item write (empty: one item).
  StorageResult<void> CheckCollectionLimits(const IndexChanges& changes, size_t first,
                                            const std::vector<size_t>& items);

  EngineOptions options_;
  // Declared before db_ so that it outlives it (in-memory mode only).
  std::unique_ptr<rocksdb::Env> mem_env_;
  std::unique_ptr<rocksdb::DB> db_;
  // Owned by db_'s lifetime; destroyed in the destructor before db_ closes.
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* catalog_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* items_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* stats_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* stream_records_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* expiry_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* default_cf_ = nullptr;

  // Serializes catalog operations (and with them meta_).
  std::mutex catalog_mutex_;
  MetaRecord meta_;
  // Guards tables_; held only briefly, never across I/O.
  mutable std::shared_mutex tables_mutex_;
  // Immutable snapshots: a catalog change replaces the pointer, so a request keeps the
  // metadata it started with.
  std::map<std::string, std::shared_ptr<const model::TableMetadata>, std::less<>> tables_;

  // What queued, not yet applied writes leave at a key: the value the last of them gives it
  // (nullopt: deleted) while `queued` > 0, and how many multi-item writes hold it.
  struct PendingValue {
    std::optional<std::string> encoded_item;
    uint32_t queued = 0;
    uint32_t holds = 0;
    uint64_t generation = 0;
  };
  struct Stripe {
    std::mutex mutex;
    std::unordered_map<std::string, PendingValue> pending;  // by storage key
  };
  Stripe& StripeOf(const std::string& storage_key);
  class StripeLocks;  // rocksdb_multi_item.cc
  // The item at `storage_key` as the writes before leave it: a queued write's value, else
  // RocksDB's. REQUIRES: the stripe's mutex held.
  StorageResult<std::optional<model::Item>> ReadForWrite(const Stripe& stripe,
                                                         const std::string& storage_key,
                                                         const std::string& table_name);
  // Whether a multi-item write holds `storage_key`. REQUIRES: the stripe's mutex held.
  static bool HeldLocked(const Stripe& stripe, const std::string& storage_key);

  // What one item's mutation writes: nothing (`write` false), or `new_value` (nullopt: a
  // delete) with the change to the table's stats.
  struct ItemChange {
    bool write = false;
    std::optional<std::string> new_value;
    TableStats delta;
  };
  // Fails with kInvalidArgument when a kPut item's key differs from `key`.
  static StorageResult<ItemChange> PlanChange(const model::TableMetadata& table,
                                              const model::PrimaryKey& key,
                                              const std::optional<model::Item>& old_item,
                                              const Mutation& mutation);
  // Records a queued write of `storage_key` (when change.write; its new value moves into the
  // stripe) and a hold (when `hold`). Returns the key's pending value, valid while the stripe
  // stays locked. REQUIRES: the stripe's mutex held.
  const std::optional<std::string>& NoteQueuedLocked(Stripe& stripe,
                                                     const std::string& storage_key,
                                                     ItemChange& change, bool hold);
  // Undoes NoteQueuedLocked once the write is applied (or failed). Locks the stripe.
  void ReleaseQueued(Stripe& stripe, const std::string& storage_key, uint64_t generation,
                     bool wrote, bool hold);

  // Called on the commit thread when a group failed: fails the queued writes and drops the
  // pending values, under every stripe lock.
  void OnCommitFailure(const rocksdb::Status& status);

  // --- Index backfills (rocksdb_index_admin.cc) ---
  // Starts a thread that fills index `index_id` of table `table_id` from the table's items.
  void StartBackfill(const std::string& table_name, uint64_t table_id, uint64_t index_id);
  void RunBackfill(const std::string& table_name, uint64_t table_id, uint64_t index_id);
  // Stops and joins every backfill (the engine is closing; a restart resumes them).
  void StopBackfills();
  // Sleeps between batches; false when the engine is closing.
  bool BackfillPause();
  // The table's current metadata while it still has the index; null once either is gone.
  std::shared_ptr<const model::TableMetadata> BackfillTarget(const std::string& table_name,
                                                             uint64_t table_id,
                                                             uint64_t index_id);
  // Once the backfill's writes are applied, makes the index's statistics exact (see the file
  // comment). False when that could not be done.
  bool SettleIndexStats(const std::string& table_name, uint64_t table_id, uint64_t index_id);

  std::mutex backfill_mutex_;
  std::condition_variable backfill_wake_;
  bool backfill_stopping_ = false;
  std::vector<std::thread> backfills_;

  // Retained streams by id. Changed only inside committer `add` callbacks (so in commit
  // order), read anywhere; lock order: the committer's queue lock, then this.
  mutable std::mutex streams_mutex_;
  std::map<uint64_t, StreamInfo> streams_;
  // The next sequence number (written only inside `add` callbacks), and each stream's last
  // one (only touched inside them).
  std::atomic<uint64_t> next_sequence_{1};
  std::unordered_map<uint64_t, uint64_t> last_sequence_;
  std::mutex maintenance_mutex_;
  std::condition_variable maintenance_wake_;
  bool maintenance_stopping_ = false;
  std::thread maintenance_;
  std::mutex sweeper_mutex_;
  std::condition_variable sweeper_wake_;
  bool sweeper_stopping_ = false;
  std::thread sweeper_;

  std::unique_ptr<Stripe[]> stripes_;
  // Bumped when pending values are dropped after a failed write; read under any stripe lock,
  // written under all of them.
  uint64_t generation_ = 0;
  // Declared after db_ and the stripes, so it stops (writing what is queued) before they go.
  std::unique_ptr<GroupCommitter> committer_;
};

}  // namespace dunlin::storage
