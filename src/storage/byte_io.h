// Byte-level helpers shared by the storage encodings: big-endian fixed-width integers, LEB128
// varints, zigzag for signed values, and a bounds-checked reader.
//
// Every decoder in storage/ reads through ByteReader, whose methods return false (and consume
// nothing further) instead of reading past the end, so corrupt input can never make a decoder
// read out of bounds. docs/storage-format.md describes where each form is used.
//
// Thread-safety: free functions are pure; a ByteReader is a plain value used from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dunlin::storage {

// The longest LEB128 encoding of a uint64_t.
inline constexpr size_t kMaxVarint64Bytes = 10;

// Appends `value` as 4 or 8 bytes, most significant first (so byte order equals numeric order).
void AppendFixed32BigEndian(std::string& out, uint32_t value);
void AppendFixed64BigEndian(std::string& out, uint64_t value);

// REQUIRES: `bytes` holds at least 4 (resp. 8) bytes; reads the first ones.
uint32_t LoadFixed32BigEndian(std::string_view bytes);
uint64_t LoadFixed64BigEndian(std::string_view bytes);

// Appends `value` as an unsigned LEB128 varint: 7 bits per byte, least significant group first,
// high bit set on every byte but the last.
void AppendVarint64(std::string& out, uint64_t value);

// Zigzag maps signed to unsigned so that small magnitudes stay short: 0, -1, 1, -2 -> 0, 1, 2, 3.
inline uint64_t ZigZagEncode64(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}
inline int64_t ZigZagDecode64(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

inline void AppendSignedVarint64(std::string& out, int64_t value) {
  AppendVarint64(out, ZigZagEncode64(value));
}

// Appends varint(size) followed by the bytes.
void AppendLengthPrefixed(std::string& out, std::string_view bytes);

// A cursor over a byte string. Each Read* returns false when the input is too short or
// malformed; the reader's position is then unspecified and the caller should give up.
// The string_views it hands out borrow from the input.
class ByteReader {
 public:
  explicit ByteReader(std::string_view input) : rest_(input) {}

  bool empty() const { return rest_.empty(); }
  size_t remaining() const { return rest_.size(); }
  std::string_view rest() const { return rest_; }

  bool ReadByte(uint8_t& value);
  // Reads one byte without consuming it.
  bool PeekByte(uint8_t& value) const;
  bool ReadFixed32BigEndian(uint32_t& value);
  bool ReadFixed64BigEndian(uint64_t& value);
  // Rejects encodings longer than 10 bytes, ones that overflow 64 bits, and non-minimal ones
  // (a redundant zero final group), so every value has exactly one accepted encoding.
  bool ReadVarint64(uint64_t& value);
  bool ReadSignedVarint64(int64_t& value);
  // Reads a varint and checks that it fits in 32 bits.
  bool ReadVarint32(uint32_t& value);
  bool ReadBytes(size_t count, std::string_view& bytes);
  // Reads varint(size) then that many bytes.
  bool ReadLengthPrefixed(std::string_view& bytes);
  bool Skip(size_t count);

 private:
  std::string_view rest_;
};

}  // namespace dunlin::storage
