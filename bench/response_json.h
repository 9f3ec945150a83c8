// Reading DynamoDB's JSON answers in the load generator's pure parts (workload.cc,
// stream_lag.cc): one simdjson parser per thread, reused between documents.
//
// Thread-safety: the parser is thread_local; an element stays valid until the same thread parses
// the next answer.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace dunlin::bench {

// The root of `body`; fails unless it is a JSON object.
inline Result<simdjson::dom::element, std::string> ParseResponseObject(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    return Fail(std::string("response is not JSON: ") + simdjson::error_message(error));
  }
  if (!root.is_object()) return Fail(std::string("response is not a JSON object"));
  return root;
}

}  // namespace dunlin::bench
