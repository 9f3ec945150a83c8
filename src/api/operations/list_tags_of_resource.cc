// ListTagsOfResource: a table's tags, all in one page.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html
#include "api/operations/operations.h"
#include "api/operations/tagging.h"

namespace dunlin::api::operations {

ApiResult<void> ListTagsOfResource(OperationContext& context, const ObjectReader& request,
                                   JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(model::TableMetadata table, LoadTableByArn(context, request));
  out.BeginObject();
  out.Key("Tags");
  out.BeginArray();
  for (const model::Tag& tag : table.tags) {
    out.BeginObject();
    out.Key("Key");
    out.String(tag.key);
    out.Key("Value");
    out.String(tag.value);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
