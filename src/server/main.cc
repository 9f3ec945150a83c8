// dunlin: a DynamoDB-compatible server on an embedded RocksDB.
//
// `dunlin serve` wires the pieces together: the storage engine, the DynamoDB dispatcher and the
// HTTP server, then waits for SIGINT/SIGTERM and shuts down in order (stop accepting, answer
// in-flight requests, drain writes, close the engine) so that no acknowledged write is lost.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>

#include "api/dispatcher.h"
#include "http/server.h"
#include "http/sigv4.h"
#include "server/config.h"
#include "storage/engine.h"

namespace dunlin::server {
namespace {

int Serve(const ServeConfig& config) {
  const auto started = std::chrono::steady_clock::now();
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  std::optional<http::CredentialStore> credentials;
  if (!config.credentials_file.empty()) {
    auto loaded = http::CredentialStore::LoadFile(config.credentials_file);
    if (!loaded.ok()) {
      spdlog::error("cannot load credentials: {}", loaded.error());
      return 2;
    }
    credentials = std::move(loaded).value();
  } else if (!IsLoopbackHost(config.listen_host)) {
    spdlog::error(
        "refusing to listen on {} without --credentials: without credentials any signature is "
        "accepted, which is only safe on a loopback address",
        config.listen_host);
    return 2;
  }

  // Block the shutdown signals before any thread starts, so every thread inherits the mask and
  // only sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  storage::EngineOptions engine_options;
  engine_options.data_dir = config.data_dir;
  engine_options.in_memory = config.in_memory;
  engine_options.sync_writes = config.sync_writes;
  engine_options.backfill_batch_items = config.backfill_batch_items;
  engine_options.backfill_pause_ms = config.backfill_pause_ms;
  engine_options.item_collection_limit_bytes = config.item_collection_limit_bytes;
  engine_options.stream_retention_ms = config.stream_retention_s * 1000;
  engine_options.stream_shard_roll_ms = config.stream_shard_roll_s * 1000;
  engine_options.ttl_sweep_interval_ms = static_cast<int>(config.ttl_sweep_interval_ms);
  auto engine = storage::OpenRocksDbEngine(engine_options);
  if (!engine.ok()) {
    spdlog::error("cannot open storage: {}", engine.error().message);
    return 2;
  }

  api::DispatcherOptions dispatcher_options;
  dispatcher_options.service.region = config.region;
  dispatcher_options.service.stream_iterator_lifetime_ms = config.stream_iterator_lifetime_s * 1000;
  dispatcher_options.service.ttl_change_interval_s = config.ttl_change_interval_s;
  dispatcher_options.service.hide_expired_items = config.hide_expired_items;
  dispatcher_options.credentials = credentials ? &*credentials : nullptr;
  auto dispatcher = std::make_unique<api::Dispatcher>(**engine, dispatcher_options);

  http::ServerOptions server_options;
  server_options.host = config.listen_host;
  server_options.port = config.listen_port;
  server_options.threads = config.threads;
  server_options.max_body_bytes = dispatcher_options.max_body_bytes;
  auto server = http::StartHttpServer(server_options, *dispatcher);
  if (!server.ok()) {
    spdlog::error("cannot listen on {}:{}: {}", config.listen_host, config.listen_port,
                  server.error());
    return 2;
  }
  const auto startup_ms = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count() /
                          1000.0;
  spdlog::info("dunlin listening on {}:{} ({}, region {}, writes {}), ready in {:.1f} ms",
               config.listen_host, (*server)->port(),
               config.in_memory ? "in memory" : "data in " + config.data_dir, config.region,
               config.sync_writes ? "synced" : "not synced", startup_ms);
  if (!credentials) {
    spdlog::warn("no --credentials given: any well-formed signature is accepted (loopback only)");
  }

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  (*server)->Stop();
  server->reset();
  dispatcher.reset();  // drains the pool of catalog changes
  engine->reset();     // flushes and closes the database
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace
}  // namespace dunlin::server

int main(int argc, char** argv) {
  using dunlin::server::ServeConfig;
  CLI::App app{"dunlin: a DynamoDB-compatible database server"};
  app.require_subcommand(1);
  ServeConfig config;
  std::string listen = "127.0.0.1:8000";
  CLI::App* serve = app.add_subcommand("serve", "Run the server");
  serve->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--data-dir", config.data_dir, "Data directory")->capture_default_str();
  serve->add_flag("--in-memory", config.in_memory, "Keep all data in memory (nothing persists)");
  serve->add_option("--region", config.region, "Region reported in ARNs and checked in signatures")
      ->capture_default_str();
  serve->add_option("--credentials", config.credentials_file,
                    "File of 'ACCESS_KEY_ID SECRET_ACCESS_KEY' lines; signatures are verified");
  serve->add_option("--log-level", config.log_level, "trace, debug, info, warn, error, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  serve->add_flag("!--no-sync", config.sync_writes,
                  "Acknowledge writes before the WAL is synced (faster; a power loss may lose "
                  "the most recent writes)");
  serve->add_option("--threads", config.threads, "Event loops (0: one per core)")
      ->capture_default_str();
  serve->add_option("--backfill-batch", config.backfill_batch_items,
                    "Index backfills index this many items between pauses")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  serve->add_option("--backfill-pause-ms", config.backfill_pause_ms,
                    "Pause between index backfill batches, in milliseconds")
      ->capture_default_str()
      ->check(CLI::Range(0, 60000));
  serve->add_option("--item-collection-limit", config.item_collection_limit_bytes,
                    "Most bytes an item collection of a table with local indexes may hold "
                    "(DynamoDB: 10 GiB)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  serve->add_option("--stream-retention-s", config.stream_retention_s,
                    "Seconds DynamoDB Streams records (and disabled streams) are kept "
                    "(DynamoDB: 24 hours)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{365} * 24 * 3600));
  serve->add_option("--stream-shard-roll-s", config.stream_shard_roll_s,
                    "Seconds a stream shard stays open before a child shard takes over "
                    "(DynamoDB: about 4 hours)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{365} * 24 * 3600));
  serve->add_option("--stream-iterator-lifetime-s", config.stream_iterator_lifetime_s,
                    "Seconds a stream shard iterator stays usable (DynamoDB: 15 minutes)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{365} * 24 * 3600));
  serve->add_option("--ttl-change-interval-s", config.ttl_change_interval_s,
                    "Least seconds between two UpdateTimeToLive changes of one table; 0 allows "
                    "any number (DynamoDB: about an hour)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, dunlin::server::kMaxTtlChangeIntervalSeconds));
  serve->add_option("--ttl-sweep-interval-ms", config.ttl_sweep_interval_ms,
                    "Period of the sweep that deletes expired items, in milliseconds")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, dunlin::server::kMaxTtlSweepIntervalMs));
  serve->add_flag("--hide-expired-items", config.hide_expired_items,
                  "Extension: reads leave out items whose Time to Live has passed but which "
                  "are not deleted yet (DynamoDB returns them)");
  app.add_subcommand("version", "Print the version")->callback([] { std::puts("dunlin 0.1.0"); });
  CLI11_PARSE(app, argc, argv);

  if (serve->parsed()) {
    auto address = dunlin::server::ParseListenAddress(listen);
    if (!address.ok()) {
      std::fprintf(stderr, "%s\n", address.error().c_str());
      return 2;
    }
    config.listen_host = address->first;
    config.listen_port = address->second;
    try {
      return dunlin::server::Serve(config);
    } catch (const std::exception& e) {
      spdlog::critical("fatal: {}", e.what());
      return 1;
    }
  }
  return 0;
}
