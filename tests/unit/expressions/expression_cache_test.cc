// ExpressionCache: results through the cache are those of the uncached parser and resolver for
// every golden expression, errors included; the bounds hold; concurrent use is safe.
#include "expressions/expression_cache.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/json_writer.h"
#include "expressions/parser.h"
#include "expressions/resolve.h"
#include "model/json_codec.h"

namespace dunlin::expressions {
namespace {

// ---- A full rendering of ASTs, so that "same AST" means every field, offsets included.

std::string ValueJson(const model::AttributeValue& value) {
  std::string out;
  JsonWriter writer(out);
  model::WriteAttributeValue(writer, value);
  return out;
}

std::string Describe(const Path& path) {
  std::string out = "[";
  for (const PathElement& element : path) {
    out += "{" + element.name + "|" + std::to_string(element.index) + "|" +
           (element.placeholder ? "p" : "-") + "|" + std::to_string(element.offset) + "}";
  }
  return out + "]";
}

std::string Describe(const Operand& operand) {
  std::string out = "(" + std::to_string(static_cast<int>(operand.kind)) + " " +
                    std::to_string(operand.offset) + " " + Describe(operand.path) + " '" +
                    operand.text + "' " + ValueJson(operand.value);
  for (const Operand& arg : operand.args) out += " " + Describe(arg);
  return out + ")";
}

std::string Describe(const Condition& condition) {
  std::string out = "<" + std::to_string(static_cast<int>(condition.kind)) + " " +
                    std::to_string(static_cast<int>(condition.op));
  for (const Operand& operand : condition.operands) out += " " + Describe(operand);
  for (const Condition& child : condition.children) out += " " + Describe(child);
  return out + ">";
}

std::string Describe(const UpdateExpression& update) {
  std::string out;
  for (const UpdateAction& action : update.actions) {
    out += std::to_string(static_cast<int>(action.kind)) + " " + Describe(action.path) + " " +
           Describe(action.value) + ";";
  }
  return out;
}

std::string Describe(const ProjectionExpression& projection) {
  std::string out;
  for (const Path& path : projection.paths) out += Describe(path) + ",";
  return out;
}

template <typename T>
std::string Outcome(const ExprResult<T>& result) {
  return result.ok() ? "ok " + Describe(*result) : "error " + result.error().message;
}

template <typename T>
std::string Outcome(const ExprResult<std::shared_ptr<const T>>& result) {
  return result.ok() ? "ok " + Describe(**result) : "error " + result.error().message;
}

// ---- The golden cases: kind, expression, names and values (the format is in
// docs/expressions.md; expectations are golden_test.cc's business).

struct GoldenExpression {
  std::string where;  // file:line, for failure messages
  std::string kind;
  std::string expr;
  std::optional<std::string> names;
  std::optional<std::string> values;
};

std::vector<GoldenExpression> ReadGoldenExpressions() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(DUNLIN_EXPRESSIONS_GOLDEN_DIR)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<GoldenExpression> out;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string default_kind;
    std::optional<GoldenExpression> current;
    auto finish = [&] {
      if (current) out.push_back(std::move(*current));
      current.reset();
    };
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.rfind("@kind ", 0) == 0) {
        default_kind = line.substr(6);
      } else if (line.find_first_not_of(" \t") == std::string::npos) {
        finish();
      } else if (line[0] != '#') {
        if (!current) {
          current.emplace();
          current->kind = default_kind;
          current->where = path.filename().string() + ":" + std::to_string(number);
        }
        const size_t space = line.find(' ');
        const std::string key = line.substr(0, space);
        const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
        if (key == "kind") current->kind = rest;
        if (key == "expr") current->expr = rest;
        if (key == "names") current->names = rest;
        if (key == "values") current->values = rest;
      }
    }
    finish();
  }
  return out;
}

NameMap ParseNames(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  NameMap names;
  if (parser.parse(json).get(object)) return names;
  for (auto field : object) {
    std::string_view value;
    if (!field.value.get(value)) names.emplace(std::string(field.key), std::string(value));
  }
  return names;
}

model::AttributeMap ParseValues(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(json).get(element)) return {};
  auto map = model::ParseAttributeMap(element);
  return map.ok() ? std::move(map).value() : model::AttributeMap{};
}

