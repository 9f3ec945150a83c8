// ReturnValues: which item image a write returns.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#DDB-PutItem-request-ReturnValues
#pragma once

#include <initializer_list>

#include "api/params.h"

namespace dunlin::api {

enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };

// Reads ReturnValues (default NONE; an empty string is taken as absent, as DynamoDB Local
// takes it). Values outside DynamoDB's enum, and enum values the operation does not allow
// (`allowed`), fail with "Return values set to invalid value". DynamoDB Local checks it once
// the table is known (and, for DeleteItem and UpdateItem, after Expected's entries).
ApiResult<ReturnValues> ReadReturnValues(const ObjectReader& request,
                                         std::initializer_list<ReturnValues> allowed);

}  // namespace dunlin::api
