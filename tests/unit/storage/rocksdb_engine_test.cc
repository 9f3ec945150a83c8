#include "storage/rocksdb_engine.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "model/item_size.h"
#include "storage/key_encoding.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::Item;
using testing::KeyOfItem;
using testing::MakeTable;
using testing::OpenInMemory;
using testing::N;
using testing::S;

StorageResult<std::optional<Item>> Put(Engine& engine, const model::TableMetadata& table,
                                       const Item& item) {
  return engine.MutateItem(table, KeyOfItem(item, table),
                           [&item](const std::optional<Item>&) { return Mutation::Put(item); });
}

StorageResult<std::optional<Item>> Delete(Engine& engine, const model::TableMetadata& table,
                                          const Item& key_item) {
  return engine.MutateItem(table, KeyOfItem(key_item, table),
                           [](const std::optional<Item>&) { return Mutation::Delete(); });
}

std::vector<Item> ScanAll(Engine& engine, const model::TableMetadata& table,
                          const ScanSpec& spec = {}) {
  auto cursor = engine.Scan(table, spec);
  EXPECT_TRUE(cursor.ok()) << cursor.error().message;
  std::vector<Item> items;
  if (!cursor.ok()) return items;
  for (;;) {
    auto next = (*cursor)->Next();
    EXPECT_TRUE(next.ok()) << next.error().message;
    if (!next.ok() || !next->has_value()) break;
    items.push_back(std::move(**next));
  }
  return items;
}

std::string StorageKeyOf(const model::TableMetadata& table, const Item& item) {
  return *EncodeStorageKeyOfItem(table, item);
}

class RocksDbEngineTest : public ::testing::Test {
 protected:
  std::unique_ptr<Engine> engine_ = OpenInMemory();
};

// --- Catalog ---

TEST_F(RocksDbEngineTest, CreateDescribeListUpdateDelete) {
  auto created = engine_->CreateTable(MakeTable("b", AttributeType::kS));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->internal_id, 1u);
  model::TableMetadata a = MakeTable("a", AttributeType::kN, AttributeType::kS);
  a.internal_id = 999;  // ignored
  auto created_a = engine_->CreateTable(a);
  ASSERT_TRUE(created_a.ok());
  EXPECT_EQ(created_a->internal_id, 2u);

  auto duplicate = engine_->CreateTable(MakeTable("a", AttributeType::kS));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, StorageError::Code::kTableExists);

  auto described = engine_->DescribeTable("a");
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(*described, *created_a);
  auto missing = engine_->DescribeTable("zzz");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, StorageError::Code::kTableNotFound);

  auto listed = engine_->ListTables();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "a");
  EXPECT_EQ((*listed)[1].name, "b");

  model::TableMetadata updated = *created_a;
  updated.throughput.read_capacity_units = 42;
  updated.deletion_protection = true;
  auto stored = engine_->UpdateTable("a", [](model::TableMetadata& table) {
    table.throughput.read_capacity_units = 42;
    table.deletion_protection = true;
    return StorageResult<void>();
  });
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, updated);
  EXPECT_EQ(*engine_->DescribeTable("a"), updated);
  auto renamed = engine_->UpdateTable("a", [](model::TableMetadata& table) {
    table.name = "z";
    return StorageResult<void>();
  });
  ASSERT_FALSE(renamed.ok());
  EXPECT_EQ(renamed.error().code, StorageError::Code::kInvalidArgument);
  auto missing_update = engine_->UpdateTable("nope", [](model::TableMetadata&) {
    ADD_FAILURE() << "updater called for a missing table";
    return StorageResult<void>();
  });
  ASSERT_FALSE(missing_update.ok());
  EXPECT_EQ(missing_update.error().code, StorageError::Code::kTableNotFound);

  // A failing check keeps the table.
  auto refused = engine_->DeleteTable("a", [](const model::TableMetadata& table) {
    return table.deletion_protection
               ? StorageResult<void>(Fail(StorageError{StorageError::Code::kAborted, "protected"}))
               : StorageResult<void>();
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "protected");
  ASSERT_TRUE(engine_->DescribeTable("a").ok());

  auto deleted = engine_->DeleteTable("a");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->name, "a");
  EXPECT_FALSE(engine_->DescribeTable("a").ok());
  auto deleted_again = engine_->DeleteTable("a");
  ASSERT_FALSE(deleted_again.ok());
  EXPECT_EQ(deleted_again.error().code, StorageError::Code::kTableNotFound);
  EXPECT_EQ(engine_->ListTables()->size(), 1u);
}

