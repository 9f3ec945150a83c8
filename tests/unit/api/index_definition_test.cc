#include "api/index_definition.h"

#include <gtest/gtest.h>

#include <string>

#include "api/table_definition.h"

namespace dunlin::api {
namespace {

// A pk (S) + sk (S) table; g, l, n (N) defined for the indexes.
model::TableMetadata Table(bool with_sort_key = true) {
  model::TableMetadata table;
  table.name = "t";
  table.key_schema.partition = {"pk", model::AttributeType::kS};
  if (with_sort_key) table.key_schema.sort = model::KeyElement{"sk", model::AttributeType::kS};
  table.attribute_definitions = {{"pk", model::AttributeType::kS},
                                 {"sk", model::AttributeType::kS},
                                 {"g", model::AttributeType::kS},
                                 {"l", model::AttributeType::kS},
                                 {"n", model::AttributeType::kN}};
  return table;
}

struct Outcome {
  bool ok = false;
  std::string message;
  IndexDefinitions definitions;
};

Outcome Read(std::string_view json, bool provisioned = false,
             const model::TableMetadata& table = Table()) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  EXPECT_EQ(parser.parse(json.data(), json.size()).get(object), simdjson::SUCCESS);
  auto result = ReadIndexDefinitions(ObjectReader(object), table, provisioned);
  Outcome outcome;
  outcome.ok = result.ok();
  if (result.ok()) {
    outcome.definitions = std::move(result).value();
  } else {
    outcome.message = result.error().message;
  }
  return outcome;
}

std::string ErrorOf(std::string_view json, bool provisioned = false) {
  Outcome outcome = Read(json, provisioned);
  EXPECT_FALSE(outcome.ok) << json;
  return outcome.message;
}

constexpr char kGsiG[] =
    R"({"IndexName":"gsi_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],)"
    R"("Projection":{"ProjectionType":"ALL"}})";
constexpr char kLsiL[] =
    R"({"IndexName":"lsi_l","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},)"
    R"({"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}})";

TEST(IndexDefinitionTest, ReadsLocalThenGlobalIndexesWithTheirTypes) {
  Outcome outcome = Read(std::string(R"({"GlobalSecondaryIndexes":[)") +
                         R"({"IndexName":"gsi_n","KeySchema":[{"AttributeName":"n",)"
                         R"("KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)"
                         R"("Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":)"
                         R"(["b","a"]}}],"LocalSecondaryIndexes":[)" +
                         kLsiL + "]}");
  ASSERT_TRUE(outcome.ok) << outcome.message;
  const auto& indexes = outcome.definitions.indexes;
  ASSERT_EQ(indexes.size(), 2u);
  EXPECT_TRUE(indexes[0].local);
  EXPECT_EQ(indexes[0].name, "lsi_l");
  EXPECT_EQ(indexes[0].key_schema.sort->name, "l");
  EXPECT_EQ(indexes[0].projection.type, model::ProjectionType::kKeysOnly);
  EXPECT_FALSE(indexes[0].projection.empty_list_given);
  EXPECT_FALSE(indexes[1].local);
  EXPECT_EQ(indexes[1].key_schema.partition.type, model::AttributeType::kN);
  EXPECT_EQ(indexes[1].projection.non_key_attributes, (std::vector<std::string>{"b", "a"}));
  EXPECT_TRUE(indexes[1].more_partition.empty());
  EXPECT_TRUE(indexes[1].more_sort.empty());
}

TEST(IndexDefinitionTest, KeepsAnEmptyNonKeyAttributesList) {
  Outcome outcome = Read(
      R"({"GlobalSecondaryIndexes":[{"IndexName":"gsi_k","KeySchema":[{"AttributeName":"g",)"
      R"("KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY","NonKeyAttributes":[]}}]})");
  ASSERT_TRUE(outcome.ok) << outcome.message;
  EXPECT_TRUE(outcome.definitions.indexes[0].projection.empty_list_given);
}

TEST(IndexDefinitionTest, LocalIndexFaultsComeBeforeGlobalOnes) {
  EXPECT_EQ(ErrorOf(R"({"LocalSecondaryIndexes":[{"IndexName":"lsi_x","KeySchema":[)"
                    R"({"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"x",)"
                    R"("KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],)"
                    R"("GlobalSecondaryIndexes":[]})"),
            "Local Secondary Index range key not specified in Attribute Definitions.Type "
            "unknown.");
}

TEST(IndexDefinitionTest, ThroughputIsCheckedBeforeTheName) {
  EXPECT_EQ(ErrorOf(R"({"GlobalSecondaryIndexes":[{"IndexName":"a$","KeySchema":[]}]})",
                    /*provisioned=*/true),
            "No provisioned throughput specified for the global secondary index");
}

TEST(IndexDefinitionTest, OnDemandGlobalIndexRefusesThroughput) {
  EXPECT_EQ(ErrorOf(R"({"GlobalSecondaryIndexes":[{"IndexName":"gsi_g","ProvisionedThroughput":)"
                    R"({"ReadCapacityUnits":1,"WriteCapacityUnits":1}}]})"),
            "One or more parameter values were invalid: ProvisionedThroughput should not be "
            "specified for index: gsi_g when BillingMode is PAY_PER_REQUEST");
}

