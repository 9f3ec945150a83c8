#include "model/table.h"

#include <algorithm>

namespace dunlin::model {

std::vector<KeyElement> IndexPartitionAttributes(const SecondaryIndex& index) {
  std::vector<KeyElement> out = {index.key_schema.partition};
  out.insert(out.end(), index.more_partition.begin(), index.more_partition.end());
  return out;
}

std::vector<KeyElement> IndexSortAttributes(const SecondaryIndex& index) {
  std::vector<KeyElement> out;
  if (!index.key_schema.sort) return out;
  out.push_back(*index.key_schema.sort);
  out.insert(out.end(), index.more_sort.begin(), index.more_sort.end());
  return out;
}

bool IsIndexKeyAttribute(const SecondaryIndex& index, std::string_view name) {
  auto named = [name](const KeyElement& element) { return element.name == name; };
  return IsKeyAttribute(index.key_schema, name) ||
         std::any_of(index.more_partition.begin(), index.more_partition.end(), named) ||
         std::any_of(index.more_sort.begin(), index.more_sort.end(), named);
}

}  // namespace dunlin::model
