// The iteration order of Java's HashMap and HashSet over string keys, for the places where
// DynamoDB Local's answer follows it (which table of a batch is checked first, the order of
// the unused placeholders it lists) and no documentation gives another.
//
// A HashMap keeps an entry in bucket (h ^ (h >>> 16)) & (capacity - 1), h the key's
// String.hashCode, and iterates bucket by bucket; entries of one bucket keep the order they
// were put in.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dunlin {

// String.hashCode of `utf8`'s UTF-16 code units: s[0]*31^(n-1) + ... + s[n-1], modulo 2^32. A
// byte that does not start a valid UTF-8 sequence counts as one unit.
uint32_t JavaStringHash(std::string_view utf8);

// The bucket of `key` in a table of `capacity` buckets (a power of two).
size_t JavaHashBucket(std::string_view key, size_t capacity);

// The capacity of a HashMap created with the default 16 buckets after `entries` puts (it
// doubles whenever it holds more than three quarters of its capacity).
size_t JavaDefaultCapacity(size_t entries);

// The capacity of a HashMap sized in advance for `entries` (Java's HashMap.newHashMap): the
// power of two at or above ceil(entries / 0.75).
size_t JavaPresizedCapacity(size_t entries);

}  // namespace dunlin
