// Resolving a table ARN for the tagging operations.
#pragma once

#include <functional>

#include "api/operation.h"
#include "model/table.h"

namespace dunlin::api::operations {

// Reads ResourceArn ("arn:aws:dynamodb:<region>:<account>:table/<name>") and loads the table.
ApiResult<model::TableMetadata> LoadTableByArn(OperationContext& context,
                                               const ObjectReader& request);

// Reads ResourceArn and applies `change` to the table's metadata atomically (see
// storage::Engine::UpdateTable); an error from `change` is returned as is.
ApiResult<void> UpdateTableByArn(
    OperationContext& context, const ObjectReader& request,
    const std::function<ApiResult<void>(model::TableMetadata&)>& change);

}  // namespace dunlin::api::operations
