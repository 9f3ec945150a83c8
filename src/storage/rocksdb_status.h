// Small helpers shared by the files that make up the RocksDB engine: RocksDB statuses as
// StorageErrors, the missing-table error, and the stats key of a table or index.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "storage/engine.h"

namespace rocksdb {
class Status;
}  // namespace rocksdb

namespace dunlin::storage {

// kCorruption for a corruption status, else kIo; the message is `context`: status.
StorageError FromStatus(const rocksdb::Status& status, const std::string& context);

// kTableNotFound naming the table.
inline StorageError TableNotFound(const std::string& name) {
  return StorageError{StorageError::Code::kTableNotFound, "table not found: " + name};
}

// The key of a table's or index's statistics in the "stats" column family: its 8-byte id.
std::string StatsKey(uint64_t internal_id);

}  // namespace dunlin::storage
