// Query: the items of one item collection, in sort-key order, in pages.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
//   1. KeyConditionExpression names the partition key with = and optionally the sort key with
//      =, <, <=, >, >=, BETWEEN or begins_with (expressions/key_condition.h); the storage
//      engine reads exactly that key range.
//   2. ScanIndexForward false reads in descending sort-key order.
//   3. Pages, Limit, the 1 MB limit (applied before FilterExpression), Count and ScannedCount
//      follow item_page.h.
//   4. IndexName queries a secondary index by its key, with index_read.h's rules.
#include <fmt/format.h>

#include <algorithm>

#include "api/expression_request.h"
#include "api/index_read.h"
#include "model/key_validation.h"
#include "api/item_page.h"
#include "api/item_request.h"
#include "api/legacy_parameters.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "expressions/key_condition.h"

namespace dunlin::api::operations {
namespace {

storage::SortKeyCondition ToStorage(const expressions::SortKeyCondition& condition) {
  using Op = storage::SortKeyCondition::Op;
  storage::SortKeyCondition out;
  switch (condition.op) {
    case expressions::SortKeyOp::kEq:
      out.op = Op::kEqual;
      break;
    case expressions::SortKeyOp::kLt:
      out.op = Op::kLess;
      break;
    case expressions::SortKeyOp::kLe:
      out.op = Op::kLessEqual;
      break;
    case expressions::SortKeyOp::kGt:
      out.op = Op::kGreater;
      break;
    case expressions::SortKeyOp::kGe:
      out.op = Op::kGreaterEqual;
      break;
    case expressions::SortKeyOp::kBetween:
      out.op = Op::kBetween;
      out.upper = condition.upper;
      break;
    case expressions::SortKeyOp::kBeginsWith:
      out.op = Op::kBeginsWith;
      break;
  }
  out.value = condition.value;
  return out;
}

bool IsKeyAttribute(const expressions::KeySchema& schema, const std::string& name) {
  auto named = [&name](const model::KeyElement& element) { return element.name == name; };
  return name == schema.partition_key || (!schema.sort_key.empty() && name == schema.sort_key) ||
         std::any_of(schema.more_partition.begin(), schema.more_partition.end(), named) ||
         std::any_of(schema.more_sort.begin(), schema.more_sort.end(), named);
}

// The first key attribute a filter names, if any: Query filters may not use key attributes.
const std::string* KeyAttributeIn(const expressions::Operand& operand,
                                  const expressions::KeySchema& schema) {
  if (operand.kind == expressions::OperandKind::kPath && !operand.path.empty()) {
    const std::string& top = operand.path.front().name;
    if (IsKeyAttribute(schema, top)) return &top;
  }
  for (const expressions::Operand& arg : operand.args) {
    if (const std::string* found = KeyAttributeIn(arg, schema)) return found;
  }
  return nullptr;
}

const std::string* KeyAttributeIn(const expressions::Condition& condition,
                                  const expressions::KeySchema& schema) {
  for (const expressions::Operand& operand : condition.operands) {
    if (const std::string* found = KeyAttributeIn(operand, schema)) return found;
  }
  for (const expressions::Condition& child : condition.children) {
    if (const std::string* found = KeyAttributeIn(child, schema)) return found;
  }
  return nullptr;
}

// Sort attribute number `number` of `schema` (0: sort_key, then more_sort in order).
const std::string& SortAttributeName(const expressions::KeySchema& schema, size_t number) {
  return number == 0 ? schema.sort_key : schema.more_sort[number - 1].name;
}

// DynamoDB refuses an empty string or binary as any value of a key condition, whatever its
// operator: with the table's key message, or on an index with the index key message.
ApiResult<void> CheckKeyValuesNotEmpty(const expressions::KeyCondition& keys,
                                       const expressions::KeySchema& schema,
                                       const model::SecondaryIndex* index) {
  const auto check = [&](const model::AttributeValue& value,
                         const std::string& key) -> ApiResult<void> {
    auto empty = model::EmptyKeyValueMessage(value, key, index ? index->name : "");
    if (empty) return Fail(ApiError::Validation(std::move(*empty)));
    return {};
  };
  DUNLIN_RETURN_IF_ERROR(check(keys.partition_value, schema.partition_key));
  for (size_t i = 0; i < keys.more_partition_values.size(); ++i) {
    DUNLIN_RETURN_IF_ERROR(check(keys.more_partition_values[i], schema.more_partition[i].name));
  }
  for (size_t i = 0; i < keys.sort_prefix.size(); ++i) {
    DUNLIN_RETURN_IF_ERROR(check(keys.sort_prefix[i], SortAttributeName(schema, i)));
  }
  if (keys.sort) {
    const std::string& name = SortAttributeName(schema, keys.sort_prefix.size());
    DUNLIN_RETURN_IF_ERROR(check(keys.sort->value, name));
    if (keys.sort->op == expressions::SortKeyOp::kBetween) {
      DUNLIN_RETURN_IF_ERROR(check(keys.sort->upper, name));
    }
  }
  return {};
}

}  // namespace

ApiResult<void> Query(OperationContext& context, const ObjectReader& request, JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(std::string name, ReadTableName(request));
  PageOptions page;
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(page.limit, request.Int("Limit"));
  DUNLIN_ASSIGN_OR_RETURN(auto consistent, request.Bool("ConsistentRead"));
  DUNLIN_ASSIGN_OR_RETURN(auto forward, request.Bool("ScanIndexForward"));
  DUNLIN_ASSIGN_OR_RETURN(page.capacity, ReadCapacityReport(request, violations));
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  page.consistent_read = consistent.value_or(false);

  // DynamoDB Local's order: the table, Limit, the index, legacy and expression parameters
  // mixed, the placeholders, FilterExpression, ProjectionExpression, KeyConditionExpression,
  // unused placeholders, KeyConditions' entries, ConsistentRead on the index, the key
  // condition against the key, the start key, QueryFilter, a filter on a key attribute, a
  // filter on attributes the index does not project, then Select.
  DUNLIN_ASSIGN_OR_RETURN(auto table_snapshot, LoadTable(context, name));
  const model::TableMetadata& table = *table_snapshot;
  if (page.limit && *page.limit < 1) {
    return Fail(ApiError::Validation("Limit must be greater than or equal to 1"));
  }
  DUNLIN_ASSIGN_OR_RETURN(auto index_name, request.String("IndexName"));
  const model::SecondaryIndex* index = nullptr;
  if (index_name) {
    DUNLIN_ASSIGN_OR_RETURN(index, FindIndex(table, *index_name));
  }
  // KeyConditions may go with FilterExpression and ProjectionExpression; DynamoDB Local names
  // it as a non-expression parameter only beside KeyConditionExpression.
  if (request.Has("KeyConditionExpression")) {
    DUNLIN_RETURN_IF_ERROR(RejectMixedParameters(
        request, {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"},
        {"ProjectionExpression", "FilterExpression", "KeyConditionExpression"}));
  } else {
    DUNLIN_RETURN_IF_ERROR(RejectMixedParameters(
        request, {"AttributesToGet", "QueryFilter", "ConditionalOperator"},
        {"ProjectionExpression", "FilterExpression"}));
  }

  const bool uses_values =
      request.Has("KeyConditionExpression") || request.Has("FilterExpression");
  constexpr std::string_view kMissing = "FilterExpression and KeyConditionExpression are null";
  const bool uses_names = uses_values || request.Has("ProjectionExpression");
  DUNLIN_RETURN_IF_ERROR(
      RequestExpressions::CheckNeedsExpression(request, uses_names, uses_values, kMissing));
  RequestExpressions expressions;
  DUNLIN_RETURN_IF_ERROR(expressions.Read(request, uses_names, kMissing));
  DUNLIN_ASSIGN_OR_RETURN(auto filter, expressions.Condition(request, "FilterExpression",
                                                             expressions::ExpressionKind::kFilter));
  DUNLIN_ASSIGN_OR_RETURN(auto projection, expressions.Projection(request));
  DUNLIN_ASSIGN_OR_RETURN(auto key_condition,
                          expressions.Condition(request, "KeyConditionExpression",
                                                expressions::ExpressionKind::kKeyCondition));
  DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
  if (!request.Has("KeyConditionExpression") && !request.Has("KeyConditions")) {
    return Fail(ApiError::Validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request."));
  }

  const expressions::KeySchema key_schema = index != nullptr
                                                ? expressions::KeySchemaOf(*index)
                                                : expressions::KeySchemaOf(table.key_schema);
  DUNLIN_ASSIGN_OR_RETURN(auto key_conditions, ReadKeyConditions(request));
  if (!key_condition) {
    auto entries = expressions::CheckKeyConditionEntries(*key_conditions,
                                                         expressions::IsMultiAttribute(key_schema));
    if (!entries.ok()) return Fail(FromExpression(std::move(entries).error()));
  }
  if (index != nullptr) {
    DUNLIN_RETURN_IF_ERROR(CheckConsistentRead(*index, page.consistent_read));
  }
  auto keys = key_condition ? expressions::ExtractKeyCondition(*key_condition, key_schema)
                            : expressions::TranslateKeyConditions(*key_conditions, key_schema);
  if (!keys.ok()) return Fail(FromExpression(std::move(keys).error()));
  DUNLIN_RETURN_IF_ERROR(CheckKeyValuesNotEmpty(*keys, key_schema, index));

  storage::QuerySpec spec;
  spec.direction = forward.value_or(true) ? storage::QueryDirection::kForward
                                          : storage::QueryDirection::kBackward;
  if (keys->sort) {
    const expressions::SortKeyCondition& sort = *keys->sort;
    const bool backward = spec.direction == storage::QueryDirection::kBackward;
    const bool between = sort.op == expressions::SortKeyOp::kBetween;
    const expressions::SortKeyOp inclusive_end =
        backward ? expressions::SortKeyOp::kGe : expressions::SortKeyOp::kLe;
    if (between || sort.op == inclusive_end) {
      page.range_end_attribute = SortAttributeName(key_schema, keys->sort_prefix.size());
      page.range_end = between && !backward ? sort.upper : sort.value;
    }
  }
  DUNLIN_ASSIGN_OR_RETURN(spec.exclusive_start_key, ReadStartKey(request, table, index));
  if (spec.exclusive_start_key) {
    const model::AttributeMap& start = *spec.exclusive_start_key;
    // DynamoDB Local also refuses a start key at the inclusive end of the range, in the
    // direction of reading (where it ends a page without a LastEvaluatedKey).
    auto at_end = page.range_end ? start.find(page.range_end_attribute) : start.end();
    if (!expressions::MatchesKeyCondition(*keys, key_schema, start) ||
        (at_end != start.end() && at_end->second == *page.range_end)) {
      return Fail(
          ApiError::Validation("The provided starting key does not match the range key predicate"));
    }
  }

  // The legacy forms, when the request uses them instead (legacy_parameters.h).
  // (An empty ConditionalOperator beside a FilterExpression is refused here too.)
  std::string_view filter_member = "Filter Expression";
  DUNLIN_ASSIGN_OR_RETURN(auto query_filter, ReadLegacyFilter(request, "QueryFilter"));
  if (!filter) {
    filter = std::move(query_filter);
    filter_member = "QueryFilter";
  }
  std::string_view projection_member = projection ? "ProjectionExpression" : "";
  if (!projection) {
    DUNLIN_ASSIGN_OR_RETURN(projection, ReadAttributesToGet(request));
    if (projection) projection_member = "AttributesToGet";
  }
  page.filter = filter ? &*filter : nullptr;
  page.projection = projection ? &*projection : nullptr;
  if (filter) {
    if (const std::string* key = KeyAttributeIn(*filter, key_schema)) {
      return Fail(ApiError::Validation(
          fmt::format("{} can only contain non-primary key attributes: Primary key attribute: {}",
                      filter_member, *key)));
    }
  }
  // A filter on attributes the index does not project comes before Select.
  if (index != nullptr && filter) {
    DUNLIN_RETURN_IF_ERROR(CheckFilterProjected(*filter, table, *index));
  }
  DUNLIN_RETURN_IF_ERROR(ReadSelect(request, projection_member, index != nullptr, page));

  // A global index without a sort key may hold many items under one key.
  page.at_most_one_item = index == nullptr && !table.key_schema.sort.has_value();
  spec.index = index;
  spec.partition_key = keys->partition_value;
  spec.more_partition_keys = keys->more_partition_values;
  spec.sort_prefix = keys->sort_prefix;
  if (keys->sort) spec.sort_condition = ToStorage(*keys->sort);
  if (index != nullptr) {
    DUNLIN_RETURN_IF_ERROR(PlanIndexRead(table, *index, page));
    page.index = index;
  }

  auto cursor = context.engine.Query(table, spec);
  if (!cursor.ok()) return Fail(FromStorage(cursor.error(), name));
  out.BeginObject();
  page.hide_expired = ExpiredItemFilterFor(context, table);
  DUNLIN_RETURN_IF_ERROR(WriteItemPage(**cursor, table, page, out));
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
