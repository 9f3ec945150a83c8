// TagResource: adds or replaces tags on a table (at most 50 per table).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
#include <algorithm>

#include "api/operations/operations.h"
#include "api/operations/tagging.h"
#include "api/table_definition.h"

namespace dunlin::api::operations {

ApiResult<void> TagResource(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(auto tags_json, request.Array("Tags"));
  if (!tags_json) {
    Violations violations;
    violations.Null("tags");
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  DUNLIN_RETURN_IF_ERROR(LoadTableByArn(context, request));
  if (tags_json->size() == 0) {
    Violations violations;
    violations.MinLength("[]", "tags", 1);
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  DUNLIN_ASSIGN_OR_RETURN(std::vector<model::Tag> tags, ReadTags(*tags_json, "tags"));
  DUNLIN_RETURN_IF_ERROR(
      UpdateTableByArn(context, request, [&](model::TableMetadata& table) -> ApiResult<void> {
        for (const model::Tag& tag : tags) {
          auto existing = std::find_if(table.tags.begin(), table.tags.end(),
                                       [&](const model::Tag& t) { return t.key == tag.key; });
          if (existing != table.tags.end()) {
            existing->value = tag.value;
          } else {
            table.tags.push_back(tag);
          }
        }
        if (table.tags.size() > kMaxTagsPerResource) {
          return Fail(ApiError::LimitExceeded(
              "The number of tags for the resource exceeds the limit of 50"));
        }
        return {};
      }));
  out.BeginObject();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
