// The response options every single-item write shares (PutItem, DeleteItem, and later
// UpdateItem): ReturnValues, ReturnConsumedCapacity, ReturnItemCollectionMetrics and
// ReturnValuesOnConditionCheckFailure.
#pragma once

#include <initializer_list>

#include "api/capacity.h"
#include "api/params.h"
#include "api/return_values.h"

namespace dunlin::api {

struct WriteOptions {
  ReturnValues return_values = ReturnValues::kNone;
  CapacityReport capacity = CapacityReport::kNone;
  // ReturnValuesOnConditionCheckFailure is ALL_OLD.
  bool old_item_on_condition_failure = false;
};

// Reads and checks the options; `allowed` are the ReturnValues the operation accepts.
ApiResult<WriteOptions> ReadWriteOptions(const ObjectReader& request,
                                         std::initializer_list<ReturnValues> allowed);

}  // namespace dunlin::api
