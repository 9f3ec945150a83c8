// RunWorkload and CallOnce: the only part of dunlin-bench that includes Boost.Beast and Asio.
#include "bench/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "bench/pacer.h"
#include "http/sigv4.h"

namespace dunlin::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

// A Scan page of 1 MB is DynamoDB's largest answer; leave room for anything a server adds.
constexpr uint64_t kMaxResponseBytes = 64ull * 1024 * 1024;
constexpr auto kTickInterval = std::chrono::milliseconds(10);
constexpr auto kReconnectDelay = std::chrono::milliseconds(20);

bool IsSuccess(int status) { return status >= 200 && status < 300; }

// When the run measures, and when it stops issuing. Read-only once the threads start.
struct Schedule {
  Clock::time_point start;  // the open loop's schedules count from here
  Clock::time_point measure_start;
  Clock::time_point end;  // Clock::time_point::max() when not timed
  int64_t requests = 0;   // the request budget of the window; 0 when timed
  bool by_requests() const { return requests > 0; }
};

class ThreadRun;

// One keep-alive connection and the slots it carries. In a closed loop a slot sends again as soon
// as it is answered; in an open loop (a `pacer`) free slots wait in idle_ for the next due time.
class Connection {
 public:
  Connection(ThreadRun& run, std::vector<Slot*> slots, std::optional<Pacer> pacer);

  // Connects and starts every slot. Loop thread only, like everything below.
  void Start();
  // Fails requests unanswered for longer than the timeout; gives up connecting after it.
  void CheckTimeouts(Clock::time_point now);
  // Closes the connection for good; outstanding handlers then find themselves stale.
  void Close();

 private:
  // One TCP connection's state. Handlers hold it alive, and compare it with link_ to know
  // whether they are stale (the connection was replaced meanwhile).
  struct Link {
    explicit Link(asio::io_context& ioc) : socket(ioc) {}
    tcp::socket socket;
    beast::flat_buffer read_buffer;
    std::optional<bhttp::response_parser<bhttp::string_body>> parser;
    std::vector<std::string> writing;  // the batch being written
    std::vector<asio::const_buffer> write_buffers;
    bool connected = false;
  };
  struct Pending {
    Slot* slot;
    Operation op;
    RequestTiming timing;  // timeouts count from timing.sent, latency from timing.scheduled
    bool budgeted;         // took one of the window's requests (by_requests schedules)
  };

  void Connect();
  void OnConnected(const std::shared_ptr<Link>& link, const error_code& ec);
  void ScheduleReconnect();
  // A slot is free to send (answered, or connected): Issue() in a closed loop, Pump() in an open
  // one.
  void Release(Slot* slot);
  // Closed loop: sends the slot's next request, or retires the slot when the run is over for it.
  void Issue(Slot* slot);
  // Open loop: sends every due request that a free slot can take, retires the free slots once
  // the run is over for new requests, and otherwise wakes up again at the next due time.
  void Pump();
  void ArmPaceTimer(Clock::time_point due);
  // Open loop: no more requests from this connection; counts those due but never sent.
  void EndPacing(Clock::time_point now);
  // Queues the slot's next request, scheduled at `scheduled`; retires the slot when it has none.
  // The caller starts the write.
  void Send(Slot* slot, bool budgeted, Clock::time_point scheduled);
  bool Connected() const { return link_ && link_->connected; }
  void StartWrite();
  void StartRead();
  void OnRead(const std::shared_ptr<Link>& link, const error_code& ec);
  // Drops the link: outstanding requests fail with `reason`, their slots wait for a new link.
  void Fail(const std::string& reason);

  ThreadRun& run_;
  std::vector<Slot*> slots_;
  std::shared_ptr<Link> link_;
  std::deque<Pending> pending_;
  std::vector<std::string> queued_;  // encoded requests waiting for the current write
  std::vector<Slot*> waiting_;       // slots waiting for a connection
  asio::steady_timer reconnect_timer_;
  // Open loop only. A slot is in exactly one of waiting_, idle_ (connected and free) and
  // pending_ (its request outstanding).
  std::optional<Pacer> pacer_;
  std::vector<Slot*> idle_;
  asio::steady_timer pace_timer_;
  bool pace_armed_ = false;
  Clock::time_point pace_armed_for_;
  bool pacing_over_ = false;
  Clock::time_point connect_started_;
  // Since when connecting keeps failing; nullopt while connected.
  std::optional<Clock::time_point> failing_since_;
};

