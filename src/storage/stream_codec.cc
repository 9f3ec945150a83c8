#include "storage/stream_codec.h"

#include <utility>

#include "model/item_size.h"
#include "storage/byte_io.h"
#include "storage/item_codec.h"

namespace dunlin::storage {
namespace {

// Record values and descriptors start with this version byte.
constexpr uint8_t kStreamFormatVersion = 1;

constexpr uint8_t kFlagByService = 1;
constexpr uint8_t kFlagNewImage = 2;
constexpr uint8_t kFlagOldImage = 4;

StorageError Corrupt(const std::string& what) {
  return StorageError{StorageError::Code::kCorruption, "corrupt stream " + what};
}

model::Item KeysOf(const model::KeySchema& schema, const model::Item& item) {
  model::Item keys;
  if (auto it = item.find(schema.partition.name); it != item.end()) keys.insert(*it);
  if (schema.sort) {
    if (auto it = item.find(schema.sort->name); it != item.end()) keys.insert(*it);
  }
  return keys;
}

bool WantsNew(model::StreamViewType type) {
  return type == model::StreamViewType::kNewImage ||
         type == model::StreamViewType::kNewAndOldImages;
}
bool WantsOld(model::StreamViewType type) {
  return type == model::StreamViewType::kOldImage ||
         type == model::StreamViewType::kNewAndOldImages;
}

constexpr model::StreamViewType kViewTypes[] = {
    model::StreamViewType::kKeysOnly, model::StreamViewType::kNewImage,
    model::StreamViewType::kOldImage, model::StreamViewType::kNewAndOldImages};

uint8_t ViewTypeCode(model::StreamViewType type) {
  for (uint8_t i = 0; i < 4; ++i) {
    if (kViewTypes[i] == type) return i;
  }
  return 0;
}

void AppendKeyElement(std::string& out, const model::KeyElement& element) {
  AppendLengthPrefixed(out, element.name);
  out.push_back(static_cast<char>(element.type));
}

bool ReadKeyElement(ByteReader& reader, model::KeyElement& element) {
  std::string_view name;
  uint8_t type = 0;
  if (!reader.ReadLengthPrefixed(name) || !reader.ReadByte(type)) return false;
  element.name = std::string(name);
  element.type = static_cast<model::AttributeType>(type);
  return element.type == model::AttributeType::kS || element.type == model::AttributeType::kN ||
         element.type == model::AttributeType::kB;
}

}  // namespace

std::string StreamRecordKey(uint64_t stream_id, uint64_t sequence) {
  std::string key;
  key.reserve(16);
  AppendFixed64BigEndian(key, stream_id);
  AppendFixed64BigEndian(key, sequence);
  return key;
}

uint64_t StreamRecordSequence(std::string_view key) { return LoadFixed64BigEndian(key.substr(8)); }

std::string StreamInfoKey(uint64_t stream_id) {
  std::string key;
  AppendFixed64BigEndian(key, stream_id);
  return key;
}

// Record value: version, event, flags, created_ms (8 bytes big-endian), then the keys, the new
// image (flag 2) and the old image (flag 4), each a length-prefixed encoded item.
std::optional<std::string> PlanStreamRecord(const model::KeySchema& key_schema,
                                            model::StreamViewType view_type,
                                            const model::Item* old_item,
                                            const model::Item* new_item,
                                            const std::string* new_encoded, int64_t created_ms,
                                            bool by_service) {
  StreamRecord::Event event;
  if (new_item == nullptr) {
    if (old_item == nullptr) return std::nullopt;
    event = StreamRecord::Event::kRemove;
  } else if (old_item == nullptr) {
    event = StreamRecord::Event::kInsert;
  } else {
    if (new_encoded != nullptr && EncodeItem(*old_item) == *new_encoded) return std::nullopt;
    event = StreamRecord::Event::kModify;
  }
  const bool with_new = new_item != nullptr && WantsNew(view_type);
  const bool with_old = old_item != nullptr && WantsOld(view_type);
  std::string out;
  out.push_back(static_cast<char>(kStreamFormatVersion));
  out.push_back(static_cast<char>(event));
  out.push_back(static_cast<char>((by_service ? kFlagByService : 0) |
                                  (with_new ? kFlagNewImage : 0) |
                                  (with_old ? kFlagOldImage : 0)));
  AppendFixed64BigEndian(out, static_cast<uint64_t>(created_ms));
  AppendLengthPrefixed(out, EncodeItem(KeysOf(key_schema, new_item ? *new_item : *old_item)));
  if (with_new) {
    AppendLengthPrefixed(out, new_encoded != nullptr ? *new_encoded : EncodeItem(*new_item));
  }
  if (with_old) AppendLengthPrefixed(out, EncodeItem(*old_item));
  return out;
}

StorageResult<StreamRecord> DecodeStreamRecord(std::string_view value) {
  ByteReader reader(value);
  uint8_t version = 0;
  uint8_t event = 0;
  uint8_t flags = 0;
  uint64_t created = 0;
  if (!reader.ReadByte(version) || version != kStreamFormatVersion || !reader.ReadByte(event) ||
      event > 2 || !reader.ReadByte(flags) || flags > 7 || !reader.ReadFixed64BigEndian(created)) {
    return Fail(Corrupt("record header"));
  }
  StreamRecord record;
  record.event = static_cast<StreamRecord::Event>(event);
  record.by_service = (flags & kFlagByService) != 0;
  record.created_ms = static_cast<int64_t>(created);
  std::string_view bytes;
  if (!reader.ReadLengthPrefixed(bytes)) return Fail(Corrupt("record keys"));
  DUNLIN_ASSIGN_OR_RETURN(record.keys, DecodeItem(bytes));
  record.size_bytes = static_cast<int64_t>(model::ItemSize(record.keys));
  if ((flags & kFlagNewImage) != 0) {
    if (!reader.ReadLengthPrefixed(bytes)) return Fail(Corrupt("record new image"));
    DUNLIN_ASSIGN_OR_RETURN(record.new_image, DecodeItem(bytes));
    record.size_bytes += static_cast<int64_t>(model::ItemSize(*record.new_image));
  }
  if ((flags & kFlagOldImage) != 0) {
    if (!reader.ReadLengthPrefixed(bytes)) return Fail(Corrupt("record old image"));
    DUNLIN_ASSIGN_OR_RETURN(record.old_image, DecodeItem(bytes));
    record.size_bytes += static_cast<int64_t>(model::ItemSize(*record.old_image));
  }
  if (!reader.empty()) return Fail(Corrupt("record: trailing bytes"));
  return record;
}

// Descriptor: version, stream id, table id, created_ms, disabled_ms, trim_horizon (varints;
// times zigzag), enabled and view type bytes, table name and label (length-prefixed), the key
// schema (partition element, a byte saying whether a sort element follows), then the shard
// count and each shard (number, created_ms, first_sequence, a closed byte, last_sequence).
std::string EncodeStreamInfo(const StreamInfo& info) {
  std::string out;
  out.push_back(static_cast<char>(kStreamFormatVersion));
  AppendVarint64(out, info.stream_id);
  AppendVarint64(out, info.table_id);
  AppendSignedVarint64(out, info.created_ms);
  AppendSignedVarint64(out, info.disabled_ms);
  AppendVarint64(out, info.trim_horizon);
  out.push_back(static_cast<char>(info.enabled ? 1 : 0));
  out.push_back(static_cast<char>(ViewTypeCode(info.view_type)));
  AppendLengthPrefixed(out, info.table_name);
  AppendLengthPrefixed(out, info.label);
  AppendKeyElement(out, info.key_schema.partition);
  out.push_back(static_cast<char>(info.key_schema.sort ? 1 : 0));
  if (info.key_schema.sort) AppendKeyElement(out, *info.key_schema.sort);
  AppendVarint64(out, info.shards.size());
  for (const StreamShard& shard : info.shards) {
    AppendVarint64(out, shard.number);
    AppendSignedVarint64(out, shard.created_ms);
    AppendVarint64(out, shard.first_sequence);
    out.push_back(static_cast<char>(shard.last_sequence ? 1 : 0));
    AppendVarint64(out, shard.last_sequence.value_or(0));
  }
  return out;
}

StorageResult<StreamInfo> DecodeStreamInfo(std::string_view bytes) {
  ByteReader reader(bytes);
  StreamInfo info;
  uint8_t version = 0;
  uint8_t enabled = 0;
  uint8_t view = 0;
  uint8_t has_sort = 0;
  std::string_view table_name;
  std::string_view label;
  uint64_t shard_count = 0;
  if (!reader.ReadByte(version) || version != kStreamFormatVersion ||
      !reader.ReadVarint64(info.stream_id) || !reader.ReadVarint64(info.table_id) ||
      !reader.ReadSignedVarint64(info.created_ms) || !reader.ReadSignedVarint64(info.disabled_ms) ||
      !reader.ReadVarint64(info.trim_horizon) || !reader.ReadByte(enabled) || enabled > 1 ||
      !reader.ReadByte(view) || view > 3 || !reader.ReadLengthPrefixed(table_name) ||
      !reader.ReadLengthPrefixed(label) || !ReadKeyElement(reader, info.key_schema.partition) ||
      !reader.ReadByte(has_sort) || has_sort > 1) {
    return Fail(Corrupt("descriptor"));
  }
  info.enabled = enabled == 1;
  info.view_type = kViewTypes[view];
  info.table_name = std::string(table_name);
  info.label = std::string(label);
  if (has_sort == 1) {
    model::KeyElement sort;
    if (!ReadKeyElement(reader, sort)) return Fail(Corrupt("descriptor sort key"));
    info.key_schema.sort = std::move(sort);
  }
  if (!reader.ReadVarint64(shard_count) || shard_count > reader.remaining()) {
    return Fail(Corrupt("descriptor shards"));
  }
  for (uint64_t i = 0; i < shard_count; ++i) {
    StreamShard shard;
    uint8_t closed = 0;
    uint64_t last = 0;
    if (!reader.ReadVarint32(shard.number) || !reader.ReadSignedVarint64(shard.created_ms) ||
        !reader.ReadVarint64(shard.first_sequence) || !reader.ReadByte(closed) || closed > 1 ||
        !reader.ReadVarint64(last)) {
      return Fail(Corrupt("descriptor shard"));
    }
    if (closed == 1) shard.last_sequence = last;
    info.shards.push_back(shard);
  }
  if (!reader.empty() || info.stream_id == 0) return Fail(Corrupt("descriptor"));
  return info;
}

}  // namespace dunlin::storage
