// Entry point of dunlin-micro; the benchmarks register themselves in the *_bench.cc files.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
