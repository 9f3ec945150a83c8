#include "api/stream_wire.h"

#include <fmt/format.h>

#include "api/stream_settings.h"
#include "common/base64.h"
#include "model/json_codec.h"

namespace dunlin::api {
namespace {

constexpr std::string_view kIteratorVersion = "|1|";
constexpr size_t kIteratorPayloadBytes = 8 + 4 + 8 + 8;
// Iterators are checked, not secret: the checksum only catches altered or made-up ones.
constexpr uint64_t kIteratorSalt = 0x64756e6c696e5354ULL;

uint64_t Fnv1a64(std::string_view bytes, uint64_t seed) {
  uint64_t hash = 0xcbf29ce484222325ULL ^ seed;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void AppendFixed(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

uint64_t LoadFixed(std::string_view bytes, size_t at, int count) {
  uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

std::string_view EventName(storage::StreamRecord::Event event) {
  switch (event) {
    case storage::StreamRecord::Event::kInsert:
      return "INSERT";
    case storage::StreamRecord::Event::kModify:
      return "MODIFY";
    case storage::StreamRecord::Event::kRemove:
      return "REMOVE";
  }
  return "MODIFY";
}

}  // namespace

ApiResult<void> CheckStreamsLimit(std::optional<int64_t> limit, int64_t max,
                                  std::string_view too_large) {
  if (limit && *limit < 1) {
    Violations violations;
    violations.MinValue(*limit, "limit", 1);
    return violations.Check();
  }
  if (limit && *limit > max) {
    return Fail(ApiError::Validation("One or more parameter values were invalid: " +
                                     std::string(too_large)));
  }
  return {};
}

std::string StreamArnOf(const ServiceConfig& config, const storage::StreamInfo& stream) {
  return StreamArn(config, stream.table_name, stream.label);
}

const storage::StreamInfo* FindStreamByArn(const std::vector<storage::StreamInfo>& streams,
                                           const ServiceConfig& config, std::string_view arn) {
  for (const storage::StreamInfo& stream : streams) {
    if (StreamArnOf(config, stream) == arn) return &stream;
  }
  return nullptr;
}

std::string ShardIdOf(const storage::StreamInfo& stream, const storage::StreamShard& shard) {
  std::string seed = fmt::format("{}/{}", stream.stream_id, shard.number);
  const uint32_t tag = static_cast<uint32_t>(Fnv1a64(seed, 0));
  return fmt::format("shardId-{:020}-{:08x}", shard.created_ms, tag);
}

const storage::StreamShard* FindShard(const storage::StreamInfo& stream, std::string_view id) {
  for (const storage::StreamShard& shard : stream.shards) {
    if (ShardIdOf(stream, shard) == id) return &shard;
  }
  return nullptr;
}

std::string FormatSequence(uint64_t sequence) { return fmt::format("{:021}", sequence); }

std::optional<uint64_t> ParseSequence(std::string_view text) {
  if (text.empty() || text.size() > 40) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::string EncodeShardIterator(std::string_view stream_arn, const ShardPosition& position) {
  std::string payload;
  AppendFixed(payload, position.stream_id, 8);
  AppendFixed(payload, position.shard_number, 4);
  AppendFixed(payload, position.sequence, 8);
  AppendFixed(payload, static_cast<uint64_t>(position.issued_ms), 8);
  std::string arn_and_payload(stream_arn);
  arn_and_payload += payload;
  AppendFixed(payload, Fnv1a64(arn_and_payload, kIteratorSalt), 8);
  std::string out(stream_arn);
  out += kIteratorVersion;
  out += Base64Encode(payload);
  return out;
}

std::optional<ShardPosition> DecodeShardIterator(std::string_view iterator) {
  const size_t bar = iterator.rfind(kIteratorVersion);
  if (bar == std::string_view::npos) return std::nullopt;
  const std::string_view arn = iterator.substr(0, bar);
  auto payload = Base64Decode(iterator.substr(bar + kIteratorVersion.size()));
  if (!payload || payload->size() != kIteratorPayloadBytes + 8) return std::nullopt;
  std::string arn_and_payload(arn);
  arn_and_payload.append(*payload, 0, kIteratorPayloadBytes);
  if (Fnv1a64(arn_and_payload, kIteratorSalt) != LoadFixed(*payload, kIteratorPayloadBytes, 8)) {
    return std::nullopt;
  }
  ShardPosition position;
  position.stream_id = LoadFixed(*payload, 0, 8);
  position.shard_number = static_cast<uint32_t>(LoadFixed(*payload, 8, 4));
  position.sequence = LoadFixed(*payload, 12, 8);
  position.issued_ms = static_cast<int64_t>(LoadFixed(*payload, 20, 8));
  return position;
}

void WriteStreamRecord(JsonWriter& out, const ServiceConfig& config,
                       const storage::StreamInfo& stream, const storage::StreamRecord& record) {
  out.BeginObject();
  out.Key("eventID");
  // Unique per record and stable across reads: derived from the stream and sequence number.
  const std::string seed = fmt::format("{}/{}", stream.stream_id, record.sequence);
  const uint64_t high = Fnv1a64(seed, 1);
  const uint64_t low = Fnv1a64(seed, 2);
  out.String(fmt::format("{:016x}{:016x}", high, low));
  out.Key("eventName");
  out.String(EventName(record.event));
  out.Key("eventVersion");
  out.String("1.1");
  out.Key("eventSource");
  out.String("aws:dynamodb");
  out.Key("awsRegion");
  out.String(config.region);
  out.Key("dynamodb");
  out.BeginObject();
  out.Key("ApproximateCreationDateTime");
  // Rounded down to the second (API_streams_StreamRecord).
  out.Int(record.created_ms / 1000);
  out.Key("Keys");
  model::WriteAttributeMap(out, record.keys);
  if (record.new_image) {
    out.Key("NewImage");
    model::WriteAttributeMap(out, *record.new_image);
  }
  if (record.old_image) {
    out.Key("OldImage");
    model::WriteAttributeMap(out, *record.old_image);
  }
  out.Key("SequenceNumber");
  out.String(FormatSequence(record.sequence));
  out.Key("SizeBytes");
  out.Int(record.size_bytes);
  out.Key("StreamViewType");
  out.String(StreamViewTypeName(stream.view_type));
  out.EndObject();
  if (record.by_service) {
    // API_streams_Identity: a Time to Live deletion.
    out.Key("userIdentity");
    out.BeginObject();
    out.Key("PrincipalId");
    out.String("dynamodb.amazonaws.com");
    out.Key("Type");
    out.String("Service");
    out.EndObject();
  }
  out.EndObject();
}

}  // namespace dunlin::api
