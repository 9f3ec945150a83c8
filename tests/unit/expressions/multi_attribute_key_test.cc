// Key conditions on multi-attribute keys (global secondary indexes with up to four partition and
// four sort attributes): KeyConditionExpression, the legacy KeyConditions, the canonical form
// of the result, and MatchesKeyCondition. Every message and every order of checks below was
// observed on DynamoDB Local 2026-05-28 (docs/notes-oracle-indexes.md, section 5).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "expressions/key_condition.h"
#include "expressions/legacy_conditions.h"
#include "expressions/resolve.h"

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;
using model::KeyElement;

AttributeValue S(std::string text) { return AttributeValue::String(std::move(text)); }
AttributeValue N(std::string_view text) { return AttributeValue::Num(*model::Number::Parse(text)); }
AttributeValue B(std::string bytes) { return AttributeValue::Bytes(std::move(bytes)); }

KeySchema Schema(std::vector<KeyElement> partition, std::vector<KeyElement> sort) {
  KeySchema schema;
  schema.partition_key = partition[0].name;
  schema.partition_type = partition[0].type;
  schema.more_partition.assign(partition.begin() + 1, partition.end());
  if (!sort.empty()) {
    schema.sort_key = sort[0].name;
    schema.sort_type = sort[0].type;
    schema.more_sort.assign(sort.begin() + 1, sort.end());
  }
  return schema;
}

constexpr AttributeType kS = AttributeType::kS;
constexpr AttributeType kN = AttributeType::kN;
constexpr AttributeType kB = AttributeType::kB;

// The indexes probed on DynamoDB Local, on a table keyed pk (S) + sk (S).
// HASH a (S), b (N); RANGE c (S), d (N).
const KeySchema kM22 = Schema({{"a", kS}, {"b", kN}}, {{"c", kS}, {"d", kN}});
// HASH a (S); RANGE d (N), e (S), f (S).
const KeySchema kM13 = Schema({{"a", kS}}, {{"d", kN}, {"e", kS}, {"f", kS}});
// HASH a (S), b (N); no RANGE.
const KeySchema kM20 = Schema({{"a", kS}, {"b", kN}}, {});
// HASH a (S), b (N), g (S), x (B); RANGE c (S), d (N), e (S), f (S).
const KeySchema kM44 = Schema({{"a", kS}, {"b", kN}, {"g", kS}, {"x", kB}},
                              {{"c", kS}, {"d", kN}, {"e", kS}, {"f", kS}});
// Names out of alphabetical order: HASH y (S), h (S); RANGE q (S), k (N), j (S).
const KeySchema kRev = Schema({{"y", kS}, {"h", kS}}, {{"q", kS}, {"k", kN}, {"j", kS}});

const model::AttributeMap kValues{
    {":a", S("A")}, {":b", N("1")}, {":c", S("x")}, {":d", N("1")},  {":e", S("e")},
    {":f", S("f")}, {":g", S("g")}, {":x", B("1")}, {":pk", S("p")}, {":n", N("5")},
    {":m", N("9")}, {":s", S("s")}, {":z", S("z")}, {":bb", B("b")}, {":y", S("y")},
    {":h", S("h")}, {":q", S("q")}, {":k", N("1")}, {":j", S("j")},
};

ExprResult<KeyCondition> Extract(std::string_view text, const KeySchema& schema) {
  const NameMap names{{"#a", "a"}, {"#b", "b"}};
  ExpressionAttributes attributes(&names, &kValues);
  auto condition = ParseCondition(text, ExpressionKind::kKeyCondition, attributes);
  if (!condition.ok()) return Fail(condition.error());
  return ExtractKeyCondition(*condition, schema);
}

std::string Message(std::string_view text, const KeySchema& schema) {
  auto keys = Extract(text, schema);
  return keys.ok() ? std::string("ok") : keys.error().message;
}

std::string Hash(std::string_view names) {
  return "HASH key attributes " + std::string(names) +
         " must have equality conditions specified in the query";
}

std::string Range(std::string_view names, std::string_view present) {
  return "RANGE key attributes " + std::string(names) +
         " must have equality conditions specified in the query because a condition is present "
         "on key attribute " +
         std::string(present);
}

std::string IndexKey(std::string_view name) {
  return "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
         "allowed: IndexKey: " +
         std::string(name);
}

const std::string kOnePerKey = "KeyConditionExpressions must only contain one condition per key";
const std::string kMissed = "Query condition missed key schema element";
const std::string kNotSupported = "Query key condition not supported";
const std::string kMismatch =
    "One or more parameter values were invalid: Condition parameter type does not match schema "
    "type";
const std::string kNestedAttribute =
    "KeyConditionExpressions cannot have conditions on nested attributes";
const std::string kNestedOperation = "KeyConditionExpressions cannot contain nested operations";
const std::string kMultipleNames =
    "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition";
