#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace dunlin::bench {
namespace {

// Values below this have a bucket each.
constexpr int64_t kExactLimit = 2 * LatencyHistogram::kBucketsPerRange;
constexpr int64_t kLargestTracked = (int64_t{1} << LatencyHistogram::kMaxValueBits) - 1;

}  // namespace

int LatencyHistogram::BucketCount() {
  // The exact region is two ranges' worth of buckets; then one range per remaining bit.
  return static_cast<int>(kBucketsPerRange * (kMaxValueBits - kBucketsPerRangeBits + 1));
}

int LatencyHistogram::BucketIndex(int64_t value) {
  if (value < kExactLimit) return static_cast<int>(std::max<int64_t>(value, 0));
  value = std::min(value, kLargestTracked);
  // value lies in [2^top_bit, 2^(top_bit+1)); keep its kBucketsPerRangeBits + 1 leading bits.
  const int top_bit = 63 - std::countl_zero(static_cast<uint64_t>(value));
  const int shift = top_bit - kBucketsPerRangeBits;
  const int64_t leading = value >> shift;  // in [kBucketsPerRange, 2 * kBucketsPerRange)
  return static_cast<int>(shift * kBucketsPerRange + leading);
}

int64_t LatencyHistogram::BucketLowest(int index) {
  if (index < kExactLimit) return index;
  const int shift = static_cast<int>(index / kBucketsPerRange) - 1;
  const int64_t leading = index - shift * kBucketsPerRange;
  return leading << shift;
}

int64_t LatencyHistogram::BucketHighest(int index) {
  if (index < kExactLimit) return index;
  const int shift = static_cast<int>(index / kBucketsPerRange) - 1;
  return BucketLowest(index) + (int64_t{1} << shift) - 1;
}

LatencyHistogram::LatencyHistogram() : counts_(BucketCount(), 0) {}

void LatencyHistogram::Record(int64_t value) { RecordMany(value, 1); }

void LatencyHistogram::RecordMany(int64_t value, int64_t count) {
  if (count <= 0) return;
  value = std::max<int64_t>(value, 0);
  counts_[BucketIndex(value)] += count;
  if (count_ == 0 || value < min_) min_ = value;
  max_ = std::max(max_, value);
  count_ += count;
  sum_ += static_cast<double>(value) * static_cast<double>(count);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  if (count_ == 0 || other.min_ < min_) min_ = other.min_;
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

void LatencyHistogram::Clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = 0;
  max_ = 0;
  sum_ = 0;
}

double LatencyHistogram::Mean() const {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

int64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  percentile = std::clamp(percentile, 0.0, 100.0);
  if (percentile == 0.0) return min();
  // Nearest rank, 1-based. The small epsilon keeps 99.9% of 1000 at rank 999 despite rounding.
  int64_t rank = static_cast<int64_t>(std::ceil(percentile / 100.0 * count_ - 1e-9));
  rank = std::clamp<int64_t>(rank, 1, count_);
  int64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return std::clamp(BucketHighest(static_cast<int>(i)), min_, max_);
    }
  }
  return max_;
}

}  // namespace dunlin::bench