ExpressionKind KindOf(const std::string& kind) {
  if (kind == "filter") return ExpressionKind::kFilter;
  if (kind == "update") return ExpressionKind::kUpdate;
  if (kind == "projection") return ExpressionKind::kProjection;
  if (kind == "key_condition") return ExpressionKind::kKeyCondition;
  return ExpressionKind::kCondition;
}

// The syntax-only outcome, fresh or through `cache`.
std::string SyntaxOutcome(ExpressionKind kind, std::string_view text, ExpressionCache* cache) {
  switch (kind) {
    case ExpressionKind::kUpdate:
      return cache ? Outcome(cache->UpdateSyntax(text)) : Outcome(ParseUpdateSyntax(text));
    case ExpressionKind::kProjection:
      return cache ? Outcome(cache->ProjectionSyntax(text)) : Outcome(ParseProjectionSyntax(text));
    default:
      return cache ? Outcome(cache->ConditionSyntax(text, kind))
                   : Outcome(ParseConditionSyntax(text, kind));
  }
}

// Parse, resolve and the request-wide unused check, fresh or through `cache`.
std::string ResolvedOutcome(const GoldenExpression& c, ExpressionCache* cache) {
  std::optional<NameMap> names;
  std::optional<model::AttributeMap> values;
  if (c.names) names = ParseNames(*c.names);
  if (c.values) values = ParseValues(*c.values);
  ExpressionAttributes attributes(names ? &*names : nullptr, values ? &*values : nullptr);
  if (auto valid = attributes.Validate(); !valid.ok()) return "invalid " + valid.error().message;
  const ExpressionKind kind = KindOf(c.kind);
  std::string outcome;
  switch (kind) {
    case ExpressionKind::kUpdate:
      outcome = cache ? Outcome(cache->ParseUpdate(c.expr, attributes))
                      : Outcome(ParseUpdate(c.expr, attributes));
      break;
    case ExpressionKind::kProjection:
      outcome = cache ? Outcome(cache->ParseProjection(c.expr, attributes))
                      : Outcome(ParseProjection(c.expr, attributes));
      break;
    default:
      outcome = cache ? Outcome(cache->ParseCondition(c.expr, kind, attributes))
                      : Outcome(ParseCondition(c.expr, kind, attributes));
  }
  auto used = attributes.CheckAllUsed();
  return outcome + (used.ok() ? " | all used" : " | " + used.error().message);
}

const std::vector<GoldenExpression>& Golden() {
  static const auto* cases = new std::vector<GoldenExpression>(ReadGoldenExpressions());
  return *cases;
}

TEST(ExpressionCacheTest, GoldenFilesHaveExpressions) { EXPECT_GT(Golden().size(), 500u); }

// Cold (miss) and warm (hit) lookups give exactly the fresh parse: the same AST, field by field,
// or the same error message.
TEST(ExpressionCacheTest, SyntaxThroughTheCacheEqualsAFreshParse) {
  ExpressionCache cache;
  for (const GoldenExpression& c : Golden()) {
    const ExpressionKind kind = KindOf(c.kind);
    const std::string fresh = SyntaxOutcome(kind, c.expr, nullptr);
    EXPECT_EQ(SyntaxOutcome(kind, c.expr, &cache), fresh) << c.where << ": " << c.expr;
    EXPECT_EQ(SyntaxOutcome(kind, c.expr, &cache), fresh) << c.where << ": " << c.expr;
  }
  EXPECT_GT(cache.Stats().hits, 0u);
}

// The whole request path (parse, resolve, unused placeholders) gives the same outcome with and
// without the cache, for every golden case, resolution errors included.
TEST(ExpressionCacheTest, ResolvedThroughTheCacheEqualsUncached) {
  ExpressionCache cache;
  for (const GoldenExpression& c : Golden()) {
    const std::string fresh = ResolvedOutcome(c, nullptr);
    EXPECT_EQ(ResolvedOutcome(c, &cache), fresh) << c.where << ": " << c.expr;
    EXPECT_EQ(ResolvedOutcome(c, &cache), fresh) << c.where << ": " << c.expr;
  }
}

TEST(ExpressionCacheTest, AHitReturnsTheCachedAst) {
  ExpressionCache cache;
  auto first = cache.ConditionSyntax("a = :v AND #b < :w", ExpressionKind::kCondition);
  auto second = cache.ConditionSyntax("a = :v AND #b < :w", ExpressionKind::kCondition);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());
  const ExpressionCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
}

