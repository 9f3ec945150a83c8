// Scan: reads a table (or one parallel-scan segment of it) in pages.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
//   1. A page ends after Limit items or with the item that brings the bytes read to 1 MB
//      (kMaxPageBytes), whichever comes first; LastEvaluatedKey then names the last item read
//      (for the size limit, only when more items follow).
//   2. Segment/TotalSegments split the table into disjoint parts; their union is the table.
//   3. Select COUNT returns counts without items.
#include <fmt/format.h>

#include "api/capacity.h"
#include "api/item_request.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "model/item_size.h"
#include "model/json_codec.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {
namespace {

constexpr size_t kMaxPageBytes = 1024 * 1024;
constexpr int64_t kMaxTotalSegments = 1000000;

struct ScanParameters {
  std::optional<int64_t> limit;
  bool count_only = false;
  bool consistent_read = false;
  CapacityReport capacity = CapacityReport::kNone;
  storage::ScanSpec spec;
};

ApiResult<ScanParameters> ReadScanParameters(const ObjectReader& request) {
  ScanParameters parameters;
  DUNLIN_ASSIGN_OR_RETURN(parameters.limit, request.Int("Limit"));
  DUNLIN_ASSIGN_OR_RETURN(auto select, request.String("Select"));
  DUNLIN_ASSIGN_OR_RETURN(auto segment, request.Int("Segment"));
  DUNLIN_ASSIGN_OR_RETURN(auto total_segments, request.Int("TotalSegments"));
  DUNLIN_ASSIGN_OR_RETURN(auto consistent, request.Bool("ConsistentRead"));
  parameters.consistent_read = consistent.value_or(false);
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(parameters.capacity, ReadCapacityReport(request, violations));
  DUNLIN_RETURN_IF_ERROR(violations.Check());

  if (parameters.limit && *parameters.limit < 1) {
    return Fail(ApiError::Validation("Limit must be greater than or equal to 1"));
  }
  if (select && *select != "ALL_ATTRIBUTES" && *select != "ALL_PROJECTED_ATTRIBUTES" &&
      *select != "SPECIFIC_ATTRIBUTES" && *select != "COUNT") {
    return Fail(ApiError::Validation(
        "Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES"));
  }
  if (select && *select == "ALL_PROJECTED_ATTRIBUTES") {
    return Fail(ApiError::Validation(
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"));
  }
  if (select && *select == "SPECIFIC_ATTRIBUTES") {
    return Fail(ApiError::Validation(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES"));
  }
  parameters.count_only = select && *select == "COUNT";

  if (segment && !total_segments) {
    return Fail(
        ApiError::Validation("If segment is specified, total segment must also be specified"));
  }
  if (total_segments && !segment) {
    return Fail(ApiError::Validation(
        "If total segments is specified, a particular segment must also be specified for this "
        "request"));
  }
  if (segment) {
    if (*total_segments < 1) {
      violations.MinValue(*total_segments, "totalSegments", 1);
    } else if (*total_segments > kMaxTotalSegments) {
      violations.MaxValue(*total_segments, "totalSegments", kMaxTotalSegments);
    } else if (*segment < 0) {
      violations.MinValue(*segment, "segment", 0);
    } else if (*segment >= *total_segments) {
      violations.MaxValue(*segment, "segment", *total_segments - 1);
    }
    DUNLIN_RETURN_IF_ERROR(violations.Check());
    parameters.spec.segment = static_cast<uint32_t>(*segment);
    parameters.spec.total_segments = static_cast<uint32_t>(*total_segments);
  }
  return parameters;
}

// Checks ExclusiveStartKey against the table's key schema, with DynamoDB's messages.
ApiResult<void> ValidateStartKey(const model::AttributeMap& start, const model::KeySchema& schema) {
  const size_t key_size = schema.sort ? 2 : 1;
  if (!start.empty() && start.size() != key_size) {
    return Fail(
        ApiError::Validation("Exclusive Start Key must have same size as table's key schema"));
  }
  const bool names_match =
      start.contains(schema.partition.name) && (!schema.sort || start.contains(schema.sort->name));
  if (start.empty() || !names_match) {
    return Fail(ApiError::Validation("The provided starting key is invalid"));
  }
  auto key = model::ValidateKeyParameter(start, schema);
  if (!key.ok()) {
    return Fail(
        ApiError::Validation("The provided starting key is invalid: " + key.error().message));
  }
  return {};
}

}  // namespace

ApiResult<void> Scan(OperationContext& context, const ObjectReader& request, JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_RETURN_IF_ERROR(RejectUnsupported(
      request,
      {"IndexName", "FilterExpression", "ProjectionExpression", "ScanFilter", "AttributesToGet",
       "ConditionalOperator", "ExpressionAttributeNames", "ExpressionAttributeValues"}));
  DUNLIN_ASSIGN_OR_RETURN(ScanParameters parameters, ReadScanParameters(request));
  DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata table, LoadTable(context, name));
  if (request.Has("ExclusiveStartKey")) {
    DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap start,
                            ReadAttributeMap(request, "ExclusiveStartKey", "exclusiveStartKey"));
    DUNLIN_RETURN_IF_ERROR(ValidateStartKey(start, table.key_schema));
    parameters.spec.exclusive_start_key = std::move(start);
  }

  auto cursor = context.engine.Scan(table, parameters.spec);
  if (!cursor.ok()) return Fail(FromStorage(cursor.error(), name));

  out.BeginObject();
  if (!parameters.count_only) {
    out.Key("Items");
    out.BeginArray();
  }
  int64_t count = 0;
  size_t bytes_read = 0;
  std::optional<model::Item> last_item;
  bool page_full = false;
  while (true) {
    if (parameters.limit && count >= *parameters.limit) {
      // A page cut by Limit always names its last item, even when nothing follows.
      page_full = true;
      break;
    }
    auto next = (*cursor)->Next();
    if (!next.ok()) return Fail(FromStorage(next.error(), name));
    if (!*next) break;
    if (bytes_read >= kMaxPageBytes) {
      // A page cut by size names its last item only when more items follow.
      page_full = true;
      break;
    }
    bytes_read += model::ItemSize(**next);
    ++count;
    if (!parameters.count_only) model::WriteAttributeMap(out, **next);
    last_item = std::move(*next);
  }
  if (!parameters.count_only) out.EndArray();
  out.Key("Count");
  out.Int(count);
  out.Key("ScannedCount");
  out.Int(count);
  if (page_full && last_item) {
    out.Key("LastEvaluatedKey");
    model::WriteAttributeMap(out, model::KeyOf(*last_item, table.key_schema));
  }
  // A scan that reads nothing consumes nothing (unlike a GetItem that finds nothing).
  WriteConsumedCapacity(
      out, parameters.capacity, name,
      count == 0 ? 0.0 : ReadCapacityUnits(bytes_read, parameters.consistent_read));
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
