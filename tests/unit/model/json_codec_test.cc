// Error cases and wordings come from DynamoDB Local (PutItem with a crafted Item); see
// docs/notes-model-errors.md for which ones are DynamoDB's rather than DynamoDB Local's.
#include "model/json_codec.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace dunlin::model {
namespace {

constexpr char kEmpty[] =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
constexpr char kSeveral[] =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";
constexpr char kTooDeep[] =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";
constexpr char kNotANumber[] = "A value provided cannot be converted into a number";

struct Parsed {
  bool ok = false;
  ModelError error;
  AttributeValue value;
  AttributeMap map;
};

// Parses `json` as one AttributeValue (or as an attribute map when `as_map`).
Parsed Parse(std::string_view json, bool as_map = false) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element element;
  Parsed parsed;
  if (parser.parse(padded).get(element)) {
    ADD_FAILURE() << "invalid test JSON: " << json;
    return parsed;
  }
  if (as_map) {
    auto result = ParseAttributeMap(element);
    parsed.ok = result.ok();
    if (result.ok()) {
      parsed.map = std::move(result).value();
    } else {
      parsed.error = std::move(result).error();
    }
  } else {
    auto result = ParseAttributeValue(element);
    parsed.ok = result.ok();
    if (result.ok()) {
      parsed.value = std::move(result).value();
    } else {
      parsed.error = std::move(result).error();
    }
  }
  return parsed;
}

std::string Write(const AttributeValue& value) {
  std::string out;
  JsonWriter writer(out);
  WriteAttributeValue(writer, value);
  return out;
}

// Parses then writes back.
std::string RoundTrip(std::string_view json) {
  Parsed parsed = Parse(json);
  EXPECT_TRUE(parsed.ok) << json << ": " << parsed.error.message;
  return Write(parsed.value);
}

void ExpectValidation(std::string_view json, std::string_view message, bool as_map = false) {
  Parsed parsed = Parse(json, as_map);
  ASSERT_FALSE(parsed.ok) << json;
  EXPECT_EQ(parsed.error.kind, ModelError::Kind::kValidation) << json;
  EXPECT_EQ(parsed.error.message, message) << json;
}

void ExpectSerialization(std::string_view json, std::string_view message, bool as_map = false) {
  Parsed parsed = Parse(json, as_map);
  ASSERT_FALSE(parsed.ok) << json;
  EXPECT_EQ(parsed.error.kind, ModelError::Kind::kSerialization) << json;
  EXPECT_EQ(parsed.error.message, message) << json;
}

std::string NestedMaps(int levels, std::string_view innermost = R"({"S":"x"})") {
  std::string json(innermost);
  for (int i = 0; i < levels; ++i) json = R"({"M":{"k":)" + json + "}}";
  return json;
}

std::string NestedLists(int levels, std::string_view innermost = R"({"S":"x"})") {
  std::string json(innermost);
  for (int i = 0; i < levels; ++i) json = R"({"L":[)" + json + "]}";
  return json;
}

TEST(JsonCodecTest, RoundTripsEveryType) {
  EXPECT_EQ(RoundTrip(R"({"S":"héllo \"q\"\n"})"), R"({"S":"héllo \"q\"\n"})");
  EXPECT_EQ(RoundTrip(R"({"S":""})"), R"({"S":""})");
  EXPECT_EQ(RoundTrip(R"({"N":"1.0E2"})"), R"({"N":"100"})");
  EXPECT_EQ(RoundTrip(R"({"N":"-0.50"})"), R"({"N":"-0.5"})");
  EXPECT_EQ(RoundTrip(R"({"B":"YWJj"})"), R"({"B":"YWJj"})");
  EXPECT_EQ(RoundTrip(R"({"B":""})"), R"({"B":""})");
  EXPECT_EQ(RoundTrip(R"({"BOOL":false})"), R"({"BOOL":false})");
  EXPECT_EQ(RoundTrip(R"({"NULL":true})"), R"({"NULL":true})");
  EXPECT_EQ(RoundTrip(R"({"M":{}})"), R"({"M":{}})");
  EXPECT_EQ(RoundTrip(R"({"L":[]})"), R"({"L":[]})");
  EXPECT_EQ(RoundTrip(R"({"M":{"b":{"N":"2"},"a":{"L":[{"S":"x"},{"NULL":true}]}}})"),
            R"({"M":{"a":{"L":[{"S":"x"},{"NULL":true}]},"b":{"N":"2"}}})");
  EXPECT_EQ(RoundTrip(R"({"SS":["b","a",""]})"), R"({"SS":["","a","b"]})");
  EXPECT_EQ(RoundTrip(R"({"NS":["2","1","10","-1.5"]})"), R"({"NS":["-1.5","1","2","10"]})");
  EXPECT_EQ(RoundTrip(R"({"BS":["Yg==","YQ==",""]})"), R"({"BS":["","YQ==","Yg=="]})");
}

