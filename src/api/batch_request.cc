#include "api/batch_request.h"

#include <utility>

namespace dunlin::api {

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
