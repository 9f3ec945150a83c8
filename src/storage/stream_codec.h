// The stored forms of streams (stream_types.h): record keys and values in the "stream_records"
// column family, stream descriptors in the "streams" column family, and the planning of the
// record an item change leaves. docs/storage-format.md gives the byte layouts.
//
// Decoding never trusts its input: malformed bytes are kCorruption.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "model/table.h"
#include "storage/engine.h"
#include "storage/stream_types.h"

namespace dunlin::storage {

// Key of a record: stream id then sequence number, 8 bytes big-endian each, so a stream's
// records sort by sequence number.
std::string StreamRecordKey(uint64_t stream_id, uint64_t sequence);
// The sequence number of a record key. REQUIRES: a key of StreamRecordKey's form.
uint64_t StreamRecordSequence(std::string_view key);
// Key of a stream descriptor: the stream id, 8 bytes big-endian.
std::string StreamInfoKey(uint64_t stream_id);

// The value of the record an item change leaves in a stream of `view_type`, without its
// sequence number (the key's): nullopt when the change changes nothing (a put of an item equal
// to the stored one, byte for byte once encoded, or a delete of an absent item), which leaves
// no record. `new_encoded` is EncodeItem(*new_item) when new_item is set.
// REQUIRES: old_item or new_item set; both carry the key of `key_schema`.
std::optional<std::string> PlanStreamRecord(const model::KeySchema& key_schema,
                                            model::StreamViewType view_type,
                                            const model::Item* old_item,
                                            const model::Item* new_item,
                                            const std::string* new_encoded, int64_t created_ms,
                                            bool by_service);

// Decodes a record value; the record's sequence number is the caller's to set.
StorageResult<StreamRecord> DecodeStreamRecord(std::string_view value);

std::string EncodeStreamInfo(const StreamInfo& info);
StorageResult<StreamInfo> DecodeStreamInfo(std::string_view bytes);

}  // namespace dunlin::storage
