#include "model/item_size.h"

#include <variant>

namespace dunlin::model {
namespace {

// Per-element overhead inside M and L, and the fixed overhead of an M or L.
constexpr size_t kContainerOverheadBytes = 3;
constexpr size_t kContainerElementOverheadBytes = 1;

struct SizeVisitor {
  size_t operator()(const std::string& s) const { return s.size(); }
  size_t operator()(const Number& n) const { return n.SizeBytes(); }
  size_t operator()(const Binary& b) const { return b.bytes.size(); }
  size_t operator()(bool) const { return 1; }
  size_t operator()(const Null&) const { return 1; }
  size_t operator()(const AttributeMap& map) const {
    size_t total = kContainerOverheadBytes;
    for (const auto& [name, value] : map) {
      total += name.size() + AttributeValueSize(value) + kContainerElementOverheadBytes;
    }
    return total;
  }
  size_t operator()(const AttributeList& list) const {
    size_t total = kContainerOverheadBytes;
    for (const auto& value : list)
      total += AttributeValueSize(value) + kContainerElementOverheadBytes;
    return total;
  }
  size_t operator()(const StringSet& set) const {
    size_t total = 0;
    for (const auto& s : set.values) total += s.size();
    return total;
  }
  size_t operator()(const NumberSet& set) const {
    size_t total = 0;
    for (const auto& n : set.values) total += n.SizeBytes();
    return total;
  }
  size_t operator()(const BinarySet& set) const {
    size_t total = 0;
    for (const auto& b : set.values) total += b.size();
    return total;
  }
};

}  // namespace

size_t AttributeValueSize(const AttributeValue& value) {
  return std::visit(SizeVisitor{}, value.variant());
}

size_t ItemSize(const Item& item) {
  size_t total = 0;
  for (const auto& [name, value] : item) total += name.size() + AttributeValueSize(value);
  return total;
}

}  // namespace dunlin::model
