// Secondary index entries kept by the engine: projections, sparse entries, moves, repeated
// index keys, index reads (Query and Scan with paging), statistics, multi-item writes, table
// deletion and reopening.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "model/item_size.h"
#include "storage/index_entries.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::Item;
using testing::KeyOfItem;
using testing::MakeTable;
using testing::N;
using testing::S;
using testing::TempDir;

// A table keyed pk (S) + sk (N) with a KEYS_ONLY global index on g (S) + rank (N), an INCLUDE
// global index on g alone, and an ALL local index on pk + when (S).
model::TableMetadata IndexedTable() {
  model::TableMetadata table = MakeTable("indexed", AttributeType::kS, AttributeType::kN);
  model::SecondaryIndex local;
  local.name = "by_when";
  local.local = true;
  local.key_schema = {{"pk", AttributeType::kS}, model::KeyElement{"when", AttributeType::kS}};
  model::SecondaryIndex ranked;
  ranked.name = "by_g_rank";
  ranked.key_schema = {{"g", AttributeType::kS}, model::KeyElement{"rank", AttributeType::kN}};
  ranked.projection.type = model::ProjectionType::kKeysOnly;
  model::SecondaryIndex grouped;
  grouped.name = "by_g";
  grouped.key_schema = {{"g", AttributeType::kS}, std::nullopt};
  grouped.projection = {model::ProjectionType::kInclude, {"note"}};
  table.indexes = {local, ranked, grouped};
  return table;
}

std::vector<Item> ReadAll(StorageResult<std::unique_ptr<ItemCursor>> cursor) {
  std::vector<Item> items;
  EXPECT_TRUE(cursor.ok()) << cursor.error().message;
  if (!cursor.ok()) return items;
  while (true) {
    auto next = (*cursor)->Next();
    EXPECT_TRUE(next.ok());
    if (!next.ok() || !*next) return items;
    items.push_back(std::move(**next));
  }
}

struct Fixture {
  explicit Fixture(std::unique_ptr<Engine> opened = testing::OpenInMemory())
      : engine(std::move(opened)), table(*engine->CreateTable(IndexedTable())) {}
  void Put(const Item& item) {
    auto result = engine->MutateItem(table, KeyOfItem(item, table),
                                     [&](const auto&) { return Mutation::Put(item); });
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
  void Delete(const Item& item) {
    ASSERT_TRUE(engine->MutateItem(table, KeyOfItem(item, table), [](const auto&) {
                        return Mutation::Delete();
                      }).ok());
  }
  std::vector<Item> QueryIndex(size_t index, model::AttributeValue partition,
                               QueryDirection direction = QueryDirection::kForward,
                               std::optional<Item> start = std::nullopt) {
    QuerySpec spec;
    spec.index = &table.indexes[index];
    spec.partition_key = std::move(partition);
    spec.direction = direction;
    spec.exclusive_start_key = std::move(start);
    return ReadAll(engine->Query(table, spec));
  }
  std::unique_ptr<Engine> engine;
  model::TableMetadata table;
};

TEST(RocksDbIndexTest, CreateTableGivesEachIndexItsOwnId) {
  Fixture f;
  std::vector<uint64_t> ids = {f.table.internal_id};
  for (const model::SecondaryIndex& index : f.table.indexes) ids.push_back(index.internal_id);
  EXPECT_EQ(ids, (std::vector<uint64_t>{1, 2, 3, 4}));
  const auto other = *f.engine->CreateTable(MakeTable("other", AttributeType::kS));
  EXPECT_EQ(other.internal_id, 5u);
}

// The write path sizes its statistics deltas for 25 indexes; the catalog never holds more.
TEST(RocksDbIndexTest, AtMostTwentyFiveIndexesPerTable) {
  auto engine = testing::OpenInMemory();
  model::TableMetadata table = MakeTable("many", AttributeType::kS);
  for (int i = 0; i < 26; ++i) {
    model::SecondaryIndex index;
    index.name = "i" + std::to_string(i);
    index.key_schema = {{"g" + std::to_string(i), AttributeType::kS}, std::nullopt};
    table.indexes.push_back(index);
  }
  auto refused = engine->CreateTable(table);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, StorageError::Code::kInvalidArgument);
  table.indexes.pop_back();
  ASSERT_TRUE(engine->CreateTable(table).ok());
  model::SecondaryIndex extra;
  extra.name = "extra";
  extra.key_schema = {{"x", AttributeType::kS}, std::nullopt};
  auto added = engine->AddIndex("many", extra);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, StorageError::Code::kInvalidArgument);
}

