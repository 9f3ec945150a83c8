#include "storage/catalog_codec.h"

#include <functional>
#include <utility>

#include "storage/byte_io.h"

namespace dunlin::storage {
namespace {

// Field tags. Released tags are never renumbered or reused.
namespace table_tag {
constexpr uint64_t kName = 1;
constexpr uint64_t kInternalId = 2;
constexpr uint64_t kTableUuid = 3;
constexpr uint64_t kCreationTimeMs = 4;
constexpr uint64_t kPartitionKey = 5;
constexpr uint64_t kSortKey = 6;
constexpr uint64_t kAttributeDefinition = 7;  // repeated, in request order
constexpr uint64_t kBillingMode = 8;
constexpr uint64_t kBillingModeUpdatedMs = 9;
constexpr uint64_t kThroughput = 10;
constexpr uint64_t kTag = 11;  // repeated, in order
constexpr uint64_t kTableClass = 12;
constexpr uint64_t kDeletionProtection = 13;
constexpr uint64_t kStatus = 14;
constexpr uint64_t kIndex = 15;  // repeated, in order
constexpr uint64_t kStream = 16;
constexpr uint64_t kTimeToLive = 17;
}  // namespace table_tag

namespace stream_tag {
constexpr uint64_t kStreamId = 1;
constexpr uint64_t kLabel = 2;
constexpr uint64_t kViewType = 3;
constexpr uint64_t kEnabled = 4;
}  // namespace stream_tag

namespace ttl_tag {
constexpr uint64_t kEnabled = 1;
constexpr uint64_t kAttributeName = 2;
constexpr uint64_t kChangedMs = 3;
constexpr uint64_t kExpiryId = 4;
constexpr uint64_t kBackfilling = 5;
}  // namespace ttl_tag

namespace index_tag {
constexpr uint64_t kName = 1;
constexpr uint64_t kInternalId = 2;
constexpr uint64_t kLocal = 3;
constexpr uint64_t kPartitionKey = 4;
constexpr uint64_t kSortKey = 5;
constexpr uint64_t kProjectionType = 6;
constexpr uint64_t kNonKeyAttribute = 7;  // repeated, in order
constexpr uint64_t kStatus = 8;
constexpr uint64_t kBackfilling = 9;
constexpr uint64_t kThroughput = 10;
constexpr uint64_t kEmptyListGiven = 11;
constexpr uint64_t kMorePartitionKey = 12;  // repeated, in order
constexpr uint64_t kMoreSortKey = 13;       // repeated, in order
}  // namespace index_tag

namespace key_element_tag {
constexpr uint64_t kName = 1;
constexpr uint64_t kType = 2;
}  // namespace key_element_tag

namespace throughput_tag {
constexpr uint64_t kReadCapacityUnits = 1;
constexpr uint64_t kWriteCapacityUnits = 2;
constexpr uint64_t kLastIncreaseMs = 3;
constexpr uint64_t kLastDecreaseMs = 4;
constexpr uint64_t kDecreasesToday = 5;
}  // namespace throughput_tag

namespace tag_tag {
constexpr uint64_t kKey = 1;
constexpr uint64_t kValue = 2;
}  // namespace tag_tag

namespace meta_tag {
constexpr uint64_t kFormatVersion = 1;
constexpr uint64_t kNextTableId = 2;
}  // namespace meta_tag

StorageError Corrupt(std::string message) {
  return StorageError{StorageError::Code::kCorruption, "corrupt catalog record: " + message};
}

void AppendBytesField(std::string& out, uint64_t tag, std::string_view bytes) {
  AppendVarint64(out, tag);
  AppendLengthPrefixed(out, bytes);
}

void AppendUnsignedField(std::string& out, uint64_t tag, uint64_t value) {
  std::string payload;
  AppendVarint64(payload, value);
  AppendBytesField(out, tag, payload);
}

void AppendSignedField(std::string& out, uint64_t tag, int64_t value) {
  AppendUnsignedField(out, tag, ZigZagEncode64(value));
}

using FieldVisitor = std::function<StorageResult<void>(uint64_t tag, std::string_view payload)>;

// Calls `visit` for every field in order. Unknown tags are the visitor's to ignore.
StorageResult<void> ForEachField(std::string_view bytes, const FieldVisitor& visit) {
  ByteReader reader(bytes);
  while (!reader.empty()) {
    uint64_t tag = 0;
    std::string_view payload;
    if (!reader.ReadVarint64(tag) || !reader.ReadLengthPrefixed(payload)) {
      return Fail(Corrupt("truncated field"));
    }
    DUNLIN_RETURN_IF_ERROR(visit(tag, payload));
  }
  return {};
}

StorageResult<uint64_t> ParseUnsigned(std::string_view payload) {
  ByteReader reader(payload);
  uint64_t value = 0;
  if (!reader.ReadVarint64(value) || !reader.empty()) return Fail(Corrupt("bad integer field"));
  return value;
}

StorageResult<int64_t> ParseSigned(std::string_view payload) {
  DUNLIN_ASSIGN_OR_RETURN(uint64_t raw, ParseUnsigned(payload));
  return ZigZagDecode64(raw);
}

uint64_t KeyTypeCode(model::AttributeType type) {
  switch (type) {
    case model::AttributeType::kS:
      return 1;
    case model::AttributeType::kN:
      return 2;
    case model::AttributeType::kB:
      return 3;
    default:
      return 0;  // not a key type; rejected when read back
  }
}

StorageResult<model::AttributeType> KeyTypeFromCode(uint64_t code) {
  switch (code) {
    case 1:
      return model::AttributeType::kS;
    case 2:
      return model::AttributeType::kN;
    case 3:
      return model::AttributeType::kB;
    default:
      return Fail(Corrupt("unknown key type " + std::to_string(code)));
  }
}

std::string EncodeKeyElement(const model::KeyElement& element) {
  std::string out;
  AppendBytesField(out, key_element_tag::kName, element.name);
  AppendUnsignedField(out, key_element_tag::kType, KeyTypeCode(element.type));
  return out;
}

StorageResult<model::KeyElement> DecodeKeyElement(std::string_view bytes) {
  model::KeyElement element;
  bool has_name = false;
  bool has_type = false;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        if (tag == key_element_tag::kName) {
          element.name = std::string(payload);
          has_name = true;
        } else if (tag == key_element_tag::kType) {
          DUNLIN_ASSIGN_OR_RETURN(uint64_t code, ParseUnsigned(payload));
          DUNLIN_ASSIGN_OR_RETURN(element.type, KeyTypeFromCode(code));
          has_type = true;
        }
        return {};
      }));
  if (!has_name || !has_type) return Fail(Corrupt("key element lacks name or type"));
  return element;
}

