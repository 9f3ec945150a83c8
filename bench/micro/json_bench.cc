// JSON at the two edges of a request.
//
// Parsing: a request body parsed with simdjson and read into the typed model exactly as the
// dispatcher (api/dispatcher.cc) and the operation (api/operations/put_item.cc, get_item.cc) do
// before they reach the storage engine: TableName, the response options, the Item or Key
// through the typed-JSON codec, the condition (through the shared expression cache), the item
// size and the key checks. One simdjson parser is reused, as the dispatcher's per-thread
// parser is.
//
// Writing: a GetItem response ({"Item":{...}}) written with JsonWriter the way get_item.cc
// writes it, plus the zlib crc32 over the body that the dispatcher sends as x-amz-crc32; and
// the crc32 alone, to tell the two apart.
//
// Bytes processed are request or response body bytes.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <zlib.h>

#include <optional>
#include <string>

#include "api/capacity.h"
#include "api/expression_request.h"
#include "api/item_request.h"
#include "api/legacy_parameters.h"
#include "api/params.h"
#include "api/write_options.h"
#include "bench/micro/sample_data.h"
#include "common/json_writer.h"
#include "model/item_size.h"
#include "model/key_validation.h"

namespace dunlin::bench::micro {
namespace {

using api::ApiResult;
using model::AttributeType;

ApiResult<api::ObjectReader> ParseBody(simdjson::dom::parser& parser, const std::string& body) {
  simdjson::dom::object object;
  if (parser.parse(body).get(object) != simdjson::SUCCESS) {
    return Fail(
        api::ApiError::Serialization("Start of structure or map found where not expected."));
  }
  return api::ObjectReader(object);
}

// PutItem up to the write: what put_item.cc reads and checks, the table lookup aside.
ApiResult<model::Item> ReadPutItem(simdjson::dom::parser& parser, const std::string& body,
                                   const model::KeySchema& schema) {
  DUNLIN_ASSIGN_OR_RETURN(api::ObjectReader request, ParseBody(parser, body));
  DUNLIN_ASSIGN_OR_RETURN(std::string name, api::ReadTableName(request));
  DUNLIN_ASSIGN_OR_RETURN(api::WriteOptions options, api::ReadWriteOptions(request));
  DUNLIN_ASSIGN_OR_RETURN(
      options.return_values,
      api::ReadReturnValues(request, {api::ReturnValues::kNone, api::ReturnValues::kAllOld}));
  DUNLIN_RETURN_IF_ERROR(api::CheckConditionParameters(request));
  DUNLIN_ASSIGN_OR_RETURN(model::Item item, api::ReadAttributeMap(request, "Item", "item"));
  if (model::ItemSize(item) > model::kMaxItemSizeBytes) {
    return Fail(api::ApiError::Validation("Item size has exceeded the maximum allowed size"));
  }
  auto key = model::ExtractItemKey(item, schema);
  if (!key.ok()) return Fail(api::FromModel(std::move(key).error()));
  api::RequestExpressions expressions;
  DUNLIN_ASSIGN_OR_RETURN(auto condition, api::ReadConditionOnly(request, expressions));
  benchmark::DoNotOptimize(name);
  benchmark::DoNotOptimize(options);
  benchmark::DoNotOptimize(condition);
  return item;
}

// GetItem up to the engine read: what get_item.cc reads and checks before GetItem.
ApiResult<model::AttributeMap> ReadGetItem(simdjson::dom::parser& parser, const std::string& body,
                                           const model::KeySchema& schema) {
  DUNLIN_ASSIGN_OR_RETURN(api::ObjectReader request, ParseBody(parser, body));
  DUNLIN_ASSIGN_OR_RETURN(std::string name, api::ReadTableName(request));
  DUNLIN_RETURN_IF_ERROR(
      api::RejectMixedParameters(request, {"AttributesToGet"}, {"ProjectionExpression"}));
  api::Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(api::CapacityReport capacity,
                          api::ReadCapacityReport(request, violations));
  DUNLIN_ASSIGN_OR_RETURN(auto consistent, request.Bool("ConsistentRead"));
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap key_map,
                          api::ReadAttributeMap(request, "Key", "key"));
  api::RequestExpressions expressions;
  DUNLIN_RETURN_IF_ERROR(expressions.ReadNamesOnly(request, request.Has("ProjectionExpression")));
  DUNLIN_ASSIGN_OR_RETURN(auto projection, expressions.Projection(request));
  DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
  if (!projection) {
    DUNLIN_ASSIGN_OR_RETURN(projection, api::ReadAttributesToGet(request));
  }
  benchmark::DoNotOptimize(name);
  benchmark::DoNotOptimize(capacity);
  benchmark::DoNotOptimize(consistent);
  benchmark::DoNotOptimize(projection);
  auto key = model::ValidateKeyParameter(key_map, schema);
  if (!key.ok()) return Fail(api::FromModel(std::move(key).error()));
  return key_map;
}

void BM_ParsePutItemRequest(benchmark::State& state, std::string_view condition) {
  const std::string body = PutItemBody(SampleItem(AttributeType::kS), condition);
  const model::KeySchema schema = SampleTable(AttributeType::kS).key_schema;
  simdjson::dom::parser parser;
  if (!ReadPutItem(parser, body, schema).ok()) {
    state.SkipWithError("the sample PutItem request does not parse");
    return;
  }
  for (auto _ : state) {
    auto item = ReadPutItem(parser, body, schema);
    benchmark::DoNotOptimize(item);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK_CAPTURE(BM_ParsePutItemRequest, plain, "");
BENCHMARK_CAPTURE(BM_ParsePutItemRequest, with_condition, "attribute_not_exists(pk)");

void BM_ParseGetItemRequest(benchmark::State& state) {
  const std::string body = GetItemBody(SampleKey(AttributeType::kS));
  const model::KeySchema schema = SampleTable(AttributeType::kS).key_schema;
  simdjson::dom::parser parser;
  if (!ReadGetItem(parser, body, schema).ok()) {
    state.SkipWithError("the sample GetItem request does not parse");
    return;
  }
  for (auto _ : state) {
    auto key = ReadGetItem(parser, body, schema);
    benchmark::DoNotOptimize(key);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseGetItemRequest);

uint32_t Crc32(const std::string& body) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
}

// get_item.cc's response for a found item, written into a fresh body as the dispatcher
// provides one, then the dispatcher's checksum.
void BM_WriteGetItemResponse(benchmark::State& state) {
  const model::Item item = SampleItem(AttributeType::kS);
  size_t body_bytes = 0;
  for (auto _ : state) {
    std::string body;
    body.reserve(256);
    JsonWriter out(body);
    out.BeginObject();
    const size_t size = model::ItemSize(item);
    api::WriteItemMember(out, "Item", item);
    api::WriteConsumedCapacity(out, api::CapacityReport::kNone, kTableName,
                               api::ReadCapacityUnits(size, false));
    out.EndObject();
    uint32_t crc = Crc32(body);
    benchmark::DoNotOptimize(crc);
    benchmark::DoNotOptimize(body);
    body_bytes = body.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body_bytes));
  state.counters["body_bytes"] = static_cast<double>(body_bytes);
}
BENCHMARK(BM_WriteGetItemResponse);

void BM_Crc32ResponseBody(benchmark::State& state) {
  std::string body;
  JsonWriter out(body);
  out.BeginObject();
  api::WriteItemMember(out, "Item", SampleItem(AttributeType::kS));
  out.EndObject();
  for (auto _ : state) {
    uint32_t crc = Crc32(body);
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Crc32ResponseBody);

}  // namespace
}  // namespace dunlin::bench::micro