TEST(RocksDbIndexTest, EntriesFollowProjectionsAndAreSparse) {
  Fixture f;
  const Item full = {{"pk", S("a")},     {"sk", N("1")},    {"g", S("red")},
                     {"rank", N("7")},   {"when", S("mon")}, {"note", S("hi")},
                     {"other", S("x")}};
  const Item no_rank = {{"pk", S("b")}, {"sk", N("1")}, {"g", S("red")}, {"note", S("yo")}};
  const Item wrong_type = {{"pk", S("c")}, {"sk", N("1")}, {"g", N("5")}, {"when", S("tue")}};
  f.Put(full);
  f.Put(no_rank);
  f.Put(wrong_type);

  // KEYS_ONLY: table and index keys only; the item without rank is absent.
  EXPECT_EQ(f.QueryIndex(1, S("red")),
            (std::vector<Item>{{{"pk", S("a")}, {"sk", N("1")}, {"g", S("red")}, {"rank", N("7")}}}));
  // INCLUDE note: both items, repeated index key; wrong-typed g is absent.
  auto grouped = f.QueryIndex(2, S("red"));
  ASSERT_EQ(grouped.size(), 2u);
  EXPECT_EQ(grouped[0], (Item{{"pk", S("a")}, {"sk", N("1")}, {"g", S("red")}, {"note", S("hi")}}));
  EXPECT_EQ(grouped[1], (Item{{"pk", S("b")}, {"sk", N("1")}, {"g", S("red")}, {"note", S("yo")}}));
  // ALL local index: the whole item.
  EXPECT_EQ(f.QueryIndex(0, S("a")), (std::vector<Item>{full}));
  EXPECT_EQ(f.QueryIndex(0, S("c")), (std::vector<Item>{wrong_type}));
  EXPECT_TRUE(f.QueryIndex(0, S("b")).empty());

  auto stats = f.engine->GetIndexStats(f.table, f.table.indexes[2]);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->item_count, 2);
  EXPECT_EQ(stats->size_bytes,
            static_cast<int64_t>(model::ItemSize(grouped[0]) + model::ItemSize(grouped[1])));
}

TEST(RocksDbIndexTest, IndexCursorsReadTableItemsFromTheirSnapshot) {
  Fixture f;
  const Item item = {{"pk", S("a")}, {"sk", N("1")}, {"g", S("red")}, {"rank", N("7")},
                     {"other", S("before")}};
  f.Put(item);
  QuerySpec spec;
  spec.index = &f.table.indexes[1];  // KEYS_ONLY: "other" is not in the entry
  spec.partition_key = S("red");
  auto cursor = f.engine->Query(f.table, spec);
  ASSERT_TRUE(cursor.ok());
  // Changed, then deleted, after the cursor opened: the cursor still sees the item as it was.
  Item changed = item;
  changed["other"] = S("after");
  f.Put(changed);
  f.Delete(changed);
  auto entry = (*cursor)->Next();
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_FALSE((*entry)->contains("other"));
  auto whole = (*cursor)->ReadTableItem(f.table, **entry);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  ASSERT_TRUE(whole->has_value());
  EXPECT_EQ(**whole, item);
  // A table cursor has no snapshot of its own to read from.
  auto table_cursor = f.engine->Scan(f.table, ScanSpec{});
  ASSERT_TRUE(table_cursor.ok());
  auto refused = (*table_cursor)->ReadTableItem(f.table, item);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, StorageError::Code::kInvalidArgument);
}