// One thread's event loop, connections and statistics.
class ThreadRun {
 public:
  ThreadRun(const RunOptions& options, const WorkloadContext& context, const Schedule& schedule,
            std::vector<tcp::endpoint> endpoints, std::atomic<int64_t>& budget_taken)
      : options_(options),
        context_(context),
        schedule_(schedule),
        endpoints_(std::move(endpoints)),
        budget_taken_(budget_taken),
        tick_(ioc_) {}

  // Adds connection number `connection` (of options.connections, counted over every thread).
  void AddConnection(int connection, std::vector<int64_t> slot_numbers) {
    std::vector<Slot*> slots;
    for (int64_t number : slot_numbers) {
      slots_.push_back(std::make_unique<Slot>(context_, options_.seed, number));
      slots.push_back(slots_.back().get());
    }
    std::optional<Pacer> pacer;
    if (options_.rate > 0) {
      pacer.emplace(schedule_.start, options_.rate, options_.connections, connection);
    }
    connections_.push_back(std::make_unique<Connection>(*this, std::move(slots), std::move(pacer)));
  }

  // Runs the loop until every slot is retired. Exceptions end the run of this thread with an
  // error message instead of taking the process down.
  void Run() {
    try {
      if (slots_.empty()) return;
      for (auto& connection : connections_) connection->Start();
      ScheduleTick();
      ioc_.run();
    } catch (const std::exception& e) {
      fatal_ = e.what();
    }
  }

  asio::io_context& ioc() { return ioc_; }
  const std::vector<tcp::endpoint>& endpoints() const { return endpoints_; }
  const RunOptions& options() const { return options_; }
  const Schedule& schedule() const { return schedule_; }
  RunStats& stats() { return stats_; }
  const std::string& fatal() const { return fatal_; }
  bool done() const { return done_; }

  // Whether the run is over for new requests at `now`.
  bool StopIssuing(Clock::time_point now) const {
    if (now >= schedule_.end) return true;
    return schedule_.by_requests() &&
           budget_taken_.load(std::memory_order_relaxed) >= schedule_.requests;
  }
  // Open loop: whether a connection whose next request is scheduled at `due` is done issuing.
  bool StopPacing(Clock::time_point now, Clock::time_point due) const {
    if (now >= schedule_.end || due >= schedule_.end) return true;
    return schedule_.by_requests() &&
           budget_taken_.load(std::memory_order_relaxed) >= schedule_.requests;
  }
  // Takes one request of the window's budget; false when none is left.
  bool TakeBudget() {
    return budget_taken_.fetch_add(1, std::memory_order_relaxed) < schedule_.requests;
  }
  // Whether a request that ended at `now` counts in the window.
  bool InWindow(bool budgeted, Clock::time_point now) const {
    if (schedule_.by_requests()) return budgeted;
    return now >= schedule_.measure_start && now < schedule_.end;
  }

  std::string Encode(Operation op, std::string body) {
    const int64_t second = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    if (second != amz_second_) {
      amz_second_ = second;
      amz_date_ = http::FormatAmzDate(second);
    }
    return EncodeRequest(options_.endpoint, options_.keys, OperationName(op), std::move(body),
                         amz_date_);
  }

  void RecordAnswer(Operation op, bool budgeted, const RequestTiming& timing, int status,
                    std::string_view body, const SlotOutcome& outcome) {
    const Clock::time_point now = Clock::now();
    OperationStats& stats = stats_.Of(op);
    const bool in_window = InWindow(budgeted, now);
    if (in_window && schedule_.by_requests()) last_counted_ = std::max(last_counted_, now);
    if (IsSuccess(status)) {
      ++stats.ok_all;
      if (!in_window) return;
      ++stats.ok;
      stats.latency.Record(timing.LatencyNanos(now));
      if (options_.rate > 0) stats_.send_lag.Record(timing.SendLagNanos());
      if (outcome.missing) ++stats.missing;
      return;
    }
    ++stats_.errors_all;
    if (status >= 500) ++stats.uncertain_all;
    if (!in_window) return;
    ++stats.errors;
    const std::string type = ErrorType(body);
    ++stats_.errors_by_type[fmt::format("{} {}", status, type.empty() ? "-" : type)];
  }