std::string EncodeThroughput(const model::ProvisionedThroughput& t) {
  std::string out;
  AppendSignedField(out, throughput_tag::kReadCapacityUnits, t.read_capacity_units);
  AppendSignedField(out, throughput_tag::kWriteCapacityUnits, t.write_capacity_units);
  AppendSignedField(out, throughput_tag::kLastIncreaseMs, t.last_increase_ms);
  AppendSignedField(out, throughput_tag::kLastDecreaseMs, t.last_decrease_ms);
  AppendSignedField(out, throughput_tag::kDecreasesToday, t.decreases_today);
  return out;
}

StorageResult<model::ProvisionedThroughput> DecodeThroughput(std::string_view bytes) {
  model::ProvisionedThroughput t;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        int64_t* target = nullptr;
        switch (tag) {
          case throughput_tag::kReadCapacityUnits:
            target = &t.read_capacity_units;
            break;
          case throughput_tag::kWriteCapacityUnits:
            target = &t.write_capacity_units;
            break;
          case throughput_tag::kLastIncreaseMs:
            target = &t.last_increase_ms;
            break;
          case throughput_tag::kLastDecreaseMs:
            target = &t.last_decrease_ms;
            break;
          case throughput_tag::kDecreasesToday:
            target = &t.decreases_today;
            break;
          default:
            return {};
        }
        DUNLIN_ASSIGN_OR_RETURN(*target, ParseSigned(payload));
        return {};
      }));
  return t;
}

std::string EncodeTag(const model::Tag& tag) {
  std::string out;
  AppendBytesField(out, tag_tag::kKey, tag.key);
  AppendBytesField(out, tag_tag::kValue, tag.value);
  return out;
}