TEST(RocksDbIndexTest, EmptyOrOverlongIndexKeyValuesHaveNoEntry) {
  // Items written through the API never hold such values; items already in a table when an
  // index is added may, and the index leaves them out.
  const model::TableMetadata table = IndexedTable();
  const model::SecondaryIndex& ranked = table.indexes[1];  // g (S) + rank (N)
  const model::SecondaryIndex& local = table.indexes[0];   // pk + when (S)
  auto with = [](std::string g, std::string when) {
    return Item{{"pk", S("a")}, {"sk", N("1")}, {"g", S(std::move(g))}, {"rank", N("1")},
                {"when", S(std::move(when))}};
  };
  EXPECT_TRUE(IndexEntryKey(table, ranked, with("x", "y")).has_value());
  EXPECT_TRUE(IndexEntryKey(table, ranked, with(std::string(2048, 'g'), "y")).has_value());
  EXPECT_FALSE(IndexEntryKey(table, ranked, with("", "y")).has_value());
  EXPECT_FALSE(IndexEntryKey(table, ranked, with(std::string(2049, 'g'), "y")).has_value());
  EXPECT_TRUE(IndexEntryKey(table, local, with("x", std::string(1024, 'w'))).has_value());
  EXPECT_FALSE(IndexEntryKey(table, local, with("x", std::string(1025, 'w'))).has_value());
  EXPECT_FALSE(IndexEntryKey(table, local, with("x", "")).has_value());
}

std::unique_ptr<Engine> OpenWithCollectionLimit(int64_t limit) {
  EngineOptions options;
  options.in_memory = true;
  options.sync_writes = false;
  options.item_collection_limit_bytes = limit;
  auto engine = OpenRocksDbEngine(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return std::move(engine).value();
}

TEST(RocksDbIndexTest, ItemCollectionsCountItemsAndLocalEntries) {
  Fixture f;
  const Item first = {{"pk", S("a")}, {"sk", N("1")}, {"when", S("mon")}, {"g", S("red")},
                      {"rank", N("1")}, {"note", S("n")}};
  const Item second = {{"pk", S("a")}, {"sk", N("2")}, {"other", S("x")}};  // not in by_when
  f.Put(first);
  f.Put(second);
  f.Put({{"pk", S("b")}, {"sk", N("1")}});
  // by_when projects ALL, so its entry of `first` is as big as the item; global entries do not
  // count.
  const int64_t expected = static_cast<int64_t>(2 * model::ItemSize(first) + model::ItemSize(second));
  auto stats = f.engine->GetItemCollectionStats(f.table, S("a"));
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->item_count, 2);
  EXPECT_EQ(stats->size_bytes, expected);
  f.Delete(first);
  stats = f.engine->GetItemCollectionStats(f.table, S("a"));
  EXPECT_EQ(stats->item_count, 1);
  EXPECT_EQ(stats->size_bytes, static_cast<int64_t>(model::ItemSize(second)));
  EXPECT_EQ(f.engine->GetItemCollectionStats(f.table, S("none"))->item_count, 0);
}

