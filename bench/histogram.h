// LatencyHistogram: a log-linear histogram of non-negative integer samples (nanoseconds in the
// load generator), in the manner of HdrHistogram.
//
// How it works: values below 2 * kBucketsPerRange (256) have a bucket each, so they are exact.
// Above that, every power-of-two range [2^m, 2^(m+1)) is cut into kBucketsPerRange (128) equal
// buckets, so a bucket is never wider than 1/128 of the values it holds: a reported value is
// within 0.8% of a recorded one. With nanosecond samples that is better than 1 us resolution up
// to 128 us and 1% precision beyond. Ranges go up to 2^kMaxValueBits (about 68.7 s in ns); larger
// samples land in the last bucket, while min() and max() stay exact. That makes 3840 buckets
// (30 KiB): recording is a few shifts and an increment, merging per-thread histograms a loop.
//
// Thread-safety: none; give each thread its own histogram and Merge() them afterwards.
#pragma once

#include <cstdint>
#include <vector>

namespace dunlin::bench {

class LatencyHistogram {
 public:
  // log2 of the number of buckets per power-of-two range: 128 buckets, at most 1/128 wide.
  static constexpr int kBucketsPerRangeBits = 7;
  static constexpr int64_t kBucketsPerRange = int64_t{1} << kBucketsPerRangeBits;
  // Samples at or above 2^kMaxValueBits are counted in the last bucket.
  static constexpr int kMaxValueBits = 36;

  LatencyHistogram();

  // Counts one sample. Negative values count as 0.
  void Record(int64_t value);
  // Counts `count` samples of `value` (count >= 0).
  void RecordMany(int64_t value, int64_t count);
  // Adds every sample of `other` to this histogram.
  void Merge(const LatencyHistogram& other);
  // Forgets every sample.
  void Clear();

  int64_t count() const { return count_; }
  // Exact smallest and largest samples; 0 when empty.
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return max_; }
  // Exact arithmetic mean of the samples; 0 when empty.
  double Mean() const;

  // The sample at rank ceil(percentile / 100 * count()) (the nearest-rank definition, so
  // percentile 50 of {1, 2, 3, 4} is 2 and percentile 100 is the largest sample), reported as the
  // highest value its bucket holds but never above max(). Percentile is clamped to [0, 100];
  // 0 gives min(). Returns 0 when empty.
  int64_t ValueAtPercentile(double percentile) const;

  // Bucket arithmetic, exposed for tests: the bucket a value falls into, and the lowest and
  // highest values that bucket holds.
  static int BucketIndex(int64_t value);
  static int64_t BucketLowest(int index);
  static int64_t BucketHighest(int index);
  static int BucketCount();

 private:
  std::vector<int64_t> counts_;
  int64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  // For Mean(); a double cannot overflow where an int64_t of nanoseconds could.
  double sum_ = 0;
};

}  // namespace dunlin::bench