StorageResult<model::Tag> DecodeTag(std::string_view bytes) {
  model::Tag result;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        if (tag == tag_tag::kKey) result.key = std::string(payload);
        if (tag == tag_tag::kValue) result.value = std::string(payload);
        return {};
      }));
  return result;
}

// Enums are stored as explicit codes (their index in these tables), independent of the order
// of the model's enumerators.
constexpr model::BillingMode kBillingModes[] = {model::BillingMode::kProvisioned,
                                                model::BillingMode::kPayPerRequest};
constexpr model::TableClass kTableClasses[] = {model::TableClass::kStandard,
                                               model::TableClass::kStandardInfrequentAccess};
constexpr model::TableStatus kTableStatuses[] = {
    model::TableStatus::kCreating, model::TableStatus::kActive, model::TableStatus::kUpdating,
    model::TableStatus::kDeleting};

constexpr model::ProjectionType kProjectionTypes[] = {
    model::ProjectionType::kAll, model::ProjectionType::kKeysOnly, model::ProjectionType::kInclude};
constexpr model::IndexStatus kIndexStatuses[] = {
    model::IndexStatus::kCreating, model::IndexStatus::kActive, model::IndexStatus::kUpdating,
    model::IndexStatus::kDeleting};

constexpr model::StreamViewType kStreamViewTypes[] = {
    model::StreamViewType::kKeysOnly, model::StreamViewType::kNewImage,
    model::StreamViewType::kOldImage, model::StreamViewType::kNewAndOldImages};

template <typename Enum, size_t N>
uint64_t EnumCode(const Enum (&codes)[N], Enum value) {
  for (size_t i = 0; i < N; ++i) {
    if (codes[i] == value) return i;
  }
  return 0;
}

template <typename Enum, size_t N>
StorageResult<Enum> ParseEnum(const Enum (&codes)[N], std::string_view payload, const char* what) {
  DUNLIN_ASSIGN_OR_RETURN(uint64_t code, ParseUnsigned(payload));
  if (code >= N) return Fail(Corrupt(std::string("unknown ") + what));
  return codes[code];
}

StorageResult<bool> ParseFlag(std::string_view payload, const char* what) {
  DUNLIN_ASSIGN_OR_RETURN(uint64_t flag, ParseUnsigned(payload));
  if (flag > 1) return Fail(Corrupt(std::string("bad ") + what + " flag"));
  return flag == 1;
}

std::string EncodeIndex(const model::SecondaryIndex& index) {
  std::string out;
  AppendBytesField(out, index_tag::kName, index.name);
  AppendUnsignedField(out, index_tag::kInternalId, index.internal_id);
  AppendUnsignedField(out, index_tag::kLocal, index.local ? 1 : 0);
  AppendBytesField(out, index_tag::kPartitionKey, EncodeKeyElement(index.key_schema.partition));
  if (index.key_schema.sort) {
    AppendBytesField(out, index_tag::kSortKey, EncodeKeyElement(*index.key_schema.sort));
  }
  for (const model::KeyElement& element : index.more_partition) {
    AppendBytesField(out, index_tag::kMorePartitionKey, EncodeKeyElement(element));
  }
  for (const model::KeyElement& element : index.more_sort) {
    AppendBytesField(out, index_tag::kMoreSortKey, EncodeKeyElement(element));
  }
  AppendUnsignedField(out, index_tag::kProjectionType,
                      EnumCode(kProjectionTypes, index.projection.type));
  for (const std::string& name : index.projection.non_key_attributes) {
    AppendBytesField(out, index_tag::kNonKeyAttribute, name);
  }
  AppendUnsignedField(out, index_tag::kStatus, EnumCode(kIndexStatuses, index.status));
  AppendUnsignedField(out, index_tag::kBackfilling, index.backfilling ? 1 : 0);
  AppendBytesField(out, index_tag::kThroughput, EncodeThroughput(index.throughput));
  if (index.projection.empty_list_given) AppendUnsignedField(out, index_tag::kEmptyListGiven, 1);
  return out;
}