TEST(RocksDbIndexTest, WritesThatOvergrowACollectionFailAndWriteNothing) {
  Fixture f(OpenWithCollectionLimit(300));
  const Item small = {{"pk", S("a")}, {"sk", N("1")}, {"v", S(std::string(100, 'x'))}};
  f.Put(small);
  Item big = small;
  big["v"] = S(std::string(400, 'x'));
  auto refused = f.engine->MutateItem(f.table, KeyOfItem(big, f.table),
                                      [&](const auto&) { return Mutation::Put(big); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, StorageError::Code::kItemCollectionTooLarge);
  auto stored = f.engine->GetItem(f.table, KeyOfItem(small, f.table));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(**stored, small);
  // Another partition is another collection.
  f.Put({{"pk", S("b")}, {"sk", N("1")}, {"v", S(std::string(200, 'y'))}});
  // A multi-item write names the item that crossed the limit.
  const Item grows = {{"pk", S("a")}, {"sk", N("2")}, {"v", S(std::string(250, 'z'))}};
  const Item fine = {{"pk", S("c")}, {"sk", N("1")}};
  std::vector<ItemRef> refs = {{&f.table, KeyOfItem(fine, f.table)},
                               {&f.table, KeyOfItem(grows, f.table)}};
  auto multi = f.engine->MutateItems(refs, [&](const std::vector<ItemState>&) {
    return StorageResult<std::vector<Mutation>>(
        std::vector<Mutation>{Mutation::Put(fine), Mutation::Put(grows)});
  });
  ASSERT_FALSE(multi.ok());
  EXPECT_EQ(multi.error().code, StorageError::Code::kItemCollectionTooLarge);
  EXPECT_EQ(multi.error().item, std::optional<size_t>(1));
  EXPECT_FALSE(f.engine->GetItem(f.table, KeyOfItem(fine, f.table))->has_value());
  // Shrinking is always allowed.
  f.Delete(small);
  EXPECT_EQ(f.engine->GetItemCollectionStats(f.table, S("a"))->size_bytes, 0);
}

TEST(RocksDbIndexTest, MultiAttributeKeysQueryByPrefixInSchemaOrder) {
  auto engine = testing::OpenInMemory();
  model::TableMetadata table = MakeTable("matches", AttributeType::kS);
  model::SecondaryIndex multi;
  multi.name = "by_event";
  multi.key_schema = {{"a", AttributeType::kS}, model::KeyElement{"c", AttributeType::kS}};
  multi.more_partition = {{"b", AttributeType::kN}};
  multi.more_sort = {{"d", AttributeType::kN}};
  table.indexes = {multi};
  table = *engine->CreateTable(table);
  const model::SecondaryIndex& index = table.indexes[0];
  auto put = [&](std::string pk, std::optional<std::string> b, std::string c, std::string d) {
    Item item = {{"pk", S(std::move(pk))}, {"a", S("A")}, {"c", S(std::move(c))},
                 {"d", N(std::move(d))}};
    if (b) item["b"] = N(*b);
    ASSERT_TRUE(engine->MutateItem(table, KeyOfItem(item, table), [&](const auto&) {
                        return Mutation::Put(item);
                      }).ok());
  };
  put("i1", "1", "x", "2");
  put("i2", "1", "x", "1");
  put("i3", "1", "y", "0");
  put("i4", "2", "x", "1");
  put("i5", "1", "w", "5");
  put("i6", std::nullopt, "x", "1");  // lacks b: not in the index
  auto query = [&](std::vector<model::AttributeValue> sort_prefix,
                   std::optional<SortKeyCondition> condition, std::optional<Item> start = {}) {
    QuerySpec spec;
    spec.index = &index;
    spec.partition_key = S("A");
    spec.more_partition_keys = {N("1")};
    spec.sort_prefix = std::move(sort_prefix);
    spec.sort_condition = std::move(condition);
    spec.exclusive_start_key = std::move(start);
    std::vector<std::string> keys;
    for (const Item& item : ReadAll(engine->Query(table, spec))) {
      keys.push_back(item.at("pk").as_string());
    }
    return keys;
  };
  // Sorted by c, then d; b = 2 and the item without b stay out.
  EXPECT_EQ(query({}, std::nullopt), (std::vector<std::string>{"i5", "i2", "i1", "i3"}));
  EXPECT_EQ(query({S("x")}, std::nullopt), (std::vector<std::string>{"i2", "i1"}));
  EXPECT_EQ(query({S("x")}, SortKeyCondition{SortKeyCondition::Op::kGreater, N("1"), {}}),
            (std::vector<std::string>{"i1"}));
  EXPECT_EQ(query({}, SortKeyCondition{SortKeyCondition::Op::kGreater, S("x"), {}}),
            (std::vector<std::string>{"i3"}));
  const Item start = {{"pk", S("i2")}, {"a", S("A")}, {"b", N("1")}, {"c", S("x")},
                      {"d", N("1")}};
  EXPECT_EQ(query({}, std::nullopt, start), (std::vector<std::string>{"i1", "i3"}));
  // Values of the wrong number or type are refused.
  QuerySpec bad;
  bad.index = &index;
  bad.partition_key = S("A");
  EXPECT_FALSE(engine->Query(table, bad).ok());
  bad.more_partition_keys = {S("1")};
  EXPECT_FALSE(engine->Query(table, bad).ok());
  bad.more_partition_keys = {N("1")};
  bad.sort_prefix = {S("x"), N("1")};
  bad.sort_condition = SortKeyCondition{SortKeyCondition::Op::kEqual, N("1"), {}};
  EXPECT_FALSE(engine->Query(table, bad).ok());
}

TEST(RocksDbIndexTest, UpdatesMoveAndRemoveEntries) {
  Fixture f;
  f.Put({{"pk", S("a")}, {"sk", N("1")}, {"g", S("red")}, {"rank", N("1")}});
  f.Put({{"pk", S("a")}, {"sk", N("1")}, {"g", S("blue")}, {"rank", N("1")}});  // moves
  EXPECT_TRUE(f.QueryIndex(1, S("red")).empty());
  EXPECT_EQ(f.QueryIndex(1, S("blue")).size(), 1u);
  f.Put({{"pk", S("a")}, {"sk", N("1")}, {"g", S("blue")}});  // rank removed: leaves by_g_rank
  EXPECT_TRUE(f.QueryIndex(1, S("blue")).empty());
  EXPECT_EQ(f.QueryIndex(2, S("blue")).size(), 1u);
  f.Delete({{"pk", S("a")}, {"sk", N("1")}});
  EXPECT_TRUE(f.QueryIndex(2, S("blue")).empty());
  for (const model::SecondaryIndex& index : f.table.indexes) {
    auto stats = f.engine->GetIndexStats(f.table, index);
    EXPECT_EQ(stats->item_count, 0) << index.name;
    EXPECT_EQ(stats->size_bytes, 0) << index.name;
  }
}

TEST(RocksDbIndexTest, IndexQueriesOrderBySortKeyThenTableKeyAndPage) {
  Fixture f;
  // Ranks 3, 1, 2, 1 under one index key; two items share rank 1.
  f.Put({{"pk", S("d")}, {"sk", N("1")}, {"g", S("k")}, {"rank", N("3")}});
  f.Put({{"pk", S("c")}, {"sk", N("2")}, {"g", S("k")}, {"rank", N("1")}});
  f.Put({{"pk", S("b")}, {"sk", N("1")}, {"g", S("k")}, {"rank", N("2")}});
  f.Put({{"pk", S("a")}, {"sk", N("9")}, {"g", S("k")}, {"rank", N("1")}});
  auto keys = [](const std::vector<Item>& items) {
    std::vector<std::string> out;
    for (const Item& item : items) out.push_back(item.at("pk").as_string());
    return out;
  };
  const auto forward = f.QueryIndex(1, S("k"));
  EXPECT_EQ(keys(forward), (std::vector<std::string>{"a", "c", "b", "d"}));
  EXPECT_EQ(keys(f.QueryIndex(1, S("k"), QueryDirection::kBackward)),
            (std::vector<std::string>{"d", "b", "c", "a"}));
  // Paging from an entry (index key plus table key), both ways.
  EXPECT_EQ(keys(f.QueryIndex(1, S("k"), QueryDirection::kForward, forward[1])),
            (std::vector<std::string>{"b", "d"}));
  EXPECT_EQ(keys(f.QueryIndex(1, S("k"), QueryDirection::kBackward, forward[1])),
            (std::vector<std::string>{"a"}));

  // Sort key conditions take in every entry of an index key.
  QuerySpec spec;
  spec.index = &f.table.indexes[1];
  spec.partition_key = S("k");
  spec.sort_condition = SortKeyCondition{SortKeyCondition::Op::kEqual, N("1"), {}};
  EXPECT_EQ(keys(ReadAll(f.engine->Query(f.table, spec))), (std::vector<std::string>{"a", "c"}));
  spec.sort_condition = SortKeyCondition{SortKeyCondition::Op::kLessEqual, N("2"), {}};
  EXPECT_EQ(keys(ReadAll(f.engine->Query(f.table, spec))),
            (std::vector<std::string>{"a", "c", "b"}));
  spec.sort_condition = SortKeyCondition{SortKeyCondition::Op::kGreater, N("1"), {}};
  EXPECT_EQ(keys(ReadAll(f.engine->Query(f.table, spec))), (std::vector<std::string>{"b", "d"}));

  // A start key without the table key is refused.
  spec.sort_condition.reset();
  spec.exclusive_start_key = Item{{"g", S("k")}, {"rank", N("1")}};
  EXPECT_FALSE(f.engine->Query(f.table, spec).ok());
}

TEST(RocksDbIndexTest, ScansOfAnIndexPage) {
  Fixture f;
  for (int i = 0; i < 30; ++i) {
    f.Put({{"pk", S("p" + std::to_string(i))}, {"sk", N("1")}, {"g", S("g" + std::to_string(i % 4))}});
  }
  ScanSpec spec;
  spec.index = &f.table.indexes[2];
  auto all = ReadAll(f.engine->Scan(f.table, spec));
  ASSERT_EQ(all.size(), 30u);
  spec.exclusive_start_key = all[11];
  auto rest = ReadAll(f.engine->Scan(f.table, spec));
  EXPECT_EQ(rest, std::vector<Item>(all.begin() + 12, all.end()));
}

TEST(RocksDbIndexTest, MultiItemWritesKeepIndexesInStep) {
  Fixture f;
  const Item a = {{"pk", S("a")}, {"sk", N("1")}, {"g", S("x")}};
  const Item b = {{"pk", S("b")}, {"sk", N("1")}, {"g", S("x")}};
  f.Put(a);
  std::vector<ItemRef> refs = {{&f.table, KeyOfItem(a, f.table)}, {&f.table, KeyOfItem(b, f.table)}};
  auto result = f.engine->MutateItems(refs, [&](const std::vector<ItemState>&) {
    return StorageResult<std::vector<Mutation>>(
        std::vector<Mutation>{Mutation::Delete(), Mutation::Put(b)});
  });
  ASSERT_TRUE(result.ok()) << result.error().message;
  auto entries = f.QueryIndex(2, S("x"));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("pk").as_string(), "b");
  EXPECT_EQ(f.engine->GetIndexStats(f.table, f.table.indexes[2])->item_count, 1);
}

