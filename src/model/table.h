// Table metadata: what CreateTable defines and DescribeTable reports.
//
// TableMetadata is the persisted description of one table (the catalog entry). The api layer
// builds it from CreateTable/UpdateTable requests and renders TableDescription from it; storage
// persists it in the catalog (see docs/storage-format.md).
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/attribute_value.h"

namespace dunlin::model {

// A key attribute: its name and scalar type (kS, kN or kB).
struct KeyElement {
  std::string name;
  AttributeType type = AttributeType::kS;
  friend bool operator==(const KeyElement&, const KeyElement&) = default;
};

struct KeySchema {
  KeyElement partition;
  std::optional<KeyElement> sort;
  friend bool operator==(const KeySchema&, const KeySchema&) = default;
};

enum class BillingMode { kProvisioned, kPayPerRequest };
enum class TableClass { kStandard, kStandardInfrequentAccess };
enum class TableStatus { kCreating, kActive, kUpdating, kDeleting };

struct ProvisionedThroughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  // Epoch milliseconds of the last increase/decrease; 0 when never.
  int64_t last_increase_ms = 0;
  int64_t last_decrease_ms = 0;
  int64_t decreases_today = 0;
  friend bool operator==(const ProvisionedThroughput&, const ProvisionedThroughput&) = default;
};

struct Tag {
  std::string key;
  std::string value;
  friend bool operator==(const Tag&, const Tag&) = default;
};

// Which attributes a secondary index copies from the table's items besides the keys.
enum class ProjectionType { kAll, kKeysOnly, kInclude };
struct IndexProjection {
  ProjectionType type = ProjectionType::kAll;
  // kInclude: the non-key attributes copied, as given.
  std::vector<std::string> non_key_attributes;
  // kAll and kKeysOnly: NonKeyAttributes was given as an empty list, which descriptions echo
  // (DynamoDB shows the projection as it was sent).
  bool empty_list_given = false;
  friend bool operator==(const IndexProjection&, const IndexProjection&) = default;
};

enum class IndexStatus { kCreating, kUpdating, kDeleting, kActive };

// A global or local secondary index of a table.
struct SecondaryIndex {
  std::string name;
  // Prefixes the index's entries in storage, like a table's; unique and never reused.
  uint64_t internal_id = 0;
  // A local index shares the table's partition key; a global one has its own.
  bool local = false;
  // The first partition attribute, and the first sort attribute when there is one.
  KeySchema key_schema;
  // Multi-attribute keys (global indexes only; DynamoDB allows up to 4 partition and 4 sort
  // attributes): the partition attributes after key_schema.partition and the sort attributes
  // after key_schema.sort, in schema order. Empty for single-attribute keys.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
  std::vector<KeyElement> more_partition;
  std::vector<KeyElement> more_sort;
  IndexProjection projection;
  IndexStatus status = IndexStatus::kActive;
  // A global index added to a table with items is being filled from them.
  bool backfilling = false;
  ProvisionedThroughput throughput;  // global indexes of provisioned tables
  friend bool operator==(const SecondaryIndex&, const SecondaryIndex&) = default;
};

// What a stream record carries besides the changed item's key (DynamoDB's StreamViewType).
enum class StreamViewType { kKeysOnly, kNewImage, kOldImage, kNewAndOldImages };

// The table's latest DynamoDB stream. It stays after the stream is disabled (DescribeTable
// keeps reporting LatestStreamLabel and LatestStreamArn); enabling again replaces it.
struct TableStream {
  // The stream's storage id, assigned by the engine when the stream is enabled (0 before);
  // unique and never reused, like internal_id.
  uint64_t stream_id = 0;
  // The stream's creation time in UTC, "YYYY-MM-DDThh:mm:ss.sss"; the last part of its ARN.
  // Later streams of a table name get later labels.
  std::string label;
  StreamViewType view_type = StreamViewType::kNewAndOldImages;
  bool enabled = false;
  friend bool operator==(const TableStream&, const TableStream&) = default;
};

// The table's Time to Live setting (UpdateTimeToLive).
struct TimeToLive {
  bool enabled = false;
  // The top-level attribute holding each item's expiry in epoch seconds; empty when disabled
  // (a disabled table does not remember it).
  std::string attribute_name;
  // Epoch milliseconds of the last successful change; 0 when never (the change interval).
  int64_t changed_ms = 0;
  // The storage id of the table's expiry index, assigned by the engine when TTL is enabled
  // (0 while disabled); a new one each time it is enabled.
  uint64_t expiry_id = 0;
  // The expiry index is being filled from the items stored when TTL was enabled.
  bool backfilling = false;
  friend bool operator==(const TimeToLive&, const TimeToLive&) = default;
};

struct TableMetadata {
  std::string name;
  // Internal id, unique for the life of the data directory, never reused; prefixes storage keys.
  uint64_t internal_id = 0;
  // The TableId DynamoDB reports: a UUID string.
  std::string table_uuid;
  // Epoch milliseconds.
  int64_t creation_time_ms = 0;
  KeySchema key_schema;
  // As given in CreateTable, in request order.
  std::vector<KeyElement> attribute_definitions;
  BillingMode billing_mode = BillingMode::kProvisioned;
  // Epoch milliseconds of the last switch to PAY_PER_REQUEST; 0 when never.
  int64_t billing_mode_updated_ms = 0;
  ProvisionedThroughput throughput;
  std::vector<Tag> tags;
  TableClass table_class = TableClass::kStandard;
  bool deletion_protection = false;
  TableStatus status = TableStatus::kActive;
  // Local indexes, then global ones, each in the order they were defined.
  std::vector<SecondaryIndex> indexes;
  // Absent until a stream is first enabled.
  std::optional<TableStream> stream;
  TimeToLive ttl;
  friend bool operator==(const TableMetadata&, const TableMetadata&) = default;
};

// Every partition attribute of an index's key, then (IndexSortAttributes) every sort attribute,
// in schema order.
std::vector<KeyElement> IndexPartitionAttributes(const SecondaryIndex& index);
std::vector<KeyElement> IndexSortAttributes(const SecondaryIndex& index);
// Whether `name` is one of the index's key attributes.
bool IsIndexKeyAttribute(const SecondaryIndex& index, std::string_view name);
// Whether `name` is the partition or sort attribute of `schema`.
inline bool IsKeyAttribute(const KeySchema& schema, std::string_view name) {
  return schema.partition.name == name || (schema.sort && schema.sort->name == name);
}

// A table's primary key values, borrowed from an item or request.
struct PrimaryKey {
  const AttributeValue* partition = nullptr;
  const AttributeValue* sort = nullptr;  // null when the table has no sort key
};

}  // namespace dunlin::model
