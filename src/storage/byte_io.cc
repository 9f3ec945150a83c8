#include "storage/byte_io.h"

namespace dunlin::storage {

void AppendFixed32BigEndian(std::string& out, uint32_t value) {
  char buf[4];
  for (int i = 3; i >= 0; --i) {
    buf[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  out.append(buf, sizeof(buf));
}

void AppendFixed64BigEndian(std::string& out, uint64_t value) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  out.append(buf, sizeof(buf));
}

uint32_t LoadFixed32BigEndian(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

uint64_t LoadFixed64BigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

void AppendVarint64(std::string& out, uint64_t value) {
  char buf[kMaxVarint64Bytes];
  size_t n = 0;
  while (value >= 0x80) {
    buf[n++] = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  buf[n++] = static_cast<char>(value);
  out.append(buf, n);
}

void AppendLengthPrefixed(std::string& out, std::string_view bytes) {
  AppendVarint64(out, bytes.size());
  out.append(bytes);
}

bool ByteReader::ReadByte(uint8_t& value) {
  if (rest_.empty()) return false;
  value = static_cast<uint8_t>(rest_[0]);
  rest_.remove_prefix(1);
  return true;
}

bool ByteReader::PeekByte(uint8_t& value) const {
  if (rest_.empty()) return false;
  value = static_cast<uint8_t>(rest_[0]);
  return true;
}

bool ByteReader::ReadFixed32BigEndian(uint32_t& value) {
  if (rest_.size() < 4) return false;
  value = LoadFixed32BigEndian(rest_);
  rest_.remove_prefix(4);
  return true;
}

bool ByteReader::ReadFixed64BigEndian(uint64_t& value) {
  if (rest_.size() < 8) return false;
  value = LoadFixed64BigEndian(rest_);
  rest_.remove_prefix(8);
  return true;
}

bool ByteReader::ReadVarint64(uint64_t& value) {
  uint64_t result = 0;
  for (size_t i = 0; i < kMaxVarint64Bytes; ++i) {
    if (i >= rest_.size()) return false;
    const uint8_t byte = static_cast<uint8_t>(rest_[i]);
    const uint64_t group = byte & 0x7F;
    // The tenth byte may only carry the single remaining bit.
    if (i == kMaxVarint64Bytes - 1 && group > 1) return false;
    result |= group << (7 * i);
    if ((byte & 0x80) == 0) {
      // A zero final group after the first byte is a redundant, non-canonical encoding.
      if (byte == 0 && i > 0) return false;
      rest_.remove_prefix(i + 1);
      value = result;
      return true;
    }
  }
  return false;
}

bool ByteReader::ReadSignedVarint64(int64_t& value) {
  uint64_t raw = 0;
  if (!ReadVarint64(raw)) return false;
  value = ZigZagDecode64(raw);
  return true;
}

bool ByteReader::ReadVarint32(uint32_t& value) {
  uint64_t raw = 0;
  if (!ReadVarint64(raw) || raw > UINT32_MAX) return false;
  value = static_cast<uint32_t>(raw);
  return true;
}

bool ByteReader::ReadBytes(size_t count, std::string_view& bytes) {
  if (rest_.size() < count) return false;
  bytes = rest_.substr(0, count);
  rest_.remove_prefix(count);
  return true;
}

bool ByteReader::ReadLengthPrefixed(std::string_view& bytes) {
  uint64_t size = 0;
  if (!ReadVarint64(size) || size > rest_.size()) return false;
  return ReadBytes(static_cast<size_t>(size), bytes);
}

bool ByteReader::Skip(size_t count) {
  if (rest_.size() < count) return false;
  rest_.remove_prefix(count);
  return true;
}

}  // namespace dunlin::storage