TEST(RocksDbIndexTest, IndexesSurviveReopenAndGoWithTheTable) {
  TempDir dir;
  EngineOptions options;
  options.data_dir = dir.path();
  const Item item = {{"pk", S("a")}, {"sk", N("1")}, {"g", S("x")}, {"when", S("now")}};
  model::TableMetadata created;
  {
    Fixture f(std::move(OpenRocksDbEngine(options)).value());
    f.Put(item);
    created = f.table;
  }
  auto engine = std::move(OpenRocksDbEngine(options)).value();
  auto table = engine->DescribeTable("indexed");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(*table, created);
  QuerySpec spec;
  spec.index = &table->indexes[2];
  spec.partition_key = S("x");
  EXPECT_EQ(ReadAll(engine->Query(*table, spec)).size(), 1u);

  ASSERT_TRUE(engine->DeleteTable("indexed").ok());
  // A new table of the same name gets new ids: nothing of the old indexes shows.
  auto again = *engine->CreateTable(IndexedTable());
  spec.index = &again.indexes[2];
  EXPECT_TRUE(ReadAll(engine->Query(again, spec)).empty());
  EXPECT_EQ(engine->GetIndexStats(again, again.indexes[2])->item_count, 0);
  EXPECT_GT(again.indexes[0].internal_id, created.indexes[2].internal_id);
}

