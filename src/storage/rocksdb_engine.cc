#include "storage/rocksdb_engine.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <span>
#include <filesystem>
#include <future>
#include <set>
#include <system_error>
#include <utility>

#include "model/item_size.h"
#include "storage/byte_io.h"
#include "storage/expiry_index.h"
#include "storage/group_commit.h"
#include "storage/index_entries.h"
#include "storage/item_codec.h"
#include "storage/key_encoding.h"
#include "storage/query_range.h"
#include "storage/rocksdb_status.h"
#include "storage/stream_codec.h"

namespace dunlin::storage {
namespace {

// Write buffers: modest, so an idle server stays small; items get the most.
constexpr size_t kItemsWriteBufferBytes = 16 << 20;
constexpr size_t kSmallWriteBufferBytes = 1 << 20;
constexpr int kMaxOpenFiles = 512;
constexpr double kBloomBitsPerKey = 10;
// Share of each items memtable spent on its bloom filter (320 KiB of a 16 MiB memtable).
constexpr double kMemtableBloomRatio = 0.02;
// The in-memory database lives at this path inside its private in-memory Env.
constexpr char kInMemoryPath[] = "/dunlin-in-memory";

// Adds stats deltas. Associative: (a + b) + c == a + (b + c), and all values and operands share
// one 16-byte form, so RocksDB may combine operands in any grouping.
class StatsAddOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    TableStats sum;
    if (existing_value != nullptr) {
      auto existing = DecodeStatsValue(existing_value->ToStringView());
      if (!existing.ok()) return false;
      sum = *existing;
    }
    auto delta = DecodeStatsValue(value.ToStringView());
    if (!delta.ok()) return false;
    sum.item_count += delta->item_count;
    sum.size_bytes += delta->size_bytes;
    *new_value = EncodeStatsValue(sum);
    return true;
  }
  const char* Name() const override { return "dunlin.StatsAdd.v1"; }
};

rocksdb::ColumnFamilyOptions ItemsOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = kItemsWriteBufferBytes;
  cf.max_write_buffer_number = 3;
  cf.level_compaction_dynamic_level_bytes = true;
  // Whole keys serve GetItem; the [table id][partition hash] prefix serves Query's partition
  // range reads. Scans iterate in total order (see ItemCursorImpl).
  cf.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kStorageKeyHeaderBytes));
  // A whole-key bloom filter over each memtable: a point read of an absent key (a put of a new
  // item reads the old one first) skips the memtable's skip list.
  cf.memtable_prefix_bloom_size_ratio = kMemtableBloomRatio;
  cf.memtable_whole_key_filtering = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  table.whole_key_filtering = true;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

rocksdb::ColumnFamilyOptions SmallOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = kSmallWriteBufferBytes;
  cf.max_write_buffer_number = 2;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}


// True when `item` carries exactly the key values of `key`.
bool ItemHasKey(const model::Item& item, const model::KeySchema& schema,
                const model::PrimaryKey& key) {
  auto partition = item.find(schema.partition.name);
  if (partition == item.end() || !(partition->second == *key.partition)) return false;
  if (schema.sort) {
    auto sort = item.find(schema.sort->name);
    if (sort == item.end() || !(sort->second == *key.sort)) return false;
  }
  return true;
}

}  // namespace

std::string StatsKey(uint64_t internal_id) { return TablePrefix(internal_id); }

StorageError FromStatus(const rocksdb::Status& status, const std::string& context) {
  const auto code =
      status.IsCorruption() ? StorageError::Code::kCorruption : StorageError::Code::kIo;
  return StorageError{code, context + ": " + status.ToString()};
}

std::string EncodeStatsValue(const TableStats& stats) {
  std::string out;
  AppendFixed64BigEndian(out, static_cast<uint64_t>(stats.item_count));
  AppendFixed64BigEndian(out, static_cast<uint64_t>(stats.size_bytes));
  return out;
}

