// Pacer and RequestTiming: the open-loop schedule (spacing, the split over connections, no drift),
// the backlog, latency from the scheduled time, and catch-up after a stall, on made-up times.
#include "bench/pacer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace dunlin::bench {
namespace {

using Clock = Pacer::Clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// An arbitrary start, far from the clock's epoch.
const Clock::time_point kStart = Clock::time_point{} + seconds(1000);

int64_t NanosSinceStart(Clock::time_point time) {
  return std::chrono::duration_cast<nanoseconds>(time - kStart).count();
}

TEST(PacerTest, OneConnectionSendsEvenlySpacedFromTheStart) {
  Pacer pacer(kStart, 1000, 1, 0);
  EXPECT_EQ(pacer.interval(), milliseconds(1));
  for (int64_t n = 0; n < 5; ++n) {
    EXPECT_EQ(pacer.Due(), kStart + milliseconds(n));
    EXPECT_EQ(pacer.Take(), kStart + milliseconds(n));
  }
  EXPECT_EQ(pacer.taken(), 5);
}

TEST(PacerTest, ConnectionsSplitTheRateAndInterleaveIntoOneEvenStream) {
  constexpr int kConnections = 4;
  std::vector<Pacer> pacers;
  for (int c = 0; c < kConnections; ++c) pacers.emplace_back(kStart, 1000, kConnections, c);
  std::vector<int64_t> all;
  for (int c = 0; c < kConnections; ++c) {
    // Each connection offers a quarter of the rate: one request every 4 ms, offset by c ms.
    EXPECT_EQ(pacers[c].interval(), milliseconds(4));
    EXPECT_EQ(pacers[c].Due(), kStart + milliseconds(c));
    for (int n = 0; n < 25; ++n) all.push_back(NanosSinceStart(pacers[c].Take()));
  }
  // Together: exactly one request per millisecond, none twice.
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 100u);
  for (int64_t k = 0; k < 100; ++k) EXPECT_EQ(all[k], k * 1000000) << k;
}

TEST(PacerTest, AnUnevenSplitStillCoversEveryGlobalSlotOnce) {
  // 3 connections at 7 requests per second: global slot k = c + 3 n at k / 7 s.
  std::vector<int64_t> all;
  for (int c = 0; c < 3; ++c) {
    Pacer pacer(kStart, 7, 3, c);
    for (int n = 0; n < 7; ++n) all.push_back(NanosSinceStart(pacer.Take()));
  }
  std::sort(all.begin(), all.end());
  for (int64_t k = 0; k < 21; ++k) {
    EXPECT_NEAR(static_cast<double>(all[k]), k * 1e9 / 7, 0.5) << k;
  }
}

TEST(PacerTest, SpacingThatIsNotWholeNanosecondsDoesNotDrift) {
  // 3 per second: 333333333.3 ns apart. Request 3,000,000 is exactly 1,000,000 s in.
  Pacer pacer(kStart, 3, 1, 0);
  EXPECT_EQ(pacer.ScheduledTime(3000000), kStart + seconds(1000000));
  EXPECT_EQ(pacer.ScheduledTime(1), kStart + nanoseconds(333333333));
  EXPECT_EQ(pacer.ScheduledTime(2), kStart + nanoseconds(666666667));
}

TEST(PacerTest, TakingLateShiftsNothingAfter) {
  Pacer pacer(kStart, 100, 1, 0);  // every 10 ms
  // Whenever they are taken, requests keep their own scheduled times.
  EXPECT_EQ(pacer.Take(), kStart);
  EXPECT_EQ(pacer.Take(), kStart + milliseconds(10));
  EXPECT_EQ(pacer.Due(), kStart + milliseconds(20));
  EXPECT_TRUE(pacer.IsDue(kStart + milliseconds(20)));
  EXPECT_FALSE(pacer.IsDue(kStart + milliseconds(19)));
}

TEST(PacerTest, OverdueCountsRequestsScheduledStrictlyBeforeAndNotTaken) {
  Pacer pacer(kStart, 1000, 1, 0);
  EXPECT_EQ(pacer.Overdue(kStart - milliseconds(5)), 0);
  EXPECT_EQ(pacer.Overdue(kStart), 0);
  EXPECT_EQ(pacer.Overdue(kStart + nanoseconds(1)), 1);
  EXPECT_EQ(pacer.Overdue(kStart + milliseconds(5)), 5);  // 0..4 ms; 5 ms is not before
  EXPECT_EQ(pacer.Overdue(kStart + milliseconds(5) + nanoseconds(1)), 6);
  EXPECT_EQ(pacer.Overdue(kStart + microseconds(10500)), 11);
  for (int i = 0; i < 3; ++i) pacer.Take();
  EXPECT_EQ(pacer.Overdue(kStart + microseconds(10500)), 8);
  // Taking ahead of time leaves nothing overdue.
  for (int i = 0; i < 20; ++i) pacer.Take();
  EXPECT_EQ(pacer.Overdue(kStart + microseconds(10500)), 0);
}

