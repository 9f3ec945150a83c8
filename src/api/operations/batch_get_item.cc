// BatchGetItem: up to 100 items by primary key, from one or more tables. Every read is strongly
// consistent, as GetItem's are; ConsistentRead only changes the capacity reported.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
//   1. At most 100 keys in all; each table's Keys is a non-empty list without empty or
//      duplicate keys (duplicates compare the whole key map, as sent).
//   2. A response holds at most 16 MB of items (batch_request.h). Keys that did not fit, and
//      keys whose read failed, come back in UnprocessedKeys in the request's own shape (Keys
//      plus the table's ProjectionExpression, ExpressionAttributeNames, ConsistentRead and
//      AttributesToGet), ready to be sent again; UnprocessedKeys is {} when every key was read.
//   3. Responses has one list per table, even when empty; DynamoDB does not promise an order.
//   4. ConsumedCapacity has one entry per table (capacity.h rule 4).
// The order of the checks is described in batch_request.h; its step 1 is, per table in request
// order: Keys present, then per key: not empty, not a duplicate, not the 101st. Projections are
// checked last, once the tables and keys have passed.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "api/batch_request.h"
#include "api/capacity.h"
#include "api/expired_items.h"
#include "api/expression_request.h"
#include "api/item_request.h"
#include "api/legacy_parameters.h"
#include "api/operations/operations.h"
#include "api/table_description.h"
#include "expressions/projection.h"
#include "model/item_size.h"
#include "model/json_codec.h"
#include "model/key_validation.h"

namespace dunlin::api::operations {
namespace {

constexpr size_t kMaxKeys = 100;

// The members of KeysAndAttributes that UnprocessedKeys repeats as the request gave them.
constexpr std::string_view kRepeatedMembers[] = {"ProjectionExpression", "ExpressionAttributeNames",
                                                 "ConsistentRead", "AttributesToGet"};

// One table's KeysAndAttributes, read and checked.
struct TableRead {
  std::optional<ObjectReader> request;          // absent when the table's value is null
  std::vector<model::AttributeMap> keys;        // a null key reads as an empty map
  std::vector<model::PrimaryKey> primary_keys;  // borrow from `keys`
  bool consistent_read = false;
  std::unique_ptr<RequestExpressions> expressions = std::make_unique<RequestExpressions>();
  std::optional<expressions::ProjectionExpression> projection;
};

// Pass 1 for one table: its shape, mixed parameters, ConsistentRead and
// ExpressionAttributeNames (names without a ProjectionExpression are refused here).
ApiResult<TableRead> ReadKeysAndAttributes(const BatchTable& table) {
  TableRead read;
  if (table.request.is_null()) return read;
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(table.request));
  read.request.emplace(object);
  const ObjectReader& request = *read.request;
  DUNLIN_RETURN_IF_ERROR(
      RejectMixedParameters(request, {"AttributesToGet"}, {"ProjectionExpression"}));
  DUNLIN_ASSIGN_OR_RETURN(auto consistent, request.Bool("ConsistentRead"));
  read.consistent_read = consistent.value_or(false);
  DUNLIN_RETURN_IF_ERROR(
      read.expressions->ReadNamesOnly(request, request.Has("ProjectionExpression")));
  return read;
}

// BatchGetItem words a repeated AttributesToGet name its own way.
ApiResult<void> CheckAttributesToGet(const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto names, request.Array("AttributesToGet"));
  if (!names) return {};
  std::set<std::string_view> seen;
  for (simdjson::dom::element element : *names) {
    DUNLIN_ASSIGN_OR_RETURN(std::string_view name, AsString(element));
    if (!name.empty() && !seen.insert(name).second) {
      return Fail(ApiError::Validation(fmt::format(
          "One or more parameter values were invalid: Duplicate value in attribute name: {}",
          name)));
    }
  }
  return {};
}

// Pass 2 for one table, in DynamoDB Local's order: an empty key list, then key by key its
// values, an empty key, a duplicate, and the 101st key in all (`total` counts the keys of the
// tables before); then AttributesToGet's duplicates.
ApiResult<void> ReadKeys(const BatchTable& table, TableRead& read, size_t& total) {
  std::optional<simdjson::dom::array> keys;
  if (read.request) {
    DUNLIN_ASSIGN_OR_RETURN(keys, read.request->Array("Keys"));
  }
  if (!keys || keys->size() == 0) {
    return Fail(ApiError::Validation(fmt::format(
        "The list of keys in RequestItems for BatchGetItem is required: {} has empty list",
        table.name)));
  }
  for (simdjson::dom::element element : *keys) {
    model::AttributeMap key;
    if (!element.is_null()) {
      auto map = model::ParseAttributeMap(element);
      if (!map.ok()) return Fail(FromModel(std::move(map).error()));
      key = std::move(map).value();
    }
    if (key.empty()) {
      return Fail(ApiError::Validation(
          fmt::format("The list of keys in RequestItems for BatchGetItem may not contain null "
                      "or empty values: {} has one or more empty keys",
                      table.name)));
    }
    for (const model::AttributeMap& earlier : read.keys) {
      if (earlier == key) {
        return Fail(ApiError::Validation("Provided list of item keys contains duplicates"));
      }
    }
    if (++total > kMaxKeys) {
      return Fail(ApiError::Validation("Too many items requested for the BatchGetItem call"));
    }
    read.keys.push_back(std::move(key));
  }
  return CheckAttributesToGet(*read.request);
}

