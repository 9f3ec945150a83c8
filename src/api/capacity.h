// Consumed capacity: DynamoDB's capacity-unit rules and the ConsumedCapacity response member.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
//   1. A read consumes one unit per 4 KB (rounded up) read with strong consistency, half that
//      when eventually consistent; a read that finds nothing still consumes the minimum.
//   2. A write consumes one unit per 1 KB (rounded up) of the larger of the old and new item.
//   3. Scan sums the sizes of all items it reads, then rounds up to 4 KB once.
//   4. Batch operations report one entry per table, each item costed as its single-item
//      operation would be: BatchGetItem rounds each item up to 4 KB before adding, but a key
//      that finds nothing adds nothing (DynamoDB Local reports 0.0 for such a batch).
//   5. A write also consumes on each secondary index whose entry it changes, by the projected
//      entry's size: a new or removed entry its size, a moved entry (its key changed) both
//      sizes, a rewritten one the larger; an index whose entry stays the same is not listed.
//      INDEXES reports them under GlobalSecondaryIndexes / LocalSecondaryIndexes.
//      https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/params.h"
#include "common/json_writer.h"
#include "model/attribute_value.h"
#include "model/table.h"

namespace dunlin::api {

enum class CapacityReport { kNone, kTotal, kIndexes };

// Reads ReturnConsumedCapacity (INDEXES, TOTAL, NONE; default NONE).
ApiResult<CapacityReport> ReadCapacityReport(const ObjectReader& request, Violations& violations);

double ReadCapacityUnits(size_t bytes_read, bool consistent_read);
double WriteCapacityUnits(size_t item_bytes);

// What an operation consumed on one secondary index.
struct IndexUnits {
  std::string index_name;
  bool local = false;
  double units = 0;
};

// Writes the "ConsumedCapacity" member when `report` asks for it: `units` consumed on the
// table, plus what `indexes` consumed (INDEXES reports them under GlobalSecondaryIndexes or
// LocalSecondaryIndexes; CapacityUnits is the sum of all).
void WriteConsumedCapacity(JsonWriter& out, CapacityReport report, std::string_view table_name,
                           double units, std::span<const IndexUnits> indexes = {});

// Rule 5: what replacing `old_item` by `new_item` (either may be null: absent) consumes on the
// indexes of `table`, times `multiplier` (2 in a transaction); in the table's index order.
std::vector<IndexUnits> IndexWriteUnits(const model::TableMetadata& table,
                                        const model::Item* old_item, const model::Item* new_item,
                                        double multiplier = 1);

// The units one table consumed in an operation over several tables.
struct TableCapacity {
  std::string table_name;
  double units = 0;
  std::vector<IndexUnits> indexes = {};
};

// Adds `units`, and `indexes` index by index, to `table_name`'s entry, appending one when it
// has none (entries stay in order of first appearance).
void AddTableUnits(std::vector<TableCapacity>& tables, std::string_view table_name, double units,
                   std::span<const IndexUnits> indexes = {});

// Writes "ConsumedCapacity": [{...}, ...], one entry per table in the order given, when
// `report` asks for it (rule 4).
void WriteConsumedCapacityList(JsonWriter& out, CapacityReport report,
                               const std::vector<TableCapacity>& tables);

}  // namespace dunlin::api
