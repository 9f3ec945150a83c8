// The storage side of DynamoDB Streams: what a stream, its shards and its records are.
//
// Every item write to a table whose stream is enabled leaves one record in the stream, in the
// same atomic write as the item (engine.h). Records carry sequence numbers from one
// engine-wide counter, increasing in commit order, so a stream's records are ordered as their
// writes were applied. A stream's records are split into shards by sequence number ranges: the
// open shard takes every new record; a shard is closed when the stream is disabled (its table
// deleted included) or when it has been open for EngineOptions::stream_shard_roll_ms, and the
// next one names it as its parent. Records older than the retention period are trimmed, and a
// disabled stream goes once its retention has passed.
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "model/table.h"

namespace dunlin::storage {

// One record: an item change as DynamoDB Streams reports it.
struct StreamRecord {
  enum class Event { kInsert, kModify, kRemove };
  uint64_t sequence = 0;
  Event event = Event::kInsert;
  // Epoch milliseconds when the change was queued.
  int64_t created_ms = 0;
  // A Time to Live deletion (DynamoDB's service identity), not a user's write.
  bool by_service = false;
  // The table's key attributes of the changed item.
  model::Item keys;
  // As the stream's view type asks: the item after the change (not for kRemove), before it
  // (not for kInsert).
  std::optional<model::Item> new_image;
  std::optional<model::Item> old_image;
  // DynamoDB's SizeBytes: the item sizes (model/item_size.h) of keys and both images.
  int64_t size_bytes = 0;
};

// A shard: the records of a stream with sequence numbers in [first_sequence, last_sequence].
struct StreamShard {
  // The shard's position in its stream, from 0; shard n > 0 is the child of shard n - 1.
  uint32_t number = 0;
  // Epoch milliseconds when the shard was opened.
  int64_t created_ms = 0;
  // DynamoDB's StartingSequenceNumber: below every record of the shard.
  uint64_t first_sequence = 0;
  // Set once the shard is closed (EndingSequenceNumber): its last record's sequence number,
  // or first_sequence when it has none.
  std::optional<uint64_t> last_sequence;
  friend bool operator==(const StreamShard&, const StreamShard&) = default;
};

// A stream as the engine keeps it, from the moment it is enabled until its retention has
// passed after it was disabled.
struct StreamInfo {
  uint64_t stream_id = 0;  // model::TableStream::stream_id
  std::string table_name;
  uint64_t table_id = 0;  // the table's internal_id (a table of the same name may follow)
  std::string label;      // model::TableStream::label
  model::StreamViewType view_type = model::StreamViewType::kNewAndOldImages;
  model::KeySchema key_schema;  // the table's
  bool enabled = true;
  int64_t created_ms = 0;   // epoch milliseconds
  int64_t disabled_ms = 0;  // 0 while enabled
  // Shards still within retention, oldest first; the last one is open while the stream is
  // enabled.
  std::vector<StreamShard> shards;
  // Records with lower sequence numbers were trimmed (0: none yet).
  uint64_t trim_horizon = 0;
  friend bool operator==(const StreamInfo&, const StreamInfo&) = default;
};

}  // namespace dunlin::storage
