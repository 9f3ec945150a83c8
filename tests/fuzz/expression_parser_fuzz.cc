// libFuzzer target for src/expressions: the parser, resolution, and everything that consumes a
// resolved AST (condition evaluation, update application, projection, key-condition
// extraction). Built only with -DDUNLIN_BUILD_FUZZERS=ON and clang; see docs/expressions.md.
//
// Input layout: the first byte picks the expression kind (modulo 5), the rest is the expression
// text. Every input is resolved against one fixed set of ExpressionAttributeNames/Values and
// applied to one fixed item, so the fuzzer reaches the semantic checks and not only the syntax.
// The target asserts nothing beyond "no crash, no sanitizer report, no hang".
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "expressions/evaluate.h"
#include "expressions/key_condition.h"
#include "expressions/projection.h"
#include "expressions/resolve.h"
#include "expressions/update.h"
#include "model/json_codec.h"

namespace {

using namespace dunlin;               // NOLINT
using namespace dunlin::expressions;  // NOLINT

model::AttributeMap ParseFixture(const char* json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(json, std::strlen(json)).get(element)) std::abort();
  auto map = model::ParseAttributeMap(element);
  if (!map.ok()) std::abort();
  return std::move(map).value();
}

struct Fixture {
  NameMap names{{"#a", "a"}, {"#b", "b"}, {"#h", "h"}, {"#r", "r"}, {"#n", "count"}};
  model::AttributeMap values = ParseFixture(
      R"({":v":{"N":"1"},":w":{"N":"-2.5e10"},":s":{"S":"bc"},":b":{"B":"AQI="},)"
      R"(":ss":{"SS":["x","y"]},":ns":{"NS":["1","2"]},":bs":{"BS":["AQ=="]},)"
      R"(":l":{"L":[{"N":"1"},{"S":"x"}]},":m":{"M":{"a":{"N":"1"}}},)"
      R"(":t":{"BOOL":true},":z":{"NULL":true},":ty":{"S":"N"},":h":{"S":"k"}})");
  model::Item item = ParseFixture(
      R"({"h":{"S":"k"},"r":{"S":"bc"},"a":{"N":"99999999999999999999999999999999999999"},)"
      R"("b":{"L":[{"N":"0"},{"M":{"c":{"SS":["x"]},"d":{"L":[]}}},{"S":"s"}]},)"
      R"("m":{"M":{"x":{"M":{"y":{"NS":["1"]}}},"e":{"S":""}}},"s":{"BS":["AQ=="]},)"
      R"("n":{"NULL":true},"t":{"BOOL":false},"count":{"N":"-1"}})");
  KeySchema schema{"h", "r", model::AttributeType::kS, model::AttributeType::kS};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture* fixture = new Fixture();
  if (size == 0) return 0;
  const uint8_t selector = data[0] % 5;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  ExpressionAttributes attributes(&fixture->names, &fixture->values);
  switch (selector) {
    case 0:
    case 1: {
      const ExpressionKind kind = selector == 0 ? ExpressionKind::kCondition
                                                : ExpressionKind::kFilter;
      auto condition = ParseCondition(text, kind, attributes);
      if (!condition.ok()) return 0;
      (void)attributes.CheckAllUsed();
      (void)EvaluateCondition(*condition, &fixture->item);
      (void)EvaluateCondition(*condition, nullptr);
      break;
    }
    case 2: {
      auto update = ParseUpdate(text, attributes);
      if (!update.ok()) return 0;
      (void)attributes.CheckAllUsed();
      auto result = ApplyUpdate(*update, &fixture->item);
      if (result.ok()) (void)ProjectPaths(result->item, result->updated_paths);
      (void)ApplyUpdate(*update, nullptr);
      break;
    }
    case 3: {
      auto projection = ParseProjection(text, attributes);
      if (!projection.ok()) return 0;
      (void)Project(fixture->item, *projection);
      break;
    }
    case 4: {
      auto condition = ParseCondition(text, ExpressionKind::kKeyCondition, attributes);
      if (!condition.ok()) return 0;
      auto key = ExtractKeyCondition(*condition, fixture->schema);
      if (key.ok()) (void)MatchesKeyCondition(*key, fixture->schema, fixture->item);
      break;
    }
  }
  return 0;
}
