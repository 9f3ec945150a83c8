// The HTTP server on port 0 with a test handler, driven by a blocking client.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "compression.h"
#include "test_client.h"

namespace dunlin::http {
namespace {

using testing::Gzip;
using testing::Response;
using testing::TestClient;
using namespace std::chrono_literals;

// Echoes the request back; `answer` can replace that. Records which threads ran it.
class TestHandler : public RequestHandler {
 public:
  using Answer = std::function<void(HttpRequest, Responder)>;

  TestHandler() : answer_([](HttpRequest request, Responder respond) { respond(Echo(request)); }) {}
  explicit TestHandler(Answer answer) : answer_(std::move(answer)) {}

  ~TestHandler() override { JoinLater(); }

  void Handle(HttpRequest request, Responder respond) override {
    {
      std::lock_guard lock(mu_);
      ++requests_;
      threads_seen_.insert(std::this_thread::get_id());
    }
    answer_(std::move(request), std::move(respond));
  }

  static HttpResponse Echo(const HttpRequest& request) {
    HttpResponse response;
    response.content_type = "text/plain";
    response.headers = {
        {"x-method", request.method},
        {"x-target", request.target},
        {"x-body-error", std::to_string(static_cast<int>(request.body_error))},
        {"x-raw-size", std::to_string(request.raw_body.size())},
        {"x-remote", request.remote_address},
        {"x-test-header", std::string(request.Header("x-test-header"))},
    };
    response.body = request.body;
    return response;
  }

  // Runs `work` on a new thread, joined when the handler is destroyed.
  void Later(std::function<void()> work) {
    std::lock_guard lock(mu_);
    later_.emplace_back(std::move(work));
  }

  void JoinLater() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(later_);
    }
    for (auto& t : threads) t.join();
  }

  int requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t threads_seen() {
    std::lock_guard lock(mu_);
    return threads_seen_.size();
  }

 private:
  Answer answer_;
  std::mutex mu_;
  int requests_ = 0;
  std::set<std::thread::id> threads_seen_;
  std::vector<std::thread> later_;
};

ServerOptions TestOptions(int threads = 2) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = threads;
  options.max_body_bytes = 64 * 1024;
  return options;
}

std::unique_ptr<HttpServer> Start(RequestHandler& handler, const ServerOptions& options) {
  auto server = StartHttpServer(options, handler);
  EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error());
  return server.ok() ? std::move(server).value() : nullptr;
}

std::string Field(const Response& response, std::string_view name) {
  return std::string(response[name]);
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  TestHandler handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  ASSERT_NE(server->port(), 0);
  TestClient client(server->port());
  ASSERT_FALSE(client.connect_error());
  std::string remote;
  for (int i = 0; i < 5; ++i) {
    const std::string body = "request " + std::to_string(i);
    ASSERT_FALSE(client.Post(body, "/?n=" + std::to_string(i), {{"X-Test-Header", "  v  "}}));
    Response response;
    ASSERT_FALSE(client.Read(response));
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.body(), body);
    EXPECT_EQ(Field(response, "x-method"), "POST");
    EXPECT_EQ(Field(response, "x-target"), "/?n=" + std::to_string(i));
    EXPECT_EQ(Field(response, "x-test-header"), "v");
    EXPECT_EQ(Field(response, "x-body-error"), "0");
    EXPECT_EQ(Field(response, "content-type"), "text/plain");
    EXPECT_FALSE(Field(response, "date").empty());
    EXPECT_TRUE(response.keep_alive());
    if (i == 0) remote = Field(response, "x-remote");
    EXPECT_EQ(Field(response, "x-remote"), remote);  // same connection throughout
  }
  EXPECT_EQ(remote.rfind("127.0.0.1:", 0), 0u) << remote;
  EXPECT_EQ(handler.requests(), 5);
}

TEST(HttpServerTest, HandlerMayAnswerFromAnotherThread) {
  TestHandler* self = nullptr;
  TestHandler handler([&self](HttpRequest request, Responder respond) {
    self->Later([request = std::move(request), respond = std::move(respond)] {
      std::this_thread::sleep_for(20ms);
      respond(TestHandler::Echo(request));
    });
  });
  self = &handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(client.Post("late " + std::to_string(i)));
    Response response;
    ASSERT_FALSE(client.Read(response));
    EXPECT_EQ(response.body(), "late " + std::to_string(i));
  }
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestHandler* self = nullptr;
  TestHandler handler([&self](HttpRequest request, Responder respond) {
    if (request.body == "first") {  // slow, from another thread
      self->Later([request = std::move(request), respond = std::move(respond)] {
        std::this_thread::sleep_for(100ms);
        respond(TestHandler::Echo(request));
      });
    } else {
      respond(TestHandler::Echo(request));
    }
  });
  self = &handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(
      client.WriteRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst"
                      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond"
                      "GET /third HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.body(), "first");
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.body(), "second");
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(Field(response, "x-target"), "/third");
}

