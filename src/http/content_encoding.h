// Request body Content-Encoding: undoing gzip and deflate with zlib.
//
// https://www.rfc-editor.org/rfc/rfc9110#section-8.4 : Content-Encoding lists the codings in the
// order they were applied, so they are undone from last to first. "identity" is a no-op; "gzip"
// (alias "x-gzip") is RFC 1952, possibly several members back to back; "deflate" is the zlib
// format of RFC 1950, although some clients send a raw RFC 1951 stream, which is accepted too.
//
// Thread-safety: reentrant; each thread keeps one zlib stream that it reuses across calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/server.h"

namespace dunlin::http {

// The most non-identity codings one body may carry.
inline constexpr size_t kMaxStackedCodings = 2;

// True when `content_encoding` asks for no transformation (empty, or only "identity").
bool IsIdentityEncoding(std::string_view content_encoding);

// Undoes `content_encoding` on `input` into `output` (replacing its contents).
// Errors: kTooLarge when the decoded body would exceed `max_output_bytes`; kBadEncoding when a
// coding is unknown, more than kMaxStackedCodings are stacked, or the data is corrupt or
// truncated. On error `output` is unspecified.
Result<void, HttpRequest::BodyError> DecodeContent(std::string_view content_encoding,
                                                   std::string_view input, size_t max_output_bytes,
                                                   std::string& output);

}  // namespace dunlin::http
