// TagResource: adds or replaces tags on a table (at most 50 per table).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
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
  DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata table, LoadTableByArn(context, request));
  if (tags_json->size() == 0) {
    Violations violations;
    violations.MinLength("[]", "tags", 1);
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  DUNLIN_ASSIGN_OR_RETURN(std::vector<model::Tag> tags, ReadTags(*tags_json, "tags"));
  for (model::Tag& tag : tags) {
    bool replaced = false;
    for (model::Tag& existing : table.tags) {
      if (existing.key == tag.key) {
        existing.value = tag.value;
        replaced = true;
      }
    }
    if (!replaced) table.tags.push_back(std::move(tag));
  }
  if (table.tags.size() > kMaxTagsPerResource) {
    return Fail(
        ApiError::LimitExceeded("The number of tags for the resource exceeds the limit of 50"));
  }
  auto updated = context.engine.UpdateTable(table);
  if (!updated.ok()) return Fail(FromStorage(updated.error(), table.name));
  out.BeginObject();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
