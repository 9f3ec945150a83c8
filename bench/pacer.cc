#include "bench/pacer.h"

#include <algorithm>
#include <cmath>

namespace dunlin::bench {
namespace {

constexpr double kNanosPerSecond = 1e9;

int64_t NonNegativeNanos(Pacer::Clock::duration duration) {
  return std::max<int64_t>(0,
                           std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count());
}

}  // namespace

Pacer::Pacer(Clock::time_point start, double rate_per_second, int connections, int connection)
    : start_(start),
      nanos_per_request_(kNanosPerSecond / rate_per_second),
      connections_(connections),
      connection_(connection) {}

Pacer::Clock::time_point Pacer::ScheduledTime(int64_t n) const {
  // Computed from the start each time rather than by adding intervals, so rounding never
  // accumulates: request n is within half a nanosecond of its exact time however long the run.
  const double offset = static_cast<double>(connection_ + n * connections_) * nanos_per_request_;
  return start_ + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::nanoseconds(std::llround(offset)));
}

int64_t Pacer::Overdue(Clock::time_point time) const {
  if (time <= start_) return 0;
  // Estimate how many of this connection's requests fall before `time`, then settle the
  // boundary with ScheduledTime itself so that the count agrees with the rounding there.
  const double elapsed = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time - start_).count());
  const double global = elapsed / nanos_per_request_;
  int64_t count = std::max<int64_t>(
      0, static_cast<int64_t>(std::ceil((global - static_cast<double>(connection_)) /
                                        static_cast<double>(connections_))));
  while (count > 0 && ScheduledTime(count - 1) >= time) --count;
  while (ScheduledTime(count) < time) ++count;
  return std::max<int64_t>(0, count - taken_);
}

Pacer::Clock::duration Pacer::interval() const {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(
      std::llround(nanos_per_request_ * static_cast<double>(connections_))));
}

int64_t RequestTiming::LatencyNanos(Pacer::Clock::time_point answered) const {
  return NonNegativeNanos(answered - scheduled);
}

int64_t RequestTiming::SendLagNanos() const { return NonNegativeNanos(sent - scheduled); }

}  // namespace dunlin::bench
