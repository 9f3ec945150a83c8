#include "http/server.h"

#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/connection.h"

namespace dunlin::http {

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

bool HttpRequest::HasHeader(std::string_view name) const {
  for (const auto& header : headers) {
    if (header.first == name) return true;
  }
  return false;
}

namespace {

using internal::Connection;
using internal::EventLoop;
namespace asio = internal::asio;
using tcp = internal::tcp;
using boost::system::error_code;

// How long Stop() lets requests already with the handler finish before closing everything.
constexpr std::chrono::seconds kStopGracePeriod{3};
constexpr std::chrono::milliseconds kStopPollInterval{5};
// Pause before accepting again after a failure such as running out of file descriptors.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

using ReusePortOption = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Accepts connections on one acceptor and starts each on a loop: its own loop when every loop
// has an acceptor, else the target loops in turn. Runs on the acceptor's loop thread.
class Listener {
 public:
  Listener(tcp::acceptor acceptor, std::vector<std::shared_ptr<EventLoop>> targets)
      : acceptor_(std::move(acceptor)),
        retry_timer_(acceptor_.get_executor()),
        targets_(std::move(targets)) {}

  void Accept() {
    EventLoop& target = *targets_[next_target_];
    acceptor_.async_accept(
        target.ioc, [this](error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
  }

  // Listener's loop thread.
  void Close() {
    closed_ = true;
    error_code ec;
    acceptor_.close(ec);
    retry_timer_.cancel();
  }

 private:
  void OnAccept(error_code ec, tcp::socket socket) {
    if (closed_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([this](error_code wait_ec) {
        if (!wait_ec && !closed_) Accept();
      });
      return;
    }
    const std::shared_ptr<EventLoop>& target = targets_[next_target_];
    next_target_ = (next_target_ + 1) % targets_.size();
    auto connection = std::make_shared<Connection>(target, std::move(socket));
    if (targets_.size() == 1) {
      connection->Start();  // already on the target's thread
    } else {
      asio::post(target->ioc, [connection = std::move(connection)] { connection->Start(); });
    }
    Accept();
  }

  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::vector<std::shared_ptr<EventLoop>> targets_;
  size_t next_target_ = 0;
  bool closed_ = false;
};

std::string Describe(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

Result<tcp::endpoint, std::string> ResolveEndpoint(const std::string& host, uint16_t port) {
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, port);
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) {
    return Fail("cannot resolve host '" + host + "': " + (ec ? ec.message() : "no address"));
  }
  return results.begin()->endpoint();
}

// Opens, binds and listens. With `reuse_port`, sets SO_REUSEPORT first; `*reuse_port_failed`
// tells a failure of that option apart from a failure to bind.
Result<void, std::string> OpenAcceptor(tcp::acceptor& acceptor, const tcp::endpoint& endpoint,
                                       bool reuse_port, bool* reuse_port_failed) {
  error_code ec;
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return Fail("cannot open a socket for " + Describe(endpoint) + ": " + ec.message());
  }
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return Fail("cannot set SO_REUSEADDR on " + Describe(endpoint) + ": " + ec.message());
  }
  if (reuse_port) {
    if (acceptor.set_option(ReusePortOption(true), ec); ec) {
      if (reuse_port_failed != nullptr) *reuse_port_failed = true;
      return Fail("cannot set SO_REUSEPORT: " + ec.message());
    }
  }
  if (acceptor.bind(endpoint, ec); ec) {
    return Fail("cannot bind " + Describe(endpoint) + ": " + ec.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return Fail("cannot listen on " + Describe(endpoint) + ": " + ec.message());
  }
  return {};
}

// SO_REUSEPORT would let this server silently share a port with another process that also set
// it; binding a plain socket first makes an occupied port fail as "address in use".
Result<void, std::string> CheckPortFree(const tcp::endpoint& endpoint) {
  if (endpoint.port() == 0) return {};
  asio::io_context ioc;
  tcp::acceptor probe(ioc);
  error_code ec;
  if (probe.open(endpoint.protocol(), ec); ec) return {};
  probe.set_option(asio::socket_base::reuse_address(true), ec);
  if (probe.bind(endpoint, ec); ec) {
    return Fail("cannot bind " + Describe(endpoint) + ": " + ec.message());
  }
  return {};
}

class ServerImpl final : public HttpServer {
 public:
  // listener_loops[i] is the loop listeners[i] runs on.
  ServerImpl(std::vector<std::shared_ptr<EventLoop>> loops,
             std::vector<std::unique_ptr<Listener>> listeners,
             std::vector<std::shared_ptr<EventLoop>> listener_loops, uint16_t port)
      : loops_(std::move(loops)),
        listeners_(std::move(listeners)),
        listener_loops_(std::move(listener_loops)),
        port_(port) {}

  ~ServerImpl() override { Stop(); }

  uint16_t port() const override { return port_; }