TEST(HttpServerTest, GzipBodyIsInflatedAndRawBodyKept) {
  TestHandler handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  std::string body;
  for (int i = 0; i < 500; ++i) body += "{\"Item\":" + std::to_string(i) + "}";
  const std::string packed = Gzip(body);
  ASSERT_FALSE(client.Post(packed, "/", {{"Content-Encoding", "gzip"}}));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.body(), body);
  EXPECT_EQ(Field(response, "x-raw-size"), std::to_string(packed.size()));
  EXPECT_EQ(Field(response, "x-body-error"), "0");
  EXPECT_TRUE(response.keep_alive());
}

TEST(HttpServerTest, BadGzipIsReportedAndConnectionStaysOpen) {
  TestHandler handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(client.Post("definitely not gzip", "/", {{"Content-Encoding", "gzip"}}));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(Field(response, "x-body-error"),
            std::to_string(static_cast<int>(HttpRequest::BodyError::kBadEncoding)));
  EXPECT_EQ(response.body(), "");
  EXPECT_EQ(Field(response, "x-raw-size"), "19");
  EXPECT_TRUE(response.keep_alive());
  ASSERT_FALSE(client.Post("next"));
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.body(), "next");
}

TEST(HttpServerTest, TooLargeBodyIsDeliveredAsSuchThenConnectionCloses) {
  TestHandler handler([](HttpRequest request, Responder respond) {
    HttpResponse response = TestHandler::Echo(request);
    response.status = 413;
    respond(std::move(response));
  });
  ServerOptions options = TestOptions();
  options.max_body_bytes = 1024;
  auto server = Start(handler, options);
  ASSERT_TRUE(server);
  for (const bool chunked : {false, true}) {
    SCOPED_TRACE(chunked ? "chunked" : "content-length");
    TestClient client(server->port());
    if (chunked) {
      std::string raw = "POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
      for (int i = 0; i < 4; ++i) raw += "400\r\n" + std::string(1024, 'a') + "\r\n";
      raw += "0\r\n\r\n";
      ASSERT_FALSE(client.WriteRaw(raw));
    } else {
      ASSERT_FALSE(client.Post(std::string(4096, 'a'), "/big"));
    }
    Response response;
    ASSERT_FALSE(client.Read(response));
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_EQ(Field(response, "x-body-error"),
              std::to_string(static_cast<int>(HttpRequest::BodyError::kTooLarge)));
    EXPECT_EQ(Field(response, "x-target"), "/big");
    EXPECT_EQ(response.body(), "");
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(client.ClosedByServer());
  }
}

TEST(HttpServerTest, BodyInflatingPastTheLimitIsTooLarge) {
  TestHandler handler;
  ServerOptions options = TestOptions();
  options.max_body_bytes = 1024;
  auto server = Start(handler, options);
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(client.Post(Gzip(std::string(100000, 'z')), "/", {{"Content-Encoding", "gzip"}}));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(Field(response, "x-body-error"),
            std::to_string(static_cast<int>(HttpRequest::BodyError::kTooLarge)));
  EXPECT_EQ(response.body(), "");
}

TEST(HttpServerTest, ExpectContinueIsHonoured) {
  TestHandler handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(client.WriteRaw(
      "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  const std::string interim = client.ReadRawAtLeast(25);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_FALSE(client.WriteRaw("body"));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.body(), "body");
}

TEST(HttpServerTest, ClientsAskingToCloseAreClosed) {
  TestHandler handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  {
    TestClient client(server->port());
    ASSERT_FALSE(client.Post("x", "/", {{"Connection", "close"}}));
    Response response;
    ASSERT_FALSE(client.Read(response));
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(client.ClosedByServer());
  }
  {
    TestClient client(server->port());
    ASSERT_FALSE(client.WriteRaw("GET / HTTP/1.0\r\n\r\n"));
    Response response;
    ASSERT_FALSE(client.Read(response));
    EXPECT_EQ(response.version(), 10u);
    EXPECT_TRUE(client.ClosedByServer());
  }
}

TEST(HttpServerTest, HandlerMayAskToClose) {
  TestHandler handler([](HttpRequest request, Responder respond) {
    HttpResponse response = TestHandler::Echo(request);
    response.close = true;
    respond(std::move(response));
  });
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(client.Post("x"));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ClosedByServer());
}

TEST(HttpServerTest, MalformedRequestGets400AndClose) {
  TestHandler handler;
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(client.WriteRaw("NOT A REQUEST\r\n\r\n"));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(handler.requests(), 0);
}

TEST(HttpServerTest, ThrowingHandlerAnswers500) {
  TestHandler handler([](HttpRequest, Responder) { throw std::runtime_error("boom"); });
  auto server = Start(handler, TestOptions());
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(client.Post("x"));
  Response response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.result_int(), 500);
}

