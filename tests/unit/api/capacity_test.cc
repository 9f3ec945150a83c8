#include "api/capacity.h"

#include <gtest/gtest.h>

namespace dunlin::api {
namespace {

TEST(CapacityTest, ReadsRoundUpToFourKilobytes) {
  EXPECT_EQ(ReadCapacityUnits(0, true), 1.0);
  EXPECT_EQ(ReadCapacityUnits(1, true), 1.0);
  EXPECT_EQ(ReadCapacityUnits(4096, true), 1.0);
  EXPECT_EQ(ReadCapacityUnits(4097, true), 2.0);
  EXPECT_EQ(ReadCapacityUnits(4097, false), 1.0);
  EXPECT_EQ(ReadCapacityUnits(1, false), 0.5);
  EXPECT_EQ(ReadCapacityUnits(3 * 4096 + 1, false), 2.0);
}

TEST(CapacityTest, WritesRoundUpToOneKilobyte) {
  EXPECT_EQ(WriteCapacityUnits(0), 1.0);
  EXPECT_EQ(WriteCapacityUnits(1024), 1.0);
  EXPECT_EQ(WriteCapacityUnits(1025), 2.0);
  EXPECT_EQ(WriteCapacityUnits(400 * 1024), 400.0);
}

TEST(CapacityTest, ConsumedCapacityShapes) {
  std::string total;
  JsonWriter total_writer(total);
  total_writer.BeginObject();
  WriteConsumedCapacity(total_writer, CapacityReport::kTotal, "t1", 0.5);
  total_writer.EndObject();
  EXPECT_EQ(total, R"({"ConsumedCapacity":{"TableName":"t1","CapacityUnits":0.5}})");

  std::string indexes;
  JsonWriter indexes_writer(indexes);
  indexes_writer.BeginObject();
  WriteConsumedCapacity(indexes_writer, CapacityReport::kIndexes, "t1", 2);
  indexes_writer.EndObject();
  EXPECT_EQ(
      indexes,
      R"({"ConsumedCapacity":{"TableName":"t1","CapacityUnits":2.0,"Table":{"CapacityUnits":2.0}}})");

  std::string none;
  JsonWriter none_writer(none);
  none_writer.BeginObject();
  WriteConsumedCapacity(none_writer, CapacityReport::kNone, "t1", 2);
  none_writer.EndObject();
  EXPECT_EQ(none, "{}");
}

TEST(CapacityTest, ConsumedCapacityListShapes) {
  const std::vector<TableCapacity> tables = {{"t1", 1.5}, {"t2", 0}};
  std::string total;
  JsonWriter total_writer(total);
  total_writer.BeginObject();
  WriteConsumedCapacityList(total_writer, CapacityReport::kTotal, tables);
  total_writer.EndObject();
  EXPECT_EQ(total,
            R"({"ConsumedCapacity":[{"TableName":"t1","CapacityUnits":1.5},)"
            R"({"TableName":"t2","CapacityUnits":0.0}]})");

  std::string indexes;
  JsonWriter indexes_writer(indexes);
  indexes_writer.BeginObject();
  WriteConsumedCapacityList(indexes_writer, CapacityReport::kIndexes, {{"t1", 2}});
  indexes_writer.EndObject();
  EXPECT_EQ(indexes,
            R"({"ConsumedCapacity":[{"TableName":"t1","CapacityUnits":2.0,)"
            R"("Table":{"CapacityUnits":2.0}}]})");

  std::string none;
  JsonWriter none_writer(none);
  none_writer.BeginObject();
  WriteConsumedCapacityList(none_writer, CapacityReport::kNone, tables);
  none_writer.EndObject();
  EXPECT_EQ(none, "{}");
}

}  // namespace
TEST(CapacityTest, IndexUnitsAreSummedPerIndexAndReportedByKind) {
  std::vector<TableCapacity> tables;
  const std::vector<IndexUnits> first = {{"lsi", true, 1}, {"gsi", false, 2}};
  const std::vector<IndexUnits> second = {{"gsi", false, 3}};
  AddTableUnits(tables, "t1", 1, first);
  AddTableUnits(tables, "t1", 2, second);
  ASSERT_EQ(tables.size(), 1u);
  std::string out;
  JsonWriter writer(out);
  writer.BeginObject();
  WriteConsumedCapacityList(writer, CapacityReport::kIndexes, tables);
  writer.EndObject();
  EXPECT_EQ(out,
            R"({"ConsumedCapacity":[{"TableName":"t1","CapacityUnits":9.0,)"
            R"("Table":{"CapacityUnits":3.0},"LocalSecondaryIndexes":{"lsi":{"CapacityUnits":1.0}},)"
            R"("GlobalSecondaryIndexes":{"gsi":{"CapacityUnits":5.0}}}]})");
}

TEST(CapacityTest, IndexWriteUnitsFollowTheEntries) {
  model::TableMetadata table;
  table.name = "t";
  table.key_schema = {{"pk", model::AttributeType::kS}, std::nullopt};
  model::SecondaryIndex keys_only;
  keys_only.name = "by_g";
  keys_only.key_schema = {{"g", model::AttributeType::kS}, std::nullopt};
  keys_only.projection.type = model::ProjectionType::kKeysOnly;
  table.indexes = {keys_only};
  auto s = [](std::string text) { return model::AttributeValue::String(std::move(text)); };
  const model::Item plain = {{"pk", s("a")}};
  const model::Item in_x = {{"pk", s("a")}, {"g", s("x")}};
  const model::Item in_x_more = {{"pk", s("a")}, {"g", s("x")}, {"v", s("1")}};
  const model::Item in_y = {{"pk", s("a")}, {"g", s("y")}};
  auto units = [&](const model::Item* before, const model::Item* after) {
    std::vector<double> out;
    for (const IndexUnits& index : IndexWriteUnits(table, before, after)) out.push_back(index.units);
    return out;
  };
  EXPECT_EQ(units(nullptr, &plain), std::vector<double>{});
  EXPECT_EQ(units(nullptr, &in_x), std::vector<double>{1});
  EXPECT_EQ(units(&in_x, &in_x_more), std::vector<double>{});  // the entry stays the same
  EXPECT_EQ(units(&in_x, &in_y), std::vector<double>{2});      // moved: removed and added
  EXPECT_EQ(units(&in_y, nullptr), std::vector<double>{1});
  EXPECT_EQ(IndexWriteUnits(table, nullptr, &in_x, 2).at(0).units, 2);
}

}  // namespace dunlin::api
