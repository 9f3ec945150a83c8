#include "api/index_read.h"

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

#include "api/item_request.h"
#include "model/key_validation.h"

namespace dunlin::api {
namespace {

// Adds the top-level attribute names `operand` reads to `names`.
void CollectNames(const expressions::Operand& operand, std::set<std::string>& names) {
  if (operand.kind == expressions::OperandKind::kPath && !operand.path.empty()) {
    names.insert(operand.path.front().name);
  }
  for (const expressions::Operand& arg : operand.args) CollectNames(arg, names);
}

void CollectNames(const expressions::Condition& condition, std::set<std::string>& names) {
  for (const expressions::Operand& operand : condition.operands) CollectNames(operand, names);
  for (const expressions::Condition& child : condition.children) CollectNames(child, names);
}

// The names of `names` the index does not hold, sorted, joined with ", "; empty when none.
std::string Unprojected(const std::set<std::string>& names, const model::TableMetadata& table,
                        const model::SecondaryIndex& index) {
  std::string out;
  for (const std::string& name : names) {
    if (IndexHolds(table, index, name)) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

ApiResult<const model::SecondaryIndex*> FindIndex(const model::TableMetadata& table,
                                                  std::string_view name) {
  for (const model::SecondaryIndex& index : table.indexes) {
    if (index.name != name) continue;
    if (index.backfilling || index.status == model::IndexStatus::kCreating) {
      return Fail(ApiError::Validation(
          fmt::format("Cannot read from backfilling global secondary index: {}", name)));
    }
    return &index;
  }
  return Fail(
      ApiError::Validation(fmt::format("The table does not have the specified index: {}", name)));
}

ApiResult<void> CheckConsistentRead(const model::SecondaryIndex& index, bool consistent_read) {
  if (consistent_read && !index.local) {
    return Fail(
        ApiError::Validation("Consistent reads are not supported on global secondary indexes"));
  }
  return {};
}

bool IndexHolds(const model::TableMetadata& table, const model::SecondaryIndex& index,
                std::string_view name) {
  switch (index.projection.type) {
    case model::ProjectionType::kAll:
      return true;
    case model::ProjectionType::kInclude: {
      const auto& names = index.projection.non_key_attributes;
      if (std::find(names.begin(), names.end(), name) != names.end()) return true;
      break;
    }
    case model::ProjectionType::kKeysOnly:
      break;
  }
  return model::IsKeyAttribute(table.key_schema, name) || model::IsIndexKeyAttribute(index, name);
}

ApiResult<void> CheckFilterProjected(const expressions::Condition& filter,
                                     const model::TableMetadata& table,
                                     const model::SecondaryIndex& index) {
  std::set<std::string> names;
  CollectNames(filter, names);
  const std::string missing = Unprojected(names, table, index);
  if (missing.empty()) return {};
  return Fail(ApiError::Validation(fmt::format(
      "One or more parameter values were invalid: Secondary index {} does not project one or "
      "more filter attributes: [{}]",
      index.name, missing)));
}

ApiResult<void> PlanIndexRead(const model::TableMetadata& table,
                              const model::SecondaryIndex& index, PageOptions& options) {
  const bool holds_all = index.projection.type == model::ProjectionType::kAll;
  if (options.all_attributes && !holds_all) {
    if (!index.local) {
      return Fail(ApiError::Validation(fmt::format(
          "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
          "supported for global secondary index {} because its projection type is not ALL",
          index.name)));
    }
    options.fetch_table_items = true;
  }
  std::set<std::string> names;
  if (options.projection != nullptr) {
    for (const expressions::Path& path : options.projection->paths) {
      if (!path.empty()) names.insert(path.front().name);
    }
  }
  const std::string missing = Unprojected(names, table, index);
  if (!missing.empty()) {
    if (!index.local) {
      return Fail(ApiError::Validation(fmt::format(
          "One or more parameter values were invalid: Global secondary index {} does not "
          "project [{}]",
          index.name, missing)));
    }
    options.fetch_table_items = true;
  }
  return {};
}

ApiResult<void> ValidateIndexStartKey(const model::AttributeMap& start,
                                      const model::TableMetadata& table,
                                      const model::SecondaryIndex& index) {
  std::vector<const model::KeyElement*> elements = {&table.key_schema.partition};
  if (table.key_schema.sort) elements.push_back(&*table.key_schema.sort);
  const std::vector<model::KeyElement> partition = model::IndexPartitionAttributes(index);
  const std::vector<model::KeyElement> sort = model::IndexSortAttributes(index);
  for (const std::vector<model::KeyElement>* role : {&partition, &sort}) {
    for (const model::KeyElement& element : *role) {
      const bool seen = std::any_of(elements.begin(), elements.end(),
                                    [&](const auto* other) { return other->name == element.name; });
      if (!seen) elements.push_back(&element);
    }
  }
  // A local index reports a wrong count as the table does; a global one calls any wrong set
  // of names invalid.
  if (index.local && !start.empty() && start.size() != elements.size()) {
    return Fail(
        ApiError::Validation("Exclusive Start Key must have same size as table's key schema"));
  }
  const bool names_match =
      start.size() == elements.size() &&
      std::all_of(elements.begin(), elements.end(),
                  [&](const model::KeyElement* element) { return start.contains(element->name); });
  if (!names_match) return Fail(ApiError::Validation("The provided starting key is invalid"));
  for (const model::KeyElement* element : elements) {
    if (start.at(element->name).type() != element->type) {
      return Fail(ApiError::Validation("Type mismatch for attribute to update"));
    }
  }
  model::AttributeMap table_key = model::KeyOf(start, table.key_schema);
  auto key = model::ValidateKeyParameter(table_key, table.key_schema);
  if (!key.ok()) return Fail(InvalidStartKey(key.error().message));
  for (const model::KeyElement* element : elements) {
    if (model::IsKeyAttribute(table.key_schema, element->name)) continue;
    if (auto empty = model::EmptyKeyValueMessage(start.at(element->name), element->name,
                                                  index.name)) {
      // DynamoDB Local words a local index's empty key value without the preamble.
      if (index.local) {
        return Fail(ApiError::Validation("The provided starting key is invalid: " + *empty));
      }
      return Fail(InvalidStartKey(*empty));
    }
  }
  return {};
}

ApiResult<std::optional<model::AttributeMap>> ReadStartKey(const ObjectReader& request,
                                                           const model::TableMetadata& table,
                                                           const model::SecondaryIndex* index) {
  if (!request.Has("ExclusiveStartKey")) return std::optional<model::AttributeMap>();
  DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap start,
                          ReadAttributeMap(request, "ExclusiveStartKey", "exclusiveStartKey"));
  if (index != nullptr) {
    DUNLIN_RETURN_IF_ERROR(ValidateIndexStartKey(start, table, *index));
  } else {
    DUNLIN_RETURN_IF_ERROR(ValidateStartKey(start, table.key_schema));
  }
  return std::optional<model::AttributeMap>(std::move(start));
}

}  // namespace dunlin::api
