// DescribeStream (DynamoDB Streams): a stream's status, key schema and shards.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html
#include "api/operations/operations.h"
#include "api/stream_settings.h"
#include "api/stream_wire.h"
#include "api/table_description.h"

namespace dunlin::api::operations {

inline constexpr int64_t kMaxDescribeStreamLimit = 100;

ApiResult<void> DescribeStream(OperationContext& context, const ObjectReader& request,
                               JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(auto limit, request.Int("Limit"));
  DUNLIN_ASSIGN_OR_RETURN(auto arn, request.String("StreamArn"));
  DUNLIN_ASSIGN_OR_RETURN(auto start, request.String("ExclusiveStartShardId"));
  DUNLIN_RETURN_IF_ERROR(CheckStreamsLimit(limit, kMaxDescribeStreamLimit,
                                           "Limit cannot be greater than the maximum: 100"));
  if (!arn) return Fail(ApiError::Validation("Invalid StreamArn"));
  Violations violations;
  if (start && start->size() < 28) violations.MinLength(*start, "exclusiveStartShardId", 28);
  if (start && start->size() > 65) violations.MaxLength(*start, "exclusiveStartShardId", 65);
  if (arn->size() < 37) violations.MinLength(*arn, "streamArn", 37);
  if (arn->size() > 1024) violations.MaxLength(*arn, "streamArn", 1024);
  DUNLIN_RETURN_IF_ERROR(violations.Check());

  auto streams = context.engine.ListStreams();
  if (!streams.ok()) return Fail(FromStorage(streams.error(), ""));
  const storage::StreamInfo* stream = FindStreamByArn(*streams, context.config, *arn);
  if (stream == nullptr) {
    return Fail(ApiError::ResourceNotFound("Requested resource not found: Stream: " +
                                           std::string(*arn) + " not found"));
  }
  // Shards after ExclusiveStartShardId (an unknown one is ignored).
  size_t first = 0;
  if (start) {
    for (size_t i = 0; i < stream->shards.size(); ++i) {
      if (ShardIdOf(*stream, stream->shards[i]) == *start) first = i + 1;
    }
  }
  const size_t max_count = static_cast<size_t>(limit.value_or(kMaxDescribeStreamLimit));
  const size_t end = std::min(stream->shards.size(), first + max_count);

  out.BeginObject();
  out.Key("StreamDescription");
  out.BeginObject();
  out.Key("StreamArn");
  out.String(*arn);
  out.Key("StreamLabel");
  out.String(stream->label);
  out.Key("StreamStatus");
  out.String(stream->enabled ? "ENABLED" : "DISABLED");
  out.Key("StreamViewType");
  out.String(StreamViewTypeName(stream->view_type));
  out.Key("CreationRequestDateTime");
  WriteTimestamp(out, stream->created_ms);
  out.Key("TableName");
  out.String(stream->table_name);
  out.Key("KeySchema");
  WriteKeySchema(out, stream->key_schema);
  out.Key("Shards");
  out.BeginArray();
  for (size_t i = first; i < end; ++i) {
    const storage::StreamShard& shard = stream->shards[i];
    out.BeginObject();
    out.Key("ShardId");
    out.String(ShardIdOf(*stream, shard));
    out.Key("SequenceNumberRange");
    out.BeginObject();
    out.Key("StartingSequenceNumber");
    out.String(FormatSequence(shard.first_sequence));
    if (shard.last_sequence) {
      out.Key("EndingSequenceNumber");
      out.String(FormatSequence(*shard.last_sequence));
    }
    out.EndObject();
    // The parent: the shard before it, while retained (trimmed shards leave the list).
    if (i > 0 && stream->shards[i - 1].number + 1 == shard.number) {
      out.Key("ParentShardId");
      out.String(ShardIdOf(*stream, stream->shards[i - 1]));
    }
    out.EndObject();
  }
  out.EndArray();
  if (end < stream->shards.size()) {
    out.Key("LastEvaluatedShardId");
    out.String(ShardIdOf(*stream, stream->shards[end - 1]));
  }
  out.EndObject();
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
