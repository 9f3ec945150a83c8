// Scan: reads a table (or one parallel-scan segment of it) in pages.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
//   1. Pages, Limit, the 1 MB limit, filters and counts follow item_page.h.
//   2. Segment/TotalSegments split the table into disjoint parts; their union is the table.
//   3. IndexName reads a secondary index's entries instead, with index_read.h's rules.
#include <fmt/format.h>

#include "api/capacity.h"
#include "api/expression_request.h"
#include "api/index_read.h"
#include "api/item_page.h"
#include "api/item_request.h"
#include "api/legacy_parameters.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "model/item_size.h"
#include "model/json_codec.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {
namespace {

constexpr int64_t kMaxTotalSegments = 1000000;

struct ScanParameters {
  PageOptions page;
  storage::ScanSpec spec;
  std::optional<int64_t> segment;
  std::optional<int64_t> total_segments;
};

// The members' types; their rules come later (CheckSegments, and Limit's in Scan).
ApiResult<ScanParameters> ReadScanParameters(const ObjectReader& request) {
  ScanParameters parameters;
  DUNLIN_ASSIGN_OR_RETURN(parameters.page.limit, request.Int("Limit"));
  DUNLIN_ASSIGN_OR_RETURN(parameters.segment, request.Int("Segment"));
  DUNLIN_ASSIGN_OR_RETURN(parameters.total_segments, request.Int("TotalSegments"));
  DUNLIN_ASSIGN_OR_RETURN(auto consistent, request.Bool("ConsistentRead"));
  parameters.page.consistent_read = consistent.value_or(false);
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(parameters.page.capacity, ReadCapacityReport(request, violations));
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  return parameters;
}

// Segment and TotalSegments: both or neither, Segment below TotalSegments.
ApiResult<void> CheckSegments(ScanParameters& parameters) {
  const std::optional<int64_t>& segment = parameters.segment;
  const std::optional<int64_t>& total_segments = parameters.total_segments;
  Violations violations;
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
  return {};
}

}  // namespace

ApiResult<void> Scan(OperationContext& context, const ObjectReader& request, JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  DUNLIN_ASSIGN_OR_RETURN(ScanParameters parameters, ReadScanParameters(request));
  // DynamoDB Local's order: the table, the index and ConsistentRead on it, legacy and
  // expression parameters mixed, placeholders without an expression, ScanFilter with
  // ConditionalOperator, Limit, the placeholders' values, the expressions, unused
  // placeholders, the start key, Select, the segments, then AttributesToGet.
  DUNLIN_ASSIGN_OR_RETURN(auto table_snapshot, LoadTable(context, name));
  const model::TableMetadata& table = *table_snapshot;
  DUNLIN_ASSIGN_OR_RETURN(auto index_name, request.String("IndexName"));
  const model::SecondaryIndex* index = nullptr;
  if (index_name) {
    DUNLIN_ASSIGN_OR_RETURN(index, FindIndex(table, *index_name));
    DUNLIN_RETURN_IF_ERROR(CheckConsistentRead(*index, parameters.page.consistent_read));
  }
  DUNLIN_RETURN_IF_ERROR(
      RejectMixedParameters(request, {"AttributesToGet", "ScanFilter", "ConditionalOperator"},
                            {"ProjectionExpression", "FilterExpression"}));
  // Scan takes an empty FilterExpression for none (Query calls it an empty expression), unless
  // the request has a ScanFilter, a ProjectionExpression or ExpressionAttributeNames too:
  // then it is an empty expression. The values serve the filter alone.
  DUNLIN_ASSIGN_OR_RETURN(auto filter_text, request.String("FilterExpression"));
  const bool has_filter =
      filter_text && (!filter_text->empty() || HasLegacyParameter(request, "ScanFilter") ||
                      request.Has("ProjectionExpression") ||
                      request.Has("ExpressionAttributeNames"));
  const bool uses_names = has_filter || request.Has("ProjectionExpression");
  constexpr std::string_view kMissing = "FilterExpression is null";
  // Values need a filter that is not empty.
  DUNLIN_RETURN_IF_ERROR(RequestExpressions::CheckNeedsExpression(
      request, uses_names, has_filter && !filter_text->empty(), kMissing));
  // (An empty ConditionalOperator beside a FilterExpression is refused here too.)
  DUNLIN_ASSIGN_OR_RETURN(auto scan_filter, ReadLegacyFilter(request, "ScanFilter"));
  if (parameters.page.limit && *parameters.page.limit < 1) {
    return Fail(ApiError::Validation("Limit must be greater than or equal to 1"));
  }
  RequestExpressions expressions;
  DUNLIN_RETURN_IF_ERROR(expressions.Read(request, uses_names, kMissing));
  std::optional<expressions::Condition> filter;
  if (has_filter) {
    DUNLIN_ASSIGN_OR_RETURN(filter, expressions.Condition(request, "FilterExpression",
                                                          expressions::ExpressionKind::kFilter));
  }
  DUNLIN_ASSIGN_OR_RETURN(auto projection, expressions.Projection(request));
  DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
  if (!filter) filter = std::move(scan_filter);
  DUNLIN_ASSIGN_OR_RETURN(parameters.spec.exclusive_start_key,
                          ReadStartKey(request, table, index));
  // Select looks at AttributesToGet before its own checks do.
  std::string_view projection_member = projection ? "ProjectionExpression" : "";
  if (!projection && HasLegacyParameter(request, "AttributesToGet")) {
    projection_member = "AttributesToGet";
  }
  DUNLIN_RETURN_IF_ERROR(
      ReadSelect(request, projection_member, index != nullptr, parameters.page));
  DUNLIN_RETURN_IF_ERROR(CheckSegments(parameters));
  if (!projection) {
    DUNLIN_ASSIGN_OR_RETURN(projection, ReadAttributesToGet(request));
  }
  parameters.page.filter = filter ? &*filter : nullptr;
  parameters.page.projection = projection ? &*projection : nullptr;

  if (index != nullptr) {
    if (filter) {
      DUNLIN_RETURN_IF_ERROR(CheckFilterProjected(*filter, table, *index));
    }
    DUNLIN_RETURN_IF_ERROR(PlanIndexRead(table, *index, parameters.page));
    parameters.spec.index = index;
    parameters.page.index = index;
  }

  auto cursor = context.engine.Scan(table, parameters.spec);
  if (!cursor.ok()) return Fail(FromStorage(cursor.error(), name));
  out.BeginObject();
  parameters.page.hide_expired = ExpiredItemFilterFor(context, table);
  DUNLIN_RETURN_IF_ERROR(WriteItemPage(**cursor, table, parameters.page, out));
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
