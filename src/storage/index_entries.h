// Index entries: what a table's item contributes to each of the table's secondary indexes, and
// the changes one item write makes to them.
//
// Layout (docs/storage-format.md): an entry lives in the items column family under
//   [index internal_id][PartitionHash(index partition attributes)][index partition attributes]
//   [index sort attributes, if any][table partition key][table sort key, if any]
// (a multi-attribute key's attributes follow one another in schema order),
// so an index reads like a table whose key is the index key followed by the table key: a Query
// of one index partition is one range read in index sort key order, a Scan of the index is the
// id's whole range in hash order, and items that share an index key (allowed for global
// indexes) stay distinct. The value is the item as the index projects it (item_codec.h).
//
// Sparse indexes: an item without one of the index's key attributes, or with one of another
// type than the index defines, or an empty or over-long string or binary there (2048 bytes for
// the partition key, 1024 for the sort key; for a multi-attribute key, also the attributes of
// each role together), has no entry in that index.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::storage {

inline constexpr size_t kMaxIndexPartitionKeyBytes = 2048;
inline constexpr size_t kMaxIndexSortKeyBytes = 1024;

// The attributes of `item` that `index` holds: the table's and the index's key attributes, plus
// every other attribute (kAll) or those listed (kInclude).
model::Item ProjectForIndex(const model::TableMetadata& table, const model::SecondaryIndex& index,
                            const model::Item& item);

// The storage key of `item`'s entry in `index`; nullopt when the item has no entry there, or
// lacks a table key attribute of the table's type (a malformed ExclusiveStartKey).
std::optional<std::string> IndexEntryKey(const model::TableMetadata& table,
                                         const model::SecondaryIndex& index,
                                         const model::Item& item);

// Item collections: in a table with local secondary indexes, the items that share a partition
// key value and their local index entries. Their count and total size live in the stats column
// family under [table internal_id][partition key value] (docs/storage-format.md).
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ItemCollections
std::string CollectionStatsKey(uint64_t table_id, const model::AttributeValue& partition);

// The writes one item change makes to the table's indexes, and the change to each index's
// statistics (entries and their projected sizes).
struct IndexChanges {
  struct Write {
    std::string key;
    std::optional<std::string> value;  // nullopt: delete the entry
  };
  std::vector<Write> writes;
  struct Delta {
    uint64_t index_id = 0;
    TableStats delta;
  };
  std::vector<Delta> deltas;
  // The change to the item's collection (tables with local indexes only): the item counts
  // with its whole size, each of its local index entries with its projected size.
  struct CollectionDelta {
    std::string stats_key;
    TableStats delta;
  };
  std::vector<CollectionDelta> collections;
};

// Appends to `changes` what replacing `old_item` by `new_item` (either may be null: absent)
// does to every index of `table`: an entry that moves is deleted and written anew, one whose
// projection changes is rewritten, one that stays the same is left alone; and what it does to
// the item's collection when the table has a local index (nothing when the size is unchanged).
void PlanIndexChanges(const model::TableMetadata& table, const model::Item* old_item,
                      const model::Item* new_item, IndexChanges& changes);

}  // namespace dunlin::storage
