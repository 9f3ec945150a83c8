// LatencyHistogram: bucket arithmetic, and percentiles of known distributions within the
// promised relative precision.
#include "bench/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace dunlin::bench {
namespace {

// Every reported value is within 1/128 of a recorded one.
constexpr double kRelativePrecision = 1.0 / 128;

// The nearest-rank percentile of sorted `values`.
int64_t ExactPercentile(const std::vector<int64_t>& sorted, double percentile) {
  const auto rank = static_cast<size_t>(std::ceil(percentile / 100.0 * sorted.size() - 1e-9));
  return sorted[std::max<size_t>(rank, 1) - 1];
}

void ExpectClose(int64_t actual, int64_t expected, const char* what) {
  const double tolerance = std::max(1.0, expected * kRelativePrecision);
  EXPECT_NEAR(static_cast<double>(actual), static_cast<double>(expected), tolerance) << what;
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  for (int64_t v = 0; v < 256; ++v) {
    EXPECT_EQ(LatencyHistogram::BucketIndex(v), v);
    EXPECT_EQ(LatencyHistogram::BucketLowest(static_cast<int>(v)), v);
    EXPECT_EQ(LatencyHistogram::BucketHighest(static_cast<int>(v)), v);
  }
}

TEST(LatencyHistogramTest, BucketsTileTheRangeWithoutGapsOrOverlaps) {
  int64_t expected_lowest = 0;
  for (int i = 0; i < LatencyHistogram::BucketCount(); ++i) {
    const int64_t lowest = LatencyHistogram::BucketLowest(i);
    const int64_t highest = LatencyHistogram::BucketHighest(i);
    ASSERT_EQ(lowest, expected_lowest) << "bucket " << i;
    ASSERT_LE(lowest, highest);
    ASSERT_EQ(LatencyHistogram::BucketIndex(lowest), i);
    ASSERT_EQ(LatencyHistogram::BucketIndex(highest), i);
    // A bucket is at most 1/128 of its lowest value wide (above the exact region).
    ASSERT_LE(static_cast<double>(highest - lowest + 1), std::max(1.0, lowest / 128.0));
    expected_lowest = highest + 1;
  }
  EXPECT_EQ(expected_lowest, int64_t{1} << LatencyHistogram::kMaxValueBits);
}

TEST(LatencyHistogramTest, ValuesBeyondTheRangeLandInTheLastBucketButMaxStaysExact) {
  LatencyHistogram histogram;
  const int64_t huge = int64_t{1} << 40;
  histogram.Record(huge);
  EXPECT_EQ(LatencyHistogram::BucketIndex(huge), LatencyHistogram::BucketCount() - 1);
  EXPECT_EQ(histogram.max(), huge);
  EXPECT_EQ(histogram.min(), huge);
  EXPECT_EQ(histogram.ValueAtPercentile(50), huge);
}

TEST(LatencyHistogramTest, EmptyHistogramReportsZeros) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0);
  EXPECT_EQ(histogram.min(), 0);
  EXPECT_EQ(histogram.max(), 0);
  EXPECT_EQ(histogram.Mean(), 0.0);
  EXPECT_EQ(histogram.ValueAtPercentile(99), 0);
}

TEST(LatencyHistogramTest, NearestRankOnFourSamples) {
  LatencyHistogram histogram;
  for (int64_t v : {1, 2, 3, 4}) histogram.Record(v);
  EXPECT_EQ(histogram.ValueAtPercentile(0), 1);
  EXPECT_EQ(histogram.ValueAtPercentile(25), 1);
  EXPECT_EQ(histogram.ValueAtPercentile(50), 2);
  EXPECT_EQ(histogram.ValueAtPercentile(50.1), 3);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 4);
  EXPECT_EQ(histogram.ValueAtPercentile(250), 4);  // clamped
  EXPECT_DOUBLE_EQ(histogram.Mean(), 2.5);
}

