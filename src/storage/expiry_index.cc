#include "storage/expiry_index.h"

#include "storage/byte_io.h"
#include "storage/item_codec.h"

namespace dunlin::storage {

std::optional<int64_t> ExpirySeconds(const model::TimeToLive& ttl, const model::Item& item) {
  auto it = item.find(ttl.attribute_name);
  if (it == item.end() || it->second.type() != model::AttributeType::kN) return std::nullopt;
  const model::Number& number = it->second.as_number();
  if (number.is_negative()) return std::nullopt;
  // value = 0.<digits> x 10^exponent: the whole part is the first `exponent` digits.
  const int exponent = number.exponent();
  if (number.is_zero() || exponent <= 0) return int64_t{0};
  if (exponent > 13) return std::nullopt;  // 10^13 > kMaxExpirySeconds
  int64_t seconds = 0;
  const std::string& digits = number.digits();
  for (int i = 0; i < exponent; ++i) {
    seconds = seconds * 10 + (i < static_cast<int>(digits.size()) ? digits[i] - '0' : 0);
  }
  if (seconds >= kMaxExpirySeconds) return std::nullopt;
  return seconds;
}

bool ExpiryDue(int64_t seconds, int64_t now_seconds) {
  return seconds <= now_seconds && now_seconds - seconds <= kExpiryWindowSeconds;
}

std::string ExpiryKeyPrefix(uint64_t expiry_id, int64_t seconds) {
  std::string key;
  key.reserve(16);
  AppendFixed64BigEndian(key, expiry_id);
  AppendFixed64BigEndian(key, static_cast<uint64_t>(seconds));
  return key;
}

std::string ExpiryKey(uint64_t expiry_id, int64_t seconds, std::string_view storage_key) {
  std::string key = ExpiryKeyPrefix(expiry_id, seconds);
  key.append(storage_key);
  return key;
}

std::optional<ExpiryEntryKey> ParseExpiryKey(std::string_view key) {
  if (key.size() <= 16) return std::nullopt;
  const uint64_t seconds = LoadFixed64BigEndian(key.substr(8));
  if (seconds >= static_cast<uint64_t>(kMaxExpirySeconds)) return std::nullopt;
  return ExpiryEntryKey{static_cast<int64_t>(seconds), key.substr(16)};
}

ExpiryChanges PlanExpiryChanges(const model::TableMetadata& table, std::string_view storage_key,
                                const model::Item* old_item, const model::Item* new_item) {
  ExpiryChanges changes;
  const model::TimeToLive& ttl = table.ttl;
  const std::optional<int64_t> before =
      old_item != nullptr ? ExpirySeconds(ttl, *old_item) : std::nullopt;
  const std::optional<int64_t> after =
      new_item != nullptr ? ExpirySeconds(ttl, *new_item) : std::nullopt;
  if (before == after) return changes;
  if (before) changes.remove = ExpiryKey(ttl.expiry_id, *before, storage_key);
  if (after) {
    model::Item keys;
    const model::KeySchema& schema = table.key_schema;
    if (auto it = new_item->find(schema.partition.name); it != new_item->end()) keys.insert(*it);
    if (schema.sort) {
      if (auto it = new_item->find(schema.sort->name); it != new_item->end()) keys.insert(*it);
    }
    changes.add.emplace(ExpiryKey(ttl.expiry_id, *after, storage_key), EncodeItem(keys));
  }
  return changes;
}

}  // namespace dunlin::storage
