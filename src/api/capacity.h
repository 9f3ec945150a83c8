// Consumed capacity: DynamoDB's capacity-unit rules and the ConsumedCapacity response member.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
//   1. A read consumes one unit per 4 KB (rounded up) read with strong consistency, half that
//      when eventually consistent; a read that finds nothing still consumes the minimum.
//   2. A write consumes one unit per 1 KB (rounded up) of the larger of the old and new item.
//   3. Scan sums the sizes of all items it reads, then rounds up to 4 KB once.
#pragma once

#include <cstddef>
#include <string_view>

#include "api/params.h"
#include "common/json_writer.h"

namespace dunlin::api {

enum class CapacityReport { kNone, kTotal, kIndexes };

// Reads ReturnConsumedCapacity (INDEXES, TOTAL, NONE; default NONE).
ApiResult<CapacityReport> ReadCapacityReport(const ObjectReader& request, Violations& violations);

double ReadCapacityUnits(size_t bytes_read, bool consistent_read);
double WriteCapacityUnits(size_t item_bytes);

// Writes the "ConsumedCapacity" member when `report` asks for it.
void WriteConsumedCapacity(JsonWriter& out, CapacityReport report, std::string_view table_name,
                           double units);

}  // namespace dunlin::api
