// Expressions on the write path (src/expressions).
//
// Parse and resolve: ConditionExpression "attribute_exists(pk) AND #c < :max" and
// UpdateExpression "SET #c = #c + :one" with their ExpressionAttributeNames/Values, through an
// ExpressionCache that already holds the parse (the steady state of a server whose clients
// repeat their expressions: a copy of the cached AST, then resolution), and, for comparison,
// the uncached lex + parse + resolve of resolve.h.
//
// Evaluation: the resolved condition evaluated on the sample item (evaluate.h), and the
// resolved update applied to it (update.h), which builds the new item as UpdateItem does.
#include <benchmark/benchmark.h>

#include "bench/micro/sample_data.h"
#include "expressions/evaluate.h"
#include "expressions/expression_cache.h"
#include "expressions/resolve.h"
#include "expressions/update.h"
#include "model/number.h"

namespace dunlin::bench::micro {
namespace {

using expressions::ExpressionAttributes;
using expressions::ExpressionKind;

constexpr std::string_view kCondition = "attribute_exists(pk) AND #c < :max";
constexpr std::string_view kUpdate = "SET #c = #c + :one";

// ExpressionAttributeNames and ExpressionAttributeValues of both expressions.
struct Placeholders {
  expressions::NameMap names{{"#c", "c"}};
  model::AttributeMap condition_values{
      {":max", model::AttributeValue::Num(model::Number::FromInt64(100))}};
  model::AttributeMap update_values{
      {":one", model::AttributeValue::Num(model::Number::FromInt64(1))}};
};

void BM_ParseConditionCached(benchmark::State& state) {
  const Placeholders placeholders;
  expressions::ExpressionCache cache;
  {
    ExpressionAttributes attributes(&placeholders.names, &placeholders.condition_values);
    if (!cache.ParseCondition(kCondition, ExpressionKind::kCondition, attributes).ok()) {
      state.SkipWithError("the sample condition does not parse");
      return;
    }
  }
  for (auto _ : state) {
    ExpressionAttributes attributes(&placeholders.names, &placeholders.condition_values);
    auto condition = cache.ParseCondition(kCondition, ExpressionKind::kCondition, attributes);
    benchmark::DoNotOptimize(condition);
  }
}
BENCHMARK(BM_ParseConditionCached);

void BM_ParseConditionUncached(benchmark::State& state) {
  const Placeholders placeholders;
  for (auto _ : state) {
    ExpressionAttributes attributes(&placeholders.names, &placeholders.condition_values);
    auto condition =
        expressions::ParseCondition(kCondition, ExpressionKind::kCondition, attributes);
    benchmark::DoNotOptimize(condition);
  }
}
BENCHMARK(BM_ParseConditionUncached);

void BM_EvaluateCondition(benchmark::State& state) {
  const Placeholders placeholders;
  const model::Item item = SampleItem(model::AttributeType::kS);
  ExpressionAttributes attributes(&placeholders.names, &placeholders.condition_values);
  auto condition = expressions::ParseCondition(kCondition, ExpressionKind::kCondition, attributes);
  if (!condition.ok() || !expressions::EvaluateCondition(*condition, &item)) {
    state.SkipWithError("the sample condition does not hold on the sample item");
    return;
  }
  for (auto _ : state) {
    bool holds = expressions::EvaluateCondition(*condition, &item);
    benchmark::DoNotOptimize(holds);
  }
}
BENCHMARK(BM_EvaluateCondition);

void BM_ParseUpdateCached(benchmark::State& state) {
  const Placeholders placeholders;
  expressions::ExpressionCache cache;
  {
    ExpressionAttributes attributes(&placeholders.names, &placeholders.update_values);
    if (!cache.ParseUpdate(kUpdate, attributes).ok()) {
      state.SkipWithError("the sample update does not parse");
      return;
    }
  }
  for (auto _ : state) {
    ExpressionAttributes attributes(&placeholders.names, &placeholders.update_values);
    auto update = cache.ParseUpdate(kUpdate, attributes);
    benchmark::DoNotOptimize(update);
  }
}
BENCHMARK(BM_ParseUpdateCached);

void BM_ApplyUpdate(benchmark::State& state) {
  const Placeholders placeholders;
  const model::Item item = SampleItem(model::AttributeType::kS);
  ExpressionAttributes attributes(&placeholders.names, &placeholders.update_values);
  auto update = expressions::ParseUpdate(kUpdate, attributes);
  if (!update.ok() || !expressions::ApplyUpdate(*update, &item).ok()) {
    state.SkipWithError("the sample update does not apply to the sample item");
    return;
  }
  for (auto _ : state) {
    auto result = expressions::ApplyUpdate(*update, &item);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_ApplyUpdate);

}  // namespace
}  // namespace dunlin::bench::micro
