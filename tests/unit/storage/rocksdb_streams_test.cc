// Streams in the engine: records written with their items (per view type, none for no-ops),
// sequence numbers in commit order, stream lifecycle through catalog changes, multi-item
// writes, trimming and shard rollover on an injected clock, and the stored forms.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "model/item_size.h"
#include "storage/item_codec.h"
#include "storage/stream_codec.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::Item;
using model::StreamViewType;
using testing::KeyOfItem;
using testing::MakeTable;
using testing::N;
using testing::S;

constexpr int64_t kStartMs = 1795457674636;

struct Fixture {
  explicit Fixture(StreamViewType view = StreamViewType::kNewAndOldImages,
                   int64_t retention_ms = 10000) {
    EngineOptions options;
    options.in_memory = true;
    options.sync_writes = false;
    options.stream_maintenance_interval_ms = 5;
    options.stream_retention_ms = retention_ms;
    options.stream_shard_roll_ms = 60000;
    options.clock_ms = [this] { return now.load(); };
    engine = std::move(OpenRocksDbEngine(options)).value();
    model::TableMetadata definition = MakeTable("t", AttributeType::kS);
    definition.creation_time_ms = kStartMs;
    definition.stream = model::TableStream{0, "", view, true};
    table = *engine->CreateTable(definition);
  }

  void Put(const Item& item) {
    ASSERT_TRUE(engine
                    ->MutateItem(table, KeyOfItem(item, table),
                                 [&](const auto&) { return Mutation::Put(item); })
                    .ok());
  }
  void Delete(const Item& key) {
    ASSERT_TRUE(engine
                    ->MutateItem(table, KeyOfItem(key, table),
                                 [&](const auto&) { return Mutation::Delete(); })
                    .ok());
  }
  StreamInfo Stream(uint64_t id) {
    const std::vector<StreamInfo> streams = *engine->ListStreams();
    for (const StreamInfo& info : streams) {
      if (info.stream_id == id) return info;
    }
    ADD_FAILURE() << "no stream " << id;
    return {};
  }
  std::vector<StreamRecord> Records(uint64_t id) {
    return *engine->ReadStream(id, 0, UINT64_MAX, 1000, INT64_MAX);
  }

  std::atomic<int64_t> now{kStartMs};
  std::unique_ptr<Engine> engine;
  model::TableMetadata table;
};

TEST(RocksDbStreamsTest, CreateTableOpensAStreamLabelledWithTheCreationTime) {
  Fixture f;
  ASSERT_TRUE(f.table.stream.has_value());
  EXPECT_NE(f.table.stream->stream_id, 0u);
  EXPECT_EQ(f.table.stream->label, "2026-11-23T18:14:34.636");
  const StreamInfo info = f.Stream(f.table.stream->stream_id);
  EXPECT_TRUE(info.enabled);
  EXPECT_EQ(info.table_name, "t");
  EXPECT_EQ(info.key_schema, f.table.key_schema);
  ASSERT_EQ(info.shards.size(), 1u);
  EXPECT_FALSE(info.shards[0].last_sequence.has_value());
}

TEST(RocksDbStreamsTest, WritesLeaveRecordsWithImagesInOrder) {
  Fixture f;
  const Item first = {{"pk", S("a")}, {"v", N("1")}};
  const Item second = {{"pk", S("a")}, {"v", N("2")}};
  f.Put(first);
  f.Put(second);
  f.Delete(first);
  const auto records = f.Records(f.table.stream->stream_id);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].event, StreamRecord::Event::kInsert);
  EXPECT_EQ(records[0].new_image, first);
  EXPECT_FALSE(records[0].old_image.has_value());
  EXPECT_EQ(records[1].event, StreamRecord::Event::kModify);
  EXPECT_EQ(records[1].old_image, first);
  EXPECT_EQ(records[1].new_image, second);
  EXPECT_EQ(records[2].event, StreamRecord::Event::kRemove);
  EXPECT_EQ(records[2].old_image, second);
  EXPECT_FALSE(records[2].new_image.has_value());
  const Item keys = {{"pk", S("a")}};
  for (const StreamRecord& record : records) {
    EXPECT_EQ(record.keys, keys);
    EXPECT_EQ(record.created_ms, kStartMs);
    EXPECT_FALSE(record.by_service);
  }
  EXPECT_LT(records[0].sequence, records[1].sequence);
  EXPECT_LT(records[1].sequence, records[2].sequence);
  EXPECT_GT(records[0].sequence, f.Stream(f.table.stream->stream_id).shards[0].first_sequence);
  EXPECT_EQ(records[1].size_bytes,
            static_cast<int64_t>(model::ItemSize(keys) + model::ItemSize(first) +
                                 model::ItemSize(second)));
  EXPECT_GT(f.engine->NextStreamSequence(), records[2].sequence);
}

