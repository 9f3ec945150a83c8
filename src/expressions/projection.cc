#include "expressions/projection.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace dunlin::expressions {
namespace {

using model::AttributeType;
using model::AttributeValue;

// The projected paths as a tree: a leaf takes the whole value; inner nodes select map keys or
// list indexes (never both: such paths conflict and were rejected).
struct Node {
  bool whole = false;
  std::map<std::string, Node, std::less<>> keys;
  std::map<int64_t, Node> indexes;
};

void Insert(Node& root, const Path& path) {
  Node* node = &root;
  for (const PathElement& step : path) {
    node = step.is_index() ? &node->indexes[step.index] : &node->keys[step.name];
  }
  node->whole = true;
}

std::optional<AttributeValue> Select(const AttributeValue& value, const Node& node) {
  if (node.whole) return value;
  if (!node.keys.empty()) {
    if (value.type() != AttributeType::kM) return std::nullopt;
    model::AttributeMap selected;
    const model::AttributeMap& map = value.as_map();
    for (const auto& [key, child] : node.keys) {
      auto it = map.find(key);
      if (it == map.end()) continue;
      if (auto part = Select(it->second, child)) selected.emplace(key, std::move(*part));
    }
    if (selected.empty()) return std::nullopt;
    return AttributeValue(AttributeValue::Variant(std::move(selected)));
  }
  if (value.type() != AttributeType::kL) return std::nullopt;
  model::AttributeList selected;
  const model::AttributeList& list = value.as_list();
  for (const auto& [index, child] : node.indexes) {
    if (static_cast<size_t>(index) >= list.size()) break;
    if (auto part = Select(list[static_cast<size_t>(index)], child)) {
      selected.push_back(std::move(*part));
    }
  }
  if (selected.empty()) return std::nullopt;
  return AttributeValue(AttributeValue::Variant(std::move(selected)));
}

}  // namespace

model::Item ProjectPaths(const model::Item& item, const std::vector<Path>& paths) {
  Node root;
  for (const Path& path : paths) Insert(root, path);
  model::Item projected;
  for (const auto& [name, child] : root.keys) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (auto part = Select(it->second, child)) projected.emplace(name, std::move(*part));
  }
  return projected;
}

model::Item Project(const model::Item& item, const ProjectionExpression& projection) {
  return ProjectPaths(item, projection.paths);
}

}  // namespace dunlin::expressions
