// Test helper: compresses bodies the way clients do, to feed the server and the decoder.
#pragma once

#include <zlib.h>

#include <string>
#include <string_view>

namespace dunlin::http::testing {

// windowBits: 15 + 16 gzip, 15 zlib ("deflate" as HTTP means it), -15 raw deflate.
inline std::string Compress(std::string_view input, int window_bits) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, input.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline std::string Gzip(std::string_view input) { return Compress(input, 15 + 16); }

}  // namespace dunlin::http::testing