TEST(RocksDbStreamsTest, KeysOnlyRecordsCarryNoImages) {
  Fixture f(StreamViewType::kKeysOnly);
  f.Put({{"pk", S("a")}, {"v", N("1")}});
  const auto records = f.Records(f.table.stream->stream_id);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].new_image.has_value());
  EXPECT_FALSE(records[0].old_image.has_value());
}

TEST(RocksDbStreamsTest, NoRecordForWritesThatChangeNothing) {
  Fixture f;
  const Item item = {{"pk", S("a")}, {"ss", model::AttributeValue(model::StringSet{{"x", "y"}})}};
  f.Put(item);
  // The same item, its set in another order: equal once stored.
  f.Put({{"pk", S("a")}, {"ss", model::AttributeValue(model::StringSet{{"y", "x"}})}});
  f.Delete({{"pk", S("missing")}});
  EXPECT_EQ(f.Records(f.table.stream->stream_id).size(), 1u);
}

TEST(RocksDbStreamsTest, ReadStreamHonoursRangeLimitAndBytes) {
  Fixture f;
  for (const char* pk : {"a", "b", "c", "d"}) f.Put({{"pk", S(pk)}});
  const uint64_t id = f.table.stream->stream_id;
  const auto all = f.Records(id);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(f.engine->ReadStream(id, all[1].sequence, all[2].sequence, 10, INT64_MAX)->size(), 2u);
  EXPECT_EQ(f.engine->ReadStream(id, 0, UINT64_MAX, 3, INT64_MAX)->size(), 3u);
  // A byte budget below one record still returns one.
  EXPECT_EQ(f.engine->ReadStream(id, 0, UINT64_MAX, 10, 1)->size(), 1u);
  EXPECT_EQ(f.engine->ReadStream(id + 1000, 0, UINT64_MAX, 10, 1).error().code,
            StorageError::Code::kStreamNotFound);
}

TEST(RocksDbStreamsTest, DisableClosesTheShardAndEnableOpensANewStream) {
  Fixture f;
  f.Put({{"pk", S("a")}});
  const uint64_t old_id = f.table.stream->stream_id;
  const uint64_t last = f.Records(old_id).back().sequence;
  auto disabled = f.engine->UpdateTable("t", [](model::TableMetadata& table) {
    table.stream->enabled = false;
    return StorageResult<void>();
  });
  ASSERT_TRUE(disabled.ok());
  f.Put({{"pk", S("b")}});
  StreamInfo old_info = f.Stream(old_id);
  EXPECT_FALSE(old_info.enabled);
  EXPECT_EQ(old_info.shards.back().last_sequence, last);
  EXPECT_EQ(f.Records(old_id).size(), 1u);

  f.now += 5;
  auto enabled = f.engine->UpdateTable("t", [](model::TableMetadata& table) {
    table.stream = model::TableStream{0, "", StreamViewType::kKeysOnly, true};
    return StorageResult<void>();
  });
  ASSERT_TRUE(enabled.ok());
  const uint64_t new_id = enabled->stream->stream_id;
  EXPECT_NE(new_id, old_id);
  EXPECT_GT(enabled->stream->label, f.table.stream->label);
  f.Put({{"pk", S("c")}});
  ASSERT_EQ(f.Records(new_id).size(), 1u);
  EXPECT_GT(f.Records(new_id)[0].sequence, last);
  EXPECT_EQ(f.engine->ListStreams()->size(), 2u);
}

TEST(RocksDbStreamsTest, DeleteTableClosesItsStreamWhichStaysReadable) {
  Fixture f;
  f.Put({{"pk", S("a")}});
  const uint64_t id = f.table.stream->stream_id;
  ASSERT_TRUE(f.engine->DeleteTable("t").ok());
  EXPECT_FALSE(f.Stream(id).enabled);
  EXPECT_EQ(f.Records(id).size(), 1u);
}

TEST(RocksDbStreamsTest, MultiItemWritesLeaveOneRecordPerChangedItem) {
  Fixture f;
  const Item same = {{"pk", S("same")}};
  f.Put(same);
  const Item fresh = {{"pk", S("new")}};
  std::vector<ItemRef> refs = {{&f.table, KeyOfItem(same, f.table)},
                               {&f.table, KeyOfItem(fresh, f.table)}};
  auto written = f.engine->MutateItems(refs, [&](const std::vector<ItemState>&) {
    return StorageResult<std::vector<Mutation>>(
        std::vector<Mutation>{Mutation::Put(same), Mutation::Put(fresh)});
  });
  ASSERT_TRUE(written.ok());
  const auto records = f.Records(f.table.stream->stream_id);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].keys, fresh);
}

