// Workloads: the data set's keys and sizes, request bodies (valid JSON of the right shape),
// response readers, and the request sequences of slots.
#include "bench/workload.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "json_test_util.h"

namespace dunlin::bench {
namespace {

// DynamoDB's item size for an item of string attributes: names plus values.
size_t StringItemSize(simdjson::dom::object item) {
  size_t size = 0;
  for (auto [name, value] : item) size += name.size() + std::string_view(value["S"]).size();
  return size;
}

TEST(WorkloadNamesTest, RoundTripAndRejectUnknown) {
  for (std::string_view name :
       {"put", "get", "mix", "update", "query", "scan", "transact", "put-gsi", "put-stream",
        "none"}) {
    auto workload = ParseWorkload(name);
    ASSERT_TRUE(workload.ok()) << name;
    EXPECT_EQ(WorkloadName(*workload), name);
  }
  auto bad = ParseWorkload("load");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("expected put, get"), std::string::npos);
}

TEST(WorkloadKeysTest, CollectionsOfTwentyWithAShortLastOne) {
  EXPECT_EQ(PartitionKey(12), "c00000012");
  EXPECT_EQ(SortKey(7), "07");
  EXPECT_EQ(CounterPartitionKey(3), "counter0003");
  EXPECT_EQ(CollectionCount(100000), 5000);
  EXPECT_EQ(CollectionCount(45), 3);
  EXPECT_EQ(CollectionSize(45, 0), 20);
  EXPECT_EQ(CollectionSize(45, 2), 5);
  EXPECT_EQ(CollectionSize(45, 3), 0);
}

TEST(WorkloadKeysTest, TableNamesFollowDynamoDbRules) {
  EXPECT_TRUE(IsValidTableName("dunlin-bench"));
  EXPECT_TRUE(IsValidTableName("a.b_C-9"));
  EXPECT_FALSE(IsValidTableName("ab"));
  EXPECT_FALSE(IsValidTableName("has space"));
  EXPECT_FALSE(IsValidTableName("quote\""));
  EXPECT_FALSE(IsValidTableName(std::string(256, 'a')));
}

TEST(WorkloadBodiesTest, PutItemIsExactlyItemBytesByDynamoDbsMeasure) {
  simdjson::dom::parser parser;
  for (int item_bytes : {20, 100, 200, 1000, 4096}) {
    const std::string payload(PayloadBytes(item_bytes), 'x');
    const std::string body = PutItemBody("t1x", 12345, payload);
    auto root = Parse(parser, body);
    EXPECT_EQ(StringAt(root, "/TableName"), "t1x");
    EXPECT_EQ(StringAt(root, "/Item/pk/S"), "c00000617");
    EXPECT_EQ(StringAt(root, "/Item/sk/S"), "05");
    EXPECT_EQ(StringItemSize(root["Item"].get_object()), static_cast<size_t>(item_bytes))
        << item_bytes;
  }
}

TEST(WorkloadBodiesTest, ShapesOfTheOtherRequests) {
  simdjson::dom::parser parser;
  auto get = Parse(parser, GetItemBody("tbl", 41));
  EXPECT_EQ(StringAt(get, "/Key/pk/S"), "c00000002");
  EXPECT_EQ(StringAt(get, "/Key/sk/S"), "01");

  auto update = Parse(parser, IncrementCounterBody("tbl", 4));
  EXPECT_EQ(StringAt(update, "/Key/pk/S"), "counter0004");
  EXPECT_EQ(StringAt(update, "/Key/sk/S"), "00");
  EXPECT_EQ(StringAt(update, "/UpdateExpression"), "SET #c = #c + :one");
  EXPECT_EQ(StringAt(update, "/ConditionExpression"), "attribute_exists(pk)");
  EXPECT_EQ(StringAt(update, "/ExpressionAttributeNames/#c"), "c");
  EXPECT_EQ(StringAt(update, "/ExpressionAttributeValues/:one/N"), "1");

  auto counter = Parse(parser, PutCounterBody("tbl", 4));
  EXPECT_EQ(StringAt(counter, "/Item/pk/S"), "counter0004");
  EXPECT_EQ(StringAt(counter, "/Item/c/N"), "0");
  auto read = Parse(parser, GetCounterBody("tbl", 4));
  EXPECT_TRUE(bool(read["ConsistentRead"]));

  auto query = Parse(parser, QueryCollectionBody("tbl", 9));
  EXPECT_EQ(StringAt(query, "/KeyConditionExpression"), "pk = :p");
  EXPECT_EQ(StringAt(query, "/ExpressionAttributeValues/:p/S"), "c00000009");
  EXPECT_TRUE(query["Limit"].error() == simdjson::NO_SUCH_FIELD);

  auto first = Parse(parser, ScanPageBody("tbl", 100, ""));
  EXPECT_EQ(int64_t(first["Limit"]), 100);
  EXPECT_TRUE(first["ExclusiveStartKey"].error() == simdjson::NO_SUCH_FIELD);
  auto next = Parse(parser, ScanPageBody("tbl", 100, R"({"pk":{"S":"c1"},"sk":{"S":"02"}})"));
  EXPECT_EQ(StringAt(next, "/ExclusiveStartKey/sk/S"), "02");

  auto create = Parse(parser, CreateTableBody("tbl"));
  EXPECT_EQ(StringAt(create, "/KeySchema/0/AttributeName"), "pk");
  EXPECT_EQ(StringAt(create, "/KeySchema/1/KeyType"), "RANGE");
  EXPECT_EQ(StringAt(create, "/AttributeDefinitions/1/AttributeType"), "S");
  EXPECT_EQ(StringAt(create, "/BillingMode"), "PAY_PER_REQUEST");
  EXPECT_EQ(create["AttributeDefinitions"].get_array().size(), 2u);
  EXPECT_TRUE(create["GlobalSecondaryIndexes"].error() == simdjson::NO_SUCH_FIELD);
}

// The indexed table: the plain key schema, one string attribute definition per index key, and
// one index per g<i>, alternately KEYS_ONLY and ALL, with nothing provisioned (on demand).
TEST(WorkloadBodiesTest, CreateTableOfTheIndexedTableDefinesEveryIndex) {
  simdjson::dom::parser parser;
  auto create = Parse(parser, CreateTableBody("tbl-gsi", 3));
  EXPECT_EQ(StringAt(create, "/TableName"), "tbl-gsi");
  EXPECT_EQ(StringAt(create, "/BillingMode"), "PAY_PER_REQUEST");
  EXPECT_EQ(create["KeySchema"].get_array().size(), 2u);
  EXPECT_EQ(StringAt(create, "/KeySchema/0/AttributeName"), "pk");
  EXPECT_EQ(StringAt(create, "/KeySchema/1/AttributeName"), "sk");
  EXPECT_TRUE(create["ProvisionedThroughput"].error() == simdjson::NO_SUCH_FIELD);

  simdjson::dom::array definitions = create["AttributeDefinitions"];
  ASSERT_EQ(definitions.size(), 5u);
  const char* names[] = {"pk", "sk", "g0", "g1", "g2"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(std::string_view(definitions.at(i)["AttributeName"]), names[i]);
    EXPECT_EQ(std::string_view(definitions.at(i)["AttributeType"]), "S");
  }

  simdjson::dom::array indexes = create["GlobalSecondaryIndexes"];
  ASSERT_EQ(indexes.size(), 3u);
  const char* projections[] = {"KEYS_ONLY", "ALL", "KEYS_ONLY"};
  for (size_t i = 0; i < 3; ++i) {
    simdjson::dom::element index = indexes.at(i);
    EXPECT_EQ(std::string_view(index["IndexName"]), "gsi" + std::to_string(i));
    simdjson::dom::array schema = index["KeySchema"];
    ASSERT_EQ(schema.size(), 1u);
    EXPECT_EQ(std::string_view(schema.at(0)["AttributeName"]), "g" + std::to_string(i));
    EXPECT_EQ(std::string_view(schema.at(0)["KeyType"]), "HASH");
    EXPECT_EQ(std::string_view(index["Projection"]["ProjectionType"]), projections[i]);
    EXPECT_TRUE(index["Projection"]["NonKeyAttributes"].error() == simdjson::NO_SUCH_FIELD);
    EXPECT_TRUE(index["ProvisionedThroughput"].error() == simdjson::NO_SUCH_FIELD);
  }

  auto most = Parse(parser, CreateTableBody("tbl-gsi", kMaxGsiCount));
  EXPECT_EQ(most["GlobalSecondaryIndexes"].get_array().size(), static_cast<size_t>(kMaxGsiCount));
  EXPECT_EQ(StringAt(most, "/GlobalSecondaryIndexes/19/IndexName"), "gsi19");
  EXPECT_EQ(StringAt(most, "/GlobalSecondaryIndexes/19/KeySchema/0/AttributeName"), "g19");
  EXPECT_EQ(StringAt(most, "/GlobalSecondaryIndexes/19/Projection/ProjectionType"), "ALL");
  EXPECT_EQ(IndexedTableName("dunlin-bench"), "dunlin-bench-gsi");
}

// Index attributes count towards the item size, so the payload shrinks and the item keeps
// --item-bytes.
TEST(WorkloadBodiesTest, IndexedPutItemCarriesEveryIndexAttributeAndKeepsItemBytes) {
  simdjson::dom::parser parser;
  const int values[] = {7, 999, 0, 123};
  for (int item_bytes : {MinItemBytes(4), 200, 1000}) {
    const std::string payload(PayloadBytes(item_bytes, 4), 'x');
    auto root = Parse(parser, PutItemBody("t-gsi", 12345, payload, values));
    EXPECT_EQ(StringAt(root, "/TableName"), "t-gsi");
    EXPECT_EQ(StringAt(root, "/Item/pk/S"), "c00000617");
    EXPECT_EQ(StringAt(root, "/Item/sk/S"), "05");
    EXPECT_EQ(StringAt(root, "/Item/g0/S"), "007");
    EXPECT_EQ(StringAt(root, "/Item/g1/S"), "999");
    EXPECT_EQ(StringAt(root, "/Item/g2/S"), "000");
    EXPECT_EQ(StringAt(root, "/Item/g3/S"), "123");
    EXPECT_TRUE(root["Item"]["g4"].error() == simdjson::NO_SUCH_FIELD);
    EXPECT_EQ(StringItemSize(root["Item"].get_object()), static_cast<size_t>(item_bytes))
        << item_bytes;
  }
  EXPECT_EQ(MinItemBytes(0), kMinItemBytes);
  EXPECT_EQ(PayloadBytes(MinItemBytes(4), 4), 1);
  // g10..g19 have three-character names.
  EXPECT_EQ(MinItemBytes(kMaxGsiCount), kMinItemBytes + 10 * (2 + 3) + 10 * (3 + 3));
  // Without index values, the plain item.
  EXPECT_EQ(PutItemBody("t", 5, "abc"), PutItemBody("t", 5, "abc", {}));
  EXPECT_EQ(PutItemBody("t", 5, "abc").find("\"g0\""), std::string::npos);
}

TEST(WorkloadResponsesTest, ReadsErrorsCursorsCountsCountersAndStatus) {
  // Error bodies as DynamoDB Local sends them.
  EXPECT_EQ(
      ErrorType(R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
                R"("Message":"The conditional request failed"})"),
      "ConditionalCheckFailedException");
  EXPECT_EQ(ErrorType(R"({"__type":"ThrottlingException"})"), "ThrottlingException");
  EXPECT_EQ(ErrorType("<html>busy</html>"), "");
  EXPECT_EQ(ErrorType("{}"), "");

  auto last = LastEvaluatedKey(
      R"({"Count":1,"Items":[],"LastEvaluatedKey":{"pk": {"S":"c00000001"}, "sk":{"S":"19"}}})");
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ(**last, R"({"pk":{"S":"c00000001"},"sk":{"S":"19"}})");
  auto end = LastEvaluatedKey(R"({"Count":0,"Items":[],"ScannedCount":0})");
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
  EXPECT_FALSE(LastEvaluatedKey("not json").ok());

  auto count = ResultCount(R"({"Count":20,"Items":[]})");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 20);
  EXPECT_FALSE(ResultCount("{}").ok());