TEST(JsonCodecTest, TypedValues) {
  Parsed parsed = Parse(R"({"B":"AP8="})");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.value.type(), AttributeType::kB);
  EXPECT_EQ(parsed.value.as_binary(), std::string("\x00\xff", 2));
  parsed = Parse(R"({"NS":["1E3","2"]})");
  ASSERT_TRUE(parsed.ok);
  const auto& numbers = std::get<NumberSet>(parsed.value.variant()).values;
  ASSERT_EQ(numbers.size(), 2u);
  EXPECT_EQ(numbers[0].ToString(), "2");
  EXPECT_EQ(numbers[1].ToString(), "1000");
  // Set equality does not depend on request order.
  EXPECT_EQ(Parse(R"({"SS":["x","y"]})").value, Parse(R"({"SS":["y","x"]})").value);
}

TEST(JsonCodecTest, TypeKeysFollowDynamoDb) {
  ExpectValidation("{}", kEmpty);
  ExpectValidation(R"({"X":"a"})", kEmpty);
  ExpectValidation(R"({"s":"a"})", kEmpty);
  ExpectValidation(R"({"S":null})", kEmpty);
  ExpectValidation(R"({"BOOL":null})", kEmpty);
  ExpectValidation(R"({"NULL":null})", kEmpty);
  ExpectValidation(R"({"S":"a","N":"1"})", kSeveral);
  ExpectValidation(R"({"M":{"x":{"S":"a","N":"1"}}})", kSeveral);
  // Unknown keys are ignored, null type keys count as absent, the last repeated key wins.
  EXPECT_EQ(RoundTrip(R"({"S":"a","X":"b"})"), R"({"S":"a"})");
  EXPECT_EQ(RoundTrip(R"({"N":"1","S":null})"), R"({"N":"1"})");
  EXPECT_EQ(RoundTrip(R"({"S":null,"N":"1"})"), R"({"N":"1"})");
  EXPECT_EQ(RoundTrip(R"({"S":"x","NULL":null})"), R"({"S":"x"})");
  EXPECT_EQ(RoundTrip(R"({"S":"a","S":"b"})"), R"({"S":"b"})");
  EXPECT_EQ(RoundTrip(R"({"S":"a","N":"1","N":null})"), R"({"S":"a"})");
  ExpectValidation(R"({"S":"a","S":null})", kEmpty);
  EXPECT_EQ(RoundTrip(R"({"M":{"a":{"S":"x"},"a":{"N":"1"}}})"), R"({"M":{"a":{"N":"1"}}})");
}

TEST(JsonCodecTest, ValueChecksComeBeforeTheTypeCount) {
  ExpectValidation(R"({"SS":[],"N":"1"})",
                   "One or more parameter values were invalid: An string set  may not be empty");
  ExpectValidation(R"({"NULL":false,"N":"1"})",
                   "One or more parameter values were invalid: Null attribute value types must "
                   "have the value of true");
  ExpectValidation(R"({"M":{"":{"S":"a"}},"N":"1"})", "Empty attribute name");
  ExpectValidation(R"({"SS":["a"],"SS":[]})",
                   "One or more parameter values were invalid: An string set  may not be empty");
}

