// UpdateTable's GlobalSecondaryIndexUpdates: creating, deleting or re-provisioning one global
// secondary index per call, with DynamoDB's checks and messages
// (docs/notes-oracle-indexes.md, section 4).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalSecondaryIndexUpdate.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html
//
// Order of checks:
//   1. Without the table: the list is not empty ("Nothing to update"); each entry holds an
//      action ("Update global secondary index action is null"); no index is named twice ("Only
//      one global secondary index update per index is allowed simultaneously."); a Create or
//      a Delete is the only action of its call (LimitExceededException "Subscriber limit
//      exceeded: Only 1 online index can be created or deleted simultaneously per table");
//      any number of Updates may go together.
//   2. Against the table as stored (in the same catalog step as the change):
//      Create: the name is valid and free among the table's indexes ("Attempting to create an
//      index which already exists"); no other index is being created (the LimitExceeded
//      above); fewer than 20 GSIs (LimitExceededException "Number of global secondary indexes
//      exceeds per-table limit"); AttributeDefinitions given ("No Attribute Schema Defined"),
//      none redefining a table attribute's type; then CreateTable's checks of the GSI itself.
//      The key's new attribute definitions join the table's.
//      Delete: the index exists (ResourceNotFoundException "Requested resource not found"), is
//      global ("Cannot delete an index that is not a GlobalSecondaryIndex"), and no other index
//      is being created. Attribute definitions no key uses any more leave the table.
//      Update: the index exists and is global; its ProvisionedThroughput is checked as
//      CreateTable checks a GSI's.
// A created index is CREATING until its backfill (storage) is done, then ACTIVE.
// The call's other table changes (billing mode, throughput...) are made in the same catalog
// step, so a call that fails changes nothing.
//
// Thread-safety: plain functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/operation.h"
#include "api/params.h"
#include "model/table.h"

namespace dunlin::api {

// What one UpdateTable call does to the table's global indexes.
struct GlobalIndexChange {
  enum class Kind { kCreate, kDelete, kUpdate };
  Kind kind = Kind::kCreate;
  std::string index_name;
  simdjson::dom::object action;  // the Create, Delete or Update object
};

// Check 1. Empty when the request has no GlobalSecondaryIndexUpdates.
ApiResult<std::vector<GlobalIndexChange>> ReadGlobalIndexChanges(const ObjectReader& request);

// The call's changes to the table itself, made on the metadata as stored (may be empty).
using TableChange = std::function<ApiResult<void>(model::TableMetadata& table)>;

// Applies `changes` (check 2) and `table_change` in one catalog step through the engine and
// returns the table's metadata to describe: with a created index CREATING, or a deleted one
// DELETING. REQUIRES: `changes` as ReadGlobalIndexChanges returns them, not empty.
ApiResult<model::TableMetadata> ApplyGlobalIndexChanges(OperationContext& context,
                                                        const ObjectReader& request,
                                                        const std::string& table_name,
                                                        const std::vector<GlobalIndexChange>& changes,
                                                        const TableChange& table_change);

// Fails with "No provisioned throughput specified for the global secondary index" when a
// provisioned table has a global index without provisioned throughput (a table switched from
// PAY_PER_REQUEST must be given its indexes' throughput in the same call).
ApiResult<void> CheckGlobalIndexThroughput(const model::TableMetadata& table);

}  // namespace dunlin::api
