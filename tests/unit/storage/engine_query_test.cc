// Engine::Query on the RocksDB engine: every sort key condition on S, N and B keys, both
// directions, exclusive start keys, tricky bytes around the escape encoding, neighbouring
// partitions, hash-only tables, caller errors, and a randomized comparison with a filtered,
// sorted full scan (also on SST files after a reopen, where the prefix bloom filter is used).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "storage/key_encoding.h"
#include "storage/query_range.h"
#include "storage/rocksdb_engine.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::AttributeValue;
using model::Item;
using Op = SortKeyCondition::Op;
using testing::B;
using testing::KeyOfItem;
using testing::MakeTable;
using testing::OpenInMemory;
using testing::N;
using testing::S;

void Put(Engine& engine, const model::TableMetadata& table, const Item& item) {
  auto result = engine.MutateItem(table, KeyOfItem(item, table),
                                  [&item](const auto&) { return Mutation::Put(item); });
  ASSERT_TRUE(result.ok()) << result.error().message;
}

std::vector<Item> Drain(ItemCursor& cursor) {
  std::vector<Item> items;
  for (;;) {
    auto next = cursor.Next();
    EXPECT_TRUE(next.ok()) << next.error().message;
    if (!next.ok() || !next->has_value()) break;
    items.push_back(std::move(**next));
  }
  // A finished cursor stays finished.
  auto again = cursor.Next();
  EXPECT_TRUE(again.ok() && !again->has_value());
  return items;
}

std::vector<Item> QueryAll(Engine& engine, const model::TableMetadata& table,
                           const QuerySpec& spec) {
  auto cursor = engine.Query(table, spec);
  EXPECT_TRUE(cursor.ok()) << cursor.error().message;
  if (!cursor.ok()) return {};
  return Drain(**cursor);
}

std::vector<Item> ScanAll(Engine& engine, const model::TableMetadata& table) {
  auto cursor = engine.Scan(table, ScanSpec{});
  EXPECT_TRUE(cursor.ok()) << cursor.error().message;
  if (!cursor.ok()) return {};
  return Drain(**cursor);
}

// --- A reference model of DynamoDB's key order and conditions, independent of the encoding ---

int CompareKeyValues(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() == AttributeType::kN) return a.as_number().Compare(b.as_number());
  // std::string compares bytes as unsigned char, which is DynamoDB's order for S and B.
  const std::string& x = a.type() == AttributeType::kS ? a.as_string() : a.as_binary();
  const std::string& y = b.type() == AttributeType::kS ? b.as_string() : b.as_binary();
  const int c = x.compare(y);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool Satisfies(const AttributeValue& v, const SortKeyCondition& condition) {
  const int c = CompareKeyValues(v, condition.value);
  switch (condition.op) {
    case Op::kEqual:
      return c == 0;
    case Op::kLess:
      return c < 0;
    case Op::kLessEqual:
      return c <= 0;
    case Op::kGreater:
      return c > 0;
    case Op::kGreaterEqual:
      return c >= 0;
    case Op::kBetween:
      return c >= 0 && CompareKeyValues(v, condition.upper) <= 0;
    case Op::kBeginsWith: {
      const bool s = v.type() == AttributeType::kS;
      const std::string& bytes = s ? v.as_string() : v.as_binary();
      const std::string& prefix = s ? condition.value.as_string() : condition.value.as_binary();
      return bytes.compare(0, prefix.size(), prefix) == 0 && bytes.size() >= prefix.size();
    }
  }
  return false;
}

// What `spec` must return, computed from every item of the table.
std::vector<Item> Expected(const std::vector<Item>& all, const QuerySpec& spec,
                           const model::TableMetadata& table) {
  std::vector<Item> out;
  const bool has_sort = table.key_schema.sort.has_value();
  const bool forward = spec.direction == QueryDirection::kForward;
  for (const Item& item : all) {
    if (!(item.at("pk") == spec.partition_key)) continue;
    if (spec.sort_condition && !Satisfies(item.at("sk"), *spec.sort_condition)) continue;
    if (spec.exclusive_start_key) {
      if (!has_sort) continue;
      const int c = CompareKeyValues(item.at("sk"), spec.exclusive_start_key->at("sk"));
      if (forward ? c <= 0 : c >= 0) continue;
    }
    out.push_back(item);
  }
  if (has_sort) {
    std::sort(out.begin(), out.end(), [forward](const Item& a, const Item& b) {
      const int c = CompareKeyValues(a.at("sk"), b.at("sk"));
      return forward ? c < 0 : c > 0;
    });
  }
  return out;
}

