// Helpers for storing model::Number as its parts (sign, significant digits, exponent), shared by
// the key encoding and the item encoding.
//
// Digits are packed two per byte as the value 10 * d1 + d2 plus an offset (an odd last digit is
// paired with 0). Rebuilding a Number from stored parts validates them, so corrupt bytes turn
// into an error rather than into a non-canonical Number.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/number.h"

namespace dunlin::storage {

// Appends the digit pairs of `digits` ('0'..'9'), each byte = offset + 10 * d1 + d2.
// REQUIRES: offset + 99 <= 255.
void AppendDigitPairs(std::string& out, std::string_view digits, uint8_t offset);

// Appends the two digits a pair byte stands for; false when the byte is out of range.
bool AppendDigitsOfPair(std::string& digits, uint8_t byte, uint8_t offset);

// Builds the number 0.<digits> x 10^exponent, negated when `negative`. Returns nullopt unless
// the parts are canonical (1 to 38 digits, first and last non-zero) and in DynamoDB's range
// (model::kMinNumberExponent..kMaxNumberExponent); nothing is parsed.
// A trailing '0' left by an odd-length pairing must be removed by the caller first.
std::optional<model::Number> NumberFromParts(bool negative, std::string_view digits,
                                             int64_t exponent);

}  // namespace dunlin::storage
