// Time to Live in the engine: which values expire when, the expiry index kept by writes and
// backfilled when TTL is enabled on a table with items, and the sweeper's deletions (marked in
// the stream, never of an item no longer due), on an injected clock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "storage/expiry_index.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::Item;
using testing::KeyOfItem;
using testing::MakeTable;
using testing::N;
using testing::S;

constexpr int64_t kNowSeconds = 1795457674;

model::TimeToLive Ttl() { return {true, "exp", 0, 1, false}; }

TEST(ExpiryIndexTest, ExpirySecondsTakesWholeSecondsOfTopLevelNumbers) {
  auto seconds = [](model::AttributeValue value) {
    return ExpirySeconds(Ttl(), Item{{"pk", S("a")}, {"exp", std::move(value)}});
  };
  EXPECT_EQ(seconds(N("1795457604")), 1795457604);
  EXPECT_EQ(seconds(N("1.795457604E9")), 1795457604);
  EXPECT_EQ(seconds(N("60.5")), 60);
  EXPECT_EQ(seconds(N("0.25")), 0);
  EXPECT_EQ(seconds(N("0")), 0);
  EXPECT_EQ(seconds(N("-1")), std::nullopt);
  EXPECT_EQ(seconds(N("1E20")), std::nullopt);
  EXPECT_EQ(seconds(S("1795457604")), std::nullopt);
  EXPECT_EQ(ExpirySeconds(Ttl(), Item{{"pk", S("a")}}), std::nullopt);
}

TEST(ExpiryIndexTest, DueWithinFiveYearsUpToNow) {
  EXPECT_TRUE(ExpiryDue(kNowSeconds, kNowSeconds));
  EXPECT_TRUE(ExpiryDue(kNowSeconds - 60, kNowSeconds));
  EXPECT_FALSE(ExpiryDue(kNowSeconds + 1, kNowSeconds));
  EXPECT_TRUE(ExpiryDue(kNowSeconds - kExpiryWindowSeconds, kNowSeconds));
  EXPECT_FALSE(ExpiryDue(kNowSeconds - kExpiryWindowSeconds - 1, kNowSeconds));
}