TEST(IndexDefinitionTest, DuplicateNameComesBeforeTheIndexOwnFaults) {
  EXPECT_EQ(ErrorOf(std::string(R"({"GlobalSecondaryIndexes":[)") + kGsiG +
                    R"(,{"IndexName":"gsi_g"}]})"),
            "Two global secondary indices have the same name");
  EXPECT_EQ(ErrorOf(std::string(R"({"LocalSecondaryIndexes":[)") + kLsiL +
                    R"(],"GlobalSecondaryIndexes":[{"IndexName":"lsi_l"}]})"),
            "Local Secondary Indices AND Global Secondary Indices must have different names");
}

TEST(IndexDefinitionTest, ProjectionComesBeforeTheKeySchema) {
  EXPECT_EQ(ErrorOf(R"({"GlobalSecondaryIndexes":[{"IndexName":"gsi_x","KeySchema":[)"
                    R"({"AttributeName":"x","KeyType":"RANGE"}],)"
                    R"("Projection":{"ProjectionType":"INCLUDE"}}]})"),
            "If Projection type INCLUDE is specified, some non-key attributes to include in the "
            "projection must be specified as well");
}

// "\"a0\",\"a1\",..." with `count` names.
std::string Names(int count) {
  std::string names;
  for (int i = 0; i < count; ++i) names += (i ? ",\"a" : "\"a") + std::to_string(i) + "\"";
  return names;
}

TEST(IndexDefinitionTest, ProjectedNamesAreCountedOverAllIndexes) {
  auto json = [](int local_count, int global_count) {
    return R"({"LocalSecondaryIndexes":[{"IndexName":"lsi_l","KeySchema":[)"
           R"({"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l",)"
           R"("KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE",)"
           R"("NonKeyAttributes":[)" +
           Names(local_count) +
           R"(]}}],"GlobalSecondaryIndexes":[{"IndexName":"gsi_g","KeySchema":[)"
           R"({"AttributeName":"g","KeyType":"HASH"}],"Projection":)"
           R"({"ProjectionType":"INCLUDE","NonKeyAttributes":[)" +
           Names(global_count) + "]}}]}";
  };
  EXPECT_TRUE(Read(json(60, 40)).ok);
  EXPECT_EQ(ErrorOf(json(60, 41)),
            "No more than 20 attributes per table can be projected into Local Secondary Indices");
}

TEST(IndexDefinitionTest, GlobalKeyShapeRules) {
  auto gsi = [](std::string elements) {
    return R"({"GlobalSecondaryIndexes":[{"IndexName":"gsi_x","Projection":)"
           R"({"ProjectionType":"ALL"},"KeySchema":[)" +
           elements + "]}]}";
  };
  EXPECT_EQ(ErrorOf(gsi(R"({"AttributeName":"g","KeyType":"hash"})")),
            "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash "
            "key");
  EXPECT_EQ(ErrorOf(gsi(R"({"AttributeName":"g","KeyType":"RANGE"},)"
                        R"({"AttributeName":"l","KeyType":"HASH"})")),
            "Invalid key order. Hash Key must be specified first in key schema, Range Key must "
            "be specifed second");
  EXPECT_EQ(ErrorOf(gsi(R"({"AttributeName":"g","KeyType":"HASH"},)"
                        R"({"AttributeName":"g","KeyType":"RANGE"})")),
            "Two keys can not have the same name");
  EXPECT_EQ(ErrorOf(gsi(R"({"AttributeName":"","KeyType":"HASH"})")),
            "Attribute  is not defined in AttributeDefinitions");
}

TEST(IndexDefinitionTest, MultiAttributeKeysKeepEveryAttributeInOrder) {
  Outcome outcome = Read(
      R"({"GlobalSecondaryIndexes":[{"IndexName":"gsi_m","Projection":{"ProjectionType":"ALL"},)"
      R"("KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"l",)"
      R"("KeyType":"HASH"}]}]})");
  ASSERT_TRUE(outcome.ok) << outcome.message;
  EXPECT_EQ(outcome.definitions.key_attributes, (std::vector<std::string>{"g", "l"}));
  const model::SecondaryIndex& index = outcome.definitions.indexes.at(0);
  EXPECT_EQ(index.key_schema.partition.name, "g");
  ASSERT_EQ(index.more_partition.size(), 1u);
  EXPECT_EQ(index.more_partition[0].name, "l");
  EXPECT_FALSE(index.key_schema.sort.has_value());
  EXPECT_TRUE(index.more_sort.empty());
}

TEST(IndexDefinitionTest, LocalIndexesNeedATableSortKey) {
  Outcome outcome =
      Read(std::string(R"({"LocalSecondaryIndexes":[)") + kLsiL + "]}", false, Table(false));
  EXPECT_EQ(outcome.message,
            "Local Secondary indices are not allowed on hash tables, only hash and range tables");
  EXPECT_TRUE(Read(R"({"LocalSecondaryIndexes":[]})", false, Table(false)).ok);
}

TEST(IndexDefinitionTest, UnusedDefinitionIsFoundWithTheIndexKeys) {
  model::TableMetadata table = Table();
  EXPECT_TRUE(CheckEveryDefinitionUsed(table, {"g", "l", "n", "g"}).ok());
  auto unused = CheckEveryDefinitionUsed(table, {"g", "l"});
  ASSERT_FALSE(unused.ok());
  EXPECT_EQ(unused.error().message,
            "The number of attributes in key schema must match the number of attributes defined "
            "in attribute definitions.");
}

}  // namespace
}  // namespace dunlin::api