const std::string kNotIndexable = "Attempted conditional constraint is not an indexable operation";
const std::string kRangeScalar = "Only scalar types can be used as Range Key values";

struct ErrorCase {
  const KeySchema* schema;
  std::string_view text;
  std::string message;
};

void ExpectErrors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& test : cases) {
    EXPECT_EQ(Message(test.text, *test.schema), test.message) << test.text;
  }
}

TEST(MultiAttributeKeyTest, EveryPartitionAttributeNeedsAnEquality) {
  ExpectErrors({
      {&kM22, "a = :a", Hash("b")},
      {&kM22, "b = :b", Hash("a")},
      {&kM22, "a = :a AND b > :b", Hash("b")},
      {&kM22, "a > :a AND b = :b", Hash("a")},
      {&kM22, "a > :a AND b > :b", Hash("a, b")},
      // The attributes without a condition, or else those whose condition is not an equality.
      {&kM22, "b > :b", Hash("a")},
      {&kM22, "a > :a AND pk = :pk", Hash("b")},
      {&kM44, "a > :a AND b = :b AND g = :g", Hash("x")},
      {&kM44, "a = :a AND b > :b AND c = :c", Hash("g, x")},
      {&kM44, "a > :a AND b > :b AND g = :g AND x = :x", Hash("a, b")},
      {&kM44, "begins_with(a, :a) AND b = :b AND g = :g AND x = :x", Hash("a")},
      {&kM44, "begins_with(a, :a) AND b = :b", Hash("g, x")},
      {&kM22, "a = :a AND b BETWEEN :b AND :n", Hash("b")},
      {&kM22, "c = :c", Hash("a, b")},
      {&kM22, "a = :a AND d = :d", Hash("b")},
      {&kM13, "d = :d", Hash("a")},
      {&kM13, "a > :a AND d = :d", Hash("a")},
      {&kM13, "pk = :pk", Hash("a")},
      {&kM20, "a = :a AND c = :c", Hash("b")},
      {&kM44, "a = :a AND g = :g AND pk = :pk", Hash("b, x")},
      {&kM44, "x = :x AND c = :c", Hash("a, b, g")},
      // Schema order, not alphabetical.
      {&kRev, "pk = :pk", Hash("y, h")},
      {&kRev, "q = :q", Hash("y, h")},
  });
}

TEST(MultiAttributeKeyTest, SortConditionsCoverALeftPrefix) {
  const std::string_view p4 = "a = :a AND b = :b AND g = :g AND x = :x AND ";
  const std::vector<std::string> m44 = {
      std::string(p4) + "d = :d AND f = :f",
      std::string(p4) + "c > :c AND d > :d AND e = :e",
      std::string(p4) + "c > :c AND e = :e",
      std::string(p4) + "c > :c AND d = :d AND f = :f",
      std::string(p4) + "c > :c AND d > :d AND e > :e AND f = :f",
      std::string(p4) + "c = :c AND e > :e",
      std::string(p4) + "e > :e AND f = :f",
      std::string(p4) + "d > :d AND f = :f",
      std::string(p4) + "c = :c AND d > :d AND f = :f",
  };
  ExpectErrors({
      {&kM22, "a = :a AND b = :b AND d = :d", Range("c", "d")},
      {&kM22, "a = :a AND b = :b AND c > :c AND d = :d", Range("c", "d")},
      {&kM22, "a = :a AND b = :b AND c BETWEEN :c AND :z AND d = :d", Range("c", "d")},
      {&kM22, "a = :a AND b = :b AND begins_with(c, :c) AND d = :d", Range("c", "d")},
      {&kM13, "a = :a AND f = :f", Range("d, e", "f")},
      {&kM13, "a = :a AND e = :e AND f = :f", Range("d", "e")},
      {&kM13, "a = :a AND d > :d AND e = :e AND f = :f", Range("d", "f")},
      {&kM13, "a = :a AND d = :d AND e > :e AND f = :f", Range("e", "f")},
      {&kM13, "a = :a AND d = :d AND f = :f", Range("e", "f")},
      // A gap wins: the range condition on d before it goes unnamed.
      {&kM13, "a = :a AND d > :d AND f = :f", Range("e", "f")},
      // Gaps: the attributes without a condition before the first one after a gap.
      {&kM44, m44[0], Range("c", "d")},
      {&kM44, m44[2], Range("d", "e")},
      {&kM44, m44[3], Range("e", "f")},
      {&kM44, m44[5], Range("d", "e")},
      {&kM44, m44[6], Range("c, d", "e")},
      {&kM44, m44[7], Range("c", "d")},
      {&kM44, m44[8], Range("e", "f")},
      // No gap: the earlier non-equalities, against the last condition.
      {&kM44, m44[1], Range("c, d", "e")},
      {&kM44, m44[4], Range("c, d, e", "f")},
      {&kRev, "y = :y AND h = :h AND j = :j", Range("q, k", "j")},
      {&kRev, "y = :y AND h = :h AND k > :k AND j = :j", Range("q", "k")},
      {&kRev, "y = :y AND h = :h AND q > :q AND k > :k AND j = :j", Range("q, k", "j")},
  });
}

