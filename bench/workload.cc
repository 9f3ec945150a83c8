#include "bench/workload.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "bench/response_json.h"
#include "common/json_writer.h"

namespace dunlin::bench {
namespace {

constexpr std::string_view kPartitionKeyName = "pk";
constexpr std::string_view kSortKeyName = "sk";
constexpr std::string_view kPayloadName = "data";
constexpr std::string_view kCounterName = "c";
constexpr std::string_view kCounterSortKey = "00";
// Characters of a stored index attribute value ("000".."999").
constexpr int kGsiValueDigits = 3;
// Digits of the collection number in a partition key: room for 2 billion items.
constexpr int kCollectionDigits = 8;
constexpr size_t kMinPayloadPoolBytes = 64 * 1024;

// Writes the member "name": {"S": value} into the open object.
void WriteStringAttribute(JsonWriter& json, std::string_view name, std::string_view value) {
  json.Key(name);
  json.BeginObject();
  json.Key("S");
  json.String(value);
  json.EndObject();
}

// Writes {"pk":{"S":pk},"sk":{"S":sk}} as the value of the current key.
void WriteKey(JsonWriter& json, std::string_view pk, std::string_view sk) {
  json.BeginObject();
  WriteStringAttribute(json, kPartitionKeyName, pk);
  WriteStringAttribute(json, kSortKeyName, sk);
  json.EndObject();
}

void WriteItemKey(JsonWriter& json, int64_t index) {
  WriteKey(json, PartitionKey(index / kCollectionItems), SortKey(index % kCollectionItems));
}

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string MakePayloadPool(int item_bytes, uint64_t seed) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const size_t size = std::max(kMinPayloadPoolBytes, 2 * static_cast<size_t>(item_bytes));
  std::mt19937_64 random(SplitMix64(seed ^ 0x7061796c6f6164ULL));
  std::string pool(size, ' ');
  for (char& c : pool) c = kAlphabet[random() % kAlphabet.size()];
  return pool;
}

bool IsSuccess(int status) { return status >= 200 && status < 300; }

}  // namespace

std::string_view OperationName(Operation op) {
  switch (op) {
    case Operation::kPutItem:
      return "PutItem";
    case Operation::kGetItem:
      return "GetItem";
    case Operation::kUpdateItem:
      return "UpdateItem";
    case Operation::kQuery:
      return "Query";
    case Operation::kScan:
      return "Scan";
    case Operation::kTransactWriteItems:
      return "TransactWriteItems";
  }
  return "?";
}

std::string_view WorkloadName(Workload workload) {
  switch (workload) {
    case Workload::kNone:
      return "none";
    case Workload::kPut:
      return "put";
    case Workload::kGet:
      return "get";
    case Workload::kMix:
      return "mix";
    case Workload::kUpdate:
      return "update";
    case Workload::kQuery:
      return "query";
    case Workload::kScan:
      return "scan";
    case Workload::kTransact:
      return "transact";
    case Workload::kPutGsi:
      return "put-gsi";
    case Workload::kPutStream:
      return "put-stream";
    case Workload::kLoad:
      return "load";
  }
  return "?";
}

Result<Workload, std::string> ParseWorkload(std::string_view name) {
  for (Workload w :
       {Workload::kPut, Workload::kGet, Workload::kMix, Workload::kUpdate, Workload::kQuery,
        Workload::kScan, Workload::kTransact, Workload::kPutGsi, Workload::kPutStream,
        Workload::kNone}) {
    if (name == WorkloadName(w)) return w;
  }
  return Fail(
      fmt::format("unknown workload '{}': expected put, get, mix, update, query, scan, "
                  "transact, put-gsi, put-stream or none",
                  name));
}

bool IsValidTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

std::string PartitionKey(int64_t collection) {
  return fmt::format("c{:0{}}", collection, kCollectionDigits);
}

std::string SortKey(int64_t position) { return fmt::format("{:02}", position); }

std::string CounterPartitionKey(int counter) { return fmt::format("counter{:04}", counter); }

