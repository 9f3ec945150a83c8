// Engine: the storage interface every table operation goes through.
//
// USE CASES: the catalog (create, describe, list, update, delete tables), point reads, atomic
// read-modify-write of one item, and ordered range reads (Scan segments, Query of one item
// collection).
// BEHAVIOUR: items are kept in the order of their storage keys (see key_encoding.h): first by a
// 32-bit hash of the partition key (so Scan order and parallel-scan segments follow DynamoDB's
// hashing model), then by partition key value, then by sort key in DynamoDB's order. Writes are
// durable when acknowledged unless the engine was opened with sync disabled.
// CONSTRAINTS: no RocksDB (or other backend) types appear here; a later engine stores tables in a
// SQL database. DynamoDB semantics (limits, page sizes, error wording) live in api/, not here.
//
// Thread-safety: all methods may be called concurrently from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/attribute_value.h"
#include "model/table.h"
#include "storage/stream_types.h"

namespace dunlin::storage {

struct StorageError {
  enum class Code {
    kTableNotFound,
    kTableExists,
    kAborted,  // a MutateItem callback declined the write; see MutateItem
    kIo,
    kCorruption,
    // The caller broke a documented precondition: a key attribute missing or of the wrong type,
    // a malformed query condition, a bad scan segment, a put whose item key differs from the
    // mutated key. The API layer validates requests first, so this signals a bug there.
    kInvalidArgument,
    // The item is held by a multi-item write (MutateItemsAsync) that is queued but not yet
    // applied; DynamoDB's "Transaction is ongoing for the item". Retrying later succeeds.
    kTransactionConflict,
    // A write would grow an item collection (a table with local indexes) past
    // EngineOptions::item_collection_limit_bytes; nothing was written.
    kItemCollectionTooLarge,
    // No stream with that id is retained (ReadStream).
    kStreamNotFound,
  };
  Code code = Code::kIo;
  std::string message;
  // kItemCollectionTooLarge from a multi-item write: the position of the item whose write
  // crossed the limit.
  std::optional<size_t> item = std::nullopt;
};

template <typename T>
using StorageResult = Result<T, StorageError>;

// Exact statistics kept per table, updated atomically with every write.
struct TableStats {
  int64_t item_count = 0;
  // Sum of DynamoDB item sizes (model/item_size.h) of the items stored.
  int64_t size_bytes = 0;
};

// What a MutateItem callback decides to do with an item.
struct Mutation {
  enum class Kind { kNone, kPut, kDelete };
  Kind kind = Kind::kNone;
  model::Item new_item;  // for kPut: the whole new item, including its key attributes
  // A Time to Live deletion: its stream record carries the service identity.
  bool by_service = false;
  static Mutation None() { return {}; }
  static Mutation Put(model::Item item) { return {Kind::kPut, std::move(item)}; }
  static Mutation Delete() { return {Kind::kDelete, {}}; }
  static Mutation ExpiryDelete() { return {Kind::kDelete, {}, true}; }
};

// Decides the mutation from the item as currently stored (nullopt when absent). Returning an
// error aborts the write; MutateItem then returns that error unchanged (its code is kAborted
// with the callback's message, or whatever the callback chose).
using Mutator =
    std::function<StorageResult<Mutation>(const std::optional<model::Item>& current)>;

// One item of a multi-item read or write: its table and key.
// REQUIRES: both outlive the call they are passed to.
struct ItemRef {
  const model::TableMetadata* table = nullptr;
  model::PrimaryKey key;
};

// An item as a multi-item write or read finds it.
struct ItemState {
  std::optional<model::Item> item;  // nullopt when absent
  // Another multi-item write that is queued but not yet applied holds this item.
  bool held = false;
};

// Decides one mutation per item (same order and count as the items) from their states. An
// error aborts the whole write and is returned unchanged, as with Mutator.
using MultiMutator =
    std::function<StorageResult<std::vector<Mutation>>(const std::vector<ItemState>& states)>;

// A range of items to read in storage order.
struct ScanSpec {
  // Parallel scan: read only the hash range of segment `segment` of `total_segments`
  // (DynamoDB's Segment/TotalSegments). total_segments == 1 reads the whole table.
  // REQUIRES (else kInvalidArgument): segment < total_segments.
  uint32_t segment = 0;
  uint32_t total_segments = 1;
  // Resume strictly after the item with this primary key (DynamoDB's ExclusiveStartKey); for
  // an index, after the entry of these index and table key values.
  std::optional<model::Item> exclusive_start_key;
  // Read this secondary index of the table (one of table.indexes) instead of the table: its
  // entries, as the index projects them, in the index's hash order. Null: the table.
  const model::SecondaryIndex* index = nullptr;
};

// A condition on the sort key of a Query, applied in DynamoDB's order of the key type (numbers
// by value, strings by UTF-8 bytes, binaries by unsigned bytes).
// REQUIRES (else kInvalidArgument): every operand has the type of the table's sort key;
// kBeginsWith only on S and B keys; for kBetween, value <= upper.
struct SortKeyCondition {
  enum class Op {
    kEqual,         // sort key == value
    kLess,          // sort key < value
    kLessEqual,     // sort key <= value
    kGreater,       // sort key > value
    kGreaterEqual,  // sort key >= value
    kBetween,       // value <= sort key <= upper (both inclusive)
    kBeginsWith,    // the bytes of value are a prefix of the sort key's (an empty prefix: all)
  };
  Op op = Op::kEqual;
  model::AttributeValue value;
  model::AttributeValue upper;  // kBetween only
};

enum class QueryDirection {
  kForward,   // ascending sort key order
  kBackward,  // descending sort key order
};

// The items of one partition (item collection), optionally narrowed by a sort key condition.
struct QuerySpec {
  // REQUIRES (else kInvalidArgument): of the type of the table's partition key.
  model::AttributeValue partition_key;
  // Only for tables with a sort key (else kInvalidArgument). Absent: the whole partition.
  std::optional<SortKeyCondition> sort_condition;
  QueryDirection direction = QueryDirection::kForward;
  // Resume strictly after the item with this primary key, in `direction` (a previous page's
  // last key). Attributes other than the key are ignored; the key need not exist nor satisfy
  // sort_condition (a key outside the range yields all of it or nothing, by its position).
  // REQUIRES (else kInvalidArgument): the table's key attributes with their types, and the
  // partition key equal to partition_key.
  std::optional<model::Item> exclusive_start_key;
  // Query this secondary index of the table (one of table.indexes): partition_key and
  // sort_condition then apply to the index's key, the entries come as the index projects them,
  // ordered by index sort key (entries with equal index keys by table key), and
  // exclusive_start_key must carry the index's and the table's key attributes.
  const model::SecondaryIndex* index = nullptr;
  // A multi-attribute index key (index->more_partition non-empty): the values of its further
  // partition attributes, in schema order. REQUIRES (else kInvalidArgument): one per attribute,
  // of its type.
  std::vector<model::AttributeValue> more_partition_keys = {};
  // A multi-attribute index key: the values the leading sort attributes equal, in schema
  // order; sort_condition then applies to sort attribute number sort_prefix.size() (the first
  // is index->key_schema.sort). REQUIRES (else kInvalidArgument): fewer values than sort
  // attributes when sort_condition is set, at most as many otherwise, each of its type.
  std::vector<model::AttributeValue> sort_prefix = {};
};

// A one-way cursor over items, in the order of the read that opened it (storage order for Scan,
// the query's direction for Query). Not thread-safe; use from one thread at a time.
class ItemCursor {
 public:
  virtual ~ItemCursor() = default;
  // The next item, or nullopt at the end of the range.
  virtual StorageResult<std::optional<model::Item>> Next() = 0;
  // For a cursor over a secondary index: the table's whole item whose key `entry` (an entry
  // this cursor returned) carries, as of the cursor's snapshot, so that the entry and the item
  // agree (a local index read that wants attributes the index does not project). nullopt when
  // absent. Fails with kInvalidArgument on a table cursor or an entry without the table key.
  virtual StorageResult<std::optional<model::Item>> ReadTableItem(
      const model::TableMetadata& table, const model::Item& entry) = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;