TEST(MultiAttributeKeyTest, ConditionCounts) {
  ExpectErrors({
      {&kM22, "a = :a AND b = :b AND c = :c AND c = :c", kOnePerKey},
      {&kM22, "a = :a AND a = :a", kOnePerKey},
      {&kM13, "a = :a AND d = :d AND d = :d", kOnePerKey},
      {&kM13, "a = :a AND pk = :pk AND pk = :pk", kOnePerKey},
      // More conditions than key attributes.
      {&kM22, "a = :a AND b = :b AND c = :c AND d = :d AND pk = :pk", kNotSupported},
      {&kM13, "a = :a AND d = :d AND e = :e AND f = :f AND sk = :pk", kNotSupported},
      {&kM20, "a = :a AND b = :b AND c = :c", kNotSupported},
      {&kM20, "a = :a AND b = :b AND c > :c", kNotSupported},
      // A repeated attribute wins over the count.
      {&kM22, "a = :a AND a = :a AND b = :b AND c = :c AND d = :d", kOnePerKey},
      {&kM20, "a = :a AND b = :b AND a = :a", kOnePerKey},
  });
}

TEST(MultiAttributeKeyTest, OtherAttributes) {
  ExpectErrors({
      {&kM22, "a = :a AND b = :b AND pk = :pk", kMissed},
      {&kM13, "a = :a AND pk = :pk", kMissed},
      {&kM13, "a = :a AND d = :d AND e = :e AND pk = :pk", kMissed},
      // Values on other attributes are not type-checked.
      {&kM22, "a = :a AND b = :b AND pk = :n", kMissed},
  });
}

TEST(MultiAttributeKeyTest, ValueTypes) {
  ExpectErrors({
      {&kM22, "a = :b AND b = :b", kMismatch},
      {&kM22, "a = :a AND b = :a", kMismatch},
      {&kM22, "a = :a AND b = :b AND c = :n AND d = :d", kMismatch},
      {&kM22, "a = :a AND b = :b AND c BETWEEN :n AND :m", kMismatch},
      {&kM22, "a = :a AND b = :b AND c = :c AND d BETWEEN :s AND :z", kMismatch},
      {&kM22, "a = :a AND b = :b AND c = :c AND begins_with(d, :c)", kMismatch},
      {&kM22, "a = :a AND b = :b AND c = :c AND d > :c", kMismatch},
      {&kM22, "a = :a AND b = :b AND begins_with(c, :bb)", kMismatch},
      {&kM44, "a = :a AND b = :b AND g = :g AND x = :s", kMismatch},
      {&kRev, "y = :y AND h = :h AND q = :q AND k = :k AND j = :k", kMismatch},
  });
}

TEST(MultiAttributeKeyTest, OrderOfChecks) {
  ExpectErrors({
      // The HASH message wins over a type, a RANGE fault and another attribute.
      {&kM22, "a = :b", Hash("b")},
      {&kM22, "a = :a AND pk = :pk", Hash("b")},
      {&kM22, "pk = :pk", Hash("a, b")},
      // The partition values' types win over the RANGE message...
      {&kM22, "a = :a AND b = :a AND d = :d", kMismatch},
      // ...which wins over the sort values' types...
      {&kM22, "a = :a AND b = :b AND d = :c", Range("c", "d")},
      {&kM22, "a = :a AND b = :b AND c > :n AND d = :d", Range("c", "d")},
      {&kRev, "y = :y AND h = :h AND j = :k AND q = :k", Range("k", "j")},
      // ...and over another attribute, as do the types.
      {&kM13, "a = :a AND f = :f AND pk = :pk", Range("d, e", "f")},
      {&kM13, "a = :a AND pk = :pk AND f = :f", Range("d, e", "f")},
      {&kM13, "a = :a AND d > :d AND e = :e AND pk = :pk", Range("d", "e")},
      {&kM22, "a = :n AND b = :b AND pk = :pk", kMismatch},
      {&kM22, "a = :a AND b = :b AND c = :n AND pk = :pk", kMismatch},
      // The count wins over all of these.
      {&kM22, "a = :b AND b = :b AND c = :c AND d = :d AND pk = :pk", kNotSupported},
      {&kM22, "a = :a AND b = :b AND c = :n AND d = :d AND pk = :pk", kNotSupported},
  });
}

