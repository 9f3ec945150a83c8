// DescribeLimits: the provisioned-capacity quotas Dunlin enforces (DynamoDB's defaults).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeLimits.html
#include "api/operations/operations.h"
#include "api/table_definition.h"

namespace dunlin::api::operations {

inline constexpr int64_t kMaxAccountThroughputUnits = 80000;

ApiResult<void> DescribeLimits(OperationContext& context, const ObjectReader& request,
                               JsonWriter& out) {
  out.BeginObject();
  out.Key("AccountMaxReadCapacityUnits");
  out.Int(kMaxAccountThroughputUnits);
  out.Key("AccountMaxWriteCapacityUnits");
  out.Int(kMaxAccountThroughputUnits);
  out.Key("TableMaxReadCapacityUnits");
  out.Int(kMaxTableThroughputUnits);
  out.Key("TableMaxWriteCapacityUnits");
  out.Int(kMaxTableThroughputUnits);
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