StorageResult<model::SecondaryIndex> DecodeIndex(std::string_view bytes) {
  model::SecondaryIndex index;
  bool has_name = false;
  bool has_id = false;
  bool has_partition = false;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        switch (tag) {
          case index_tag::kName:
            index.name = std::string(payload);
            has_name = true;
            break;
          case index_tag::kInternalId: {
            DUNLIN_ASSIGN_OR_RETURN(index.internal_id, ParseUnsigned(payload));
            has_id = true;
            break;
          }
          case index_tag::kLocal: {
            DUNLIN_ASSIGN_OR_RETURN(index.local, ParseFlag(payload, "local index"));
            break;
          }
          case index_tag::kPartitionKey: {
            DUNLIN_ASSIGN_OR_RETURN(index.key_schema.partition, DecodeKeyElement(payload));
            has_partition = true;
            break;
          }
          case index_tag::kSortKey: {
            DUNLIN_ASSIGN_OR_RETURN(index.key_schema.sort, DecodeKeyElement(payload));
            break;
          }
          case index_tag::kProjectionType: {
            DUNLIN_ASSIGN_OR_RETURN(index.projection.type,
                                    ParseEnum(kProjectionTypes, payload, "projection type"));
            break;
          }
          case index_tag::kNonKeyAttribute:
            index.projection.non_key_attributes.emplace_back(payload);
            break;
          case index_tag::kStatus: {
            DUNLIN_ASSIGN_OR_RETURN(index.status,
                                    ParseEnum(kIndexStatuses, payload, "index status"));
            break;
          }
          case index_tag::kBackfilling: {
            DUNLIN_ASSIGN_OR_RETURN(index.backfilling, ParseFlag(payload, "backfilling"));
            break;
          }
          case index_tag::kThroughput: {
            DUNLIN_ASSIGN_OR_RETURN(index.throughput, DecodeThroughput(payload));
            break;
          }
          case index_tag::kMorePartitionKey: {
            DUNLIN_ASSIGN_OR_RETURN(model::KeyElement element, DecodeKeyElement(payload));
            index.more_partition.push_back(std::move(element));
            break;
          }
          case index_tag::kMoreSortKey: {
            DUNLIN_ASSIGN_OR_RETURN(model::KeyElement element, DecodeKeyElement(payload));
            index.more_sort.push_back(std::move(element));
            break;
          }
          case index_tag::kEmptyListGiven: {
            DUNLIN_ASSIGN_OR_RETURN(index.projection.empty_list_given,
                                    ParseFlag(payload, "empty non-key attribute list"));
            break;
          }
          default:
            break;  // a field from a later version
        }
        return {};
      }));
  if (!has_name || !has_id || !has_partition) {
    return Fail(Corrupt("index lacks name, internal id or partition key"));
  }
  if (!index.more_sort.empty() && !index.key_schema.sort) {
    return Fail(Corrupt("index has more sort key attributes but no first one"));
  }
  return index;
}

std::string EncodeStream(const model::TableStream& stream) {
  std::string out;
  AppendUnsignedField(out, stream_tag::kStreamId, stream.stream_id);
  AppendBytesField(out, stream_tag::kLabel, stream.label);
  AppendUnsignedField(out, stream_tag::kViewType, EnumCode(kStreamViewTypes, stream.view_type));
  AppendUnsignedField(out, stream_tag::kEnabled, stream.enabled ? 1 : 0);
  return out;
}

StorageResult<model::TableStream> DecodeStream(std::string_view bytes) {
  model::TableStream stream;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        switch (tag) {
          case stream_tag::kStreamId: {
            DUNLIN_ASSIGN_OR_RETURN(stream.stream_id, ParseUnsigned(payload));
            break;
          }
          case stream_tag::kLabel:
            stream.label = std::string(payload);
            break;
          case stream_tag::kViewType: {
            DUNLIN_ASSIGN_OR_RETURN(stream.view_type,
                                    ParseEnum(kStreamViewTypes, payload, "stream view type"));
            break;
          }
          case stream_tag::kEnabled: {
            DUNLIN_ASSIGN_OR_RETURN(stream.enabled, ParseFlag(payload, "stream enabled"));
            break;
          }
          default:
            break;
        }
        return {};
      }));
  if (stream.stream_id == 0 || stream.label.empty()) {
    return Fail(Corrupt("stream lacks its id or label"));
  }
  return stream;
}

