#include "bench/micro/sample_data.h"

#include "common/json_writer.h"
#include "model/json_codec.h"
#include "model/number.h"

namespace dunlin::bench::micro {
namespace {

constexpr size_t kPayloadChars = 120;

model::AttributeValue Num(std::string_view text) {
  return model::AttributeValue::Num(model::Number::Parse(text).value());
}

model::AttributeValue SortKeyValue(model::AttributeType sort_type) {
  return sort_type == model::AttributeType::kN ? Num("7") : model::AttributeValue::String("07");
}

// Deterministic alphanumeric text, like the load generator's payload pool.
std::string Payload(size_t length) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out(length, 'a');
  for (size_t i = 0; i < length; ++i) out[i] = kAlphabet[(i * 7 + 3) % kAlphabet.size()];
  return out;
}

}  // namespace

model::TableMetadata SampleTable(model::AttributeType sort_type) {
  model::TableMetadata table;
  table.name = std::string(kTableName);
  table.internal_id = 7;
  table.key_schema.partition = {"pk", model::AttributeType::kS};
  table.key_schema.sort = model::KeyElement{"sk", sort_type};
  table.attribute_definitions = {table.key_schema.partition, *table.key_schema.sort};
  return table;
}

model::Item SampleItem(model::AttributeType sort_type) {
  model::Item item = SampleKey(sort_type);
  item.emplace("data", model::AttributeValue::String(Payload(kPayloadChars)));
  item.emplace("status", model::AttributeValue::String("active"));
  item.emplace("c", Num("42"));
  item.emplace("price", Num("19.99"));
  item.emplace("tags",
               model::AttributeValue(model::AttributeList{model::AttributeValue::String("red"),
                                                          model::AttributeValue::String("green"),
                                                          model::AttributeValue::String("blue")}));
  return item;
}

model::AttributeMap SampleKey(model::AttributeType sort_type) {
  model::AttributeMap key;
  key.emplace("pk", model::AttributeValue::String("c00001234"));
  key.emplace("sk", SortKeyValue(sort_type));
  return key;
}

std::string PutItemBody(const model::Item& item, std::string_view condition) {
  std::string body;
  JsonWriter out(body);
  out.BeginObject();
  out.Key("TableName");
  out.String(kTableName);
  out.Key("Item");
  model::WriteAttributeMap(out, item);
  if (!condition.empty()) {
    out.Key("ConditionExpression");
    out.String(condition);
  }
  out.EndObject();
  return body;
}

std::string GetItemBody(const model::AttributeMap& key) {
  std::string body;
  JsonWriter out(body);
  out.BeginObject();
  out.Key("TableName");
  out.String(kTableName);
  out.Key("Key");
  model::WriteAttributeMap(out, key);
  out.EndObject();
  return body;
}

}  // namespace dunlin::bench::micro
