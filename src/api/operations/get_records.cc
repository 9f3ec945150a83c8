// GetRecords (DynamoDB Streams): the records of a shard from an iterator on.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
// Up to Limit (default and most 1000) records or 1 MB. NextShardIterator comes with every
// page of an open shard (later writes appear through it) and ends once a closed shard is read
// to its end.
#include "api/operations/operations.h"
#include "api/stream_wire.h"

namespace dunlin::api::operations {

inline constexpr int64_t kMaxGetRecordsLimit = 1000;
inline constexpr int64_t kMaxGetRecordsBytes = 1024 * 1024;
inline constexpr size_t kMaxShardIteratorLength = 2048;

ApiResult<void> GetRecords(OperationContext& context, const ObjectReader& request,
                           JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(auto iterator, request.String("ShardIterator"));
  DUNLIN_ASSIGN_OR_RETURN(auto limit, request.Int("Limit"));
  std::optional<ShardPosition> position;
  if (iterator && iterator->size() <= kMaxShardIteratorLength) {
    position = DecodeShardIterator(*iterator);
  }
  if (!position) return Fail(ApiError::Validation("Invalid ShardIterator"));
  DUNLIN_RETURN_IF_ERROR(CheckStreamsLimit(limit, kMaxGetRecordsLimit,
                                           "Limit should be less than or equal to 1000"));
  if (context.now_ms - position->issued_ms > context.config.stream_iterator_lifetime_ms) {
    return Fail(ApiError::ExpiredIterator());
  }
  auto streams = context.engine.ListStreams();
  if (!streams.ok()) return Fail(FromStorage(streams.error(), ""));
  const storage::StreamInfo* stream = nullptr;
  for (const storage::StreamInfo& candidate : *streams) {
    if (candidate.stream_id == position->stream_id) stream = &candidate;
  }
  const std::string_view arn = iterator->substr(0, iterator->rfind('|') - 2);
  if (stream == nullptr) {
    return Fail(ApiError::ResourceNotFound("Requested resource not found: Stream: " +
                                           std::string(arn) + " not found"));
  }
  const storage::StreamShard* shard = nullptr;
  for (const storage::StreamShard& candidate : stream->shards) {
    if (candidate.number == position->shard_number) shard = &candidate;
  }
  if (shard == nullptr || position->sequence < stream->trim_horizon) {
    return Fail(ApiError::TrimmedDataAccess(
        "The operation attempted to read past the oldest stream record in a shard."));
  }
  const uint64_t through = shard->last_sequence.value_or(UINT64_MAX);
  auto records = context.engine.ReadStream(
      stream->stream_id, position->sequence, through,
      static_cast<size_t>(limit.value_or(kMaxGetRecordsLimit)), kMaxGetRecordsBytes);
  if (!records.ok()) return Fail(FromStorage(records.error(), ""));

  ShardPosition next = *position;
  next.issued_ms = context.now_ms;
  if (!records->empty()) next.sequence = records->back().sequence + 1;
  out.BeginObject();
  out.Key("Records");
  out.BeginArray();
  for (const storage::StreamRecord& record : *records) {
    WriteStreamRecord(out, context.config, *stream, record);
  }
  out.EndArray();
  // A closed shard read to its end has no next iterator.
  if (!shard->last_sequence || next.sequence <= *shard->last_sequence) {
    out.Key("NextShardIterator");
    out.String(EncodeShardIterator(arn, next));
  }
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
