// Key conditions on a key without a sort key (the golden files use a table with one).
#include "expressions/key_condition.h"

#include <gtest/gtest.h>

#include "expressions/resolve.h"

namespace dunlin::expressions {
namespace {

ExprResult<KeyCondition> Extract(std::string_view text) {
  const KeySchema schema{"h", "", model::AttributeType::kS, model::AttributeType::kS, {}, {}};
  model::AttributeMap values{{":v", model::AttributeValue::String("x")}};
  ExpressionAttributes attributes(nullptr, &values);
  auto condition = ParseCondition(text, ExpressionKind::kKeyCondition, attributes);
  EXPECT_TRUE(condition.ok()) << condition.error().message;
  return ExtractKeyCondition(*condition, schema);
}

TEST(KeyConditionTest, PartitionKeyAloneOnAHashOnlyKey) {
  auto keys = Extract("h = :v");
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_EQ(keys->partition_value.as_string(), "x");
  EXPECT_FALSE(keys->sort.has_value());
}

// DynamoDB Local: "Query key condition not supported" for a second condition, whatever the
// attribute, when the key has no sort key.
TEST(KeyConditionTest, SecondConditionOnAHashOnlyKeyIsNotSupported) {
  for (std::string_view text : {"h = :v AND r = :v", "h = :v AND x > :v"}) {
    auto keys = Extract(text);
    ASSERT_FALSE(keys.ok()) << text;
    EXPECT_EQ(keys.error().message, "Query key condition not supported") << text;
  }
}

}  // namespace
}  // namespace dunlin::expressions
