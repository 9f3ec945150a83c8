#include "api/table_description.h"

#include <fmt/format.h>

#include "api/stream_settings.h"

namespace dunlin::api {
namespace {

std::string_view KeyTypeName(model::AttributeType type) { return model::AttributeTypeName(type); }

std::string_view StatusName(model::TableStatus status) {
  switch (status) {
    case model::TableStatus::kCreating:
      return "CREATING";
    case model::TableStatus::kActive:
      return "ACTIVE";
    case model::TableStatus::kUpdating:
      return "UPDATING";
    case model::TableStatus::kDeleting:
      return "DELETING";
  }
  return "ACTIVE";
}

void WriteKeySchemaElement(JsonWriter& out, const model::KeyElement& element,
                           std::string_view key_type) {
  out.BeginObject();
  out.Key("AttributeName");
  out.String(element.name);
  out.Key("KeyType");
  out.String(key_type);
  out.EndObject();
}

}  // namespace

void WriteKeySchema(JsonWriter& out, const model::KeySchema& key_schema) {
  out.BeginArray();
  WriteKeySchemaElement(out, key_schema.partition, "HASH");
  if (key_schema.sort) WriteKeySchemaElement(out, *key_schema.sort, "RANGE");
  out.EndArray();
}

namespace {

// An index's key schema: every HASH attribute, then every RANGE one (multi-attribute keys).
void WriteIndexKeySchema(JsonWriter& out, const model::SecondaryIndex& index) {
  out.BeginArray();
  for (const model::KeyElement& element : model::IndexPartitionAttributes(index)) {
    WriteKeySchemaElement(out, element, "HASH");
  }
  for (const model::KeyElement& element : model::IndexSortAttributes(index)) {
    WriteKeySchemaElement(out, element, "RANGE");
  }
  out.EndArray();
}

std::string_view ProjectionTypeName(model::ProjectionType type) {
  switch (type) {
    case model::ProjectionType::kAll:
      return "ALL";
    case model::ProjectionType::kKeysOnly:
      return "KEYS_ONLY";
    case model::ProjectionType::kInclude:
      return "INCLUDE";
  }
  return "ALL";
}

std::string_view IndexStatusName(model::IndexStatus status) {
  switch (status) {
    case model::IndexStatus::kCreating:
      return "CREATING";
    case model::IndexStatus::kUpdating:
      return "UPDATING";
    case model::IndexStatus::kDeleting:
      return "DELETING";
    case model::IndexStatus::kActive:
      return "ACTIVE";
  }
  return "ACTIVE";
}

// The projection as it was given: NonKeyAttributes in request order, and an empty list kept.
void WriteProjection(JsonWriter& out, const model::IndexProjection& projection) {
  out.BeginObject();
  out.Key("ProjectionType");
  out.String(ProjectionTypeName(projection.type));
  if (projection.type == model::ProjectionType::kInclude || projection.empty_list_given) {
    out.Key("NonKeyAttributes");
    out.BeginArray();
    for (const std::string& name : projection.non_key_attributes) out.String(name);
    out.EndArray();
  }
  out.EndObject();
}

void WriteIndexCounters(JsonWriter& out, const storage::TableStats& stats) {
  out.Key("IndexSizeBytes");
  out.Int(stats.size_bytes);
  out.Key("ItemCount");
  out.Int(stats.item_count);
}

// Members in DynamoDB's order: IndexName, KeySchema, Projection, IndexSizeBytes, ItemCount,
// IndexArn.
void WriteLocalIndex(JsonWriter& out, const ServiceConfig& config,
                     const model::TableMetadata& table, const model::SecondaryIndex& index,
                     const storage::TableStats& stats) {
  out.BeginObject();
  out.Key("IndexName");
  out.String(index.name);
  out.Key("KeySchema");
  WriteIndexKeySchema(out, index);
  out.Key("Projection");
  WriteProjection(out, index.projection);
  WriteIndexCounters(out, stats);
  out.Key("IndexArn");
  out.String(IndexArn(config, table.name, index.name));
  out.EndObject();
}

// Members in DynamoDB's order: IndexName, KeySchema, Projection, IndexStatus, then
// ProvisionedThroughput (provisioned tables only), IndexSizeBytes, ItemCount and IndexArn; an
// index being created shows Backfilling instead of the counters, and on an on-demand table
// OnDemandThroughput (no limit: -1) after IndexArn.
void WriteGlobalIndex(JsonWriter& out, const ServiceConfig& config,
                      const model::TableMetadata& table, const model::SecondaryIndex& index,
                      const storage::TableStats& stats) {
  const bool creating = index.status == model::IndexStatus::kCreating;
  const bool provisioned = table.billing_mode == model::BillingMode::kProvisioned;
  out.BeginObject();
  out.Key("IndexName");
  out.String(index.name);
  out.Key("KeySchema");
  WriteIndexKeySchema(out, index);
  out.Key("Projection");
  WriteProjection(out, index.projection);
  out.Key("IndexStatus");
  out.String(IndexStatusName(index.status));
  if (creating) {
    out.Key("Backfilling");
    out.Bool(index.backfilling);
  }
  if (provisioned) {
    out.Key("ProvisionedThroughput");
    out.BeginObject();
    out.Key("ReadCapacityUnits");
    out.Int(index.throughput.read_capacity_units);
    out.Key("WriteCapacityUnits");
    out.Int(index.throughput.write_capacity_units);
    out.EndObject();
  }
  if (!creating) WriteIndexCounters(out, stats);
  out.Key("IndexArn");
  out.String(IndexArn(config, table.name, index.name));
  if (creating && !provisioned) {
    out.Key("OnDemandThroughput");
    out.BeginObject();
    out.Key("MaxReadRequestUnits");
    out.Int(-1);
    out.Key("MaxWriteRequestUnits");
    out.Int(-1);
    out.EndObject();
  }
  out.EndObject();
}

// Writes LocalSecondaryIndexes (or GlobalSecondaryIndexes), or nothing when the table has none.
void WriteIndexList(JsonWriter& out, const ServiceConfig& config, const model::TableMetadata& table,
                    const DescriptionStats& stats, bool local) {
  bool any = false;
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const model::SecondaryIndex& index = table.indexes[i];
    if (index.local != local) continue;
    if (!any) {
      out.Key(local ? "LocalSecondaryIndexes" : "GlobalSecondaryIndexes");
      out.BeginArray();
      any = true;
    }
    const storage::TableStats index_stats =
        i < stats.indexes.size() ? stats.indexes[i] : storage::TableStats{};
    if (local) {
      WriteLocalIndex(out, config, table, index, index_stats);
    } else {
      WriteGlobalIndex(out, config, table, index, index_stats);
    }
  }
  if (any) out.EndArray();
}

}  // namespace

