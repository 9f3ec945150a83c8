// Reading the secondary indexes of a CreateTable request: LocalSecondaryIndexes and
// GlobalSecondaryIndexes, checked in the order DynamoDB checks them (first fault wins), with
// its messages (checked against DynamoDB Local).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
//
// Order of checks:
//   1. LSIs (when the list is not empty): the table has a sort key; at most 5; then each LSI in
//      order: name, name unique among earlier LSIs, projection (with the running total of
//      projected attributes), key schema shape, a RANGE key, the table's HASH key, the RANGE
//      key defined in AttributeDefinitions.
//   2. GSIs (when present): the list is not empty; at most 20; then each GSI in order:
//      ProvisionedThroughput (by billing mode), name, name unique among earlier GSIs and all
//      LSIs, projection (with the running total), key schema shape, key attributes defined.
// The caller then checks that every attribute definition is used and the table's throughput.
//
// Thread-safety: plain functions.
#pragma once

#include <string>
#include <vector>

#include "api/params.h"
#include "model/table.h"

namespace dunlin::api {

inline constexpr size_t kMaxLocalIndexes = 5;
inline constexpr size_t kMaxGlobalIndexes = 20;
// NonKeyAttributes summed over all the table's indexes (a name in two indexes counts twice).
inline constexpr size_t kMaxProjectedAttributes = 100;
// Multi-attribute GSI keys: up to 4 HASH then up to 4 RANGE attributes.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
inline constexpr size_t kMaxIndexKeyAttributesPerRole = 4;
inline constexpr int64_t kMaxIndexThroughputUnits = 40000;

// The indexes a CreateTable request defines, once every index-level check passed.
struct IndexDefinitions {
  // LSIs, then GSIs, each in request order; internal ids unset (the engine assigns them).
  std::vector<model::SecondaryIndex> indexes;
  // Every attribute an index key names (repeats possible), for the AttributeDefinitions count.
  std::vector<std::string> key_attributes;
};

// Reads and checks LocalSecondaryIndexes and GlobalSecondaryIndexes. `table` holds the table's
// key schema and attribute definitions (ReadKeyDefinition); `provisioned` is whether the table
// is billed PROVISIONED (explicitly or by default), which decides whether each GSI must or
// must not have ProvisionedThroughput. Returns the first fault as a ValidationException (a
// member of the wrong JSON type as a SerializationException).
ApiResult<IndexDefinitions> ReadIndexDefinitions(const ObjectReader& request,
                                                 const model::TableMetadata& table,
                                                 bool provisioned);

// Reads the GSI of UpdateTable's Create action (GlobalSecondaryIndexUpdates): name,
// ProvisionedThroughput (by the table's billing mode), projection (counting the table's
// indexes towards the 100 projected attributes) and key schema, with CreateTable's checks and
// messages. `table` carries the attribute definitions the key may use (the table's and the
// request's); the key's attribute names are appended to `key_attributes`. The caller checks
// that the name is free and the index limits.
ApiResult<model::SecondaryIndex> ReadCreatedGlobalIndex(const ObjectReader& create,
                                                        const model::TableMetadata& table,
                                                        std::vector<std::string>& key_attributes);

// A GSI's ProvisionedThroughput (`index` holds the member): required, 1..40,000 units each
// way, on a provisioned table; refused on an on-demand one.
ApiResult<model::ProvisionedThroughput> ReadGlobalIndexThroughput(const ObjectReader& index,
                                                                  bool provisioned);

}  // namespace dunlin::api
