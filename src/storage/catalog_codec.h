// The binary encoding of catalog entries (model::TableMetadata) and of the engine's meta record.
//
// Both are sequences of tagged fields: varint tag, varint length, then that many bytes. Decoders
// skip tags they do not know, so a later version can add fields (indexes, streams, TTL) that an
// older reader ignores, and a newer reader treats absent fields as their defaults. A tag's
// meaning is fixed forever once released; docs/storage-format.md lists them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::storage {

std::string EncodeTableMetadata(const model::TableMetadata& table);

// Fails with kCorruption on malformed bytes, unknown enum values, or a missing name, internal id
// or partition key.
StorageResult<model::TableMetadata> DecodeTableMetadata(std::string_view bytes);

// The engine-wide record stored under the "meta" key.
struct MetaRecord {
  // The storage format of the whole data directory (keys, items, catalog, stats).
  uint32_t format_version = 0;
  // The internal_id the next CreateTable assigns; ids are never reused.
  uint64_t next_table_id = 1;
  friend bool operator==(const MetaRecord&, const MetaRecord&) = default;
};

std::string EncodeMetaRecord(const MetaRecord& meta);
// Fails with kCorruption on malformed bytes or a missing format version.
StorageResult<MetaRecord> DecodeMetaRecord(std::string_view bytes);

}  // namespace dunlin::storage