// --- Adding and dropping an index on a table with items ---

model::SecondaryIndex GroupIndex(std::string name) {
  model::SecondaryIndex index;
  index.name = std::move(name);
  index.key_schema = {{"g", AttributeType::kS}, std::nullopt};
  index.projection = {model::ProjectionType::kInclude, {"v"}};
  return index;
}

// Waits (bounded) until the named index is ACTIVE; returns the table's metadata then.
model::TableMetadata WaitActive(Engine& engine, const std::string& table, const std::string& index) {
  for (int i = 0; i < 2000; ++i) {
    auto described = engine.DescribeTable(table);
    EXPECT_TRUE(described.ok());
    for (const model::SecondaryIndex& candidate : described->indexes) {
      if (candidate.name == index && candidate.status == model::IndexStatus::kActive) {
        EXPECT_FALSE(candidate.backfilling);
        return *described;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ADD_FAILURE() << "index " << index << " did not become ACTIVE";
  return *engine.DescribeTable(table);
}

// The index's entries read back, and what the table's items say they must be.
void ExpectIndexMatchesTable(Engine& engine, const model::TableMetadata& table,
                             const model::SecondaryIndex& index) {
  std::vector<Item> expected;
  TableStats expected_stats;
  for (Item& item : ReadAll(engine.Scan(table, ScanSpec{}))) {
    if (!IndexEntryKey(table, index, item)) continue;
    expected.push_back(ProjectForIndex(table, index, item));
    expected_stats.item_count += 1;
    expected_stats.size_bytes += static_cast<int64_t>(model::ItemSize(expected.back()));
  }
  ScanSpec spec;
  spec.index = &index;
  std::vector<Item> actual = ReadAll(engine.Scan(table, spec));
  auto by_key = [](const Item& a, const Item& b) {
    return std::make_pair(a.at("pk").as_string(), a.at("sk").as_number().ToString()) <
           std::make_pair(b.at("pk").as_string(), b.at("sk").as_number().ToString());
  };
  std::sort(expected.begin(), expected.end(), by_key);
  std::sort(actual.begin(), actual.end(), by_key);
  EXPECT_EQ(actual, expected);
  auto stats = engine.GetIndexStats(table, index);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->item_count, expected_stats.item_count);
  EXPECT_EQ(stats->size_bytes, expected_stats.size_bytes);
}

Item Numbered(int i, int version) {
  Item item = {{"pk", S("p" + std::to_string(i))}, {"sk", N("1")},
               {"v", N(std::to_string(version))}};
  // Two of three items are in the index, under one of five groups that moves with the version.
  if ((i + version) % 3 != 0) item["g"] = S("g" + std::to_string((i + version) % 5));
  return item;
}

// Writers keep changing, moving, removing and adding items while the backfill runs; at the end
// the index holds exactly the entries of the table's items, with exact statistics.
TEST(RocksDbIndexTest, BackfillIsExactUnderConcurrentWrites) {
  EngineOptions options;
  options.in_memory = true;
  options.sync_writes = false;
  options.backfill_batch_items = 50;
  options.backfill_pause_ms = 0;
  auto engine = std::move(OpenRocksDbEngine(options)).value();
  auto table = *engine->CreateTable(MakeTable("filled", AttributeType::kS, AttributeType::kN));
  constexpr int kItems = 3000;
  auto put = [&](const Item& item) {
    auto written = engine->MutateItem(table, KeyOfItem(item, table),
                                      [&](const auto&) { return Mutation::Put(item); });
    ASSERT_TRUE(written.ok()) << written.error().message;
  };
  for (int i = 0; i < kItems; ++i) put(Numbered(i, 0));

  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 random(w);
      for (int version = 1; !stop.load(); ++version) {
        const int i = static_cast<int>(random() % (kItems + 500));  // some new items too
        const Item item = Numbered(i, version);
        if (random() % 10 == 0) {
          ASSERT_TRUE(engine->MutateItem(table, KeyOfItem(item, table), [](const auto&) {
                                return Mutation::Delete();
                              }).ok());
        } else {
          put(item);
        }
      }
    });
  }
  auto added = engine->AddIndex("filled", GroupIndex("by_group"));
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->indexes.back().status, model::IndexStatus::kCreating);
  EXPECT_TRUE(added->indexes.back().backfilling);
  const model::TableMetadata active = WaitActive(*engine, "filled", "by_group");
  stop = true;
  for (std::thread& writer : writers) writer.join();
  ExpectIndexMatchesTable(*engine, active, active.indexes.back());

  EXPECT_FALSE(engine->AddIndex("filled", GroupIndex("by_group")).ok());  // the name is taken
}

