// The engine of dunlin-bench: drives a workload against an endpoint over keep-alive HTTP/1.1.
//
// How it works: --threads threads each run their own Asio event loop. Connection i belongs to
// thread i % threads and carries in_flight / connections slots (the first in_flight % connections
// connections one more). A slot is a logical client (bench::Slot) that sends its next request as
// soon as its last one is answered, so this is a closed loop: latency is measured under the load
// the slots themselves create, not at a fixed arrival rate. With one slot per connection, each
// connection has one request outstanding; with more, the connection pipelines: it writes every
// slot's request without waiting and reads the answers in order (HTTP/1.1 pipelining: a server
// must answer pipelined requests in order, RFC 9112 section 9.3.2; dunlin and DynamoDB Local
// do). Pipelining hides round trips but not server time: dunlin serves one request of a
// connection at a time, so server-side concurrency is --connections. A connection that breaks or
// times out fails its outstanding requests (counted as errors, never aborting the run) and
// reconnects; its slots resume on the new connection. A thread stops issuing at the end of the
// run (time, request budget, or its slots have nothing left) and finishes once its last answers
// are in or have timed out.
//
// Open loop (RunOptions::rate > 0): the slots no longer pace themselves. Each connection follows
// its own bench::Pacer, a fixed schedule that splits the rate evenly over the connections, and
// sends each request when it is due on a free slot (pipelined behind busy ones), or as soon as a
// slot frees when all are busy; latency counts from the scheduled time. bench/pacer.h states the
// rules. The measurement window and the end of the run are as in the closed loop; the request
// budget of --requests is charged to requests scheduled after the warm-up.
//
// Thread-safety: RunWorkload and CallOnce may be called from any thread; RunWorkload blocks until
// the run is over.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "bench/http_request.h"
#include "bench/report.h"
#include "bench/workload.h"
#include "common/result.h"

namespace dunlin::bench {

struct RunOptions {
  Endpoint endpoint;
  SigningKeys keys;
  int threads = 1;      // >= 1
  int connections = 1;  // >= threads is sensible, >= 1 required
  int in_flight = 1;    // >= connections
  double warmup_seconds = 0;
  // The window after the warm-up, used when requests == 0. With both 0 the run lasts until every
  // slot has nothing left to send (the load workload).
  double duration_seconds = 0;
  // When > 0: measure exactly this many requests (after the warm-up), then stop.
  int64_t requests = 0;
  // A request unanswered for this long fails with "timeout" and its connection is replaced;
  // a connection that cannot be (re)established for this long gives up.
  int timeout_ms = 10000;
  uint64_t seed = 1;
  // Requests per second in all, for an open loop (bench/pacer.h); 0 for a closed loop.
  // REQUIRES: 0 or in (0, kMaxRatePerSecond]; with a rate, duration_seconds or requests > 0.
  double rate = 0;
};

// Runs the workload of `context` as described above and returns the merged statistics. Fails
// only when the endpoint's host does not resolve or a thread hit an unexpected exception;
// request failures are in the statistics.
Result<RunStats, std::string> RunWorkload(const RunOptions& options,
                                          const WorkloadContext& context);

struct CallResponse {
  int status = 0;
  std::string body;
};

// A blocking keep-alive HTTP/1.1 connection to `endpoint`, one request at a time, for set-up,
// checks and the stream-lag measurement. Connects on the first call; after a failed call, or an
// answer that closes the connection, the next call connects anew. Each call fails with a readable
// message when there is no HTTP answer within `timeout_ms`; any HTTP answer, error statuses
// included, is returned. Thread-safety: one thread at a time per client.
class KeepAliveClient {
 public:
  KeepAliveClient(Endpoint endpoint, SigningKeys keys, int timeout_ms);
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  Result<CallResponse, std::string> Call(std::string_view operation, std::string body,
                                         Api api = Api::kDynamoDb);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// One request on a fresh connection (a KeepAliveClient of one call).
Result<CallResponse, std::string> CallOnce(const Endpoint& endpoint, const SigningKeys& keys,
                                           std::string_view operation, std::string body,
                                           int timeout_ms);

}  // namespace dunlin::bench
