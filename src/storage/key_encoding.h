// Storage keys: the order-preserving, prefix-free byte strings items are stored under.
//
// Layout (docs/storage-format.md has worked examples):
//   [8 bytes: table internal_id, big-endian]
//   [4 bytes: PartitionHash(encoded partition key), big-endian]
//   [encoded partition key value]
//   [encoded sort key value, when the table has a sort key]
//
// Why this shape:
//   1. The table id prefix keeps each table contiguous, so dropping a table is one range delete.
//   2. The hash spreads partitions over a 32-bit space like DynamoDB's hashing: Scan returns
//      items in hash order, and parallel-scan segment s of n is one contiguous hash range.
//   3. Within a partition, sort keys are stored in DynamoDB's sort order (numbers by value,
//      strings by UTF-8 bytes, binaries by unsigned bytes), so a Query is one range read.
//   4. Every encoded value is prefix-free, so one partition's keys never interleave with
//      another's, and a partition prefix bounds exactly that partition's items.
// The table's key types are fixed by its schema, so encoded values carry no type tag.
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

namespace dunlin::storage {

inline constexpr size_t kTableIdBytes = 8;
inline constexpr size_t kPartitionHashBytes = 4;
// Bytes before the encoded partition key.
inline constexpr size_t kStorageKeyHeaderBytes = kTableIdBytes + kPartitionHashBytes;
// Hash values are in [0, kHashSpace).
inline constexpr uint64_t kHashSpace = uint64_t{1} << 32;

// Appends the encoding of a scalar key value (S, N or B) to `out`:
//   S, B: the bytes with 0x00 escaped as 0x00 0xFF, then the terminator 0x00 0x01.
//   N:    0x02 for zero; 0x03, exponent + 0x8000 (2 bytes big-endian), digit pairs (each
//         1 + 10 * d1 + d2), 0x00 for positives; 0x01 then the complement of those bytes after
//         the tag for negatives.
// Byte order of encodings equals DynamoDB's order of values of the same type.
// REQUIRES: value.type() is kS, kN or kB.
void AppendKeyValue(std::string& out, const model::AttributeValue& value);

// Decodes one value of `type` from the front of `input` and advances it past the value.
// Fails with kCorruption when the bytes are not a valid encoding.
StorageResult<model::AttributeValue> DecodeKeyValue(std::string_view& input,
                                                    model::AttributeType type);

// The storage-format hash of an encoded partition key: 64-bit FNV-1a over the bytes, mixed by
// MurmurHash3's fmix64 finalizer, high 32 bits. Fixed forever by the storage format.
uint32_t PartitionHash(std::string_view encoded_partition_key);

// 64-bit FNV-1a followed by fmix64 (the full value PartitionHash takes its high half of). Also
// used to pick lock stripes.
uint64_t Hash64(std::string_view bytes);

// The 8-byte prefix shared by all of a table's storage keys.
std::string TablePrefix(uint64_t internal_id);

// Appends the encoding of an S or B value whose bytes are `bytes`, without its terminator: the
// encodings of exactly the values that start with `bytes` start with these bytes (0x00 is still
// written 0x00 0xFF, so a prefix ending in 0x00 cannot match a shorter value's terminator).
void AppendKeyBytesPrefix(std::string& out, std::string_view bytes);

// The smallest byte string greater than every string that starts with `prefix`: `prefix` with
// its trailing 0xFF bytes removed and its last byte incremented. Empty when no such string
// exists (`prefix` is empty or all 0xFF), i.e. there is no upper bound.
std::string PrefixSuccessor(std::string_view prefix);

// [table id][partition hash][encoded partition key]: the prefix of every storage key of the
// partition `partition` of `table`, and of no other key. Fails with kInvalidArgument when
// `partition` is not of the partition key's type.
StorageResult<std::string> EncodePartitionPrefix(const model::TableMetadata& table,
                                                 const model::AttributeValue& partition);

// The storage key of `key` in `table`. Fails with kInvalidArgument when a key value is
// missing or not of the type the schema defines; callers validate keys first, so that is a bug.
StorageResult<std::string> EncodeStorageKey(const model::TableMetadata& table,
                                            const model::PrimaryKey& key);

// The storage key of the key attributes of `item` (e.g. an ExclusiveStartKey). Other
// attributes are ignored. Fails like EncodeStorageKey.
StorageResult<std::string> EncodeStorageKeyOfItem(const model::TableMetadata& table,
                                                  const model::Item& item);

// A half-open range of hash values [begin, end), 0 <= begin <= end <= kHashSpace.
struct HashRange {
  uint64_t begin = 0;
  uint64_t end = kHashSpace;
  friend bool operator==(const HashRange&, const HashRange&) = default;
};

// The hash values of parallel-scan segment `segment` of `total_segments`: those h with
// floor(h * total_segments / 2^32) == segment. Segments are contiguous, disjoint and cover the
// whole space. REQUIRES: segment < total_segments.
HashRange SegmentHashRange(uint32_t segment, uint32_t total_segments);

// The storage keys of `table`'s items whose partition hash lies in `range`: [begin, end).
// REQUIRES: internal_id < UINT64_MAX (ids are assigned upwards from 1).
struct StorageKeyRange {
  std::string begin;
  std::string end;
};
StorageKeyRange StorageKeyRangeOf(uint64_t internal_id, const HashRange& range);

// A storage key taken apart.
struct DecodedStorageKey {
  uint64_t internal_id = 0;
  uint32_t hash = 0;
  model::AttributeValue partition;
  std::optional<model::AttributeValue> sort;
};

// Decodes a storage key of a table with `schema`. Fails with kCorruption when the bytes are not
// a valid key, have trailing bytes, or the stored hash does not match the partition key.
StorageResult<DecodedStorageKey> DecodeStorageKey(std::string_view key,
                                                  const model::KeySchema& schema);

}  // namespace dunlin::storage