// Step 3's key rules for one table: each key against the schema, in DynamoDB Local's order
// (KeyVisitOrder).
ApiResult<void> CheckKeys(const model::TableMetadata& table, TableRead& read) {
  read.primary_keys.assign(read.keys.size(), model::PrimaryKey{});
  for (size_t i : KeyVisitOrder(read.keys)) {
    auto primary = model::ValidateKeyParameter(read.keys[i], table.key_schema);
    if (!primary.ok()) return Fail(FromModel(std::move(primary).error()));
    read.primary_keys[i] = *primary;
  }
  return {};
}

// The projection of one table: ProjectionExpression, or else AttributesToGet.
ApiResult<void> ReadProjection(TableRead& read) {
  const ObjectReader& request = *read.request;
  DUNLIN_ASSIGN_OR_RETURN(read.projection, read.expressions->Projection(request));
  DUNLIN_RETURN_IF_ERROR(read.expressions->CheckAllUsed());
  if (read.projection) return {};
  DUNLIN_ASSIGN_OR_RETURN(read.projection, ReadAttributesToGet(request));
  return {};
}

// UnprocessedKeys' entry for one table: the keys left, and the table's other parameters.
void WriteUnprocessed(JsonWriter& out, const TableRead& read, const std::vector<size_t>& left) {
  out.BeginObject();
  out.Key("Keys");
  out.BeginArray();
  for (size_t i : left) model::WriteAttributeMap(out, read.keys[i]);
  out.EndArray();
  for (std::string_view member : kRepeatedMembers) {
    auto value = read.request->Element(member);
    if (!value || value->is_null()) continue;
    out.Key(member);
    out.Raw(simdjson::minify(*value));
  }
  out.EndObject();
}

}  // namespace

ApiResult<void> BatchGetItem(OperationContext& context, const ObjectReader& request,
                             JsonWriter& out) {
  Violations violations;
  DUNLIN_ASSIGN_OR_RETURN(CapacityReport capacity, ReadCapacityReport(request, violations));
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  DUNLIN_ASSIGN_OR_RETURN(std::vector<BatchTable> tables,
                          ReadRequestItems(request, "BatchGetItem must have some requests set"));

  // Pass 1: table by table the parameters that need no keys, then the mixed-parameters rule
  // over the whole request (a ProjectionExpression in one table and AttributesToGet in another
  // are refused too).
  std::vector<TableRead> reads;
  reads.reserve(tables.size());
  std::vector<ObjectReader> bodies;
  for (const BatchTable& table : tables) {
    DUNLIN_ASSIGN_OR_RETURN(TableRead read, ReadKeysAndAttributes(table));
    if (read.request) bodies.push_back(*read.request);
    reads.push_back(std::move(read));
  }
  DUNLIN_RETURN_IF_ERROR(
      RejectMixedParameters(bodies, {"AttributesToGet"}, {"ProjectionExpression"}));
  // Pass 2, table by table in request order: rule 1.
  size_t total = 0;
  for (size_t t = 0; t < tables.size(); ++t) {
    DUNLIN_RETURN_IF_ERROR(ReadKeys(tables[t], reads[t], total));
  }
  DUNLIN_RETURN_IF_ERROR(CheckTableNames(tables));
  const std::vector<size_t> order = VisitOrder(tables);
  for (size_t t : order) {
    DUNLIN_ASSIGN_OR_RETURN(tables[t].metadata, LoadTable(context, tables[t].name));
    DUNLIN_RETURN_IF_ERROR(CheckKeys(*tables[t].metadata, reads[t]));
  }
  // After the tables, as DynamoDB Local checks a single table's projection.
  for (size_t t : order) DUNLIN_RETURN_IF_ERROR(ReadProjection(reads[t]));

  ResponseBudget budget;
  std::vector<std::vector<size_t>> unprocessed(tables.size());
  std::vector<TableCapacity> consumed;
  consumed.reserve(tables.size());
  size_t keys_read = 0;
  std::optional<ApiError> read_error;
  out.BeginObject();
  out.Key("Responses");
  out.BeginObject();
  for (size_t t = 0; t < tables.size(); ++t) {
    const TableRead& read = reads[t];
    const model::TableMetadata& table = *tables[t].metadata;
    double units = 0;
    out.Key(table.name);
    out.BeginArray();
    for (size_t i = 0; i < read.primary_keys.size(); ++i) {
      auto item = context.engine.GetItem(table, read.primary_keys[i]);
      if (!item.ok()) {
        // DynamoDB's answer to an internal failure on some keys: hand them back.
        if (!read_error) read_error = FromStorage(item.error(), table.name);
        unprocessed[t].push_back(i);
        continue;
      }
      ++keys_read;
      if (!*item || ExpiredItemFilterFor(context, table).Hides(**item)) continue;
      // The budget and the capacity count the whole item, whatever the projection returns.
      const size_t size = model::ItemSize(**item);
      if (!budget.Take(size)) {
        unprocessed[t].push_back(i);
        continue;
      }
      units += ReadCapacityUnits(size, read.consistent_read);
      if (read.projection) {
        model::WriteAttributeMap(out, expressions::Project(**item, *read.projection));
      } else {
        model::WriteAttributeMap(out, **item);
      }
    }
    out.EndArray();
    consumed.push_back({table.name, units, {}});
  }
  out.EndObject();
  if (keys_read == 0 && read_error) return Fail(std::move(*read_error));

  out.Key("UnprocessedKeys");
  out.BeginObject();
  for (size_t t = 0; t < tables.size(); ++t) {
    if (unprocessed[t].empty()) continue;
    out.Key(tables[t].name);
    WriteUnprocessed(out, reads[t], unprocessed[t]);
  }
  out.EndObject();
  WriteConsumedCapacityList(out, capacity, consumed);
  out.EndObject();
  return {};
}

}  // namespace dunlin::api::operations