  auto value = CounterValue(R"({"Item":{"pk":{"S":"counter0000"},"c":{"N":"42"}}})");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->value_or(-1), 42);
  auto absent = CounterValue("{}");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  EXPECT_FALSE(CounterValue(R"({"Item":{"c":{"N":"1.5"}}})").ok());

  auto status = TableStatus(R"({"Table":{"TableName":"t","TableStatus":"ACTIVE"}})");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, "ACTIVE");
  EXPECT_FALSE(TableStatus("{}").ok());
}

// DescribeTable answers of an indexed table, as DynamoDB shapes them (trimmed).
std::string DescribedIndex(std::string_view name, std::string_view key, std::string_view projection,
                           std::string_view status) {
  return fmt::format(
      R"({{"IndexName":"{}","KeySchema":[{{"AttributeName":"{}","KeyType":"HASH"}}],)"
      R"("Projection":{{"ProjectionType":"{}"}},"IndexStatus":"{}","ItemCount":0}})",
      name, key, projection, status);
}

std::string DescribedTable(const std::vector<std::string>& indexes, std::string_view extra = "") {
  std::string list;
  for (const std::string& index : indexes) list += (list.empty() ? "" : ",") + index;
  return fmt::format(R"({{"Table":{{"TableName":"t-gsi","TableStatus":"ACTIVE"{}{}}}}})",
                     indexes.empty() ? "" : fmt::format(R"(,"GlobalSecondaryIndexes":[{}])", list),
                     extra);
}

