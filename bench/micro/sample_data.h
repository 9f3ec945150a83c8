// Fixed inputs shared by the micro-benchmarks: one item shaped like the load generator's
// (bench/workload.cc), about 200 bytes, and the request bodies that carry it.
//
// The item has a partition key pk (S "c00001234"), a sort key sk (S "07", or N 7 for a table
// with a numeric sort key), a 120-character string payload, a short string, two numbers (an
// integer counter c and a decimal price) and a list of three strings.
//
// Every function builds a fresh value; benchmarks call them once, outside their timed loops.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "model/table.h"

namespace dunlin::bench::micro {

inline constexpr std::string_view kTableName = "bench";

// A table named kTableName with partition key pk (S) and sort key sk of `sort_type` (kS or kN).
model::TableMetadata SampleTable(model::AttributeType sort_type);

// The sample item for a table from SampleTable(sort_type).
model::Item SampleItem(model::AttributeType sort_type);

// The key attributes (pk, sk) of SampleItem(sort_type).
model::AttributeMap SampleKey(model::AttributeType sort_type);

// {"TableName":"bench","Item":{...}}, the body of a PutItem of `item`. With a non-empty
// `condition`, also "ConditionExpression": condition.
std::string PutItemBody(const model::Item& item, std::string_view condition = {});

// {"TableName":"bench","Key":{...}}, the body of a GetItem of `key`.
std::string GetItemBody(const model::AttributeMap& key);

}  // namespace dunlin::bench::micro
