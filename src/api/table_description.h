// Rendering of DynamoDB's TableDescription and table ARNs.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/operation.h"
#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::api {

// "arn:aws:dynamodb:<region>:<account>:table/<name>".
std::string TableArn(const ServiceConfig& config, std::string_view table_name);

// The figures a TableDescription reports: ItemCount and TableSizeBytes of the table and of each
// secondary index.
struct DescriptionStats {
  storage::TableStats table;
  // One per table.indexes entry, in that order; when empty, every index reports zeros.
  std::vector<storage::TableStats> indexes;
};

// Reads the table's and its indexes' statistics (exact at every call). Storage failures are
// reported for `table.name`.
ApiResult<DescriptionStats> ReadDescriptionStats(OperationContext& context,
                                                 const model::TableMetadata& table);

// "<table ARN>/index/<index name>".
std::string IndexArn(const ServiceConfig& config, std::string_view table_name,
                     std::string_view index_name);

// Writes the TableDescription object (the value of "Table" or "TableDescription"), with
// LocalSecondaryIndexes and GlobalSecondaryIndexes when the table has any.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_LocalSecondaryIndexDescription.html
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalSecondaryIndexDescription.html
void WriteTableDescription(JsonWriter& out, const ServiceConfig& config,
                           const model::TableMetadata& table, const DescriptionStats& stats);

// Writes epoch milliseconds as DynamoDB's epoch-seconds timestamp with milliseconds,
// e.g. 1795431678.688.
void WriteTimestamp(JsonWriter& out, int64_t epoch_ms);
// A KeySchema array (HASH, then RANGE when there is one).
void WriteKeySchema(JsonWriter& out, const model::KeySchema& key_schema);

// Looks a table up, mapping a missing table to ResourceNotFoundException.
ApiResult<std::shared_ptr<const model::TableMetadata>> LoadTable(OperationContext& context,
                                                                 const std::string& name);

}  // namespace dunlin::api