int64_t CollectionCount(int64_t keys) { return (keys + kCollectionItems - 1) / kCollectionItems; }

int64_t CollectionSize(int64_t keys, int64_t collection) {
  return std::clamp<int64_t>(keys - collection * kCollectionItems, 0, kCollectionItems);
}

namespace {

// Names and values of the key attributes: "pk" + 9 characters, "sk" + 2, then the name "data",
// and on the indexed table each "g<i>" with its value.
int FixedItemBytes(int gsi_count) {
  int fixed = static_cast<int>(kPartitionKeyName.size() + 1 + kCollectionDigits +
                               kSortKeyName.size() + 2 + kPayloadName.size());
  for (int i = 0; i < gsi_count; ++i) {
    fixed += static_cast<int>(GsiAttributeName(i).size()) + kGsiValueDigits;
  }
  return fixed;
}

}  // namespace

int PayloadBytes(int item_bytes, int gsi_count) {
  return std::max(1, item_bytes - FixedItemBytes(gsi_count));
}

int MinItemBytes(int gsi_count) { return FixedItemBytes(gsi_count) + 1; }

std::string IndexedTableName(std::string_view table) { return fmt::format("{}-gsi", table); }

std::string StreamTableName(std::string_view table) { return fmt::format("{}-stream", table); }

std::string GsiIndexName(int index) { return fmt::format("gsi{}", index); }

std::string GsiAttributeName(int index) { return fmt::format("g{}", index); }

std::string GsiValue(int value) { return fmt::format("{:0{}}", value, kGsiValueDigits); }

std::string_view GsiProjectionType(int index) { return index % 2 == 0 ? "KEYS_ONLY" : "ALL"; }

namespace {

// {"AttributeName": name, "KeyType": type}
void WriteKeySchemaElement(JsonWriter& json, std::string_view name, std::string_view type) {
  json.BeginObject();
  json.Key("AttributeName");
  json.String(name);
  json.Key("KeyType");
  json.String(type);
  json.EndObject();
}

// {"AttributeName": name, "AttributeType": "S"}
void WriteStringAttributeDefinition(JsonWriter& json, std::string_view name) {
  json.BeginObject();
  json.Key("AttributeName");
  json.String(name);
  json.Key("AttributeType");
  json.String("S");
  json.EndObject();
}

}  // namespace

std::string CreateTableBody(std::string_view table, int gsi_count, bool stream) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("KeySchema");
  json.BeginArray();
  WriteKeySchemaElement(json, kPartitionKeyName, "HASH");
  WriteKeySchemaElement(json, kSortKeyName, "RANGE");
  json.EndArray();
  json.Key("AttributeDefinitions");
  json.BeginArray();
  WriteStringAttributeDefinition(json, kPartitionKeyName);
  WriteStringAttributeDefinition(json, kSortKeyName);
  for (int i = 0; i < gsi_count; ++i) WriteStringAttributeDefinition(json, GsiAttributeName(i));
  json.EndArray();
  if (gsi_count > 0) {
    json.Key("GlobalSecondaryIndexes");
    json.BeginArray();
    for (int i = 0; i < gsi_count; ++i) {
      json.BeginObject();
      json.Key("IndexName");
      json.String(GsiIndexName(i));
      json.Key("KeySchema");
      json.BeginArray();
      WriteKeySchemaElement(json, GsiAttributeName(i), "HASH");
      json.EndArray();
      json.Key("Projection");
      json.BeginObject();
      json.Key("ProjectionType");
      json.String(GsiProjectionType(i));
      json.EndObject();
      json.EndObject();
    }
    json.EndArray();
  }
  if (stream) {
    json.Key("StreamSpecification");
    json.BeginObject();
    json.Key("StreamEnabled");
    json.Bool(true);
    json.Key("StreamViewType");
    json.String(kStreamViewType);
    json.EndObject();
  }
  json.Key("BillingMode");
  json.String("PAY_PER_REQUEST");
  json.EndObject();
  return out;
}

std::string DescribeTableBody(std::string_view table) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.EndObject();
  return out;
}

