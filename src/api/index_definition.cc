#include "api/index_definition.h"

#include <fmt/format.h>

#include <optional>
#include <string_view>

namespace dunlin::api {
namespace {

constexpr char kNoKeySchema[] =
    "No defined key schema.  A key schema containing at least a hash key must be defined for all "
    "tables";
constexpr char kNoAttributeName[] = "Attribute name must be specified.";
constexpr char kNoKeyType[] = "One or more keys is not specified as being hash or range.";
constexpr char kNoHashKey[] =
    "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key";
constexpr char kTooManyHashKeys[] =
    "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key";
constexpr char kKeySchemaTooBig[] =
    "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table";
// "specifed" is DynamoDB's spelling.
constexpr char kKeyOrder[] =
    "Invalid key order. Hash Key must be specified first in key schema, Range Key must be "
    "specifed second";
constexpr char kSameKeyName[] = "Two keys can not have the same name";
constexpr char kTooManyPartitionKeys[] =
    "Too many partition keys. GSI can have at most 4 partition keys";
constexpr char kTooManySortKeys[] = "Too many sort keys. GSI can have at most 4 sort keys";
constexpr char kNotDefined[] = "Attribute {} is not defined in AttributeDefinitions";

constexpr char kLsiOnHashTable[] =
    "Local Secondary indices are not allowed on hash tables, only hash and range tables";
constexpr char kTooManyLsis[] = "Cannot have more than 5 local secondary indexes per table";
constexpr char kTwoLsisSameName[] = "Two local secondary indices have the same name";
constexpr char kLsiNoRange[] = "Local secondary indices must have a range key";
constexpr char kLsiOtherHash[] =
    "Local Secondary indices must have the same hash key as the main table";
constexpr char kLsiRangeNotDefined[] =
    "Local Secondary Index range key not specified in Attribute Definitions.Type unknown.";

constexpr char kEmptyGsiList[] = "GSI list is empty/invalid";
constexpr char kTooManyGsis[] = "GlobalSecondaryIndex count exceeds the per-table limit";
constexpr char kTwoGsisSameName[] = "Two global secondary indices have the same name";
constexpr char kGsiLsiSameName[] =
    "Local Secondary Indices AND Global Secondary Indices must have different names";
constexpr char kGsiNoThroughput[] =
    "No provisioned throughput specified for the global secondary index";
constexpr char kGsiThroughputTooLow[] =
    "Global Secondary Index's read and write throughput must be at least 1, and cannot be null";
constexpr char kGsiThroughputTooHigh[] =
    "Cannot increase provisioned throughput to more than 40,000 units per global secondary index";
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughput.html:
// an on-demand table takes no provisioned throughput, for its indexes neither.
constexpr char kGsiThroughputOnDemand[] =
    "One or more parameter values were invalid: ProvisionedThroughput should not be specified for "
    "index: {} when BillingMode is PAY_PER_REQUEST";

constexpr char kNoProjection[] = "Indexes must have a projection specified";
constexpr char kBadProjectionType[] = "Projection type must be INCLUDE, ALL, or KEYS_ONLY";
constexpr char kIncludeWithoutAttributes[] =
    "If Projection type INCLUDE is specified, some non-key attributes to include in the "
    "projection must be specified as well";
constexpr char kAttributesWithoutInclude[] =
    "No attributes should be specified to be projected unless projection type is INCLUDE";
constexpr char kDuplicateAttribute[] = "Cannot have two attributes with the same name";
constexpr char kProjectedNameLength[] =
    "Names of key attributes and attributes projected into an index must be between 1 and 255 "
    "characters, inclusive";
// DynamoDB's wording predates the limit it enforces (kMaxProjectedAttributes, over all indexes).
constexpr char kTooManyProjected[] =
    "No more than 20 attributes per table can be projected into Local Secondary Indices";

constexpr size_t kMaxAttributeNameBytes = 255;

struct KeyElementInput {
  std::string name;
  std::string key_type;  // as sent; anything but HASH is "not a hash key"
};

// Reads KeySchema's elements: each needs AttributeName and KeyType.
ApiResult<std::vector<KeyElementInput>> ReadKeyElements(const ObjectReader& index) {
  DUNLIN_ASSIGN_OR_RETURN(auto schema, index.Array("KeySchema"));
  if (!schema || schema->size() == 0) return Fail(ApiError::Validation(kNoKeySchema));
  std::vector<KeyElementInput> elements;
  for (simdjson::dom::element element : *schema) {
    DUNLIN_ASSIGN_OR_RETURN(auto object, AsObject(element));
    ObjectReader member(object);
    DUNLIN_ASSIGN_OR_RETURN(auto name, member.String("AttributeName"));
    DUNLIN_ASSIGN_OR_RETURN(auto key_type, member.String("KeyType"));
    if (!name) return Fail(ApiError::Validation(kNoAttributeName));
    if (!key_type) return Fail(ApiError::Validation(kNoKeyType));
    elements.push_back({std::string(*name), std::string(*key_type)});
  }
  return elements;
}

const model::KeyElement* FindDefinition(const model::TableMetadata& table, std::string_view name) {
  for (const model::KeyElement& definition : table.attribute_definitions) {
    if (definition.name == name) return &definition;
  }
  return nullptr;
}

bool HasDuplicateNames(const std::vector<KeyElementInput>& elements) {
  for (size_t i = 0; i < elements.size(); ++i) {
    for (size_t j = i + 1; j < elements.size(); ++j) {
      if (elements[i].name == elements[j].name) return true;
    }
  }
  return false;
}

// Reads Projection; `projected_total` is the running count of NonKeyAttributes over the
// indexes read so far.
ApiResult<model::IndexProjection> ReadProjection(const ObjectReader& index,
                                                 size_t& projected_total) {
  DUNLIN_ASSIGN_OR_RETURN(auto projection_json, index.Object("Projection"));
  if (!projection_json) return Fail(ApiError::Validation(kNoProjection));
  ObjectReader projection_reader(*projection_json);
  DUNLIN_ASSIGN_OR_RETURN(auto type, projection_reader.String("ProjectionType"));
  DUNLIN_ASSIGN_OR_RETURN(auto attributes, projection_reader.Array("NonKeyAttributes"));
  if (!type) return Fail(ApiError::Validation(kNoProjection));
  model::IndexProjection projection;
  if (*type == "ALL") {
    projection.type = model::ProjectionType::kAll;
  } else if (*type == "KEYS_ONLY") {
    projection.type = model::ProjectionType::kKeysOnly;
  } else if (*type == "INCLUDE") {
    projection.type = model::ProjectionType::kInclude;
  } else {
    return Fail(ApiError::Validation(kBadProjectionType));
  }
  const size_t count = attributes ? attributes->size() : 0;
  if (projection.type == model::ProjectionType::kInclude && count == 0) {
    return Fail(ApiError::Validation(kIncludeWithoutAttributes));
  }
  if (projection.type != model::ProjectionType::kInclude) {
    if (count != 0) return Fail(ApiError::Validation(kAttributesWithoutInclude));
    projection.empty_list_given = attributes.has_value();
    return projection;
  }
  for (simdjson::dom::element element : *attributes) {
    DUNLIN_ASSIGN_OR_RETURN(std::string_view name, AsString(element));
    if (name.empty() || name.size() > kMaxAttributeNameBytes) {
      return Fail(ApiError::Validation(kProjectedNameLength));
    }
    projection.non_key_attributes.emplace_back(name);
  }
  const std::vector<std::string>& names = projection.non_key_attributes;
  for (size_t i = 0; i < names.size(); ++i) {
    for (size_t j = i + 1; j < names.size(); ++j) {
      if (names[i] == names[j]) return Fail(ApiError::Validation(kDuplicateAttribute));
    }
  }
  projected_total += names.size();
  if (projected_total > kMaxProjectedAttributes) {
    return Fail(ApiError::Validation(kTooManyProjected));
  }
  return projection;
}

// An LSI key schema is exactly [the table's HASH key, a defined RANGE key].
ApiResult<model::KeySchema> ReadLocalKeySchema(const ObjectReader& index,
                                               const model::TableMetadata& table) {
  DUNLIN_ASSIGN_OR_RETURN(auto elements, ReadKeyElements(index));
  if (elements.size() > 2) return Fail(ApiError::Validation(kKeySchemaTooBig));
  size_t hash_count = 0;
  for (const KeyElementInput& element : elements) hash_count += element.key_type == "HASH";
  if (hash_count == 0) return Fail(ApiError::Validation(kNoHashKey));
  if (hash_count > 1) return Fail(ApiError::Validation(kTooManyHashKeys));
  if (elements[0].key_type != "HASH") return Fail(ApiError::Validation(kKeyOrder));
  if (HasDuplicateNames(elements)) return Fail(ApiError::Validation(kSameKeyName));
  if (elements.size() < 2 || elements[1].key_type != "RANGE") {
    return Fail(ApiError::Validation(kLsiNoRange));
  }
  if (elements[0].name != table.key_schema.partition.name) {
    return Fail(ApiError::Validation(kLsiOtherHash));
  }
  const model::KeyElement* range = FindDefinition(table, elements[1].name);
  if (range == nullptr) return Fail(ApiError::Validation(kLsiRangeNotDefined));
  return model::KeySchema{table.key_schema.partition, *range};
}

// A GSI key schema is 1-4 HASH attributes then 0-4 RANGE ones, all defined. Anything but HASH
// counts as a sort key while the shape is checked, as DynamoDB does; a key type that is
// neither HASH nor RANGE is refused once the shape is right. Sets the key of `result`.
ApiResult<void> ReadGlobalKeySchema(const ObjectReader& index, size_t position,
                                    const model::TableMetadata& table,
                                    std::vector<std::string>& key_attributes,
                                    model::SecondaryIndex& result) {
  DUNLIN_ASSIGN_OR_RETURN(auto elements, ReadKeyElements(index));
  size_t hash_count = 0;
  for (const KeyElementInput& element : elements) hash_count += element.key_type == "HASH";
  if (hash_count == 0) return Fail(ApiError::Validation(kNoHashKey));
  for (size_t i = hash_count; i < elements.size(); ++i) {
    if (elements[i].key_type == "HASH") return Fail(ApiError::Validation(kKeyOrder));
  }
  if (HasDuplicateNames(elements)) return Fail(ApiError::Validation(kSameKeyName));
  const size_t range_count = elements.size() - hash_count;
  if (hash_count > kMaxIndexKeyAttributesPerRole) {
    return Fail(ApiError::Validation(kTooManyPartitionKeys));
  }
  if (range_count > kMaxIndexKeyAttributesPerRole) {
    return Fail(ApiError::Validation(kTooManySortKeys));
  }
  std::vector<model::KeyElement> defined;
  for (const KeyElementInput& element : elements) {
    const model::KeyElement* definition = FindDefinition(table, element.name);
    if (definition == nullptr) {
      return Fail(ApiError::Validation(fmt::format(kNotDefined, element.name)));
    }
    defined.push_back(*definition);
    key_attributes.push_back(element.name);
  }
  Violations violations;
  for (size_t i = hash_count; i < elements.size(); ++i) {
    if (elements[i].key_type != "RANGE") {
      violations.NotInEnum(
          elements[i].key_type,
          fmt::format("globalSecondaryIndexes.{}.member.keySchema.{}.member.keyType", position,
                      i + 1),
          "HASH, RANGE");
    }
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  result.key_schema = model::KeySchema{defined[0], std::nullopt};
  result.more_partition.assign(defined.begin() + 1, defined.begin() + hash_count);
  result.more_sort.clear();
  if (range_count > 0) {
    result.key_schema.sort = defined[hash_count];
    result.more_sort.assign(defined.begin() + hash_count + 1, defined.end());
  }
  return {};
}

ApiResult<std::string> ReadIndexName(const ObjectReader& index) {
  DUNLIN_ASSIGN_OR_RETURN(auto name, index.String("IndexName"));
  if (auto error = ValidateTableName(name.value_or(""))) return Fail(std::move(*error));
  return std::string(*name);
}

// A GSI's ProvisionedThroughput: required (1..40,000 each way) on a provisioned table,
// refused on an on-demand one.
ApiResult<model::ProvisionedThroughput> ReadGlobalThroughput(const ObjectReader& index,
                                                             bool provisioned) {
  DUNLIN_ASSIGN_OR_RETURN(auto throughput_json, index.Object("ProvisionedThroughput"));
  model::ProvisionedThroughput throughput;
  if (!provisioned) {
    if (throughput_json) {
      DUNLIN_ASSIGN_OR_RETURN(auto name, index.String("IndexName"));
      return Fail(ApiError::Validation(fmt::format(kGsiThroughputOnDemand, name.value_or(""))));
    }
    return throughput;
  }
  if (!throughput_json) return Fail(ApiError::Validation(kGsiNoThroughput));
  ObjectReader units(*throughput_json);
  DUNLIN_ASSIGN_OR_RETURN(auto read_units, units.Int("ReadCapacityUnits"));
  DUNLIN_ASSIGN_OR_RETURN(auto write_units, units.Int("WriteCapacityUnits"));
  if (!read_units || !write_units || *read_units < 1 || *write_units < 1) {
    return Fail(ApiError::Validation(kGsiThroughputTooLow));
  }
  if (*read_units > kMaxIndexThroughputUnits || *write_units > kMaxIndexThroughputUnits) {
    return Fail(ApiError::Validation(kGsiThroughputTooHigh));
  }
  throughput.read_capacity_units = *read_units;
  throughput.write_capacity_units = *write_units;
  return throughput;
}

bool NameTaken(const std::vector<model::SecondaryIndex>& indexes, std::string_view name,
               bool local) {
  for (const model::SecondaryIndex& index : indexes) {
    if (index.local == local && index.name == name) return true;
  }
  return false;
}

ApiResult<void> ReadLocalIndexes(const ObjectReader& request, const model::TableMetadata& table,
                                 IndexDefinitions& result, size_t& projected_total) {
  DUNLIN_ASSIGN_OR_RETURN(auto list, request.Array("LocalSecondaryIndexes"));
  if (!list || list->size() == 0) return {};
  if (!table.key_schema.sort) return Fail(ApiError::Validation(kLsiOnHashTable));
  if (list->size() > kMaxLocalIndexes) return Fail(ApiError::Validation(kTooManyLsis));
  for (simdjson::dom::element element : *list) {
    DUNLIN_ASSIGN_OR_RETURN(auto object, AsObject(element));
    ObjectReader reader(object);
    model::SecondaryIndex index;
    index.local = true;
    DUNLIN_ASSIGN_OR_RETURN(index.name, ReadIndexName(reader));
    if (NameTaken(result.indexes, index.name, /*local=*/true)) {
      return Fail(ApiError::Validation(kTwoLsisSameName));
    }
    DUNLIN_ASSIGN_OR_RETURN(index.projection, ReadProjection(reader, projected_total));
    DUNLIN_ASSIGN_OR_RETURN(index.key_schema, ReadLocalKeySchema(reader, table));
    result.key_attributes.push_back(index.key_schema.partition.name);
    result.key_attributes.push_back(index.key_schema.sort->name);
    // An LSI shares the table's throughput; a ProvisionedThroughput member is ignored.
    result.indexes.push_back(std::move(index));
  }
  return {};
}

ApiResult<void> ReadGlobalIndexes(const ObjectReader& request, const model::TableMetadata& table,
                                  bool provisioned, IndexDefinitions& result,
                                  size_t& projected_total) {
  DUNLIN_ASSIGN_OR_RETURN(auto list, request.Array("GlobalSecondaryIndexes"));
  if (!list) return {};
  if (list->size() == 0) return Fail(ApiError::Validation(kEmptyGsiList));
  if (list->size() > kMaxGlobalIndexes) return Fail(ApiError::Validation(kTooManyGsis));
  size_t position = 0;
  for (simdjson::dom::element element : *list) {
    ++position;
    DUNLIN_ASSIGN_OR_RETURN(auto object, AsObject(element));
    ObjectReader reader(object);
    model::SecondaryIndex index;
    index.local = false;
    DUNLIN_ASSIGN_OR_RETURN(index.throughput, ReadGlobalThroughput(reader, provisioned));
    DUNLIN_ASSIGN_OR_RETURN(index.name, ReadIndexName(reader));
    if (NameTaken(result.indexes, index.name, /*local=*/true)) {
      return Fail(ApiError::Validation(kGsiLsiSameName));
    }
    if (NameTaken(result.indexes, index.name, /*local=*/false)) {
      return Fail(ApiError::Validation(kTwoGsisSameName));
    }
    DUNLIN_ASSIGN_OR_RETURN(index.projection, ReadProjection(reader, projected_total));
    DUNLIN_RETURN_IF_ERROR(
        ReadGlobalKeySchema(reader, position, table, result.key_attributes, index));
    result.indexes.push_back(std::move(index));
  }
  return {};
}

}  // namespace

ApiResult<IndexDefinitions> ReadIndexDefinitions(const ObjectReader& request,
                                                 const model::TableMetadata& table,
                                                 bool provisioned) {
  IndexDefinitions result;
  size_t projected_total = 0;
  DUNLIN_RETURN_IF_ERROR(ReadLocalIndexes(request, table, result, projected_total));
  DUNLIN_RETURN_IF_ERROR(ReadGlobalIndexes(request, table, provisioned, result, projected_total));
  return result;
}

ApiResult<model::SecondaryIndex> ReadCreatedGlobalIndex(const ObjectReader& create,
                                                        const model::TableMetadata& table,
                                                        std::vector<std::string>& key_attributes) {
  const bool provisioned = table.billing_mode == model::BillingMode::kProvisioned;
  size_t projected_total = 0;
  for (const model::SecondaryIndex& index : table.indexes) {
    projected_total += index.projection.non_key_attributes.size();
  }
  model::SecondaryIndex index;
  index.local = false;
  DUNLIN_ASSIGN_OR_RETURN(index.name, ReadIndexName(create));
  DUNLIN_ASSIGN_OR_RETURN(index.throughput, ReadGlobalThroughput(create, provisioned));
  DUNLIN_ASSIGN_OR_RETURN(index.projection, ReadProjection(create, projected_total));
  DUNLIN_RETURN_IF_ERROR(ReadGlobalKeySchema(create, 1, table, key_attributes, index));
  return index;
}

ApiResult<model::ProvisionedThroughput> ReadGlobalIndexThroughput(const ObjectReader& index,
                                                                  bool provisioned) {
  return ReadGlobalThroughput(index, provisioned);
}


}  // namespace dunlin::api
