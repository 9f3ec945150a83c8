// UpdateTable: billing mode, provisioned throughput, table class, deletion protection, and one
// global secondary index created, deleted or re-provisioned (api/index_update.h).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
// Table changes apply at once and the table stays ACTIVE; a created index is CREATING until
// its backfill is done.
#include "api/index_update.h"
#include "api/operations/operations.h"
#include "api/stream_settings.h"
#include "api/table_definition.h"
#include "api/table_description.h"

namespace dunlin::api::operations {

namespace {

// Applies the request's changes to `table` (the metadata as currently stored).
// `with_index_changes`: the call also changes global indexes, so an unchanged table throughput
// is not a call that changes nothing.
ApiResult<void> ApplyUpdate(const OperationContext& context, const ObjectReader& request,
                            bool touches_billing, std::optional<bool> deletion_protection,
                            std::optional<model::TableClass> table_class, bool with_index_changes,
                            model::TableMetadata& table) {
  const model::TableMetadata before = table;
  if (touches_billing) {
    DUNLIN_RETURN_IF_ERROR(ReadBillingAndThroughput(request, table, /*creating=*/false));
    const model::ProvisionedThroughput& old_units = before.throughput;
    model::ProvisionedThroughput& new_units = table.throughput;
    if (table.billing_mode == model::BillingMode::kProvisioned &&
        before.billing_mode == model::BillingMode::kProvisioned &&
        new_units.read_capacity_units == old_units.read_capacity_units &&
        new_units.write_capacity_units == old_units.write_capacity_units && !deletion_protection &&
        !table_class && !with_index_changes) {
      return Fail(ApiError::Validation("The requested throughput value equals the current value"));
    }
    if (new_units.read_capacity_units > old_units.read_capacity_units ||
        new_units.write_capacity_units > old_units.write_capacity_units) {
      new_units.last_increase_ms = context.now_ms;
    }
    if (new_units.read_capacity_units < old_units.read_capacity_units ||
        new_units.write_capacity_units < old_units.write_capacity_units) {
      // NumberOfDecreasesToday counts decreases in the current UTC day.
      constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
      if (old_units.last_decrease_ms / kDayMs != context.now_ms / kDayMs) {
        new_units.decreases_today = 0;
      }
      new_units.last_decrease_ms = context.now_ms;
      ++new_units.decreases_today;
    }
    if (table.billing_mode == model::BillingMode::kPayPerRequest &&
        before.billing_mode != model::BillingMode::kPayPerRequest) {
      table.billing_mode_updated_ms = context.now_ms;
    }
  }
  if (deletion_protection) table.deletion_protection = *deletion_protection;
  if (table_class) table.table_class = *table_class;
  return {};
}

}  // namespace

ApiResult<void> UpdateTable(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_RETURN_IF_ERROR(RejectUnsupported(
      request, {"ReplicaUpdates", "OnDemandThroughput",
                "WarmThroughput", "MultiRegionConsistency", "GlobalTableWitnessUpdates"}));
  DUNLIN_RETURN_IF_ERROR(RejectEnabledFeature(request, "SSESpecification", "Enabled"));
  DUNLIN_ASSIGN_OR_RETURN(auto deletion_protection, request.Bool("DeletionProtectionEnabled"));
  DUNLIN_ASSIGN_OR_RETURN(auto table_class, ReadTableClass(request));
  const bool touches_billing = request.Has("BillingMode") || request.Has("ProvisionedThroughput");
  DUNLIN_ASSIGN_OR_RETURN(auto index_changes, ReadGlobalIndexChanges(request));
  // A stream change: the table must exist, throughput may not change with it, and the
  // specification must be sound, in that order, before anything else about the stream.
  std::optional<StreamRequest> stream;
  if (request.Has("StreamSpecification")) {
    DUNLIN_RETURN_IF_ERROR(LoadTable(context, name));
    if (request.Has("ProvisionedThroughput")) {
      return Fail(ApiError::Validation("Cannot change IOPS and Streams at the same time."));
    }
    DUNLIN_ASSIGN_OR_RETURN(stream, ReadStreamSpecification(request));
  }
  const bool touches_table = touches_billing || deletion_protection || table_class || stream;
  if (!touches_table && index_changes.empty()) {
    // DynamoDB checks that the table exists before it says there is nothing to do
    // (AttributeDefinitions alone change nothing).
    DUNLIN_RETURN_IF_ERROR(LoadTable(context, name));
    return Fail(ApiError::Validation("Nothing to update"));
  }

  // The change is computed from the metadata as stored when it is applied, under the catalog
  // lock, so concurrent UpdateTable and TagResource calls never undo each other; the table's
  // own changes and its index changes are one step, made whole or not at all.
  TableChange table_change;
  if (touches_table) {
    table_change = [&](model::TableMetadata& table) -> ApiResult<void> {
      if (stream) {
        DUNLIN_RETURN_IF_ERROR(ApplyStreamRequest(*stream, table));
      }
      return ApplyUpdate(context, request, touches_billing, deletion_protection, table_class,
                         !index_changes.empty(), table);
    };
  }
  model::TableMetadata table;
  if (!index_changes.empty()) {
    DUNLIN_ASSIGN_OR_RETURN(
        table, ApplyGlobalIndexChanges(context, request, name, index_changes, table_change));
  } else {
    CallbackFailure failure;
    auto updated = context.engine.UpdateTable(name, [&](model::TableMetadata& stored) {
      ApiResult<void> applied = table_change(stored);
      if (applied.ok()) applied = CheckGlobalIndexThroughput(stored);
      if (!applied.ok()) return storage::StorageResult<void>(Fail(failure.Keep(applied.error())));
      return storage::StorageResult<void>();
    });
    if (!updated.ok()) return Fail(failure.Resolve(updated.error(), name));
    table = std::move(*updated);
  }
  DUNLIN_ASSIGN_OR_RETURN(DescriptionStats stats, ReadDescriptionStats(context, table));
  out.BeginObject();
  out.Key("TableDescription");
  WriteTableDescription(out, context.config, table, stats);
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