SortKeyCondition Cond(Op op, AttributeValue value, AttributeValue upper = {}) {
  return SortKeyCondition{op, std::move(value), std::move(upper)};
}

std::string Describe(const QuerySpec& spec) {
  std::string out = spec.direction == QueryDirection::kForward ? "forward" : "backward";
  if (spec.sort_condition)
    out += " op " + std::to_string(static_cast<int>(spec.sort_condition->op));
  if (spec.exclusive_start_key) out += " with start key";
  return out;
}

// --- Bounds ---

TEST(QueryRangeTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("a"), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xFF\xFF", 3)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("a\x00\xFF", 3)), std::string("a\x01", 2));
  EXPECT_EQ(PrefixSuccessor(std::string("\xFE\xFF", 2)), "\xFF");
  EXPECT_EQ(PrefixSuccessor(std::string("\xFF\xFF", 2)), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

TEST(QueryRangeTest, BeginsWithBoundsKeepTheEscapeOfZero) {
  const model::TableMetadata table = MakeTable("t", AttributeType::kS, AttributeType::kB);
  const std::string p = *EncodePartitionPrefix(table, S("x"));
  QuerySpec spec{S("x"), Cond(Op::kBeginsWith, B(std::string("a\0", 2))), {}, {}};
  QueryKeyRange range = *QueryKeyRangeOf(table, spec);
  // "a\0" is written 61 00 FF; the values starting with it are [61 00 FF, 61 01).
  EXPECT_EQ(range.lower, p + std::string("\x61\x00\xFF", 3));
  EXPECT_EQ(range.upper, p + std::string("\x61\x01", 2));
  // A prefix ending in 0xFF carries into the byte before it.
  spec.sort_condition = Cond(Op::kBeginsWith, B("a\xFF"));
  range = *QueryKeyRangeOf(table, spec);
  EXPECT_EQ(range.lower, p + "\x61\xFF");
  EXPECT_EQ(range.upper, p + "\x62");
  // An all-0xFF prefix carries into the partition key: up to the end of the partition.
  spec.sort_condition = Cond(Op::kBeginsWith, B("\xFF\xFF"));
  range = *QueryKeyRangeOf(table, spec);
  EXPECT_EQ(range.lower, p + "\xFF\xFF");
  EXPECT_EQ(range.upper, PrefixSuccessor(p));
  // Bounds never leave the [table id][hash] prefix the bloom filter is built on.
  EXPECT_EQ(range.upper.substr(0, kStorageKeyHeaderBytes), p.substr(0, kStorageKeyHeaderBytes));
}

// --- Conditions on each key type ---

class QueryTest : public ::testing::Test {
 protected:
  // Creates a table with sort key type `sort_type`, stores `values` under partition
  // `partition` and every value of `neighbours` under each neighbouring partition.
  model::TableMetadata Fill(AttributeType partition_type, AttributeType sort_type,
                            const AttributeValue& partition,
                            const std::vector<AttributeValue>& neighbours,
                            const std::vector<AttributeValue>& values) {
    model::TableMetadata table = *engine_->CreateTable(
        MakeTable("t" + std::to_string(++tables_), partition_type, sort_type));
    int n = 0;
    for (const AttributeValue& pk : neighbours) {
      for (const AttributeValue& sk : values) Put(*engine_, table, {{"pk", pk}, {"sk", sk}});
    }
    for (const AttributeValue& sk : values) {
      Put(*engine_, table, {{"pk", partition}, {"sk", sk}, {"n", N(std::to_string(n++))}});
    }
    return table;
  }

  // The sort key values `spec` returns.
  std::vector<AttributeValue> SortKeys(const model::TableMetadata& table, const QuerySpec& spec) {
    std::vector<AttributeValue> out;
    for (const Item& item : QueryAll(*engine_, table, spec)) out.push_back(item.at("sk"));
    return out;
  }

  // Checks every condition built from `operands` in both directions against the reference
  // model, and resuming after every returned item and after every operand.
  void CheckAllConditions(const model::TableMetadata& table, const AttributeValue& partition,
                          const std::vector<AttributeValue>& operands, bool begins_with) {
    const std::vector<Item> all = ScanAll(*engine_, table);
    std::vector<SortKeyCondition> conditions;
    for (const AttributeValue& a : operands) {
      for (Op op : {Op::kEqual, Op::kLess, Op::kLessEqual, Op::kGreater, Op::kGreaterEqual}) {
        conditions.push_back(Cond(op, a));
      }
      if (begins_with) conditions.push_back(Cond(Op::kBeginsWith, a));
      for (const AttributeValue& b : operands) {
        if (CompareKeyValues(a, b) <= 0) conditions.push_back(Cond(Op::kBetween, a, b));
      }
    }
    for (QueryDirection direction : {QueryDirection::kForward, QueryDirection::kBackward}) {
      for (size_t c = 0; c <= conditions.size(); ++c) {
        QuerySpec spec{partition, {}, direction, {}};
        if (c < conditions.size()) spec.sort_condition = conditions[c];
        const std::vector<Item> got = QueryAll(*engine_, table, spec);
        ASSERT_EQ(got, Expected(all, spec, table)) << Describe(spec) << " condition " << c;
        // Resume after each returned item and after each operand (inside or outside the range).
        std::vector<AttributeValue> starts;
        for (const Item& item : got) starts.push_back(item.at("sk"));
        starts.insert(starts.end(), operands.begin(), operands.end());
        for (const AttributeValue& start : starts) {
          spec.exclusive_start_key = Item{{"pk", partition}, {"sk", start}};
          ASSERT_EQ(QueryAll(*engine_, table, spec), Expected(all, spec, table))
              << Describe(spec) << " condition " << c;
        }
      }
    }
  }

  std::unique_ptr<Engine> engine_ = OpenInMemory();
  int tables_ = 0;
};

TEST_F(QueryTest, StringConditions) {
  const std::vector<AttributeValue> values = {S(""),
                                              S("a"),
                                              S(std::string("a\0", 2)),
                                              S(std::string("a\0\0", 3)),
                                              S(std::string("a\0b", 3)),
                                              S("a\x01"),
                                              S("ab"),
                                              S("abc"),
                                              S("b"),
                                              S("\xC3\xA9")};
  const model::TableMetadata table =
      Fill(AttributeType::kS, AttributeType::kS, S("a"),
           {S(std::string("a\0", 2)), S("ab"), S(""), S("b")}, values);
  std::vector<AttributeValue> operands = values;
  operands.push_back(S("aa"));
  operands.push_back(S(std::string("\0", 1)));
  operands.push_back(S("\xC3"));
  CheckAllConditions(table, S("a"), operands, /*begins_with=*/true);

  // Spelled out: the escape of 0x00 sorts after a shorter value and before 0x01.
  QuerySpec spec{S("a"), Cond(Op::kBeginsWith, S(std::string("a\0", 2))), {}, {}};
  EXPECT_EQ(SortKeys(table, spec),
            (std::vector<AttributeValue>{S(std::string("a\0", 2)), S(std::string("a\0\0", 3)),
                                         S(std::string("a\0b", 3))}));
  spec.sort_condition = Cond(Op::kBeginsWith, S("a"));
  spec.direction = QueryDirection::kBackward;
  EXPECT_EQ(
      SortKeys(table, spec),
      (std::vector<AttributeValue>{S("abc"), S("ab"), S("a\x01"), S(std::string("a\0b", 3)),
                                   S(std::string("a\0\0", 3)), S(std::string("a\0", 2)), S("a")}));
  spec.sort_condition = Cond(Op::kLess, S(std::string("a\0", 2)));
  EXPECT_EQ(SortKeys(table, spec), (std::vector<AttributeValue>{S("a"), S("")}));
}

TEST_F(QueryTest, BinaryConditionsWithZeroAndFfBytes) {
  auto b = [](std::initializer_list<int> bytes) {
    std::string s;
    for (int x : bytes) s.push_back(static_cast<char>(x));
    return B(s);
  };
  const std::vector<AttributeValue> values = {b({}),           b({0x00}),
                                              b({0x00, 0x00}), b({0x00, 0x01}),
                                              b({0x00, 0xFF}), b({0x01}),
                                              b({0x61}),       b({0x61, 0x00}),
                                              b({0x61, 0xFF}), b({0x61, 0xFF, 0x00}),
                                              b({0x62}),       b({0xFE, 0xFF}),
                                              b({0xFF}),       b({0xFF, 0x00}),
                                              b({0xFF, 0xFF}), b({0xFF, 0xFF, 0xFF})};
  const model::TableMetadata table = Fill(AttributeType::kB, AttributeType::kB, b({0xFF}),
                                          {b({0xFF, 0x00}), b({0xFF, 0xFF}), b({0xFE})}, values);
  std::vector<AttributeValue> operands = values;
  operands.push_back(b({0x00, 0x02}));
  operands.push_back(b({0x60, 0xFF}));
  CheckAllConditions(table, b({0xFF}), operands, /*begins_with=*/true);

  QuerySpec spec{b({0xFF}), Cond(Op::kBeginsWith, b({0xFF})), {}, {}};
  EXPECT_EQ(SortKeys(table, spec),
            (std::vector<AttributeValue>{b({0xFF}), b({0xFF, 0x00}), b({0xFF, 0xFF}),
                                         b({0xFF, 0xFF, 0xFF})}));
  spec.sort_condition = Cond(Op::kBeginsWith, b({0x00}));
  EXPECT_EQ(SortKeys(table, spec), (std::vector<AttributeValue>{b({0x00}), b({0x00, 0x00}),
                                                                b({0x00, 0x01}), b({0x00, 0xFF})}));
}

TEST_F(QueryTest, NumberConditionsAcrossSignsAndMagnitudes) {
  const std::vector<AttributeValue> values = {N("-9.9999999999999999999999999999999999999E+125"),
                                              N("-1E125"),
                                              N("-100"),
                                              N("-12.5"),
                                              N("-12"),
                                              N("-1"),
                                              N("-0.5"),
                                              N("-0.001"),
                                              N("-1E-130"),
                                              N("0"),
                                              N("1E-130"),
                                              N("0.001"),
                                              N("0.1"),
                                              N("0.105"),
                                              N("1"),
                                              N("10"),
                                              N("12.5"),
                                              N("99"),
                                              N("100"),
                                              N("12345678901234567890123456789012345678"),
                                              N("9.9999999999999999999999999999999999999E+125")};
  // Neighbouring partitions with numeric partition keys that share encoding prefixes.
  const model::TableMetadata table = Fill(AttributeType::kN, AttributeType::kN, N("1"),
                                          {N("10"), N("1.1"), N("-1"), N("0")}, values);
  std::vector<AttributeValue> operands = values;
  operands.push_back(N("-12.25"));
  operands.push_back(N("0.1049"));
  operands.push_back(N("1E-129"));
  CheckAllConditions(table, N("1"), operands, /*begins_with=*/false);

  QuerySpec spec{N("1"), Cond(Op::kBetween, N("-1"), N("0.1")), QueryDirection::kBackward, {}};
  EXPECT_EQ(SortKeys(table, spec),
            (std::vector<AttributeValue>{N("0.1"), N("0.001"), N("1E-130"), N("0"), N("-1E-130"),
                                         N("-0.001"), N("-0.5"), N("-1")}));
  // Equal numbers written differently are one key.
  spec.sort_condition = Cond(Op::kEqual, N("1.00E2"));
  EXPECT_EQ(SortKeys(table, spec), std::vector<AttributeValue>{N("100")});
}

TEST_F(QueryTest, PartitionsWhoseEncodingsSharePrefixesStayApart) {
  const std::vector<AttributeValue> partitions = {S("a"), S(std::string("a\0", 2)), S("ab"), S(""),
                                                  S(std::string("\0", 1))};
  const model::TableMetadata table =
      *engine_->CreateTable(MakeTable("p", AttributeType::kS, AttributeType::kS));
  for (size_t i = 0; i < partitions.size(); ++i) {
    for (const char* sk : {"", "x", "\xFF"}) {
      Put(*engine_, table, {{"pk", partitions[i]}, {"sk", S(sk)}, {"i", N(std::to_string(i))}});
    }
  }
  for (size_t i = 0; i < partitions.size(); ++i) {
    for (QueryDirection direction : {QueryDirection::kForward, QueryDirection::kBackward}) {
      const std::vector<Item> got = QueryAll(*engine_, table, {partitions[i], {}, direction, {}});
      ASSERT_EQ(got.size(), 3u) << i;
      for (const Item& item : got) EXPECT_EQ(item.at("i"), N(std::to_string(i)));
      EXPECT_EQ(got.front().at("sk"), S(direction == QueryDirection::kForward ? "" : "\xFF"));
    }
  }
  EXPECT_TRUE(QueryAll(*engine_, table, {S("a\x01"), {}, {}, {}}).empty());
}

TEST_F(QueryTest, EmptyResults) {
  const model::TableMetadata table =
      Fill(AttributeType::kS, AttributeType::kN, S("p"), {}, {N("1"), N("2"), N("3")});
  const std::vector<QuerySpec> specs = {
      {S("missing"), {}, QueryDirection::kForward, {}},
      {S("p"), Cond(Op::kLess, N("1")), QueryDirection::kBackward, {}},
      {S("p"), Cond(Op::kGreater, N("3")), QueryDirection::kForward, {}},
      {S("p"), Cond(Op::kEqual, N("2.5")), QueryDirection::kBackward, {}},
      {S("p"), Cond(Op::kBetween, N("1.1"), N("1.9")), QueryDirection::kForward, {}},
      {S("p"), {}, QueryDirection::kForward, Item{{"pk", S("p")}, {"sk", N("3")}}},
      {S("p"), {}, QueryDirection::kBackward, Item{{"pk", S("p")}, {"sk", N("1")}}},
      // A start key past the end of the range in the reading direction.
      {S("p"), Cond(Op::kLessEqual, N("2")), QueryDirection::kForward,
       Item{{"pk", S("p")}, {"sk", N("7")}}},
      {S("p"), Cond(Op::kGreater, N("1")), QueryDirection::kBackward,
       Item{{"pk", S("p")}, {"sk", N("-7")}}},
  };
  for (const QuerySpec& spec : specs) {
    EXPECT_TRUE(QueryAll(*engine_, table, spec).empty()) << Describe(spec);
  }
  // A start key before the range in the reading direction yields the whole range.
  QuerySpec spec{S("p"), Cond(Op::kGreaterEqual, N("2")), QueryDirection::kForward,
                 Item{{"pk", S("p")}, {"sk", N("-7")}, {"other", S("ignored")}}};
  EXPECT_EQ(SortKeys(table, spec), (std::vector<AttributeValue>{N("2"), N("3")}));
  spec.direction = QueryDirection::kBackward;
  spec.exclusive_start_key = Item{{"pk", S("p")}, {"sk", N("70")}};
  EXPECT_EQ(SortKeys(table, spec), (std::vector<AttributeValue>{N("3"), N("2")}));
}

TEST_F(QueryTest, HashOnlyTableReturnsThePartitionItem) {
  const model::TableMetadata table = *engine_->CreateTable(MakeTable("h", AttributeType::kS));
  for (const char* pk : {"a", "ab", "b"}) Put(*engine_, table, {{"pk", S(pk)}, {"v", S(pk)}});
  Put(*engine_, table, {{"pk", S(std::string("a\0", 2))}, {"v", S("zero")}});
  for (QueryDirection direction : {QueryDirection::kForward, QueryDirection::kBackward}) {
    EXPECT_EQ(QueryAll(*engine_, table, {S("a"), {}, direction, {}}),
              (std::vector<Item>{{{"pk", S("a")}, {"v", S("a")}}}));
    EXPECT_TRUE(QueryAll(*engine_, table, {S("c"), {}, direction, {}}).empty());
    // Resuming after the only item finds nothing.
    EXPECT_TRUE(QueryAll(*engine_, table, {S("a"), {}, direction, Item{{"pk", S("a")}}}).empty());
  }
}

TEST_F(QueryTest, CursorReadsASnapshot) {
  const model::TableMetadata table =
      Fill(AttributeType::kS, AttributeType::kN, S("p"), {}, {N("1"), N("2"), N("3")});
  auto cursor = engine_->Query(table, {S("p"), {}, QueryDirection::kBackward, {}});
  ASSERT_TRUE(cursor.ok());
  Put(*engine_, table, {{"pk", S("p")}, {"sk", N("4")}});
  Put(*engine_, table, {{"pk", S("p")}, {"sk", N("0")}});
  EXPECT_EQ(Drain(**cursor).size(), 3u);
}

// --- Caller errors ---

TEST_F(QueryTest, InvalidArguments) {
  const model::TableMetadata table =
      *engine_->CreateTable(MakeTable("r", AttributeType::kS, AttributeType::kN));
  const model::TableMetadata hash_only = *engine_->CreateTable(MakeTable("h", AttributeType::kS));
  const model::TableMetadata binary =
      *engine_->CreateTable(MakeTable("b", AttributeType::kS, AttributeType::kB));
  struct Case {
    const model::TableMetadata* table;
    QuerySpec spec;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {&table, {N("1"), {}, {}, {}}, "wrong type"},
      {&table, {S("p"), Cond(Op::kEqual, S("1")), {}, {}}, "type of sort key sk"},
      {&table, {S("p"), Cond(Op::kBetween, N("1"), S("2")), {}, {}}, "type of sort key"},
      {&table, {S("p"), Cond(Op::kBetween, N("2"), N("1")), {}, {}}, "BETWEEN"},
      {&table, {S("p"), Cond(Op::kBeginsWith, N("1")), {}, {}}, "begins_with"},
      {&binary, {S("p"), Cond(Op::kBeginsWith, S("a")), {}, {}}, "type of sort key"},
      {&hash_only, {S("p"), Cond(Op::kEqual, S("a")), {}, {}}, "no sort key"},
      {&table, {S("p"), {}, {}, Item{{"pk", S("p")}}}, "missing key attribute sk"},
      {&table, {S("p"), {}, {}, Item{{"pk", S("p")}, {"sk", S("1")}}}, "wrong type"},
      {&table, {S("p"), {}, {}, Item{{"pk", S("q")}, {"sk", N("1")}}}, "partition"},
      {&table, {S("p"), {}, {}, Item{{"pk", S("pp")}, {"sk", N("1")}}}, "partition"},
  };
  for (const Case& c : cases) {
    auto cursor = engine_->Query(*c.table, c.spec);
    ASSERT_FALSE(cursor.ok()) << c.message_part;
    EXPECT_EQ(cursor.error().code, StorageError::Code::kInvalidArgument) << c.message_part;
    EXPECT_NE(cursor.error().message.find(c.message_part), std::string::npos)
        << cursor.error().message;
  }
  // The other caller bugs report the same code.
  auto scan = engine_->Scan(table, ScanSpec{3, 3, {}});
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.error().code, StorageError::Code::kInvalidArgument);
  const Item item = {{"pk", S("p")}, {"sk", N("1")}};
  auto put = engine_->MutateItem(table, KeyOfItem(item, table), [](const auto&) {
    return Mutation::Put({{"pk", S("p")}, {"sk", N("2")}});
  });
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, StorageError::Code::kInvalidArgument);
  // A deleted table is not found, whatever the spec.
  ASSERT_TRUE(engine_->DeleteTable("r").ok());
  auto gone = engine_->Query(table, {S("p"), {}, {}, {}});
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, StorageError::Code::kTableNotFound);
}

