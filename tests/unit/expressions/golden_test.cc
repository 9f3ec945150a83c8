// The golden-file runner for src/expressions: every *.txt under golden/ is one test, each block
// of it one case. The format is documented at the top of each file and in docs/expressions.md.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "expressions/evaluate.h"
#include "expressions/key_condition.h"
#include "expressions/projection.h"
#include "expressions/resolve.h"
#include "expressions/update.h"
#include "model/json_codec.h"

namespace dunlin::expressions {
namespace {

struct Case {
  std::string file;
  int line = 0;  // of the "expect" line
  std::map<std::string, std::string> fields;
};

std::vector<Case> ReadCases(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<Case> cases;
  std::optional<Case> current;
  std::string default_kind;
  std::string line;
  int number = 0;
  auto finish = [&] {
    if (current) cases.push_back(std::move(*current));
    current.reset();
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("@kind ", 0) == 0) {
      default_kind = line.substr(6);
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string::npos) {
      finish();
      continue;
    }
    if (line[0] == '#') continue;
    if (!current) {
      current.emplace();
      current->file = path.filename().string();
      current->fields["kind"] = default_kind;
    }
    const size_t space = line.find(' ');
    const std::string key = line.substr(0, space);
    current->fields[key] = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "expect") current->line = number;
  }
  finish();
  return cases;
}

// Parses a JSON object of strings (ExpressionAttributeNames).
NameMap ParseNames(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  NameMap names;
  if (parser.parse(json).get(object)) {
    ADD_FAILURE() << "bad names JSON: " << json;
    return names;
  }
  for (auto field : object) {
    std::string_view value;
    if (field.value.get(value)) ADD_FAILURE() << "bad names JSON: " << json;
    names.emplace(std::string(field.key), std::string(value));
  }
  return names;
}

model::AttributeMap ParseMap(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(json).get(element)) {
    ADD_FAILURE() << "bad JSON: " << json;
    return {};
  }
  auto map = model::ParseAttributeMap(element);
  if (!map.ok()) {
    ADD_FAILURE() << "bad attribute map " << json << ": " << map.error().message;
    return {};
  }
  return std::move(map).value();
}

std::string ToJson(const model::Item& item) {
  std::string out;
  JsonWriter writer(out);
  model::WriteAttributeMap(writer, item);
  return out;
}

// Runs one case; returns what its "expect" line should say.
std::string RunCase(const Case& c) {
  const auto& f = c.fields;
  auto field = [&](const char* key) -> std::optional<std::string> {
    auto it = f.find(key);
    if (it == f.end()) return std::nullopt;
    return it->second;
  };
  const std::string kind = f.at("kind");
  const std::string expr = field("expr").value_or("");
  std::optional<NameMap> names;
  std::optional<model::AttributeMap> values;
  std::optional<model::Item> item;
  if (auto json = field("names")) names = ParseNames(*json);
  if (auto json = field("values")) values = ParseMap(*json);
  if (auto json = field("item")) item = ParseMap(*json);
  ExpressionAttributes attributes(names ? &*names : nullptr, values ? &*values : nullptr);
  auto error = [](const ExpressionError& e) { return "error " + e.message; };
  if (auto valid = attributes.Validate(); !valid.ok()) return error(valid.error());

  if (kind == "condition" || kind == "filter") {
    auto condition = ParseCondition(
        expr, kind == "condition" ? ExpressionKind::kCondition : ExpressionKind::kFilter,
        attributes);
    if (!condition.ok()) return error(condition.error());
    if (auto used = attributes.CheckAllUsed(); !used.ok()) return error(used.error());
    return EvaluateCondition(*condition, item ? &*item : nullptr) ? "true" : "false";
  }
  if (kind == "update") {
    auto update = ParseUpdate(expr, attributes);
    if (!update.ok()) return error(update.error());
    if (auto used = attributes.CheckAllUsed(); !used.ok()) return error(used.error());
    auto result = ApplyUpdate(*update, item ? &*item : nullptr);
    if (!result.ok()) return error(result.error());
    return "item " + ToJson(result->item);
  }
  if (kind == "projection") {
    auto projection = ParseProjection(expr, attributes);
    if (!projection.ok()) return error(projection.error());
    if (auto used = attributes.CheckAllUsed(); !used.ok()) return error(used.error());
    return "item " + ToJson(Project(item ? *item : model::Item{}, *projection));
  }
  if (kind == "key_condition") {
    // The oracle table: partition key "h", sort key "r".
    const KeySchema schema{"h", "r", model::AttributeType::kS, model::AttributeType::kS, {}, {}};
    auto condition = ParseCondition(expr, ExpressionKind::kKeyCondition, attributes);
    if (!condition.ok()) return error(condition.error());
    if (auto used = attributes.CheckAllUsed(); !used.ok()) return error(used.error());
    auto key_condition = ExtractKeyCondition(*condition, schema);
    if (!key_condition.ok()) return error(key_condition.error());
    return item && MatchesKeyCondition(*key_condition, schema, *item) ? "true" : "false";
  }
  ADD_FAILURE() << "unknown kind " << kind;
  return "";
}

// Items compare as typed values (set order and number spelling do not matter).
bool SameOutcome(const std::string& expected, const std::string& actual) {
  if (expected == actual) return true;
  if (expected.rfind("item ", 0) != 0 || actual.rfind("item ", 0) != 0) return false;
  return ParseMap(expected.substr(5)) == ParseMap(actual.substr(5));
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, Cases) {
  const std::filesystem::path path =
      std::filesystem::path(DUNLIN_EXPRESSIONS_GOLDEN_DIR) / GetParam();
  const std::vector<Case> cases = ReadCases(path);
  EXPECT_FALSE(cases.empty());
  for (const Case& c : cases) {
    auto expect = c.fields.find("expect");
    if (expect == c.fields.end()) {
      ADD_FAILURE() << c.file << ": a case has no expect line";
      continue;
    }
    const std::string actual = RunCase(c);
    EXPECT_TRUE(SameOutcome(expect->second, actual))
        << c.file << ":" << c.line << ": " << c.fields.at("expr") << "\n  expected: "
        << expect->second << "\n  actual:   " << actual;
  }
}

std::vector<std::string> GoldenFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(DUNLIN_EXPRESSIONS_GOLDEN_DIR)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(GoldenFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace dunlin::expressions