TEST(WorkloadResponsesTest, IndexedTableReadyOnlyForTheIndexesPutGsiWrites) {
  const std::string keys_only = DescribedIndex("gsi0", "g0", "KEYS_ONLY", "ACTIVE");
  const std::string all = DescribedIndex("gsi1", "g1", "ALL", "ACTIVE");
  // In any order.
  auto ready = IndexedTableReady(DescribedTable({all, keys_only}), 2);
  ASSERT_TRUE(ready.ok()) << ready.error();
  EXPECT_TRUE(*ready);
  // An index still being created: not yet.
  auto creating = IndexedTableReady(
      DescribedTable({keys_only, DescribedIndex("gsi1", "g1", "ALL", "CREATING")}), 2);
  ASSERT_TRUE(creating.ok()) << creating.error();
  EXPECT_FALSE(*creating);
  // Any other shape is refused, naming what was found.
  auto missing = IndexedTableReady(DescribedTable({keys_only}), 2);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("[gsi0 (g0, KEYS_ONLY)], not [gsi0 (g0, KEYS_ONLY), "
                                 "gsi1 (g1, ALL)]"),
            std::string::npos)
      << missing.error();
  EXPECT_FALSE(IndexedTableReady(DescribedTable({}), 1).ok());
  EXPECT_FALSE(IndexedTableReady(DescribedTable({keys_only, all}), 1).ok());
  EXPECT_FALSE(
      IndexedTableReady(DescribedTable({DescribedIndex("gsi0", "g0", "ALL", "ACTIVE")}), 1).ok());
  EXPECT_FALSE(
      IndexedTableReady(DescribedTable({DescribedIndex("gsi0", "pk", "KEYS_ONLY", "ACTIVE")}), 1)
          .ok());
  auto local = IndexedTableReady(
      DescribedTable({keys_only}, R"(,"LocalSecondaryIndexes":[{"IndexName":"l"}])"), 1);
  ASSERT_FALSE(local.ok());
  EXPECT_NE(local.error().find("local secondary indexes"), std::string::npos);
  EXPECT_FALSE(IndexedTableReady("{}", 1).ok());
  EXPECT_FALSE(IndexedTableReady("not json", 1).ok());
}