std::string IndexArn(const ServiceConfig& config, std::string_view table_name,
                     std::string_view index_name) {
  return fmt::format("{}/index/{}", TableArn(config, table_name), index_name);
}

ApiResult<DescriptionStats> ReadDescriptionStats(OperationContext& context,
                                                 const model::TableMetadata& table) {
  DescriptionStats stats;
  auto table_stats = context.engine.GetTableStats(table);
  if (!table_stats.ok()) return Fail(FromStorage(table_stats.error(), table.name));
  stats.table = *table_stats;
  stats.indexes.reserve(table.indexes.size());
  for (const model::SecondaryIndex& index : table.indexes) {
    auto index_stats = context.engine.GetIndexStats(table, index);
    if (!index_stats.ok()) return Fail(FromStorage(index_stats.error(), table.name));
    stats.indexes.push_back(*index_stats);
  }
  return stats;
}

std::string TableArn(const ServiceConfig& config, std::string_view table_name) {
  return fmt::format("arn:aws:dynamodb:{}:{}:table/{}", config.region, config.account_id,
                     table_name);
}

void WriteTimestamp(JsonWriter& out, int64_t epoch_ms) {
  out.Raw(fmt::format("{}.{:03}", epoch_ms / 1000, epoch_ms % 1000));
}

