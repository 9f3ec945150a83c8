#include "api/table_description.h"

#include <fmt/format.h>

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

std::string TableArn(const ServiceConfig& config, std::string_view table_name) {
  return fmt::format("arn:aws:dynamodb:{}:{}:table/{}", config.region, config.account_id,
                     table_name);
}

void WriteTimestamp(JsonWriter& out, int64_t epoch_ms) {
  out.Raw(fmt::format("{}.{:03}", epoch_ms / 1000, epoch_ms % 1000));
}

void WriteTableDescription(JsonWriter& out, const ServiceConfig& config,
                           const model::TableMetadata& table, const storage::TableStats& stats) {
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
  out.BeginArray();
  WriteKeySchemaElement(out, table.key_schema.partition, "HASH");
  if (table.key_schema.sort) WriteKeySchemaElement(out, *table.key_schema.sort, "RANGE");
  out.EndArray();
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
    case Code::kIo:
    case Code::kCorruption:
      return ApiError::Internal("Internal server error");
  }
  return ApiError::Internal("Internal server error");
}

}  // namespace dunlin::api