std::string EncodeTimeToLive(const model::TimeToLive& ttl) {
  std::string out;
  AppendUnsignedField(out, ttl_tag::kEnabled, ttl.enabled ? 1 : 0);
  AppendBytesField(out, ttl_tag::kAttributeName, ttl.attribute_name);
  AppendSignedField(out, ttl_tag::kChangedMs, ttl.changed_ms);
  AppendUnsignedField(out, ttl_tag::kExpiryId, ttl.expiry_id);
  if (ttl.backfilling) AppendUnsignedField(out, ttl_tag::kBackfilling, 1);
  return out;
}

StorageResult<model::TimeToLive> DecodeTimeToLive(std::string_view bytes) {
  model::TimeToLive ttl;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        switch (tag) {
          case ttl_tag::kEnabled: {
            DUNLIN_ASSIGN_OR_RETURN(ttl.enabled, ParseFlag(payload, "time to live enabled"));
            break;
          }
          case ttl_tag::kAttributeName:
            ttl.attribute_name = std::string(payload);
            break;
          case ttl_tag::kChangedMs: {
            DUNLIN_ASSIGN_OR_RETURN(ttl.changed_ms, ParseSigned(payload));
            break;
          }
          case ttl_tag::kExpiryId: {
            DUNLIN_ASSIGN_OR_RETURN(ttl.expiry_id, ParseUnsigned(payload));
            break;
          }
          case ttl_tag::kBackfilling: {
            DUNLIN_ASSIGN_OR_RETURN(ttl.backfilling, ParseFlag(payload, "expiry backfilling"));
            break;
          }
          default:
            break;
        }
        return {};
      }));
  return ttl;
}

}  // namespace

std::string EncodeTableMetadata(const model::TableMetadata& table) {
  std::string out;
  AppendBytesField(out, table_tag::kName, table.name);
  AppendUnsignedField(out, table_tag::kInternalId, table.internal_id);
  AppendBytesField(out, table_tag::kTableUuid, table.table_uuid);
  AppendSignedField(out, table_tag::kCreationTimeMs, table.creation_time_ms);
  AppendBytesField(out, table_tag::kPartitionKey, EncodeKeyElement(table.key_schema.partition));
  if (table.key_schema.sort) {
    AppendBytesField(out, table_tag::kSortKey, EncodeKeyElement(*table.key_schema.sort));
  }
  for (const model::KeyElement& definition : table.attribute_definitions) {
    AppendBytesField(out, table_tag::kAttributeDefinition, EncodeKeyElement(definition));
  }
  AppendUnsignedField(out, table_tag::kBillingMode, EnumCode(kBillingModes, table.billing_mode));
  AppendSignedField(out, table_tag::kBillingModeUpdatedMs, table.billing_mode_updated_ms);
  AppendBytesField(out, table_tag::kThroughput, EncodeThroughput(table.throughput));
  for (const model::Tag& tag : table.tags) {
    AppendBytesField(out, table_tag::kTag, EncodeTag(tag));
  }
  AppendUnsignedField(out, table_tag::kTableClass, EnumCode(kTableClasses, table.table_class));
  AppendUnsignedField(out, table_tag::kDeletionProtection, table.deletion_protection ? 1 : 0);
  AppendUnsignedField(out, table_tag::kStatus, EnumCode(kTableStatuses, table.status));
  for (const model::SecondaryIndex& index : table.indexes) {
    AppendBytesField(out, table_tag::kIndex, EncodeIndex(index));
  }
  if (table.stream) AppendBytesField(out, table_tag::kStream, EncodeStream(*table.stream));
  if (table.ttl != model::TimeToLive{}) {
    AppendBytesField(out, table_tag::kTimeToLive, EncodeTimeToLive(table.ttl));
  }
  return out;
}