TEST(JsonCodecTest, WrongJsonTypesAreSerializationErrors) {
  ExpectSerialization(R"({"S":5})", "NUMBER_VALUE cannot be converted to String");
  ExpectSerialization(R"({"S":true})", "TRUE_VALUE cannot be converted to String");
  ExpectSerialization(R"({"S":["a"]})", "Start of list found where not expected");
  ExpectSerialization(R"({"S":{"a":1}})", "Start of structure or map found where not expected");
  ExpectSerialization(R"({"N":1})", "NUMBER_VALUE cannot be converted to String");
  ExpectSerialization(R"({"N":1.5})", "NUMBER_VALUE cannot be converted to String");
  ExpectSerialization(R"({"B":5})", "NUMBER_VALUE cannot be converted to String");
  ExpectSerialization(R"({"BOOL":"true"})", "STRING_VALUE cannot be converted to Boolean");
  ExpectSerialization(R"({"BOOL":1})", "NUMBER_VALUE cannot be converted to Boolean");
  ExpectSerialization(R"({"NULL":"true"})", "STRING_VALUE cannot be converted to Boolean");
  ExpectSerialization(R"({"SS":"a"})", "Unexpected field type");
  ExpectSerialization(R"({"SS":["a",1]})", "NUMBER_VALUE cannot be converted to String");
  ExpectSerialization(R"({"NS":"1"})", "Unexpected field type");
  ExpectSerialization(R"({"NS":[1]})", "NUMBER_VALUE cannot be converted to String");
  ExpectSerialization(R"({"BS":"YQ=="})", "Unexpected field type");
  ExpectSerialization(R"({"BS":[1]})", "NUMBER_VALUE cannot be converted to String");
  ExpectSerialization(R"({"M":[]})", "Start of list found where not expected");
  ExpectSerialization(R"({"M":"x"})", "Unexpected field type");
  ExpectSerialization(R"({"M":{"x":5}})", "Unexpected field type");
  ExpectSerialization(R"({"L":{}})", "Start of structure or map found where not expected");
  ExpectSerialization(R"({"L":"x"})", "Unexpected field type");
  ExpectSerialization(R"({"L":[5]})", "Unexpected field type");
  ExpectSerialization("5", "Unexpected field type");
  ExpectSerialization(R"("x")", "Unexpected field type");
  ExpectSerialization("[]", "Start of list found where not expected");
}

TEST(JsonCodecTest, NullValues) {
  ExpectValidation(R"({"NULL":false})",
                   "One or more parameter values were invalid: Null attribute value types must "
                   "have the value of true");
  ExpectValidation("null", "The supplied Item contains a null AttributeValue");
  ExpectValidation(R"({"L":[null]})", "The supplied Item contains a null AttributeValue");
  ExpectValidation(R"({"M":{"x":null}})",
                   "The supplied Item contains a null AttributeValue: x is null");
  ExpectValidation(R"({"pk":{"S":"k"},"a":null})",
                   "The supplied Item contains a null AttributeValue: a is null", true);
}