TEST(SlotTest, TheSameSeedGivesTheSameRequests) {
  WorkloadContext context(Workload::kMix, WorkloadOptions{}, 9);
  Slot a(context, 9, 3), b(context, 9, 3), other(context, 9, 4);
  bool differs = false;
  for (int i = 0; i < 50; ++i) {
    auto ra = a.Next(), rb = b.Next(), ro = other.Next();
    ASSERT_TRUE(ra && rb && ro);
    EXPECT_EQ(ra->body, rb->body);
    EXPECT_EQ(ra->op, rb->op);
    differs = differs || ra->body != ro->body;
    (void)a.OnResponse(200, "{}");
    (void)b.OnResponse(200, "{}");
    (void)other.OnResponse(200, "{}");
  }
  EXPECT_TRUE(differs);
}

TEST(SlotTest, MixHonoursGetPercent) {
  WorkloadOptions options;
  options.get_percent = 50;
  WorkloadContext context(Workload::kMix, options, 1);
  Slot slot(context, 1, 0);
  int gets = 0;
  for (int i = 0; i < 10000; ++i) {
    auto request = slot.Next();
    ASSERT_TRUE(request);
    gets += request->op == Operation::kGetItem ? 1 : 0;
    (void)slot.OnResponse(200, R"({"Item":{}})");
  }
  EXPECT_NEAR(gets, 5000, 300);
}

TEST(SlotTest, GetAndQueryNoticeMissingData) {
  WorkloadOptions options;
  options.keys = 45;
  WorkloadContext gets(Workload::kGet, options, 1);
  Slot get(gets, 1, 0);
  ASSERT_TRUE(get.Next());
  EXPECT_TRUE(get.OnResponse(200, "{}").missing);
  ASSERT_TRUE(get.Next());
  EXPECT_FALSE(get.OnResponse(200, R"({"Item":{"pk":{"S":"x"}}})").missing);

  WorkloadContext queries(Workload::kQuery, options, 1);
  Slot query(queries, 1, 0);
  ASSERT_TRUE(query.Next());
  EXPECT_TRUE(query.OnResponse(200, R"({"Count":0,"Items":[]})").missing);
  ASSERT_TRUE(query.Next());
  EXPECT_FALSE(query.OnResponse(200, R"({"Count":20,"Items":[]})").missing);
}

