// Pacer: the send schedule of one connection in dunlin-bench's open-loop mode (--rate), and the
// timing of a paced request. Pure: it never reads the clock, so tests drive it with made-up times.
//
// Semantics of --rate R (requests per second in all) over N connections:
//  1. The run has one global schedule of evenly spaced send times, start + k / R for
//     k = 0, 1, 2, ... from the start of the run (warm-up included). Connection c of N takes
//     every N-th of them, k = c + j * N: its own requests are N / R apart, and together the
//     connections interleave into the even global stream. Threads own whole connections, so each
//     thread offers R times its share of the connections. The schedule is fixed up front: a late
//     send shifts nothing after it.
//  2. A request is due at its scheduled time. A connection sends a due request at once when one
//     of its slots (its share of --in-flight) is free, pipelining it behind the outstanding ones.
//     When every slot is busy, due requests wait, in schedule order, and each goes out the moment
//     a slot frees. None is dropped or skipped: after a stall the backlog is sent back to back
//     (catch-up) until the connection is on schedule again.
//  3. Latency is measured from the scheduled send time to the end of the answer, not from the
//     actual send, so time spent waiting for a busy connection or a late timer counts. That
//     avoids coordinated omission: a server that stalls cannot hide the requests a real client
//     would have sent meanwhile. The lag from the scheduled time to the actual send is reported
//     apart, to tell a server that falls behind from a load generator that does.
//  4. Issuing stops at the end of the run; requests due by then but never sent (the backlog of a
//     server or client that could not keep up) are counted and reported as "unsent".
//
// Thread-safety: none; each connection owns its Pacer and uses it on its event-loop thread.
#pragma once

#include <chrono>
#include <cstdint>

namespace dunlin::bench {

// The largest --rate: schedule times are kept in whole nanoseconds.
inline constexpr double kMaxRatePerSecond = 1e9;

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;

  // The schedule of connection `connection` of `connections` sharing `rate_per_second` from
  // `start` on (rule 1 above).
  // REQUIRES: 0 < rate_per_second <= kMaxRatePerSecond, connections >= 1,
  // 0 <= connection < connections.
  Pacer(Clock::time_point start, double rate_per_second, int connections, int connection);

  // The scheduled send time of this connection's request number `n` (0-based): start +
  // (connection + n * connections) / rate, rounded to the nanosecond.
  Clock::time_point ScheduledTime(int64_t n) const;
  // The scheduled time of the next request not taken yet.
  Clock::time_point Due() const { return ScheduledTime(taken_); }
  // Whether that request is due at `now`.
  bool IsDue(Clock::time_point now) const { return Due() <= now; }
  // Takes the next request for sending, however late, and returns its scheduled time.
  Clock::time_point Take() { return ScheduledTime(taken_++); }
  // Requests scheduled strictly before `time` and not taken yet: with `time` = now just past the
  // moment, the backlog a busy connection has built up.
  int64_t Overdue(Clock::time_point time) const;

  int64_t taken() const { return taken_; }
  // This connection's spacing, connections / rate, rounded to the nanosecond.
  Clock::duration interval() const;

 private:
  Clock::time_point start_;
  double nanos_per_request_;  // of the global stream: 1e9 / rate
  int64_t connections_;
  int64_t connection_;
  int64_t taken_ = 0;
};

// When one request was meant to go, and when it went. In a closed loop both are the send time.
struct RequestTiming {
  Pacer::Clock::time_point scheduled;
  Pacer::Clock::time_point sent;

  // The latency a report records for an answer read at `answered`: from the scheduled time
  // (rule 3 above). Never negative.
  int64_t LatencyNanos(Pacer::Clock::time_point answered) const;
  // How late the request was handed to its connection. Never negative.
  int64_t SendLagNanos() const;
};

}  // namespace dunlin::bench