// Regression: read-modify-write of table metadata used to happen outside the catalog lock, so
// concurrent TagResource calls could lose each other's tags.
TEST_F(RocksDbEngineTest, ConcurrentTableUpdatesAreAllKept) {
  ASSERT_TRUE(engine_->CreateTable(MakeTable("t", AttributeType::kS)).ok());
  constexpr int kThreads = 8;
  constexpr int kTagsPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kTagsPerThread; ++i) {
        auto result = engine_->UpdateTable("t", [&](model::TableMetadata& table) {
          table.tags.push_back({std::to_string(t) + "-" + std::to_string(i), "v"});
          return StorageResult<void>();
        });
        EXPECT_TRUE(result.ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(engine_->DescribeTable("t")->tags.size(), size_t{kThreads * kTagsPerThread});
}

TEST_F(RocksDbEngineTest, DeleteTableRemovesItemsAndIdsAreNotReused) {
  model::TableMetadata table = *engine_->CreateTable(MakeTable("t", AttributeType::kS));
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(Put(*engine_, table, {{"pk", S("k" + std::to_string(i))}}).ok());
  }
  EXPECT_EQ(engine_->GetTableStats(table)->item_count, 50);
  ASSERT_TRUE(engine_->DeleteTable("t").ok());

  // The old metadata no longer names a live table.
  const Item key = {{"pk", S("k1")}};
  auto get = engine_->GetItem(table, KeyOfItem(key, table));
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().code, StorageError::Code::kTableNotFound);
  auto put = Put(*engine_, table, key);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, StorageError::Code::kTableNotFound);

  model::TableMetadata again = *engine_->CreateTable(MakeTable("t", AttributeType::kS));
  EXPECT_NE(again.internal_id, table.internal_id);
  EXPECT_TRUE(ScanAll(*engine_, again).empty());
  EXPECT_EQ(engine_->GetTableStats(again)->item_count, 0);
}

// --- Items ---

TEST_F(RocksDbEngineTest, GetAndMutateItems) {
  model::TableMetadata table =
      *engine_->CreateTable(MakeTable("t", AttributeType::kS, AttributeType::kN));
  const Item item = {{"pk", S("p")}, {"sk", N("1.5")}, {"v", S("one")}};
  auto previous = Put(*engine_, table, item);
  ASSERT_TRUE(previous.ok()) << previous.error().message;
  EXPECT_FALSE(previous->has_value());

  // Canonically equal numbers address the same item.
  const Item lookup = {{"pk", S("p")}, {"sk", N("15E-1")}};
  auto got = engine_->GetItem(table, KeyOfItem(lookup, table));
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, item);

  const Item replacement = {{"pk", S("p")}, {"sk", N("1.5")}, {"v", S("two")}};
  previous = Put(*engine_, table, replacement);
  ASSERT_TRUE(previous.ok());
  ASSERT_TRUE(previous->has_value());
  EXPECT_EQ(**previous, item);
  TableStats stats = *engine_->GetTableStats(table);
  EXPECT_EQ(stats.item_count, 1);
  EXPECT_EQ(stats.size_bytes, static_cast<int64_t>(model::ItemSize(replacement)));

  previous = Delete(*engine_, table, lookup);
  ASSERT_TRUE(previous.ok());
  EXPECT_EQ(**previous, replacement);
  EXPECT_FALSE(engine_->GetItem(table, KeyOfItem(lookup, table))->has_value());
  previous = Delete(*engine_, table, lookup);  // absent: nothing to do
  ASSERT_TRUE(previous.ok());
  EXPECT_FALSE(previous->has_value());
  stats = *engine_->GetTableStats(table);
  EXPECT_EQ(stats.item_count, 0);
  EXPECT_EQ(stats.size_bytes, 0);
}

