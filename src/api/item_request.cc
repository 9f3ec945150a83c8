#include "api/item_request.h"

#include "model/json_codec.h"

namespace dunlin::api {

ApiError FromModel(model::ModelError error) {
  if (error.kind == model::ModelError::Kind::kSerialization) {
    return ApiError::Serialization(std::move(error.message));
  }
  return ApiError::Validation(std::move(error.message));
}

ApiResult<model::AttributeMap> ReadAttributeMap(const ObjectReader& request,
                                                std::string_view member, std::string_view path) {
  auto element = request.Element(member);
  if (!element || element->is_null()) {
    Violations violations;
    violations.Null(path);
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  auto map = model::ParseAttributeMap(*element);
  if (!map.ok()) return Fail(FromModel(std::move(map).error()));
  return std::move(map).value();
}

void WriteItemMember(JsonWriter& out, std::string_view member, const model::Item& item) {
  out.Key(member);
  model::WriteAttributeMap(out, item);
}

}  // namespace dunlin::api
