// Rendering of DynamoDB's TableDescription and table ARNs.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/operation.h"
#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::api {

// "arn:aws:dynamodb:<region>:<account>:table/<name>".
std::string TableArn(const ServiceConfig& config, std::string_view table_name);

// Writes the TableDescription object (the value of "Table" or "TableDescription").
void WriteTableDescription(JsonWriter& out, const ServiceConfig& config,
                           const model::TableMetadata& table, const storage::TableStats& stats);

// Writes epoch milliseconds as DynamoDB's epoch-seconds timestamp with milliseconds,
// e.g. 1795431678.688.
void WriteTimestamp(JsonWriter& out, int64_t epoch_ms);

// Looks a table up, mapping a missing table to ResourceNotFoundException.
ApiResult<std::shared_ptr<const model::TableMetadata>> LoadTable(OperationContext& context,
                                                                 const std::string& name);

}  // namespace dunlin::api
