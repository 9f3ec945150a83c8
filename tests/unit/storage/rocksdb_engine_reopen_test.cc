// Persistence of the RocksDB engine across reopen, and the format-version check.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <string>
#include <vector>

#include "model/item_size.h"
#include "storage/catalog_codec.h"
#include "storage/rocksdb_engine.h"
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

StorageResult<std::unique_ptr<Engine>> Open(const std::string& dir, bool sync = true) {
  EngineOptions options;
  options.data_dir = dir;
  options.sync_writes = sync;
  return OpenRocksDbEngine(options);
}

void PutItem(Engine& engine, const model::TableMetadata& table, const Item& item) {
  auto result = engine.MutateItem(table, KeyOfItem(item, table),
                                  [&item](const auto&) { return Mutation::Put(item); });
  ASSERT_TRUE(result.ok()) << result.error().message;
}

// Overwrites the meta record of a closed data directory, as another version would have.
void WriteMeta(const std::string& dir, const MetaRecord& meta) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, descriptors, &handles, &db).ok());
  EXPECT_TRUE(db->Put(rocksdb::WriteOptions(), kMetaKey, EncodeMetaRecord(meta)).ok());
  for (auto* handle : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  EXPECT_TRUE(db->Close().ok());
  delete db;
}

TEST(RocksDbEngineReopenTest, TablesItemsAndStatsSurviveReopen) {
  TempDir dir;
  model::TableMetadata table;
  const Item item = {{"pk", S("a")}, {"sk", N("-3")}, {"v", N("1E3")}};
  for (bool sync : {true, false}) {
    SCOPED_TRACE(sync ? "sync" : "no sync");
    {
      auto engine = Open(dir.path() + (sync ? "/s" : "/n"), sync);
      ASSERT_TRUE(engine.ok()) << engine.error().message;
      table = *(*engine)->CreateTable(MakeTable("t", AttributeType::kS, AttributeType::kN));
      ASSERT_TRUE((*engine)->CreateTable(MakeTable("gone", AttributeType::kS)).ok());
      ASSERT_TRUE((*engine)->DeleteTable("gone").ok());
      PutItem(**engine, table, item);
      PutItem(**engine, table, {{"pk", S("b")}, {"sk", N("0")}});
    }
    auto engine = Open(dir.path() + (sync ? "/s" : "/n"), sync);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    auto described = (*engine)->DescribeTable("t");
    ASSERT_TRUE(described.ok());
    EXPECT_EQ(*described, table);
    EXPECT_FALSE((*engine)->DescribeTable("gone").ok());
    auto got = (*engine)->GetItem(table, KeyOfItem(item, table));
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ(**got, item);
    TableStats stats = *(*engine)->GetTableStats(table);
    EXPECT_EQ(stats.item_count, 2);
    // Ids keep counting after a reopen: "gone" took 2, so the next is 3.
    auto next = (*engine)->CreateTable(MakeTable("next", AttributeType::kB));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->internal_id, 3u);
  }
}

TEST(RocksDbEngineReopenTest, RefusesAnUnknownFormatVersion) {
  TempDir dir;
  { ASSERT_TRUE(Open(dir.path()).ok()); }
  WriteMeta(dir.path(), MetaRecord{100, 1});
  auto engine = Open(dir.path());
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.error().code, StorageError::Code::kCorruption);
  EXPECT_NE(engine.error().message.find("storage format version 100"), std::string::npos)
      << engine.error().message;
  EXPECT_NE(engine.error().message.find("reads only versions 1 to 3"), std::string::npos);
}

// Reads the meta record as stored.
MetaRecord ReadMeta(const std::string& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  EXPECT_TRUE(
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, descriptors, &handles, &db).ok());
  std::string bytes;
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), kMetaKey, &bytes).ok());
  for (auto* handle : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  delete db;
  auto meta = DecodeMetaRecord(bytes);
  EXPECT_TRUE(meta.ok());
  return meta.ok() ? *meta : MetaRecord{};
}

// Versions 1 and 2 are both upgraded to the current one.
class RocksDbEngineUpgradeTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(RocksDbEngineUpgradeTest, UpgradesAnOlderDirectory) {
  TempDir dir;
  model::TableMetadata table;
  const Item item = {{"pk", S("a")}, {"sk", N("1")}};
  {
    auto engine = Open(dir.path());
    ASSERT_TRUE(engine.ok());
    table = *(*engine)->CreateTable(MakeTable("t", AttributeType::kS, AttributeType::kN));
    PutItem(**engine, table, item);
  }
  EXPECT_EQ(ReadMeta(dir.path()).format_version, kStorageFormatVersion);
  WriteMeta(dir.path(), MetaRecord{GetParam(), 2});
  {
    auto engine = Open(dir.path());
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    auto got = (*engine)->GetItem(table, KeyOfItem(item, table));
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ(**got, item);
  }
  const MetaRecord upgraded = ReadMeta(dir.path());
  EXPECT_EQ(upgraded.format_version, 3u);
  EXPECT_EQ(upgraded.next_table_id, 2u);
}

INSTANTIATE_TEST_SUITE_P(OlderVersions, RocksDbEngineUpgradeTest, ::testing::Values(1u, 2u));

TEST(RocksDbEngineReopenTest, SecondOpenOfALockedDirectoryFails) {
  TempDir dir;
  auto first = Open(dir.path());
  ASSERT_TRUE(first.ok());
  auto second = Open(dir.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, StorageError::Code::kIo);
}

TEST(RocksDbEngineReopenTest, InMemoryEnginesAreIndependentAndLeaveNoFiles) {
  EngineOptions options;
  options.in_memory = true;
  options.data_dir = "/nonexistent/ignored";
  auto a = OpenRocksDbEngine(options);
  auto b = OpenRocksDbEngine(options);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE((*a)->CreateTable(MakeTable("t", AttributeType::kS)).ok());
  EXPECT_TRUE((*b)->ListTables()->empty());
  EXPECT_FALSE(std::filesystem::exists("/nonexistent/ignored"));
}

}  // namespace
}  // namespace dunlin::storage
