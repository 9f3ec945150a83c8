// The expiry index: which items of a table with Time to Live enabled are due when, so that the
// sweeper (rocksdb_ttl.cc) finds due items without scanning tables.
//
// An item has an entry when its Time to Live attribute (TableMetadata::ttl.attribute_name) is a
// top-level Number whose whole seconds are at least 0 and below kMaxExpirySeconds; other types,
// a missing attribute, negative numbers and absurdly large ones have none (DynamoDB ignores such
// items). Layout (docs/storage-format.md), in the "expiry" column family:
//   key   [ttl.expiry_id, 8 bytes big-endian][expiry seconds, 8 bytes big-endian][storage key]
//   value the item's key attributes, an encoded item (item_codec.h)
// so one table's entries are ordered by expiry time. Entries are hints: the sweeper checks the
// item itself, atomically, before deleting it.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "model/table.h"

namespace dunlin::storage {

// Expiry times at or beyond this (about the year 33658) get no entry.
inline constexpr int64_t kMaxExpirySeconds = int64_t{1} << 40;
// DynamoDB leaves items whose expiry is more than five years in the past alone.
inline constexpr int64_t kExpiryWindowSeconds = int64_t{5} * 365 * 24 * 3600;

// The whole seconds of `item`'s Time to Live value under `ttl`, or nullopt when the item has
// no entry (see above). REQUIRES: ttl.enabled.
std::optional<int64_t> ExpirySeconds(const model::TimeToLive& ttl, const model::Item& item);

// Whether an item expiring at `seconds` is due at `now_seconds`: at or before now, and not
// more than kExpiryWindowSeconds before it.
bool ExpiryDue(int64_t seconds, int64_t now_seconds);

std::string ExpiryKey(uint64_t expiry_id, int64_t seconds, std::string_view storage_key);
// The first key of `expiry_id`'s entries at or after `seconds`.
std::string ExpiryKeyPrefix(uint64_t expiry_id, int64_t seconds);
// The seconds and storage key of an entry key; nullopt when malformed.
struct ExpiryEntryKey {
  int64_t seconds = 0;
  std::string_view storage_key;
};
std::optional<ExpiryEntryKey> ParseExpiryKey(std::string_view key);

// The expiry index writes of one item write to a table whose Time to Live is enabled: the old
// entry to delete and the new one to put (key, value), when they differ.
struct ExpiryChanges {
  std::optional<std::string> remove;
  std::optional<std::pair<std::string, std::string>> add;
};
ExpiryChanges PlanExpiryChanges(const model::TableMetadata& table, std::string_view storage_key,
                                const model::Item* old_item, const model::Item* new_item);

}  // namespace dunlin::storage