TEST(MultiAttributeKeyTest, NestedPathsAndReadingErrors) {
  ExpectErrors({
      {&kM22, "a = :a AND b = :b AND c.x = :c", IndexKey("c")},
      {&kM22, "a = :a AND b = :b AND c[0] = :c", IndexKey("c")},
      {&kM22, "a = :a AND c.x = :c", IndexKey("c")},
      {&kM22, "a.x = :a AND a = :a", IndexKey("a")},
      {&kM22, "a = :a AND a.x = :a", IndexKey("a")},
      // Before anything else, the key attributes taken in schema order.
      {&kM22, "a = :a AND a = :a AND c.x = :c", IndexKey("c")},
      {&kM22, "d.x = :d AND c.x = :c", IndexKey("c")},
      {&kRev, "h.x = :h AND y.x = :y", IndexKey("y")},
      {&kRev, "j.x = :j AND q.x = :q", IndexKey("q")},
      {&kM22, "c.x = :c OR a = :a", IndexKey("c")},
      {&kM22, "c.x = :c AND NOT a = :a", IndexKey("c")},
      {&kM22, "size(b) = :b AND c.x = :c", IndexKey("c")},
      {&kM22, ":b = :b AND c.x = :c", IndexKey("c")},
      {&kM22, "zz.x = :c AND c.x = :c", IndexKey("c")},
      {&kM22, "a = :a AND b = :b AND size(c.x) = :b", IndexKey("c")},
      {&kM22, "a = :a AND b = :b AND begins_with(c.x, :c)", IndexKey("c")},
      {&kM22, "a = :a AND b = :b AND c.x BETWEEN :c AND :z", IndexKey("c")},
      {&kM22, "a = :a AND b = :b AND c = :c AND d = :d AND a.x = :pk", IndexKey("a")},
      // A nested path on another attribute, condition by condition.
      {&kM22, "a = :a AND b = :b AND zz.x = :c", kNestedAttribute},
      {&kM22, "a = :a AND b = :b AND zz[0] = :c", kNestedAttribute},
      {&kM22, "zz.x = :c", kNestedAttribute},
      {&kM22, "a = :a AND zz.x = :c", kNestedAttribute},
      {&kM22, "a = :a AND b = :b AND zz.x = :c AND pk = :pk", kNestedAttribute},
      {&kM22, "zz.x = :c AND a = :a AND a = :a", kNestedAttribute},
      {&kM22, "a = :a AND a = :a AND zz.x = :c", kOnePerKey},
      {&kM22, "zz.x = :c AND size(b) = :b", kNestedAttribute},
      {&kM22, "size(b) = :b AND zz.x = :c", kNestedOperation},
      {&kM22, "a = :a AND b = :b AND begins_with(zz.x, :c)", kNestedAttribute},
      {&kM22, "a = :a AND b = :b AND zz.x BETWEEN :c AND :z", kNestedAttribute},
      {&kM22, "zz.x = :c AND a = :a AND b = :b AND c = :c AND d = :d AND pk = :pk",
       kNestedAttribute},
      // Reading a condition, condition by condition, before the count.
      {&kM22, "a = :a AND b = :b AND c = :c AND d = :d AND pk = :pk AND size(b) = :b",
       kNestedOperation},
      {&kM22, "a = :a AND b = :b AND c = :c AND d = :d AND pk = :pk AND :b = :b",
       "Invalid condition in KeyConditionExpression: No key attribute specified"},
      {&kM22, "a = :a AND b = :b AND c < d", kMultipleNames},
      {&kM22, "a = :a AND b = :b AND c = :c AND d = :d AND pk = :pk AND c < d", kMultipleNames},
      {&kM22, "a = :a AND b = :b AND c BETWEEN :c AND zz.x", kMultipleNames},
      {&kM22, "a = :a AND b = :b AND begins_with(:c, c)",
       "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
       "attribute as its first operand"},
      {&kM22, "a = :a AND a = :a AND size(b) = :b", kOnePerKey},
      {&kM22, "a = :a AND a = :a AND :b = :b", kOnePerKey},
      {&kM22, "a = :a AND a = :a AND c < d", kOnePerKey},
      {&kM22, "size(b) = :b AND a = :a AND a = :a", kNestedOperation},
      {&kM22, ":b = :b AND a = :a AND a = :a",
       "Invalid condition in KeyConditionExpression: No key attribute specified"},
      {&kM22, "a = :a OR b = :b", "Invalid operator used in KeyConditionExpression: OR"},
      {&kM22, "a = :a AND a = :a OR b = :b", "Invalid operator used in KeyConditionExpression: OR"},
      {&kM22, "a = :a AND b = :b AND c <> :c",
       "Invalid operator used in KeyConditionExpression: <>"},
  });
}

