// The wire forms shared by the DynamoDB Streams operations (api/operations/*stream*.cc,
// get_records.cc): stream lookup by ARN, shard ids, sequence numbers, shard iterators and
// records.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
// Formats follow docs/notes-oracle-streams.md section 6.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/operation.h"
#include "storage/stream_types.h"

namespace dunlin::api {

// The stream whose ARN is `arn`, or null.
const storage::StreamInfo* FindStreamByArn(const std::vector<storage::StreamInfo>& streams,
                                           const ServiceConfig& config, std::string_view arn);
std::string StreamArnOf(const ServiceConfig& config, const storage::StreamInfo& stream);

// "shardId-" + the shard's creation time in ms (20 digits) + "-" + 8 hex digits derived from
// the stream and shard number: 37 characters.
std::string ShardIdOf(const storage::StreamInfo& stream, const storage::StreamShard& shard);
// The shard of `stream` with that id, or null.
const storage::StreamShard* FindShard(const storage::StreamInfo& stream, std::string_view id);

// Sequence numbers on the wire: 21 digits, zero padded. Parsing accepts 1..40 digits whose
// value fits 64 bits; nullopt otherwise.
std::string FormatSequence(uint64_t sequence);
std::optional<uint64_t> ParseSequence(std::string_view text);

// What a shard iterator carries: where reading resumes and when the iterator was issued.
struct ShardPosition {
  uint64_t stream_id = 0;
  uint32_t shard_number = 0;
  uint64_t sequence = 0;  // the next record to read has this sequence number or a later one
  int64_t issued_ms = 0;
};

// An opaque iterator: the stream ARN, "|1|", base64 of the position and a checksum. At most
// 2048 characters for any valid ARN.
std::string EncodeShardIterator(std::string_view stream_arn, const ShardPosition& position);
// nullopt for anything EncodeShardIterator did not make (malformed, altered).
std::optional<ShardPosition> DecodeShardIterator(std::string_view iterator);

// The Streams operations' Limit: at least 1 (a constraint violation), at most `max` (then
// `too_large`, each operation's own wording).
ApiResult<void> CheckStreamsLimit(std::optional<int64_t> limit, int64_t max,
                                  std::string_view too_large);

// One record of GetRecords' Records.
void WriteStreamRecord(JsonWriter& out, const ServiceConfig& config,
                       const storage::StreamInfo& stream, const storage::StreamRecord& record);

}  // namespace dunlin::api
