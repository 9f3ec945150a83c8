#include "api/time_to_live.h"

#include <gtest/gtest.h>

#include <string>

namespace dunlin::api {
namespace {

constexpr int64_t kHourS = 3600;
constexpr int64_t kNowMs = 1'800'000'000'000;
constexpr std::string_view kOtherAttribute = "TimeToLive is active on a different AttributeName";

simdjson::dom::object Parse(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::object object;
  EXPECT_EQ(parser.parse(json.data(), json.size()).get(object), simdjson::SUCCESS);
  return object;
}

ApiResult<TimeToLiveSpecificationMembers> Read(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  return ReadTimeToLiveSpecification(ObjectReader(Parse(parser, json)));
}

model::TimeToLive Enabled(std::string name, int64_t changed_ms = 1) {
  model::TimeToLive ttl;
  ttl.enabled = true;
  ttl.attribute_name = std::move(name);
  ttl.changed_ms = changed_ms;
  ttl.expiry_id = 7;
  return ttl;
}

// Applies {name, enabled} to `ttl` at kNowMs with a one-hour interval; returns the message of
// the failure, or "" on success.
std::string Apply(model::TimeToLive& ttl, std::string name, bool enabled,
                  int64_t interval_s = kHourS, int64_t now_ms = kNowMs) {
  auto result = ApplyTimeToLiveSpecification({std::move(name), enabled}, now_ms, interval_s, ttl);
  if (result.ok()) return "";
  EXPECT_EQ(result.error().type, ErrorType::kValidation);
  return result.error().message;
}

TEST(ReadTimeToLiveSpecificationTest, ReadsTheMembers) {
  auto members = Read(R"({"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":false}})");
  ASSERT_TRUE(members.ok());
  EXPECT_TRUE(members->present);
  EXPECT_EQ(members->attribute_name, "exp");
  EXPECT_EQ(members->enabled, false);
}

TEST(ReadTimeToLiveSpecificationTest, MissingAndNullAreAbsent) {
  auto missing = Read(R"({})");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->present);
  auto null = Read(R"({"TimeToLiveSpecification":null})");
  ASSERT_TRUE(null.ok());
  EXPECT_FALSE(null->present);
  auto null_members = Read(R"({"TimeToLiveSpecification":{"AttributeName":null,"Enabled":null}})");
  ASSERT_TRUE(null_members.ok());
  EXPECT_TRUE(null_members->present);
  EXPECT_FALSE(null_members->attribute_name);
  EXPECT_FALSE(null_members->enabled);
}

TEST(ReadTimeToLiveSpecificationTest, WrongTypesAreSerializationErrors) {
  for (std::string_view json :
       {R"({"TimeToLiveSpecification":"x"})", R"({"TimeToLiveSpecification":[]})",
        R"({"TimeToLiveSpecification":5})",
        R"({"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":"yes"}})",
        R"({"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":[]}})",
        R"({"TimeToLiveSpecification":{"AttributeName":[],"Enabled":true}})",
        R"({"TimeToLiveSpecification":{"AttributeName":{},"Enabled":true}})"}) {
    auto members = Read(json);
    ASSERT_FALSE(members.ok()) << json;
    EXPECT_EQ(members.error().type, ErrorType::kSerialization) << json;
  }
}

TEST(RequireTimeToLiveSpecificationTest, SpecificationMustBePresent) {
  auto result = RequireTimeToLiveSpecification({});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "TimeToLiveSpecification cannot be null");
}

TEST(RequireTimeToLiveSpecificationTest, OneMessageForEitherMissingMember) {
  const TimeToLiveSpecificationMembers cases[] = {{true, std::nullopt, true},
                                                  {true, std::nullopt, false},
                                                  {true, "exp", std::nullopt},
                                                  {true, std::nullopt, std::nullopt},
                                                  {true, "", std::nullopt}};
  for (const auto& members : cases) {
    auto result = RequireTimeToLiveSpecification(members);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "AttributeName cannot be null when time to live is being enabled");
  }
  auto complete = RequireTimeToLiveSpecification({true, "exp", false});
  ASSERT_TRUE(complete.ok());
  EXPECT_EQ(complete->attribute_name, "exp");
  EXPECT_FALSE(complete->enabled);
}

TEST(ApplyTimeToLiveSpecificationTest, EnableSetsTheAttributeAndTheChangeTime) {
  model::TimeToLive ttl;
  EXPECT_EQ(Apply(ttl, "exp", true), "");
  EXPECT_TRUE(ttl.enabled);
  EXPECT_EQ(ttl.attribute_name, "exp");
  EXPECT_EQ(ttl.changed_ms, kNowMs);
  EXPECT_EQ(ttl.expiry_id, 0u);
}

