// Resolving a table ARN for the tagging operations.
#pragma once

#include "api/operation.h"
#include "model/table.h"

namespace dunlin::api::operations {

// Reads ResourceArn ("arn:aws:dynamodb:<region>:<account>:table/<name>") and loads the table.
ApiResult<model::TableMetadata> LoadTableByArn(OperationContext& context,
                                               const ObjectReader& request);

}  // namespace dunlin::api::operations