TEST_F(RocksDbEngineTest, MutatorSeesTheCurrentItemAndMayDecline) {
  model::TableMetadata table = *engine_->CreateTable(MakeTable("t", AttributeType::kN));
  const Item item = {{"pk", N("7")}, {"count", N("1")}};
  ASSERT_TRUE(Put(*engine_, table, item).ok());

  auto declined = engine_->MutateItem(
      table, KeyOfItem(item, table),
      [&](const std::optional<Item>& current) -> StorageResult<Mutation> {
        EXPECT_EQ(current, std::optional<Item>(item));
        return Fail(StorageError{StorageError::Code::kAborted, "condition failed"});
      });
  ASSERT_FALSE(declined.ok());
  EXPECT_EQ(declined.error().code, StorageError::Code::kAborted);
  EXPECT_EQ(declined.error().message, "condition failed");

  auto none = engine_->MutateItem(table, KeyOfItem(item, table),
                                  [](const std::optional<Item>&) { return Mutation::None(); });
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(**none, item);
  EXPECT_EQ(**engine_->GetItem(table, KeyOfItem(item, table)), item);

  // A put under another key is a caller bug and is refused.
  auto wrong_key =
      engine_->MutateItem(table, KeyOfItem(item, table), [](const std::optional<Item>&) {
        return Mutation::Put({{"pk", N("8")}});
      });
  EXPECT_FALSE(wrong_key.ok());
  EXPECT_EQ(engine_->GetTableStats(table)->item_count, 1);
}

// --- Scan ---

class ScanTest : public RocksDbEngineTest {
 protected:
  void SetUp() override {
    table_ = *engine_->CreateTable(MakeTable("scan", AttributeType::kS, AttributeType::kN));
    // Another table around it, whose items must never show up.
    other_ = *engine_->CreateTable(MakeTable("other", AttributeType::kS, AttributeType::kN));
    for (int p = 0; p < 60; ++p) {
      for (int s = 0; s < 5; ++s) {
        const Item item = {{"pk", S("p" + std::to_string(p))}, {"sk", N(std::to_string(s - 2))}};
        ASSERT_TRUE(Put(*engine_, table_, item).ok());
        ASSERT_TRUE(Put(*engine_, other_, item).ok());
      }
    }
  }
  model::TableMetadata table_;
  model::TableMetadata other_;
};

TEST_F(ScanTest, ReturnsAllItemsInStorageKeyOrder) {
  const std::vector<Item> items = ScanAll(*engine_, table_);
  ASSERT_EQ(items.size(), 300u);
  std::vector<std::string> keys;
  for (const Item& item : items) keys.push_back(StorageKeyOf(table_, item));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 300u);
  // Within a partition, sort keys come in numeric order.
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    if (items[i].at("pk") == items[i + 1].at("pk")) {
      EXPECT_LT(items[i].at("sk").as_number(), items[i + 1].at("sk").as_number());
    }
  }
}

TEST_F(ScanTest, SegmentsPartitionTheTableByHash) {
  for (uint32_t total : {1u, 2u, 3u, 7u, 64u}) {
    std::set<std::string> seen;
    for (uint32_t segment = 0; segment < total; ++segment) {
      const HashRange range = SegmentHashRange(segment, total);
      for (const Item& item : ScanAll(*engine_, table_, ScanSpec{segment, total, {}})) {
        const std::string key = StorageKeyOf(table_, item);
        const auto decoded = DecodeStorageKey(key, table_.key_schema);
        ASSERT_TRUE(decoded.ok());
        EXPECT_GE(decoded->hash, range.begin);
        EXPECT_LT(decoded->hash, range.end);
        EXPECT_TRUE(seen.insert(key).second) << "item in two segments";
      }
    }
    EXPECT_EQ(seen.size(), 300u) << total;
  }
}

