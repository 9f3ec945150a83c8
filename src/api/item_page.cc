#include "api/item_page.h"

#include <fmt/format.h>

#include "expressions/evaluate.h"
#include "expressions/projection.h"
#include "model/item_size.h"
#include "model/json_codec.h"
#include "model/key_validation.h"

namespace dunlin::api {
namespace {

constexpr size_t kMaxPageBytes = 1024 * 1024;

}  // namespace

ApiResult<void> ValidateStartKey(const model::AttributeMap& start, const model::KeySchema& schema) {
  const size_t key_size = schema.sort ? 2 : 1;
  if (!start.empty() && start.size() != key_size) {
    return Fail(
        ApiError::Validation("Exclusive Start Key must have same size as table's key schema"));
  }
  const bool names_match =
      start.contains(schema.partition.name) && (!schema.sort || start.contains(schema.sort->name));
  if (start.empty() || !names_match) {
    return Fail(ApiError::Validation("The provided starting key is invalid"));
  }
  const model::AttributeValue& partition = start.at(schema.partition.name);
  if (partition.type() != schema.partition.type ||
      (schema.sort && start.at(schema.sort->name).type() != schema.sort->type)) {
    return Fail(ApiError::Validation("Type mismatch for attribute to update"));
  }
  auto key = model::ValidateKeyParameter(start, schema);
  if (!key.ok()) return Fail(InvalidStartKey(key.error().message));
  return {};
}

ApiError InvalidStartKey(std::string_view detail) {
  const bool empty_value = detail.starts_with(model::kEmptyKeyValuePrefix) ||
                           detail.find("cannot contain an empty") != std::string_view::npos;
  return ApiError::Validation(
      fmt::format("{}The provided starting key is invalid: {}",
                  empty_value ? "The query can return at most one row and cannot be restarted. "
                              : "",
                  detail));
}

ApiResult<void> WriteItemPage(storage::ItemCursor& cursor, const model::TableMetadata& table,
                              const PageOptions& options, JsonWriter& out) {
  if (!options.count_only) {
    out.Key("Items");
    out.BeginArray();
  }
  int64_t count = 0;
  int64_t scanned = 0;
  size_t bytes_read = 0;
  double fetch_units = 0;  // table reads of a local index's fetches
  std::optional<model::Item> last_item;
  bool page_full = false;
  const auto ends_the_range = [&](const model::Item& item) {
    if (!options.range_end) return false;
    auto value = item.find(options.range_end_attribute);
    return value != item.end() && value->second == *options.range_end;
  };
  while (true) {
    if (options.limit && scanned >= *options.limit) {
      page_full = !options.at_most_one_item && !(last_item && ends_the_range(*last_item));
      break;
    }
    auto next = cursor.Next();
    if (!next.ok()) return Fail(FromStorage(next.error(), table.name));
    if (!*next) break;
    if (bytes_read >= kMaxPageBytes) {
      page_full = true;
      break;
    }
    bytes_read += model::ItemSize(**next);
    ++scanned;
    std::optional<model::Item> fetched;
    if (options.fetch_table_items) {
      auto whole = cursor.ReadTableItem(table, **next);
      if (!whole.ok()) return Fail(FromStorage(whole.error(), table.name));
      fetched = std::move(*whole);
      if (fetched) fetch_units += ReadCapacityUnits(model::ItemSize(*fetched), options.consistent_read);
    }
    // The snapshot that holds the entry holds its item; should it not, the entry stands alone.
    const model::Item& item = fetched ? *fetched : **next;
    if (!options.hide_expired.Hides(item) &&
        (options.filter == nullptr || expressions::EvaluateCondition(*options.filter, &item))) {
      ++count;
      if (!options.count_only) {
        if (options.projection != nullptr) {
          model::WriteAttributeMap(out, expressions::Project(item, *options.projection));
        } else {
          model::WriteAttributeMap(out, item);
        }
      }
    }
    last_item = std::move(*next);
  }
  if (!options.count_only) out.EndArray();
  out.Key("Count");
  out.Int(count);
  out.Key("ScannedCount");
  out.Int(scanned);
  if (page_full && last_item) {
    out.Key("LastEvaluatedKey");
    model::AttributeMap key = model::KeyOf(*last_item, table.key_schema);
    if (options.index != nullptr) {
      for (const auto* role : {&options.index->more_partition, &options.index->more_sort}) {
        for (const model::KeyElement& element : *role) {
          if (auto value = last_item->find(element.name); value != last_item->end()) {
            key.insert(*value);
          }
        }
      }
      key.merge(model::KeyOf(*last_item, options.index->key_schema));
    }
    model::WriteAttributeMap(out, key);
  }
  const double units = scanned == 0 ? 0.0 : ReadCapacityUnits(bytes_read, options.consistent_read);
  if (options.index == nullptr) {
    WriteConsumedCapacity(out, options.capacity, table.name, units);
  } else {
    const IndexUnits index_units{options.index->name, options.index->local, units};
    WriteConsumedCapacity(out, options.capacity, table.name, fetch_units,
                          std::span<const IndexUnits>(&index_units, 1));
  }
  return {};
}

ApiResult<void> ReadSelect(const ObjectReader& request, std::string_view projection_member,
                           bool on_index, PageOptions& options) {
  const bool has_projection = !projection_member.empty();
  DUNLIN_ASSIGN_OR_RETURN(auto select, request.String("Select"));
  // DynamoDB Local takes an empty Select as absent.
  if (!select || select->empty()) return {};
  if (*select != "ALL_ATTRIBUTES" && *select != "ALL_PROJECTED_ATTRIBUTES" &&
      *select != "SPECIFIC_ATTRIBUTES" && *select != "COUNT") {
    return Fail(ApiError::Validation(
        "Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES"));
  }
  if (*select == "SPECIFIC_ATTRIBUTES" && !has_projection) {
    return Fail(ApiError::Validation(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES"));
  }
  if (has_projection && *select != "SPECIFIC_ATTRIBUTES") {
    return Fail(ApiError::Validation(
        *select == "COUNT"
            ? fmt::format("Cannot specify the {} when choosing to get only the Count",
                          projection_member)
            : fmt::format("Cannot specify the {} when choosing to get {}", projection_member,
                          *select)));
  }
  if (*select == "ALL_PROJECTED_ATTRIBUTES" && !on_index) {
    return Fail(ApiError::Validation(
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"));
  }
  options.count_only = *select == "COUNT";
  options.all_attributes = *select == "ALL_ATTRIBUTES";
  return {};
}

}  // namespace dunlin::api
