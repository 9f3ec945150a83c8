#include "api/batch_request.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace dunlin::api {
namespace {

// Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over the UTF-16 code units of `utf8`
// (a byte that does not start a valid sequence counts as one unit).
uint32_t JavaStringHash(std::string_view utf8) {
  uint32_t hash = 0;
  auto add = [&hash](uint32_t unit) { hash = 31 * hash + unit; };
  for (size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    const size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3
                                         : (byte >> 3) == 0x1E ? 4 : 0;
    if (length <= 1 || i + length > utf8.size()) {
      add(byte);
      ++i;
      continue;
    }
    uint32_t point = byte & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      point = (point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    if (point >= 0x10000) {
      point -= 0x10000;
      add(0xD800 + (point >> 10));
      add(0xDC00 + (point & 0x3FF));
    } else {
      add(point);
    }
    i += length;
  }
  return hash;
}

}  // namespace

std::vector<size_t> VisitOrder(const std::vector<BatchTable>& tables) {
  const size_t wanted = (tables.size() * 4 + 2) / 3;  // ceil(n / 0.75)
  size_t capacity = 1;
  while (capacity < wanted) capacity *= 2;
  std::vector<std::pair<uint32_t, size_t>> buckets;
  buckets.reserve(tables.size());
  for (size_t i = 0; i < tables.size(); ++i) {
    const uint32_t hash = JavaStringHash(tables[i].name);
    buckets.emplace_back((hash ^ (hash >> 16)) & (capacity - 1), i);
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