namespace {

// {"TableName": table, "Item": item `index` of the key space with `payload` and the index
// attributes `gsi_values`}: a PutItem request, and a TransactWriteItems Put action.
void WritePutRequest(JsonWriter& json, std::string_view table, int64_t index,
                     std::string_view payload, std::span<const int> gsi_values = {}) {
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("Item");
  json.BeginObject();
  WriteStringAttribute(json, kPartitionKeyName, PartitionKey(index / kCollectionItems));
  WriteStringAttribute(json, kSortKeyName, SortKey(index % kCollectionItems));
  for (size_t i = 0; i < gsi_values.size(); ++i) {
    WriteStringAttribute(json, GsiAttributeName(static_cast<int>(i)), GsiValue(gsi_values[i]));
  }
  WriteStringAttribute(json, kPayloadName, payload);
  json.EndObject();
  json.EndObject();
}

}  // namespace

std::string PutItemBody(std::string_view table, int64_t index, std::string_view payload,
                        std::span<const int> gsi_values) {
  std::string out;
  out.reserve(payload.size() + 128 + gsi_values.size() * 24);
  JsonWriter json(out);
  WritePutRequest(json, table, index, payload, gsi_values);
  return out;
}

std::string TransactPutBody(std::string_view table, const std::vector<int64_t>& indexes,
                            std::string_view payload) {
  std::string out;
  out.reserve(indexes.size() * (payload.size() + 128) + 32);
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TransactItems");
  json.BeginArray();
  for (int64_t index : indexes) {
    json.BeginObject();
    json.Key("Put");
    WritePutRequest(json, table, index, payload);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return out;
}

std::string GetItemBody(std::string_view table, int64_t index) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("Key");
  WriteItemKey(json, index);
  json.EndObject();
  return out;
}

std::string PutCounterBody(std::string_view table, int counter) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("Item");
  json.BeginObject();
  WriteStringAttribute(json, kPartitionKeyName, CounterPartitionKey(counter));
  WriteStringAttribute(json, kSortKeyName, kCounterSortKey);
  json.Key(kCounterName);
  json.Raw(R"({"N":"0"})");
  json.EndObject();
  json.EndObject();
  return out;
}

std::string GetCounterBody(std::string_view table, int counter) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("Key");
  WriteKey(json, CounterPartitionKey(counter), kCounterSortKey);
  json.Key("ConsistentRead");
  json.Bool(true);
  json.EndObject();
  return out;
}

std::string IncrementCounterBody(std::string_view table, int counter) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("Key");
  WriteKey(json, CounterPartitionKey(counter), kCounterSortKey);
  json.Key("UpdateExpression");
  json.String("SET #c = #c + :one");
  json.Key("ConditionExpression");
  json.String("attribute_exists(pk)");
  json.Key("ExpressionAttributeNames");
  json.Raw(fmt::format(R"({{"#c":"{}"}})", kCounterName));
  json.Key("ExpressionAttributeValues");
  json.Raw(R"({":one":{"N":"1"}})");
  json.EndObject();
  return out;
}

std::string QueryCollectionBody(std::string_view table, int64_t collection) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("KeyConditionExpression");
  json.String("pk = :p");
  json.Key("ExpressionAttributeValues");
  json.BeginObject();
  json.Key(":p");
  json.BeginObject();
  json.Key("S");
  json.String(PartitionKey(collection));
  json.EndObject();
  json.EndObject();
  json.EndObject();
  return out;
}

std::string ScanPageBody(std::string_view table, int scan_limit,
                         std::string_view exclusive_start_key) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject();
  json.Key("TableName");
  json.String(table);
  json.Key("Limit");
  json.Int(scan_limit);
  if (!exclusive_start_key.empty()) {
    json.Key("ExclusiveStartKey");
    json.Raw(exclusive_start_key);
  }
  json.EndObject();
  return out;
}

std::string ErrorType(std::string_view body) {
  auto root = ParseResponseObject(body);
  if (!root.ok()) return "";
  std::string_view type;
  if ((*root)["__type"].get(type) != simdjson::SUCCESS) return "";
  const size_t hash = type.rfind('#');
  return std::string(hash == std::string_view::npos ? type : type.substr(hash + 1));
}