// The kind is part of the key: a filter does not reuse a condition's AST, whose messages would
// name the wrong parameter.
TEST(ExpressionCacheTest, KindsAreCachedSeparately) {
  ExpressionCache cache;
  auto condition = cache.ConditionSyntax("a = :v", ExpressionKind::kCondition);
  auto filter = cache.ConditionSyntax("a = :v", ExpressionKind::kFilter);
  ASSERT_TRUE(condition.ok() && filter.ok());
  EXPECT_NE(condition->get(), filter->get());
  EXPECT_EQ(cache.Stats().entries, 2u);
}

TEST(ExpressionCacheTest, ErrorsAreNotCachedAndKeepTheirWording) {
  ExpressionCache cache;
  for (int i = 0; i < 2; ++i) {
    auto parsed = cache.ConditionSyntax("a = = :v", ExpressionKind::kFilter);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().message,
              "Invalid FilterExpression: Syntax error; token: \"=\", near: \"= = :v\"");
  }
  EXPECT_EQ(cache.Stats().entries, 0u);
  EXPECT_EQ(cache.Stats().misses, 2u);
}

// Resolution works on a copy: the cached AST keeps its placeholders, and each request gets its
// own values.
TEST(ExpressionCacheTest, EachRequestResolvesItsOwnValues) {
  ExpressionCache cache;
  for (const char* number : {"1", "2"}) {
    model::AttributeMap values{{":v", model::AttributeValue::String(number)}};
    NameMap names{{"#b", "bee"}};
    ExpressionAttributes attributes(&names, &values);
    auto update = cache.ParseUpdate("SET #b = :v", attributes);
    ASSERT_TRUE(update.ok()) << update.error().message;
    EXPECT_EQ(update->actions[0].path[0].name, "bee");
    EXPECT_EQ(update->actions[0].value.value.as_string(), number);
    EXPECT_TRUE(attributes.CheckAllUsed().ok());
  }
  auto cached = cache.UpdateSyntax("SET #b = :v");
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE((*cached)->actions[0].path[0].placeholder);
  EXPECT_EQ((*cached)->actions[0].path[0].name, "#b");
  EXPECT_EQ((*cached)->actions[0].value.text, ":v");
  EXPECT_EQ(cache.Stats().hits, 2u);
}

// ---- Bounds.

std::string Projection(int i) { return "a" + std::to_string(i) + ".b[" + std::to_string(i) + "]"; }

TEST(ExpressionCacheTest, EntryLimitEvictsLeastRecentlyUsed) {
  ExpressionCache cache({.max_entries = 8, .shards = 1});
  ASSERT_TRUE(cache.ProjectionSyntax("keep").ok());
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(cache.ProjectionSyntax(Projection(i)).ok());
    ASSERT_TRUE(cache.ProjectionSyntax("keep").ok());  // recently used: never the victim
    EXPECT_LE(cache.Stats().entries, 8u);
  }
  const ExpressionCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.entries, 8u);
  EXPECT_EQ(stats.evictions, 93u);  // 101 texts, 8 kept
  EXPECT_EQ(stats.hits, 100u);      // every "keep" after the first
  auto recent = cache.ProjectionSyntax(Projection(99));
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(cache.Stats().hits, 101u);
  EXPECT_EQ(Describe(**recent), Describe(*ParseProjectionSyntax(Projection(99))));
}

TEST(ExpressionCacheTest, EntryLimitHoldsAcrossShards) {
  ExpressionCache cache({.max_entries = 64, .shards = 16});
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(cache.ProjectionSyntax(Projection(i)).ok());
  const ExpressionCacheStats stats = cache.Stats();
  EXPECT_LE(stats.entries, 64u);
  EXPECT_GT(stats.entries, 16u);  // the hash spreads texts over the shards
  EXPECT_EQ(stats.entries + stats.evictions, 1000u);
}

