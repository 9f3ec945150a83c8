// The RocksDB engine's range reads: Scan and Query open cursors over a snapshot of a key range
// (storage/query_range.h computes a Query's range), and index cursors read the table's items
// from the same snapshot.
#include <rocksdb/db.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "storage/index_entries.h"
#include "storage/item_codec.h"
#include "storage/key_encoding.h"
#include "storage/query_range.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_status.h"

namespace dunlin::storage {
namespace {

// Iterates a key range over the snapshot RocksDB iterators take at creation (an explicit one
// for index cursors): every item the cursor returns is as of that moment, whatever is written
// meanwhile.
class ItemCursorImpl final : public ItemCursor {
 public:
  // Reads the keys in [lower, upper), ascending when `forward`, else descending; nothing when
  // lower >= upper. When both bounds share their [table id][hash] prefix (a Query), the read
  // stays inside that prefix and RocksDB may skip files by the prefix bloom filter; otherwise
  // (a Scan) it reads in total order. REQUIRES: `db` and `cf` outlive the cursor.
  // `pin_snapshot`: hold an explicit snapshot, so that ReadTableItem reads as of the same
  // instant as the range (index cursors).
  ItemCursorImpl(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, std::string lower,
                 std::string upper, bool forward, bool pin_snapshot)
      : db_(db),
        cf_(cf),
        lower_(std::move(lower)),
        upper_(std::move(upper)),
        lower_slice_(lower_),
        upper_slice_(upper_),
        forward_(forward) {
    if (pin_snapshot) snapshot_ = db_->GetSnapshot();
    if (lower_ >= upper_) {
      done_ = true;
      return;
    }
    rocksdb::ReadOptions read;
    read.snapshot = snapshot_;
    read.iterate_lower_bound = &lower_slice_;
    read.iterate_upper_bound = &upper_slice_;
    const bool one_prefix =
        lower_.size() >= kStorageKeyHeaderBytes && upper_.size() >= kStorageKeyHeaderBytes &&
        lower_.compare(0, kStorageKeyHeaderBytes, upper_, 0, kStorageKeyHeaderBytes) == 0;
    read.prefix_same_as_start = one_prefix;
    read.total_order_seek = !one_prefix;
    iter_.reset(db->NewIterator(read, cf));
    if (forward_) {
      iter_->Seek(lower_slice_);
    } else {
      iter_->SeekForPrev(upper_slice_);
      // SeekForPrev lands at or before its target, and the upper bound itself is excluded
      // (RocksDB's iterate_upper_bound already skips it; this keeps the contract local).
      while (iter_->Valid() && iter_->key().compare(upper_slice_) >= 0) iter_->Prev();
    }
  }

  StorageResult<std::optional<model::Item>> Next() override {
    // Once at the end (or after an error) stay there: an invalid iterator must not be advanced.
    if (done_) return std::optional<model::Item>();
    if (!first_) {
      if (forward_) {
        iter_->Next();
      } else {
        iter_->Prev();
      }
    }
    first_ = false;
    if (!iter_->Valid()) {
      done_ = true;
      if (!iter_->status().ok()) return Fail(FromStatus(iter_->status(), "range read"));
      return std::optional<model::Item>();
    }
    DUNLIN_ASSIGN_OR_RETURN(model::Item item, DecodeItem(iter_->value().ToStringView()));
    return std::optional<model::Item>(std::move(item));
  }

  StorageResult<std::optional<model::Item>> ReadTableItem(const model::TableMetadata& table,
                                                          const model::Item& entry) override {
    if (snapshot_ == nullptr) {
      return Fail(StorageError{StorageError::Code::kInvalidArgument,
                               "table items are read through index cursors only"});
    }
    DUNLIN_ASSIGN_OR_RETURN(std::string key, EncodeStorageKeyOfItem(table, entry));
    rocksdb::ReadOptions read;
    read.snapshot = snapshot_;
    rocksdb::PinnableSlice value;
    rocksdb::Status status = db_->Get(read, cf_, key, &value);
    if (status.IsNotFound()) return std::optional<model::Item>();
    if (!status.ok()) return Fail(FromStatus(status, "reading an item of " + table.name));
    DUNLIN_ASSIGN_OR_RETURN(model::Item item, DecodeItem(value.ToStringView()));
    return std::optional<model::Item>(std::move(item));
  }

  ~ItemCursorImpl() override {
    iter_.reset();
    if (snapshot_ != nullptr) db_->ReleaseSnapshot(snapshot_);
  }
  ItemCursorImpl(const ItemCursorImpl&) = delete;
  ItemCursorImpl& operator=(const ItemCursorImpl&) = delete;

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* cf_;
  const rocksdb::Snapshot* snapshot_ = nullptr;
  std::string lower_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  bool forward_;
  std::unique_ptr<rocksdb::Iterator> iter_;
  bool first_ = true;
  bool done_ = false;
};

}  // namespace

StorageResult<std::unique_ptr<ItemCursor>> RocksDbEngine::Scan(const model::TableMetadata& table,
                                                               const ScanSpec& spec) {
  if (spec.total_segments == 0 || spec.segment >= spec.total_segments) {
    return Fail(StorageError{StorageError::Code::kInvalidArgument,
                             "scan segment " + std::to_string(spec.segment) + " of " +
                                 std::to_string(spec.total_segments)});
  }
  DUNLIN_RETURN_IF_ERROR(CheckLive(table));
  const uint64_t id = spec.index != nullptr ? spec.index->internal_id : table.internal_id;
  StorageKeyRange range = StorageKeyRangeOf(id, SegmentHashRange(spec.segment, spec.total_segments));
  if (spec.exclusive_start_key) {
    std::string start;
    if (spec.index != nullptr) {
      auto entry = IndexEntryKey(table, *spec.index, *spec.exclusive_start_key);
      if (!entry) {
        return Fail(StorageError{StorageError::Code::kInvalidArgument,
                                 "exclusive start key lacks an index or table key attribute"});
      }
      start = std::move(*entry);
    } else {
      DUNLIN_ASSIGN_OR_RETURN(start, EncodeStorageKeyOfItem(table, *spec.exclusive_start_key));
    }
    // Strictly after the start key: the smallest key greater than it is start + 0x00.
    start.push_back('\0');
    if (start > range.begin) range.begin = std::move(start);
  }
  return std::unique_ptr<ItemCursor>(new ItemCursorImpl(
      db_.get(), items_cf_, std::move(range.begin), std::move(range.end), /*forward=*/true,
      /*pin_snapshot=*/spec.index != nullptr));
}

StorageResult<std::unique_ptr<ItemCursor>> RocksDbEngine::Query(const model::TableMetadata& table,
                                                                const QuerySpec& spec) {
  DUNLIN_RETURN_IF_ERROR(CheckLive(table));
  DUNLIN_ASSIGN_OR_RETURN(QueryKeyRange range, QueryKeyRangeOf(table, spec));
  return std::unique_ptr<ItemCursor>(
      new ItemCursorImpl(db_.get(), items_cf_, std::move(range.lower), std::move(range.upper),
                         spec.direction == QueryDirection::kForward,
                         /*pin_snapshot=*/spec.index != nullptr));
}

}  // namespace dunlin::storage
