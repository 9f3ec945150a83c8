// QueryRange: the exact storage-key range a Query (engine.h QuerySpec) reads.
//
// Every storage key of one partition starts with the partition prefix P =
// [id][hash][encoded partition key], and key encodings are order-preserving and prefix-free
// (key_encoding.h), so each sort key condition is one half-open range [lower, upper) of storage
// keys, read forward or backward. With E(v) the encoding of sort key value v and succ(X) the
// smallest string greater than every string starting with X (PrefixSuccessor):
//   no condition     [P, succ(P))          = v        [P E(v), succ(P E(v)))
//   < v              [P, P E(v))           <= v       [P, succ(P E(v)))
//   > v              [succ(P E(v)), succ(P))  >= v    [P E(v), succ(P))
//   BETWEEN lo, hi   [P E(lo), succ(P E(hi)))
//   begins_with p    [P E'(p), succ(P E'(p)))  where E'(p) is E(p) without its terminator
// For a table, the only key starting with P E(v) is P E(v) itself. For a secondary index
// (QuerySpec::index), P is the index's prefix and E the index sort key's encoding, and entry
// keys continue with the table key (index_entries.h): the same bounds take in every entry of
// one index key. An exclusive start key K (an entry key for an index) narrows the range to
// K 00 from below (forward) or to K from above (backward). docs/storage-format.md ("Query
// ranges") explains why each bound is exact.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::storage {

// A half-open range of storage keys [lower, upper); empty when lower >= upper.
struct QueryKeyRange {
  std::string lower;
  std::string upper;
  bool empty() const { return lower >= upper; }
};

// The storage keys of the items `spec` selects in `table`. Fails with kInvalidArgument when
// `spec` breaks a REQUIRES of QuerySpec (engine.h).
StorageResult<QueryKeyRange> QueryKeyRangeOf(const model::TableMetadata& table,
                                             const QuerySpec& spec);

}  // namespace dunlin::storage
