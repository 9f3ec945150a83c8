// ReturnValues: which item image a write returns.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#DDB-PutItem-request-ReturnValues
#pragma once

#include <initializer_list>

#include "api/params.h"

namespace dunlin::api {

enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };

// Reads ReturnValues (default NONE). Values outside DynamoDB's enum, and enum values the
// operation does not allow (`allowed`), fail with "Return values set to invalid value".
ApiResult<ReturnValues> ReadReturnValues(const ObjectReader& request, Violations& violations,
                                         std::initializer_list<ReturnValues> allowed);

}  // namespace dunlin::api
