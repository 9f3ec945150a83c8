#include "storage/catalog_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/byte_io.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;

model::TableMetadata FullTable() {
  model::TableMetadata table = testing::MakeTable("Music.v2", AttributeType::kS, AttributeType::kN);
  table.internal_id = 123456789;
  table.table_uuid = "0b4b9a8e-2b7c-4f4e-9d35-0c3d8c5e6a71";
  table.creation_time_ms = 1717243200123;
  table.attribute_definitions.push_back({"gsi_key", AttributeType::kB});
  table.billing_mode = model::BillingMode::kPayPerRequest;
  table.billing_mode_updated_ms = 1717243300000;
  table.throughput = {5, 10, 1717243200000, 1717243250000, 2};
  table.tags = {{"env", "test"}, {"owner", ""}};
  table.table_class = model::TableClass::kStandardInfrequentAccess;
  table.deletion_protection = true;
  table.status = model::TableStatus::kUpdating;
  model::SecondaryIndex local;
  local.name = "by_date";
  local.internal_id = 123456790;
  local.local = true;
  local.key_schema = {{"pk", AttributeType::kS}, model::KeyElement{"date", AttributeType::kS}};
  local.projection.type = model::ProjectionType::kKeysOnly;
  local.projection.empty_list_given = true;
  model::SecondaryIndex global;
  global.name = "by-gsi.key";
  global.internal_id = 123456791;
  global.key_schema = {{"gsi_key", AttributeType::kB}, std::nullopt};
  global.projection = {model::ProjectionType::kInclude, {"a", "b"}};
  global.status = model::IndexStatus::kCreating;
  global.backfilling = true;
  global.throughput = {3, 4, 0, 0, 0};
  model::SecondaryIndex multi;
  multi.name = "multi";
  multi.internal_id = 123456792;
  multi.key_schema = {{"m1", AttributeType::kS}, model::KeyElement{"s1", AttributeType::kN}};
  multi.more_partition = {{"m2", AttributeType::kN}, {"m3", AttributeType::kB}};
  multi.more_sort = {{"s2", AttributeType::kS}};
  table.indexes = {local, global, multi};
  table.stream = model::TableStream{123456793, "2026-11-23T18:14:34.629",
                                    model::StreamViewType::kOldImage, true};
  table.ttl = {true, "expires_at", 1717243400000, 123456794, true};
  return table;
}

TEST(CatalogCodecTest, TableMetadataRoundTrips) {
  const model::TableMetadata table = FullTable();
  auto decoded = DecodeTableMetadata(EncodeTableMetadata(table));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, table);
}

TEST(CatalogCodecTest, HashOnlyTableWithDefaultsRoundTrips) {
  model::TableMetadata table = testing::MakeTable("t", AttributeType::kB);
  table.creation_time_ms = -1;  // signed fields survive negative values
  auto decoded = DecodeTableMetadata(EncodeTableMetadata(table));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, table);
  EXPECT_FALSE(decoded->key_schema.sort.has_value());
}

TEST(CatalogCodecTest, UnknownFieldsAreSkipped) {
  const model::TableMetadata table = FullTable();
  std::string bytes;
  // A field from a later version, before and after the known ones.
  AppendVarint64(bytes, 1000);
  AppendLengthPrefixed(bytes, "a future field");
  bytes += EncodeTableMetadata(table);
  AppendVarint64(bytes, 77);
  AppendLengthPrefixed(bytes, std::string("\x00\x01\x02", 3));
  auto decoded = DecodeTableMetadata(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, table);
}

TEST(CatalogCodecTest, RejectsMissingRequiredFields) {
  // Only a table_uuid field (tag 3).
  std::string bytes;
  AppendVarint64(bytes, 3);
  AppendLengthPrefixed(bytes, "uuid");
  auto decoded = DecodeTableMetadata(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, StorageError::Code::kCorruption);
}

TEST(CatalogCodecTest, RejectsUnknownEnumValues) {
  std::string bytes = EncodeTableMetadata(FullTable());
  // A later billing-mode field (tag 8) with an unknown code wins over the earlier one.
  AppendVarint64(bytes, 8);
  AppendLengthPrefixed(bytes, "\x07");
  EXPECT_FALSE(DecodeTableMetadata(bytes).ok());
}

TEST(CatalogCodecTest, EveryTruncationIsRejectedOrDropsWholeFields) {
  const std::string bytes = EncodeTableMetadata(FullTable());
  for (size_t size = 0; size < bytes.size(); ++size) {
    auto decoded = DecodeTableMetadata(std::string_view(bytes).substr(0, size));
    // A cut between fields can leave a valid record that lacks trailing fields; a cut inside a
    // field must be reported.
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.error().code, StorageError::Code::kCorruption);
    }
  }
  EXPECT_FALSE(DecodeTableMetadata(std::string_view(bytes).substr(0, bytes.size() - 1)).ok());
}

TEST(CatalogCodecTest, MetaRecordRoundTrips) {
  const MetaRecord meta{1, 42};
  auto decoded = DecodeMetaRecord(EncodeMetaRecord(meta));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, meta);
  EXPECT_FALSE(DecodeMetaRecord("").ok());
  EXPECT_FALSE(DecodeMetaRecord("\x01").ok());
}

}  // namespace
}  // namespace dunlin::storage
