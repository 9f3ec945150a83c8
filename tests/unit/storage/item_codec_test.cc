#include "storage/item_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeValue;
using model::Item;
using testing::B;
using testing::N;
using testing::Num;
using testing::S;

AttributeValue V(AttributeValue::Variant variant) { return AttributeValue(std::move(variant)); }

Item EveryType() {
  model::AttributeMap nested = {{"inner", N("-0.000123")}, {"empty", V(model::AttributeMap{})}};
  model::AttributeList list = {S("x"), N("0"), V(model::AttributeList{}), V(nested)};
  return Item{
      {"s", S("h\xc3\xa9llo")},
      {"empty_s", S("")},
      {"n", N("12345678901234567890123456789012345678")},
      {"n_small", N("-1E-130")},
      {"n_big", N("9.9999999999999999999999999999999999999E+125")},
      {"b", B(std::string("\x00\xff\x01", 3))},
      {"t", V(true)},
      {"f", V(false)},
      {"null", V(model::Null{})},
      {"m", V(nested)},
      {"l", V(list)},
      {"ss", V(model::StringSet{{"a", "b", "c"}})},
      {"ns", V(model::NumberSet{{Num("-5"), Num("0"), Num("1.5"), Num("1E10")}})},
      {"bs", V(model::BinarySet{{std::string("\x00", 1), "\x7f", "\xff"}})},
      {std::string("name\0with nul", 13), S("v")},
  };
}

TEST(ItemCodecTest, RoundTripsEveryType) {
  const Item item = EveryType();
  const std::string encoded = EncodeItem(item);
  EXPECT_EQ(static_cast<uint8_t>(encoded[0]), kItemFormatVersion);
  auto decoded = DecodeItem(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, item);
}

TEST(ItemCodecTest, EmptyItem) {
  EXPECT_EQ(EncodeItem(Item{}), std::string("\x01\x00", 2));
  auto decoded = DecodeItem(std::string("\x01\x00", 2));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->empty());
}

TEST(ItemCodecTest, NumbersAreCompact) {
  // Type byte, header (1 digit, positive), exponent 1 (zigzag 2), one pair byte.
  EXPECT_EQ(EncodeItem(Item{{"a", N("1")}}), std::string("\x01\x01\x01"
                                                         "a"
                                                         "\x02\x02\x02\x0a",
                                                         8));
  EXPECT_EQ(EncodeItem(Item{{"a", N("0")}}), std::string("\x01\x01\x01"
                                                         "a"
                                                         "\x02\x00",
                                                         6));
  // 38 digits take 19 pair bytes plus 3 bytes of type, header and exponent.
  std::string value;
  AppendAttributeValue(value, N("12345678901234567890123456789012345678"));
  EXPECT_EQ(value.size(), 22u);
}

TEST(ItemCodecTest, DeepNestingRoundTrips) {
  AttributeValue value = S("leaf");
  for (int i = 0; i < 32; ++i) {
    value = (i % 2 == 0) ? V(model::AttributeList{value}) : V(model::AttributeMap{{"k", value}});
  }
  const Item item = {{"deep", value}};
  auto decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, item);
}

TEST(ItemCodecTest, RejectsNestingBeyondTheLimit) {
  std::string bytes(
      "\x01\x01\x01"
      "a",
      4);
  for (int i = 0; i < kMaxDecodeDepth + 1; ++i) bytes.append("\x08\x01", 2);  // L of one
  bytes.push_back('\x06');                                                    // NULL
  auto decoded = DecodeItem(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, StorageError::Code::kCorruption);
  EXPECT_NE(decoded.error().message.find("nesting"), std::string::npos);
}

TEST(ItemCodecTest, UnsortedSetsAreNormalizedWhenEncoded) {
  const Item item = {{"ss", V(model::StringSet{{"b", "a", "b"}})},
                     {"ns", V(model::NumberSet{{Num("10"), Num("9"), Num("1E1")}})}};
  auto decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->at("ss"), V(model::StringSet{{"a", "b"}}));
  EXPECT_EQ(decoded->at("ns"), V(model::NumberSet{{Num("9"), Num("10")}}));
}

