#include "api/capacity.h"

#include <fmt/format.h>

namespace dunlin::api {
namespace {

constexpr size_t kReadUnitBytes = 4096;
constexpr size_t kWriteUnitBytes = 1024;

// Capacity figures are printed with at least one decimal, as DynamoDB prints them (1.0, 0.5).
void WriteUnits(JsonWriter& out, double units) { out.Raw(fmt::format("{:.1f}", units)); }

// The ConsumedCapacity object itself.
void WriteCapacityObject(JsonWriter& out, CapacityReport report, std::string_view table_name,
                         double units, const IndexUnits* index = nullptr) {
  out.BeginObject();
  out.Key("TableName");
  out.String(table_name);
  out.Key("CapacityUnits");
  WriteUnits(out, units + (index != nullptr ? index->units : 0.0));
  if (report == CapacityReport::kIndexes) {
    out.Key("Table");
    out.BeginObject();
    out.Key("CapacityUnits");
    WriteUnits(out, units);
    out.EndObject();
    if (index != nullptr) {
      out.Key(index->local ? "LocalSecondaryIndexes" : "GlobalSecondaryIndexes");
      out.BeginObject();
      out.Key(index->index_name);
      out.BeginObject();
      out.Key("CapacityUnits");
      WriteUnits(out, index->units);
      out.EndObject();
      out.EndObject();
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
                           double units, const IndexUnits* index) {
  if (report == CapacityReport::kNone) return;
  out.Key("ConsumedCapacity");
  WriteCapacityObject(out, report, table_name, units, index);
}

void AddTableUnits(std::vector<TableCapacity>& tables, std::string_view table_name,
                   double units) {
  for (TableCapacity& entry : tables) {
    if (entry.table_name == table_name) {
      entry.units += units;
      return;
    }
  }
  tables.push_back({std::string(table_name), units});
}

void WriteConsumedCapacityList(JsonWriter& out, CapacityReport report,
                               const std::vector<TableCapacity>& tables) {
  if (report == CapacityReport::kNone) return;
  out.Key("ConsumedCapacity");
  out.BeginArray();
  for (const TableCapacity& table : tables) {
    WriteCapacityObject(out, report, table.table_name, table.units);
  }
  out.EndArray();
}

}  // namespace dunlin::api
