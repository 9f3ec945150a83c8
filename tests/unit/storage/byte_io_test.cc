#include "storage/byte_io.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace dunlin::storage {
namespace {

TEST(ByteIoTest, VarintsRoundTripAtEveryLength) {
  for (int bits = 0; bits <= 64; ++bits) {
    for (uint64_t value : {bits == 0 ? 0 : (uint64_t{1} << (bits - 1)),
                           bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1}) {
      std::string bytes;
      AppendVarint64(bytes, value);
      EXPECT_LE(bytes.size(), kMaxVarint64Bytes);
      ByteReader reader(bytes);
      uint64_t decoded = 0;
      ASSERT_TRUE(reader.ReadVarint64(decoded)) << value;
      EXPECT_EQ(decoded, value);
      EXPECT_TRUE(reader.empty());
    }
  }
}

TEST(ByteIoTest, ZigZagKeepsSmallMagnitudesSmall) {
  EXPECT_EQ(ZigZagEncode64(0), 0u);
  EXPECT_EQ(ZigZagEncode64(-1), 1u);
  EXPECT_EQ(ZigZagEncode64(1), 2u);
  EXPECT_EQ(ZigZagEncode64(-2), 3u);
  for (int64_t v : {std::numeric_limits<int64_t>::min(), int64_t{-130}, int64_t{126},
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(ZigZagDecode64(ZigZagEncode64(v)), v);
  }
}

TEST(ByteIoTest, RejectsMalformedVarints) {
  uint64_t value = 0;
  // Truncated.
  EXPECT_FALSE(ByteReader(std::string("\x80", 1)).ReadVarint64(value));
  // Non-minimal: 0 written in two bytes.
  EXPECT_FALSE(ByteReader(std::string("\x80\x00", 2)).ReadVarint64(value));
  // More than 64 bits.
  EXPECT_FALSE(
      ByteReader(std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 10)).ReadVarint64(value));
  // More than 10 bytes.
  EXPECT_FALSE(ByteReader(std::string(10, '\x80') + "\x01").ReadVarint64(value));
  uint32_t small = 0;
  EXPECT_FALSE(ByteReader(std::string("\x80\x80\x80\x80\x10", 5)).ReadVarint32(small));
}

TEST(ByteIoTest, BigEndianAndLengthPrefixed) {
  std::string bytes;
  AppendFixed32BigEndian(bytes, 0x01020304);
  AppendFixed64BigEndian(bytes, 0x05060708090a0b0c);
  AppendLengthPrefixed(bytes, "xyz");
  EXPECT_EQ(bytes, std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x03xyz", 16));
  ByteReader reader(bytes);
  uint32_t a = 0;
  uint64_t b = 0;
  std::string_view c;
  ASSERT_TRUE(reader.ReadFixed32BigEndian(a));
  ASSERT_TRUE(reader.ReadFixed64BigEndian(b));
  ASSERT_TRUE(reader.ReadLengthPrefixed(c));
  EXPECT_EQ(a, 0x01020304u);
  EXPECT_EQ(b, 0x05060708090a0b0cu);
  EXPECT_EQ(c, "xyz");
  EXPECT_TRUE(reader.empty());
  // A length past the end is refused.
  EXPECT_FALSE(ByteReader(std::string("\x05xy", 3)).ReadLengthPrefixed(c));
}

}  // namespace
}  // namespace dunlin::storage