StorageResult<TableStats> DecodeStatsValue(std::string_view bytes) {
  if (bytes.size() != 16) {
    return Fail(StorageError{StorageError::Code::kCorruption, "corrupt table stats value"});
  }
  TableStats stats;
  stats.item_count = static_cast<int64_t>(LoadFixed64BigEndian(bytes));
  stats.size_bytes = static_cast<int64_t>(LoadFixed64BigEndian(bytes.substr(8)));
  return stats;
}

StorageResult<std::unique_ptr<Engine>> OpenRocksDbEngine(const EngineOptions& options) {
  DUNLIN_ASSIGN_OR_RETURN(std::unique_ptr<RocksDbEngine> engine, RocksDbEngine::Open(options));
  return std::unique_ptr<Engine>(std::move(engine));
}

RocksDbEngine::RocksDbEngine(const EngineOptions& options)
    : options_(options), stripes_(new Stripe[kLockStripes]) {}

StorageResult<std::unique_ptr<RocksDbEngine>> RocksDbEngine::Open(const EngineOptions& options) {
  std::unique_ptr<RocksDbEngine> engine(new RocksDbEngine(options));
  DUNLIN_RETURN_IF_ERROR(engine->OpenDatabase());
  DUNLIN_RETURN_IF_ERROR(engine->LoadMetaAndCatalog());
  DUNLIN_RETURN_IF_ERROR(engine->LoadStreams());
  RocksDbEngine* raw = engine.get();
  engine->committer_ = std::make_unique<GroupCommitter>(
      raw->db_.get(), options.sync_writes,
      [raw](rocksdb::WriteBatch& batch, uint64_t table_id, const TableStats& delta) {
        return batch.Merge(raw->stats_cf_, StatsKey(table_id), EncodeStatsValue(delta));
      },
      [raw](const rocksdb::Status& status) { raw->OnCommitFailure(status); });
  engine->StartStreamMaintenance();
  engine->StartExpirySweeper();
  for (const auto& [name, table] : engine->tables_) {
    if (table->ttl.enabled && table->ttl.backfilling) {
      engine->StartExpiryBackfill(name, table->internal_id, table->ttl.expiry_id);
    }
  }
  // Backfills that a restart interrupted start over (they are idempotent).
  for (const auto& [name, table] : engine->tables_) {
    for (const model::SecondaryIndex& index : table->indexes) {
      if (index.backfilling) engine->StartBackfill(name, table->internal_id, index.internal_id);
    }
  }
  return engine;
}

RocksDbEngine::~RocksDbEngine() {
  StopBackfills();     // before the committer they queue through
  StopStreamMaintenance();
  StopExpirySweeper();  // before the committer its deletions queue through
  committer_.reset();  // writes what is queued
  if (!db_) return;
  // With sync_writes off, acknowledged writes may sit in the OS cache; make them durable now.
  db_->FlushWAL(/*sync=*/true).PermitUncheckedError();
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  handles_.clear();
  db_->Close().PermitUncheckedError();
  db_.reset();
}

