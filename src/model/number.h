// Number: DynamoDB's exact decimal number type.
//
// DynamoDB numbers are decimals with up to 38 significant digits, magnitudes between 1E-130 and
// 9.9999999999999999999999999999999999999E+125, plus zero. They are stored and compared exactly:
// "1E3", "1000" and "1000.00" are the same number (and the same key). A Number always holds the
// canonical form: no leading or trailing zeros in the digit string, zero has no sign.
// (Developer Guide, "Supported data types", Number.)
//
// Thread-safety: a plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dunlin::model {

inline constexpr int kMaxNumberSignificantDigits = 38;
// DynamoDB's range in terms of Number::exponent() (value = 0.d1d2... x 10^exponent):
// 1E-130 = 0.1 x 10^-129 and 9.99...9E+125 = 0.99...9 x 10^126.
inline constexpr int kMinNumberExponent = -129;
inline constexpr int kMaxNumberExponent = 126;

// Why a number string was rejected. The messages (NumberErrorMessage) are DynamoDB Local's:
enum class NumberError {
  kNotANumber,     // "A value provided cannot be converted into a number"
  kTooManyDigits,  // "DynamoDB only supports precision up to 38 digits"
  kOverflow,       // "Number overflow. Attempting to store a number with magnitude larger ..."
  kUnderflow,      // "Number underflow. Attempting to store a number with magnitude smaller ..."
};

// The DynamoDB error message for `error`. `text` is the offending input; DynamoDB's messages do
// not quote it, so it is currently unused.
std::string NumberErrorMessage(NumberError error, std::string_view text);

class Number {
 public:
  // Zero.
  Number() = default;

  // Parses DynamoDB's number syntax: optional sign, digits with an optional decimal point
  // ("5.", ".5"), optional exponent (e/E, optional sign, digits). Whitespace, hex, NaN and
  // Infinity are kNotANumber, as are exponents or scales beyond 32 bits. Checks, in order:
  // syntax, more than 38 significant digits (leading and trailing zeros do not count), range.
  static Result<Number, NumberError> Parse(std::string_view text);

  // Builds the number 0.<digits> x 10^exponent (negated when `negative`) from parts that are
  // already canonical, without parsing or validating them; for decoders that check the parts
  // themselves (storage/number_parts.h). Empty `digits` is zero.
  // REQUIRES: digits are '0'..'9', at most kMaxNumberSignificantDigits, first and last not '0';
  // kMinNumberExponent <= exponent <= kMaxNumberExponent; for zero, !negative and exponent 0.
  static Number FromCanonicalParts(bool negative, std::string digits, int exponent);

  // From a machine integer (always in range).
  static Number FromInt64(int64_t value);

  bool is_zero() const { return digits_.empty(); }
  bool is_negative() const { return negative_; }

  // Significant digits, '1'..'9' first and last; empty for zero.
  const std::string& digits() const { return digits_; }

  // Decimal exponent of the first digit: value = 0.d1d2d3... x 10^exponent(). 0 for zero.
  int exponent() const { return exponent_; }

  // The canonical text DynamoDB returns: plain notation, no exponent, e.g. "-12.5", "1000",
  // "0.001", "0".
  std::string ToString() const;

  // Exact arithmetic; fails with kTooManyDigits/kOverflow/kUnderflow like DynamoDB's ADD and
  // SET a = b + c.
  Result<Number, NumberError> Add(const Number& other) const;
  Result<Number, NumberError> Subtract(const Number& other) const;
  Number Negated() const;

  // Total order by numeric value.
  int Compare(const Number& other) const;
  friend bool operator==(const Number& a, const Number& b) {
    return a.negative_ == b.negative_ && a.exponent_ == b.exponent_ && a.digits_ == b.digits_;
  }
  friend bool operator<(const Number& a, const Number& b) { return a.Compare(b) < 0; }

  // Bytes DynamoDB counts for this number in item-size computations: one byte per base-100
  // digit pair, pairs aligned on the decimal point (so 1.5 takes two pairs, 15 one), plus one
  // byte, plus one more when negative; zero takes 1 byte. Measured against DynamoDB Local's
  // 400 KB limit; the Developer Guide ("Item sizes and formats") gives the approximation
  // ceil(significant digits / 2) + 1.
  size_t SizeBytes() const;

 private:
  // Builds from raw parts, trimming zeros and checking the range.
  static Result<Number, NumberError> FromParts(bool negative, std::string digits, int exponent);

  bool negative_ = false;
  std::string digits_;
  int exponent_ = 0;
};

}  // namespace dunlin::model
