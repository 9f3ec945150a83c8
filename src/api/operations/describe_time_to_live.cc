// DescribeTimeToLive: a table's Time to Live setting.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TimeToLiveDescription.html
// The status is settled at once: Dunlin, like DynamoDB Local, never shows ENABLING or
// DISABLING. A disabled table has no AttributeName.
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "api/table_name.h"

namespace dunlin::api::operations {

ApiResult<void> DescribeTimeToLive(OperationContext& context, const ObjectReader& request,
                                   JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableNameOrArn(request, context.config));
  DUNLIN_ASSIGN_OR_RETURN(auto table, LoadTable(context, name));
  const model::TimeToLive& ttl = table->ttl;
  out.BeginObject();
  out.Key("TimeToLiveDescription");
  out.BeginObject();
  out.Key("TimeToLiveStatus");
  out.String(ttl.enabled ? "ENABLED" : "DISABLED");
  if (ttl.enabled) {
    out.Key("AttributeName");
    out.String(ttl.attribute_name);
  }
  out.EndObject();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