// --- Randomized comparison with a filtered, sorted full scan ---

// Small alphabets make equal values, shared prefixes and escapes frequent.
AttributeValue RandomValue(AttributeType type, std::mt19937& rng) {
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  if (type == AttributeType::kN) {
    if (pick(8) == 0) return N("0");
    static const char* const kExponents[] = {"-129", "-3", "-1", "0", "1", "2", "3", "88"};
    std::string text = pick(2) == 0 ? "-0." : "0.";
    const int digits = 1 + pick(3);
    for (int i = 0; i < digits; ++i) text.push_back(static_cast<char>('1' + pick(3)));
    return N(text + "E" + kExponents[pick(8)]);
  }
  static const char kBinaryBytes[] = {'\0', '\x01', 'a', '\xFE', '\xFF'};
  static const char kStringBytes[] = {'\0', '\x01', 'a', 'b', '\x7F'};
  std::string bytes;
  const int length = pick(4);
  for (int i = 0; i < length; ++i) {
    bytes.push_back(type == AttributeType::kB ? kBinaryBytes[pick(5)] : kStringBytes[pick(5)]);
  }
  return type == AttributeType::kB ? B(std::move(bytes)) : S(std::move(bytes));
}

// A query of one of `partitions` (sometimes of a random, likely absent, partition).
QuerySpec RandomSpec(const model::TableMetadata& table,
                     const std::vector<AttributeValue>& partitions, std::mt19937& rng) {
  const AttributeType pk_type = table.key_schema.partition.type;
  const AttributeType sk_type = table.key_schema.sort->type;
  QuerySpec spec;
  spec.partition_key = rng() % 8 == 0 || partitions.empty() ? RandomValue(pk_type, rng)
                                                            : partitions[rng() % partitions.size()];
  spec.direction = rng() % 2 == 0 ? QueryDirection::kForward : QueryDirection::kBackward;
  const int op = static_cast<int>(rng() % 8);
  if (op < 7 && !(op == 6 && sk_type == AttributeType::kN)) {
    SortKeyCondition condition{static_cast<Op>(op), RandomValue(sk_type, rng), {}};
    if (condition.op == Op::kBetween) {
      condition.upper = RandomValue(sk_type, rng);
      if (CompareKeyValues(condition.value, condition.upper) > 0) {
        std::swap(condition.value, condition.upper);
      }
    }
    spec.sort_condition = std::move(condition);
  }
  if (rng() % 2 == 0) {
    spec.exclusive_start_key = Item{{"pk", spec.partition_key}, {"sk", RandomValue(sk_type, rng)}};
  }
  return spec;
}

