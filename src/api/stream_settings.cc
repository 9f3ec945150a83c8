#include "api/stream_settings.h"

#include <utility>

#include "api/table_description.h"

namespace dunlin::api {
namespace {

constexpr std::pair<model::StreamViewType, std::string_view> kViewTypeNames[] = {
    {model::StreamViewType::kNewImage, "NEW_IMAGE"},
    {model::StreamViewType::kOldImage, "OLD_IMAGE"},
    {model::StreamViewType::kNewAndOldImages, "NEW_AND_OLD_IMAGES"},
    {model::StreamViewType::kKeysOnly, "KEYS_ONLY"},
};

}  // namespace

std::string_view StreamViewTypeName(model::StreamViewType type) {
  for (const auto& [value, name] : kViewTypeNames) {
    if (value == type) return name;
  }
  return "NEW_AND_OLD_IMAGES";
}

std::optional<model::StreamViewType> ParseStreamViewType(std::string_view name) {
  for (const auto& [value, known] : kViewTypeNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

ApiResult<std::optional<StreamRequest>> ReadStreamSpecification(const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto spec_object, request.Object("StreamSpecification"));
  if (!spec_object) return std::optional<StreamRequest>();
  const ObjectReader spec(*spec_object);
  DUNLIN_ASSIGN_OR_RETURN(auto enabled, spec.Bool("StreamEnabled"));
  DUNLIN_ASSIGN_OR_RETURN(auto view_type, spec.String("StreamViewType"));
  // An unknown view type is a constraint violation (the enum of API_StreamSpecification).
  if (view_type && !view_type->empty() && !ParseStreamViewType(*view_type)) {
    Violations violations;
    violations.NotInEnum(*view_type, "streamSpecification.streamViewType",
                         "[OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]");
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  if (!enabled) return Fail(ApiError::Validation("Stream StreamEnabled was null"));
  StreamRequest stream;
  stream.enable = *enabled;
  if (stream.enable) {
    if (!view_type || view_type->empty()) {
      return Fail(ApiError::Validation(
          "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling "
          "streams."));
    }
    stream.view_type = *ParseStreamViewType(*view_type);
  } else if (view_type) {
    return Fail(ApiError::Validation(
        "Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was "
        "present."));
  }
  return std::optional<StreamRequest>(stream);
}

ApiResult<void> ApplyStreamRequest(const StreamRequest& stream, model::TableMetadata& table) {
  const bool has_enabled = table.stream && table.stream->enabled;
  if (stream.enable) {
    if (has_enabled) return Fail(ApiError::Validation("Table already has an enabled stream"));
    table.stream = model::TableStream{0, "", stream.view_type, true};
    return {};
  }
  if (!has_enabled) return Fail(ApiError::Validation("Table has no stream to disable"));
  table.stream->enabled = false;
  return {};
}

std::string StreamArn(const ServiceConfig& config, std::string_view table_name,
                      std::string_view label) {
  std::string arn = TableArn(config, table_name);
  arn += "/stream/";
  arn += label;
  return arn;
}

void WriteTableStreamMembers(JsonWriter& out, const ServiceConfig& config,
                             const model::TableMetadata& table) {
  if (!table.stream) return;
  if (table.stream->enabled) {
    out.Key("StreamSpecification");
    out.BeginObject();
    out.Key("StreamEnabled");
    out.Bool(true);
    out.Key("StreamViewType");
    out.String(StreamViewTypeName(table.stream->view_type));
    out.EndObject();
  }
  out.Key("LatestStreamLabel");
  out.String(table.stream->label);
  out.Key("LatestStreamArn");
  out.String(StreamArn(config, table.name, table.stream->label));
}

}  // namespace dunlin::api