TEST(ExpiryIndexTest, KeysSortByTimeAndParseBack) {
  EXPECT_LT(ExpiryKey(7, 100, "zz"), ExpiryKey(7, 101, "aa"));
  EXPECT_LT(ExpiryKey(7, 1LL << 35, "zz"), ExpiryKeyPrefix(8, 0));
  auto parsed = ParseExpiryKey(ExpiryKey(7, 12345, "key"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->seconds, 12345);
  EXPECT_EQ(parsed->storage_key, "key");
  EXPECT_FALSE(ParseExpiryKey(ExpiryKeyPrefix(7, 1)).has_value());
}

TEST(ExpiryIndexTest, WritesMoveTheEntryOnlyWhenTheSecondsChange) {
  model::TableMetadata table = MakeTable("t", AttributeType::kS);
  table.ttl = Ttl();
  const Item a = {{"pk", S("a")}, {"exp", N("100.2")}};
  const Item same_second = {{"pk", S("a")}, {"exp", N("100.7")}};
  const Item later = {{"pk", S("a")}, {"exp", N("200")}};
  EXPECT_FALSE(PlanExpiryChanges(table, "k", &a, &same_second).add.has_value());
  const ExpiryChanges moved = PlanExpiryChanges(table, "k", &a, &later);
  EXPECT_EQ(moved.remove, ExpiryKey(1, 100, "k"));
  ASSERT_TRUE(moved.add.has_value());
  EXPECT_EQ(moved.add->first, ExpiryKey(1, 200, "k"));
  const ExpiryChanges removed = PlanExpiryChanges(table, "k", &a, nullptr);
  EXPECT_TRUE(removed.remove.has_value());
  EXPECT_FALSE(removed.add.has_value());
}

struct Fixture {
  Fixture() {
    EngineOptions options;
    options.in_memory = true;
    options.sync_writes = false;
    options.ttl_sweep_interval_ms = 5;
    options.backfill_pause_ms = 0;
    options.clock_ms = [this] { return now_seconds.load() * 1000; };
    engine = std::move(OpenRocksDbEngine(options)).value();
    model::TableMetadata definition = MakeTable("t", AttributeType::kS);
    definition.stream = model::TableStream{0, "", model::StreamViewType::kOldImage, true};
    table = *engine->CreateTable(definition);
  }
  void Put(const Item& item) {
    ASSERT_TRUE(engine
                    ->MutateItem(table, KeyOfItem(item, table),
                                 [&](const auto&) { return Mutation::Put(item); })
                    .ok());
  }
  bool Exists(const std::string& pk) {
    const Item key = {{"pk", S(pk)}};
    return engine->GetItem(table, KeyOfItem(key, table))->has_value();
  }
  void EnableTtl() {
    auto updated = engine->UpdateTable("t", [](model::TableMetadata& stored) {
      stored.ttl.enabled = true;
      stored.ttl.attribute_name = "exp";
      return StorageResult<void>();
    });
    ASSERT_TRUE(updated.ok());
    table = *updated;
  }

  std::atomic<int64_t> now_seconds{kNowSeconds};
  std::unique_ptr<Engine> engine;
  model::TableMetadata table;
};

model::AttributeValue Seconds(int64_t value) { return N(std::to_string(value)); }

TEST(RocksDbTtlTest, EnablingAssignsAnExpiryIndexAndBackfillsIt) {
  Fixture f;
  f.Put({{"pk", S("due")}, {"exp", Seconds(kNowSeconds - 10)}});
  f.Put({{"pk", S("future")}, {"exp", Seconds(kNowSeconds + 100)}});
  f.Put({{"pk", S("ancient")}, {"exp", Seconds(kNowSeconds - kExpiryWindowSeconds - 10)}});
  f.Put({{"pk", S("text")}, {"exp", S("1")}});
  f.EnableTtl();
  EXPECT_NE(f.table.ttl.expiry_id, 0u);
  ASSERT_TRUE(testing::WaitUntil([&] { return !f.Exists("due"); }));
  ASSERT_TRUE(testing::WaitUntil([&] { return !f.engine->DescribeTable("t")->ttl.backfilling; }));
  EXPECT_TRUE(f.Exists("future"));
  EXPECT_TRUE(f.Exists("ancient"));
  EXPECT_TRUE(f.Exists("text"));
  f.now_seconds += 100;
  ASSERT_TRUE(testing::WaitUntil([&] { return !f.Exists("future"); }));
  EXPECT_TRUE(f.Exists("ancient"));
}

TEST(RocksDbTtlTest, DeletionsAreMarkedInTheStreamWithTheOldImage) {
  Fixture f;
  f.EnableTtl();
  const Item item = {{"pk", S("a")}, {"exp", Seconds(kNowSeconds + 1)}};
  f.Put(item);
  f.now_seconds += 1;
  ASSERT_TRUE(testing::WaitUntil([&] { return !f.Exists("a"); }));
  auto records = *f.engine->ReadStream(f.table.stream->stream_id, 0, UINT64_MAX, 10, INT64_MAX);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_FALSE(records[0].by_service);
  EXPECT_EQ(records[1].event, StreamRecord::Event::kRemove);
  EXPECT_TRUE(records[1].by_service);
  EXPECT_EQ(records[1].old_image, item);
}

TEST(RocksDbTtlTest, ExtendedOrRemovedExpiriesAreKept) {
  Fixture f;
  f.EnableTtl();
  f.Put({{"pk", S("extended")}, {"exp", Seconds(kNowSeconds + 1)}});
  f.Put({{"pk", S("removed")}, {"exp", Seconds(kNowSeconds + 1)}});
  f.Put({{"pk", S("control")}, {"exp", Seconds(kNowSeconds + 1)}});
  f.Put({{"pk", S("extended")}, {"exp", Seconds(kNowSeconds + 1000)}});
  f.Put({{"pk", S("removed")}});
  f.now_seconds += 1;
  ASSERT_TRUE(testing::WaitUntil([&] { return !f.Exists("control"); }));
  EXPECT_TRUE(f.Exists("extended"));
  EXPECT_TRUE(f.Exists("removed"));
}

TEST(RocksDbTtlTest, DisablingStopsExpiry) {
  Fixture f;
  f.EnableTtl();
  f.Put({{"pk", S("a")}, {"exp", Seconds(kNowSeconds + 1)}});
  auto disabled = f.engine->UpdateTable("t", [](model::TableMetadata& stored) {
    stored.ttl.enabled = false;
    stored.ttl.attribute_name.clear();
    return StorageResult<void>();
  });
  ASSERT_TRUE(disabled.ok());
  EXPECT_EQ(disabled->ttl.expiry_id, 0u);
  f.now_seconds += 10;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // ten sweep periods
  EXPECT_TRUE(f.Exists("a"));
}

}  // namespace
}  // namespace dunlin::storage
