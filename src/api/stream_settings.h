// The table side of DynamoDB Streams: StreamSpecification in CreateTable and UpdateTable, and
// the stream members of a table description.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html
// Messages and the order of checks follow DynamoDB Local (docs/notes-oracle-streams.md, 1-3).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/operation.h"
#include "model/table.h"

namespace dunlin::api {

// A StreamSpecification as requested: enable with a view type, or disable.
struct StreamRequest {
  bool enable = false;
  model::StreamViewType view_type = model::StreamViewType::kNewAndOldImages;
};

// Reads member StreamSpecification: nullopt when absent; a ValidationException for a
// specification that is faulty in itself (StreamEnabled missing, a view type missing when
// enabling or present when disabling, an unknown view type); SerializationException for
// wrongly typed members.
ApiResult<std::optional<StreamRequest>> ReadStreamSpecification(const ObjectReader& request);

// Applies an UpdateTable stream request to the stored metadata: enabling sets a new stream
// (the engine assigns its id and label), disabling clears `enabled`. Fails with DynamoDB's
// "Table already has an enabled stream" / "Table has no stream to disable".
ApiResult<void> ApplyStreamRequest(const StreamRequest& stream, model::TableMetadata& table);

// StreamViewType's wire name, and back (nullopt for an unknown name).
std::string_view StreamViewTypeName(model::StreamViewType type);
std::optional<model::StreamViewType> ParseStreamViewType(std::string_view name);

// A stream's ARN: the table's ARN, "/stream/", the label.
std::string StreamArn(const ServiceConfig& config, std::string_view table_name,
                      std::string_view label);

// Writes the description members StreamSpecification (while a stream is enabled),
// LatestStreamLabel and LatestStreamArn (once a stream was enabled), if any.
void WriteTableStreamMembers(JsonWriter& out, const ServiceConfig& config,
                             const model::TableMetadata& table);

}  // namespace dunlin::api
