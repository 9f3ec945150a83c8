#include "model/number.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

namespace dunlin::model {
namespace {

constexpr int kMinExponent = kMinNumberExponent;
constexpr int kMaxExponent = kMaxNumberExponent;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Floor division by 2 that rounds toward negative infinity for negative values.
int64_t FloorHalf(int64_t value) { return value >= 0 ? value / 2 : -((-value + 1) / 2); }

// Compares two magnitudes given as canonical digit strings and exponents.
int CompareMagnitude(const std::string& a_digits, int a_exponent, const std::string& b_digits,
                     int b_exponent) {
  if (a_exponent != b_exponent) return a_exponent < b_exponent ? -1 : 1;
  const int c = a_digits.compare(b_digits);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::string NumberErrorMessage(NumberError error, std::string_view /*text*/) {
  switch (error) {
    case NumberError::kNotANumber:
      return "A value provided cannot be converted into a number";
    case NumberError::kTooManyDigits:
      return "DynamoDB only supports precision up to 38 digits";
    case NumberError::kOverflow:
      return "Number overflow. Attempting to store a number with magnitude larger than supported "
             "range";
    case NumberError::kUnderflow:
      return "Number underflow. Attempting to store a number with magnitude smaller than "
             "supported range";
  }
  return "A value provided cannot be converted into a number";
}

Result<Number, NumberError> Number::Parse(std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  const size_t int_begin = i;
  while (i < n && IsDigit(text[i])) ++i;
  const std::string_view int_part = text.substr(int_begin, i - int_begin);
  std::string_view frac_part;
  if (i < n && text[i] == '.') {
    const size_t frac_begin = ++i;
    while (i < n && IsDigit(text[i])) ++i;
    frac_part = text.substr(frac_begin, i - frac_begin);
  }
  if (int_part.empty() && frac_part.empty()) return Fail(NumberError::kNotANumber);

  int64_t exponent_value = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    const size_t exponent_begin = i;
    for (; i < n && IsDigit(text[i]); ++i) {
      // Saturate: anything past 32 bits is rejected below anyway.
      if (exponent_value < (int64_t{1} << 40)) {
        exponent_value = exponent_value * 10 + (text[i] - '0');
      }
    }
    if (i == exponent_begin) return Fail(NumberError::kNotANumber);
    if (exponent_negative) exponent_value = -exponent_value;
  }
  if (i != n) return Fail(NumberError::kNotANumber);

  // DynamoDB parses numbers as Java BigDecimal values, whose exponent and scale are 32-bit:
  // inputs beyond that are not numbers at all, rather than out of range.
  constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
  constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
  if (exponent_value < kInt32Min || exponent_value > kInt32Max) {
    return Fail(NumberError::kNotANumber);
  }
  const int64_t scale = static_cast<int64_t>(frac_part.size()) - exponent_value;
  if (scale < kInt32Min || scale > kInt32Max) return Fail(NumberError::kNotANumber);

  // The mantissa digits are int_part followed by frac_part; find the significant ones.
  const size_t total = int_part.size() + frac_part.size();
  auto digit_at = [&](size_t k) {
    return k < int_part.size() ? int_part[k] : frac_part[k - int_part.size()];
  };
  size_t first = 0;
  while (first < total && digit_at(first) == '0') ++first;
  if (first == total) return Number();
  size_t last = total - 1;
  while (digit_at(last) == '0') --last;
  const size_t significant = last - first + 1;
  if (significant > static_cast<size_t>(kMaxNumberSignificantDigits)) {
    return Fail(NumberError::kTooManyDigits);
  }

  const int64_t exponent =
      static_cast<int64_t>(int_part.size()) - static_cast<int64_t>(first) + exponent_value;
  // The range check works on the 32-bit adjusted exponent (exponent - 1), wrapping like the
  // Java int arithmetic behind DynamoDB's check does at the very edge of the BigDecimal range.
  const auto adjusted = static_cast<int32_t>(static_cast<uint32_t>(exponent - 1));
  if (adjusted > kMaxExponent - 1) return Fail(NumberError::kOverflow);
  if (adjusted < kMinExponent - 1) return Fail(NumberError::kUnderflow);
  if (exponent > kMaxExponent) return Fail(NumberError::kOverflow);
  if (exponent < kMinExponent) return Fail(NumberError::kUnderflow);

  Number number;
  number.negative_ = negative;
  number.exponent_ = static_cast<int>(exponent);
  number.digits_.reserve(significant);
  if (first < int_part.size()) {
    const size_t int_last = std::min(last, int_part.size() - 1);
    number.digits_.append(int_part.substr(first, int_last - first + 1));
  }
  if (last >= int_part.size()) {
    const size_t frac_first = first > int_part.size() ? first - int_part.size() : 0;
    number.digits_.append(frac_part.substr(frac_first, last - int_part.size() - frac_first + 1));
  }
  return number;
}

Number Number::FromInt64(int64_t value) {
  Number number;
  if (value == 0) return number;
  number.negative_ = value < 0;
  // Negate in unsigned arithmetic so that INT64_MIN works.
  uint64_t magnitude = number.negative_ ? ~static_cast<uint64_t>(value) + 1 : value;
  char buffer[20];
  int length = 0;
  while (magnitude > 0) {
    buffer[length++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  }
  number.exponent_ = length;
  int end = 0;
  while (buffer[end] == '0') ++end;  // trailing zeros of the value sit at the buffer's start
  number.digits_.reserve(length - end);
  for (int k = length - 1; k >= end; --k) number.digits_.push_back(buffer[k]);
  return number;
}

Number Number::FromCanonicalParts(bool negative, std::string digits, int exponent) {
  Number number;
  if (digits.empty()) return number;
  number.negative_ = negative;
  number.digits_ = std::move(digits);
  number.exponent_ = exponent;
  return number;
}

Result<Number, NumberError> Number::FromParts(bool negative, std::string digits, int exponent) {
  size_t first = 0;
  while (first < digits.size() && digits[first] == '0') ++first;
  if (first == digits.size()) return Number();
  size_t end = digits.size();
  while (digits[end - 1] == '0') --end;
  if (end - first > static_cast<size_t>(kMaxNumberSignificantDigits)) {
    return Fail(NumberError::kTooManyDigits);
  }
  exponent -= static_cast<int>(first);
  if (exponent > kMaxExponent) return Fail(NumberError::kOverflow);
  if (exponent < kMinExponent) return Fail(NumberError::kUnderflow);
  digits.erase(end);
  digits.erase(0, first);
  Number number;
  number.negative_ = negative;
  number.digits_ = std::move(digits);
  number.exponent_ = exponent;
  return number;
}

std::string Number::ToString() const {
  if (is_zero()) return "0";
  const int n = static_cast<int>(digits_.size());
  std::string out;
  out.reserve(n + (exponent_ > 0 ? std::max(exponent_ - n, 1) : 2 - exponent_) + 1);
  if (negative_) out.push_back('-');
  if (exponent_ <= 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-exponent_), '0');
    out.append(digits_);
  } else if (exponent_ >= n) {
    out.append(digits_);
    out.append(static_cast<size_t>(exponent_ - n), '0');
  } else {
    out.append(digits_, 0, exponent_);
    out.push_back('.');
    out.append(digits_, exponent_, std::string::npos);
  }
  return out;
}

Result<Number, NumberError> Number::Add(const Number& other) const {
  if (is_zero()) return other;
  if (other.is_zero()) return *this;

  // Lay both magnitudes out on a common grid of decimal places, from place `high` (a spare slot
  // for the carry) down to place `low`, the lowest place either operand uses.
  const int a_low = exponent_ - static_cast<int>(digits_.size());
  const int b_low = other.exponent_ - static_cast<int>(other.digits_.size());
  const int low = std::min(a_low, b_low);
  const int high = std::max(exponent_, other.exponent_);
  const size_t width = static_cast<size_t>(high - low + 1);
  // Index k of the grid holds place high - k.
  auto place_index = [&](int exponent) { return static_cast<size_t>(high - exponent + 1); };

  const bool same_sign = negative_ == other.negative_;
  const Number* larger = this;
  const Number* smaller = &other;
  bool negative = negative_;
  if (!same_sign) {
    const int c = CompareMagnitude(digits_, exponent_, other.digits_, other.exponent_);
    if (c == 0) return Number();
    if (c < 0) std::swap(larger, smaller);
    negative = larger->negative_;
  }

  std::string grid(width, 0);
  const size_t larger_at = place_index(larger->exponent_);
  for (size_t j = 0; j < larger->digits_.size(); ++j)
    grid[larger_at + j] = larger->digits_[j] - '0';
  const size_t smaller_at = place_index(smaller->exponent_);
  if (same_sign) {
    int carry = 0;
    for (size_t k = width; k-- > 0;) {
      int value = grid[k] + carry;
      if (k >= smaller_at && k < smaller_at + smaller->digits_.size()) {
        value += smaller->digits_[k - smaller_at] - '0';
      }
      carry = value >= 10;
      grid[k] = static_cast<char>(value - (carry ? 10 : 0));
    }
  } else {
    int borrow = 0;
    for (size_t k = width; k-- > 0;) {
      int value = grid[k] - borrow;
      if (k >= smaller_at && k < smaller_at + smaller->digits_.size()) {
        value -= smaller->digits_[k - smaller_at] - '0';
      }
      borrow = value < 0;
      grid[k] = static_cast<char>(value + (borrow ? 10 : 0));
    }
  }
  for (char& c : grid) c = static_cast<char>(c + '0');
  // Grid index 0 is place `high`, so the grid reads as 0.<grid> x 10^(high + 1).
  return FromParts(negative, std::move(grid), high + 1);
}

Result<Number, NumberError> Number::Subtract(const Number& other) const {
  return Add(other.Negated());
}

Number Number::Negated() const {
  Number result = *this;
  if (!result.is_zero()) result.negative_ = !result.negative_;
  return result;
}

int Number::Compare(const Number& other) const {
  if (negative_ != other.negative_) {
    // Zero is never negative, so a sign difference decides unless both are zero (impossible).
    return negative_ ? -1 : 1;
  }
  if (is_zero() || other.is_zero()) {
    if (is_zero() && other.is_zero()) return 0;
    // Same sign flag: both non-negative here, since zero has no sign.
    return is_zero() ? -1 : 1;
  }
  const int c = CompareMagnitude(digits_, exponent_, other.digits_, other.exponent_);
  return negative_ ? -c : c;
}

size_t Number::SizeBytes() const {
  if (is_zero()) return 1;
  // Digits are stored in base-100 pairs aligned on the decimal point, plus one byte for the
  // exponent and one more for a negative sign. The first digit sits at place exponent_ - 1 and
  // the last at place exponent_ - digits; each pair covers places 2k+1 and 2k.
  const int64_t top = exponent_ - 1;
  const int64_t bottom = exponent_ - static_cast<int64_t>(digits_.size());
  const auto pairs = static_cast<size_t>(FloorHalf(top) - FloorHalf(bottom) + 1);
  return pairs + 1 + (negative_ ? 1 : 0);
}

}  // namespace dunlin::model
