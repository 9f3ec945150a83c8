// Consumed capacity: DynamoDB's capacity-unit rules and the ConsumedCapacity response member.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
//   1. A read consumes one unit per 4 KB (rounded up) read with strong consistency, half that
//      when eventually consistent; a read that finds nothing still consumes the minimum.
//   2. A write consumes one unit per 1 KB (rounded up) of the larger of the old and new item.
//   3. Scan sums the sizes of all items it reads, then rounds up to 4 KB once.
//   4. Batch operations report one entry per table, each item costed as its single-item
//      operation would be: BatchGetItem rounds each item up to 4 KB before adding, but a key
//      that finds nothing adds nothing (DynamoDB Local reports 0.0 for such a batch).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/params.h"
#include "common/json_writer.h"

namespace dunlin::api {

enum class CapacityReport { kNone, kTotal, kIndexes };

// Reads ReturnConsumedCapacity (INDEXES, TOTAL, NONE; default NONE).
ApiResult<CapacityReport> ReadCapacityReport(const ObjectReader& request, Violations& violations);

double ReadCapacityUnits(size_t bytes_read, bool consistent_read);
double WriteCapacityUnits(size_t item_bytes);

// What a read of a secondary index consumed on the index itself.
struct IndexUnits {
  std::string_view index_name;
  bool local = false;
  double units = 0;
};

// Writes the "ConsumedCapacity" member when `report` asks for it: `units` consumed on the
// table, plus `index` when a secondary index was read (INDEXES then reports it under
// GlobalSecondaryIndexes or LocalSecondaryIndexes, and CapacityUnits is the sum).
void WriteConsumedCapacity(JsonWriter& out, CapacityReport report, std::string_view table_name,
                           double units, const IndexUnits* index = nullptr);

// The units one table consumed in an operation over several tables.
struct TableCapacity {
  std::string table_name;
  double units = 0;
};

// Adds `units` to `table_name`'s entry, appending one when it has none (entries stay in order
// of first appearance).
void AddTableUnits(std::vector<TableCapacity>& tables, std::string_view table_name, double units);

// Writes "ConsumedCapacity": [{...}, ...], one entry per table in the order given, when
// `report` asks for it (rule 4).
void WriteConsumedCapacityList(JsonWriter& out, CapacityReport report,
                               const std::vector<TableCapacity>& tables);

}  // namespace dunlin::api
