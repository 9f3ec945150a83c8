#include "http/content_encoding.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <utility>
#include <vector>

namespace dunlin::http {
namespace {

using BodyError = HttpRequest::BodyError;

// zlib windowBits selecting the wrapper: +16 for gzip, negative for a raw deflate stream.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kZlibWindowBits = 15;
constexpr int kRawDeflateWindowBits = -15;
constexpr size_t kMinOutputChunkBytes = 4096;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

// Splits a comma-separated list of codings, dropping empty items and "identity".
std::vector<std::string_view> Codings(std::string_view list) {
  std::vector<std::string_view> codings;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    if (!item.empty() && !EqualsIgnoreCase(item, "identity")) codings.push_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return codings;
}

// One inflate stream per thread, reset between bodies so its buffers are allocated once.
class ThreadInflater {
 public:
  ThreadInflater() = default;
  ThreadInflater(const ThreadInflater&) = delete;
  ThreadInflater& operator=(const ThreadInflater&) = delete;
  ~ThreadInflater() {
    if (initialized_) inflateEnd(&stream_);
  }

  // Prepares for a new stream with the given windowBits. False if zlib could not allocate.
  bool Reset(int window_bits) {
    if (!initialized_) {
      stream_ = {};
      if (inflateInit2(&stream_, window_bits) != Z_OK) return false;
      initialized_ = true;
      return true;
    }
    return inflateReset2(&stream_, window_bits) == Z_OK;
  }

  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool initialized_ = false;
};

ThreadInflater& Inflater() {
  thread_local ThreadInflater inflater;
  return inflater;
}

// Inflates `input` into `output`. Gzip allows several members back to back (RFC 1952 section
// 2.2), so with `multi_member` a stream end followed by more input starts the next member.
Result<void, BodyError> Inflate(std::string_view input, int window_bits, bool multi_member,
                                size_t max_output_bytes, std::string& output) {
  if (input.size() > UINT_MAX) return Fail(BodyError::kTooLarge);
  ThreadInflater& inflater = Inflater();
  if (!inflater.Reset(window_bits)) return Fail(BodyError::kBadEncoding);
  z_stream& zs = inflater.stream();
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());

  // Up to one byte past the limit is produced so that "exactly at the limit" and "over it" differ.
  const size_t hard_cap = max_output_bytes + 1;
  size_t produced = 0;
  output.clear();
  output.resize(std::min(hard_cap, std::max(kMinOutputChunkBytes, input.size() * 4)));
  for (;;) {
    if (produced == output.size()) {
      if (output.size() >= hard_cap) return Fail(BodyError::kTooLarge);
      output.resize(std::min(hard_cap, output.size() * 2));
    }
    const size_t room = std::min<size_t>(output.size() - produced, UINT_MAX);
    zs.next_out = reinterpret_cast<Bytef*>(output.data() + produced);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (produced > max_output_bytes) return Fail(BodyError::kTooLarge);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      if (!multi_member) return Fail(BodyError::kBadEncoding);  // trailing bytes
      if (inflateReset(&zs) != Z_OK) return Fail(BodyError::kBadEncoding);
      continue;
    }
    if (rc == Z_OK) continue;
    // Z_BUF_ERROR with room left means the input ended before the stream did.
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) continue;
    return Fail(BodyError::kBadEncoding);
  }
  output.resize(produced);
  return {};
}

// RFC 1950 header check: compression method 8 and a header checksum divisible by 31.
bool LooksLikeZlib(std::string_view input) {
  if (input.size() < 2) return false;
  const auto b0 = static_cast<unsigned char>(input[0]);
  const auto b1 = static_cast<unsigned char>(input[1]);
  return (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
}

Result<void, BodyError> DecodeOne(std::string_view coding, std::string_view input,
                                  size_t max_output_bytes, std::string& output) {
  if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
    return Inflate(input, kGzipWindowBits, /*multi_member=*/true, max_output_bytes, output);
  }
  if (EqualsIgnoreCase(coding, "deflate")) {
    const int bits = LooksLikeZlib(input) ? kZlibWindowBits : kRawDeflateWindowBits;
    return Inflate(input, bits, /*multi_member=*/false, max_output_bytes, output);
  }
  return Fail(BodyError::kBadEncoding);
}

}  // namespace

bool IsIdentityEncoding(std::string_view content_encoding) {
  return Codings(content_encoding).empty();
}

Result<void, HttpRequest::BodyError> DecodeContent(std::string_view content_encoding,
                                                   std::string_view input, size_t max_output_bytes,
                                                   std::string& output) {
  const std::vector<std::string_view> codings = Codings(content_encoding);
  if (codings.empty()) {
    if (input.size() > max_output_bytes) return Fail(BodyError::kTooLarge);
    output.assign(input);
    return {};
  }
  // Stacked codings are undone before the request is authenticated, and each layer may expand
  // to the body limit: refuse more than two, which no real client sends.
  if (codings.size() > kMaxStackedCodings) return Fail(BodyError::kBadEncoding);
  // Undo the last coding first; intermediate results alternate between two buffers.
  std::string scratch;
  std::string_view current = input;
  for (size_t i = codings.size(); i-- > 0;) {
    std::string& target = (i % 2 == 0) ? output : scratch;
    DUNLIN_RETURN_IF_ERROR(DecodeOne(codings[i], current, max_output_bytes, target));
    current = target;
  }
  return {};
}

}  // namespace dunlin::http
