#include "api/return_values.h"

namespace dunlin::api {

ApiResult<ReturnValues> ReadReturnValues(const ObjectReader& request,
                                         std::initializer_list<ReturnValues> allowed) {
  DUNLIN_ASSIGN_OR_RETURN(auto value, request.String("ReturnValues"));
  if (!value || value->empty()) return ReturnValues::kNone;
  ReturnValues parsed = ReturnValues::kNone;
  if (*value != "NONE" && *value != "ALL_OLD" && *value != "UPDATED_OLD" && *value != "ALL_NEW" &&
      *value != "UPDATED_NEW") {
    return Fail(ApiError::Validation("Return values set to invalid value"));
  }
  if (*value == "ALL_OLD") parsed = ReturnValues::kAllOld;
  if (*value == "UPDATED_OLD") parsed = ReturnValues::kUpdatedOld;
  if (*value == "ALL_NEW") parsed = ReturnValues::kAllNew;
  if (*value == "UPDATED_NEW") parsed = ReturnValues::kUpdatedNew;
  for (ReturnValues candidate : allowed) {
    if (candidate == parsed) return parsed;
  }
  return Fail(ApiError::Validation("Return values set to invalid value"));
}

}  // namespace dunlin::api