StorageResult<void> RocksDbEngine::OpenDatabase() {
  std::string path = options_.data_dir;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_open_files = kMaxOpenFiles;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 3;
  db_options.max_log_file_size = 8 << 20;
  if (options_.in_memory) {
    mem_env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    db_options.env = mem_env_.get();
    path = kInMemoryPath;
  } else {
    if (path.empty()) {
      return Fail(StorageError{StorageError::Code::kIo, "no data directory given"});
    }
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error) {
      return Fail(StorageError{StorageError::Code::kIo,
                               "creating data directory " + path + ": " + error.message()});
    }
  }

  auto cache = rocksdb::NewLRUCache(options_.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, SmallOptions(cache)},
      {kCatalogColumnFamily, SmallOptions(cache)},
      {kItemsColumnFamily, ItemsOptions(cache)},
      {kStatsColumnFamily, SmallOptions(cache)},
      {kStreamsColumnFamily, SmallOptions(cache)},
      {kStreamRecordsColumnFamily, SmallOptions(cache)},
      {kExpiryColumnFamily, SmallOptions(cache)},
  };
  descriptors[3].options.merge_operator = std::make_shared<StatsAddOperator>();
  // Column families this build does not know (from another format version) must still be
  // opened for RocksDB to open the database; the version check then refuses it.
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, path, &existing).ok()) {
    for (const std::string& name : existing) {
      bool known = std::any_of(descriptors.begin(), descriptors.end(),
                               [&name](const auto& d) { return d.name == name; });
      if (!known) descriptors.emplace_back(name, SmallOptions(cache));
    }
  }

  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, path, descriptors, &handles_, &db);
  if (!status.ok()) return Fail(FromStatus(status, "opening data directory " + path));
  db_.reset(db);
  default_cf_ = handles_[0];
  catalog_cf_ = handles_[1];
  items_cf_ = handles_[2];
  stats_cf_ = handles_[3];
  streams_cf_ = handles_[4];
  stream_records_cf_ = handles_[5];
  expiry_cf_ = handles_[6];
  return {};
}

StorageResult<void> RocksDbEngine::LoadMetaAndCatalog() {
  const std::string where = options_.in_memory ? "in-memory database" : options_.data_dir;
  std::string meta_bytes;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), default_cf_, kMetaKey, &meta_bytes);
  std::unique_ptr<rocksdb::Iterator> catalog(db_->NewIterator(rocksdb::ReadOptions(), catalog_cf_));
  if (status.IsNotFound()) {
    catalog->SeekToFirst();
    if (catalog->Valid()) {
      return Fail(StorageError{StorageError::Code::kCorruption,
                               where + " has tables but no storage format record"});
    }
    meta_ = MetaRecord{kStorageFormatVersion, 1};
    rocksdb::WriteOptions write;
    write.sync = options_.sync_writes;
    status = db_->Put(write, default_cf_, kMetaKey, EncodeMetaRecord(meta_));
    if (!status.ok()) return Fail(FromStatus(status, "initializing " + where));
    return {};
  }
  if (!status.ok()) return Fail(FromStatus(status, "reading the format record of " + where));
  DUNLIN_ASSIGN_OR_RETURN(meta_, DecodeMetaRecord(meta_bytes));
  if (meta_.format_version < kOldestReadableFormatVersion ||
      meta_.format_version > kStorageFormatVersion) {
    return Fail(StorageError{
        StorageError::Code::kCorruption,
        where + " uses storage format version " + std::to_string(meta_.format_version) +
            ", but this build of Dunlin reads only versions " +
            std::to_string(kOldestReadableFormatVersion) + " to " +
            std::to_string(kStorageFormatVersion) + "; use a matching Dunlin version"});
  }
  if (meta_.format_version < kStorageFormatVersion) {
    // Older versions differ only in lacking indexes (1), streams and Time to Live (1, 2):
    // recording the new version is the whole upgrade.
    meta_.format_version = kStorageFormatVersion;
    rocksdb::WriteOptions write;
    write.sync = options_.sync_writes;
    status = db_->Put(write, default_cf_, kMetaKey, EncodeMetaRecord(meta_));
    if (!status.ok()) return Fail(FromStatus(status, "upgrading the storage format of " + where));
  }
  for (catalog->SeekToFirst(); catalog->Valid(); catalog->Next()) {
    DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata table,
                            DecodeTableMetadata(catalog->value().ToStringView()));
    const bool index_ids_valid = std::all_of(
        table.indexes.begin(), table.indexes.end(), [this](const model::SecondaryIndex& index) {
          return index.internal_id != 0 && index.internal_id < meta_.next_table_id;
        });
    if (table.name != catalog->key().ToStringView() || table.internal_id == 0 ||
        table.internal_id >= meta_.next_table_id || !index_ids_valid) {
      return Fail(StorageError{StorageError::Code::kCorruption,
                               "inconsistent catalog entry for table " + table.name});
    }
    std::string name = table.name;
    tables_.emplace(std::move(name), std::make_shared<const model::TableMetadata>(std::move(table)));
  }
  if (!catalog->status().ok()) return Fail(FromStatus(catalog->status(), "reading catalog"));
  return {};
}