TEST(ApplyTimeToLiveSpecificationTest, DisableForgetsTheAttributeAndKeepsTheExpiryId) {
  model::TimeToLive ttl = Enabled("exp");
  EXPECT_EQ(Apply(ttl, "exp", false), "");
  EXPECT_FALSE(ttl.enabled);
  EXPECT_EQ(ttl.attribute_name, "");
  EXPECT_EQ(ttl.changed_ms, kNowMs);
  EXPECT_EQ(ttl.expiry_id, 7u);
}

TEST(ApplyTimeToLiveSpecificationTest, NameLengthInBytesOnlyWhenEnabling) {
  const std::string kLengthMessage =
      "Names of key attributes and attributes projected into an index must be between 1 and 255 "
      "characters, inclusive";
  model::TimeToLive ttl;
  EXPECT_EQ(Apply(ttl, "", true), kLengthMessage);
  EXPECT_EQ(Apply(ttl, std::string(256, 'a'), true), kLengthMessage);
  // 128 two-byte characters: 256 bytes.
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "\xC3\xBC";
  EXPECT_EQ(Apply(ttl, wide, true), kLengthMessage);
  // The length is checked before the state: an enabled table says the same.
  model::TimeToLive enabled = Enabled("exp");
  EXPECT_EQ(Apply(enabled, "", true), kLengthMessage);
  // Disabling never looks at the length.
  EXPECT_EQ(Apply(ttl, "", false), "TimeToLive is already disabled");
  EXPECT_EQ(Apply(ttl, std::string(256, 'a'), false), "TimeToLive is already disabled");
  EXPECT_EQ(Apply(ttl, std::string(255, 'a'), true), "");
}

TEST(ApplyTimeToLiveSpecificationTest, StateChecks) {
  model::TimeToLive ttl = Enabled("exp");
  const model::TimeToLive before = ttl;
  EXPECT_EQ(Apply(ttl, "exp", true), "TimeToLive is already enabled");
  for (bool enabled : {true, false}) {
    for (std::string name : {"other", "EXP", "exp ", ""}) {
      if (enabled && name.empty()) continue;  // a length fault
      EXPECT_EQ(Apply(ttl, name, enabled),
                std::string(kOtherAttribute) + ": current AttributeName is exp")
          << name << " " << enabled;
    }
  }
  EXPECT_EQ(ttl, before);
  model::TimeToLive disabled;
  EXPECT_EQ(Apply(disabled, "exp", false), "TimeToLive is already disabled");
  EXPECT_EQ(Apply(disabled, "other", false), "TimeToLive is already disabled");
  EXPECT_EQ(disabled, model::TimeToLive{});
}

TEST(ApplyTimeToLiveSpecificationTest, ChangeIntervalCountsFromTheLastChange) {
  const std::string kTooOften =
      "Time to live has been modified multiple times within a fixed interval";
  model::TimeToLive ttl;
  ASSERT_EQ(Apply(ttl, "exp", true, kHourS, kNowMs), "");
  EXPECT_EQ(Apply(ttl, "exp", false, kHourS, kNowMs + kHourS * 1000 - 1), kTooOften);
  // A refused call leaves the setting, and the interval's start, as they were.
  EXPECT_TRUE(ttl.enabled);
  EXPECT_EQ(ttl.changed_ms, kNowMs);
  // State checks come first.
  EXPECT_EQ(Apply(ttl, "exp", true, kHourS, kNowMs + 1), "TimeToLive is already enabled");
  ASSERT_EQ(Apply(ttl, "exp", false, kHourS, kNowMs + kHourS * 1000), "");
  EXPECT_EQ(ttl.changed_ms, kNowMs + kHourS * 1000);
  EXPECT_EQ(Apply(ttl, "next", true, kHourS, kNowMs + kHourS * 1000 + 5), kTooOften);
}

TEST(ApplyTimeToLiveSpecificationTest, ZeroIntervalAllowsAnyNumberOfChanges) {
  model::TimeToLive ttl;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Apply(ttl, "exp", true, 0), "");
    ASSERT_EQ(Apply(ttl, "exp", false, 0), "");
  }
}

TEST(ApplyTimeToLiveSpecificationTest, NeverChangedTableHasNoInterval) {
  model::TimeToLive ttl;
  // changed_ms 0: the first change is allowed whatever the clock says.
  EXPECT_EQ(Apply(ttl, "exp", true, kHourS, 1000), "");
}

}  // namespace
}  // namespace dunlin::api