TEST(RocksDbIndexTest, DroppingAnIndexRemovesItsEntriesAndStats) {
  Fixture f;
  f.Put({{"pk", S("a")}, {"sk", N("1")}, {"g", S("x")}});
  auto before = f.engine->DropIndex("indexed", "by_g");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->indexes.size(), 3u);
  auto after = *f.engine->DescribeTable("indexed");
  ASSERT_EQ(after.indexes.size(), 2u);
  ScanSpec spec;
  spec.index = &f.table.indexes[2];  // the dropped one, as the caller last saw it
  EXPECT_TRUE(ReadAll(f.engine->Scan(after, spec)).empty());
  EXPECT_EQ(f.engine->GetIndexStats(after, f.table.indexes[2])->item_count, 0);
  // Later writes keep only the remaining indexes.
  f.table = after;
  f.Put({{"pk", S("b")}, {"sk", N("1")}, {"g", S("x")}, {"rank", N("1")}});
  EXPECT_EQ(f.QueryIndex(1, S("x")).size(), 1u);
  EXPECT_FALSE(f.engine->DropIndex("indexed", "by_g").ok());
}

TEST(RocksDbIndexTest, AnInterruptedBackfillResumesAfterReopen) {
  TempDir dir;
  EngineOptions slow;
  slow.data_dir = dir.path();
  slow.backfill_batch_items = 1;
  slow.backfill_pause_ms = 60000;  // one item, then a pause the close interrupts
  {
    auto engine = std::move(OpenRocksDbEngine(slow)).value();
    auto table = *engine->CreateTable(MakeTable("resumed", AttributeType::kS, AttributeType::kN));
    for (int i = 0; i < 100; ++i) {
      const Item item = Numbered(i, 0);
      ASSERT_TRUE(engine->MutateItem(table, KeyOfItem(item, table), [&](const auto&) {
                           return Mutation::Put(item);
                         }).ok());
    }
    ASSERT_TRUE(engine->AddIndex("resumed", GroupIndex("by_group")).ok());
  }
  EngineOptions fast = slow;
  fast.backfill_batch_items = 1000;
  fast.backfill_pause_ms = 0;
  auto engine = std::move(OpenRocksDbEngine(fast)).value();
  const model::TableMetadata active = WaitActive(*engine, "resumed", "by_group");
  ExpectIndexMatchesTable(*engine, active, active.indexes.back());
}

}  // namespace
}  // namespace dunlin::storage
