// The binary encoding of items as stored in the "items" column family.
//
// An encoded item is a format-version byte followed by the attribute count and the attributes
// (name, then typed value). Values are a type byte and a payload: lengths and counts are
// varints, numbers are stored as sign, digit count, exponent and digit pairs, maps and lists
// nest. docs/storage-format.md gives the byte-level layout.
//
// Decoding never trusts its input: truncated, overlong or otherwise invalid bytes (unknown type
// bytes, non-canonical numbers, unsorted or duplicate set elements, duplicate map keys, nesting
// deeper than kMaxDecodeDepth) are reported as kCorruption, never undefined behaviour.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "storage/engine.h"

namespace dunlin::storage {

// The item encoding this build writes (and the only one it reads).
inline constexpr uint8_t kItemFormatVersion = 1;

// Deepest nesting of maps and lists decoding accepts. Valid items nest at most 32 levels
// (model::kMaxNestingDepth); the margin keeps any valid item readable while bounding recursion.
inline constexpr int kMaxDecodeDepth = 64;

// Appends the encoding of `item` to `out`.
void EncodeItem(const model::Item& item, std::string& out);
std::string EncodeItem(const model::Item& item);

// Decodes a whole encoded item. Fails with kCorruption.
StorageResult<model::Item> DecodeItem(std::string_view bytes);

// Appends the encoding of one value (type byte and payload), as used inside items; exposed for
// other stored records (e.g. stream images) that embed values.
void AppendAttributeValue(std::string& out, const model::AttributeValue& value);

// Decodes one value from the front of `input` and advances past it. Fails with kCorruption.
StorageResult<model::AttributeValue> DecodeAttributeValue(std::string_view& input);

}  // namespace dunlin::storage
