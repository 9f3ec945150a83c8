// ListStreams (DynamoDB Streams): the retained streams, of one table or all, paged by ARN.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html
#include <algorithm>

#include "api/operations/operations.h"
#include "api/stream_wire.h"

namespace dunlin::api::operations {

inline constexpr int64_t kMaxListStreamsLimit = 100;

ApiResult<void> ListStreams(OperationContext& context, const ObjectReader& request,
                            JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(auto limit, request.Int("Limit"));
  DUNLIN_ASSIGN_OR_RETURN(auto table_name, request.String("TableName"));
  DUNLIN_ASSIGN_OR_RETURN(auto start, request.String("ExclusiveStartStreamArn"));
  DUNLIN_RETURN_IF_ERROR(CheckStreamsLimit(
      limit, kMaxListStreamsLimit,
      "Limit cannot be greater than the maximum allowed size: 100"));
  Violations violations;
  if (table_name && table_name->size() < 3) violations.MinLength(*table_name, "tableName", 3);
  if (table_name && table_name->size() > 255) violations.MaxLength(*table_name, "tableName", 255);
  if (start && start->size() < 37) {
    violations.MinLength(*start, "exclusiveStartStreamArn", 37);
  }
  DUNLIN_RETURN_IF_ERROR(violations.Check());

  auto streams = context.engine.ListStreams();
  if (!streams.ok()) return Fail(FromStorage(streams.error(), ""));
  std::vector<std::pair<std::string, const storage::StreamInfo*>> listed;
  for (const storage::StreamInfo& stream : *streams) {
    if (table_name && stream.table_name != *table_name) continue;
    std::string arn = StreamArnOf(context.config, stream);
    if (start && arn <= *start) continue;
    listed.emplace_back(std::move(arn), &stream);
  }
  std::sort(listed.begin(), listed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  const size_t max_count = static_cast<size_t>(limit.value_or(kMaxListStreamsLimit));
  const bool more = listed.size() > max_count;
  if (more) listed.resize(max_count);

  out.BeginObject();
  out.Key("Streams");
  out.BeginArray();
  for (const auto& [arn, stream] : listed) {
    out.BeginObject();
    out.Key("StreamArn");
    out.String(arn);
    out.Key("TableName");
    out.String(stream->table_name);
    out.Key("StreamLabel");
    out.String(stream->label);
    out.EndObject();
  }
  out.EndArray();
  if (more) {
    out.Key("LastEvaluatedStreamArn");
    out.String(listed.back().first);
  }
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