StorageResult<void> RocksDbEngine::CheckLiveLocked(const model::TableMetadata& table) const {
  auto it = tables_.find(table.name);
  if (it == tables_.end() || it->second->internal_id != table.internal_id) {
    return Fail(TableNotFound(table.name));
  }
  return {};
}

StorageResult<void> RocksDbEngine::CheckLive(const model::TableMetadata& table) const {
  std::shared_lock lock(tables_mutex_);
  return CheckLiveLocked(table);
}

StorageResult<std::shared_ptr<const model::TableMetadata>> RocksDbEngine::CurrentLocked(
    const model::TableMetadata& table) const {
  auto it = tables_.find(table.name);
  if (it == tables_.end() || it->second->internal_id != table.internal_id) {
    return Fail(TableNotFound(table.name));
  }
  return it->second;
}

rocksdb::Status RocksDbEngine::AddIndexWrites(rocksdb::WriteBatch& batch,
                                              const IndexChanges& changes) {
  for (const IndexChanges::Write& write : changes.writes) {
    rocksdb::Status status = write.value ? batch.Put(items_cf_, write.key, *write.value)
                                         : batch.Delete(items_cf_, write.key);
    if (!status.ok()) return status;
  }
  for (const IndexChanges::CollectionDelta& collection : changes.collections) {
    rocksdb::Status status =
        batch.Merge(stats_cf_, collection.stats_key, EncodeStatsValue(collection.delta));
    if (!status.ok()) return status;
  }
  return rocksdb::Status::OK();
}

StorageResult<void> RocksDbEngine::CheckCollectionLimits(const IndexChanges& changes,
                                                         size_t first,
                                                         const std::vector<size_t>& items) {
  // Growth per collection, with the first item that grows it.
  std::vector<std::pair<size_t, int64_t>> growth;  // (index into collections, summed delta)
  for (size_t i = first; i < changes.collections.size(); ++i) {
    auto same = std::find_if(growth.begin(), growth.end(), [&](const auto& entry) {
      return changes.collections[entry.first].stats_key == changes.collections[i].stats_key;
    });
    if (same == growth.end()) {
      growth.emplace_back(i, changes.collections[i].delta.size_bytes);
    } else {
      same->second += changes.collections[i].delta.size_bytes;
    }
  }
  for (const auto& [at, delta] : growth) {
    if (delta <= 0) continue;
    std::string value;
    rocksdb::Status status =
        db_->Get(rocksdb::ReadOptions(), stats_cf_, changes.collections[at].stats_key, &value);
    TableStats current;
    if (status.ok()) {
      DUNLIN_ASSIGN_OR_RETURN(current, DecodeStatsValue(value));
    } else if (!status.IsNotFound()) {
      return Fail(FromStatus(status, "reading an item collection's size"));
    }
    if (current.size_bytes + delta > options_.item_collection_limit_bytes) {
      StorageError error{StorageError::Code::kItemCollectionTooLarge,
                         "the write would grow an item collection to " +
                             std::to_string(current.size_bytes + delta) + " bytes"};
      if (at - first < items.size()) error.item = items[at - first];
      return Fail(std::move(error));
    }
  }
  return {};
}

StorageResult<TableStats> RocksDbEngine::GetTableStats(const model::TableMetadata& table) {
  DUNLIN_RETURN_IF_ERROR(CheckLive(table));
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), stats_cf_, StatsKey(table.internal_id), &value);
  if (status.IsNotFound()) return TableStats{};
  if (!status.ok()) return Fail(FromStatus(status, "reading stats of " + table.name));
  return DecodeStatsValue(value);
}

