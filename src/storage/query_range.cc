#include "storage/query_range.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "storage/key_encoding.h"

namespace dunlin::storage {
namespace {

using Op = SortKeyCondition::Op;

StorageError Invalid(std::string message) {
  return StorageError{StorageError::Code::kInvalidArgument, std::move(message)};
}

// The smallest byte string greater than `key`.
std::string JustAfter(std::string key) {
  key.push_back('\0');
  return key;
}

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
      range.upper = JustAfter(range.lower);
      return {};
    case Op::kLess:
      range.upper = WithSortKey(prefix, condition.value);
      return {};
    case Op::kLessEqual:
      range.upper = JustAfter(WithSortKey(prefix, condition.value));
      return {};
    case Op::kGreater:
      range.lower = JustAfter(WithSortKey(prefix, condition.value));
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
      range.upper = JustAfter(std::move(upper));
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

}  // namespace

StorageResult<QueryKeyRange> QueryKeyRangeOf(const model::TableMetadata& table,
                                             const QuerySpec& spec) {
  DUNLIN_ASSIGN_OR_RETURN(std::string prefix, EncodePartitionPrefix(table, spec.partition_key));
  QueryKeyRange range;
  const std::optional<model::KeyElement>& sort = table.key_schema.sort;
  if (!sort) {
    if (spec.sort_condition) {
      return Fail(Invalid("sort key condition on table " + table.name + ", which has no sort key"));
    }
    // The partition's only key is P itself.
    range.lower = prefix;
    range.upper = JustAfter(prefix);
  } else {
    range.lower = prefix;
    // P ends with the partition key's terminator, which is never all 0xFF, so this is a real
    // bound inside the same [table id][hash] prefix.
    range.upper = PrefixSuccessor(prefix);
    if (spec.sort_condition) {
      DUNLIN_RETURN_IF_ERROR(ApplyCondition(prefix, *sort, *spec.sort_condition, range));
    }
  }

  if (spec.exclusive_start_key) {
    DUNLIN_ASSIGN_OR_RETURN(std::string start,
                            EncodeStorageKeyOfItem(table, *spec.exclusive_start_key));
    // Prefix-free encodings: a key starts with P exactly when its partition key equals it.
    if (std::string_view(start).substr(0, prefix.size()) != prefix) {
      return Fail(Invalid("exclusive start key is not in the queried partition"));
    }
    if (spec.direction == QueryDirection::kForward) {
      range.lower = std::max(range.lower, JustAfter(std::move(start)));
    } else {
      range.upper = std::min(range.upper, start);
    }
  }
  return range;
}

}  // namespace dunlin::storage