  void RecordFailure(Operation op, bool budgeted, const std::string& reason) {
    const Clock::time_point now = Clock::now();
    OperationStats& stats = stats_.Of(op);
    ++stats_.errors_all;
    ++stats.uncertain_all;
    if (!InWindow(budgeted, now)) return;
    if (schedule_.by_requests()) last_counted_ = std::max(last_counted_, now);
    ++stats.errors;
    ++stats_.errors_by_type[reason];
  }

  // A slot has nothing more to send. The last one ends the loop.
  void RetireSlot() {
    if (++retired_ == static_cast<int64_t>(slots_.size())) Shutdown();
  }

  // The end of the measurement window for by_requests schedules (the last counted answer).
  Clock::time_point last_counted() const { return last_counted_; }

 private:
  void ScheduleTick() {
    tick_.expires_after(kTickInterval);
    tick_.async_wait([this](const error_code& ec) {
      if (ec || done_) return;
      const Clock::time_point now = Clock::now();
      for (auto& connection : connections_) connection->CheckTimeouts(now);
      if (!done_) ScheduleTick();
    });
  }

  void Shutdown() {
    done_ = true;
    tick_.cancel();
    for (auto& connection : connections_) connection->Close();
  }

  // Declared first so that it is destroyed last, after every socket and timer.
  asio::io_context ioc_{1};
  const RunOptions& options_;
  const WorkloadContext& context_;
  const Schedule& schedule_;
  const std::vector<tcp::endpoint> endpoints_;
  std::atomic<int64_t>& budget_taken_;
  asio::steady_timer tick_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::unique_ptr<Connection>> connections_;
  RunStats stats_;
  int64_t retired_ = 0;
  bool done_ = false;
  std::string fatal_;
  Clock::time_point last_counted_{};
  int64_t amz_second_ = -1;
  std::string amz_date_;
};

Connection::Connection(ThreadRun& run, std::vector<Slot*> slots, std::optional<Pacer> pacer)
    : run_(run),
      slots_(std::move(slots)),
      reconnect_timer_(run.ioc()),
      pacer_(std::move(pacer)),
      pace_timer_(run.ioc()) {}

void Connection::Start() {
  waiting_ = slots_;
  Connect();
}

void Connection::Connect() {
  auto link = std::make_shared<Link>(run_.ioc());
  link_ = link;
  connect_started_ = Clock::now();
  asio::async_connect(
      link->socket, run_.endpoints(),
      [this, link](const error_code& ec, const tcp::endpoint&) { OnConnected(link, ec); });
}

void Connection::OnConnected(const std::shared_ptr<Link>& link, const error_code& ec) {
  if (link != link_ || run_.done()) return;
  const Clock::time_point now = Clock::now();
  if (ec) {
    ++run_.stats().connect_failures;
    if (!failing_since_) failing_since_ = now;
    link_.reset();
    ScheduleReconnect();
    return;
  }
  failing_since_.reset();
  link->connected = true;
  error_code ignored;
  link->socket.set_option(tcp::no_delay(true), ignored);
  StartRead();
  std::vector<Slot*> ready;
  ready.swap(waiting_);
  if (pacer_) {
    idle_.insert(idle_.end(), ready.begin(), ready.end());
    Pump();
    return;
  }
  for (Slot* slot : ready) Issue(slot);
}

void Connection::ScheduleReconnect() {
  reconnect_timer_.expires_after(kReconnectDelay);
  reconnect_timer_.async_wait([this](const error_code& ec) {
    if (ec || run_.done()) return;
    const Clock::time_point now = Clock::now();
    const auto timeout = std::chrono::milliseconds(run_.options().timeout_ms);
    const bool give_up = failing_since_ && now - *failing_since_ > timeout;
    if (run_.StopIssuing(now) || give_up) {
      if (pacer_) EndPacing(now);
      std::vector<Slot*> retiring;
      retiring.swap(waiting_);
      for (size_t i = 0; i < retiring.size(); ++i) run_.RetireSlot();
      return;
    }
    Connect();
  });
}

