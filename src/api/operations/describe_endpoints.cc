// DescribeEndpoints: where clients doing endpoint discovery should send requests.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeEndpoints.html
// DynamoDB answers with its regional host name; Dunlin answers with the address the client
// reached it on (the Host header), so discovery never leads a client away from this server.
#include "api/operations/operations.h"

namespace dunlin::api::operations {

ApiResult<void> DescribeEndpoints(OperationContext& context, const ObjectReader& request,
                                  JsonWriter& out) {
  out.BeginObject();
  out.Key("Endpoints");
  out.BeginArray();
  out.BeginObject();
  out.Key("Address");
  out.String(context.host.empty() ? "localhost" : context.host);
  out.Key("CachePeriodInMinutes");
  out.Int(1440);
  out.EndObject();
  out.EndArray();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