// The canonical form: every partition value, the equalities before the last sort condition in
// sort_prefix, and the last one in sort even when it is an equality.
TEST(MultiAttributeKeyTest, CanonicalForm) {
  for (std::string_view text :
       {"a = :a AND b = :b", "b = :b AND a = :a", "#a = :a AND #b = :b", "(a = :a) AND (b = :b)"}) {
    auto keys = Extract(text, kM22);
    ASSERT_TRUE(keys.ok()) << text << ": " << keys.error().message;
    EXPECT_EQ(keys->partition_value, S("A")) << text;
    EXPECT_EQ(keys->more_partition_values, std::vector<AttributeValue>{N("1")}) << text;
    EXPECT_TRUE(keys->sort_prefix.empty()) << text;
    EXPECT_FALSE(keys->sort.has_value()) << text;
  }
  auto first = Extract("a = :a AND b = :b AND c = :c", kM22);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->sort_prefix.empty());
  ASSERT_TRUE(first->sort.has_value());
  EXPECT_EQ(first->sort->op, SortKeyOp::kEq);
  EXPECT_EQ(first->sort->value, S("x"));

  for (std::string_view text :
       {"a = :a AND b = :b AND c = :c AND d = :d", "d = :d AND c = :c AND b = :b AND a = :a",
        "a = :a AND b = :b AND (c = :c AND d = :d)",
        "(a = :a) AND ((b = :b) AND (c = :c AND (d = :d)))"}) {
    auto keys = Extract(text, kM22);
    ASSERT_TRUE(keys.ok()) << text << ": " << keys.error().message;
    EXPECT_EQ(keys->sort_prefix, std::vector<AttributeValue>{S("x")}) << text;
    ASSERT_TRUE(keys->sort.has_value()) << text;
    EXPECT_EQ(keys->sort->op, SortKeyOp::kEq) << text;
    EXPECT_EQ(keys->sort->value, N("1")) << text;
  }

  auto last_range = Extract("a = :a AND b = :b AND c = :c AND d > :d", kM22);
  ASSERT_TRUE(last_range.ok()) << last_range.error().message;
  EXPECT_EQ(last_range->sort_prefix, std::vector<AttributeValue>{S("x")});
  EXPECT_EQ(last_range->sort->op, SortKeyOp::kGt);

  // Operands either way round.
  auto mirrored = Extract(":a = a AND :b = b AND :c < c", kM22);
  ASSERT_TRUE(mirrored.ok()) << mirrored.error().message;
  EXPECT_TRUE(mirrored->sort_prefix.empty());
  EXPECT_EQ(mirrored->sort->op, SortKeyOp::kGt);
  EXPECT_EQ(mirrored->sort->value, S("x"));

  auto prefix = Extract("a = :a AND b = :b AND begins_with(c, :c)", kM22);
  ASSERT_TRUE(prefix.ok()) << prefix.error().message;
  EXPECT_EQ(prefix->sort->op, SortKeyOp::kBeginsWith);
  auto between = Extract("a = :a AND b = :b AND c BETWEEN :c AND :z", kM22);
  ASSERT_TRUE(between.ok()) << between.error().message;
  EXPECT_EQ(between->sort->op, SortKeyOp::kBetween);
  EXPECT_EQ(between->sort->upper, S("z"));
  auto number_between = Extract("a = :a AND b = :b AND c = :c AND d BETWEEN :d AND :n", kM22);
  ASSERT_TRUE(number_between.ok()) << number_between.error().message;

  auto full = Extract(
      "begins_with(f, :f) AND e = :e AND d = :d AND c = :c AND x = :x AND g = :g AND b = :b AND "
      "a = :a",
      kM44);
  ASSERT_TRUE(full.ok()) << full.error().message;
  EXPECT_EQ(full->partition_value, S("A"));
  EXPECT_EQ(full->more_partition_values, (std::vector<AttributeValue>{N("1"), S("g"), B("1")}));
  EXPECT_EQ(full->sort_prefix, (std::vector<AttributeValue>{S("x"), N("1"), S("e")}));
  EXPECT_EQ(full->sort->op, SortKeyOp::kBeginsWith);
  EXPECT_EQ(full->sort->value, S("f"));

  auto hash_only = Extract("b = :b AND a = :a", kM20);
  ASSERT_TRUE(hash_only.ok()) << hash_only.error().message;
  EXPECT_FALSE(hash_only->sort.has_value());

  auto single_hash = Extract("a = :a AND d = :d AND e < :e", kM13);
  ASSERT_TRUE(single_hash.ok()) << single_hash.error().message;
  EXPECT_TRUE(single_hash->more_partition_values.empty());
  EXPECT_EQ(single_hash->sort_prefix, std::vector<AttributeValue>{N("1")});
  EXPECT_EQ(single_hash->sort->op, SortKeyOp::kLt);
}

