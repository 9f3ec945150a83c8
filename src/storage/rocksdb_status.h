// RocksDB statuses as StorageErrors, for the files that make up the RocksDB engine.
//
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "storage/engine.h"

namespace rocksdb {
class Status;
}  // namespace rocksdb

namespace dunlin::storage {

// kCorruption for a corruption status, else kIo; the message is `context`: status.
StorageError FromStatus(const rocksdb::Status& status, const std::string& context);

}  // namespace dunlin::storage
