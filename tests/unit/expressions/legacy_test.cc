// The legacy parameters' translation (legacy_conditions.h) and AttributeUpdates
// (legacy_update.h). The black-box suite checks the same behaviour end to end against DynamoDB
// Local; these cases pin the pieces the request layer does not see.
#include <gtest/gtest.h>

#include "expressions/evaluate.h"
#include "expressions/legacy_conditions.h"
#include "expressions/legacy_update.h"

namespace dunlin::expressions {
namespace {

using model::AttributeValue;

AttributeValue N(std::string_view text) { return AttributeValue::Num(*model::Number::Parse(text)); }
AttributeValue S(std::string text) { return AttributeValue::String(std::move(text)); }
AttributeValue SS(std::vector<std::string> values) {
  return AttributeValue(AttributeValue::Variant(model::StringSet{std::move(values)}));
}

ConditionEntry Entry(std::string attribute, std::string op, std::vector<AttributeValue> values) {
  return ConditionEntry{std::move(attribute), std::move(op), std::move(values)};
}

bool Holds(const std::vector<ConditionEntry>& entries, const model::Item& item,
           ConditionalOperator combine = ConditionalOperator::kAnd) {
  auto condition = TranslateFilter(entries, combine);
  EXPECT_TRUE(condition.ok()) << condition.error().message;
  return EvaluateCondition(*condition, &item);
}

TEST(LegacyConditionsTest, NotContainsIsFalseOnAMissingAttribute) {
  const model::Item item{{"ss", SS({"a"})}};
  EXPECT_TRUE(Holds({Entry("ss", "NOT_CONTAINS", {S("b")})}, item));
  EXPECT_FALSE(Holds({Entry("ss", "NOT_CONTAINS", {S("a")})}, item));
  EXPECT_FALSE(Holds({Entry("missing", "NOT_CONTAINS", {S("a")})}, item));
  // NE, by contrast, holds for a missing attribute.
  EXPECT_TRUE(Holds({Entry("missing", "NE", {S("a")})}, item));
}

TEST(LegacyConditionsTest, EntriesCombineWithTheConditionalOperator) {
  const model::Item item{{"n", N("5")}, {"s", S("x")}};
  const std::vector<ConditionEntry> entries{Entry("n", "EQ", {N("5")}),
                                            Entry("s", "EQ", {S("y")})};
  EXPECT_FALSE(Holds(entries, item, ConditionalOperator::kAnd));
  EXPECT_TRUE(Holds(entries, item, ConditionalOperator::kOr));
}

TEST(LegacyConditionsTest, NamesAreLiteral) {
  const model::Item item{{"a.b", S("x")}, {"a", AttributeValue(model::AttributeMap{{"b", S("y")}})}};
  EXPECT_TRUE(Holds({Entry("a.b", "EQ", {S("x")})}, item));
}

TEST(LegacyConditionsTest, ExpectedExistsAndValue) {
  const model::Item item{{"n", N("5")}};
  auto check = [&](ExpectedEntry entry) {
    auto condition = TranslateExpected({entry}, ConditionalOperator::kAnd);
    EXPECT_TRUE(condition.ok()) << condition.error().message;
    return EvaluateCondition(*condition, &item);
  };
  EXPECT_TRUE(check({.attribute = "n", .value = N("5")}));
  EXPECT_FALSE(check({.attribute = "n", .value = N("6"), .exists = true}));
  EXPECT_FALSE(check({.attribute = "n", .exists = false}));
  EXPECT_TRUE(check({.attribute = "m", .exists = false}));
  EXPECT_TRUE(check({.attribute = "n", .value = N("5"), .comparison_operator = "GE"}));
}

TEST(LegacyConditionsTest, ValidationMessages) {
  auto message = [](std::vector<ConditionEntry> entries) {
    auto condition = TranslateFilter(entries, ConditionalOperator::kAnd);
    return condition.ok() ? std::string("ok") : condition.error().message;
  };
  EXPECT_EQ(message({Entry("n", "EQ", {})}),
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
            "ComparisonOperator");
  EXPECT_EQ(message({Entry("n", "LIKE", {N("1")})}), "Comparison type does not exist in DynamoDB");
  EXPECT_EQ(message({Entry("n", "GT", {SS({"a"})})}),
            "One or more parameter values were invalid: ComparisonOperator GT is not valid for SS "
            "AttributeValue type");
  EXPECT_EQ(message({Entry("n", "IN", {N("1"), S("1")})}),
            "One or more parameter values were invalid: AttributeValues inside "
            "AttributeValueList must be of same type");
  EXPECT_EQ(message({Entry("n", "BETWEEN", {N("2"), N("1")})}),
            "The BETWEEN condition was provided a range where the lower bound is greater than "
            "the upper bound");
  EXPECT_EQ(message({Entry("", "NULL", {})}), "Empty attribute name");
}

TEST(LegacyConditionsTest, KeyConditions) {
  const KeySchema schema{"pk", "sk", model::AttributeType::kS, model::AttributeType::kN, {}, {}};
  auto keys = TranslateKeyConditions(
      {Entry("sk", "BETWEEN", {N("1"), N("3")}), Entry("pk", "EQ", {S("a")})}, schema);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_EQ(keys->partition_value, S("a"));
  ASSERT_TRUE(keys->sort.has_value());
  EXPECT_EQ(keys->sort->op, SortKeyOp::kBetween);
  EXPECT_EQ(keys->sort->upper, N("3"));

  auto error = [&](std::vector<ConditionEntry> entries) {
    auto result = TranslateKeyConditions(entries, schema);
    return result.ok() ? std::string("ok") : result.error().message;
  };
  EXPECT_EQ(error({}), "Conditions must be at least length 1");
  EXPECT_EQ(error({Entry("pk", "GT", {S("a")})}), "Query key condition not supported");
  EXPECT_EQ(error({Entry("pk", "EQ", {S("a")}), Entry("sk", "NE", {N("1")})}),
            "Attempted conditional constraint is not an indexable operation");
  EXPECT_EQ(error({Entry("pk", "EQ", {S("a")}), Entry("x", "EQ", {N("1")})}),
            "Query condition missed key schema element");
  EXPECT_EQ(error({Entry("pk", "EQ", {N("1")})}),
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
}

const model::AttributeMap kHashKey{{"pk", S("k")}};

TEST(LegacyUpdateTest, AddAppendsToListsAndUnionsSets) {
  const model::Item item{{"l", AttributeValue(model::AttributeList{S("a")})},
                         {"ss", SS({"a"})},
                         {"n", N("1")}};
  auto result = ApplyAttributeUpdates(
      {{"l", LegacyUpdateAction::kAdd, AttributeValue(model::AttributeList{S("b")})},
       {"ss", LegacyUpdateAction::kAdd, SS({"b"})},
       {"n", LegacyUpdateAction::kAdd, N("2.5")},
       {"new", LegacyUpdateAction::kAdd, N("1")}},
      kHashKey, &item);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->item.at("l"), AttributeValue(model::AttributeList{S("a"), S("b")}));
  EXPECT_EQ(result->item.at("ss"), SS({"a", "b"}));
  EXPECT_EQ(result->item.at("n"), N("3.5"));
  EXPECT_EQ(result->item.at("new"), N("1"));
  EXPECT_EQ(result->updated_paths.size(), 4u);
}

TEST(LegacyUpdateTest, DeleteRemovesElementsAndEmptiedSets) {
  const model::Item item{{"ss", SS({"a", "b"})}, {"n", N("1")}};
  auto result = ApplyAttributeUpdates({{"ss", LegacyUpdateAction::kDelete, SS({"a", "b"})},
                                       {"n", LegacyUpdateAction::kDelete, std::nullopt},
                                       {"missing", LegacyUpdateAction::kDelete, SS({"a"})}},
                                      kHashKey, &item);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->item.empty());
}

TEST(LegacyUpdateTest, TypeMismatch) {
  const model::Item item{{"s", S("x")}};
  auto result = ApplyAttributeUpdates({{"s", LegacyUpdateAction::kAdd, N("1")}}, kHashKey, &item);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "Type mismatch for attribute to update");
}