Result<std::optional<std::string>, std::string> LastEvaluatedKey(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  simdjson::dom::element key;
  if (root["LastEvaluatedKey"].get(key) != simdjson::SUCCESS) {
    return std::optional<std::string>();
  }
  if (!key.is_object()) return Fail(std::string("LastEvaluatedKey is not an object"));
  return std::optional<std::string>(simdjson::minify(key));
}

Result<int64_t, std::string> ResultCount(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  int64_t count = 0;
  if (root["Count"].get(count) != simdjson::SUCCESS) {
    return Fail(std::string("response has no integer Count"));
  }
  return count;
}

Result<std::optional<int64_t>, std::string> CounterValue(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  simdjson::dom::element item;
  if (root["Item"].get(item) != simdjson::SUCCESS) return std::optional<int64_t>();
  std::string_view number;
  if (item[kCounterName]["N"].get(number) != simdjson::SUCCESS) {
    return Fail(std::string("counter item has no number attribute c"));
  }
  int64_t value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size()) {
    return Fail(fmt::format("counter value {} is not an integer", number));
  }
  return std::optional<int64_t>(value);
}

Result<std::string, std::string> TableStatus(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  std::string_view status;
  if (root["Table"]["TableStatus"].get(status) != simdjson::SUCCESS) {
    return Fail(std::string("response has no Table.TableStatus"));
  }
  return std::string(status);
}

namespace {

// "gsi0 (g0, KEYS_ONLY)": an index as the messages of IndexedTableReady show it.
std::string DescribeIndex(std::string_view name, std::string_view keys,
                          std::string_view projection) {
  return fmt::format("{} ({}, {})", name, keys, projection);
}

// The string `value` holds; empty when it is absent or not a string.
std::string_view StringOrEmpty(simdjson::simdjson_result<simdjson::dom::element> value) {
  std::string_view out;
  if (value.get(out) != simdjson::SUCCESS) return {};
  return out;
}

}  // namespace

Result<bool, std::string> IndexedTableReady(std::string_view body, int gsi_count) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  simdjson::dom::element table;
  if (root["Table"].get(table) != simdjson::SUCCESS || !table.is_object()) {
    return Fail(std::string("response has no Table"));
  }
  std::vector<std::string> expected;
  for (int i = 0; i < gsi_count; ++i) {
    expected.push_back(DescribeIndex(GsiIndexName(i), GsiAttributeName(i), GsiProjectionType(i)));
  }
  // The indexes found, described the same way, in the table's order; and whether all are ACTIVE.
  std::vector<std::string> found;
  bool active = true;
  simdjson::dom::array indexes;
  if (table["GlobalSecondaryIndexes"].get(indexes) == simdjson::SUCCESS) {
    for (simdjson::dom::element index : indexes) {
      std::string keys;
      simdjson::dom::array schema;
      if (index["KeySchema"].get(schema) == simdjson::SUCCESS) {
        for (simdjson::dom::element element : schema) {
          const std::string_view attribute = StringOrEmpty(element["AttributeName"]);
          const std::string_view type = StringOrEmpty(element["KeyType"]);
          if (!keys.empty()) keys += ", ";
          keys += type == "HASH" ? std::string(attribute) : fmt::format("{} {}", attribute, type);
        }
      }
      found.push_back(DescribeIndex(StringOrEmpty(index["IndexName"]), keys,
                                    StringOrEmpty(index["Projection"]["ProjectionType"])));
      active = active && StringOrEmpty(index["IndexStatus"]) == "ACTIVE";
    }
  }
  std::vector<std::string> sorted_found = found;
  std::sort(sorted_found.begin(), sorted_found.end());
  std::vector<std::string> sorted_expected = expected;
  std::sort(sorted_expected.begin(), sorted_expected.end());
  simdjson::dom::element local;
  const bool has_local = table["LocalSecondaryIndexes"].get(local) == simdjson::SUCCESS;
  if (sorted_found != sorted_expected || has_local) {
    return Fail(fmt::format(
        "its global secondary indexes are [{}]{}, not [{}]", fmt::join(found, ", "),
        has_local ? " and it has local secondary indexes" : "", fmt::join(expected, ", ")));
  }
  return active;
}