void CheckRandomQueries(Engine& engine, const model::TableMetadata& table, std::mt19937& rng,
                        int queries) {
  const std::vector<Item> all = ScanAll(engine, table);
  std::vector<AttributeValue> partitions;
  for (const Item& item : all) {
    if (std::find(partitions.begin(), partitions.end(), item.at("pk")) == partitions.end()) {
      partitions.push_back(item.at("pk"));
    }
  }
  int non_empty = 0;
  for (int q = 0; q < queries; ++q) {
    const QuerySpec spec = RandomSpec(table, partitions, rng);
    const std::vector<Item> expected = Expected(all, spec, table);
    non_empty += expected.empty() ? 0 : 1;
    ASSERT_EQ(QueryAll(engine, table, spec), expected) << "query " << q << " " << Describe(spec);
  }
  // The generator must exercise non-trivial ranges, not only empty ones.
  EXPECT_GT(non_empty, queries / 4);
}

// Stores `items` random items in about 8 partitions.
void FillRandomly(Engine& engine, const model::TableMetadata& table, std::mt19937& rng, int items) {
  std::vector<AttributeValue> partitions;
  for (int i = 0; i < 8; ++i)
    partitions.push_back(RandomValue(table.key_schema.partition.type, rng));
  for (int i = 0; i < items; ++i) {
    Put(engine, table,
        {{"pk", partitions[rng() % partitions.size()]},
         {"sk", RandomValue(table.key_schema.sort->type, rng)},
         {"i", N(std::to_string(i))}});
  }
}