void Connection::Release(Slot* slot) {
  if (!pacer_) {
    Issue(slot);
    return;
  }
  if (run_.done()) return;
  if (!Connected()) {
    waiting_.push_back(slot);
    return;
  }
  idle_.push_back(slot);
  Pump();
}

void Connection::Issue(Slot* slot) {
  if (run_.done()) return;
  const Clock::time_point now = Clock::now();
  if (!Connected()) {
    waiting_.push_back(slot);
    return;
  }
  if (run_.StopIssuing(now)) {
    run_.RetireSlot();
    return;
  }
  bool budgeted = false;
  if (run_.schedule().by_requests() && now >= run_.schedule().measure_start) {
    if (!run_.TakeBudget()) {
      run_.RetireSlot();
      return;
    }
    budgeted = true;
  }
  Send(slot, budgeted, Clock::now());
  if (Connected() && link_->writing.empty() && !queued_.empty()) StartWrite();
}

void Connection::Pump() {
  if (run_.done() || !Connected()) return;
  const Clock::time_point now = Clock::now();
  while (!idle_.empty() && !run_.done()) {
    const Clock::time_point due = pacer_->Due();
    if (!pacing_over_ && run_.StopPacing(now, due)) EndPacing(now);
    if (pacing_over_) {
      const size_t retiring = idle_.size();
      idle_.clear();
      for (size_t i = 0; i < retiring && !run_.done(); ++i) run_.RetireSlot();
      break;  // requests queued above still need their write
    }
    if (due > now) break;
    bool budgeted = false;
    if (run_.schedule().by_requests() && due >= run_.schedule().measure_start) {
      if (!run_.TakeBudget()) {
        EndPacing(now);
        continue;
      }
      budgeted = true;
    }
    Slot* slot = idle_.back();
    idle_.pop_back();
    Send(slot, budgeted, pacer_->Take());
  }
  if (Connected() && link_->writing.empty() && !queued_.empty()) StartWrite();
  if (!idle_.empty() && !run_.done()) ArmPaceTimer(pacer_->Due());
}

void Connection::ArmPaceTimer(Clock::time_point due) {
  if (pace_armed_ && pace_armed_for_ == due) return;
  pace_armed_ = true;
  pace_armed_for_ = due;
  // Re-arming cancels the previous wait, whose handler then sees operation_aborted.
  pace_timer_.expires_at(due);
  pace_timer_.async_wait([this](const error_code& ec) {
    if (ec || run_.done()) return;
    pace_armed_ = false;
    Pump();
  });
}

void Connection::EndPacing(Clock::time_point now) {
  if (pacing_over_) return;
  pacing_over_ = true;
  // A request budget ends the run by count, not by time: the requests after it are not owed.
  if (!run_.schedule().by_requests()) {
    run_.stats().unsent += pacer_->Overdue(std::min(now, run_.schedule().end));
  }
}

void Connection::Send(Slot* slot, bool budgeted, Clock::time_point scheduled) {
  std::optional<SlotRequest> request = slot->Next();
  if (!request) {
    run_.RetireSlot();
    return;
  }
  queued_.push_back(run_.Encode(request->op, std::move(request->body)));
  pending_.push_back(Pending{slot, request->op, RequestTiming{scheduled, Clock::now()}, budgeted});
}

void Connection::StartWrite() {
  std::shared_ptr<Link> link = link_;
  link->writing.swap(queued_);
  link->write_buffers.clear();
  for (const std::string& request : link->writing) {
    link->write_buffers.push_back(asio::buffer(request));
  }
  asio::async_write(link->socket, link->write_buffers, [this, link](const error_code& ec, size_t) {
    link->writing.clear();
    if (link != link_ || run_.done()) return;
    if (ec) {
      Fail("connection: " + ec.message());
      return;
    }
    if (!queued_.empty()) StartWrite();
  });
}

void Connection::StartRead() {
  std::shared_ptr<Link> link = link_;
  link->parser.emplace();
  link->parser->body_limit(kMaxResponseBytes);
  bhttp::async_read(link->socket, link->read_buffer, *link->parser,
                    [this, link](const error_code& ec, size_t) { OnRead(link, ec); });
}

