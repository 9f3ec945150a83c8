#include "storage/key_encoding.h"

#include <utility>

#include "storage/byte_io.h"
#include "storage/number_parts.h"

namespace dunlin::storage {
namespace {

constexpr uint8_t kEscapeByte = 0x00;
constexpr uint8_t kEscapedZero = 0xFF;
constexpr uint8_t kBytesTerminator = 0x01;

constexpr uint8_t kNumberNegative = 0x01;
constexpr uint8_t kNumberZero = 0x02;
constexpr uint8_t kNumberPositive = 0x03;
constexpr int kExponentBias = 0x8000;
constexpr uint8_t kDigitPairOffset = 1;
constexpr uint8_t kNumberTerminator = 0x00;

StorageError Corrupt(std::string message) {
  return StorageError{StorageError::Code::kCorruption, "corrupt storage key: " + message};
}

StorageError InvalidKey(std::string message) {
  return StorageError{StorageError::Code::kInvalidArgument, std::move(message)};
}

void AppendEscapedBytesOnly(std::string& out, std::string_view bytes) {
  for (char c : bytes) {
    out.push_back(c);
    if (static_cast<uint8_t>(c) == kEscapeByte) out.push_back(static_cast<char>(kEscapedZero));
  }
}

void AppendEscapedBytes(std::string& out, std::string_view bytes) {
  AppendEscapedBytesOnly(out, bytes);
  out.push_back(static_cast<char>(kEscapeByte));
  out.push_back(static_cast<char>(kBytesTerminator));
}

void AppendNumber(std::string& out, const model::Number& number) {
  if (number.is_zero()) {
    out.push_back(static_cast<char>(kNumberZero));
    return;
  }
  out.push_back(static_cast<char>(number.is_negative() ? kNumberNegative : kNumberPositive));
  const size_t body_start = out.size();
  const int biased = number.exponent() + kExponentBias;
  out.push_back(static_cast<char>((biased >> 8) & 0xFF));
  out.push_back(static_cast<char>(biased & 0xFF));
  AppendDigitPairs(out, number.digits(), kDigitPairOffset);
  out.push_back(static_cast<char>(kNumberTerminator));
  if (number.is_negative()) {
    for (size_t i = body_start; i < out.size(); ++i) out[i] = static_cast<char>(~out[i]);
  }
}

StorageResult<std::string> DecodeEscapedBytes(std::string_view& input) {
  std::string bytes;
  size_t i = 0;
  while (true) {
    if (i >= input.size()) return Fail(Corrupt("unterminated byte string"));
    const uint8_t c = static_cast<uint8_t>(input[i]);
    if (c != kEscapeByte) {
      bytes.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (i + 1 >= input.size()) return Fail(Corrupt("unterminated byte string"));
    const uint8_t next = static_cast<uint8_t>(input[i + 1]);
    i += 2;
    if (next == kEscapedZero) {
      bytes.push_back('\0');
    } else if (next == kBytesTerminator) {
      break;
    } else {
      return Fail(Corrupt("bad escape in byte string"));
    }
  }
  input.remove_prefix(i);
  return bytes;
}

StorageResult<model::Number> DecodeNumber(std::string_view& input) {
  ByteReader reader(input);
  uint8_t tag = 0;
  if (!reader.ReadByte(tag)) return Fail(Corrupt("missing number"));
  if (tag == kNumberZero) {
    input = reader.rest();
    return model::Number();
  }
  if (tag != kNumberNegative && tag != kNumberPositive) return Fail(Corrupt("bad number tag"));
  const bool negative = tag == kNumberNegative;
  const uint8_t flip = negative ? 0xFF : 0x00;
  uint8_t high = 0;
  uint8_t low = 0;
  if (!reader.ReadByte(high) || !reader.ReadByte(low)) return Fail(Corrupt("short number"));
  const int64_t exponent = ((high ^ flip) << 8 | (low ^ flip)) - int64_t{kExponentBias};
  std::string digits;
  while (true) {
    uint8_t byte = 0;
    if (!reader.ReadByte(byte)) return Fail(Corrupt("unterminated number"));
    byte ^= flip;
    if (byte == kNumberTerminator) break;
    if (!AppendDigitsOfPair(digits, byte, kDigitPairOffset)) {
      return Fail(Corrupt("bad digit pair"));
    }
  }
  // An odd digit count was padded with a final 0; canonical digits never end in 0.
  if (!digits.empty() && digits.back() == '0') digits.pop_back();
  std::optional<model::Number> number = NumberFromParts(negative, digits, exponent);
  if (!number) return Fail(Corrupt("non-canonical number"));
  input = reader.rest();
  return std::move(*number);
}

bool IsKeyType(model::AttributeType type) {
  return type == model::AttributeType::kS || type == model::AttributeType::kN ||
         type == model::AttributeType::kB;
}

StorageResult<void> CheckKeyValue(const model::AttributeValue* value,
                                  const model::KeyElement& element) {
  if (value == nullptr) return Fail(InvalidKey("missing key attribute " + element.name));
  if (value->type() != element.type) {
    return Fail(InvalidKey("key attribute " + element.name + " has the wrong type"));
  }
  return {};
}

}  // namespace

void AppendKeyValue(std::string& out, const model::AttributeValue& value) {
  switch (value.type()) {
    case model::AttributeType::kS:
      AppendEscapedBytes(out, value.as_string());
      return;
    case model::AttributeType::kB:
      AppendEscapedBytes(out, value.as_binary());
      return;
    case model::AttributeType::kN:
      AppendNumber(out, value.as_number());
      return;
    default:
      // Not a key type; callers check with the schema first.
      return;
  }
}

StorageResult<model::AttributeValue> DecodeKeyValue(std::string_view& input,
                                                    model::AttributeType type) {
  switch (type) {
    case model::AttributeType::kS: {
      DUNLIN_ASSIGN_OR_RETURN(std::string s, DecodeEscapedBytes(input));
      return model::AttributeValue::String(std::move(s));
    }
    case model::AttributeType::kB: {
      DUNLIN_ASSIGN_OR_RETURN(std::string b, DecodeEscapedBytes(input));
      return model::AttributeValue::Bytes(std::move(b));
    }
    case model::AttributeType::kN: {
      DUNLIN_ASSIGN_OR_RETURN(model::Number n, DecodeNumber(input));
      return model::AttributeValue::Num(std::move(n));
    }
    default:
      return Fail(Corrupt("schema key type is not S, N or B"));
  }
}

uint64_t Hash64(std::string_view bytes) {
  // 64-bit FNV-1a.
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  // MurmurHash3 fmix64: FNV-1a alone mixes its last bytes poorly into the high bits.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint32_t PartitionHash(std::string_view encoded_partition_key) {
  return static_cast<uint32_t>(Hash64(encoded_partition_key) >> 32);
}

std::string TablePrefix(uint64_t internal_id) {
  std::string prefix;
  AppendFixed64BigEndian(prefix, internal_id);
  return prefix;
}

void AppendKeyBytesPrefix(std::string& out, std::string_view bytes) {
  AppendEscapedBytesOnly(out, bytes);
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty() && static_cast<uint8_t>(out.back()) == 0xFF) out.pop_back();
  if (!out.empty()) out.back() = static_cast<char>(static_cast<uint8_t>(out.back()) + 1);
  return out;
}

StorageResult<std::string> EncodePartitionPrefix(const model::TableMetadata& table,
                                                 const model::AttributeValue& partition) {
  const model::KeyElement& element = table.key_schema.partition;
  DUNLIN_RETURN_IF_ERROR(CheckKeyValue(&partition, element));
  if (!IsKeyType(element.type)) return Fail(InvalidKey("partition key type"));
  std::string out;
  out.reserve(kStorageKeyHeaderBytes + 32);
  AppendFixed64BigEndian(out, table.internal_id);
  AppendFixed32BigEndian(out, 0);  // the hash, filled in below
  AppendKeyValue(out, partition);
  const uint32_t hash = PartitionHash(std::string_view(out).substr(kStorageKeyHeaderBytes));
  for (int i = 0; i < 4; ++i) {
    out[kTableIdBytes + i] = static_cast<char>((hash >> (8 * (3 - i))) & 0xFF);
  }
  return out;
}

StorageResult<std::string> EncodeStorageKey(const model::TableMetadata& table,
                                            const model::PrimaryKey& key) {
  const model::KeySchema& schema = table.key_schema;
  DUNLIN_RETURN_IF_ERROR(CheckKeyValue(key.partition, schema.partition));
  if (schema.sort) {
    DUNLIN_RETURN_IF_ERROR(CheckKeyValue(key.sort, *schema.sort));
    if (!IsKeyType(schema.sort->type)) return Fail(InvalidKey("sort key type"));
  }
  DUNLIN_ASSIGN_OR_RETURN(std::string out, EncodePartitionPrefix(table, *key.partition));
  if (schema.sort) AppendKeyValue(out, *key.sort);
  return out;
}

StorageResult<std::string> EncodeStorageKeyOfItem(const model::TableMetadata& table,
                                                  const model::Item& item) {
  model::PrimaryKey key;
  auto partition = item.find(table.key_schema.partition.name);
  if (partition != item.end()) key.partition = &partition->second;
  if (table.key_schema.sort) {
    auto sort = item.find(table.key_schema.sort->name);
    if (sort != item.end()) key.sort = &sort->second;
  }
  return EncodeStorageKey(table, key);
}

HashRange SegmentHashRange(uint32_t segment, uint32_t total_segments) {
  // The first h with floor(h * n / 2^32) >= s is ceil(s * 2^32 / n). s * 2^32 fits in 64 bits
  // because s < 2^32; the ceiling is taken without adding n - 1 to stay clear of overflow.
  auto first_hash_of = [total_segments](uint64_t s) -> uint64_t {
    if (s >= total_segments) return kHashSpace;
    const uint64_t scaled = s << 32;
    return scaled / total_segments + (scaled % total_segments != 0 ? 1 : 0);
  };
  return HashRange{first_hash_of(segment), first_hash_of(uint64_t{segment} + 1)};
}

StorageKeyRange StorageKeyRangeOf(uint64_t internal_id, const HashRange& range) {
  StorageKeyRange keys;
  keys.begin = TablePrefix(internal_id);
  AppendFixed32BigEndian(keys.begin, static_cast<uint32_t>(range.begin));
  if (range.end >= kHashSpace) {
    // Everything of this table: up to the next table's prefix.
    keys.end = TablePrefix(internal_id + 1);
  } else {
    keys.end = TablePrefix(internal_id);
    AppendFixed32BigEndian(keys.end, static_cast<uint32_t>(range.end));
  }
  return keys;
}

StorageResult<DecodedStorageKey> DecodeStorageKey(std::string_view key,
                                                  const model::KeySchema& schema) {
  ByteReader reader(key);
  DecodedStorageKey decoded;
  if (!reader.ReadFixed64BigEndian(decoded.internal_id) ||
      !reader.ReadFixed32BigEndian(decoded.hash)) {
    return Fail(Corrupt("shorter than its header"));
  }
  std::string_view rest = reader.rest();
  const std::string_view partition_start = rest;
  DUNLIN_ASSIGN_OR_RETURN(decoded.partition, DecodeKeyValue(rest, schema.partition.type));
  const std::string_view encoded_partition =
      partition_start.substr(0, partition_start.size() - rest.size());
  if (PartitionHash(encoded_partition) != decoded.hash) {
    return Fail(Corrupt("partition hash mismatch"));
  }
  if (schema.sort) {
    DUNLIN_ASSIGN_OR_RETURN(decoded.sort, DecodeKeyValue(rest, schema.sort->type));
  }
  if (!rest.empty()) return Fail(Corrupt("trailing bytes"));
  return decoded;
}

}  // namespace dunlin::storage
