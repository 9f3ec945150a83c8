// QueryRange: the exact storage-key range a Query (engine.h QuerySpec) reads.
//
// Every storage key of one partition starts with the partition prefix P =
// [table id][hash][encoded partition key], and key encodings are order-preserving and
// prefix-free (key_encoding.h), so each sort key condition is one half-open range
// [lower, upper) of storage keys, read forward or backward. With E(v) the encoding of sort key
// value v, and X + 00 the smallest string greater than X:
//   no condition     [P, succ(P))          = v        [P E(v), P E(v) 00)
//   < v              [P, P E(v))           <= v       [P, P E(v) 00)
//   > v              [P E(v) 00, succ(P))  >= v       [P E(v), succ(P))
//   BETWEEN lo, hi   [P E(lo), P E(hi) 00)
//   begins_with p    [P E'(p), succ(P E'(p)))  where E'(p) is E(p) without its terminator
// succ(X) is PrefixSuccessor (key_encoding.h). A table without a sort key reads [P, P 00).
// An exclusive start key K narrows the range to K 00 from below (forward) or to K from above
// (backward). docs/storage-format.md ("Query ranges") explains why each bound is exact.
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