TEST(SlotTest, ScanFollowsLastEvaluatedKeyAndStartsOver) {
  WorkloadContext context(Workload::kScan, WorkloadOptions{}, 1);
  Slot slot(context, 1, 0);
  auto first = slot.Next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->op, Operation::kScan);
  EXPECT_EQ(first->body.find("ExclusiveStartKey"), std::string::npos);
  (void)slot.OnResponse(200,
                        R"({"Count":100,"LastEvaluatedKey":{"pk":{"S":"c7"},"sk":{"S":"03"}}})");
  auto second = slot.Next();
  EXPECT_NE(second->body.find(R"("ExclusiveStartKey":{"pk":{"S":"c7"},"sk":{"S":"03"}})"),
            std::string::npos);
  // A failed page is asked for again.
  (void)slot.OnResponse(500, "{}");
  EXPECT_EQ(slot.Next()->body, second->body);
  (void)slot.OnResponse(200, R"({"Count":3})");
  EXPECT_EQ(slot.Next()->body, first->body);
}

// Each transaction puts --transact-items whole items of distinct collections, inside the key
// space, so that DynamoDB accepts it (no item twice).
TEST(SlotTest, TransactPutsItemsOfDistinctCollections) {
  WorkloadOptions options;
  options.keys = 1000;  // 50 collections
  options.transact_items = 5;
  options.item_bytes = 300;
  WorkloadContext context(Workload::kTransact, options, 1);
  Slot slot(context, 7, 0);
  for (int round = 0; round < 50; ++round) {
    auto request = slot.Next();
    ASSERT_TRUE(request);
    EXPECT_EQ(request->op, Operation::kTransactWriteItems);
    simdjson::dom::parser parser;
    simdjson::dom::element body = parser.parse(request->body);
    std::set<std::string> collections;
    size_t actions = 0;
    for (simdjson::dom::element action : body["TransactItems"].get_array()) {
      simdjson::dom::element item = action["Put"]["Item"];
      EXPECT_EQ(std::string_view(action["Put"]["TableName"]), options.table);
      EXPECT_EQ(StringItemSize(item.get_object()), 300u);
      const std::string pk{std::string_view(item["pk"]["S"])};
      EXPECT_LT(pk, PartitionKey(50));
      collections.insert(pk);
      ++actions;
    }
    EXPECT_EQ(actions, 5u);
    EXPECT_EQ(collections.size(), 5u);
    (void)slot.OnResponse(200, "{}");
  }
}

// Every put of put-gsi goes to the indexed table with every index attribute, drawn afresh, so an
// overwrite moves the item's entries; the item keeps --item-bytes.
TEST(SlotTest, PutGsiPutsFreshIndexValuesIntoTheIndexedTable) {
  WorkloadOptions options;
  options.table = "bench-gsi";
  options.gsi_count = 3;
  options.keys = 50;
  options.item_bytes = 250;
  WorkloadContext context(Workload::kPutGsi, options, 1);
  Slot slot(context, 5, 0);
  simdjson::dom::parser parser;
  std::set<std::string> g0_values, g2_values;
  std::string previous_g0;
  int changed = 0;
  for (int round = 0; round < 400; ++round) {
    auto request = slot.Next();
    ASSERT_TRUE(request);
    EXPECT_EQ(request->op, Operation::kPutItem);
    auto root = Parse(parser, request->body);
    EXPECT_EQ(StringAt(root, "/TableName"), "bench-gsi");
    EXPECT_EQ(StringItemSize(root["Item"].get_object()), 250u);
    for (std::string_view name : {"g0", "g1", "g2"}) {
      std::string_view value = StringAt(root, fmt::format("/Item/{}/S", name));
      EXPECT_EQ(value.size(), 3u);
      EXPECT_TRUE(value.find_first_not_of("0123456789") == std::string_view::npos) << value;
    }
    EXPECT_TRUE(root["Item"]["g3"].error() == simdjson::NO_SUCH_FIELD);
    const std::string g0{StringAt(root, "/Item/g0/S")};
    changed += g0 != previous_g0 ? 1 : 0;
    previous_g0 = g0;
    g0_values.insert(g0);
    g2_values.insert(std::string(StringAt(root, "/Item/g2/S")));
    (void)slot.OnResponse(200, "{}");
  }
  // 400 draws of 1000 values: about 330 distinct, and almost never the same twice in a row.
  EXPECT_GT(g0_values.size(), 250u);
  EXPECT_GT(g2_values.size(), 250u);
  EXPECT_GE(changed, 395);

  // The plain put workload writes no index attributes.
  options.gsi_count = 0;
  WorkloadContext plain(Workload::kPut, options, 1);
  Slot put(plain, 5, 0);
  EXPECT_EQ(put.Next()->body.find("\"g0\""), std::string::npos);
}

