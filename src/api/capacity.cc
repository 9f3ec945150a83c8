#include "api/capacity.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/item_size.h"
#include "storage/index_entries.h"

namespace dunlin::api {
namespace {

constexpr size_t kReadUnitBytes = 4096;
constexpr size_t kWriteUnitBytes = 1024;

// Capacity figures are printed with at least one decimal, as DynamoDB prints them (1.0, 0.5).
void WriteUnits(JsonWriter& out, double units) { out.Raw(fmt::format("{:.1f}", units)); }

// The ConsumedCapacity object itself.
void WriteCapacityObject(JsonWriter& out, CapacityReport report, std::string_view table_name,
                         double units, std::span<const IndexUnits> indexes) {
  double total = units;
  for (const IndexUnits& index : indexes) total += index.units;
  out.BeginObject();
  out.Key("TableName");
  out.String(table_name);
  out.Key("CapacityUnits");
  WriteUnits(out, total);
  if (report == CapacityReport::kIndexes) {
    out.Key("Table");
    out.BeginObject();
    out.Key("CapacityUnits");
    WriteUnits(out, units);
    out.EndObject();
    for (bool local : {true, false}) {
      bool open = false;
      for (const IndexUnits& index : indexes) {
        if (index.local != local) continue;
        if (!open) {
          out.Key(local ? "LocalSecondaryIndexes" : "GlobalSecondaryIndexes");
          out.BeginObject();
          open = true;
        }
        out.Key(index.index_name);
        out.BeginObject();
        out.Key("CapacityUnits");
        WriteUnits(out, index.units);
        out.EndObject();
      }
      if (open) out.EndObject();
    }
  }
  out.EndObject();
}

}  // namespace

ApiResult<CapacityReport> ReadCapacityReport(const ObjectReader& request, Violations& violations) {
  DUNLIN_ASSIGN_OR_RETURN(auto value, request.String("ReturnConsumedCapacity"));
  if (!value) return CapacityReport::kNone;
  if (!CheckEnum(violations, *value, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"})) {
    return CapacityReport::kNone;
  }
  if (*value == "INDEXES") return CapacityReport::kIndexes;
  if (*value == "TOTAL") return CapacityReport::kTotal;
  return CapacityReport::kNone;
}

double ReadCapacityUnits(size_t bytes_read, bool consistent_read) {
  size_t units = bytes_read == 0 ? 1 : (bytes_read + kReadUnitBytes - 1) / kReadUnitBytes;
  return consistent_read ? static_cast<double>(units) : static_cast<double>(units) / 2;
}

double WriteCapacityUnits(size_t item_bytes) {
  size_t units = item_bytes == 0 ? 1 : (item_bytes + kWriteUnitBytes - 1) / kWriteUnitBytes;
  return static_cast<double>(units);
}

void WriteConsumedCapacity(JsonWriter& out, CapacityReport report, std::string_view table_name,
                           double units, std::span<const IndexUnits> indexes) {
  if (report == CapacityReport::kNone) return;
  out.Key("ConsumedCapacity");
  WriteCapacityObject(out, report, table_name, units, indexes);
}

std::vector<IndexUnits> IndexWriteUnits(const model::TableMetadata& table,
                                        const model::Item* old_item, const model::Item* new_item,
                                        double multiplier) {
  std::vector<IndexUnits> out;
  for (const model::SecondaryIndex& index : table.indexes) {
    auto before = old_item ? storage::IndexEntryKey(table, index, *old_item) : std::nullopt;
    auto after = new_item ? storage::IndexEntryKey(table, index, *new_item) : std::nullopt;
    if (!before && !after) continue;
    std::optional<model::Item> old_entry;
    std::optional<model::Item> new_entry;
    if (before) old_entry = storage::ProjectForIndex(table, index, *old_item);
    if (after) new_entry = storage::ProjectForIndex(table, index, *new_item);
    const size_t old_size = old_entry ? model::ItemSize(*old_entry) : 0;
    const size_t new_size = new_entry ? model::ItemSize(*new_entry) : 0;
    double units = 0;
    if (before && after && *before == *after) {
      if (*old_entry == *new_entry) continue;  // unchanged: nothing written
      units = WriteCapacityUnits(std::max(old_size, new_size));  // rewritten in place
    } else {
      if (before) units += WriteCapacityUnits(old_size);
      if (after) units += WriteCapacityUnits(new_size);
    }
    out.push_back({index.name, index.local, units * multiplier});
  }
  return out;
}

void AddTableUnits(std::vector<TableCapacity>& tables, std::string_view table_name, double units,
                   std::span<const IndexUnits> indexes) {
  auto entry = std::find_if(tables.begin(), tables.end(), [&](const TableCapacity& known) {
    return known.table_name == table_name;
  });
  if (entry == tables.end()) {
    entry = tables.insert(tables.end(), TableCapacity{std::string(table_name), 0, {}});
  }
  entry->units += units;
  for (const IndexUnits& index : indexes) {
    auto known = std::find_if(entry->indexes.begin(), entry->indexes.end(),
                              [&](const IndexUnits& i) { return i.index_name == index.index_name; });
    if (known == entry->indexes.end()) {
      entry->indexes.push_back(index);
    } else {
      known->units += index.units;
    }
  }
}

void WriteConsumedCapacityList(JsonWriter& out, CapacityReport report,
                               const std::vector<TableCapacity>& tables) {
  if (report == CapacityReport::kNone) return;
  out.Key("ConsumedCapacity");
  out.BeginArray();
  for (const TableCapacity& table : tables) {
    WriteCapacityObject(out, report, table.table_name, table.units, table.indexes);
  }
  out.EndArray();
}

}  // namespace dunlin::api
