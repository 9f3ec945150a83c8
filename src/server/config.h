// ServeConfig: the settings of `dunlin serve`, from the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"

namespace dunlin::server {

// Upper bounds of the TTL flags: a week between changes, a day between sweeps.
inline constexpr int64_t kMaxTtlChangeIntervalSeconds = int64_t{7} * 24 * 3600;
inline constexpr int64_t kMaxTtlSweepIntervalMs = int64_t{24} * 3600 * 1000;

struct ServeConfig {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8000;
  std::string data_dir = "./dunlin-data";
  bool in_memory = false;
  std::string region = "us-east-1";
  std::string credentials_file;  // empty: no credentials
  std::string log_level = "info";
  // false: acknowledge writes before the WAL is synced (faster; a power loss may lose the
  // last writes, a process crash does not).
  bool sync_writes = true;
  int threads = 0;  // event loops; 0 = one per core
  // Pace of the backfill of a global index added to a table with items: this many items, then
  // a pause of this long (storage::EngineOptions).
  size_t backfill_batch_items = 1000;
  int backfill_pause_ms = 1;
  // The most an item collection (tables with local indexes) may hold.
  int64_t item_collection_limit_bytes = int64_t{10} << 30;
  // DynamoDB Streams: how long records (and disabled streams) are kept, how long a shard stays
  // open before the next one takes over, and how long a shard iterator stays usable.
  int64_t stream_retention_s = 24 * 3600;
  int64_t stream_shard_roll_s = 4 * 3600;
  int64_t stream_iterator_lifetime_s = 15 * 60;
  // Least time between two successful UpdateTimeToLive changes of one table; 0 allows any
  // number (api::ServiceConfig).
  int64_t ttl_change_interval_s = 3600;
  // The period of the expiry sweeper (the background deletion of items whose Time to Live has
  // passed), in milliseconds; at least 1.
  int64_t ttl_sweep_interval_ms = 1000;
  // Extension: reads leave out items whose Time to Live has passed before the sweeper deletes
  // them (api/expired_items.h).
  bool hide_expired_items = false;
};

// Splits "HOST:PORT" ("[::1]:8000" for IPv6); fails with a readable message.
Result<std::pair<std::string, uint16_t>, std::string> ParseListenAddress(const std::string& text);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace dunlin::server
