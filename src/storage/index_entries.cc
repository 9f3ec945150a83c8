#include "storage/index_entries.h"

#include <algorithm>
#include <utility>

#include "model/item_size.h"
#include "storage/byte_io.h"
#include "storage/item_codec.h"
#include "storage/key_encoding.h"

namespace dunlin::storage {
namespace {

// The value of `element` in `item` when it has the element's type; null otherwise.
const model::AttributeValue* KeyValueOf(const model::Item& item,
                                        const model::KeyElement& element) {
  auto it = item.find(element.name);
  if (it == item.end() || it->second.type() != element.type) return nullptr;
  return &it->second;
}

// One index's entry for an item: its key and projected item.
struct Entry {
  std::string key;
  model::Item projected;
};

std::optional<Entry> EntryOf(const model::TableMetadata& table, const model::SecondaryIndex& index,
                             const model::Item* item) {
  if (item == nullptr) return std::nullopt;
  auto key = IndexEntryKey(table, index, *item);
  if (!key) return std::nullopt;
  return Entry{std::move(*key), ProjectForIndex(table, index, *item)};
}

// The value of an index key attribute when the index can hold it: of the element's type, and
// for strings and binaries not empty and within DynamoDB's key length limit. Items written
// through the API always qualify; an index added to a table with items leaves out the ones
// that do not (GSI.OnlineOps.ViolationDetection).
const model::AttributeValue* IndexKeyValueOf(const model::Item& item,
                                             const model::KeyElement& element,
                                             size_t max_bytes) {
  const model::AttributeValue* value = KeyValueOf(item, element);
  if (value == nullptr || value->type() == model::AttributeType::kN) return value;
  const size_t bytes = value->type() == model::AttributeType::kS ? value->as_string().size()
                                                                 : value->as_binary().size();
  return bytes == 0 || bytes > max_bytes ? nullptr : value;
}

}  // namespace

model::Item ProjectForIndex(const model::TableMetadata& table, const model::SecondaryIndex& index,
                            const model::Item& item) {
  if (index.projection.type == model::ProjectionType::kAll) return item;
  model::Item projected;
  for (const auto& [name, value] : item) {
    const bool keep =
        model::IsKeyAttribute(table.key_schema, name) || model::IsIndexKeyAttribute(index, name) ||
        (index.projection.type == model::ProjectionType::kInclude &&
         std::find(index.projection.non_key_attributes.begin(),
                   index.projection.non_key_attributes.end(),
                   name) != index.projection.non_key_attributes.end());
    if (keep) projected.emplace(name, value);
  }
  return projected;
}

std::optional<std::string> IndexEntryKey(const model::TableMetadata& table,
                                         const model::SecondaryIndex& index,
                                         const model::Item& item) {
  // A multi-attribute key encodes its attributes one after another, in schema order: each
  // encoding is self-delimiting and order-preserving, so the concatenation orders by the
  // first attribute, then the second, and so on.
  // Appends the values of `first` and `more` (one role of the key) to `out`; false when the
  // item lacks one, or when a multi-attribute role passes the single limit in total.
  auto append_role = [&item](std::string& out, const model::KeyElement& first,
                             const std::vector<model::KeyElement>& more, size_t max_bytes) {
    size_t total = 0;
    for (size_t i = 0; i <= more.size(); ++i) {
      const model::AttributeValue* value =
          IndexKeyValueOf(item, i == 0 ? first : more[i - 1], max_bytes);
      if (value == nullptr) return false;
      if (!more.empty()) total += model::AttributeValueSize(*value);
      AppendKeyValue(out, *value);
    }
    return total <= max_bytes;
  };
  std::string encoded_partition;
  if (!append_role(encoded_partition, index.key_schema.partition, index.more_partition,
                   kMaxIndexPartitionKeyBytes)) {
    return std::nullopt;
  }
  std::string key = TablePrefix(index.internal_id);
  AppendFixed32BigEndian(key, PartitionHash(encoded_partition));
  key.append(encoded_partition);
  if (index.key_schema.sort &&
      !append_role(key, *index.key_schema.sort, index.more_sort, kMaxIndexSortKeyBytes)) {
    return std::nullopt;
  }
  // The table key makes entries of items that share an index key distinct.
  const model::AttributeValue* table_partition = KeyValueOf(item, table.key_schema.partition);
  if (table_partition == nullptr) return std::nullopt;
  AppendKeyValue(key, *table_partition);
  if (table.key_schema.sort) {
    const model::AttributeValue* table_sort = KeyValueOf(item, *table.key_schema.sort);
    if (table_sort == nullptr) return std::nullopt;
    AppendKeyValue(key, *table_sort);
  }
  return key;
}

std::string CollectionStatsKey(uint64_t table_id, const model::AttributeValue& partition) {
  std::string key = TablePrefix(table_id);
  AppendKeyValue(key, partition);
  return key;
}

void PlanIndexChanges(const model::TableMetadata& table, const model::Item* old_item,
                      const model::Item* new_item, IndexChanges& changes) {
  bool has_local = false;
  TableStats collection;  // the collection's change: the item, then its local entries
  if (old_item != nullptr) {
    collection.item_count -= 1;
    collection.size_bytes -= static_cast<int64_t>(model::ItemSize(*old_item));
  }
  if (new_item != nullptr) {
    collection.item_count += 1;
    collection.size_bytes += static_cast<int64_t>(model::ItemSize(*new_item));
  }
  for (const model::SecondaryIndex& index : table.indexes) {
    std::optional<Entry> before = EntryOf(table, index, old_item);
    std::optional<Entry> after = EntryOf(table, index, new_item);
    if (index.local) {
      has_local = true;
      if (before) collection.size_bytes -= static_cast<int64_t>(model::ItemSize(before->projected));
      if (after) collection.size_bytes += static_cast<int64_t>(model::ItemSize(after->projected));
    }
    if (!before && !after) continue;
    const bool moved = !before || !after || before->key != after->key;
    if (!moved && before->projected == after->projected) continue;
    TableStats delta;
    if (before) {
      if (moved) changes.writes.push_back({before->key, std::nullopt});
      delta.item_count -= 1;
      delta.size_bytes -= static_cast<int64_t>(model::ItemSize(before->projected));
    }
    if (after) {
      changes.writes.push_back({after->key, EncodeItem(after->projected)});
      delta.item_count += 1;
      delta.size_bytes += static_cast<int64_t>(model::ItemSize(after->projected));
    }
    changes.deltas.push_back({index.internal_id, delta});
  }
  const model::Item* keyed = new_item != nullptr ? new_item : old_item;
  if (!has_local || keyed == nullptr ||
      (collection.item_count == 0 && collection.size_bytes == 0)) {
    return;
  }
  auto partition = keyed->find(table.key_schema.partition.name);
  if (partition == keyed->end()) return;
  changes.collections.push_back(
      {CollectionStatsKey(table.internal_id, partition->second), collection});
}

}  // namespace dunlin::storage
