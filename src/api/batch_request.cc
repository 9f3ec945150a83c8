#include "api/batch_request.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "common/java_hash.h"

namespace dunlin::api {
namespace {

uint32_t JavaListHash(const std::vector<uint32_t>& hashes) {
  uint32_t hash = 1;
  for (uint32_t element : hashes) hash = 31 * hash + element;
  return hash;
}

// java.nio.ByteBuffer.hashCode: the bytes, signed, from the last to the first.
uint32_t JavaBytesHash(std::string_view bytes) {
  uint32_t hash = 1;
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
    hash = 31 * hash + static_cast<uint32_t>(static_cast<int32_t>(static_cast<signed char>(*it)));
  }
  return hash;
}

uint32_t JavaMapHash(const model::AttributeMap& map);

// The SDK's AttributeValue.hashCode: 31-fold over its members S, N, B, SS, NS, BS, M, L,
// NULL, BOOL, each 0 when unset. Numbers hash as their canonical text.
uint32_t JavaValueHash(const model::AttributeValue& value) {
  using model::AttributeType;
  constexpr AttributeType kOrder[] = {
      AttributeType::kS,  AttributeType::kN, AttributeType::kB,    AttributeType::kSS,
      AttributeType::kNS, AttributeType::kBS, AttributeType::kM,   AttributeType::kL,
      AttributeType::kNull, AttributeType::kBool};
  uint32_t member = 0;
  switch (value.type()) {
    case AttributeType::kS: member = JavaStringHash(value.as_string()); break;
    case AttributeType::kN: member = JavaStringHash(value.as_number().ToString()); break;
    case AttributeType::kB: member = JavaBytesHash(value.as_binary()); break;
    case AttributeType::kBool: member = value.as_bool() ? 1231 : 1237; break;
    case AttributeType::kNull: member = 1231; break;
    case AttributeType::kM: member = JavaMapHash(value.as_map()); break;
    case AttributeType::kL: {
      std::vector<uint32_t> hashes;
      for (const model::AttributeValue& element : value.as_list()) {
        hashes.push_back(JavaValueHash(element));
      }
      member = JavaListHash(hashes);
      break;
    }
    case AttributeType::kSS:
    case AttributeType::kNS:
    case AttributeType::kBS: {
      std::vector<uint32_t> hashes;
      const auto& variant = value.variant();
      if (const auto* strings = std::get_if<model::StringSet>(&variant)) {
        for (const std::string& s : strings->values) hashes.push_back(JavaStringHash(s));
      } else if (const auto* numbers = std::get_if<model::NumberSet>(&variant)) {
        for (const auto& n : numbers->values) hashes.push_back(JavaStringHash(n.ToString()));
      } else if (const auto* binaries = std::get_if<model::BinarySet>(&variant)) {
        for (const std::string& b : binaries->values) hashes.push_back(JavaBytesHash(b));
      }
      member = JavaListHash(hashes);
      break;
    }
  }
  uint32_t hash = 1;
  for (AttributeType type : kOrder) hash = 31 * hash + (type == value.type() ? member : 0);
  return hash;
}

// java.util.AbstractMap.hashCode: the sum of each entry's key hash XOR value hash.
uint32_t JavaMapHash(const model::AttributeMap& map) {
  uint32_t hash = 0;
  for (const auto& [name, value] : map) hash += JavaStringHash(name) ^ JavaValueHash(value);
  return hash;
}

}  // namespace

std::vector<size_t> KeyVisitOrder(const std::vector<model::AttributeMap>& keys) {
  const size_t capacity = JavaPresizedCapacity(keys.size());
  std::vector<std::pair<size_t, size_t>> buckets;
  buckets.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const uint32_t hash = JavaMapHash(keys[i]);
    buckets.emplace_back((hash ^ (hash >> 16)) & (capacity - 1), i);
  }
  std::sort(buckets.begin(), buckets.end());
  std::vector<size_t> order;
  order.reserve(keys.size());
  for (const auto& [bucket, index] : buckets) order.push_back(index);
  return order;
}

std::vector<size_t> VisitOrder(const std::vector<BatchTable>& tables) {
  const size_t capacity = JavaPresizedCapacity(tables.size());
  std::vector<std::pair<size_t, size_t>> buckets;
  buckets.reserve(tables.size());
  for (size_t i = 0; i < tables.size(); ++i) {
    buckets.emplace_back(JavaHashBucket(tables[i].name, capacity), i);
  }
  std::sort(buckets.begin(), buckets.end());
  std::vector<size_t> order;
  order.reserve(tables.size());
  for (const auto& [bucket, index] : buckets) order.push_back(index);
  return order;
}

ApiResult<std::vector<BatchTable>> ReadRequestItems(const ObjectReader& request,
                                                    std::string_view empty_message) {
  DUNLIN_ASSIGN_OR_RETURN(auto items, request.Object("RequestItems"));
  std::vector<BatchTable> tables;
  if (items) {
    for (auto field : *items) {
      tables.push_back(BatchTable{std::string(field.key), field.value, nullptr});
    }
  }
  if (tables.empty()) return Fail(ApiError::Validation(std::string(empty_message)));
  return tables;
}

ApiResult<void> CheckTableNames(const std::vector<BatchTable>& tables) {
  for (const BatchTable& table : tables) {
    if (auto error = ValidateTableName(table.name)) return Fail(std::move(*error));
  }
  return {};
}

}  // namespace dunlin::api
