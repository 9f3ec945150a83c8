// Pieces shared by the single-item operations (PutItem, GetItem, DeleteItem): reading Item and
// Key members into typed values, and model errors as DynamoDB errors.
#pragma once

#include <string_view>

#include "api/params.h"
#include "common/json_writer.h"
#include "model/attribute_value.h"
#include "model/model_error.h"
#include "model/table.h"

namespace dunlin::api {

ApiError FromModel(model::ModelError error);

// Reads a required attribute map member (Item, Key); `path` is its name in messages ("item").
ApiResult<model::AttributeMap> ReadAttributeMap(const ObjectReader& request,
                                                std::string_view member, std::string_view path);

// Writes "<member>": {...item...}.
void WriteItemMember(JsonWriter& out, std::string_view member, const model::Item& item);

}  // namespace dunlin::api