void WriteTableDescription(JsonWriter& out, const ServiceConfig& config,
                           const model::TableMetadata& table, const DescriptionStats& all_stats) {
  const storage::TableStats& stats = all_stats.table;
  out.BeginObject();
  out.Key("AttributeDefinitions");
  out.BeginArray();
  for (const model::KeyElement& definition : table.attribute_definitions) {
    out.BeginObject();
    out.Key("AttributeName");
    out.String(definition.name);
    out.Key("AttributeType");
    out.String(KeyTypeName(definition.type));
    out.EndObject();
  }
  out.EndArray();
  out.Key("TableName");
  out.String(table.name);
  out.Key("KeySchema");
  WriteKeySchema(out, table.key_schema);
  out.Key("TableStatus");
  out.String(StatusName(table.status));
  out.Key("CreationDateTime");
  WriteTimestamp(out, table.creation_time_ms);

  const model::ProvisionedThroughput& throughput = table.throughput;
  out.Key("ProvisionedThroughput");
  out.BeginObject();
  if (throughput.last_increase_ms != 0) {
    out.Key("LastIncreaseDateTime");
    WriteTimestamp(out, throughput.last_increase_ms);
  }
  if (throughput.last_decrease_ms != 0) {
    out.Key("LastDecreaseDateTime");
    WriteTimestamp(out, throughput.last_decrease_ms);
  }
  out.Key("NumberOfDecreasesToday");
  out.Int(throughput.decreases_today);
  out.Key("ReadCapacityUnits");
  out.Int(table.billing_mode == model::BillingMode::kPayPerRequest
              ? 0
              : throughput.read_capacity_units);
  out.Key("WriteCapacityUnits");
  out.Int(table.billing_mode == model::BillingMode::kPayPerRequest
              ? 0
              : throughput.write_capacity_units);
  out.EndObject();

  out.Key("TableSizeBytes");
  out.Int(stats.size_bytes);
  out.Key("ItemCount");
  out.Int(stats.item_count);
  out.Key("TableArn");
  out.String(TableArn(config, table.name));
  out.Key("TableId");
  out.String(table.table_uuid);
  if (table.billing_mode == model::BillingMode::kPayPerRequest ||
      table.billing_mode_updated_ms != 0) {
    out.Key("BillingModeSummary");
    out.BeginObject();
    out.Key("BillingMode");
    out.String(table.billing_mode == model::BillingMode::kPayPerRequest ? "PAY_PER_REQUEST"
                                                                        : "PROVISIONED");
    out.Key("LastUpdateToPayPerRequestDateTime");
    WriteTimestamp(out, table.billing_mode_updated_ms != 0 ? table.billing_mode_updated_ms
                                                           : table.creation_time_ms);
    out.EndObject();
  }
  if (table.table_class != model::TableClass::kStandard) {
    out.Key("TableClassSummary");
    out.BeginObject();
    out.Key("TableClass");
    out.String("STANDARD_INFREQUENT_ACCESS");
    out.EndObject();
  }
  WriteIndexList(out, config, table, all_stats, /*local=*/true);
  WriteIndexList(out, config, table, all_stats, /*local=*/false);
  WriteTableStreamMembers(out, config, table);
  out.Key("DeletionProtectionEnabled");
  out.Bool(table.deletion_protection);
  out.EndObject();
}

ApiResult<std::shared_ptr<const model::TableMetadata>> LoadTable(OperationContext& context,
                                                                 const std::string& name) {
  auto table = context.engine.FindTable(name);
  if (!table.ok()) return Fail(FromStorage(table.error(), name));
  return std::move(table).value();
}

ApiError FromStorage(const storage::StorageError& error, std::string_view table_name) {
  using Code = storage::StorageError::Code;
  switch (error.code) {
    case Code::kTableNotFound:
      return ApiError::ResourceNotFound("Cannot do operations on a non-existent table");
    case Code::kTableExists:
      return ApiError::ResourceInUse("Cannot create preexisting table");
    case Code::kAborted:
      return ApiError::Validation(error.message);
    case Code::kInvalidArgument:
      return ApiError::Validation(error.message);
    case Code::kTransactionConflict:
      return ApiError::TransactionConflict();
    case Code::kItemCollectionTooLarge:
      return ApiError::ItemCollectionSizeLimitExceeded();
    case Code::kStreamNotFound:
      return ApiError::ResourceNotFound("Requested resource not found");
    case Code::kIo:
    case Code::kCorruption:
      return ApiError::Internal("Internal server error");
  }
  return ApiError::Internal("Internal server error");
}

}  // namespace dunlin::api