StorageResult<model::TableMetadata> DecodeTableMetadata(std::string_view bytes) {
  model::TableMetadata table;
  bool has_name = false;
  bool has_id = false;
  bool has_partition = false;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        switch (tag) {
          case table_tag::kName:
            table.name = std::string(payload);
            has_name = true;
            break;
          case table_tag::kInternalId: {
            DUNLIN_ASSIGN_OR_RETURN(table.internal_id, ParseUnsigned(payload));
            has_id = true;
            break;
          }
          case table_tag::kTableUuid:
            table.table_uuid = std::string(payload);
            break;
          case table_tag::kCreationTimeMs: {
            DUNLIN_ASSIGN_OR_RETURN(table.creation_time_ms, ParseSigned(payload));
            break;
          }
          case table_tag::kPartitionKey: {
            DUNLIN_ASSIGN_OR_RETURN(table.key_schema.partition, DecodeKeyElement(payload));
            has_partition = true;
            break;
          }
          case table_tag::kSortKey: {
            DUNLIN_ASSIGN_OR_RETURN(table.key_schema.sort, DecodeKeyElement(payload));
            break;
          }
          case table_tag::kAttributeDefinition: {
            DUNLIN_ASSIGN_OR_RETURN(model::KeyElement definition, DecodeKeyElement(payload));
            table.attribute_definitions.push_back(std::move(definition));
            break;
          }
          case table_tag::kBillingMode: {
            DUNLIN_ASSIGN_OR_RETURN(table.billing_mode,
                                    ParseEnum(kBillingModes, payload, "billing mode"));
            break;
          }
          case table_tag::kBillingModeUpdatedMs: {
            DUNLIN_ASSIGN_OR_RETURN(table.billing_mode_updated_ms, ParseSigned(payload));
            break;
          }
          case table_tag::kThroughput: {
            DUNLIN_ASSIGN_OR_RETURN(table.throughput, DecodeThroughput(payload));
            break;
          }
          case table_tag::kTag: {
            DUNLIN_ASSIGN_OR_RETURN(model::Tag decoded_tag, DecodeTag(payload));
            table.tags.push_back(std::move(decoded_tag));
            break;
          }
          case table_tag::kTableClass: {
            DUNLIN_ASSIGN_OR_RETURN(table.table_class,
                                    ParseEnum(kTableClasses, payload, "table class"));
            break;
          }
          case table_tag::kDeletionProtection: {
            DUNLIN_ASSIGN_OR_RETURN(table.deletion_protection,
                                    ParseFlag(payload, "deletion protection"));
            break;
          }
          case table_tag::kStatus: {
            DUNLIN_ASSIGN_OR_RETURN(table.status,
                                    ParseEnum(kTableStatuses, payload, "table status"));
            break;
          }
          case table_tag::kIndex: {
            DUNLIN_ASSIGN_OR_RETURN(model::SecondaryIndex index, DecodeIndex(payload));
            table.indexes.push_back(std::move(index));
            break;
          }
          case table_tag::kStream: {
            DUNLIN_ASSIGN_OR_RETURN(table.stream, DecodeStream(payload));
            break;
          }
          case table_tag::kTimeToLive: {
            DUNLIN_ASSIGN_OR_RETURN(table.ttl, DecodeTimeToLive(payload));
            break;
          }
          default:
            break;  // a field from a later version
        }
        return {};
      }));
  if (!has_name || !has_id || !has_partition) {
    return Fail(Corrupt("missing name, internal id or partition key"));
  }
  return table;
}

std::string EncodeMetaRecord(const MetaRecord& meta) {
  std::string out;
  AppendUnsignedField(out, meta_tag::kFormatVersion, meta.format_version);
  AppendUnsignedField(out, meta_tag::kNextTableId, meta.next_table_id);
  return out;
}

StorageResult<MetaRecord> DecodeMetaRecord(std::string_view bytes) {
  MetaRecord meta;
  bool has_version = false;
  DUNLIN_RETURN_IF_ERROR(
      ForEachField(bytes, [&](uint64_t tag, std::string_view payload) -> StorageResult<void> {
        if (tag == meta_tag::kFormatVersion) {
          DUNLIN_ASSIGN_OR_RETURN(uint64_t version, ParseUnsigned(payload));
          if (version > UINT32_MAX) return Fail(Corrupt("bad format version"));
          meta.format_version = static_cast<uint32_t>(version);
          has_version = true;
        } else if (tag == meta_tag::kNextTableId) {
          DUNLIN_ASSIGN_OR_RETURN(meta.next_table_id, ParseUnsigned(payload));
        }
        return {};
      }));
  if (!has_version) return Fail(Corrupt("meta record lacks a format version"));
  return meta;
}

}  // namespace dunlin::storage
