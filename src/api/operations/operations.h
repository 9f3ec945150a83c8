// Every operation the server implements, one per file in this folder.
#pragma once

#include "api/operation.h"

namespace dunlin::api::operations {

ApiResult<void> CreateTable(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out);
ApiResult<void> DescribeTable(OperationContext& context, const ObjectReader& request,
                              JsonWriter& out);
ApiResult<void> ListTables(OperationContext& context, const ObjectReader& request, JsonWriter& out);
ApiResult<void> UpdateTable(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out);
ApiResult<void> DeleteTable(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out);
ApiResult<void> TagResource(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out);
ApiResult<void> UntagResource(OperationContext& context, const ObjectReader& request,
                              JsonWriter& out);
ApiResult<void> ListTagsOfResource(OperationContext& context, const ObjectReader& request,
                                   JsonWriter& out);
ApiResult<void> DescribeEndpoints(OperationContext& context, const ObjectReader& request,
                                  JsonWriter& out);
ApiResult<void> DescribeLimits(OperationContext& context, const ObjectReader& request,
                               JsonWriter& out);
ApiResult<void> UpdateTimeToLive(OperationContext& context, const ObjectReader& request,
                                 JsonWriter& out);
ApiResult<void> DescribeTimeToLive(OperationContext& context, const ObjectReader& request,
                                   JsonWriter& out);
ApiResult<void> PutItem(OperationContext& context, const ObjectReader& request, JsonWriter& out);
ApiResult<void> GetItem(OperationContext& context, const ObjectReader& request, JsonWriter& out);
ApiResult<void> DeleteItem(OperationContext& context, const ObjectReader& request, JsonWriter& out);
ApiResult<void> Scan(OperationContext& context, const ObjectReader& request, JsonWriter& out);
ApiResult<void> Query(OperationContext& context, const ObjectReader& request, JsonWriter& out);
ApiResult<void> UpdateItem(OperationContext& context, const ObjectReader& request,
                           JsonWriter& out);
ApiResult<void> BatchGetItem(OperationContext& context, const ObjectReader& request,
                             JsonWriter& out);
ApiResult<void> BatchWriteItem(OperationContext& context, const ObjectReader& request,
                               JsonWriter& out);

ApiResult<void> TransactWriteItems(OperationContext& context, const ObjectReader& request,
                                   JsonWriter& out);
ApiResult<void> TransactGetItems(OperationContext& context, const ObjectReader& request,
                                 JsonWriter& out);

// DynamoDB Streams (target prefix DynamoDBStreams_20120810).
ApiResult<void> ListStreams(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out);
ApiResult<void> DescribeStream(OperationContext& context, const ObjectReader& request,
                               JsonWriter& out);
ApiResult<void> GetShardIterator(OperationContext& context, const ObjectReader& request,
                                 JsonWriter& out);
ApiResult<void> GetRecords(OperationContext& context, const ObjectReader& request,
                           JsonWriter& out);

}  // namespace dunlin::api::operations