void Connection::OnRead(const std::shared_ptr<Link>& link, const error_code& ec) {
  if (link != link_ || run_.done()) return;
  if (ec) {
    if (pending_.empty()) {
      // The server closed an idle connection. Its slots are retired, free in an open loop (they
      // wait for a new connection), or (defensively) waiting.
      error_code ignored;
      link->socket.close(ignored);
      link_.reset();
      waiting_.insert(waiting_.end(), idle_.begin(), idle_.end());
      idle_.clear();
      if (!waiting_.empty()) ScheduleReconnect();
      return;
    }
    Fail("connection: " + ec.message());
    return;
  }
  if (pending_.empty()) {
    Fail("connection: answer to no request");
    return;
  }
  bhttp::response<bhttp::string_body> response = link->parser->release();
  const Pending done = pending_.front();
  pending_.pop_front();
  const int status = static_cast<int>(response.result_int());
  const SlotOutcome outcome = done.slot->OnResponse(status, response.body());
  run_.RecordAnswer(done.op, done.budgeted, done.timing, status, response.body(), outcome);
  if (!response.keep_alive()) {
    // The server closes after this answer: later pipelined requests will get none.
    waiting_.push_back(done.slot);
    Fail("connection: closed by server");
    return;
  }
  Release(done.slot);
  if (link == link_) StartRead();
}

void Connection::Fail(const std::string& reason) {
  if (link_) {
    error_code ignored;
    link_->socket.close(ignored);
    link_.reset();
  }
  queued_.clear();
  // Open loop: free slots wait for the new connection too, and the schedule runs on meanwhile.
  waiting_.insert(waiting_.end(), idle_.begin(), idle_.end());
  idle_.clear();
  for (const Pending& pending : pending_) {
    pending.slot->OnFailure();
    run_.RecordFailure(pending.op, pending.budgeted, reason);
    waiting_.push_back(pending.slot);
  }
  pending_.clear();
  if (!run_.done()) ScheduleReconnect();
}

void Connection::CheckTimeouts(Clock::time_point now) {
  const auto timeout = std::chrono::milliseconds(run_.options().timeout_ms);
  if (!link_) return;
  if (!link_->connected) {
    if (now - connect_started_ > timeout) {
      ++run_.stats().connect_failures;
      if (!failing_since_) failing_since_ = connect_started_;
      error_code ignored;
      link_->socket.close(ignored);
      link_.reset();
      ScheduleReconnect();
    }
    return;
  }
  if (!pending_.empty() && now - pending_.front().timing.sent > timeout) Fail("timeout");
}

void Connection::Close() {
  reconnect_timer_.cancel();
  pace_timer_.cancel();
  if (link_) {
    error_code ignored;
    link_->socket.close(ignored);
    link_.reset();
  }
}

Result<std::vector<tcp::endpoint>, std::string> Resolve(asio::io_context& ioc,
                                                        const Endpoint& endpoint) {
  tcp::resolver resolver(ioc);
  error_code ec;
  auto results = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
  if (ec) return Fail(fmt::format("cannot resolve {}: {}", endpoint.host, ec.message()));
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  if (endpoints.empty()) return Fail(fmt::format("{} resolves to no address", endpoint.host));
  return endpoints;
}

}  // namespace