TEST(PacerTest, OverdueFollowsTheConnectionsOwnSlots) {
  Pacer pacer(kStart, 1000, 4, 3);  // 3, 7, 11, ... ms
  EXPECT_EQ(pacer.Overdue(kStart + milliseconds(3)), 0);
  EXPECT_EQ(pacer.Overdue(kStart + milliseconds(8)), 2);
  EXPECT_EQ(pacer.Overdue(kStart + milliseconds(11)), 2);
  EXPECT_EQ(pacer.Overdue(kStart + milliseconds(12)), 3);
  // A count far into the run agrees with the schedule at its boundary.
  Pacer uneven(kStart, 7, 3, 2);
  const Clock::time_point late = uneven.ScheduledTime(123456);
  EXPECT_EQ(uneven.Overdue(late), 123456);
  EXPECT_EQ(uneven.Overdue(late + nanoseconds(1)), 123457);
}

TEST(RequestTimingTest, LatencyCountsFromTheScheduledTimeWhenSentLate) {
  // Due at 1 ms, sent at 6 ms behind a busy connection, answered at 7 ms: the latency is 6 ms,
  // not the 1 ms the send alone took, and the 5 ms lag is reported apart.
  const RequestTiming late{kStart + milliseconds(1), kStart + milliseconds(6)};
  EXPECT_EQ(late.LatencyNanos(kStart + milliseconds(7)), 6000000);
  EXPECT_EQ(late.SendLagNanos(), 5000000);
  // Sent on time, the two measures agree.
  const RequestTiming on_time{kStart + milliseconds(1), kStart + milliseconds(1)};
  EXPECT_EQ(on_time.LatencyNanos(kStart + milliseconds(2)), 1000000);
  EXPECT_EQ(on_time.SendLagNanos(), 0);
  // Neither is ever negative (a closed loop sets both times to the send).
  const RequestTiming early{kStart + milliseconds(3), kStart + milliseconds(2)};
  EXPECT_EQ(early.SendLagNanos(), 0);
  EXPECT_EQ(early.LatencyNanos(kStart + milliseconds(2)), 0);
}

// A connection with one slot against a server that answers in 0.5 ms, except for the request
// scheduled at 5 ms, which takes 10 ms. The connection follows the runner's rule: whenever its
// slot is free, it sends the next request if it is due, else waits until it is.
struct Sent {
  int64_t scheduled_ns;
  int64_t sent_ns;
  int64_t answered_ns;
};

std::vector<Sent> SimulateStall(Clock::time_point end) {
  constexpr int64_t kServiceNs = 500000;
  constexpr int64_t kStallNs = 10000000;
  Pacer pacer(kStart, 1000, 1, 0);
  std::vector<Sent> sent;
  Clock::time_point now = kStart;
  while (true) {
    const Clock::time_point due = pacer.Due();
    if (due >= end) break;
    if (!pacer.IsDue(now)) now = due;  // the slot is free: wait for the schedule
    const Clock::time_point scheduled = pacer.Take();
    const int64_t service = scheduled == kStart + milliseconds(5) ? kStallNs : kServiceNs;
    const Clock::time_point answered = now + nanoseconds(service);
    sent.push_back({NanosSinceStart(scheduled), NanosSinceStart(now), NanosSinceStart(answered)});
    now = answered;  // the slot is busy until the answer
  }
  return sent;
}

TEST(PacerTest, AfterAStallTheBacklogIsSentBackToBackUntilOnScheduleAgain) {
  const std::vector<Sent> sent = SimulateStall(kStart + milliseconds(40));
  // Nothing skipped: every request scheduled before the end went out, in schedule order.
  ASSERT_EQ(sent.size(), 40u);
  for (size_t k = 0; k < sent.size(); ++k) {
    EXPECT_EQ(sent[k].scheduled_ns, static_cast<int64_t>(k) * 1000000) << k;
  }
  // Before the stall: on time, 0.5 ms each.
  for (int k = 0; k <= 5; ++k) EXPECT_EQ(sent[k].sent_ns, sent[k].scheduled_ns) << k;
  // Requests 6..15 fell due during the stall (it ends at 15 ms). From 15 ms on the backlog
  // goes out back to back, each request as soon as the previous answer is in, gaining 0.5 ms per
  // request on the 1 ms schedule, until request 24 is on time again.
  for (int k = 6; k < 24; ++k) {
    EXPECT_EQ(sent[k].sent_ns, sent[k - 1].answered_ns) << k;
    EXPECT_GT(sent[k].sent_ns, sent[k].scheduled_ns) << k;
  }
  for (size_t k = 24; k < sent.size(); ++k) {
    EXPECT_EQ(sent[k].sent_ns, sent[k].scheduled_ns) << k;
  }
  // Latency from the scheduled time shows what the stall cost the requests behind it: request 6,
  // due at 6 ms and answered at 15.5 ms, waited 9.5 ms, where timing from its send would show
  // 0.5 ms (coordinated omission).
  const RequestTiming sixth{kStart + nanoseconds(sent[6].scheduled_ns),
                            kStart + nanoseconds(sent[6].sent_ns)};
  EXPECT_EQ(sixth.LatencyNanos(kStart + nanoseconds(sent[6].answered_ns)), 9500000);
  EXPECT_EQ(sixth.SendLagNanos(), 9000000);
  EXPECT_EQ(sent[6].answered_ns - sent[6].sent_ns, 500000);
}

TEST(PacerTest, ABacklogStillQueuedAtTheEndIsOverdue) {
  // The run ends at 10 ms, while the stalled request (5..15 ms) is outstanding: requests 6..9
  // are due and were never sent.
  Pacer pacer(kStart, 1000, 1, 0);
  for (int k = 0; k <= 5; ++k) pacer.Take();
  EXPECT_EQ(pacer.Overdue(kStart + milliseconds(10)), 4);
}

}  // namespace
}  // namespace dunlin::bench
