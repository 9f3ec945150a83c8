// GetShardIterator (DynamoDB Streams): where in a shard GetRecords starts reading.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
// The order of checks is DynamoDB Local's (docs/notes-oracle-streams.md 5.3), with the
// documented enum and length constraints Local leaves out.
#include "api/operations/operations.h"
#include "api/stream_wire.h"

namespace dunlin::api::operations {
namespace {

enum class IteratorType { kTrimHorizon, kLatest, kAtSequence, kAfterSequence };

std::optional<IteratorType> ParseIteratorType(std::string_view name) {
  if (name == "TRIM_HORIZON") return IteratorType::kTrimHorizon;
  if (name == "LATEST") return IteratorType::kLatest;
  if (name == "AT_SEQUENCE_NUMBER") return IteratorType::kAtSequence;
  if (name == "AFTER_SEQUENCE_NUMBER") return IteratorType::kAfterSequence;
  return std::nullopt;
}

ApiError InvalidSequence() { return ApiError::Validation("Invalid SequenceNumber for the shard"); }

}  // namespace

ApiResult<void> GetShardIterator(OperationContext& context, const ObjectReader& request,
                                 JsonWriter& out) {
  DUNLIN_ASSIGN_OR_RETURN(auto arn, request.String("StreamArn"));
  DUNLIN_ASSIGN_OR_RETURN(auto shard_id, request.String("ShardId"));
  DUNLIN_ASSIGN_OR_RETURN(auto type_name, request.String("ShardIteratorType"));
  DUNLIN_ASSIGN_OR_RETURN(auto sequence_text, request.String("SequenceNumber"));
  std::optional<IteratorType> type;
  if (type_name) {
    type = ParseIteratorType(*type_name);
    if (!type) {
      Violations violations;
      violations.NotInEnum(*type_name, "shardIteratorType",
                           "[AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
      DUNLIN_RETURN_IF_ERROR(violations.Check());
    }
  }
  if (!shard_id) return Fail(ApiError::Validation("No ShardId specified."));
  const bool by_sequence =
      type == IteratorType::kAtSequence || type == IteratorType::kAfterSequence;
  if (type && !by_sequence && sequence_text) {
    return Fail(ApiError::Validation(
        "One or more parameter values were invalid: SequenceNumber should not be passed for "
        "this iterator type"));
  }
  if (by_sequence) {
    if (!sequence_text) {
      return Fail(ApiError::Validation(
          "One or more parameter values were invalid: Invalid SequenceNumber"));
    }
    Violations violations;
    if (sequence_text->size() < 21) violations.MinLength(*sequence_text, "sequenceNumber", 21);
    if (sequence_text->size() > 40) violations.MaxLength(*sequence_text, "sequenceNumber", 40);
    DUNLIN_RETURN_IF_ERROR(violations.Check());
  }
  if (!arn || arn->empty()) {
    return Fail(ApiError::Validation(
        "One or more parameter values were invalid: streamArn cannot be empty or null."));
  }
  Violations violations;
  if (!type) violations.Null("shardIteratorType");
  if (shard_id->size() < 28) violations.MinLength(*shard_id, "shardId", 28);
  if (shard_id->size() > 65) violations.MaxLength(*shard_id, "shardId", 65);
  if (arn->size() < 37) violations.MinLength(*arn, "streamArn", 37);
  if (arn->size() > 1024) violations.MaxLength(*arn, "streamArn", 1024);
  DUNLIN_RETURN_IF_ERROR(violations.Check());

  auto streams = context.engine.ListStreams();
  if (!streams.ok()) return Fail(FromStorage(streams.error(), ""));
  const storage::StreamInfo* stream = FindStreamByArn(*streams, context.config, *arn);
  if (stream == nullptr) return Fail(ApiError::ResourceNotFound("Stream does not exist"));
  const storage::StreamShard* shard = FindShard(*stream, *shard_id);
  if (shard == nullptr) return Fail(ApiError::ResourceNotFound("Shard does not exist"));

  ShardPosition position;
  position.stream_id = stream->stream_id;
  position.shard_number = shard->number;
  position.issued_ms = context.now_ms;
  const uint64_t first = std::max(shard->first_sequence, stream->trim_horizon);
  switch (*type) {
    case IteratorType::kTrimHorizon:
      position.sequence = first;
      break;
    case IteratorType::kLatest:
      position.sequence = shard->last_sequence ? *shard->last_sequence + 1
                                               : context.engine.NextStreamSequence();
      break;
    case IteratorType::kAtSequence:
    case IteratorType::kAfterSequence: {
      const std::optional<uint64_t> sequence = ParseSequence(*sequence_text);
      if (!sequence || *sequence < shard->first_sequence ||
          (shard->last_sequence && *sequence > *shard->last_sequence)) {
        return Fail(InvalidSequence());
      }
      if (*sequence < stream->trim_horizon) {
        return Fail(ApiError::TrimmedDataAccess(
            "The operation attempted to read past the oldest stream record in a shard."));
      }
      position.sequence = *type == IteratorType::kAtSequence ? *sequence : *sequence + 1;
      break;
    }
  }
  out.BeginObject();
  out.Key("ShardIterator");
  out.String(EncodeShardIterator(*arn, position));
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