  // --- Catalog ---
  // Persists a new table. `table.internal_id` and its indexes' internal ids are assigned by the
  // engine (any values passed are ignored); the stored metadata is returned. Fails with
  // kTableExists, or kInvalidArgument beyond 25 indexes (DynamoDB's 20 global and 5 local).
  //
  // A table created with table.stream enabled gets its stream: the engine assigns its
  // stream_id and sets its label to the creation time (one millisecond later per earlier
  // stream of the same name with that label, so labels of one name never repeat).
  //
  // Every item write keeps the table's secondary indexes (table.indexes, as the catalog holds
  // them when the write is queued) in step, in the same atomic write: an item's entry in an
  // index exists exactly when the item has the index's key attributes with the index's types
  // (index_entries.h).
  virtual StorageResult<model::TableMetadata> CreateTable(model::TableMetadata table) = 0;
  // Fails with kTableNotFound.
  virtual StorageResult<model::TableMetadata> DescribeTable(const std::string& name) = 0;
  // DescribeTable without the copy: the metadata as of now, shared and immutable (a later
  // catalog change makes a new snapshot). Fails with kTableNotFound. For the request path.
  virtual StorageResult<std::shared_ptr<const model::TableMetadata>> FindTable(
      const std::string& name) = 0;
  // All tables sorted by name.
  virtual StorageResult<std::vector<model::TableMetadata>> ListTables() = 0;
  // Time to Live: while table.ttl is enabled, the engine keeps an expiry index of the table's
  // items (expiry_index.h; a table's items when TTL is enabled are added by a paced backfill)
  // and a sweeper deletes each item whose Time to Live attribute is due, within about
  // EngineOptions::ttl_sweep_interval_ms: an atomic re-check of the item and a
  // Mutation::ExpiryDelete in one MutateItemAsync, so an item whose expiry was just extended or
  // removed stays. Enabling TTL (or changing its attribute) assigns table.ttl.expiry_id.
  //
  // Changes a table's metadata atomically: `update` receives the current metadata and may
  // change anything but its name and internal_id; an error it returns aborts the change and is
  // returned as is. Catalog changes are serialized, so concurrent updates are never lost.
  // Returns the metadata as stored. Fails with kTableNotFound.
  //
  // Streams: setting `stream` to an enabled stream with stream_id 0 enables a new stream (the
  // engine assigns its id, and its label from the current time, later than any earlier label
  // of the name); an enabled stream that is disabled, replaced or removed is closed (it stays
  // readable for its retention). Item writes queued before the change go to the old stream,
  // later ones to the new. AddIndex's and DropIndex's `prepare` may do the same.
  using TableUpdater = std::function<StorageResult<void>(model::TableMetadata& table)>;
  virtual StorageResult<model::TableMetadata> UpdateTable(const std::string& name,
                                                          const TableUpdater& update) = 0;
  // Removes the table and all its items (its enabled stream is closed, and stays readable for
  // its retention), once `check` (when given) accepts the current metadata; the check and the removal are one atomic step. Returns the metadata as it was.
  // Fails with kTableNotFound, or with the error `check` returns.
  using TableCheck = std::function<StorageResult<void>(const model::TableMetadata& table)>;
  virtual StorageResult<model::TableMetadata> DeleteTable(const std::string& name,
                                                          const TableCheck& check) = 0;
  StorageResult<model::TableMetadata> DeleteTable(const std::string& name) {
    return DeleteTable(name, TableCheck());
  }
  // Adds a global secondary index to a table with items (UpdateTable's Create). The index goes
  // into the catalog at once with status kCreating and `backfilling` set, so every write queued
  // from then on keeps it; a background backfill then writes the entries of the items already
  // there, pacing itself (EngineOptions), and sets the index kActive when done. The engine
  // assigns its internal id. A restart resumes an unfinished backfill. Returns the table's
  // metadata with the index. Fails with kTableNotFound, or kInvalidArgument when the table has
  // an index of that name or already 25 indexes.
  // `prepare` (when given) runs first, in the same catalog step, with the metadata as stored:
  // it may check it (an error it returns aborts the change and is returned as is) and change
  // anything but the name, internal_id and indexes (UpdateTable's new attribute definitions).
  virtual StorageResult<model::TableMetadata> AddIndex(const std::string& table_name,
                                                       model::SecondaryIndex index,
                                                       const TableUpdater& prepare) = 0;
  StorageResult<model::TableMetadata> AddIndex(const std::string& table_name,
                                               model::SecondaryIndex index) {
    return AddIndex(table_name, std::move(index), TableUpdater());
  }
  // Removes a secondary index (UpdateTable's Delete): out of the catalog and its entries and
  // statistics deleted in one atomic write, after every write queued before. A backfill of it
  // stops. Returns the table's metadata as it was, index included. Fails with kTableNotFound,
  // or kInvalidArgument when the table has no index of that name.
  // `prepare` (when given) runs in the same catalog step with the metadata as it will be
  // stored, index gone: it may check it (an error aborts the change) and change anything but
  // the name, internal_id and indexes (dropping attribute definitions no key uses any more).
  virtual StorageResult<model::TableMetadata> DropIndex(const std::string& table_name,
                                                        const std::string& index_name,
                                                        const TableUpdater& prepare) = 0;
  StorageResult<model::TableMetadata> DropIndex(const std::string& table_name,
                                                const std::string& index_name) {
    return DropIndex(table_name, index_name, TableUpdater());
  }