StorageResult<TableStats> RocksDbEngine::GetIndexStats(const model::TableMetadata& table,
                                                       const model::SecondaryIndex& index) {
  DUNLIN_RETURN_IF_ERROR(CheckLive(table));
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), stats_cf_, StatsKey(index.internal_id), &value);
  if (status.IsNotFound()) return TableStats{};
  if (!status.ok()) return Fail(FromStatus(status, "reading stats of index " + index.name));
  return DecodeStatsValue(value);
}

StorageResult<TableStats> RocksDbEngine::GetItemCollectionStats(
    const model::TableMetadata& table, const model::AttributeValue& partition) {
  DUNLIN_RETURN_IF_ERROR(CheckLive(table));
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), stats_cf_,
                                    CollectionStatsKey(table.internal_id, partition), &value);
  if (status.IsNotFound()) return TableStats{};
  if (!status.ok()) return Fail(FromStatus(status, "reading an item collection of " + table.name));
  return DecodeStatsValue(value);
}

// --- Items ---

StorageResult<std::optional<model::Item>> RocksDbEngine::GetItem(const model::TableMetadata& table,
                                                                 const model::PrimaryKey& key) {
  DUNLIN_RETURN_IF_ERROR(CheckLive(table));
  DUNLIN_ASSIGN_OR_RETURN(std::string storage_key, EncodeStorageKey(table, key));
  rocksdb::PinnableSlice value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), items_cf_, storage_key, &value);
  if (status.IsNotFound()) return std::optional<model::Item>();
  if (!status.ok()) return Fail(FromStatus(status, "reading an item of " + table.name));
  DUNLIN_ASSIGN_OR_RETURN(model::Item item, DecodeItem(value.ToStringView()));
  return std::optional<model::Item>(std::move(item));
}

RocksDbEngine::Stripe& RocksDbEngine::StripeOf(const std::string& storage_key) {
  return stripes_[Hash64(storage_key) % kLockStripes];
}

StorageResult<std::optional<model::Item>> RocksDbEngine::ReadForWrite(
    const Stripe& stripe, const std::string& storage_key, const std::string& table_name) {
  rocksdb::PinnableSlice value;  // holds RocksDB's bytes while they are decoded
  std::optional<std::string_view> stored;
  auto pending = stripe.pending.find(storage_key);
  if (pending != stripe.pending.end() && pending->second.queued > 0) {
    if (pending->second.encoded_item) stored = *pending->second.encoded_item;
  } else {
    rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), items_cf_, storage_key, &value);
    if (status.ok()) {
      stored = value.ToStringView();
    } else if (!status.IsNotFound()) {
      return Fail(FromStatus(status, "reading an item of " + table_name));
    }
  }
  if (!stored) return std::optional<model::Item>();
  DUNLIN_ASSIGN_OR_RETURN(model::Item item, DecodeItem(*stored));
  return std::optional<model::Item>(std::move(item));
}

bool RocksDbEngine::HeldLocked(const Stripe& stripe, const std::string& storage_key) {
  auto pending = stripe.pending.find(storage_key);
  return pending != stripe.pending.end() && pending->second.holds > 0;
}

