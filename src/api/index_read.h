// Query and Scan on a secondary index (IndexName): which index, and what may be asked of it.
//
// DynamoDB's rules, with DynamoDB Local's messages (docs/notes-oracle-indexes.md, section 2):
//   1. IndexName names one of the table's indexes exactly ("The table does not have the
//      specified index: {name}"); a global index still being backfilled cannot be read yet.
//   2. ConsistentRead=true is refused on a global index, checked before everything but 1.
//   3. An index item holds the table key, the index key and the projected attributes. A global
//      index answers only with what it holds: Select=ALL_ATTRIBUTES needs an ALL projection,
//      and a ProjectionExpression may name only projected attributes. A local index fetches
//      whatever else is asked for from the table.
//   4. A FilterExpression may name only attributes the index holds (global and local alike),
//      and a Query's never the index's own key attributes. (DynamoDB Local checks a Scan's
//      filter only against nothing and evaluates it on the table's item; Dunlin applies the
//      Query rule, docs/compatibility.md.)
//   5. ExclusiveStartKey holds exactly the table key and the index key attributes
//      (LastEvaluatedKey of the previous page).
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html
#pragma once

#include <optional>
#include <string_view>

#include "api/errors.h"
#include "api/item_page.h"
#include "expressions/ast.h"
#include "model/table.h"

namespace dunlin::api {

// Rule 1. The index pointer borrows from `table`.
ApiResult<const model::SecondaryIndex*> FindIndex(const model::TableMetadata& table,
                                                  std::string_view name);

// Rule 2.
ApiResult<void> CheckConsistentRead(const model::SecondaryIndex& index, bool consistent_read);

// Whether the index holds the top-level attribute `name`.
bool IndexHolds(const model::TableMetadata& table, const model::SecondaryIndex& index,
                std::string_view name);

// Rule 4's projection half.
ApiResult<void> CheckFilterProjected(const expressions::Condition& filter,
                                     const model::TableMetadata& table,
                                     const model::SecondaryIndex& index);

// Rule 3: checks options.all_attributes and options.projection against the index, and sets
// options.fetch_table_items when a local index must fetch from the table.
ApiResult<void> PlanIndexRead(const model::TableMetadata& table,
                              const model::SecondaryIndex& index, PageOptions& options);

// Rule 5: the start key's attribute names, their types and values, with DynamoDB's messages.
ApiResult<void> ValidateIndexStartKey(const model::AttributeMap& start,
                                      const model::TableMetadata& table,
                                      const model::SecondaryIndex& index);

// ExclusiveStartKey, nullopt when absent: read, and checked against the index's key when
// `index` is not null (rule 5), else against the table's (ValidateStartKey).
ApiResult<std::optional<model::AttributeMap>> ReadStartKey(const ObjectReader& request,
                                                           const model::TableMetadata& table,
                                                           const model::SecondaryIndex* index);

}  // namespace dunlin::api