TEST(MultiAttributeKeyTest, MatchesKeyCondition) {
  auto matches = [](std::string_view text, const model::Item& item) {
    auto keys = Extract(text, kM22);
    EXPECT_TRUE(keys.ok()) << text << ": " << keys.error().message;
    return keys.ok() && MatchesKeyCondition(*keys, kM22, item);
  };
  const model::Item i1{{"pk", S("i1")}, {"a", S("A")}, {"b", N("1")}, {"c", S("x")}, {"d", N("2")}};
  const model::Item i2{{"pk", S("i2")}, {"a", S("A")}, {"b", N("1")}, {"c", S("x")}, {"d", N("1")}};
  const model::Item i3{{"pk", S("i3")}, {"a", S("A")}, {"b", N("1")}, {"c", S("y")}, {"d", N("0")}};
  const model::Item i4{{"pk", S("i4")}, {"a", S("A")}, {"b", N("2")}, {"c", S("x")}, {"d", N("1")}};
  const model::Item no_c{{"pk", S("i6")}, {"a", S("A")}, {"b", N("1")}, {"d", N("1")}};
  const model::Item no_b{{"pk", S("i7")}, {"a", S("A")}, {"c", S("x")}, {"d", N("1")}};

  EXPECT_TRUE(matches("a = :a AND b = :b", i1));
  EXPECT_FALSE(matches("a = :a AND b = :b", i4));    // the second partition value differs
  EXPECT_FALSE(matches("a = :a AND b = :b", no_b));  // or is missing
  EXPECT_TRUE(matches("a = :a AND b = :b AND c = :c AND d > :d", i1));
  EXPECT_FALSE(matches("a = :a AND b = :b AND c = :c AND d > :d", i2));
  EXPECT_FALSE(matches("a = :a AND b = :b AND c = :c AND d > :d", i3));    // prefix differs
  EXPECT_FALSE(matches("a = :a AND b = :b AND c = :c AND d = :d", no_c));  // prefix missing
  EXPECT_TRUE(matches("a = :a AND b = :b AND c = :c AND d = :d", i2));
  EXPECT_TRUE(matches("a = :a AND b = :b AND c > :c", i3));
  EXPECT_FALSE(matches("a = :a AND b = :b AND c > :c", i1));
  EXPECT_TRUE(matches("a = :a AND b = :b AND begins_with(c, :c)", i2));
  EXPECT_TRUE(matches("a = :a AND b = :b AND c = :c", i1));

  // A single-attribute key still matches on partition_key and sort_key.
  KeySchema single;
  single.partition_key = "a";
  single.sort_key = "c";
  KeyCondition on_single;
  on_single.partition_value = S("A");
  on_single.sort = SortKeyCondition{SortKeyOp::kGt, S("x"), {}};
  EXPECT_TRUE(MatchesKeyCondition(on_single, single, i3));
  EXPECT_FALSE(MatchesKeyCondition(on_single, single, i1));
}

TEST(MultiAttributeKeyTest, KeySchemaOfIndex) {
  model::SecondaryIndex index;
  index.key_schema.partition = {"a", kS};
  index.key_schema.sort = KeyElement{"c", kS};
  index.more_partition = {{"b", kN}};
  index.more_sort = {{"d", kN}};
  const KeySchema schema = KeySchemaOf(index);
  EXPECT_EQ(schema.partition_key, "a");
  EXPECT_EQ(schema.sort_key, "c");
  EXPECT_EQ(schema.more_partition, (std::vector<KeyElement>{KeyElement{"b", kN}}));
  EXPECT_EQ(schema.more_sort, (std::vector<KeyElement>{KeyElement{"d", kN}}));
  EXPECT_TRUE(IsMultiAttribute(schema));

  model::SecondaryIndex plain;
  plain.key_schema.partition = {"a", kS};
  EXPECT_FALSE(IsMultiAttribute(KeySchemaOf(plain)));
  EXPECT_TRUE(KeySchemaOf(plain).sort_key.empty());
}

// --- Legacy KeyConditions --------------------------------------------------------------------

ConditionEntry Entry(std::string attribute, std::string op, std::vector<AttributeValue> values) {
  return ConditionEntry{std::move(attribute), std::move(op), std::move(values)};
}

std::string Legacy(const std::vector<ConditionEntry>& entries, const KeySchema& schema = kM22) {
  auto keys = TranslateKeyConditions(entries, schema);
  return keys.ok() ? std::string("ok") : keys.error().message;
}

const ConditionEntry kA = Entry("a", "EQ", {S("A")});
const ConditionEntry kB1 = Entry("b", "EQ", {N("1")});

