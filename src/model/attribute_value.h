// AttributeValue and Item: DynamoDB's typed data model.
//
// An AttributeValue is a closed variant over DynamoDB's ten types (S, N, B, BOOL, NULL, M, L,
// SS, NS, BS). Values are built once from the request (see json_codec.h) and validated there;
// code holding an AttributeValue may assume it is well formed: sets are non-empty and free of
// duplicates, numbers are canonical, nesting is at most 32 levels.
//
// Thread-safety: plain value types.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/number.h"

namespace dunlin::model {

enum class AttributeType { kS, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

// "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
std::string_view AttributeTypeName(AttributeType type);

class AttributeValue;

// Map keys are attribute names; std::map keeps them ordered so encodings are deterministic.
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using AttributeList = std::vector<AttributeValue>;
// Binary values hold raw bytes (base64 exists only on the wire).
struct Binary {
  std::string bytes;
  friend bool operator==(const Binary&, const Binary&) = default;
};
struct Null {
  friend bool operator==(const Null&, const Null&) = default;
};
// Sets hold their elements sorted (strings and binaries by bytes, numbers by value) so that
// equality is order-independent. DynamoDB returns set elements in no particular order.
struct StringSet {
  std::vector<std::string> values;
  friend bool operator==(const StringSet&, const StringSet&) = default;
};
struct NumberSet {
  std::vector<Number> values;
  friend bool operator==(const NumberSet&, const NumberSet&) = default;
};
struct BinarySet {
  std::vector<std::string> values;
  friend bool operator==(const BinarySet&, const BinarySet&) = default;
};

class AttributeValue {
 public:
  // Alternative order matches AttributeType.
  using Variant = std::variant<std::string, Number, Binary, bool, Null, AttributeMap,
                               AttributeList, StringSet, NumberSet, BinarySet>;

  AttributeValue() : value_(Null{}) {}
  AttributeValue(Variant value) : value_(std::move(value)) {}  // NOLINT: implicit

  static AttributeValue String(std::string s) { return AttributeValue(Variant(std::move(s))); }
  static AttributeValue Num(Number n) { return AttributeValue(Variant(std::move(n))); }
  static AttributeValue Bytes(std::string b) { return AttributeValue(Variant(Binary{std::move(b)})); }

  AttributeType type() const { return static_cast<AttributeType>(value_.index()); }
  const Variant& variant() const { return value_; }
  Variant& variant() { return value_; }

  // REQUIRES: type() matches.
  const std::string& as_string() const { return std::get<std::string>(value_); }
  const Number& as_number() const { return std::get<Number>(value_); }
  const std::string& as_binary() const { return std::get<Binary>(value_).bytes; }
  bool as_bool() const { return std::get<bool>(value_); }
  const AttributeMap& as_map() const { return std::get<AttributeMap>(value_); }
  const AttributeList& as_list() const { return std::get<AttributeList>(value_); }

  friend bool operator==(const AttributeValue& a, const AttributeValue& b) {
    return a.value_ == b.value_;
  }

 private:
  Variant value_;
};

// A whole item: top-level attributes by name.
using Item = AttributeMap;

}  // namespace dunlin::model
