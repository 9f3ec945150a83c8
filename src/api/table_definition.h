// Reading the parts of a table definition shared by CreateTable and UpdateTable: key schema and
// attribute definitions, billing mode and provisioned throughput, tags, table class.
// The messages follow DynamoDB (checked against DynamoDB Local).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/params.h"
#include "model/table.h"

namespace dunlin::api {

inline constexpr int64_t kMaxTableThroughputUnits = 40000;
inline constexpr size_t kMaxTagsPerResource = 50;

// Reads an AttributeDefinitions list: names 1..255 characters, types S, N or B, no name twice.
ApiResult<std::vector<model::KeyElement>> ReadAttributeDefinitions(simdjson::dom::array array);

// Reads KeySchema and AttributeDefinitions into table.key_schema/attribute_definitions.
// Whether every definition is used is checked later (CheckEveryDefinitionUsed), once the
// indexes are read, as DynamoDB does.
ApiResult<void> ReadKeyDefinition(const ObjectReader& request, model::TableMetadata& table);

// Fails unless AttributeDefinitions names exactly the table's key attributes and
// `index_key_attributes` (the index keys' attributes, repeats allowed, all defined).
ApiResult<void> CheckEveryDefinitionUsed(const model::TableMetadata& table,
                                         const std::vector<std::string>& index_key_attributes);

// Reads BillingMode and ProvisionedThroughput. When creating, absent BillingMode means
// PROVISIONED; when updating, absent members leave the table as it is.
ApiResult<void> ReadBillingAndThroughput(const ObjectReader& request, model::TableMetadata& table,
                                         bool creating);

// Reads a list of {Key, Value} tags; `path` names it in messages ("tags").
ApiResult<std::vector<model::Tag>> ReadTags(simdjson::dom::array tags, std::string_view path);

ApiResult<std::optional<model::TableClass>> ReadTableClass(const ObjectReader& request);

// Rejects `member` when it is present with `flag` true (e.g. StreamSpecification.StreamEnabled):
// the feature is not implemented yet, and turning it off is harmless.
ApiResult<void> RejectEnabledFeature(const ObjectReader& request, std::string_view member,
                                     std::string_view flag);

}  // namespace dunlin::api
