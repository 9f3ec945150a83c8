#include "api/index_update.h"

#include <algorithm>

#include "api/index_definition.h"
#include "api/table_description.h"
#include "api/table_definition.h"

namespace dunlin::api {
namespace {

constexpr char kOneAtATime[] =
    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per "
    "table";

const model::SecondaryIndex* FindIndex(const model::TableMetadata& table, std::string_view name) {
  for (const model::SecondaryIndex& index : table.indexes) {
    if (index.name == name) return &index;
  }
  return nullptr;
}

// An index other than `except` is still being built.
bool OtherIndexInProgress(const model::TableMetadata& table, std::string_view except) {
  return std::any_of(table.indexes.begin(), table.indexes.end(),
                     [&](const model::SecondaryIndex& index) {
                       return index.name != except &&
                              (index.backfilling || index.status != model::IndexStatus::kActive);
                     });
}

// Drops the attribute definitions that neither the table's key nor any index key uses.
void DropUnusedDefinitions(model::TableMetadata& table) {
  std::erase_if(table.attribute_definitions, [&](const model::KeyElement& definition) {
    if (model::IsKeyAttribute(table.key_schema, definition.name)) return false;
    return std::none_of(table.indexes.begin(), table.indexes.end(),
                        [&](const model::SecondaryIndex& index) {
                          return model::IsIndexKeyAttribute(index, definition.name);
                        });
  });
}

// Check 2 of a Create, on `table` as stored: returns the index to add, and adds the
// definitions its key needs to `table`.
ApiResult<model::SecondaryIndex> PrepareCreate(const ObjectReader& request,
                                               const GlobalIndexChange& change,
                                               model::TableMetadata& table) {
  if (auto invalid = ValidateTableName(change.index_name)) return Fail(*invalid);
  if (FindIndex(table, change.index_name) != nullptr) {
    return Fail(ApiError::Validation("Attempting to create an index which already exists"));
  }
  if (OtherIndexInProgress(table, change.index_name)) {
    return Fail(ApiError::LimitExceeded(kOneAtATime));
  }
  const size_t global_count =
      std::count_if(table.indexes.begin(), table.indexes.end(),
                    [](const model::SecondaryIndex& index) { return !index.local; });
  if (global_count >= kMaxGlobalIndexes) {
    return Fail(ApiError::LimitExceeded("Number of global secondary indexes exceeds per-table limit"));
  }
  DUNLIN_ASSIGN_OR_RETURN(auto definitions_json, request.Array("AttributeDefinitions"));
  if (!definitions_json) return Fail(ApiError::Validation("No Attribute Schema Defined"));
  DUNLIN_ASSIGN_OR_RETURN(auto definitions, ReadAttributeDefinitions(*definitions_json));
  model::TableMetadata with_definitions = table;
  for (const model::KeyElement& definition : definitions) {
    auto known = std::find_if(
        table.attribute_definitions.begin(), table.attribute_definitions.end(),
        [&](const model::KeyElement& existing) { return existing.name == definition.name; });
    if (known == table.attribute_definitions.end()) {
      with_definitions.attribute_definitions.push_back(definition);
    } else if (known->type != definition.type) {
      return Fail(ApiError::Validation(
          "invalid attribute, SchemaElement redefined should be of same type as previously "
          "defined"));
    }
  }
  std::vector<std::string> key_attributes;
  DUNLIN_ASSIGN_OR_RETURN(
      model::SecondaryIndex index,
      ReadCreatedGlobalIndex(ObjectReader(change.action), with_definitions, key_attributes));
  // Only the definitions the new key uses join the table's.
  for (const std::string& name : key_attributes) {
    const bool present =
        std::any_of(table.attribute_definitions.begin(), table.attribute_definitions.end(),
                    [&](const model::KeyElement& existing) { return existing.name == name; });
    if (present) continue;
    for (const model::KeyElement& definition : with_definitions.attribute_definitions) {
      if (definition.name == name) table.attribute_definitions.push_back(definition);
    }
  }
  return index;
}

// Check 2 of a Delete or an Update: the index exists and is global.
ApiResult<void> CheckExistingGlobal(const model::TableMetadata& table, std::string_view name) {
  const model::SecondaryIndex* index = FindIndex(table, name);
  if (index == nullptr) return Fail(ApiError::ResourceNotFound("Requested resource not found"));
  if (index->local) {
    return Fail(ApiError::Validation("Cannot delete an index that is not a GlobalSecondaryIndex"));
  }
  return {};
}

// Runs `check` inside an engine callback, carrying its ApiError out through `failure`.
template <typename Check>
storage::StorageResult<void> Guarded(CallbackFailure& failure, Check&& check) {
  ApiResult<void> result = check();
  if (!result.ok()) return Fail(failure.Keep(result.error()));
  return {};
}

}  // namespace

ApiResult<std::vector<GlobalIndexChange>> ReadGlobalIndexChanges(const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto list, request.Array("GlobalSecondaryIndexUpdates"));
  std::vector<GlobalIndexChange> changes;
  if (!list) return changes;
  if (list->size() == 0) return Fail(ApiError::Validation("Nothing to update"));
  for (simdjson::dom::element element : *list) {
    DUNLIN_ASSIGN_OR_RETURN(auto object, AsObject(element));
    ObjectReader entry(object);
    size_t actions = 0;
    for (auto [member, kind] : {std::pair{"Create", GlobalIndexChange::Kind::kCreate},
                                std::pair{"Update", GlobalIndexChange::Kind::kUpdate},
                                std::pair{"Delete", GlobalIndexChange::Kind::kDelete}}) {
      DUNLIN_ASSIGN_OR_RETURN(auto action, entry.Object(member));
      if (!action) continue;
      ++actions;
      DUNLIN_ASSIGN_OR_RETURN(auto index_name, ObjectReader(*action).String("IndexName"));
      changes.push_back({kind, std::string(index_name.value_or("")), *action});
    }
    if (actions == 0) {
      return Fail(ApiError::Validation("Update global secondary index action is null"));
    }
  }
  for (size_t i = 0; i < changes.size(); ++i) {
    for (size_t j = i + 1; j < changes.size(); ++j) {
      if (changes[i].index_name == changes[j].index_name) {
        return Fail(ApiError::Validation(
            "Only one global secondary index update per index is allowed simultaneously."));
      }
    }
  }
  const bool creates_or_deletes =
      std::any_of(changes.begin(), changes.end(), [](const GlobalIndexChange& change) {
        return change.kind != GlobalIndexChange::Kind::kUpdate;
      });
  if (creates_or_deletes && changes.size() > 1) return Fail(ApiError::LimitExceeded(kOneAtATime));
  return changes;
}

