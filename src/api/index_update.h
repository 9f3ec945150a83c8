// UpdateTable's GlobalSecondaryIndexUpdates: creating, deleting or re-provisioning one global
// secondary index per call, with DynamoDB's checks and messages
// (docs/notes-oracle-indexes.md, section 4).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalSecondaryIndexUpdate.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html
//
// Order of checks:
//   1. Without the table: the list is not empty ("Nothing to update"); each entry holds an
//      action ("Update global secondary index action is null"); no index is named twice ("Only
//      one global secondary index update per index is allowed simultaneously."); one action in
//      all (LimitExceededException "Subscriber limit exceeded: Only 1 online index can be
//      created or deleted simultaneously per table").
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
//
// Thread-safety: plain functions.
#pragma once

#include <optional>
#include <string>

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

// Check 1. nullopt when the request has no GlobalSecondaryIndexUpdates.
ApiResult<std::optional<GlobalIndexChange>> ReadGlobalIndexChange(const ObjectReader& request);

// Applies the change (check 2) through the engine and returns the table's metadata to
// describe: with a created index CREATING, or a deleted one DELETING.
ApiResult<model::TableMetadata> ApplyGlobalIndexChange(OperationContext& context,
                                                       const ObjectReader& request,
                                                       const std::string& table_name,
                                                       const GlobalIndexChange& change);

}  // namespace dunlin::api
