#include "storage/query_range.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "storage/byte_io.h"
#include "storage/index_entries.h"
#include "storage/key_encoding.h"

namespace dunlin::storage {
namespace {

using Op = SortKeyCondition::Op;

StorageError Invalid(std::string message) {
  return StorageError{StorageError::Code::kInvalidArgument, std::move(message)};
}

// The smallest byte string greater than every key that starts with `key`: for a table, whose
// keys are prefix-free, the first key after `key`; for an index, whose entry keys carry the
// table key after the index key, the first key after every entry with that index key.
std::string PastKeysStartingWith(const std::string& key) { return PrefixSuccessor(key); }

std::string WithSortKey(const std::string& partition_prefix, const model::AttributeValue& value) {
  std::string key = partition_prefix;
  AppendKeyValue(key, value);
  return key;
}

StorageResult<void> CheckOperand(const model::AttributeValue& operand,
                                 const model::KeyElement& sort) {
  if (operand.type() != sort.type) {
    return Fail(Invalid("sort key condition operand is not of the type of sort key " + sort.name));
  }
  return {};
}

// Narrows [range.lower, range.upper) (the whole partition `prefix`) to `condition`.
StorageResult<void> ApplyCondition(const std::string& prefix, const model::KeyElement& sort,
                                   const SortKeyCondition& condition, QueryKeyRange& range) {
  DUNLIN_RETURN_IF_ERROR(CheckOperand(condition.value, sort));
  switch (condition.op) {
    case Op::kEqual:
      range.lower = WithSortKey(prefix, condition.value);
      range.upper = PastKeysStartingWith(range.lower);
      return {};
    case Op::kLess:
      range.upper = WithSortKey(prefix, condition.value);
      return {};
    case Op::kLessEqual:
      range.upper = PastKeysStartingWith(WithSortKey(prefix, condition.value));
      return {};
    case Op::kGreater:
      range.lower = PastKeysStartingWith(WithSortKey(prefix, condition.value));
      return {};
    case Op::kGreaterEqual:
      range.lower = WithSortKey(prefix, condition.value);
      return {};
    case Op::kBetween: {
      DUNLIN_RETURN_IF_ERROR(CheckOperand(condition.upper, sort));
      // Encodings compare like the values, so lo > hi is a byte comparison.
      std::string lower = WithSortKey(prefix, condition.value);
      std::string upper = WithSortKey(prefix, condition.upper);
      if (lower > upper) return Fail(Invalid("BETWEEN lower bound is greater than upper bound"));
      range.lower = std::move(lower);
      range.upper = PastKeysStartingWith(std::move(upper));
      return {};
    }
    case Op::kBeginsWith: {
      std::string_view bytes;
      if (sort.type == model::AttributeType::kS) {
        bytes = condition.value.as_string();
      } else if (sort.type == model::AttributeType::kB) {
        bytes = condition.value.as_binary();
      } else {
        return Fail(Invalid("begins_with on sort key " + sort.name + ", which is not S or B"));
      }
      // The encodings of the values starting with `bytes` are exactly the strings starting
      // with P E'(bytes) (see AppendKeyBytesPrefix).
      range.lower = prefix;
      AppendKeyBytesPrefix(range.lower, bytes);
      range.upper = PrefixSuccessor(range.lower);
      return {};
    }
  }
  return Fail(Invalid("unknown sort key condition"));
}

// The key prefix of one partition of `index`: [index id][hash][partition values], each value
// of its attribute's type (index_entries.h).
StorageResult<std::string> IndexPartitionPrefix(const model::SecondaryIndex& index,
                                                const QuerySpec& spec) {
  const std::vector<model::KeyElement> attributes = model::IndexPartitionAttributes(index);
  if (spec.more_partition_keys.size() + 1 != attributes.size()) {
    return Fail(Invalid("query of index " + index.name + " needs " +
                        std::to_string(attributes.size()) + " partition key values"));
  }
  std::string encoded;
  for (size_t i = 0; i < attributes.size(); ++i) {
    const model::AttributeValue& value = i == 0 ? spec.partition_key : spec.more_partition_keys[i - 1];
    if (value.type() != attributes[i].type) {
      return Fail(Invalid("partition key value is not of the type of " + attributes[i].name));
    }
    AppendKeyValue(encoded, value);
  }
  std::string prefix = TablePrefix(index.internal_id);
  AppendFixed32BigEndian(prefix, PartitionHash(encoded));
  prefix.append(encoded);
  return prefix;
}

}  // namespace

StorageResult<QueryKeyRange> QueryKeyRangeOf(const model::TableMetadata& table,
                                             const QuerySpec& spec) {
  // An index reads like a table keyed by the index key (index_entries.h).
  std::string prefix;
  std::vector<model::KeyElement> sort_attributes;
  if (spec.index != nullptr) {
    DUNLIN_ASSIGN_OR_RETURN(prefix, IndexPartitionPrefix(*spec.index, spec));
    sort_attributes = model::IndexSortAttributes(*spec.index);
  } else {
    if (!spec.more_partition_keys.empty() || !spec.sort_prefix.empty()) {
      return Fail(Invalid("multi-attribute key values in a query of table " + table.name));
    }
    DUNLIN_ASSIGN_OR_RETURN(prefix, EncodePartitionPrefix(table, spec.partition_key));
    if (table.key_schema.sort) sort_attributes.push_back(*table.key_schema.sort);
  }
  // The leading sort attributes the query fixes extend the prefix.
  const size_t fixed = spec.sort_prefix.size();
  if (fixed + (spec.sort_condition ? 1 : 0) > sort_attributes.size()) {
    return Fail(Invalid(sort_attributes.empty()
                            ? "sort key condition on " + table.name + ", which has no sort key"
                            : "sort key conditions on more sort attributes than the key of " +
                                  table.name + " has"));
  }
  for (size_t i = 0; i < fixed; ++i) {
    DUNLIN_RETURN_IF_ERROR(CheckOperand(spec.sort_prefix[i], sort_attributes[i]));
    AppendKeyValue(prefix, spec.sort_prefix[i]);
  }
  QueryKeyRange range;
  range.lower = prefix;
  // P ends with a key value's terminator, which is never all 0xFF, so this is a real bound
  // inside the same [id][hash] prefix.
  range.upper = PrefixSuccessor(prefix);
  if (spec.sort_condition) {
    DUNLIN_RETURN_IF_ERROR(
        ApplyCondition(prefix, sort_attributes[fixed], *spec.sort_condition, range));
  }

  if (spec.exclusive_start_key) {
    std::string start;
    if (spec.index != nullptr) {
      auto entry = IndexEntryKey(table, *spec.index, *spec.exclusive_start_key);
      if (!entry) {
        return Fail(Invalid("exclusive start key lacks an index or table key attribute"));
      }
      start = std::move(*entry);
    } else {
      DUNLIN_ASSIGN_OR_RETURN(start, EncodeStorageKeyOfItem(table, *spec.exclusive_start_key));
    }
    // Prefix-free encodings: a key starts with P exactly when its partition key equals it.
    if (std::string_view(start).substr(0, prefix.size()) != prefix) {
      return Fail(Invalid("exclusive start key is not in the queried partition"));
    }
    if (spec.direction == QueryDirection::kForward) {
      start.push_back('\0');  // the smallest key after the start key itself
      range.lower = std::max(range.lower, std::move(start));
    } else {
      range.upper = std::min(range.upper, start);
    }
  }
  return range;
}

}  // namespace dunlin::storage
