#include "api/params.h"

#include <gtest/gtest.h>

namespace dunlin::api {
namespace {

simdjson::dom::object Parse(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::object object;
  EXPECT_EQ(parser.parse(json.data(), json.size()).get(object), simdjson::SUCCESS);
  return object;
}

TEST(ViolationsTest, OneViolationIsSingular) {
  Violations violations;
  violations.Null("tableName");
  auto result = violations.Check();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, ErrorType::kValidation);
  EXPECT_EQ(result.error().message,
            "1 validation error detected: Value null at 'tableName' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(ViolationsTest, SeveralViolationsAreJoined) {
  Violations violations;
  violations.MinValue(0, "limit", 1);
  violations.NotInEnum("X", "select", "A, B");
  auto result = violations.Check();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "2 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1; Value 'X' at 'select' failed to "
            "satisfy constraint: Member must satisfy enum value set: [A, B]");
}

TEST(ViolationsTest, NoViolationsPass) { EXPECT_TRUE(Violations().Check().ok()); }

TEST(ObjectReaderTest, WrongJsonTypeIsSerializationError) {
  simdjson::dom::parser parser;
  ObjectReader reader(Parse(parser, R"({"TableName":5,"Limit":"x","Flag":1})"));
  auto name = reader.String("TableName");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().type, ErrorType::kSerialization);
  EXPECT_EQ(name.error().message, "NUMBER_VALUE cannot be converted to String");
  EXPECT_FALSE(reader.Int("Limit").ok());
  EXPECT_FALSE(reader.Bool("Flag").ok());
}

TEST(ObjectReaderTest, AbsentAndNullAreNullopt) {
  simdjson::dom::parser parser;
  ObjectReader reader(Parse(parser, R"({"A":null})"));
  auto a = reader.String("A");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->has_value());
  auto b = reader.Int("B");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->has_value());
  EXPECT_FALSE(reader.Has("A"));
}

TEST(TableNameTest, Rules) {
  EXPECT_FALSE(ValidateTableName("abc").has_value());
  EXPECT_FALSE(ValidateTableName("a.b-c_D9").has_value());
  EXPECT_TRUE(ValidateTableName("ab").has_value());
  EXPECT_TRUE(ValidateTableName("a b").has_value());
  EXPECT_TRUE(ValidateTableName(std::string(256, 'a')).has_value());
  EXPECT_FALSE(ValidateTableName(std::string(255, 'a')).has_value());
}

}  // namespace
}  // namespace dunlin::api