TEST(ItemCodecTest, RejectsInvalidBytes) {
  auto expect_corrupt = [](std::string bytes, std::string_view why) {
    auto decoded = DecodeItem(bytes);
    ASSERT_FALSE(decoded.ok()) << why;
    EXPECT_EQ(decoded.error().code, StorageError::Code::kCorruption) << why;
  };
  expect_corrupt("", "empty");
  expect_corrupt(std::string("\x02\x00", 2), "unknown format version");
  expect_corrupt(std::string("\x01\x00x", 3), "trailing bytes");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x0c",
                             5),
                 "unknown type byte");
  expect_corrupt(std::string("\x01\x02\x01"
                             "b"
                             "\x06\x01"
                             "a"
                             "\x06",
                             8),
                 "names out of order");
  expect_corrupt(std::string("\x01\x02\x01"
                             "a"
                             "\x06\x01"
                             "a"
                             "\x06",
                             8),
                 "duplicate names");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x09\x00",
                             6),
                 "empty set");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x09\x02\x01"
                             "b"
                             "\x01"
                             "a",
                             10),
                 "set out of order");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x02\x02\x02\x0a\x00",
                             9),
                 "trailing");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x02\x02\x02\x64",
                             8),
                 "bad digit pair");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x02\x04\x02",
                             7),
                 "truncated digits");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x02\x04\x02\x0a",
                             8),
                 "trailing zero digit");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x02\x03\x02\x0b",
                             8),
                 "bad odd padding");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x02\x02\xe8\x07\x0a",
                             9),
                 "exponent range");
  expect_corrupt(std::string("\x01\x01\x81\x00"
                             "a"
                             "\x06",
                             6),
                 "non-minimal varint");
  expect_corrupt(std::string("\x01\xff\xff\xff\xff\x0f", 6), "huge count");
  expect_corrupt(std::string("\x01\x01\x01"
                             "a"
                             "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
                             15),
                 "overlong varint");
}

TEST(ItemCodecTest, EveryTruncationIsRejected) {
  const std::string encoded = EncodeItem(EveryType());
  for (size_t size = 0; size < encoded.size(); ++size) {
    auto decoded = DecodeItem(std::string_view(encoded).substr(0, size));
    ASSERT_FALSE(decoded.ok()) << size;
    EXPECT_EQ(decoded.error().code, StorageError::Code::kCorruption);
  }
}

// Random and mutated buffers must decode to an error or a valid item, never crash; whatever
// decodes must re-encode to the same bytes (the encoding is canonical).
TEST(ItemCodecTest, FuzzedBuffersNeverCrash) {
  std::mt19937 rng(12345);
  auto byte = [&rng] { return static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng)); };
  const std::string valid = EncodeItem(EveryType());
  int decoded_ok = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string bytes;
    switch (i % 3) {
      case 0: {
        const int size = std::uniform_int_distribution<int>(0, 64)(rng);
        bytes.push_back('\x01');
        for (int j = 0; j < size; ++j) bytes.push_back(byte());
        break;
      }
      case 1: {
        bytes = valid;
        const int flips = std::uniform_int_distribution<int>(1, 4)(rng);
        for (int j = 0; j < flips; ++j) {
          bytes[std::uniform_int_distribution<size_t>(0, bytes.size() - 1)(rng)] = byte();
        }
        break;
      }
      default:
        bytes = valid.substr(0, std::uniform_int_distribution<size_t>(0, valid.size())(rng));
        if (!bytes.empty()) bytes.back() = byte();
        break;
    }
    auto decoded = DecodeItem(bytes);
    if (decoded.ok()) {
      ++decoded_ok;
      EXPECT_EQ(EncodeItem(*decoded), bytes);
    } else {
      EXPECT_EQ(decoded.error().code, StorageError::Code::kCorruption);
    }
  }
  RecordProperty("decoded_ok", decoded_ok);
}

TEST(ItemCodecTest, DecodeAttributeValueAdvancesPastTheValue) {
  std::string bytes;
  AppendAttributeValue(bytes, V(model::AttributeList{S("a"), N("-7")}));
  AppendAttributeValue(bytes, V(true));
  std::string_view input = bytes;
  auto first = DecodeAttributeValue(input);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, V(model::AttributeList{S("a"), N("-7")}));
  auto second = DecodeAttributeValue(input);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, V(true));
  EXPECT_TRUE(input.empty());
}

}  // namespace
}  // namespace dunlin::storage