ApiResult<void> CheckGlobalIndexThroughput(const model::TableMetadata& table) {
  if (table.billing_mode != model::BillingMode::kProvisioned) return {};
  for (const model::SecondaryIndex& index : table.indexes) {
    if (!index.local && (index.throughput.read_capacity_units < 1 ||
                         index.throughput.write_capacity_units < 1)) {
      return Fail(ApiError::Validation(
          "No provisioned throughput specified for the global secondary index"));
    }
  }
  return {};
}

ApiResult<model::TableMetadata> ApplyGlobalIndexChanges(OperationContext& context,
                                                        const ObjectReader& request,
                                                        const std::string& table_name,
                                                        const std::vector<GlobalIndexChange>& changes,
                                                        const TableChange& table_change) {
  CallbackFailure failure;
  auto change_table = [&](model::TableMetadata& table) -> ApiResult<void> {
    return table_change ? table_change(table) : ApiResult<void>();
  };
  const GlobalIndexChange& change = changes.front();
  switch (change.kind) {
    case GlobalIndexChange::Kind::kCreate: {
      DUNLIN_ASSIGN_OR_RETURN(auto current, LoadTable(context, table_name));
      model::TableMetadata scratch = *current;
      DUNLIN_RETURN_IF_ERROR(change_table(scratch));
      DUNLIN_ASSIGN_OR_RETURN(model::SecondaryIndex created,
                              PrepareCreate(request, change, scratch));
      // The catalog step repeats the checks against the metadata as stored at that moment
      // and adds the key's definitions; should a concurrent change have given the same
      // request another meaning, the call fails as a concurrent index change.
      auto added = context.engine.AddIndex(table_name, created, [&](model::TableMetadata& table) {
        return Guarded(failure, [&]() -> ApiResult<void> {
          DUNLIN_RETURN_IF_ERROR(change_table(table));
          DUNLIN_RETURN_IF_ERROR(CheckGlobalIndexThroughput(table));
          DUNLIN_ASSIGN_OR_RETURN(model::SecondaryIndex again,
                                  PrepareCreate(request, change, table));
          if (!(again == created)) return Fail(ApiError::LimitExceeded(kOneAtATime));
          return {};
        });
      });
      if (!added.ok()) return Fail(failure.Resolve(added.error(), table_name));
      return *added;
    }
    case GlobalIndexChange::Kind::kDelete: {
      DUNLIN_ASSIGN_OR_RETURN(auto current, LoadTable(context, table_name));
      DUNLIN_RETURN_IF_ERROR(CheckExistingGlobal(*current, change.index_name));
      auto dropped = context.engine.DropIndex(
          table_name, change.index_name, [&](model::TableMetadata& table) {
            return Guarded(failure, [&]() -> ApiResult<void> {
              if (OtherIndexInProgress(table, change.index_name)) {
                return Fail(ApiError::LimitExceeded(kOneAtATime));
              }
              DUNLIN_RETURN_IF_ERROR(change_table(table));
              DUNLIN_RETURN_IF_ERROR(CheckGlobalIndexThroughput(table));
              DropUnusedDefinitions(table);
              return {};
            });
          });
      if (!dropped.ok()) {
        // Another call dropped it first.
        if (dropped.error().code == storage::StorageError::Code::kInvalidArgument) {
          return Fail(ApiError::ResourceNotFound("Requested resource not found"));
        }
        return Fail(failure.Resolve(dropped.error(), table_name));
      }
      // Described as stored now, with the dropped index shown DELETING: DropIndex returns the
      // metadata from before, so the table's own changes are made again on it.
      model::TableMetadata described = std::move(*dropped);
      DUNLIN_RETURN_IF_ERROR(change_table(described));
      for (model::SecondaryIndex& index : described.indexes) {
        if (index.name == change.index_name) index.status = model::IndexStatus::kDeleting;
      }
      model::TableMetadata remaining = described;
      std::erase_if(remaining.indexes, [&](const model::SecondaryIndex& index) {
        return index.name == change.index_name;
      });
      DropUnusedDefinitions(remaining);
      described.attribute_definitions = remaining.attribute_definitions;
      return described;
    }
    case GlobalIndexChange::Kind::kUpdate: {
      auto updated = context.engine.UpdateTable(table_name, [&](model::TableMetadata& table) {
        return Guarded(failure, [&]() -> ApiResult<void> {
          DUNLIN_RETURN_IF_ERROR(change_table(table));
          const bool provisioned = table.billing_mode == model::BillingMode::kProvisioned;
          for (const GlobalIndexChange& update : changes) {
            DUNLIN_RETURN_IF_ERROR(CheckExistingGlobal(table, update.index_name));
            DUNLIN_ASSIGN_OR_RETURN(
                model::ProvisionedThroughput units,
                ReadGlobalIndexThroughput(ObjectReader(update.action), provisioned));
            for (model::SecondaryIndex& index : table.indexes) {
              if (index.name == update.index_name) index.throughput = units;
            }
          }
          return CheckGlobalIndexThroughput(table);
        });
      });
      if (!updated.ok()) return Fail(failure.Resolve(updated.error(), table_name));
      return *updated;
    }
  }
  return Fail(ApiError::Internal("unknown index change"));
}

}  // namespace dunlin::api