TEST(RocksDbStreamsTest, ExpiryDeletionsAreMarked) {
  Fixture f;
  const Item item = {{"pk", S("a")}};
  f.Put(item);
  ASSERT_TRUE(f.engine
                  ->MutateItem(f.table, KeyOfItem(item, f.table),
                               [](const auto&) { return Mutation::ExpiryDelete(); })
                  .ok());
  const auto records = f.Records(f.table.stream->stream_id);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[1].by_service);
}

TEST(RocksDbStreamsTest, RecordsPastRetentionAreTrimmed) {
  Fixture f;
  const uint64_t id = f.table.stream->stream_id;
  f.Put({{"pk", S("old")}});
  f.now += 6000;
  f.Put({{"pk", S("young")}});
  const uint64_t young = f.Records(id).back().sequence;
  f.now += 5000;  // the first record is now 11 s old, past the 10 s retention
  ASSERT_TRUE(testing::WaitUntil([&] { return f.Stream(id).trim_horizon > 0; }));
  const auto left = f.Records(id);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].sequence, young);
  EXPECT_LE(f.Stream(id).trim_horizon, young);
}

TEST(RocksDbStreamsTest, DisabledStreamsGoAfterTheirRetention) {
  Fixture f;
  const uint64_t id = f.table.stream->stream_id;
  f.Put({{"pk", S("a")}});
  ASSERT_TRUE(f.engine->DeleteTable("t").ok());
  f.now += 10001;
  ASSERT_TRUE(testing::WaitUntil([&] { return f.engine->ListStreams()->empty(); }));
  EXPECT_EQ(f.engine->ReadStream(id, 0, UINT64_MAX, 10, INT64_MAX).error().code,
            StorageError::Code::kStreamNotFound);
}

TEST(RocksDbStreamsTest, ShardsRollOverWithLineage) {
  Fixture f(StreamViewType::kKeysOnly, /*retention_ms=*/600000);
  const uint64_t id = f.table.stream->stream_id;
  f.Put({{"pk", S("a")}});
  const uint64_t first_record = f.Records(id)[0].sequence;
  f.now += 60000;
  ASSERT_TRUE(testing::WaitUntil([&] { return f.Stream(id).shards.size() == 2; }));
  f.Put({{"pk", S("b")}});
  const StreamInfo info = f.Stream(id);
  EXPECT_EQ(info.shards[0].last_sequence, first_record);
  EXPECT_EQ(info.shards[1].number, 1u);
  EXPECT_GT(info.shards[1].first_sequence, first_record);
  EXPECT_LT(info.shards[1].first_sequence, f.Records(id)[1].sequence);
}

TEST(StreamCodecTest, RecordsAndDescriptorsRoundTrip) {
  model::KeySchema schema{{"pk", AttributeType::kS}, model::KeyElement{"sk", AttributeType::kN}};
  const Item old_item = {{"pk", S("a")}, {"sk", N("1")}, {"v", N("1")}};
  const Item new_item = {{"pk", S("a")}, {"sk", N("1")}, {"v", N("2")}};
  const std::string encoded = EncodeItem(new_item);
  auto value = PlanStreamRecord(schema, StreamViewType::kOldImage, &old_item, &new_item, &encoded,
                                42, true);
  ASSERT_TRUE(value.has_value());
  auto record = DecodeStreamRecord(*value);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->event, StreamRecord::Event::kModify);
  EXPECT_EQ(record->created_ms, 42);
  EXPECT_TRUE(record->by_service);
  EXPECT_EQ(record->keys, (Item{{"pk", S("a")}, {"sk", N("1")}}));
  EXPECT_EQ(record->old_image, old_item);
  EXPECT_FALSE(record->new_image.has_value());
  for (size_t cut = 0; cut < value->size(); ++cut) {
    EXPECT_FALSE(DecodeStreamRecord(value->substr(0, cut)).ok()) << cut;
  }

  StreamInfo info;
  info.stream_id = 7;
  info.table_name = "t";
  info.table_id = 3;
  info.label = "2026-11-23T12:14:34.636";
  info.view_type = StreamViewType::kNewImage;
  info.key_schema = schema;
  info.enabled = false;
  info.created_ms = 1;
  info.disabled_ms = 2;
  info.shards = {{0, 1, 10, 20}, {1, 5, 21, std::nullopt}};
  info.trim_horizon = 15;
  auto decoded = DecodeStreamInfo(EncodeStreamInfo(info));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, info);
  EXPECT_EQ(StreamRecordSequence(StreamRecordKey(7, 99)), 99u);
}

}  // namespace
}  // namespace dunlin::storage