  virtual StorageResult<TableStats> GetTableStats(const model::TableMetadata& table) = 0;
  // The entries of one of the table's secondary indexes and their projected sizes.
  virtual StorageResult<TableStats> GetIndexStats(const model::TableMetadata& table,
                                                  const model::SecondaryIndex& index) = 0;
  // The item collection of `partition` in a table with local indexes: its items and their
  // size, local index entries included (index_entries.h). Zero for other tables.
  virtual StorageResult<TableStats> GetItemCollectionStats(
      const model::TableMetadata& table, const model::AttributeValue& partition) = 0;

  // --- Streams ---
  // Every retained stream (enabled, or disabled within its retention), in stream_id order.
  virtual StorageResult<std::vector<StreamInfo>> ListStreams() = 0;
  // The records of stream `stream_id` with sequence numbers in [from, through], in order: at
  // most `limit`, and no more once their size_bytes add up to `max_bytes` (but at least one).
  // Records below the stream's trim horizon are never returned. Fails with kStreamNotFound.
  virtual StorageResult<std::vector<StreamRecord>> ReadStream(uint64_t stream_id, uint64_t from,
                                                              uint64_t through, size_t limit,
                                                              int64_t max_bytes) = 0;
  // The sequence number the next record will get: above every record written so far (a
  // LATEST iterator's position).
  virtual uint64_t NextStreamSequence() = 0;