TEST(MultiAttributeLegacyTest, CanonicalForm) {
  auto partition = TranslateKeyConditions({kB1, kA}, kM22);
  ASSERT_TRUE(partition.ok()) << partition.error().message;
  EXPECT_EQ(partition->partition_value, S("A"));
  EXPECT_EQ(partition->more_partition_values, std::vector<AttributeValue>{N("1")});
  EXPECT_FALSE(partition->sort.has_value());

  // More than two conditions are fine on a multi-attribute key.
  auto keys = TranslateKeyConditions(
      {Entry("d", "GT", {N("1")}), kA, Entry("c", "EQ", {S("x")}), kB1}, kM22);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_EQ(keys->sort_prefix, std::vector<AttributeValue>{S("x")});
  ASSERT_TRUE(keys->sort.has_value());
  EXPECT_EQ(keys->sort->op, SortKeyOp::kGt);
  EXPECT_EQ(keys->sort->value, N("1"));

  auto between = TranslateKeyConditions({kA, kB1, Entry("c", "BETWEEN", {S("a"), S("x")})}, kM22);
  ASSERT_TRUE(between.ok()) << between.error().message;
  EXPECT_TRUE(between->sort_prefix.empty());
  EXPECT_EQ(between->sort->op, SortKeyOp::kBetween);
  EXPECT_EQ(between->sort->upper, S("x"));

  auto full = TranslateKeyConditions(
      {kA, kB1, Entry("g", "EQ", {S("g")}), Entry("x", "EQ", {B("1")}), Entry("c", "EQ", {S("x")}),
       Entry("d", "EQ", {N("1")}), Entry("e", "EQ", {S("e")}), Entry("f", "BEGINS_WITH", {S("f")})},
      kM44);
  ASSERT_TRUE(full.ok()) << full.error().message;
  EXPECT_EQ(full->more_partition_values.size(), 3u);
  EXPECT_EQ(full->sort_prefix.size(), 3u);
  EXPECT_EQ(full->sort->op, SortKeyOp::kBeginsWith);
}

TEST(MultiAttributeLegacyTest, PartitionAttributes) {
  EXPECT_EQ(Legacy({kA}), Hash("b"));
  // Anything but EQ on a partition attribute, NULL included.
  for (const ConditionEntry& b :
       {Entry("b", "GT", {N("1")}), Entry("b", "NULL", {}), Entry("b", "NOT_NULL", {}),
        Entry("b", "NE", {N("1")}), Entry("b", "BETWEEN", {N("1"), N("2")}),
        Entry("b", "IN", {N("1")}), Entry("b", "NE", {S("1")})}) {
    EXPECT_EQ(Legacy({kA, b}), Hash("b")) << *b.comparison_operator;
  }
  EXPECT_EQ(Legacy({Entry("a", "GT", {S("A")}), kB1}), Hash("a"));
  EXPECT_EQ(Legacy({Entry("a", "NULL", {}), Entry("b", "NULL", {})}), Hash("a, b"));
  EXPECT_EQ(Legacy({Entry("b", "NULL", {}), Entry("pk", "EQ", {S("x")})}), Hash("a"));
  EXPECT_EQ(Legacy({Entry("d", "EQ", {N("1")})}, kM13), Hash("a"));
  // The HASH message wins over the types.
  EXPECT_EQ(Legacy({Entry("a", "EQ", {N("1")})}), Hash("b"));
  EXPECT_EQ(Legacy({Entry("a", "EQ", {N("1")}), Entry("b", "GT", {N("1")})}), Hash("b"));
  EXPECT_EQ(Legacy({Entry("a", "EQ", {N("1")}), kB1}), kMismatch);
}

TEST(MultiAttributeLegacyTest, SortAttributes) {
  EXPECT_EQ(Legacy({kA, kB1, Entry("d", "EQ", {N("1")})}), Range("c", "d"));
  for (const ConditionEntry& c :
       {Entry("c", "GT", {S("x")}), Entry("c", "NE", {S("x")}), Entry("c", "IN", {S("x")}),
        Entry("c", "NULL", {}), Entry("c", "BEGINS_WITH", {S("x")})}) {
    EXPECT_EQ(Legacy({kA, kB1, c, Entry("d", "EQ", {N("1")})}), Range("c", "d"))
        << *c.comparison_operator;
  }
  EXPECT_EQ(Legacy({kA, kB1, Entry("d", "IN", {N("1")})}), Range("c", "d"));
  EXPECT_EQ(Legacy({kA, kB1, Entry("d", "NULL", {})}), Range("c", "d"));
  EXPECT_EQ(Legacy({kA, Entry("d", "GT", {N("1")}), Entry("e", "EQ", {S("x")})}, kM13),
            Range("d", "e"));
  EXPECT_EQ(Legacy({kA, Entry("f", "EQ", {S("x")})}, kM13), Range("d, e", "f"));

  // Operators that state no key range, on the last sort attribute.
  for (std::string_view op : {"IN", "CONTAINS", "NOT_CONTAINS"}) {
    EXPECT_EQ(Legacy({kA, kB1, Entry("c", std::string(op), {S("x")})}), kNotIndexable) << op;
  }
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "EQ", {S("x")}), Entry("d", "IN", {N("1")})}),
            kNotIndexable);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "EQ", {S("x")}), Entry("d", "CONTAINS", {N("1")})}),
            kNotIndexable);
  // DynamoDB Local fails NE here with an internal error; Dunlin says it is not indexable.
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "NE", {S("x")})}), kNotIndexable);
  EXPECT_EQ(Legacy({kA, Entry("d", "EQ", {N("1")}), Entry("e", "NE", {S("x")})}, kM13),
            kNotIndexable);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "NULL", {})}), kRangeScalar);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "NOT_NULL", {})}), kRangeScalar);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "EQ", {S("x")}), Entry("d", "NULL", {})}), kRangeScalar);
}