  void Run() {
    for (auto& listener : listeners_) listener->Accept();
    for (auto& loop : loops_) {
      loop->thread = std::thread([raw = loop.get()] { RunLoop(*raw); });
    }
  }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    // 1. Stop accepting; close idle connections; busy ones close after their response.
    for (size_t i = 0; i < listeners_.size(); ++i) {
      Listener* listener = listeners_[i].get();
      asio::post(listener_loops_[i]->ioc, [listener] { listener->Close(); });
    }
    for (auto& loop : loops_) {
      asio::post(loop->ioc, [raw = loop.get()] {
        raw->stopping = true;
        const std::vector<Connection*> open(raw->connections.begin(), raw->connections.end());
        for (Connection* connection : open) connection->OnServerStopping();
      });
    }
    // 2. Give requests in flight a moment to be answered.
    const auto deadline = std::chrono::steady_clock::now() + kStopGracePeriod;
    while (OpenConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(kStopPollInterval);
    }
    // 3. Stop the loops, then close what is left from this thread; the loop threads are gone.
    for (auto& loop : loops_) {
      loop->work.reset();
      loop->ioc.stop();
    }
    for (auto& loop : loops_) {
      if (loop->thread.joinable()) loop->thread.join();
    }
    for (auto& loop : loops_) {
      loop->ioc.restart();
      asio::post(loop->ioc, [raw = loop.get()] {
        raw->stopping = true;
        const std::vector<Connection*> open(raw->connections.begin(), raw->connections.end());
        for (Connection* connection : open) connection->CloseNow();
      });
      RunLoop(*loop);
      {
        std::lock_guard lock(loop->post_mu);
        loop->finished = true;
      }
      // Whatever a responder posted before `finished` was set runs (and is dropped) now.
      loop->ioc.restart();
      RunLoop(*loop);
    }
    listeners_.clear();
    listener_loops_.clear();
    // Connections still waiting for a handler keep their loop alive until they are released.
    loops_.clear();
  }

 private:
  // The top of each loop thread: an escaped exception must not end the loop.
  static void RunLoop(EventLoop& loop) {
    for (;;) {
      try {
        loop.ioc.run();
        return;
      } catch (...) {
      }
    }
  }

  int64_t OpenConnections() const {
    int64_t total = 0;
    for (const auto& loop : loops_) total += loop->open_connections.load(std::memory_order_relaxed);
    return total;
  }

  std::vector<std::shared_ptr<EventLoop>> loops_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<std::shared_ptr<EventLoop>> listener_loops_;
  uint16_t port_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<HttpServer>, std::string> StartHttpServer(const ServerOptions& options,
                                                                 RequestHandler& handler) {
  if (options.max_body_bytes == 0) return Fail(std::string("max_body_bytes must be positive"));
  if (options.idle_timeout_seconds <= 0) {
    return Fail(std::string("idle_timeout_seconds must be positive"));
  }
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  DUNLIN_ASSIGN_OR_RETURN(tcp::endpoint endpoint, ResolveEndpoint(options.host, options.port));

  std::vector<std::shared_ptr<EventLoop>> loops;
  for (int i = 0; i < threads; ++i) loops.push_back(std::make_shared<EventLoop>(handler, options));

  // One acceptor per loop on the same port (SO_REUSEPORT), or a single shared one.
  std::vector<tcp::acceptor> acceptors;
  bool per_loop = options.reuse_port && threads > 1;
  if (per_loop) {
    DUNLIN_RETURN_IF_ERROR(CheckPortFree(endpoint));
    for (int i = 0; i < threads && per_loop; ++i) {
      tcp::acceptor acceptor(loops[i]->ioc);
      bool reuse_port_failed = false;
      auto opened = OpenAcceptor(acceptor, endpoint, /*reuse_port=*/true, &reuse_port_failed);
      if (!opened.ok()) {
        if (!reuse_port_failed && i == 0) return Fail(std::move(opened).error());
        per_loop = false;  // fall back to one shared acceptor
        break;
      }
      if (i == 0) endpoint = acceptor.local_endpoint();  // the port picked for port 0
      acceptors.push_back(std::move(acceptor));
    }
    if (!per_loop) {
      acceptors.clear();
      endpoint.port(options.port);
    }
  }
  if (!per_loop) {
    tcp::acceptor acceptor(loops[0]->ioc);
    DUNLIN_RETURN_IF_ERROR(OpenAcceptor(acceptor, endpoint, /*reuse_port=*/false, nullptr));
    endpoint = acceptor.local_endpoint();
    acceptors.push_back(std::move(acceptor));
  }

  std::vector<std::unique_ptr<Listener>> listeners;
  std::vector<std::shared_ptr<EventLoop>> listener_loops;
  for (size_t i = 0; i < acceptors.size(); ++i) {
    auto targets = per_loop ? std::vector<std::shared_ptr<EventLoop>>{loops[i]} : loops;
    listeners.push_back(std::make_unique<Listener>(std::move(acceptors[i]), std::move(targets)));
    listener_loops.push_back(loops[i]);
  }
  auto server = std::make_unique<ServerImpl>(std::move(loops), std::move(listeners),
                                             std::move(listener_loops), endpoint.port());
  server->Run();
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace dunlin::http
