#include "api/transact_request.h"

#include <fmt/format.h>

#include <span>
#include <string_view>

#include "api/expression_request.h"
#include "api/item_request.h"
#include "api/table_description.h"
#include "common/json_writer.h"
#include "model/item_size.h"
#include "model/json_codec.h"
#include "model/key_validation.h"

namespace dunlin::api {
namespace {

using Kind = TransactAction::Kind;

// The members of one action as DynamoDB names them in messages and on the wire.
struct ActionShape {
  Kind kind;
  std::string_view member;  // "Put"
  std::string_view path;    // "put"
};

constexpr ActionShape kWriteShapes[] = {
    {Kind::kConditionCheck, "ConditionCheck", "conditionCheck"},
    {Kind::kPut, "Put", "put"},
    {Kind::kDelete, "Delete", "delete"},
    {Kind::kUpdate, "Update", "update"},
};
constexpr ActionShape kGetShape = {Kind::kGet, "Get", "get"};

// DynamoDB Local reports a transaction's constraint violations one at a time, without the
// "N validation error(s) detected" preamble of other operations.
ApiError NullMember(std::string_view path) {
  return ApiError::Validation(
      fmt::format("Value null at '{}' failed to satisfy constraint: Member must not be null", path));
}

// An action as read before its table is known.
struct RawAction {
  const ActionShape* shape = nullptr;
  TransactAction action;
  std::string table_name;
  ObjectReader reader;
  bool has_expression = false;
};

// Which of the action members `entry` has, for TransactWriteItems: exactly one, else the
// error DynamoDB gives.
ApiResult<const ActionShape*> WriteShapeOf(const ObjectReader& entry) {
  const ActionShape* shape = nullptr;
  int present = 0;
  for (const ActionShape& candidate : kWriteShapes) {
    if (entry.Has(candidate.member)) {
      ++present;
      shape = &candidate;
    }
  }
  if (present == 0) {
    return Fail(ApiError::Validation(
        "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"));
  }
  if (present > 1) {
    return Fail(
        ApiError::Validation("TransactItems can only contain one of Check, Put, Update or Delete"));
  }
  return shape;
}

// What an action adds to the 4 MB payload: its item (a Put) or key, its expressions' text, and
// its placeholders' names and values.
ApiResult<size_t> PayloadShare(const RawAction& raw) {
  const TransactAction& action = raw.action;
  size_t share = model::ItemSize(action.kind == Kind::kPut ? action.item : action.key);
  for (std::string_view member : {"ConditionExpression", "UpdateExpression"}) {
    DUNLIN_ASSIGN_OR_RETURN(auto text, raw.reader.String(member));
    if (text) share += text->size();
  }
  DUNLIN_ASSIGN_OR_RETURN(auto names, raw.reader.Object("ExpressionAttributeNames"));
  if (names) {
    for (auto field : *names) {
      DUNLIN_ASSIGN_OR_RETURN(std::string_view name, AsString(field.value));
      share += name.size();
    }
  }
  DUNLIN_ASSIGN_OR_RETURN(auto values, raw.reader.Object("ExpressionAttributeValues"));
  if (values) {
    for (auto field : *values) {
      auto value = model::ParseAttributeValue(field.value);
      if (value.ok()) share += model::AttributeValueSize(*value);
    }
  }
  return share;
}

// The item (Put) or key of a write action, when present; its absence is reported in phase 2.
ApiResult<void> ReadItemOrKey(RawAction& raw, const std::string& prefix) {
  TransactAction& action = raw.action;
  if (action.kind == Kind::kPut) {
    if (!raw.reader.Has("Item")) return {};
    DUNLIN_ASSIGN_OR_RETURN(action.item, ReadAttributeMap(raw.reader, "Item", prefix + ".item"));
    if (model::ItemSize(action.item) > model::kMaxItemSizeBytes) {
      return Fail(ApiError::Validation("Item size has exceeded the maximum allowed size"));
    }
    return {};
  }
  if (!raw.reader.Has("Key")) return {};
  DUNLIN_ASSIGN_OR_RETURN(action.key, ReadAttributeMap(raw.reader, "Key", prefix + ".key"));
  return {};
}

// An update whose SET value with its attribute name alone passes the item limit fails before
// any item is read.
ApiResult<void> CheckUpdateSize(const expressions::UpdateExpression& expression) {
  for (const expressions::UpdateAction& update : expression.actions) {
    if (update.kind != expressions::UpdateActionKind::kSet ||
        update.value.kind != expressions::OperandKind::kValue) {
      continue;
    }
    const size_t size =
        update.path.front().name.size() + model::AttributeValueSize(update.value.value);
    if (size > model::kMaxItemSizeBytes) {
      return Fail(ApiError::Validation("Item size to update has exceeded the maximum allowed size"));
    }
  }
  return {};
}

// Phase 1: everything that needs no table. For a write, in DynamoDB Local's order:
// ReturnValuesOnConditionCheckFailure (which DynamoDB Local ignores, the service checks
// first), the placeholders' values, the update expression and its size, the condition, unused
// placeholders, then the item's or key's values and the item's size. Missing members wait for
// phase 2.
ApiResult<RawAction> ReadAction(const ObjectReader& entry, const ActionShape& shape,
                                size_t position) {
  DUNLIN_ASSIGN_OR_RETURN(auto body, entry.Object(shape.member));
  const std::string prefix = fmt::format("transactItems.{}.member.{}", position, shape.path);
  ObjectReader reader(*body);
  RawAction raw{&shape, TransactAction{}, std::string(), reader, false};
  TransactAction& action = raw.action;
  action.kind = shape.kind;

  DUNLIN_ASSIGN_OR_RETURN(auto table_name, reader.String("TableName"));
  if (table_name) raw.table_name = std::string(*table_name);
  DUNLIN_ASSIGN_OR_RETURN(auto on_failure, reader.String("ReturnValuesOnConditionCheckFailure"));
  if (on_failure) {
    Violations violations;
    CheckEnum(violations, *on_failure, prefix + ".returnValuesOnConditionCheckFailure",
              {"ALL_OLD", "NONE"});
    DUNLIN_RETURN_IF_ERROR(violations.Check());
    action.old_item_on_failure = *on_failure == "ALL_OLD";
  }

  raw.has_expression = reader.Has("ConditionExpression") || reader.Has("UpdateExpression");
  // Without an expression, stray placeholders are reported once the table is known (phase 2).
  if (raw.has_expression) {
    RequestExpressions expressions;
    DUNLIN_RETURN_IF_ERROR(expressions.Read(reader, true));
    if (action.kind == Kind::kUpdate) {
      DUNLIN_ASSIGN_OR_RETURN(action.changes.expression, expressions.Update(reader));
      if (action.changes.expression) {
        DUNLIN_RETURN_IF_ERROR(CheckUpdateSize(*action.changes.expression));
      }
    }
    DUNLIN_ASSIGN_OR_RETURN(action.condition,
                            expressions.Condition(reader, "ConditionExpression",
                                                  expressions::ExpressionKind::kCondition));
    DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
  }
  DUNLIN_RETURN_IF_ERROR(ReadItemOrKey(raw, prefix));
  return raw;
}

// Whether a key error found against the schema is a cancellation reason (found, in DynamoDB,
// only when the item is looked up) rather than a ValidationException for the whole request.
bool IsReasonKeyError(const std::string& message) {
  return message.starts_with("One or more parameter values were invalid: Type mismatch for key") ||
         message.starts_with("Hash primary key values must be under");
}

// Whether a key error is the empty-value rule, which needs no schema to find.
bool IsEmptyKeyValueError(const std::string& message) {
  return message.starts_with(model::kEmptyKeyValuePrefix);
}

// A Get, whole, in DynamoDB Local's order: its table, its projection, unused or stray
// names, then its key's presence, values and shape.
ApiResult<TransactAction> ReadGet(OperationContext& context, const ObjectReader& entry,
                                  size_t position) {
  DUNLIN_ASSIGN_OR_RETURN(auto body, entry.Object(kGetShape.member));
  const std::string prefix = fmt::format("transactItems.{}.member.get", position);
  ObjectReader reader(*body);
  TransactAction action;
  action.kind = Kind::kGet;
  DUNLIN_ASSIGN_OR_RETURN(auto table_name, reader.String("TableName"));
  if (!table_name) return Fail(ApiError::Validation("Requested resource not found"));
  // A malformed table name is simply not found.
  DUNLIN_ASSIGN_OR_RETURN(action.table, LoadTable(context, std::string(*table_name)));
  {
    const bool has_expression = reader.Has("ProjectionExpression");
    RequestExpressions expressions;
    DUNLIN_RETURN_IF_ERROR(expressions.ReadNamesOnly(reader, has_expression));
    if (has_expression) {
      DUNLIN_ASSIGN_OR_RETURN(action.projection, expressions.Projection(reader));
      DUNLIN_RETURN_IF_ERROR(expressions.CheckAllUsed());
    }
  }
  if (!reader.Has("Key")) return Fail(ApiError::Validation("Get Condition for key not in key list"));
  DUNLIN_ASSIGN_OR_RETURN(action.key, ReadAttributeMap(reader, "Key", prefix + ".key"));
  auto key = model::ValidateKeyParameter(action.key, action.table->key_schema);
  if (!key.ok()) {
    ApiError error = FromModel(std::move(key).error());
    // TransactGetItems reports a key that does not fit the schema as a cancellation without
    // reasons; an empty key value is a ValidationException, as everywhere.
    if (!IsEmptyKeyValueError(error.message)) error.type = ErrorType::kTransactionCanceled;
    return Fail(std::move(error));
  }
  return action;
}

// Placeholders in a write action without an expression. An Update's values alone are reported
// as its missing UpdateExpression, as DynamoDB Local words it.
ApiResult<void> CheckPlaceholdersAlone(const RawAction& raw, const std::string& prefix) {
  // A ConditionCheck's missing condition is reported after its key.
  if (raw.has_expression || raw.action.kind == Kind::kConditionCheck) return {};
  if (raw.action.kind != Kind::kUpdate) {
    RequestExpressions expressions;
    return expressions.Read(raw.reader, false, "ConditionExpression is null");
  }
  DUNLIN_RETURN_IF_ERROR(RequestExpressions::CheckNeedsExpression(raw.reader, false, true));
  DUNLIN_ASSIGN_OR_RETURN(auto values, raw.reader.Object("ExpressionAttributeValues"));
  if (values && values->size() > 0) return Fail(NullMember(prefix + ".updateExpression"));
  return {};
}

// Phase 2 of a write, in DynamoDB Local's order: the table, placeholders without an
// expression, the item or key, then the expression a ConditionCheck or Update requires.
ApiResult<void> CheckAgainstTable(OperationContext& context, RawAction& raw, size_t index) {
  TransactAction& action = raw.action;
  const std::string prefix =
      fmt::format("transactItems.{}.member.{}", index + 1, raw.shape->path);
  if (!raw.reader.Has("TableName")) return Fail(NullMember(prefix + ".tableName"));
  if (auto invalid = ValidateTableName(raw.table_name)) return Fail(*invalid);
  DUNLIN_ASSIGN_OR_RETURN(action.table, LoadTable(context, raw.table_name));
  DUNLIN_RETURN_IF_ERROR(CheckPlaceholdersAlone(raw, prefix));

  const model::KeySchema& schema = action.table->key_schema;
  if (action.kind == Kind::kPut) {
    if (!raw.reader.Has("Item")) return Fail(NullMember(prefix + ".item"));
    auto key = model::ExtractItemKey(action.item, schema);
    if (!key.ok()) {
      if (!IsReasonKeyError(key.error().message)) return Fail(FromModel(std::move(key).error()));
      action.key_error = std::move(key).error().message;
    }
    action.key = model::KeyOf(action.item, schema);
    if (!action.key_error) {
      auto index_keys =
          model::ValidateIndexKeys(action.item, *action.table, model::IndexKeyWrite::kPut);
      if (!index_keys.ok()) {
        if (!model::IsIndexKeyTypeMismatch(index_keys.error())) {
          return Fail(FromModel(std::move(index_keys).error()));
        }
        action.key_error = std::move(index_keys).error().message;
      }
    }
    return {};
  }
  if (!raw.reader.Has("Key")) return Fail(NullMember(prefix + ".key"));
  auto key = model::ValidateKeyParameter(action.key, schema);
  if (!key.ok()) {
    if (!IsReasonKeyError(key.error().message)) return Fail(FromModel(std::move(key).error()));
    action.key_error = std::move(key).error().message;
  }
  // A key DynamoDB rejects at lookup (key_error) is the reason even without a condition.
  if (action.kind == Kind::kConditionCheck && !action.condition && !action.key_error) {
    return Fail(NullMember(prefix + ".conditionExpression"));
  }
  if (action.kind == Kind::kUpdate) {
    if (!action.changes.expression) return Fail(NullMember(prefix + ".updateExpression"));
  }
  return {};
}

// The one-item rule for `action` against the actions before it.
ApiResult<void> CheckOneItemOnce(std::span<const TransactAction> before,
                                 const TransactAction& action) {
  for (const TransactAction& earlier : before) {
    if (earlier.table->internal_id == action.table->internal_id && earlier.key == action.key) {
      return Fail(
          ApiError::Validation("Transaction request cannot include multiple operations on one item"));
    }
  }
  return {};
}

// Phases 1 and 2 of the write actions into `result` (result.stop: where phase 2 stopped);
// each action that passes phase 2 meets the one-item rule against those before it.
ApiResult<void> ReadWriteActions(
    OperationContext& context,
    const std::vector<std::pair<ObjectReader, const ActionShape*>>& entries,
    TransactItems& result) {
  std::vector<RawAction> raw_actions;
  raw_actions.reserve(entries.size());
  size_t payload = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    DUNLIN_ASSIGN_OR_RETURN(RawAction raw, ReadAction(entries[i].first, *entries[i].second, i + 1));
    DUNLIN_ASSIGN_OR_RETURN(size_t share, PayloadShare(raw));
    payload += share;
    if (payload > kMaxTransactionBytes) {
      return Fail(ApiError::Validation(
          fmt::format("Transaction payload size cannot exceed 4MB. Payload Size: {}", payload)));
    }
    raw_actions.push_back(std::move(raw));
  }
  for (size_t i = 0; i < raw_actions.size(); ++i) {
    RawAction& raw = raw_actions[i];
    auto checked = CheckAgainstTable(context, raw, i);
    if (!checked.ok()) {
      result.stop = std::move(checked).error();
      return {};
    }
    DUNLIN_RETURN_IF_ERROR(CheckOneItemOnce(result.actions, raw.action));
    result.actions.push_back(std::move(raw.action));
  }
  return {};
}

}  // namespace

