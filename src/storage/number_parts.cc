#include "storage/number_parts.h"

namespace dunlin::storage {

void AppendDigitPairs(std::string& out, std::string_view digits, uint8_t offset) {
  for (size_t i = 0; i < digits.size(); i += 2) {
    const int high = digits[i] - '0';
    const int low = i + 1 < digits.size() ? digits[i + 1] - '0' : 0;
    out.push_back(static_cast<char>(offset + 10 * high + low));
  }
}

bool AppendDigitsOfPair(std::string& digits, uint8_t byte, uint8_t offset) {
  if (byte < offset || byte - offset > 99) return false;
  const int value = byte - offset;
  digits.push_back(static_cast<char>('0' + value / 10));
  digits.push_back(static_cast<char>('0' + value % 10));
  return true;
}

std::optional<model::Number> NumberFromParts(bool negative, std::string_view digits,
                                             int64_t exponent) {
  if (digits.empty() || digits.size() > static_cast<size_t>(model::kMaxNumberSignificantDigits)) {
    return std::nullopt;
  }
  if (digits.front() == '0' || digits.back() == '0') return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (exponent < model::kMinNumberExponent || exponent > model::kMaxNumberExponent) {
    return std::nullopt;
  }
  return model::Number::FromCanonicalParts(negative, std::string(digits),
                                           static_cast<int>(exponent));
}

}  // namespace dunlin::storage