StorageResult<RocksDbEngine::ItemChange> RocksDbEngine::PlanChange(
    const model::TableMetadata& table, const model::PrimaryKey& key,
    const std::optional<model::Item>& old_item, const Mutation& mutation) {
  ItemChange change;
  switch (mutation.kind) {
    case Mutation::Kind::kNone:
      break;
    case Mutation::Kind::kPut:
      if (!ItemHasKey(mutation.new_item, table.key_schema, key)) {
        return Fail(StorageError{StorageError::Code::kInvalidArgument,
                                 "the new item's key differs from the key being mutated"});
      }
      change.write = true;
      change.new_value = EncodeItem(mutation.new_item);
      change.delta.item_count = old_item ? 0 : 1;
      change.delta.size_bytes = static_cast<int64_t>(model::ItemSize(mutation.new_item)) -
                                (old_item ? static_cast<int64_t>(model::ItemSize(*old_item)) : 0);
      break;
    case Mutation::Kind::kDelete:
      if (!old_item) break;  // deleting nothing writes nothing
      change.write = true;
      change.delta.item_count = -1;
      change.delta.size_bytes = -static_cast<int64_t>(model::ItemSize(*old_item));
      break;
  }
  return change;
}

const std::optional<std::string>& RocksDbEngine::NoteQueuedLocked(Stripe& stripe,
                                                                   const std::string& storage_key,
                                                                   ItemChange& change, bool hold) {
  PendingValue& entry = stripe.pending[storage_key];
  if ((entry.queued == 0 && entry.holds == 0) || entry.generation != generation_) {
    entry = PendingValue{};
    entry.generation = generation_;
  }
  if (change.write) {
    entry.queued += 1;
    entry.encoded_item = std::move(change.new_value);
  }
  if (hold) entry.holds += 1;
  return entry.encoded_item;
}

void RocksDbEngine::ReleaseQueued(Stripe& stripe, const std::string& storage_key,
                                  uint64_t generation, bool wrote, bool hold) {
  std::lock_guard lock(stripe.mutex);
  auto it = stripe.pending.find(storage_key);
  // Another generation: a failed write dropped the entry this write counted in.
  if (it == stripe.pending.end() || it->second.generation != generation) return;
  if (wrote) it->second.queued -= 1;
  if (hold) it->second.holds -= 1;
  if (it->second.queued == 0 && it->second.holds == 0) stripe.pending.erase(it);
}