  // --- Items ---
  // REQUIRES: key values are validated against table.key_schema.
  virtual StorageResult<std::optional<model::Item>> GetItem(const model::TableMetadata& table,
                                                            const model::PrimaryKey& key) = 0;

  // Told the outcome of an item write: the item as it was before (nullopt when absent), or
  // the error.
  using MutateDone = std::function<void(StorageResult<std::optional<model::Item>> result)>;

  // Atomically reads the item at `key`, calls `mutator` with it and applies its decision, so
  // that no other write to the same item interleaves; then calls `done` with the item as it
  // was before. When the table's stream (as the catalog holds it when the write is queued) is
  // enabled, the write leaves its record in the same atomic write, and a put that changes
  // nothing (an item equal to the stored one) writes nothing at all (stream_types.h). A kPut item must carry the same key values as `key` (else kInvalidArgument).
  // `mutator` runs on the calling thread before this returns. `done` runs exactly once: on the
  // calling thread before this returns when nothing is written (the mutator chose kNone or
  // failed, a read failed, the table is gone), else on the engine's commit thread once the
  // write is applied and, with sync_writes, durable. Writes to one item are applied in the
  // order of their calls. `done` must be quick and must not wait for another write. Fails with
  // kTransactionConflict, before calling `mutator`, while a MutateItemsAsync holds the item.
  virtual void MutateItemAsync(const model::TableMetadata& table, const model::PrimaryKey& key,
                               const Mutator& mutator, MutateDone done) = 0;

  // Told the outcome of a multi-item write: each item as it was before, in the order given.
  using MutateManyDone =
      std::function<void(StorageResult<std::vector<std::optional<model::Item>>> result)>;