Result<void, std::string> StreamedTableReady(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  simdjson::dom::element table;
  if (root["Table"].get(table) != simdjson::SUCCESS || !table.is_object()) {
    return Fail(std::string("response has no Table"));
  }
  bool enabled = false;
  simdjson::dom::element specification;
  if (table["StreamSpecification"].get(specification) == simdjson::SUCCESS) {
    if (specification["StreamEnabled"].get(enabled) != simdjson::SUCCESS) enabled = false;
  }
  if (!enabled) return Fail(std::string("its stream is not enabled"));
  const std::string_view view_type = StringOrEmpty(specification["StreamViewType"]);
  if (view_type != kStreamViewType) {
    return Fail(fmt::format("its stream's view type is {}, not {}", view_type, kStreamViewType));
  }
  return {};
}

Result<std::string, std::string> LatestStreamArn(std::string_view body) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::element root, ParseResponseObject(body));
  const std::string_view arn = StringOrEmpty(root["Table"]["LatestStreamArn"]);
  if (arn.empty()) return Fail(std::string("the table has no LatestStreamArn"));
  return std::string(arn);
}

WorkloadContext::WorkloadContext(Workload workload_in, WorkloadOptions options_in, uint64_t seed)
    : workload(workload_in),
      options(std::move(options_in)),
      payload_pool(MakePayloadPool(options.item_bytes, seed)) {}

Slot::Slot(const WorkloadContext& context, uint64_t seed, int64_t slot_number)
    : context_(context),
      random_(SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(slot_number)))) {}

int64_t Slot::RandomIndex(int64_t bound) {
  return std::uniform_int_distribution<int64_t>(0, bound - 1)(random_);
}

std::optional<SlotRequest> Slot::Next() {
  const WorkloadOptions& options = context_.options;
  Workload workload = context_.workload;
  if (workload == Workload::kMix) {
    workload = RandomIndex(100) < options.get_percent ? Workload::kGet : Workload::kPut;
  }
  switch (workload) {
    case Workload::kNone:
      return std::nullopt;
    case Workload::kLoad:
      if (load_index_ < 0) {
        load_index_ = context_.load_next.fetch_add(1, std::memory_order_relaxed);
        load_failures_ = 0;
      }
      if (load_index_ >= context_.LoadTotal()) {
        load_index_ = -1;
        return std::nullopt;
      }
      return NextLoad();
    case Workload::kPut:
    case Workload::kPutGsi:
    case Workload::kPutStream:
      return NextPut();
    case Workload::kGet:
      last_op_ = Operation::kGetItem;
      return SlotRequest{last_op_, GetItemBody(options.table, RandomIndex(options.keys))};
    case Workload::kUpdate:
      last_op_ = Operation::kUpdateItem;
      return SlotRequest{
          last_op_,
          IncrementCounterBody(options.table, static_cast<int>(RandomIndex(options.counters)))};
    case Workload::kQuery:
      last_op_ = Operation::kQuery;
      last_collection_ = RandomIndex(CollectionCount(options.keys));
      return SlotRequest{last_op_, QueryCollectionBody(options.table, last_collection_)};
    case Workload::kScan:
      last_op_ = Operation::kScan;
      return SlotRequest{last_op_,
                         ScanPageBody(options.table, options.scan_limit, scan_start_key_)};
    case Workload::kTransact: {
      // Items of distinct collections, so no two actions name one item.
      const int64_t collections = CollectionCount(options.keys);
      const int64_t count = std::min<int64_t>(options.transact_items, collections);
      std::vector<int64_t> indexes;
      const int64_t first = RandomIndex(collections);
      const int64_t position = RandomIndex(kCollectionItems);
      for (int64_t i = 0; i < count; ++i) {
        const int64_t collection = (first + i * (collections / count)) % collections;
        indexes.push_back(std::min(collection * kCollectionItems + position, options.keys - 1));
      }
      const size_t length = static_cast<size_t>(PayloadBytes(options.item_bytes));
      const size_t offset = static_cast<size_t>(
          RandomIndex(static_cast<int64_t>(context_.payload_pool.size() - length + 1)));
      last_op_ = Operation::kTransactWriteItems;
      return SlotRequest{
          last_op_,
          TransactPutBody(options.table, indexes,
                          std::string_view(context_.payload_pool).substr(offset, length))};
    }
    case Workload::kMix:
      break;  // resolved above
  }
  return std::nullopt;
}

