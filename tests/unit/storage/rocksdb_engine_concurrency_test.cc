// Concurrent writers through MutateItem: no lost updates, exact stats.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

#include <atomic>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "model/item_size.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_engine.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::Item;
using testing::KeyOfItem;
using testing::MakeTable;
using testing::N;
using testing::Num;
using testing::S;
using testing::TempDir;

constexpr int kThreads = 8;

// Stands in for the engine's stats operator when the test opens a data directory itself.
class KeepLastOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice*, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    *new_value = value.ToString();
    return true;
  }
  const char* Name() const override { return "KeepLast"; }
};

std::unique_ptr<Engine> OpenEngine(const std::string& dir) {
  EngineOptions options;
  options.in_memory = dir.empty();
  options.data_dir = dir;
  auto engine = OpenRocksDbEngine(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(engine).value() : nullptr;
}

// Every thread increments one counter attribute of the same item; each read-modify-write must
// see the previous one.
TEST(RocksDbEngineConcurrencyTest, ReadModifyWritesDoNotLoseUpdates) {
  auto engine = OpenEngine("");
  const model::TableMetadata table = *engine->CreateTable(MakeTable("t", AttributeType::kS));
  constexpr int kIncrements = 300;
  const Item key_item = {{"pk", S("counter")}};
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto result = engine->MutateItem(
            table, KeyOfItem(key_item, table),
            [&](const std::optional<Item>& current) -> StorageResult<Mutation> {
              Item next = current.value_or(Item{{"pk", S("counter")}, {"n", N("0")}});
              next["n"] = model::AttributeValue::Num(*next["n"].as_number().Add(Num("1")));
              return Mutation::Put(std::move(next));
            });
        if (!result.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto item = engine->GetItem(table, KeyOfItem(key_item, table));
  ASSERT_TRUE(item.ok() && item->has_value());
  EXPECT_EQ((*item)->at("n").as_number(), Num(std::to_string(kThreads * kIncrements)));
  EXPECT_EQ(engine->GetTableStats(table)->item_count, 1);
}

// Writes queued without waiting (MutateItemAsync) build on each other before any is applied:
// each mutator sees the value the previous queued write gives the item, the completions come
// in order, and a delete then a put of the same key count once in the stats.
TEST(RocksDbEngineConcurrencyTest, QueuedWritesSeeTheWritesQueuedBeforeThem) {
  TempDir dir;
  auto engine = OpenEngine(dir.path());  // synced: the queue really waits for the disk
  const model::TableMetadata table = *engine->CreateTable(MakeTable("t", AttributeType::kS));
  const Item key_item = {{"pk", S("counter")}};
  constexpr int kWrites = 200;
  std::vector<std::string> seen;
  std::mutex done_mutex;
  std::vector<int> completed;
  std::atomic<int> remaining{kWrites + 2};
  auto record = [&](int id) {
    return [&, id](StorageResult<std::optional<Item>> result) {
      EXPECT_TRUE(result.ok());
      std::lock_guard lock(done_mutex);
      completed.push_back(id);
      remaining.fetch_sub(1);
    };
  };
  for (int i = 0; i < kWrites; ++i) {
    engine->MutateItemAsync(
        table, KeyOfItem(key_item, table),
        [&](const std::optional<Item>& current) -> StorageResult<Mutation> {
          seen.push_back(current ? current->at("n").as_number().ToString() : "absent");
          Item next = current.value_or(Item{{"pk", S("counter")}, {"n", N("0")}});
          next["n"] = model::AttributeValue::Num(*next["n"].as_number().Add(Num("1")));
          return Mutation::Put(std::move(next));
        },
        record(i));
  }
  engine->MutateItemAsync(table, KeyOfItem(key_item, table),
                          [&](const std::optional<Item>& current) -> StorageResult<Mutation> {
                            EXPECT_TRUE(current.has_value());
                            return Mutation::Delete();
                          },
                          record(kWrites));
  engine->MutateItemAsync(table, KeyOfItem(key_item, table),
                          [&](const std::optional<Item>& current) -> StorageResult<Mutation> {
                            EXPECT_FALSE(current.has_value());
                            return Mutation::Put(Item{{"pk", S("counter")}, {"n", N("-1")}});
                          },
                          record(kWrites + 1));
  while (remaining.load() > 0) std::this_thread::yield();

  ASSERT_EQ(seen.size(), static_cast<size_t>(kWrites));
  EXPECT_EQ(seen[0], "absent");
  for (int i = 1; i < kWrites; ++i) EXPECT_EQ(seen[i], std::to_string(i));
  ASSERT_EQ(completed.size(), static_cast<size_t>(kWrites + 2));
  for (int i = 0; i < kWrites + 2; ++i) EXPECT_EQ(completed[i], i);
  auto item = engine->GetItem(table, KeyOfItem(key_item, table));
  ASSERT_TRUE(item.ok() && item->has_value());
  EXPECT_EQ((*item)->at("n").as_number(), Num("-1"));
  EXPECT_EQ(engine->GetTableStats(table)->item_count, 1);
  EXPECT_EQ(engine->GetTableStats(table)->size_bytes,
            static_cast<int64_t>(model::ItemSize(**item)));
}

// Threads put and delete random keys of one table (synced writes on disk, so group commit is
// exercised); the stats must equal what a scan finds, and survive a reopen.
TEST(RocksDbEngineConcurrencyTest, StatsStayExactUnderConcurrentWriters) {
  TempDir dir;
  model::TableMetadata table;
  int64_t expected_count = 0;
  int64_t expected_bytes = 0;
  {
    auto engine = OpenEngine(dir.path());
    table = *engine->CreateTable(MakeTable("t", AttributeType::kN));
    constexpr int kOperations = 250;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::mt19937 rng(1000 + t);
        for (int i = 0; i < kOperations; ++i) {
          const int k = std::uniform_int_distribution<int>(0, 63)(rng);
          const bool put = std::uniform_int_distribution<int>(0, 2)(rng) != 0;
          const Item item = {{"pk", N(std::to_string(k))},
                             {"payload", S(std::string(static_cast<size_t>(i % 17), 'x'))}};
          auto result =
              engine->MutateItem(table, KeyOfItem(item, table), [&](const std::optional<Item>&) {
                return put ? Mutation::Put(item) : Mutation::Delete();
              });
          if (!result.ok()) failures.fetch_add(1);
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);

    auto cursor = engine->Scan(table, ScanSpec{});
    ASSERT_TRUE(cursor.ok());
    for (;;) {
      auto next = (*cursor)->Next();
      ASSERT_TRUE(next.ok());
      if (!next->has_value()) break;
      ++expected_count;
      expected_bytes += static_cast<int64_t>(model::ItemSize(**next));
    }
    cursor->reset();
    const TableStats stats = *engine->GetTableStats(table);
    EXPECT_GT(expected_count, 0);
    EXPECT_EQ(stats.item_count, expected_count);
    EXPECT_EQ(stats.size_bytes, expected_bytes);
  }
  auto engine = OpenEngine(dir.path());
  const TableStats stats = *engine->GetTableStats(table);
  EXPECT_EQ(stats.item_count, expected_count);
  EXPECT_EQ(stats.size_bytes, expected_bytes);
}

// Writers racing a DeleteTable either land before it (and are removed with the table) or fail
// with kTableNotFound; nothing is left under the deleted table's prefix, not even stats.
TEST(RocksDbEngineConcurrencyTest, WritesRacingDeleteTableLeaveNothingBehind) {
  TempDir dir;
  model::TableMetadata table;
  {
    EngineOptions options;
    options.data_dir = dir.path();
    options.sync_writes = false;
    auto engine = std::move(OpenRocksDbEngine(options)).value();
    table = *engine->CreateTable(MakeTable("t", AttributeType::kS));
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; !stop.load(); ++i) {
          const Item item = {{"pk", S(std::to_string(t) + "-" + std::to_string(i))}};
          auto result = engine->MutateItem(table, KeyOfItem(item, table),
                                           [&](const auto&) { return Mutation::Put(item); });
          if (!result.ok()) {
            EXPECT_EQ(result.error().code, StorageError::Code::kTableNotFound);
            break;
          }
          written.fetch_add(1);
        }
      });
    }
    while (written.load() < 200) std::this_thread::yield();
    ASSERT_TRUE(engine->DeleteTable("t").ok());
    stop.store(true);
    for (auto& thread : threads) thread.join();
  }
  // Look under the deleted table's prefix with RocksDB itself. The stats column family needs a
  // merge operator for its log records to replay correctly.
  rocksdb::ColumnFamilyOptions stats_options;
  stats_options.merge_operator = std::make_shared<KeepLastOperator>();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, {}},
      {kCatalogColumnFamily, {}},
      {kItemsColumnFamily, {}},
      {kStatsColumnFamily, stats_options}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir.path(), descriptors, &handles, &raw)
          .ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  const StorageKeyRange range = StorageKeyRangeOf(table.internal_id, HashRange{});
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[2]));
  it->Seek(range.begin);
  EXPECT_TRUE(!it->Valid() || it->key().compare(range.end) >= 0) << "item left behind";
  EXPECT_TRUE(it->status().ok());
  it.reset();
  std::string stats;
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), handles[3], TablePrefix(table.internal_id), &stats)
                  .IsNotFound());
  for (auto* handle : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
}

}  // namespace
}  // namespace dunlin::storage