  // MutateItemAsync for several items at once, all or nothing: reads every item, calls
  // `mutator` once with all of them, and applies every mutation it returns in one atomic
  // write, so that no other write to any of the items interleaves and a crash leaves all of
  // them applied or none. Until the write is applied the items are held: a single-item write
  // to one of them fails with kTransactionConflict, another multi-item write sees
  // ItemState::held, and ReadItemsTogether reports them held. A mutation of kNone still holds
  // its item (a condition check stays true until the write lands). When every mutation is
  // kNone nothing is queued and `done` runs before this returns.
  // REQUIRES (else kInvalidArgument): no two items with the same table and key; at least one
  // item. Fails with kTableNotFound when any table is gone.
  virtual void MutateItemsAsync(const std::vector<ItemRef>& items, const MultiMutator& mutator,
                                MutateManyDone done) = 0;

  // Reads several items as of one instant (a consistent snapshot across tables), with the
  // hold flags of MutateItemsAsync as of that instant. Fails with kTableNotFound when any
  // table is gone.
  virtual StorageResult<std::vector<ItemState>> ReadItemsTogether(
      const std::vector<ItemRef>& items) = 0;

  // MutateItemAsync, waiting for the outcome. Must not be called from a MutateDone.
  StorageResult<std::optional<model::Item>> MutateItem(const model::TableMetadata& table,
                                                       const model::PrimaryKey& key,
                                                       const Mutator& mutator);
  // MutateItemsAsync, waiting for the outcome. Must not be called from a MutateDone.
  StorageResult<std::vector<std::optional<model::Item>>> MutateItems(
      const std::vector<ItemRef>& items, const MultiMutator& mutator);

  // Opens a cursor over a consistent snapshot of the table's items in storage order.
  virtual StorageResult<std::unique_ptr<ItemCursor>> Scan(const model::TableMetadata& table,
                                                          const ScanSpec& spec) = 0;

  // Opens a cursor over a consistent snapshot of the items of spec.partition_key that satisfy
  // spec.sort_condition, in spec.direction's sort key order, after spec.exclusive_start_key.
  // A table without a sort key yields at most the partition's single item. No limit applies:
  // the caller stops reading when its page is full. Fails with kTableNotFound, or
  // kInvalidArgument when spec breaks its REQUIRES.
  virtual StorageResult<std::unique_ptr<ItemCursor>> Query(const model::TableMetadata& table,
                                                           const QuerySpec& spec) = 0;
};

struct EngineOptions {
  // Directory of the data files; ignored when in_memory.
  std::string data_dir;
  // Keep everything in memory (nothing survives the process).
  bool in_memory = false;
  // Acknowledge writes only once they are synced to the write-ahead log (group commit shares
  // syncs between concurrent writers). false trades durability on power loss for speed; a crash
  // of the process alone still loses nothing.
  bool sync_writes = true;
  // Block cache size for reads.
  size_t block_cache_bytes = 64 << 20;
  // Index backfills (AddIndex) read this many items, then pause this long, so that they never
  // starve foreground writes.
  size_t backfill_batch_items = 1000;
  int backfill_pause_ms = 1;
  // The most an item collection may hold (DynamoDB's 10 GB); a write that would grow one
  // past it, by the size stored when the write is checked, fails with kItemCollectionTooLarge.
  // Writes of the collection's other items queued at the same moment are not counted, so
  // concurrent writers may pass it by what they write together (DynamoDB's own figure is an
  // estimate too). Writes that shrink a collection always pass.
  int64_t item_collection_limit_bytes = int64_t{10} << 30;
  // Streams (stream_types.h): how long records (and disabled streams) are kept, how long a
  // shard stays open, and how often the maintenance thread trims, rolls and drops.
  int64_t stream_retention_ms = int64_t{24} * 3600 * 1000;
  int64_t stream_shard_roll_ms = int64_t{4} * 3600 * 1000;
  int stream_maintenance_interval_ms = 1000;
  // Time to Live: how often the sweeper looks for due items, and the most it deletes per table
  // per pass (so that it never starves foreground writes).
  int ttl_sweep_interval_ms = 1000;
  size_t ttl_sweep_batch = 1000;
  // Epoch milliseconds (stream record times, retention); injectable for tests. Empty: the
  // system clock.
  std::function<int64_t()> clock_ms;
};

// Opens (creating when missing) the RocksDB engine. Fails with kIo or kCorruption, including
// when the data directory holds an unknown format version.
StorageResult<std::unique_ptr<Engine>> OpenRocksDbEngine(const EngineOptions& options);

}  // namespace dunlin::storage
