#include "model/key_validation.h"

#include <string>
#include <vector>

#include "model/item_size.h"

namespace dunlin::model {
namespace {

constexpr std::string_view kMissingKey = "One of the required keys was not given a value";
constexpr std::string_view kWrongKeyCount = "The number of conditions on the keys is invalid";
constexpr std::string_view kNotScalar = "Invalid attribute value type";
constexpr std::string_view kIndexKeyType =
    "One or more parameter values were invalid: Type mismatch for Index Key";
constexpr std::string_view kKeyTooLong =
    "Hash primary key values must be under 2048 bytes, and range primary key values must be "
    "under 1024 bytes";

bool IsScalar(AttributeType type) {
  return type == AttributeType::kS || type == AttributeType::kN || type == AttributeType::kB;
}

// Checks one key attribute's value (rules 1-3 of key_validation.h, in DynamoDB's order: type,
// emptiness, length). `value` is null when the attribute is absent.
Result<void, ModelError> CheckKeyValue(const AttributeValue* value, const KeyElement& element,
                                       size_t max_bytes) {
  if (value == nullptr) return Fail(ModelError::Validation(std::string(kMissingKey)));
  const AttributeType type = value->type();
  if (!IsScalar(type)) return Fail(ModelError::Validation(std::string(kNotScalar)));
  if (type != element.type) {
    // DynamoDB Local stops after "for key"; DynamoDB names the attribute and both types.
    std::string message = "One or more parameter values were invalid: Type mismatch for key ";
    message.append(element.name);
    message.append(" expected: ");
    message.append(AttributeTypeName(element.type));
    message.append(" actual: ");
    message.append(AttributeTypeName(type));
    return Fail(ModelError::Validation(std::move(message)));
  }
  if (auto empty = EmptyKeyValueMessage(*value, element.name)) {
    return Fail(ModelError::Validation(std::move(*empty)));
  }
  const size_t bytes = type == AttributeType::kS   ? value->as_string().size()
                       : type == AttributeType::kB ? value->as_binary().size()
                                                   : 0;
  if (bytes > max_bytes) return Fail(ModelError::Validation(std::string(kKeyTooLong)));
  return {};
}

const AttributeValue* Find(const AttributeMap& map, const std::string& name) {
  auto it = map.find(name);
  return it == map.end() ? nullptr : &it->second;
}

// Checks the partition key and then the sort key, as DynamoDB does: every check on the
// partition key comes before any check on the sort key.
Result<PrimaryKey, ModelError> CheckKey(const AttributeMap& map, const KeySchema& schema) {
  PrimaryKey key;
  key.partition = Find(map, schema.partition.name);
  DUNLIN_RETURN_IF_ERROR(CheckKeyValue(key.partition, schema.partition, kMaxPartitionKeyBytes));
  if (schema.sort) {
    key.sort = Find(map, schema.sort->name);
    DUNLIN_RETURN_IF_ERROR(CheckKeyValue(key.sort, *schema.sort, kMaxSortKeyBytes));
  }
  return key;
}

}  // namespace

Result<PrimaryKey, ModelError> ExtractItemKey(const Item& item, const KeySchema& schema) {
  return CheckKey(item, schema);
}

Result<PrimaryKey, ModelError> ValidateKeyParameter(const AttributeMap& key,
                                                    const KeySchema& schema) {
  const size_t expected = schema.sort ? 2 : 1;
  if (key.size() != expected) return Fail(ModelError::Validation(std::string(kWrongKeyCount)));
  return CheckKey(key, schema);
}

namespace {

// Checks the values `item` holds for one role (partition or sort) of an index key: `first`
// and `more`, each alone, then a multi-attribute role's total.
Result<void, ModelError> CheckIndexKeyRole(const Item& item, const SecondaryIndex& index,
                                           const KeyElement& first,
                                           const std::vector<KeyElement>& more, bool partition,
                                           IndexKeyWrite write) {
  const size_t max_bytes = partition ? kMaxPartitionKeyBytes : kMaxSortKeyBytes;
  size_t total = 0;
  for (size_t i = 0; i <= more.size(); ++i) {
    const KeyElement& element = i == 0 ? first : more[i - 1];
    const AttributeValue* value = Find(item, element.name);
    if (value == nullptr) continue;
    const AttributeType type = value->type();
    if (!IsScalar(type)) return Fail(ModelError::Validation(std::string(kNotScalar)));
    if (type != element.type) return Fail(ModelError::Validation(std::string(kIndexKeyType)));
    total += AttributeValueSize(*value);
    if (type == AttributeType::kN) continue;
    const size_t bytes =
        type == AttributeType::kS ? value->as_string().size() : value->as_binary().size();
    const std::string_view kind = type == AttributeType::kS ? "string" : "binary";
    if (bytes == 0 && write == IndexKeyWrite::kUpdate) {
      return Fail(ModelError::Validation(
          "One or more parameter values are not valid. The update expression attempted to "
          "update a secondary index key to a value that is not supported. The AttributeValue "
          "for a key attribute cannot contain an empty " +
          std::string(kind) + " value."));
    }
    if (auto empty = EmptyKeyValueMessage(*value, element.name, index.name)) {
      return Fail(ModelError::Validation(std::move(*empty)));
    }
    if (bytes > max_bytes) {
      return Fail(
          ModelError::Validation("One or more parameter values were invalid: Size limit exceeded"));
    }
  }
  if (more.empty() || total <= max_bytes) return {};
  // A multi-attribute key's attributes together obey the limit one attribute has.
  std::string names = first.name;
  for (const KeyElement& element : more) names += ", " + element.name;
  return Fail(ModelError::Validation(
      "Aggregate size for " + std::string(partition ? "HASH" : "RANGE") + " key attributes " +
      names + " of index " + index.name + " has exceeded limit " + std::to_string(max_bytes) +
      " bytes, with actual size " + std::to_string(total) + " bytes"));
}

}  // namespace

Result<void, ModelError> ValidateIndexKeys(const Item& item, const TableMetadata& table,
                                           IndexKeyWrite write) {
  for (const SecondaryIndex& index : table.indexes) {
    DUNLIN_RETURN_IF_ERROR(CheckIndexKeyRole(item, index, index.key_schema.partition,
                                             index.more_partition, /*partition=*/true, write));
    if (index.key_schema.sort) {
      DUNLIN_RETURN_IF_ERROR(CheckIndexKeyRole(item, index, *index.key_schema.sort,
                                               index.more_sort, /*partition=*/false, write));
    }
  }
  return {};
}

bool IsIndexKeyTypeMismatch(const ModelError& error) { return error.message == kIndexKeyType; }

std::optional<std::string> EmptyKeyValueMessage(const AttributeValue& value,
                                                std::string_view name,
                                                std::string_view index) {
  const bool empty_string = value.type() == AttributeType::kS && value.as_string().empty();
  const bool empty_binary = value.type() == AttributeType::kB && value.as_binary().empty();
  if (!empty_string && !empty_binary) return std::nullopt;
  const std::string_view kind = empty_string ? "string" : "binary";
  std::string message;
  if (index.empty()) {
    message.append(kEmptyKeyValuePrefix).append(" ").append(kind).append(" value. Key: ");
    message.append(name);
  } else {
    message.append(
        "One or more parameter values are not valid. A value specified for a secondary index "
        "key is not supported. The AttributeValue for a key attribute cannot contain an empty ");
    message.append(kind).append(" value. IndexName: ").append(index).append(", IndexKey: ");
    message.append(name);
  }
  return message;
}

AttributeMap KeyOf(const Item& item, const KeySchema& schema) {
  AttributeMap key;
  if (const AttributeValue* value = Find(item, schema.partition.name)) {
    key.emplace(schema.partition.name, *value);
  }
  if (schema.sort) {
    if (const AttributeValue* value = Find(item, schema.sort->name)) {
      key.emplace(schema.sort->name, *value);
    }
  }
  return key;
}

}  // namespace dunlin::model
