#include "common/base64.h"

#include <array>
#include <cstdint>

namespace dunlin {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = i;
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.resize((bytes.size() + 2) / 3 * 4);
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  char* dst = out.data();
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *dst++ = kAlphabet[v >> 18];
    *dst++ = kAlphabet[(v >> 12) & 0x3f];
    *dst++ = kAlphabet[(v >> 6) & 0x3f];
    *dst++ = kAlphabet[v & 0x3f];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = uint32_t{in[i]} << 16;
    *dst++ = kAlphabet[v >> 18];
    *dst++ = kAlphabet[(v >> 12) & 0x3f];
    *dst++ = '=';
    *dst++ = '=';
  } else if (rest == 2) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    *dst++ = kAlphabet[v >> 18];
    *dst++ = kAlphabet[(v >> 12) & 0x3f];
    *dst++ = kAlphabet[(v >> 6) & 0x3f];
    *dst++ = '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text[text.size() - 2] == '=' ? 2 : 1;
  }
  std::string out;
  out.resize(text.size() / 4 * 3 - padding);
  const auto* in = reinterpret_cast<const uint8_t*>(text.data());
  char* dst = out.data();
  const size_t full_end = text.size() - (padding > 0 ? 4 : 0);
  for (size_t i = 0; i < full_end; i += 4) {
    const uint8_t a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]],
                  d = kDecode[in[i + 3]];
    // Valid sextets are below 64, so any invalid character sets a high bit.
    if ((a | b | c | d) & 0xc0) return std::nullopt;
    const uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
    *dst++ = static_cast<char>(v >> 16);
    *dst++ = static_cast<char>((v >> 8) & 0xff);
    *dst++ = static_cast<char>(v & 0xff);
  }
  if (padding > 0) {
    const size_t i = full_end;
    const uint8_t a = kDecode[in[i]], b = kDecode[in[i + 1]];
    if (a == kInvalid || b == kInvalid) return std::nullopt;
    uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12);
    *dst++ = static_cast<char>(v >> 16);
    if (padding == 1) {
      const uint8_t c = kDecode[in[i + 2]];
      if (c == kInvalid) return std::nullopt;
      v |= uint32_t{c} << 6;
      *dst++ = static_cast<char>((v >> 8) & 0xff);
    }
    // Non-zero bits left over in the last character are ignored, as DynamoDB does.
  }
  return out;
}

}  // namespace dunlin