SlotRequest Slot::NextPut() {
  const WorkloadOptions& options = context_.options;
  const int64_t index = RandomIndex(options.keys);
  const size_t length = static_cast<size_t>(PayloadBytes(options.item_bytes, options.gsi_count));
  const size_t offset = static_cast<size_t>(
      RandomIndex(static_cast<int64_t>(context_.payload_pool.size() - length + 1)));
  // Fresh index values: the overwritten item's entries move in every index.
  std::array<int, kMaxGsiCount> gsi_values{};
  for (int i = 0; i < options.gsi_count; ++i) {
    gsi_values[i] = static_cast<int>(RandomIndex(kGsiValues));
  }
  last_op_ = Operation::kPutItem;
  return SlotRequest{last_op_,
                     PutItemBody(options.table, index,
                                 std::string_view(context_.payload_pool).substr(offset, length),
                                 std::span<const int>(gsi_values.data(), options.gsi_count))};
}

SlotRequest Slot::NextLoad() {
  const WorkloadOptions& options = context_.options;
  last_op_ = Operation::kPutItem;
  if (load_index_ >= options.keys) {
    return SlotRequest{last_op_,
                       PutCounterBody(options.table, static_cast<int>(load_index_ - options.keys))};
  }
  // Payloads and index values depend on the index alone, so a load is the same whatever the
  // slot count.
  const size_t length = static_cast<size_t>(PayloadBytes(options.item_bytes, options.gsi_count));
  const uint64_t hash = SplitMix64(static_cast<uint64_t>(load_index_));
  const size_t offset = static_cast<size_t>(hash % (context_.payload_pool.size() - length + 1));
  std::array<int, kMaxGsiCount> gsi_values{};
  for (int i = 0; i < options.gsi_count; ++i) {
    gsi_values[i] = static_cast<int>(SplitMix64(hash + static_cast<uint64_t>(i)) % kGsiValues);
  }
  return SlotRequest{last_op_,
                     PutItemBody(options.table, load_index_,
                                 std::string_view(context_.payload_pool).substr(offset, length),
                                 std::span<const int>(gsi_values.data(), options.gsi_count))};
}

SlotOutcome Slot::OnResponse(int status, std::string_view body) {
  SlotOutcome outcome;
  if (!IsSuccess(status)) {
    OnFailure();
    return outcome;
  }
  switch (context_.workload) {
    case Workload::kLoad:
      load_index_ = -1;
      break;
    case Workload::kScan: {
      auto key = LastEvaluatedKey(body);
      // An unreadable page starts the scan over rather than repeating it forever.
      scan_start_key_ = key.ok() && key->has_value() ? std::move(**key) : std::string();
      break;
    }
    case Workload::kQuery: {
      auto count = ResultCount(body);
      outcome.missing =
          !count.ok() || *count < CollectionSize(context_.options.keys, last_collection_);
      break;
    }
    default:
      if (last_op_ == Operation::kGetItem) {
        outcome.missing = body.find("\"Item\"") == std::string_view::npos;
      }
      break;
  }
  return outcome;
}

void Slot::OnFailure() {
  if (context_.workload != Workload::kLoad || load_index_ < 0) return;
  // Retry the same item, up to kLoadAttempts in all.
  if (++load_failures_ >= kLoadAttempts) {
    context_.load_abandoned.fetch_add(1, std::memory_order_relaxed);
    load_index_ = -1;
  }
}

}  // namespace dunlin::bench
