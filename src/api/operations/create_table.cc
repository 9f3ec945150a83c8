// CreateTable: validates the table definition and persists it.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
// Tables are usable at once: the response already says ACTIVE, as DynamoDB Local does.
// Secondary index definitions get every check DynamoDB makes; a valid one is still refused by
// name until Query and Scan read indexes.
#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "api/index_definition.h"
#include "api/operations/operations.h"
#include "api/stream_settings.h"
#include "api/table_definition.h"
#include "api/table_description.h"

namespace dunlin::api::operations {
namespace {

std::string NewUuid() {
  thread_local std::mt19937_64 random(std::random_device{}());
  uint64_t high = random();
  uint64_t low = random();
  // Version 4, variant 10.
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF,
                     high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFFULL);
}

}  // namespace

ApiResult<void> CreateTable(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out) {
  // CreateTable reports a missing TableName as an invalid name, unlike the other operations.
  DUNLIN_ASSIGN_OR_RETURN(auto given_name, request.String("TableName"));
  if (auto error = ValidateTableName(given_name.value_or(""))) return Fail(std::move(*error));
  std::string name(*given_name);
  DUNLIN_RETURN_IF_ERROR(
      RejectUnsupported(request, {"ResourcePolicy", "OnDemandThroughput", "WarmThroughput"}));
  DUNLIN_RETURN_IF_ERROR(RejectEnabledFeature(request, "SSESpecification", "Enabled"));

  const std::string request_name = name;
  model::TableMetadata table;
  table.name = std::move(name);
  // The order of checks is DynamoDB's: table keys, indexes, unused definitions, throughput
  // (index_definition.h).
  DUNLIN_RETURN_IF_ERROR(ReadKeyDefinition(request, table));
  DUNLIN_ASSIGN_OR_RETURN(auto billing_mode, request.String("BillingMode"));
  const bool provisioned = billing_mode.value_or("PROVISIONED") != "PAY_PER_REQUEST";
  DUNLIN_ASSIGN_OR_RETURN(IndexDefinitions indexes,
                          ReadIndexDefinitions(request, table, provisioned));
  DUNLIN_RETURN_IF_ERROR(CheckEveryDefinitionUsed(table, indexes.key_attributes));
  DUNLIN_RETURN_IF_ERROR(ReadBillingAndThroughput(request, table, /*creating=*/true));
  DUNLIN_ASSIGN_OR_RETURN(auto stream, ReadStreamSpecification(request));
  if (stream && stream->enable) table.stream = model::TableStream{0, "", stream->view_type, true};
  DUNLIN_ASSIGN_OR_RETURN(auto tags, request.Array("Tags"));
  if (tags) {
    DUNLIN_ASSIGN_OR_RETURN(table.tags, ReadTags(*tags, "tags"));
  }
  DUNLIN_ASSIGN_OR_RETURN(auto table_class, ReadTableClass(request));
  if (table_class) table.table_class = *table_class;
  DUNLIN_ASSIGN_OR_RETURN(auto deletion_protection, request.Bool("DeletionProtectionEnabled"));
  table.deletion_protection = deletion_protection.value_or(false);
  table.indexes = std::move(indexes.indexes);

  table.table_uuid = NewUuid();
  table.creation_time_ms = context.now_ms;
  if (table.billing_mode == model::BillingMode::kPayPerRequest) {
    table.billing_mode_updated_ms = context.now_ms;
  }
  table.status = model::TableStatus::kActive;

  auto created = context.engine.CreateTable(std::move(table));
  if (!created.ok()) {
    return Fail(FromStorage(created.error(), request_name));
  }
  out.BeginObject();
  out.Key("TableDescription");
  WriteTableDescription(out, context.config, *created, DescriptionStats{});
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
