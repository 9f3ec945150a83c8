#include "api/batch_request.h"

#include <algorithm>
#include <utility>

#include "common/java_hash.h"

namespace dunlin::api {
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
