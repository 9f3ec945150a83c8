// UntagResource: removes tags by key; unknown keys are ignored.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UntagResource.html
#include <algorithm>

#include "api/operations/operations.h"
#include "api/operations/tagging.h"

namespace dunlin::api::operations {

ApiResult<void> UntagResource(OperationContext& context, const ObjectReader& request,
                              JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(auto keys_json, request.Array("TagKeys"));
  if (!keys_json) {
    Violations violations;
    violations.Null("tagKeys");
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  std::vector<std::string_view> keys;
  for (simdjson::dom::element element : *keys_json) {
    DUNLIN_ASSIGN_OR_RETURN(std::string_view key, AsString(element));
    keys.push_back(key);
  }
  DUNLIN_RETURN_IF_ERROR(
      UpdateTableByArn(context, request, [&](model::TableMetadata& table) -> ApiResult<void> {
        for (std::string_view key : keys) {
          std::erase_if(table.tags, [&](const model::Tag& tag) { return tag.key == key; });
        }
        return {};
      }));
  out.BeginObject();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