TEST(LatencyHistogramTest, UniformMicrosecondsToOneSecond) {
  // Every microsecond from 1 us to 1 s, in nanoseconds: percentile p is p% of a second.
  LatencyHistogram histogram;
  for (int64_t us = 1; us <= 1000000; ++us) histogram.Record(us * 1000);
  EXPECT_EQ(histogram.count(), 1000000);
  EXPECT_EQ(histogram.min(), 1000);
  EXPECT_EQ(histogram.max(), 1000000000);
  ExpectClose(histogram.ValueAtPercentile(50), 500000000, "p50");
  ExpectClose(histogram.ValueAtPercentile(90), 900000000, "p90");
  ExpectClose(histogram.ValueAtPercentile(99), 990000000, "p99");
  ExpectClose(histogram.ValueAtPercentile(99.9), 999000000, "p99.9");
  EXPECT_NEAR(histogram.Mean(), 500000500.0, 1.0);
}

TEST(LatencyHistogramTest, ReportsTheHighestValueOfTheBucketButNeverAboveMax) {
  LatencyHistogram histogram;
  histogram.Record(1000);                            // bucket [1000, 1003]
  EXPECT_EQ(histogram.ValueAtPercentile(50), 1000);  // clamped to max
  histogram.Record(5000);
  EXPECT_EQ(histogram.ValueAtPercentile(50),
            LatencyHistogram::BucketHighest(LatencyHistogram::BucketIndex(1000)));
  EXPECT_EQ(histogram.ValueAtPercentile(100), 5000);
}

TEST(LatencyHistogramTest, LogNormalMatchesExactPercentiles) {
  // A latency-like distribution: median about 200 us with a long tail.
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> distribution(std::log(200000.0), 0.8);
  LatencyHistogram histogram;
  std::vector<int64_t> values;
  for (int i = 0; i < 200000; ++i) {
    const auto v = static_cast<int64_t>(distribution(random));
    values.push_back(v);
    histogram.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99}) {
    const int64_t expected = ExactPercentile(values, p);
    const int64_t actual = histogram.ValueAtPercentile(p);
    // Same bucket as the exact answer, and the bucket's top is within the precision.
    EXPECT_EQ(LatencyHistogram::BucketIndex(actual), LatencyHistogram::BucketIndex(expected))
        << "p" << p;
    ExpectClose(actual, expected, "lognormal");
  }
  EXPECT_EQ(histogram.max(), values.back());
  EXPECT_EQ(histogram.min(), values.front());
}

TEST(LatencyHistogramTest, BimodalTailIsVisibleAtP99) {
  // 98% fast answers at 100 us, 2% slow ones at 50 ms: p90 is fast, p99 is slow.
  LatencyHistogram histogram;
  histogram.RecordMany(100000, 9800);
  histogram.RecordMany(50000000, 200);
  ExpectClose(histogram.ValueAtPercentile(90), 100000, "p90");
  ExpectClose(histogram.ValueAtPercentile(98), 100000, "p98");
  ExpectClose(histogram.ValueAtPercentile(99), 50000000, "p99");
  EXPECT_EQ(histogram.max(), 50000000);
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 random(7);
  std::exponential_distribution<double> distribution(1.0 / 300000);
  LatencyHistogram a, b, all;
  for (int i = 0; i < 50000; ++i) {
    const auto v = static_cast<int64_t>(distribution(random));
    (i % 3 == 0 ? a : b).Record(v);
    all.Record(v);
  }
  LatencyHistogram merged;
  merged.Merge(a);
  merged.Merge(b);
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  EXPECT_NEAR(merged.Mean(), all.Mean(), 1e-6 * all.Mean());
  for (double p : {50.0, 90.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(merged.ValueAtPercentile(p), all.ValueAtPercentile(p)) << "p" << p;
  }
  merged.Clear();
  EXPECT_EQ(merged.count(), 0);
  EXPECT_EQ(merged.ValueAtPercentile(50), 0);
}

TEST(LatencyHistogramTest, NegativeSamplesCountAsZero) {
  LatencyHistogram histogram;
  histogram.Record(-5);
  EXPECT_EQ(histogram.count(), 1);
  EXPECT_EQ(histogram.max(), 0);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 0);
}

}  // namespace
}  // namespace dunlin::bench
