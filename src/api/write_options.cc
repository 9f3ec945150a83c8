#include "api/write_options.h"

namespace dunlin::api {

ApiResult<WriteOptions> ReadWriteOptions(const ObjectReader& request,
                                         std::initializer_list<ReturnValues> allowed) {
  WriteOptions options;
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(options.return_values, ReadReturnValues(request, violations, allowed));
  DUNLIN_ASSIGN_OR_RETURN(options.capacity, ReadCapacityReport(request, violations));
  DUNLIN_ASSIGN_OR_RETURN(auto metrics, request.String("ReturnItemCollectionMetrics"));
  if (metrics) CheckEnum(violations, *metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  DUNLIN_ASSIGN_OR_RETURN(auto on_failure, request.String("ReturnValuesOnConditionCheckFailure"));
  if (on_failure) {
    CheckEnum(violations, *on_failure, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
    options.old_item_on_condition_failure = *on_failure == "ALL_OLD";
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  return options;
}

}  // namespace dunlin::api
