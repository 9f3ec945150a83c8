// Reading the JSON the load generator writes, in its unit tests.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

namespace dunlin::bench {

// The root of `json`, which must parse (a failure is reported, not fatal).
inline simdjson::dom::element Parse(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  return root;
}

// The string at JSON pointer `pointer` of `root`, which must be one.
inline std::string_view StringAt(simdjson::dom::element root, std::string_view pointer) {
  std::string_view value;
  EXPECT_EQ(root.at_pointer(pointer).get(value), simdjson::SUCCESS) << pointer;
  return value;
}

}  // namespace dunlin::bench
