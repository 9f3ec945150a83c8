// Storage encodings on every item read and write (storage/key_encoding.h, storage/item_codec.h).
//
// Keys: the storage key of the sample item's primary key, for a table with an S partition key
// and an S sort key, and for one with an N sort key (numbers take the digit-pair encoding), and
// the decoding of such a key back into typed values (as Scan and Query do for LastEvaluatedKey).
//
// Items: the binary encoding of the whole sample item, as every write stores it, and its
// decoding, as every read (and every write, for the old item) pays. Bytes processed are
// encoded item bytes.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/micro/sample_data.h"
#include "storage/item_codec.h"
#include "storage/key_encoding.h"

namespace dunlin::bench::micro {
namespace {

using model::AttributeType;

model::PrimaryKey KeyOf(const model::Item& item) { return {&item.at("pk"), &item.at("sk")}; }

void BM_EncodeStorageKey(benchmark::State& state, AttributeType sort_type) {
  const model::TableMetadata table = SampleTable(sort_type);
  const model::Item item = SampleItem(sort_type);
  const model::PrimaryKey key = KeyOf(item);
  for (auto _ : state) {
    auto encoded = storage::EncodeStorageKey(table, key);
    benchmark::DoNotOptimize(encoded);
  }
}
BENCHMARK_CAPTURE(BM_EncodeStorageKey, s_sort, AttributeType::kS);
BENCHMARK_CAPTURE(BM_EncodeStorageKey, n_sort, AttributeType::kN);

void BM_DecodeStorageKey(benchmark::State& state, AttributeType sort_type) {
  const model::TableMetadata table = SampleTable(sort_type);
  const model::Item item = SampleItem(sort_type);
  auto encoded = storage::EncodeStorageKey(table, KeyOf(item));
  if (!encoded.ok() || !storage::DecodeStorageKey(*encoded, table.key_schema).ok()) {
    state.SkipWithError("the sample key does not encode and decode");
    return;
  }
  for (auto _ : state) {
    auto decoded = storage::DecodeStorageKey(*encoded, table.key_schema);
    benchmark::DoNotOptimize(decoded);
  }
}
BENCHMARK_CAPTURE(BM_DecodeStorageKey, s_sort, AttributeType::kS);
BENCHMARK_CAPTURE(BM_DecodeStorageKey, n_sort, AttributeType::kN);

void BM_EncodeItem(benchmark::State& state) {
  const model::Item item = SampleItem(AttributeType::kS);
  size_t encoded_bytes = 0;
  for (auto _ : state) {
    std::string encoded = storage::EncodeItem(item);
    encoded_bytes = encoded.size();
    benchmark::DoNotOptimize(encoded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * encoded_bytes));
  state.counters["encoded_bytes"] = static_cast<double>(encoded_bytes);
}
BENCHMARK(BM_EncodeItem);

void BM_DecodeItem(benchmark::State& state) {
  const std::string encoded = storage::EncodeItem(SampleItem(AttributeType::kS));
  if (!storage::DecodeItem(encoded).ok()) {
    state.SkipWithError("the sample item does not decode");
    return;
  }
  for (auto _ : state) {
    auto item = storage::DecodeItem(encoded);
    benchmark::DoNotOptimize(item);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * encoded.size()));
}
BENCHMARK(BM_DecodeItem);

}  // namespace
}  // namespace dunlin::bench::micro
