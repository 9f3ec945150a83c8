#include "common/java_hash.h"

#include <gtest/gtest.h>

namespace dunlin {
namespace {

TEST(JavaHashTest, HashesAsStringHashCode) {
  EXPECT_EQ(JavaStringHash(""), 0u);
  EXPECT_EQ(JavaStringHash("#z"), 1207u);
  EXPECT_EQ(JavaStringHash("hello"), 99162322u);
  // Overflow wraps: "polygenelubricants".hashCode() is Integer.MIN_VALUE.
  EXPECT_EQ(JavaStringHash("polygenelubricants"), 0x80000000u);
}

TEST(JavaHashTest, HashesUtf16CodeUnits) {
  EXPECT_EQ(JavaStringHash("\xc3\xa9"), 233u);  // U+00E9, one unit
  // U+1F600 is the surrogate pair D83D DE00.
  EXPECT_EQ(JavaStringHash("\xf0\x9f\x98\x80"), 0xD83Du * 31 + 0xDE00u);
  // A stray continuation byte counts as one unit of its own value.
  EXPECT_EQ(JavaStringHash("\x80"), 0x80u);
}

TEST(JavaHashTest, BucketsSpreadTheHighBits) {
  // 99162322 = 0x05E918D2: (h ^ (h >>> 16)) & 15 = (0xD2 ^ 0xE9) & 15 = 0xB.
  EXPECT_EQ(JavaHashBucket("hello", 16), 0xBu);
  EXPECT_EQ(JavaHashBucket("#z", 16), 7u);
  EXPECT_EQ(JavaHashBucket("#z", 1), 0u);
}

TEST(JavaHashTest, Capacities) {
  EXPECT_EQ(JavaDefaultCapacity(0), 16u);
  EXPECT_EQ(JavaDefaultCapacity(12), 16u);
  EXPECT_EQ(JavaDefaultCapacity(13), 32u);
  EXPECT_EQ(JavaDefaultCapacity(25), 64u);
  EXPECT_EQ(JavaPresizedCapacity(1), 2u);
  EXPECT_EQ(JavaPresizedCapacity(2), 4u);
  EXPECT_EQ(JavaPresizedCapacity(3), 4u);
  EXPECT_EQ(JavaPresizedCapacity(6), 8u);
  EXPECT_EQ(JavaPresizedCapacity(7), 16u);
}

}  // namespace
}  // namespace dunlin