void CancellationReasons::Set(size_t index, std::string code, std::string_view message,
                              const model::Item* item) {
  std::string& entry = entries_[index];
  entry.clear();
  JsonWriter out(entry);
  out.BeginObject();
  if (item != nullptr) {
    out.Key("Item");
    model::WriteAttributeMap(out, *item);
  }
  out.Key("Code");
  out.String(code);
  out.Key("Message");
  out.String(message);
  out.EndObject();
  codes_[index] = std::move(code);
  cancelled_ = true;
}

ApiError CancellationReasons::Error() const {
  std::string json = "[";
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (i > 0) json.push_back(',');
    json.append(entries_[i].empty() ? std::string_view(R"({"Code":"None"})") : entries_[i]);
  }
  json.push_back(']');
  return ApiError::TransactionCanceled(codes_, std::move(json));
}

const char* TransactAction::name() const {
  switch (kind) {
    case Kind::kPut:
      return "Put";
    case Kind::kUpdate:
      return "Update";
    case Kind::kDelete:
      return "Delete";
    case Kind::kConditionCheck:
      return "ConditionCheck";
    case Kind::kGet:
      return "Get";
  }
  return "";
}

ApiResult<TransactItems> ReadTransactItems(OperationContext& context,
                                                         const ObjectReader& request,
                                                         bool writes) {
  DUNLIN_ASSIGN_OR_RETURN(auto items, request.Array("TransactItems"));
  if (!items) return Fail(NullMember("transactItems"));
  if (items->size() == 0) {
    // TransactGetItems calls an empty list null.
    if (!writes) return Fail(NullMember("transactItems"));
    return Fail(ApiError::Validation(
        "Value [] at 'transactItems' failed to satisfy constraint: Member must have length "
        "greater than or equal to 1"));
  }
  if (items->size() > kMaxTransactItems) {
    // DynamoDB Local's whole message.
    return Fail(ApiError::Validation(
        fmt::format("Member must have length less than or equal to {}", kMaxTransactItems)));
  }
  // The shape of every action first.
  std::vector<std::pair<ObjectReader, const ActionShape*>> entries;
  entries.reserve(items->size());
  for (simdjson::dom::element element : *items) {
    DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(element));
    ObjectReader entry(object);
    const ActionShape* shape = &kGetShape;
    if (writes) {
      DUNLIN_ASSIGN_OR_RETURN(shape, WriteShapeOf(entry));
    } else if (!entry.Has(kGetShape.member)) {
      return Fail(NullMember("transactItems"));
    }
    entries.emplace_back(entry, shape);
  }

  TransactItems result;
  result.count = entries.size();
  std::vector<TransactAction>& actions = result.actions;
  actions.reserve(entries.size());
  if (!writes) {
    // DynamoDB Local checks each Get whole, the one-item rule included, before the next.
    for (size_t i = 0; i < entries.size(); ++i) {
      DUNLIN_ASSIGN_OR_RETURN(TransactAction action, ReadGet(context, entries[i].first, i + 1));
      DUNLIN_RETURN_IF_ERROR(CheckOneItemOnce(actions, action));
      actions.push_back(std::move(action));
    }
    return result;
  }
  DUNLIN_RETURN_IF_ERROR(ReadWriteActions(context, entries, result));
  return result;
}

std::vector<storage::ItemRef> ItemRefsOf(const std::vector<TransactAction>& actions) {
  std::vector<storage::ItemRef> refs;
  refs.reserve(actions.size());
  for (const TransactAction& action : actions) {
    if (action.key_error) continue;
    const model::KeySchema& schema = action.table->key_schema;
    model::PrimaryKey key;
    key.partition = &action.key.at(schema.partition.name);
    if (schema.sort) key.sort = &action.key.at(schema.sort->name);
    refs.push_back({action.table.get(), key});
  }
  return refs;
}

}  // namespace dunlin::api