void RocksDbEngine::MutateItemAsync(const model::TableMetadata& table,
                                    const model::PrimaryKey& key, const Mutator& mutator,
                                    MutateDone done) {
  using Outcome = StorageResult<std::optional<model::Item>>;
  if (auto live = CheckLive(table); !live.ok()) {
    done(Outcome(Fail(std::move(live).error())));
    return;
  }
  auto encoded_key = EncodeStorageKey(table, key);
  if (!encoded_key.ok()) {
    done(Outcome(Fail(std::move(encoded_key).error())));
    return;
  }
  std::string storage_key = std::move(*encoded_key);
  Stripe& stripe = StripeOf(storage_key);
  std::unique_lock stripe_lock(stripe.mutex);
  // Nothing to queue: answer now, outside the stripe lock.
  auto answer_now = [&stripe_lock, &done](Outcome outcome) {
    stripe_lock.unlock();
    done(std::move(outcome));
  };

  if (HeldLocked(stripe, storage_key)) {
    return answer_now(Fail(StorageError{StorageError::Code::kTransactionConflict,
                                        "the item is held by a multi-item write"}));
  }
  // The item as the writes before this one leave it.
  Outcome read = ReadForWrite(stripe, storage_key, table.name);
  if (!read.ok()) return answer_now(std::move(read));
  std::optional<model::Item> old_item = std::move(*read);
  auto decided = mutator(old_item);
  if (!decided.ok()) return answer_now(Fail(std::move(decided).error()));
  auto planned = PlanChange(table, key, old_item, *decided);
  if (!planned.ok()) return answer_now(Fail(std::move(planned).error()));
  ItemChange& change = *planned;
  if (!change.write) return answer_now(std::move(old_item));

  // Queued under the catalog lock (shared), so DeleteTable queues its removal either before
  // this check (the table is gone) or after this write (the removal covers it).
  std::shared_lock tables_lock(tables_mutex_);
  auto current = CurrentLocked(table);
  if (!current.ok()) {
    tables_lock.unlock();
    return answer_now(Fail(std::move(current).error()));
  }
  // The stream and indexes as the catalog holds them now (not as the caller saw them): an
  // index being added is kept in step from the moment it is in the catalog.
  bool unchanged = false;
  const std::optional<std::string> record =
      PlanRecord(**current, old_item, *decided, change.new_value, &unchanged);
  if (unchanged) {
    tables_lock.unlock();
    return answer_now(std::move(old_item));
  }
  const uint64_t stream_id = record ? (*current)->stream->stream_id : 0;
  ExpiryChanges expiry_changes;
  if ((*current)->ttl.enabled && (*current)->ttl.expiry_id != 0) {
    expiry_changes = PlanExpiryChanges(
        **current, storage_key, old_item ? &*old_item : nullptr,
        decided->kind == Mutation::Kind::kPut ? &decided->new_item : nullptr);
  }
  IndexChanges index_changes;
  if (!(*current)->indexes.empty()) {
    PlanIndexChanges(**current, old_item ? &*old_item : nullptr,
                     decided->kind == Mutation::Kind::kPut ? &decided->new_item : nullptr,
                     index_changes);
    if (auto fits = CheckCollectionLimits(index_changes, 0, {}); !fits.ok()) {
      tables_lock.unlock();
      return answer_now(Fail(std::move(fits).error()));
    }
  }
  // The table's stats and each changed index's, without a heap allocation per write. CreateTable
  // and AddIndex keep every table within kMaxIndexesPerTable, so the array always has room.
  std::array<GroupCommitter::TableDelta, 1 + kMaxIndexesPerTable> deltas;
  size_t delta_count = 0;
  deltas[delta_count++] = {table.internal_id, change.delta};
  for (const IndexChanges::Delta& delta : index_changes.deltas) {
    deltas[delta_count++] = {delta.index_id, delta.delta};
  }
  const std::optional<std::string>& new_value =
      NoteQueuedLocked(stripe, storage_key, change, /*hold=*/false);
  const uint64_t generation = generation_;
  committer_->Submit(
      [&](rocksdb::WriteBatch& batch) {  // runs now, under the stripe lock
        rocksdb::Status status = new_value ? batch.Put(items_cf_, storage_key, *new_value)
                                           : batch.Delete(items_cf_, storage_key);
        if (status.ok()) status = AddIndexWrites(batch, index_changes);
        if (status.ok() && record) {
          status = batch.Put(stream_records_cf_, StreamRecordKey(stream_id, TakeSequence(stream_id)),
                             *record);
        }
        if (status.ok()) status = AddExpiryWrites(batch, expiry_changes);
        return status;
      },
      std::span<const GroupCommitter::TableDelta>(deltas.data(), delta_count),
      [this, &stripe, generation, storage_key, table_name = table.name,
       old_item = std::move(old_item), done = std::move(done)](const rocksdb::Status& status) mutable {
        ReleaseQueued(stripe, storage_key, generation, /*wrote=*/true, /*hold=*/false);
        if (!status.ok()) {
          done(Outcome(Fail(FromStatus(status, "writing an item of " + table_name))));
          return;
        }
        done(Outcome(std::move(old_item)));
      });
}

void RocksDbEngine::OnCommitFailure(const rocksdb::Status& status) {
  // Every stripe lock, in order (writers hold one stripe, then the committer's queue lock):
  // no writer can read a pending value or queue a write meanwhile.
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(kLockStripes);
  for (size_t i = 0; i < kLockStripes; ++i) locks.emplace_back(stripes_[i].mutex);
  std::vector<GroupCommitter::Done> queued = committer_->TakeGathering();
  generation_ += 1;
  for (size_t i = 0; i < kLockStripes; ++i) stripes_[i].pending.clear();
  locks.clear();
  for (GroupCommitter::Done& done : queued) done(status);
}

}  // namespace dunlin::storage
