#include "api/item_collection.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "model/json_codec.h"

namespace dunlin::api {

bool ReportsCollectionMetrics(const model::TableMetadata& table, bool asked) {
  return asked && std::any_of(table.indexes.begin(), table.indexes.end(),
                              [](const model::SecondaryIndex& index) { return index.local; });
}

void WriteCollectionMetrics(JsonWriter& out, storage::Engine& engine,
                            const model::TableMetadata& table,
                            const model::AttributeValue& partition) {
  // A failed read reports the smallest range rather than failing a write that succeeded.
  auto stats = engine.GetItemCollectionStats(table, partition);
  const int64_t bytes = stats.ok() ? stats->size_bytes : 0;
  const double lower = std::floor(static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  out.BeginObject();
  out.Key("ItemCollectionKey");
  out.BeginObject();
  out.Key(table.key_schema.partition.name);
  model::WriteAttributeValue(out, partition);
  out.EndObject();
  out.Key("SizeEstimateRangeGB");
  out.BeginArray();
  out.Raw(fmt::format("{:.1f}", lower));
  out.Raw(fmt::format("{:.1f}", lower + 1));
  out.EndArray();
  out.EndObject();
}

std::optional<CollectionReport> PlanCollectionReport(
    storage::Engine& engine, std::shared_ptr<const model::TableMetadata> table, bool asked,
    const model::AttributeValue& partition) {
  if (!ReportsCollectionMetrics(*table, asked)) return std::nullopt;
  return CollectionReport{&engine, std::move(table), partition};
}

void WriteCollectionMetricsMember(JsonWriter& out, const std::optional<CollectionReport>& report) {
  if (!report) return;
  out.Key("ItemCollectionMetrics");
  WriteCollectionMetrics(out, *report->engine, *report->table, report->partition);
}

void NoteCollection(std::vector<TableCollections>& tables, const model::TableMetadata& table,
                    const model::AttributeValue& partition) {
  auto entry = std::find_if(tables.begin(), tables.end(), [&](const TableCollections& known) {
    return known.table->name == table.name;
  });
  if (entry == tables.end()) entry = tables.insert(tables.end(), TableCollections{&table, {}});
  if (std::find(entry->partitions.begin(), entry->partitions.end(), partition) ==
      entry->partitions.end()) {
    entry->partitions.push_back(partition);
  }
}

void WriteCollectionMetricsByTable(JsonWriter& out, storage::Engine& engine,
                                   const std::vector<TableCollections>& tables) {
  if (tables.empty()) return;
  out.Key("ItemCollectionMetrics");
  out.BeginObject();
  for (const TableCollections& entry : tables) {
    out.Key(entry.table->name);
    out.BeginArray();
    for (const model::AttributeValue& partition : entry.partitions) {
      WriteCollectionMetrics(out, engine, *entry.table, partition);
    }
    out.EndArray();
  }
  out.EndObject();
}

}  // namespace dunlin::api