const AttributeType kKeyTypes[] = {AttributeType::kS, AttributeType::kN, AttributeType::kB};

TEST(QueryPropertyTest, MatchesAFilteredSortedScan) {
  std::mt19937 rng(20261123);
  std::unique_ptr<Engine> engine = OpenInMemory();
  int n = 0;
  for (AttributeType pk : kKeyTypes) {
    for (AttributeType sk : kKeyTypes) {
      const model::TableMetadata table =
          *engine->CreateTable(MakeTable("t" + std::to_string(n++), pk, sk));
      FillRandomly(*engine, table, rng, 400);
      CheckRandomQueries(*engine, table, rng, 400);
    }
  }
}

TEST(QueryPropertyTest, MatchesAFilteredSortedScanOnFilesAfterReopen) {
  // Reopening flushes the recovered write-ahead log to table files, so these reads go through
  // the prefix bloom filters rather than the memtable.
  testing::TempDir dir;
  std::mt19937 rng(7);
  EngineOptions options;
  options.data_dir = dir.path();
  options.sync_writes = false;
  {
    std::unique_ptr<Engine> engine = std::move(OpenRocksDbEngine(options)).value();
    int n = 0;
    for (AttributeType sk : kKeyTypes) {
      const model::TableMetadata table =
          *engine->CreateTable(MakeTable("t" + std::to_string(n++), AttributeType::kS, sk));
      FillRandomly(*engine, table, rng, 600);
    }
  }
  auto reopened = OpenRocksDbEngine(options);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  bool has_table_file = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    has_table_file = has_table_file || entry.path().extension() == ".sst";
  }
  EXPECT_TRUE(has_table_file);
  auto tables = (*reopened)->ListTables();
  ASSERT_TRUE(tables.ok());
  ASSERT_EQ(tables->size(), 3u);
  for (const model::TableMetadata& table : *tables) {
    CheckRandomQueries(**reopened, table, rng, 400);
  }
}

}  // namespace
}  // namespace dunlin::storage
