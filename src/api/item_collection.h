// ItemCollectionMetrics: the size of the item collection a write touched, for tables with local
// secondary indexes, when ReturnItemCollectionMetrics is SIZE.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ItemCollectionMetrics.html
//   1. ItemCollectionKey is the table's partition key attribute of the item written.
//   2. SizeEstimateRangeGB is [lower, upper] around the collection's size in GiB (items and
//      their local index entries): the whole GiBs below it and the next one.
//   3. Tables without local indexes never report it.
//
// Thread-safety: plain functions; the engine call is thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/json_writer.h"
#include "model/attribute_value.h"
#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::api {

// Whether writes to `table` report ItemCollectionMetrics when the request says `asked` (its
// ReturnItemCollectionMetrics was SIZE).
bool ReportsCollectionMetrics(const model::TableMetadata& table, bool asked);

// Writes one ItemCollectionMetrics object for the collection of `partition`, read as it stands
// now (after the write).
void WriteCollectionMetrics(JsonWriter& out, storage::Engine& engine,
                            const model::TableMetadata& table,
                            const model::AttributeValue& partition);

// What a single-item write needs to report its collection once written.
struct CollectionReport {
  storage::Engine* engine = nullptr;
  std::shared_ptr<const model::TableMetadata> table;
  model::AttributeValue partition;
};

// The report of a write of `partition` in `table` when the request asked for one (`asked`) and
// the table has a local index; nullopt otherwise.
std::optional<CollectionReport> PlanCollectionReport(
    storage::Engine& engine, std::shared_ptr<const model::TableMetadata> table, bool asked,
    const model::AttributeValue& partition);

// Writes the "ItemCollectionMetrics" member of a single-item write's response when `report` is
// set.
void WriteCollectionMetricsMember(JsonWriter& out, const std::optional<CollectionReport>& report);

// The collections one table's writes touched, each once, in order of first appearance.
struct TableCollections {
  const model::TableMetadata* table = nullptr;
  std::vector<model::AttributeValue> partitions;
};

// Adds `partition` of `table` to `tables` unless it is there.
void NoteCollection(std::vector<TableCollections>& tables, const model::TableMetadata& table,
                    const model::AttributeValue& partition);

// Writes "ItemCollectionMetrics": {table: [metrics...], ...} (BatchWriteItem and
// TransactWriteItems) when any table has one.
void WriteCollectionMetricsByTable(JsonWriter& out, storage::Engine& engine,
                                   const std::vector<TableCollections>& tables);

}  // namespace dunlin::api