TEST(HttpServerTest, IdleConnectionsTimeOut) {
  TestHandler handler;
  ServerOptions options = TestOptions();
  options.idle_timeout_seconds = 1;
  auto server = Start(handler, options);
  ASSERT_TRUE(server);
  TestClient client(server->port());
  ASSERT_FALSE(client.Post("x"));
  Response response;
  ASSERT_FALSE(client.Read(response));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByServer());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 800ms);
  EXPECT_LE(waited, 5s);
}

void RunConcurrentClients(const ServerOptions& options) {
  TestHandler handler;
  auto server = Start(handler, options);
  ASSERT_TRUE(server);
  constexpr int kClients = 16;
  constexpr int kRequestsPerClient = 25;
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(server->port());
      if (client.connect_error()) return;
      for (int i = 0; i < kRequestsPerClient; ++i) {
        const std::string body = std::to_string(c) + "/" + std::to_string(i);
        Response response;
        if (client.Post(body) || client.Read(response)) return;
        if (response.body() == body) good.fetch_add(1);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), kClients * kRequestsPerClient);
  EXPECT_GT(handler.threads_seen(), 1u) << "all connections landed on one loop";
}

TEST(HttpServerTest, ConcurrentClientsSpreadAcrossLoopsWithReusePort) {
  RunConcurrentClients(TestOptions(4));
}

TEST(HttpServerTest, ConcurrentClientsSpreadAcrossLoopsWithSharedAcceptor) {
  ServerOptions options = TestOptions(4);
  options.reuse_port = false;
  RunConcurrentClients(options);
}

TEST(HttpServerTest, StopAnswersInFlightRequestsAndClosesIdleConnections) {
  TestHandler* self = nullptr;
  std::atomic<bool> in_handler{false};
  TestHandler handler([&](HttpRequest request, Responder respond) {
    if (request.body != "slow") {
      respond(TestHandler::Echo(request));
      return;
    }
    in_handler = true;
    self->Later([request = std::move(request), respond = std::move(respond)] {
      std::this_thread::sleep_for(300ms);
      respond(TestHandler::Echo(request));
    });
  });
  self = &handler;
  auto server = Start(handler, TestOptions(3));
  ASSERT_TRUE(server);
  const uint16_t port = server->port();

  std::vector<std::unique_ptr<TestClient>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<TestClient>(port));
    ASSERT_FALSE(idle.back()->Post("warm"));
    Response response;
    ASSERT_FALSE(idle.back()->Read(response));
  }
  TestClient busy(port);
  ASSERT_FALSE(busy.Post("slow"));
  while (!in_handler) std::this_thread::sleep_for(1ms);

  const auto start = std::chrono::steady_clock::now();
  server->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);

  Response response;
  ASSERT_FALSE(busy.Read(response));
  EXPECT_EQ(response.body(), "slow");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(busy.ClosedByServer());
  for (auto& client : idle) EXPECT_TRUE(client->ClosedByServer());
  TestClient late(port);
  EXPECT_TRUE(late.connect_error());
  server->Stop();  // idempotent
}

TEST(HttpServerTest, ResponderOutlivingTheServerIsHarmless) {
  Responder kept;
  std::mutex mu;
  TestHandler handler([&](HttpRequest, Responder respond) {
    std::lock_guard lock(mu);
    kept = std::move(respond);
  });
  {
    auto server = Start(handler, TestOptions(1));
    ASSERT_TRUE(server);
    TestClient client(server->port());
    ASSERT_FALSE(client.Post("never answered"));
    while (handler.requests() == 0) std::this_thread::sleep_for(1ms);
    server.reset();  // Stop() gives up after its grace period
  }
  std::lock_guard lock(mu);
  ASSERT_TRUE(kept);
  kept(HttpResponse{});  // dropped: the loop is gone
}

TEST(HttpServerTest, OccupiedPortFailsWithReadableMessage) {
  TestHandler handler;
  auto first = Start(handler, TestOptions());
  ASSERT_TRUE(first);
  for (const bool reuse_port : {true, false}) {
    ServerOptions options = TestOptions();
    options.port = first->port();
    options.reuse_port = reuse_port;
    auto second = StartHttpServer(options, handler);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().find("cannot bind 127.0.0.1:" + std::to_string(first->port())),
              std::string::npos)
        << second.error();
  }
}

TEST(HttpServerTest, BadHostFails) {
  TestHandler handler;
  ServerOptions options = TestOptions();
  options.host = "no-such-host.invalid";
  auto server = StartHttpServer(options, handler);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.error().find("cannot resolve host 'no-such-host.invalid'"), std::string::npos)
      << server.error();
}

}  // namespace
}  // namespace dunlin::http