TEST_F(ScanTest, ResumesStrictlyAfterTheExclusiveStartKey) {
  const std::vector<Item> all = ScanAll(*engine_, table_);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{137}, all.size() - 1}) {
    ScanSpec spec;
    spec.exclusive_start_key = Item{{"pk", all[cut].at("pk")}, {"sk", all[cut].at("sk")}};
    const std::vector<Item> rest = ScanAll(*engine_, table_, spec);
    ASSERT_EQ(rest.size(), all.size() - cut - 1) << cut;
    EXPECT_TRUE(std::equal(rest.begin(), rest.end(), all.begin() + cut + 1));
  }
  // A start key that is not stored resumes at the next stored key.
  ScanSpec spec;
  spec.exclusive_start_key = Item{{"pk", all[10].at("pk")}, {"sk", N("-2.5")}};
  const std::vector<Item> rest = ScanAll(*engine_, table_, spec);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front(), all[10]);
}

TEST_F(ScanTest, ExclusiveStartKeyWithinASegment) {
  const std::vector<Item> segment = ScanAll(*engine_, table_, ScanSpec{1, 3, {}});
  ASSERT_GT(segment.size(), 3u);
  ScanSpec spec{1, 3, Item{{"pk", segment[2].at("pk")}, {"sk", segment[2].at("sk")}}};
  const std::vector<Item> rest = ScanAll(*engine_, table_, spec);
  ASSERT_EQ(rest.size(), segment.size() - 3);
  EXPECT_TRUE(std::equal(rest.begin(), rest.end(), segment.begin() + 3));
  // A start key from an earlier segment starts at the segment's beginning.
  const std::vector<Item> first = ScanAll(*engine_, table_, ScanSpec{0, 3, {}});
  ASSERT_FALSE(first.empty());
  spec.exclusive_start_key = Item{{"pk", first[0].at("pk")}, {"sk", first[0].at("sk")}};
  EXPECT_EQ(ScanAll(*engine_, table_, spec).size(), segment.size());
}

TEST_F(ScanTest, CursorReadsASnapshot) {
  auto cursor = engine_->Scan(table_, ScanSpec{});
  ASSERT_TRUE(cursor.ok());
  // Writes after the cursor opened are not seen by it.
  for (int p = 0; p < 60; ++p) {
    ASSERT_TRUE(
        Delete(*engine_, table_, {{"pk", S("p" + std::to_string(p))}, {"sk", N("0")}}).ok());
  }
  ASSERT_TRUE(Put(*engine_, table_, {{"pk", S("new")}, {"sk", N("0")}}).ok());
  size_t count = 0;
  for (;;) {
    auto next = (*cursor)->Next();
    ASSERT_TRUE(next.ok());
    if (!next->has_value()) break;
    ++count;
  }
  EXPECT_EQ(count, 300u);
  EXPECT_EQ(ScanAll(*engine_, table_).size(), 241u);
}

TEST_F(ScanTest, CursorStaysAtTheEnd) {
  ScanSpec spec;
  const std::vector<Item> all = ScanAll(*engine_, table_);
  spec.exclusive_start_key = Item{{"pk", all.back().at("pk")}, {"sk", all.back().at("sk")}};
  auto cursor = engine_->Scan(table_, spec);
  ASSERT_TRUE(cursor.ok());
  for (int i = 0; i < 3; ++i) {
    auto next = (*cursor)->Next();
    ASSERT_TRUE(next.ok());
    EXPECT_FALSE(next->has_value());
  }
}

TEST_F(ScanTest, RejectsInvalidSegments) {
  EXPECT_FALSE(engine_->Scan(table_, ScanSpec{0, 0, {}}).ok());
  EXPECT_FALSE(engine_->Scan(table_, ScanSpec{3, 3, {}}).ok());
}

}  // namespace
}  // namespace dunlin::storage