Result<RunStats, std::string> RunWorkload(const RunOptions& options,
                                          const WorkloadContext& context) {
  asio::io_context resolver_ioc;
  DUNLIN_ASSIGN_OR_RETURN(std::vector<tcp::endpoint> endpoints,
                          Resolve(resolver_ioc, options.endpoint));

  const Clock::time_point start = Clock::now();
  const auto to_duration = [](double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  Schedule schedule;
  schedule.start = start;
  schedule.measure_start = start + to_duration(options.warmup_seconds);
  schedule.requests = options.requests;
  schedule.end = (options.requests == 0 && options.duration_seconds > 0)
                     ? schedule.measure_start + to_duration(options.duration_seconds)
                     : Clock::time_point::max();
  std::atomic<int64_t> budget_taken{0};

  const int thread_count = std::max(1, std::min(options.threads, options.connections));
  std::vector<std::unique_ptr<ThreadRun>> runs;
  for (int t = 0; t < thread_count; ++t) {
    runs.push_back(
        std::make_unique<ThreadRun>(options, context, schedule, endpoints, budget_taken));
  }
  // Slots are numbered connection by connection, so their seeds do not depend on --threads.
  int64_t next_slot = 0;
  for (int c = 0; c < options.connections; ++c) {
    const int depth = options.in_flight / options.connections +
                      (c < options.in_flight % options.connections ? 1 : 0);
    std::vector<int64_t> numbers;
    for (int i = 0; i < depth; ++i) numbers.push_back(next_slot++);
    runs[c % thread_count]->AddConnection(c, std::move(numbers));
  }

  std::vector<std::thread> threads;
  for (auto& run : runs) threads.emplace_back([&run] { run->Run(); });
  for (auto& thread : threads) thread.join();

  RunStats merged;
  Clock::time_point window_end = schedule.end;
  if (schedule.end == Clock::time_point::max()) {
    window_end = schedule.measure_start;
    for (auto& run : runs) window_end = std::max(window_end, run->last_counted());
    if (!schedule.by_requests()) window_end = Clock::now();  // untimed: the whole run
  }
  for (auto& run : runs) {
    if (!run->fatal().empty()) return Fail("load thread failed: " + run->fatal());
    merged.Merge(run->stats());
  }
  merged.window_seconds =
      std::chrono::duration<double>(window_end - schedule.measure_start).count();
  return merged;
}

struct KeepAliveClient::State {
  State(Endpoint endpoint_in, SigningKeys keys_in, int timeout_ms_in)
      : endpoint(std::move(endpoint_in)), keys(std::move(keys_in)), timeout_ms(timeout_ms_in) {}

  Endpoint endpoint;
  SigningKeys keys;
  int timeout_ms;
  asio::io_context ioc{1};
  std::vector<tcp::endpoint> endpoints;  // resolved on the first call
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

KeepAliveClient::KeepAliveClient(Endpoint endpoint, SigningKeys keys, int timeout_ms)
    : state_(std::make_unique<State>(std::move(endpoint), std::move(keys), timeout_ms)) {}

KeepAliveClient::~KeepAliveClient() = default;

Result<CallResponse, std::string> KeepAliveClient::Call(std::string_view operation,
                                                        std::string body, Api api) {
  State& s = *state_;
  if (s.endpoints.empty()) {
    DUNLIN_ASSIGN_OR_RETURN(s.endpoints, Resolve(s.ioc, s.endpoint));
  }
  const std::string wire =
      EncodeRequest(s.endpoint, s.keys, operation, std::move(body),
                    http::FormatAmzDate(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count()),
                    api);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  std::string failure;
  const auto exchange = [&] {
    asio::async_write(*s.stream, asio::buffer(wire), [&](const error_code& ec, size_t) {
      if (ec) {
        failure = "cannot send: " + ec.message();
        return;
      }
      bhttp::async_read(*s.stream, s.buffer, parser, [&](const error_code& ec, size_t) {
        if (ec) failure = "no answer: " + ec.message();
      });
    });
  };
  const bool connected = s.stream.has_value();
  if (!connected) s.stream.emplace(s.ioc);
  s.stream->expires_after(std::chrono::milliseconds(s.timeout_ms));
  if (connected) {
    exchange();
  } else {
    s.stream->async_connect(s.endpoints, [&](const error_code& ec, const tcp::endpoint&) {
      if (ec) {
        failure = "cannot connect: " + ec.message();
        return;
      }
      exchange();
    });
  }
  s.ioc.restart();
  s.ioc.run();
  if (!failure.empty() || !parser.get().keep_alive()) {
    // The next call starts on a new connection.
    s.stream.reset();
    s.buffer.clear();
  }
  if (!failure.empty()) {
    return Fail(fmt::format("{} {}: {}", s.endpoint.url, operation, failure));
  }
  CallResponse response;
  response.status = static_cast<int>(parser.get().result_int());
  response.body = std::move(parser.get().body());
  return response;
}

Result<CallResponse, std::string> CallOnce(const Endpoint& endpoint, const SigningKeys& keys,
                                           std::string_view operation, std::string body,
                                           int timeout_ms) {
  KeepAliveClient client(endpoint, keys, timeout_ms);
  return client.Call(operation, std::move(body));
}

}  // namespace dunlin::bench