TEST(JsonCodecTest, Base64) {
  ExpectSerialization(R"({"B":"YQ"})",
                      "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
  ExpectSerialization(R"({"B":"YWJ"})",
                      "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
  ExpectSerialization(R"({"B":"!!"})",
                      "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
  ExpectSerialization(R"({"B":"!!!!"})", "Invalid Base64 character in binary value");
  ExpectSerialization(R"({"B":"-_-_"})", "Invalid Base64 character in binary value");
  ExpectSerialization(R"({"B":"===="})", "Invalid Base64 character in binary value");
  ExpectSerialization(R"({"BS":["YQ==","!!!!"]})", "Invalid Base64 character in binary value");
  ExpectSerialization(R"({"BS":["YQ"]})",
                      "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
  // Unused low bits in the last character are ignored, as DynamoDB Local does.
  EXPECT_EQ(RoundTrip(R"({"B":"YR=="})"), R"({"B":"YQ=="})");
}

TEST(JsonCodecTest, Sets) {
  ExpectValidation(R"({"SS":[]})",
                   "One or more parameter values were invalid: An string set  may not be empty");
  ExpectValidation(R"({"NS":[]})",
                   "One or more parameter values were invalid: An number set  may not be empty");
  ExpectValidation(R"({"BS":[]})",
                   "One or more parameter values were invalid: Binary sets should not be empty");
  ExpectValidation(R"({"SS":["a","a"]})",
                   "One or more parameter values were invalid: Input collection [a, a] contains "
                   "duplicates");
  ExpectValidation(R"({"SS":["b","a","b","c"]})",
                   "One or more parameter values were invalid: Input collection [b, a, b, c] "
                   "contains duplicates");
  ExpectValidation(R"({"SS":["",""]})",
                   "One or more parameter values were invalid: Input collection [, ] contains "
                   "duplicates");
  ExpectValidation(R"({"SS":["a","a",null]})",
                   "One or more parameter values were invalid: Input collection [a, a, null] "
                   "contains duplicates");
  ExpectValidation(R"({"SS":[null]})",
                   "One or more parameter values were invalid: An string set may not have a null "
                   "string as a member");
  ExpectValidation(R"({"SS":["a",null]})",
                   "One or more parameter values were invalid: An string set may not have a null "
                   "string as a member");
  ExpectValidation(R"({"NS":["1","1.0"]})", "Input collection contains duplicates");
  ExpectValidation(R"({"NS":["1","2","01"]})", "Input collection contains duplicates");
  ExpectValidation(R"({"BS":["YQ==","Yg==","YQ=="]})",
                   "One or more parameter values were invalid: Input collection of type BS "
                   "contains duplicates.");
  ExpectValidation(R"({"BS":["",""]})",
                   "One or more parameter values were invalid: Input collection of type BS "
                   "contains duplicates.");
  EXPECT_EQ(RoundTrip(R"({"SS":[""]})"), R"({"SS":[""]})");
}

TEST(JsonCodecTest, NumbersInsideContainers) {
  ExpectValidation(R"({"N":"x"})", kNotANumber);
  ExpectValidation(R"({"NS":["1","x"]})", kNotANumber);
  ExpectValidation(R"({"NS":["1",null]})", kNotANumber);
  ExpectValidation(R"({"NS":[""]})", kNotANumber);
  ExpectValidation(R"({"NS":["1E126"]})",
                   "Number overflow. Attempting to store a number with magnitude larger than "
                   "supported range");
  ExpectValidation(R"({"M":{"x":{"N":"x"}}})", kNotANumber);
  ExpectValidation(R"({"L":[{"N":"abc"}]})", kNotANumber);
  // Each element is checked in turn: a repeat before a bad number wins, and not after.
  ExpectValidation(R"({"NS":["1","1","x"]})", "Input collection contains duplicates");
  ExpectValidation(R"({"NS":["1","1","1E200"]})", "Input collection contains duplicates");
  ExpectValidation(R"({"NS":["1","x","1"]})", kNotANumber);
}

TEST(JsonCodecTest, Nesting) {
  // A standalone value (an ExpressionAttributeValues entry) may hold 32 levels of M or L.
  EXPECT_TRUE(Parse(NestedMaps(32)).ok);
  EXPECT_TRUE(Parse(NestedLists(32)).ok);
  ExpectValidation(NestedMaps(33), kTooDeep);
  ExpectValidation(NestedLists(33), kTooDeep);
  // In an item the item itself is a level, so an attribute holds 31.
  EXPECT_TRUE(Parse(R"({"a":)" + NestedMaps(31) + "}", true).ok);
  EXPECT_TRUE(Parse(R"({"a":)" + NestedMaps(30, R"({"M":{}})") + "}", true).ok);
  ExpectValidation(R"({"a":)" + NestedMaps(32) + "}", kTooDeep, true);
  ExpectValidation(R"({"a":)" + NestedMaps(31, R"({"M":{}})") + "}", kTooDeep, true);
  ExpectValidation(R"({"a":)" + NestedLists(32) + "}", kTooDeep, true);
  // The depth check fires on the way down, before anything deeper is looked at.
  ExpectValidation(R"({"a":)" + NestedMaps(40, R"({"N":"zz"})") + "}", kTooDeep, true);
  ExpectValidation(R"({"a":)" + NestedLists(40, R"({"SS":[]})") + "}", kTooDeep, true);
}

TEST(JsonCodecTest, AttributeMaps) {
  Parsed parsed = Parse(R"({"pk":{"S":"k"},"n":{"N":"1"}})", true);
  ASSERT_TRUE(parsed.ok);
  ASSERT_EQ(parsed.map.size(), 2u);
  EXPECT_EQ(parsed.map.at("pk").as_string(), "k");
  EXPECT_TRUE(Parse("{}", true).ok);
  ExpectValidation(R"({"pk":{"S":"k"},"":{"S":"a"}})", "Empty attribute name", true);
  ExpectValidation(R"({"M":{"":{"S":"a"}}})", "Empty attribute name");
  // The value is checked before its name.
  ExpectValidation(R"({"":{}})", kEmpty, true);
  ExpectSerialization("[]", "Start of list found where not expected", true);
  ExpectSerialization("5", "Unexpected field type", true);
  // The last of repeated names wins.
  parsed = Parse(R"({"a":{"S":"x"},"a":{"N":"1"}})", true);
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.map.at("a").type(), AttributeType::kN);
}

TEST(JsonCodecTest, DocumentOrderDecidesBetweenValidationErrors) {
  ExpectValidation(R"({"a":{"SS":[]},"b":{}})",
                   "One or more parameter values were invalid: An string set  may not be empty",
                   true);
  ExpectValidation(R"({"b":{},"a":{"SS":[]}})", kEmpty, true);
  ExpectValidation(R"({"a":{"N":"x"},"b":{}})", kNotANumber, true);
  ExpectValidation(R"({"b":{},"a":{"N":"x"}})", kEmpty, true);
  ExpectValidation(R"({"a":{"NS":["1","1"]},"b":{"N":"x"}})",
                   "Input collection contains duplicates", true);
  ExpectValidation(R"({"b":{"N":"x"},"a":{"NS":["1","1"]}})", kNotANumber, true);
  ExpectValidation(R"({"pk":{"S":"k"},"":{"S":"a"},"b":{}})", "Empty attribute name", true);
  ExpectValidation(R"({"pk":{"S":"k"},"b":{},"":{"S":"a"}})", kEmpty, true);
  ExpectValidation(R"({"a":)" + NestedMaps(32) + R"(,"b":{}})", kTooDeep, true);
  ExpectValidation(R"({"b":{},"a":)" + NestedMaps(32) + "}", kEmpty, true);
}

TEST(JsonCodecTest, SerializationErrorsWinOverValidationErrors) {
  ExpectSerialization(R"({"a":{"N":"x"},"b":{"S":5}})",
                      "NUMBER_VALUE cannot be converted to String", true);
  ExpectSerialization(R"({"a":{},"b":{"L":[{"B":"!"}]}})",
                      "Base64 encoded length is expected a multiple of 4 bytes but found: 1", true);
  ExpectSerialization(R"({"L":[{"SS":[]},{"M":{"x":{"BOOL":"no"}}}]})",
                      "STRING_VALUE cannot be converted to Boolean");
  // Without one, the validation error stands.
  ExpectValidation(R"({"a":{"N":"x"},"b":{"S":"5"}})", kNotANumber, true);
}

TEST(JsonCodecTest, WriteAttributeMap) {
  Parsed parsed = Parse(R"({"z":{"B":"AAEC"},"a":{"NS":["1.50","-2"]},"m":{"M":{}}})", true);
  ASSERT_TRUE(parsed.ok);
  std::string out;
  JsonWriter writer(out);
  WriteAttributeMap(writer, parsed.map);
  EXPECT_EQ(out, R"({"a":{"NS":["-2","1.5"]},"m":{"M":{}},"z":{"B":"AAEC"}})");
}

}  // namespace
}  // namespace dunlin::model

namespace dunlin::model {
namespace {

// Regression: a type key nulled out after another type key used to make the surviving value
// be parsed a second time, doubling the work at every level: 2^29 map parses for this 1 KB
// body. Each value is now parsed once, so this returns at once.
TEST(JsonCodecTest, NulledTypeKeysDoNotReparseNestedValues) {
  std::string json = R"({"S":"leaf"})";
  for (int level = 0; level < 29; ++level) {
    json = R"({"M":{"a":)" + json + R"(},"S":"x","S":null})";
  }
  Parsed parsed = Parse(json);
  ASSERT_TRUE(parsed.ok) << parsed.error.message;
  const AttributeValue* value = &parsed.value;
  for (int level = 0; level < 29; ++level) {
    ASSERT_EQ(value->type(), AttributeType::kM);
    value = &value->as_map().at("a");
  }
  EXPECT_EQ(value->as_string(), "leaf");
}

}  // namespace
}  // namespace dunlin::model
