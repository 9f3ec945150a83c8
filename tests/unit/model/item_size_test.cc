// Each case follows one rule of the Developer Guide's "Item sizes and formats" page, with the
// byte counts confirmed by probing DynamoDB Local's 409,600-byte item limit.
#include "model/item_size.h"

#include <gtest/gtest.h>

#include <string>

namespace dunlin::model {
namespace {

AttributeValue Num(std::string_view text) { return AttributeValue::Num(*Number::Parse(text)); }

TEST(ItemSizeTest, Scalars) {
  // Strings: UTF-8 bytes of name plus UTF-8 bytes of value.
  EXPECT_EQ(ItemSize({{"a", AttributeValue::String("abc")}}), 4u);
  EXPECT_EQ(ItemSize({{"\xc3\xa9", AttributeValue::String("\xc3\xa9")}}), 4u);
  EXPECT_EQ(ItemSize({{"b", AttributeValue::String("")}}), 1u);
  // Binary: raw bytes, not the base64 text.
  EXPECT_EQ(ItemSize({{"b", AttributeValue::Bytes("abc")}}), 4u);
  EXPECT_EQ(ItemSize({{"b", AttributeValue::Bytes("")}}), 1u);
  // Null and Boolean: 1 byte.
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(true))}}), 2u);
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(Null{}))}}), 2u);
  // Numbers: 1 byte per two significant digits plus 1 (see Number::SizeBytes for the exact rule).
  EXPECT_EQ(ItemSize({{"n", Num("12345")}}), 5u);
  EXPECT_EQ(ItemSize({{"n", Num("1.5")}}), 4u);
  EXPECT_EQ(ItemSize({{"n", Num("-1")}}), 4u);
  EXPECT_EQ(ItemSize({{"n", Num("0")}}), 2u);
}

TEST(ItemSizeTest, Containers) {
  // An empty List or Map is 3 bytes.
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(AttributeMap{}))}}), 4u);
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(AttributeList{}))}}), 4u);
  // Each element adds its size and 1 byte; map keys count like attribute names.
  AttributeList list{AttributeValue::String("ab"), Num("1")};
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(list))}}), 10u);
  AttributeMap map{{"xy", AttributeValue::String("ab")}};
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(map))}}), 9u);
  AttributeMap nested{{"xy", AttributeValue(AttributeValue::Variant(AttributeMap{}))}};
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(nested))}}), 10u);
  AttributeList nested_list{AttributeValue(AttributeValue::Variant(AttributeList{}))};
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(nested_list))}}), 8u);
}

TEST(ItemSizeTest, SetsAreTheSumOfTheirElements) {
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(StringSet{{"ab", "c"}}))}}), 4u);
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(
                                NumberSet{{*Number::Parse("1"), *Number::Parse("12345")}}))}}),
            7u);
  EXPECT_EQ(ItemSize({{"b", AttributeValue(AttributeValue::Variant(BinarySet{{"a", "ab"}}))}}), 4u);
}

TEST(ItemSizeTest, AttributeValueSizeHasNoName) {
  EXPECT_EQ(AttributeValueSize(AttributeValue::String("abc")), 3u);
  EXPECT_EQ(AttributeValueSize(Num("12")), 2u);
}

TEST(ItemSizeTest, LimitIsInclusive) {
  // DynamoDB Local accepts {"pk":"k","p":<409,596 bytes>} (409,600 bytes) and rejects one more.
  Item item{{"pk", AttributeValue::String("k")},
            {"p", AttributeValue::String(std::string(409596, 'x'))}};
  EXPECT_EQ(ItemSize(item), kMaxItemSizeBytes);
  item["p"] = AttributeValue::String(std::string(409597, 'x'));
  EXPECT_GT(ItemSize(item), kMaxItemSizeBytes);
}

}  // namespace
}  // namespace dunlin::model
