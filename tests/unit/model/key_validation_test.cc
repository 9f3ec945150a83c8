// Wordings and check order from DynamoDB Local with a table keyed pk (S) + sk (N).
#include "model/key_validation.h"

#include <gtest/gtest.h>

#include <string>

namespace dunlin::model {
namespace {

constexpr char kMissing[] = "One of the required keys was not given a value";
constexpr char kCount[] = "The number of conditions on the keys is invalid";
constexpr char kNotScalar[] = "Invalid attribute value type";
constexpr char kTooLong[] =
    "Hash primary key values must be under 2048 bytes, and range primary key values must be "
    "under 1024 bytes";

KeySchema CompositeSchema() {
  return KeySchema{KeyElement{"pk", AttributeType::kS}, KeyElement{"sk", AttributeType::kN}};
}
KeySchema HashSchema() { return KeySchema{KeyElement{"pk", AttributeType::kS}, std::nullopt}; }
KeySchema BinarySchema() {
  return KeySchema{KeyElement{"pk", AttributeType::kB}, KeyElement{"sk", AttributeType::kB}};
}

AttributeValue S(std::string s) { return AttributeValue::String(std::move(s)); }
AttributeValue N(std::string_view text) { return AttributeValue::Num(*Number::Parse(text)); }
AttributeValue B(std::string bytes) { return AttributeValue::Bytes(std::move(bytes)); }
AttributeValue SS(std::string s) { return AttributeValue(AttributeValue::Variant(StringSet{{s}})); }

std::string ItemError(const Item& item, const KeySchema& schema) {
  auto key = ExtractItemKey(item, schema);
  if (key.ok()) return "ok";
  EXPECT_EQ(key.error().kind, ModelError::Kind::kValidation);
  return key.error().message;
}

std::string KeyError(const AttributeMap& key, const KeySchema& schema) {
  auto result = ValidateKeyParameter(key, schema);
  if (result.ok()) return "ok";
  EXPECT_EQ(result.error().kind, ModelError::Kind::kValidation);
  return result.error().message;
}

TEST(ExtractItemKeyTest, ReturnsBorrowedKey) {
  Item item{{"pk", S("a")}, {"sk", N("1")}, {"x", S("")}};
  auto key = ExtractItemKey(item, CompositeSchema());
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->partition, &item.at("pk"));
  EXPECT_EQ(key->sort, &item.at("sk"));
  auto hash_key = ExtractItemKey(item, HashSchema());
  ASSERT_TRUE(hash_key.ok());
  EXPECT_EQ(hash_key->sort, nullptr);
}

TEST(ExtractItemKeyTest, MissingKeys) {
  EXPECT_EQ(ItemError({{"sk", N("1")}}, CompositeSchema()), kMissing);
  EXPECT_EQ(ItemError({{"pk", S("a")}}, CompositeSchema()), kMissing);
  EXPECT_EQ(ItemError({{"a", S("a")}}, CompositeSchema()), kMissing);
  EXPECT_EQ(ItemError({}, HashSchema()), kMissing);
  EXPECT_EQ(ItemError({{"sk", S("x")}}, CompositeSchema()), kMissing);
}

TEST(ExtractItemKeyTest, Types) {
  EXPECT_EQ(ItemError({{"pk", N("1")}, {"sk", N("1")}}, CompositeSchema()),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S "
            "actual: N");
  EXPECT_EQ(ItemError({{"pk", S("a")}, {"sk", S("1")}}, CompositeSchema()),
            "One or more parameter values were invalid: Type mismatch for key sk expected: N "
            "actual: S");
  EXPECT_EQ(ItemError({{"pk", SS("a")}, {"sk", N("1")}}, CompositeSchema()), kNotScalar);
  EXPECT_EQ(
      ItemError({{"pk", AttributeValue(AttributeValue::Variant(AttributeMap{}))}, {"sk", N("1")}},
                CompositeSchema()),
      kNotScalar);
  EXPECT_EQ(ItemError({{"pk", AttributeValue()}, {"sk", N("1")}}, CompositeSchema()), kNotScalar);
  EXPECT_EQ(ItemError({{"pk", S("a")}, {"sk", AttributeValue()}}, CompositeSchema()), kNotScalar);
}

TEST(ExtractItemKeyTest, EmptyValuesNameTheKey) {
  EXPECT_EQ(ItemError({{"pk", S("")}, {"sk", N("1")}}, CompositeSchema()),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: pk");
  EXPECT_EQ(ItemError({{"pk", B("")}, {"sk", B("a")}}, BinarySchema()),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty binary value. Key: pk");
  EXPECT_EQ(ItemError({{"pk", B("a")}, {"sk", B("")}}, BinarySchema()),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty binary value. Key: sk");
}

TEST(ExtractItemKeyTest, Lengths) {
  EXPECT_EQ(ItemError({{"pk", S(std::string(2048, 'a'))}, {"sk", N("1")}}, CompositeSchema()),
            "ok");
  EXPECT_EQ(ItemError({{"pk", S(std::string(2049, 'a'))}, {"sk", N("1")}}, CompositeSchema()),
            kTooLong);
  // Bytes, not characters: 1025 two-byte characters.
  std::string accents;
  for (int i = 0; i < 1025; ++i) accents += "\xc3\xa9";
  EXPECT_EQ(ItemError({{"pk", S(accents)}}, HashSchema()), kTooLong);
  EXPECT_EQ(ItemError({{"pk", B(std::string(2048, 'a'))}, {"sk", B(std::string(1024, 'a'))}},
                      BinarySchema()),
            "ok");
  EXPECT_EQ(ItemError({{"pk", B(std::string(2049, 'a'))}, {"sk", B("a")}}, BinarySchema()),
            kTooLong);
  EXPECT_EQ(ItemError({{"pk", B("a")}, {"sk", B(std::string(1025, 'a'))}}, BinarySchema()),
            kTooLong);
}

TEST(ExtractItemKeyTest, PartitionKeyIsCheckedFirst) {
  EXPECT_EQ(ItemError({{"pk", S(std::string(2049, 'a'))}}, CompositeSchema()), kTooLong);
  EXPECT_EQ(ItemError({{"pk", S("")}}, CompositeSchema()),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: pk");
  EXPECT_EQ(ItemError({{"pk", N("1")}, {"sk", SS("1")}}, CompositeSchema()),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S "
            "actual: N");
  EXPECT_EQ(ItemError({{"pk", S(std::string(2049, 'a'))}, {"sk", SS("1")}}, CompositeSchema()),
            kTooLong);
  EXPECT_EQ(ItemError({{"pk", S("a")}, {"sk", SS("1")}}, CompositeSchema()), kNotScalar);
}

TEST(ValidateKeyParameterTest, Counts) {
  EXPECT_EQ(KeyError({{"pk", S("a")}, {"sk", N("1")}}, CompositeSchema()), "ok");
  EXPECT_EQ(KeyError({{"pk", S("a")}}, CompositeSchema()), kCount);
  EXPECT_EQ(KeyError({{"sk", N("1")}}, CompositeSchema()), kCount);
  EXPECT_EQ(KeyError({}, CompositeSchema()), kCount);
  EXPECT_EQ(KeyError({{"pk", S("a")}, {"sk", N("1")}, {"x", S("1")}}, CompositeSchema()), kCount);
  EXPECT_EQ(KeyError({{"pk", S("a")}, {"x", S("1")}}, HashSchema()), kCount);
  EXPECT_EQ(KeyError({{"pk", S("a")}, {"sk", S("1")}}, HashSchema()), kCount);
  EXPECT_EQ(KeyError({}, HashSchema()), kCount);
  // The right count with a wrong name is a missing key.
  EXPECT_EQ(KeyError({{"pk", S("a")}, {"x", S("1")}}, CompositeSchema()), kMissing);
  EXPECT_EQ(KeyError({{"x", S("1")}, {"y", S("1")}}, CompositeSchema()), kMissing);
}

TEST(ValidateKeyParameterTest, ValuesAreCheckedLikeItems) {
  EXPECT_EQ(KeyError({{"pk", N("1")}, {"sk", N("1")}}, CompositeSchema()),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S "
            "actual: N");
  EXPECT_EQ(KeyError({{"pk", S("")}, {"sk", N("1")}}, CompositeSchema()),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: pk");
  EXPECT_EQ(KeyError({{"pk", S(std::string(2049, 'a'))}, {"sk", N("1")}}, CompositeSchema()),
            kTooLong);
  EXPECT_EQ(KeyError({{"pk", SS("a")}}, HashSchema()), kNotScalar);
  EXPECT_EQ(KeyError({{"pk", S("a")}, {"sk", AttributeValue()}}, CompositeSchema()), kNotScalar);
  EXPECT_EQ(KeyError({{"pk", S("")}, {"sk", AttributeValue()}}, CompositeSchema()),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: pk");
}

TEST(KeyOfTest, CopiesKeyAttributes) {
  Item item{{"pk", S("a")}, {"sk", N("1")}, {"x", S("y")}};
  AttributeMap key = KeyOf(item, CompositeSchema());
  EXPECT_EQ(key, (AttributeMap{{"pk", S("a")}, {"sk", N("1")}}));
  EXPECT_EQ(KeyOf(item, HashSchema()), (AttributeMap{{"pk", S("a")}}));
}

}  // namespace
}  // namespace dunlin::model