// The indexed table's load: every item once with its index attributes, derived from the item's
// number (the same whatever the slot), and no counters.
TEST(SlotTest, LoadOfTheIndexedTableWritesIndexAttributesAndNoCounters) {
  WorkloadOptions options;
  options.table = "bench-gsi";
  options.keys = 30;
  options.counters = 3;
  options.gsi_count = 2;
  WorkloadContext context(Workload::kLoad, options, 1);
  EXPECT_EQ(context.LoadTotal(), 30);
  Slot slot(context, 1, 0);
  simdjson::dom::parser parser;
  std::set<std::string> keys;
  std::map<std::string, std::string> g1_of;
  while (auto request = slot.Next()) {
    auto root = Parse(parser, request->body);
    const std::string key =
        fmt::format("{}/{}", StringAt(root, "/Item/pk/S"), StringAt(root, "/Item/sk/S"));
    EXPECT_TRUE(keys.insert(key).second) << key;
    EXPECT_EQ(StringAt(root, "/Item/g0/S").size(), 3u);
    g1_of[key] = std::string(StringAt(root, "/Item/g1/S"));
    EXPECT_EQ(StringItemSize(root["Item"].get_object()), 200u);
    (void)slot.OnResponse(200, "{}");
  }
  EXPECT_EQ(keys.size(), 30u);
  EXPECT_EQ(keys.count("counter0000/00"), 0u);

  // Another slot of another load writes the same values.
  WorkloadContext again(Workload::kLoad, options, 2);
  Slot other(again, 2, 7);
  while (auto request = other.Next()) {
    auto root = Parse(parser, request->body);
    const std::string key =
        fmt::format("{}/{}", StringAt(root, "/Item/pk/S"), StringAt(root, "/Item/sk/S"));
    EXPECT_EQ(g1_of[key], StringAt(root, "/Item/g1/S")) << key;
    (void)other.OnResponse(200, "{}");
  }
}

TEST(SlotTest, LoadWritesEveryItemThenTheCountersOnceAcrossSlots) {
  WorkloadOptions options;
  options.keys = 50;
  options.counters = 3;
  WorkloadContext context(Workload::kLoad, options, 1);
  Slot a(context, 1, 0), b(context, 1, 1);
  std::set<std::string> keys;
  int counters = 0;
  bool a_done = false, b_done = false;
  while (!a_done || !b_done) {
    for (auto [slot, done] : {std::pair{&a, &a_done}, std::pair{&b, &b_done}}) {
      if (*done) continue;
      auto request = slot->Next();
      if (!request) {
        *done = true;
        continue;
      }
      EXPECT_EQ(request->op, Operation::kPutItem);
      if (request->body.find("counter") != std::string::npos) ++counters;
      EXPECT_TRUE(keys.insert(request->body.substr(0, request->body.find("\"data\""))).second);
      (void)slot->OnResponse(200, "{}");
    }
  }
  EXPECT_EQ(keys.size(), 53u);
  EXPECT_EQ(counters, 3);
  EXPECT_EQ(context.load_abandoned.load(), 0);
}

TEST(SlotTest, LoadRetriesAFailedItemThenGivesUp) {
  WorkloadOptions options;
  options.keys = 2;
  options.counters = 1;
  WorkloadContext context(Workload::kLoad, options, 1);
  Slot slot(context, 1, 0);
  const std::string first = slot.Next()->body;
  for (int attempt = 1; attempt < kLoadAttempts; ++attempt) {
    slot.OnFailure();
    EXPECT_EQ(slot.Next()->body, first) << attempt;
  }
  (void)slot.OnResponse(503, "{}");
  EXPECT_EQ(context.load_abandoned.load(), 1);
  EXPECT_NE(slot.Next()->body, first);
}

}  // namespace
}  // namespace dunlin::bench
