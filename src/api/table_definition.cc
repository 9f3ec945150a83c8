#include "api/table_definition.h"

#include <fmt/format.h>

#include <algorithm>

namespace dunlin::api {
namespace {

constexpr char kKeyNameLengthMessage[] =
    "Names of key attributes and attributes projected into an index must be between 1 and 255 "
    "characters, inclusive";

struct RawKeyElement {
  std::string name;
  std::string key_type;
};

std::optional<model::AttributeType> ScalarType(std::string_view name) {
  if (name == "S") return model::AttributeType::kS;
  if (name == "N") return model::AttributeType::kN;
  if (name == "B") return model::AttributeType::kB;
  return std::nullopt;
}

ApiResult<std::vector<RawKeyElement>> ReadKeySchemaElements(simdjson::dom::array array) {
  std::vector<RawKeyElement> elements;
  for (simdjson::dom::element element : array) {
    DUNLIN_ASSIGN_OR_RETURN(auto object, AsObject(element));
    ObjectReader member(object);
    DUNLIN_ASSIGN_OR_RETURN(auto name, member.String("AttributeName"));
    DUNLIN_ASSIGN_OR_RETURN(auto key_type, member.String("KeyType"));
    if (!name) return Fail(ApiError::Validation("Attribute name must be specified."));
    if (name->empty() || name->size() > 255) {
      return Fail(ApiError::Validation(kKeyNameLengthMessage));
    }
    if (!key_type) {
      return Fail(
          ApiError::Validation("One or more keys is not specified as being hash or range."));
    }
    // DynamoDB treats any key type other than HASH as "not a hash key" (so "hash" in lower
    // case fails with "No Hash Key specified").
    elements.push_back({std::string(*name), std::string(*key_type)});
  }
  return elements;
}

const model::KeyElement* FindDefinition(const std::vector<model::KeyElement>& definitions,
                                        std::string_view name) {
  for (const model::KeyElement& definition : definitions) {
    if (definition.name == name) return &definition;
  }
  return nullptr;
}

}  // namespace

ApiResult<std::vector<model::KeyElement>> ReadAttributeDefinitions(simdjson::dom::array array) {
  std::vector<model::KeyElement> definitions;
  Violations violations;
  size_t index = 0;
  for (simdjson::dom::element element : array) {
    ++index;
    DUNLIN_ASSIGN_OR_RETURN(auto object, AsObject(element));
    ObjectReader member(object);
    DUNLIN_ASSIGN_OR_RETURN(auto name, member.String("AttributeName"));
    DUNLIN_ASSIGN_OR_RETURN(auto type, member.String("AttributeType"));
    std::string prefix = fmt::format("attributeDefinitions.{}.member", index);
    if (!name) {
      return Fail(ApiError::Validation("Attribute name must be specified."));
    }
    if (name->empty() || name->size() > 255) {
      return Fail(ApiError::Validation(kKeyNameLengthMessage));
    }
    std::optional<model::AttributeType> parsed;
    if (!type) {
      return Fail(ApiError::Validation(
          "Invalid Attribute value. Must contain exactly one of the supported datatypes."));
    }
    if (!(parsed = ScalarType(*type))) {
      violations.NotInEnum(*type, prefix + ".attributeType", "B, N, S");
    }
    if (name && parsed) definitions.push_back({std::string(*name), *parsed});
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  for (size_t i = 0; i < definitions.size(); ++i) {
    for (size_t j = i + 1; j < definitions.size(); ++j) {
      if (definitions[i].name == definitions[j].name) {
        return Fail(ApiError::Validation("Cannot have two attributes with the same name"));
      }
    }
  }
  return definitions;
}

ApiResult<void> ReadKeyDefinition(const ObjectReader& request, model::TableMetadata& table) {
  DUNLIN_ASSIGN_OR_RETURN(auto definitions_json, request.Array("AttributeDefinitions"));
  DUNLIN_ASSIGN_OR_RETURN(auto key_schema_json, request.Array("KeySchema"));
  if (!key_schema_json || key_schema_json->size() == 0) {
    return Fail(ApiError::Validation(
        "No defined key schema.  A key schema containing at least a hash key must be defined for "
        "all tables"));
  }
  if (!definitions_json || definitions_json->size() == 0) {
    return Fail(ApiError::Validation("No Attribute Schema Defined"));
  }
  DUNLIN_ASSIGN_OR_RETURN(auto definitions, ReadAttributeDefinitions(*definitions_json));
  DUNLIN_ASSIGN_OR_RETURN(auto elements, ReadKeySchemaElements(*key_schema_json));
  if (elements.size() > 2) {
    return Fail(ApiError::Validation(
        "Key Schema too big.  Key Schema must at most consist of the hash and range key of a "
        "table"));
  }
  int hash_count = 0;
  for (const RawKeyElement& element : elements) hash_count += element.key_type == "HASH";
  if (hash_count == 0) {
    return Fail(ApiError::Validation(
        "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"));
  }
  if (hash_count > 1) {
    return Fail(ApiError::Validation(
        "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key"));
  }
  if (elements[0].key_type != "HASH") {
    return Fail(ApiError::Validation(
        "Invalid key order. Hash Key must be specified first in key schema, Range Key must be "
        "specifed second"));
  }
  if (elements.size() == 2 && elements[1].key_type != "RANGE") {
    Violations violations;
    violations.NotInEnum(elements[1].key_type, "keySchema.2.member.keyType", "HASH, RANGE");
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  if (elements.size() == 2 && elements[0].name == elements[1].name) {
    return Fail(ApiError::Validation("Two keys can not have the same name"));
  }
  const model::KeyElement* hash = FindDefinition(definitions, elements[0].name);
  if (hash == nullptr) {
    return Fail(
        ApiError::Validation("Hash Key not specified in Attribute Definitions.  Type unknown."));
  }
  table.key_schema.partition = *hash;
  table.key_schema.sort.reset();
  if (elements.size() == 2) {
    const model::KeyElement* range = FindDefinition(definitions, elements[1].name);
    if (range == nullptr) {
      return Fail(
          ApiError::Validation("Range Key not specified in Attribute Definitions.  Type unknown."));
    }
    table.key_schema.sort = *range;
  }
  table.attribute_definitions = std::move(definitions);
  return {};
}

ApiResult<void> CheckEveryDefinitionUsed(const model::TableMetadata& table,
                                         const std::vector<std::string>& index_key_attributes) {
  std::vector<std::string_view> used = {table.key_schema.partition.name};
  if (table.key_schema.sort) used.push_back(table.key_schema.sort->name);
  for (const std::string& name : index_key_attributes) {
    if (std::find(used.begin(), used.end(), name) == used.end()) used.push_back(name);
  }
  // Every index key attribute is defined (checked with its index), so equal counts mean every
  // definition is used.
  if (table.attribute_definitions.size() != used.size()) {
    return Fail(ApiError::Validation(
        "The number of attributes in key schema must match the number of attributes defined in "
        "attribute definitions."));
  }
  return {};
}

ApiResult<void> ReadBillingAndThroughput(const ObjectReader& request, model::TableMetadata& table,
                                         bool creating) {
  DUNLIN_ASSIGN_OR_RETURN(auto billing_mode, request.String("BillingMode"));
  DUNLIN_ASSIGN_OR_RETURN(auto throughput_json, request.Object("ProvisionedThroughput"));
  std::optional<int64_t> read_units;
  std::optional<int64_t> write_units;
  Violations violations;
  if (billing_mode) {
    CheckEnum(violations, *billing_mode, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"});
  }
  if (throughput_json) {
    ObjectReader throughput(*throughput_json);
    DUNLIN_ASSIGN_OR_RETURN(read_units, throughput.Int("ReadCapacityUnits"));
    DUNLIN_ASSIGN_OR_RETURN(write_units, throughput.Int("WriteCapacityUnits"));
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());

  model::BillingMode mode = table.billing_mode;
  if (billing_mode) {
    mode = *billing_mode == "PAY_PER_REQUEST" ? model::BillingMode::kPayPerRequest
                                              : model::BillingMode::kProvisioned;
  } else if (creating) {
    mode = model::BillingMode::kProvisioned;
  }

  if (mode == model::BillingMode::kPayPerRequest) {
    if (throughput_json) {
      return Fail(ApiError::Validation(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
          "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"));
    }
  } else if (throughput_json || creating ||
             table.billing_mode == model::BillingMode::kPayPerRequest) {
    if (!throughput_json) {
      return Fail(ApiError::Validation("No provisioned throughput specified for the table"));
    }
    if (!read_units || !write_units || *read_units < 1 || *write_units < 1) {
      return Fail(ApiError::Validation(
          "Table read and write throughput must be at least 1, and cannot be null"));
    }
    if (*read_units > kMaxTableThroughputUnits || *write_units > kMaxTableThroughputUnits) {
      return Fail(ApiError::Validation(fmt::format(
          "Cannot increase provisioned throughput to more than {},{:03} units per table",
          kMaxTableThroughputUnits / 1000, kMaxTableThroughputUnits % 1000)));
    }
  }
  table.billing_mode = mode;
  if (mode == model::BillingMode::kProvisioned && read_units && write_units) {
    table.throughput.read_capacity_units = *read_units;
    table.throughput.write_capacity_units = *write_units;
  }
  return {};
}

ApiResult<std::vector<model::Tag>> ReadTags(simdjson::dom::array array, std::string_view path) {
  std::vector<model::Tag> tags;
  Violations violations;
  size_t index = 0;
  for (simdjson::dom::element element : array) {
    ++index;
    DUNLIN_ASSIGN_OR_RETURN(auto object, AsObject(element));
    ObjectReader member(object);
    DUNLIN_ASSIGN_OR_RETURN(auto key, member.String("Key"));
    DUNLIN_ASSIGN_OR_RETURN(auto value, member.String("Value"));
    std::string prefix = fmt::format("{}.{}.member", path, index);
    if (!key) {
      violations.Null(prefix + ".key");
    } else if (key->empty()) {
      violations.MinLength(*key, prefix + ".key", 1);
    } else if (key->size() > 128) {
      violations.MaxLength(*key, prefix + ".key", 128);
    }
    if (!value) {
      violations.Null(prefix + ".value");
    } else if (value->size() > 256) {
      violations.MaxLength(*value, prefix + ".value", 256);
    }
    if (key && value) tags.push_back({std::string(*key), std::string(*value)});
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  if (tags.size() > kMaxTagsPerResource) {
    return Fail(ApiError::Validation(
        fmt::format("One or more parameter values were invalid: The number of tags exceeds the "
                    "limit of {}",
                    kMaxTagsPerResource)));
  }
  return tags;
}

ApiResult<std::optional<model::TableClass>> ReadTableClass(const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto table_class, request.String("TableClass"));
  if (!table_class) return std::optional<model::TableClass>();
  Violations violations;
  CheckEnum(violations, *table_class, "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"});
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  return std::optional<model::TableClass>(*table_class == "STANDARD"
                                              ? model::TableClass::kStandard
                                              : model::TableClass::kStandardInfrequentAccess);
}

ApiResult<void> RejectEnabledFeature(const ObjectReader& request, std::string_view member,
                                     std::string_view flag) {
  DUNLIN_ASSIGN_OR_RETURN(auto object, request.Object(member));
  if (!object) return {};
  DUNLIN_ASSIGN_OR_RETURN(auto enabled, ObjectReader(*object).Bool(flag));
  if (enabled.value_or(false)) {
    return Fail(ApiError::Validation(
        fmt::format("{} is not supported by this version of Dunlin yet", member)));
  }
  return {};
}

}  // namespace dunlin::api
