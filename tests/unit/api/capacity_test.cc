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
}  // namespace dunlin::api