TEST(ExpressionCacheTest, ByteLimitBoundsTheEstimate) {
  const size_t max_bytes = 256 * 1024;
  ExpressionCache cache({.max_entries = 100000, .max_bytes = max_bytes, .shards = 4});
  std::string wide = "a0";
  for (int i = 1; i < 200; ++i) wide += ", a" + std::to_string(i);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(cache.ProjectionSyntax(wide + ", z" + std::to_string(i)).ok());
  }
  const ExpressionCacheStats stats = cache.Stats();
  EXPECT_LE(stats.bytes, max_bytes);
  EXPECT_GT(stats.entries, 0u);
  EXPECT_LT(stats.entries, 200u);
  EXPECT_GT(stats.evictions, 0u);

  // An entry bigger than a shard's share of the budget is returned but not kept.
  ExpressionCache tiny({.max_bytes = 1024, .shards = 1});
  auto parsed = tiny.ProjectionSyntax(wide);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)->paths.size(), 200u);
  EXPECT_EQ(tiny.Stats().entries, 0u);
}

TEST(ExpressionCacheTest, LongTextsAreParsedButNotCached) {
  ExpressionCache cache({.max_text_bytes = 16});
  const std::string text = "a = :v AND b = :v AND c = :v";
  auto parsed = cache.ConditionSyntax(text, ExpressionKind::kCondition);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(Describe(**parsed), Describe(*ParseConditionSyntax(text, ExpressionKind::kCondition)));
  EXPECT_EQ(cache.Stats().entries, 0u);

  // With the default options, DynamoDB's size limit: the oversized text fails exactly as before.
  ExpressionCache defaults;
  const std::string oversized = "a = :v" + std::string(kMaxExpressionCharacters, ' ');
  auto too_long = defaults.ConditionSyntax(oversized, ExpressionKind::kCondition);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().message,
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 4102");
  EXPECT_EQ(defaults.Stats().entries, 0u);
  EXPECT_EQ(defaults.Stats().misses, 0u);  // never looked up
}

TEST(ExpressionCacheTest, ZeroEntriesDisablesCaching) {
  ExpressionCache cache({.max_entries = 0});
  auto first = cache.ConditionSyntax("a = :v", ExpressionKind::kCondition);
  auto second = cache.ConditionSyntax("a = :v", ExpressionKind::kCondition);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->get(), second->get());
  EXPECT_EQ(cache.Stats().entries, 0u);
}

TEST(ExpressionCacheTest, EvictedAndClearedAstsStayValidForTheirHolders) {
  ExpressionCache cache({.max_entries = 1, .shards = 1});
  auto held = cache.ProjectionSyntax("a.b[1]");
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(cache.ProjectionSyntax("c").ok());  // evicts "a.b[1]"
  EXPECT_EQ(cache.Stats().evictions, 1u);
  cache.Clear();
  EXPECT_EQ(cache.Stats().entries, 0u);
  EXPECT_EQ(cache.Stats().bytes, 0u);
  EXPECT_EQ(Describe(**held), Describe(*ParseProjectionSyntax("a.b[1]")));
}

// ---- Concurrency: several threads parse an overlapping set of texts, larger than the cache so
// that evictions race with hits, while another thread reads the statistics and clears.

TEST(ExpressionCacheTest, ConcurrentUseGivesFreshParseResults) {
  ExpressionCache cache({.max_entries = 48, .shards = 4});
  std::vector<GoldenExpression> cases;
  for (const GoldenExpression& c : Golden()) {
    if (c.expr.size() <= kMaxExpressionCharacters) cases.push_back(c);
    if (cases.size() == 200) break;
  }
  std::vector<std::string> expected;
  for (const GoldenExpression& c : cases) expected.push_back(ResolvedOutcome(c, nullptr));

  constexpr int kThreads = 6;
  constexpr int kRounds = 20;
  std::atomic<int> mismatches{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = 0; i < cases.size(); ++i) {
          // Threads walk the cases from different starting points.
          const size_t at = (i + static_cast<size_t>(t) * 37) % cases.size();
          if (ResolvedOutcome(cases[at], &cache) != expected[at]) ++mismatches;
        }
      }
    });
  }
  std::thread observer([&] {
    int clears = 0;
    while (!done.load()) {
      const ExpressionCacheStats stats = cache.Stats();
      if (stats.entries > 48) ++mismatches;
      if (++clears % 50 == 0) cache.Clear();
      std::this_thread::yield();
    }
  });
  for (std::thread& thread : threads) thread.join();
  done = true;
  observer.join();
  EXPECT_EQ(mismatches.load(), 0);
  const ExpressionCacheStats stats = cache.Stats();
  EXPECT_LE(stats.entries, 48u);
  EXPECT_GT(stats.hits, 0u);
}

}  // namespace
}  // namespace dunlin::expressions