TEST(LegacyUpdateTest, EachEntryIsCheckedInItsTurn) {
  // The first entry's problem is reported, whatever the later entries hold.
  auto first = ApplyAttributeUpdates({{"x", LegacyUpdateAction::kAdd, std::nullopt},
                                      {"pk", LegacyUpdateAction::kPut, S("a")}},
                                     kHashKey, nullptr);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().message,
            "One or more parameter values were invalid: Only DELETE action is allowed when no "
            "attribute value is specified");
  auto key_first = ApplyAttributeUpdates({{"pk", LegacyUpdateAction::kPut, S("a")},
                                          {"x", LegacyUpdateAction::kAdd, std::nullopt}},
                                         kHashKey, nullptr);
  ASSERT_FALSE(key_first.ok());
  EXPECT_EQ(key_first.error().message,
            "One or more parameter values were invalid: Cannot update attribute pk. This "
            "attribute is part of the key");
  auto add_string =
      ApplyAttributeUpdates({{"x", LegacyUpdateAction::kAdd, S("a")}}, kHashKey, nullptr);
  ASSERT_FALSE(add_string.ok());
  EXPECT_EQ(add_string.error().message,
            "One or more parameter values were invalid: ADD action is not supported for the type "
            "STRING");
  // A type mismatch against the item comes in the entry's turn, before a later entry's
  // invalid value.
  const model::Item item{{"n", N("1")}};
  AttributeUpdate invalid{"b", LegacyUpdateAction::kPut, AttributeValue()};
  invalid.invalid_value =
      "One or more parameter values were invalid: An string set  may not be empty";
  auto mismatch = ApplyAttributeUpdates(
      {{"n", LegacyUpdateAction::kDelete, SS({"a"})}, invalid}, kHashKey, &item);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().message, "Type mismatch for attribute to update");
  auto invalid_first = ApplyAttributeUpdates(
      {invalid, {"n", LegacyUpdateAction::kDelete, SS({"a"})}}, kHashKey, &item);
  ASSERT_FALSE(invalid_first.ok());
  EXPECT_EQ(invalid_first.error().message, *invalid.invalid_value);
  // The key check comes before an unknown action.
  AttributeUpdate unknown{"pk", LegacyUpdateAction::kPut, std::nullopt};
  unknown.unknown_action = true;
  auto key_before_action = ApplyAttributeUpdates({unknown}, kHashKey, nullptr);
  ASSERT_FALSE(key_before_action.ok());
  EXPECT_NE(key_before_action.error().message.find("Cannot update attribute pk"),
            std::string::npos);
  unknown.attribute = "x";
  auto action = ApplyAttributeUpdates({unknown}, kHashKey, nullptr);
  ASSERT_FALSE(action.ok());
  EXPECT_EQ(action.error().message, "Member must satisfy enum value set: [ADD, DELETE, PUT]");
}

}  // namespace
}  // namespace dunlin::expressions
