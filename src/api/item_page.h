// Reading one page of items for Scan and Query, with DynamoDB's paging rules:
//   1. A page ends after Limit items read, or with the item that brings the bytes read to 1 MB,
//      whichever comes first. Both count items read, before FilterExpression.
//   2. LastEvaluatedKey names the last item read: when Limit ended the page (unless that item
//      is the inclusive end of a Query's range, PageOptions::range_end), and when the size
//      limit did only if more items follow.
//   3. Count is the items that passed the filter, ScannedCount the items read.
//   4. Capacity is computed on the bytes read (rounded up to 4 KB once); reading nothing
//      consumes nothing.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/capacity.h"
#include "api/expired_items.h"
#include "api/operation.h"
#include "expressions/ast.h"
#include "storage/engine.h"

namespace dunlin::api {

// Select COUNT or the attribute selection of Scan and Query.
struct PageOptions {
  std::optional<int64_t> limit;
  bool count_only = false;
  bool consistent_read = false;
  CapacityReport capacity = CapacityReport::kNone;
  const expressions::Condition* filter = nullptr;
  const expressions::ProjectionExpression* projection = nullptr;
  // The read can hold one item at most (a Query on a table without a sort key): reaching Limit
  // then says nothing about more items, and DynamoDB gives no LastEvaluatedKey.
  bool at_most_one_item = false;
  // Where the read's sort-key range ends, inclusively, in its direction (`<=` or BETWEEN's
  // upper bound forward, `>=` or BETWEEN's lower bound backward): a page that Limit ends on an
  // item with this value of `range_end_attribute` gives no LastEvaluatedKey, as DynamoDB Local
  // answers (nothing can follow it). Unset for other reads.
  std::string range_end_attribute;
  std::optional<model::AttributeValue> range_end;
  // Select ALL_ATTRIBUTES was asked for.
  bool all_attributes = false;
  // The secondary index read (IndexName), or null for the table. Pages then end by the size of
  // the index entries, LastEvaluatedKey adds the index key to the table key, and capacity is
  // charged to the index.
  const model::SecondaryIndex* index = nullptr;
  // A local index read that needs attributes the index does not hold: each entry is replaced
  // by the table's item (read from the cursor's snapshot), each fetch charged to the table as
  // a read of its own.
  bool fetch_table_items = false;
  // Items it hides are read (ScannedCount, capacity) but neither counted nor returned, as if a
  // filter left them out.
  ExpiredItemFilter hide_expired;
};

// Reads a page from `cursor` and writes the response members (Items unless counting, Count,
// ScannedCount, LastEvaluatedKey, ConsumedCapacity) into the open response object.
ApiResult<void> WriteItemPage(storage::ItemCursor& cursor, const model::TableMetadata& table,
                              const PageOptions& options, JsonWriter& out);

// Checks ExclusiveStartKey against the table's key schema, with DynamoDB's messages ("The
// provided starting key is invalid", "Exclusive Start Key must have same size as table's key
// schema").
ApiResult<void> ValidateStartKey(const model::AttributeMap& start, const model::KeySchema& schema);

// "The provided starting key is invalid: {detail}"; for an empty key value DynamoDB Local
// opens it with "The query can return at most one row and cannot be restarted. ", in Query
// and Scan alike.
ApiError InvalidStartKey(std::string_view detail);

// Reads Select and checks it against the projection, named `projection_member`
// ("ProjectionExpression" or "AttributesToGet"; empty when the request has none): sets
// count_only and all_attributes, and fails with DynamoDB's messages for
// ALL_PROJECTED_ATTRIBUTES without `on_index`, for SPECIFIC_ATTRIBUTES without a projection,
// and for ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES or COUNT with one.
ApiResult<void> ReadSelect(const ObjectReader& request, std::string_view projection_member,
                           bool on_index, PageOptions& options);

}  // namespace dunlin::api