TEST(MultiAttributeLegacyTest, OrderOfChecks) {
  // Each entry's own checks come first, then the count.
  EXPECT_EQ(Legacy({}), "Conditions must be at least length 1");
  const ConditionEntry c = Entry("c", "EQ", {S("x")});
  const ConditionEntry d = Entry("d", "EQ", {N("1")});
  EXPECT_EQ(Legacy({kA, kB1, c, d, Entry("pk", "LIKE", {S("x")})}),
            "Comparison type does not exist in DynamoDB");
  EXPECT_EQ(Legacy({kA, kB1, c, d, Entry("pk", "EQ", {})}),
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
            "ComparisonOperator");
  EXPECT_EQ(Legacy({kA, kB1, Entry("", "EQ", {S("x")})}), "Empty attribute name");
  EXPECT_EQ(
      Legacy({kA, kB1,
              Entry("c", "GT", {AttributeValue(model::StringSet{std::vector<std::string>{"x"}})})}),
      "One or more parameter values were invalid: ComparisonOperator GT is not valid for SS "
      "AttributeValue type");
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "BETWEEN", {S("x"), N("1")})}),
            "One or more parameter values were invalid: AttributeValues inside AttributeValueList "
            "must be of same type");
  EXPECT_EQ(Legacy({kA, kB1, c, d, Entry("pk", "EQ", {S("x")})}), kNotSupported);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "EQ", {S("x")})}, kM20), kNotSupported);
  EXPECT_EQ(Legacy({kA, kB1, Entry("pk", "NE", {S("1")})}, kM20), kNotSupported);
  // Partition types, then the RANGE message, then sort types, then the operator, then other
  // attributes.
  EXPECT_EQ(Legacy({kA, Entry("b", "EQ", {S("1")}), d}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, Entry("d", "EQ", {S("x")})}), Range("c", "d"));
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "GT", {N("1")}), d}), Range("c", "d"));
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "IN", {N("1")})}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "EQ", {N("1")}), Entry("d", "CONTAINS", {N("1")})}),
            kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "EQ", {N("1")}), Entry("d", "NULL", {})}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, c, Entry("d", "NE", {S("1")})}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "BETWEEN", {N("1"), N("2")})}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "BEGINS_WITH", {B("1")})}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, c, Entry("d", "BEGINS_WITH", {S("1")})}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "IN", {S("x")}), Entry("pk", "EQ", {S("x")})}),
            kNotIndexable);
  EXPECT_EQ(Legacy({kA, kB1, Entry("c", "NULL", {}), Entry("pk", "EQ", {S("x")})}), kRangeScalar);
  EXPECT_EQ(Legacy({kA, kB1, d, Entry("pk", "EQ", {S("x")})}), Range("c", "d"));
  EXPECT_EQ(Legacy({Entry("a", "EQ", {N("1")}), kB1, Entry("pk", "EQ", {S("x")})}), kMismatch);
  EXPECT_EQ(Legacy({kA, kB1, Entry("pk", "EQ", {S("x")})}), kMissed);
  EXPECT_EQ(Legacy({kA, kB1, Entry("pk", "NULL", {})}), kMissed);
  EXPECT_EQ(Legacy({kA, kB1, Entry("pk", "NE", {S("1")})}), kMissed);
  // NE on the last sort attribute passes every check, another attribute's included.
  EXPECT_EQ(Legacy({kA, Entry("d", "NE", {N("1")}), Entry("pk", "EQ", {S("x")})}, kM13), kMissed);
  EXPECT_EQ(Legacy({kA, Entry("d", "NE", {S("1")}), Entry("pk", "EQ", {S("x")})}, kM13), kMismatch);
  EXPECT_EQ(Legacy({kA, Entry("d", "NE", {N("1")}), Entry("f", "EQ", {S("x")})}, kM13),
            Range("e", "f"));
}

}  // namespace
}  // namespace dunlin::expressions
