// JsonWriter: appends compact JSON to a reusable string buffer.
//
// The writer does not check structure (balanced braces, commas between members): callers write
// in order and the writer inserts commas itself. Strings are escaped per RFC 8259; non-ASCII
// UTF-8 passes through unchanged.
//
// Thread-safety: none; one writer per response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dunlin {

class JsonWriter {
 public:
  // Writes into `out` (appending); `out` must outlive the writer.
  explicit JsonWriter(std::string& out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // Member name inside an object; the next call writes its value.
  void Key(std::string_view name);
  void String(std::string_view value);
  void Int(int64_t value);
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Inserts already-encoded JSON as a value.
  void Raw(std::string_view json);

 private:
  void BeforeValue();
  std::string& out_;
  // One entry per open container: whether it already has a member/element.
  std::vector<bool> has_items_;
  bool after_key_ = false;
};

// Appends `value` as a quoted, escaped JSON string.
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace dunlin
