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
  friend bool operator==(const TableMetadata&, const TableMetadata&) = default;
};

// A table's primary key values, borrowed from an item or request.
struct PrimaryKey {
  const AttributeValue* partition = nullptr;
  const AttributeValue* sort = nullptr;  // null when the table has no sort key
};

}  // namespace dunlin::model
