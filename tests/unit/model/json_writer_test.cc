#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace dunlin {
namespace {

std::string Quoted(std::string_view value) {
  std::string out;
  AppendJsonString(out, value);
  return out;
}

TEST(AppendJsonStringTest, EscapesPerRfc8259) {
  EXPECT_EQ(Quoted(""), R"("")");
  EXPECT_EQ(Quoted("plain"), R"("plain")");
  EXPECT_EQ(Quoted("a\"b"), R"("a\"b")");
  EXPECT_EQ(Quoted("a\\b"), R"("a\\b")");
  EXPECT_EQ(Quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quoted(std::string("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(Quoted("\x7f"), "\"\x7f\"");
  EXPECT_EQ(Quoted("/"), R"("/")");
}

TEST(AppendJsonStringTest, PassesUtf8Through) {
  EXPECT_EQ(Quoted("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(AppendJsonStringTest, Appends) {
  std::string out = "x";
  AppendJsonString(out, "y");
  EXPECT_EQ(out, R"(x"y")");
}

TEST(JsonWriterTest, NestedStructure) {
  std::string out;
  JsonWriter writer(out);
  writer.BeginObject();
  writer.Key("a");
  writer.Int(-12);
  writer.Key("b");
  writer.BeginArray();
  writer.String("x");
  writer.Bool(true);
  writer.Null();
  writer.BeginObject();
  writer.EndObject();
  writer.BeginArray();
  writer.EndArray();
  writer.EndArray();
  writer.Key("c\n");
  writer.Raw(R"({"r":1})");
  writer.Key("d");
  writer.Bool(false);
  writer.EndObject();
  EXPECT_EQ(out, R"({"a":-12,"b":["x",true,null,{},[]],"c\n":{"r":1},"d":false})");
}

TEST(JsonWriterTest, Numbers) {
  std::string out;
  JsonWriter writer(out);
  writer.BeginArray();
  writer.Int(std::numeric_limits<int64_t>::min());
  writer.Int(0);
  writer.Double(1.5);
  writer.Double(1795431649.165);
  writer.Double(std::numeric_limits<double>::quiet_NaN());
  writer.Double(std::numeric_limits<double>::infinity());
  writer.EndArray();
  EXPECT_EQ(out, "[-9223372036854775808,0,1.5,1795431649.165,null,null]");
}

TEST(JsonWriterTest, TopLevelScalar) {
  std::string out;
  JsonWriter writer(out);
  writer.String("s");
  EXPECT_EQ(out, R"("s")");
}

}  // namespace
}  // namespace dunlin
