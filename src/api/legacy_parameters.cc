#include "api/legacy_parameters.h"

#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>

#include "api/expression_request.h"
#include "api/item_request.h"
#include "model/json_codec.h"

namespace dunlin::api {
namespace {

using expressions::ConditionalOperator;

// One value of an entry. A value that is not a valid attribute value does not fail the request
// here: the entry keeps the first such message (`invalid`) and a NULL in its place, and the
// translation reports it in its turn (legacy_conditions.h). Malformed JSON fails at once.
ApiResult<model::AttributeValue> ReadValue(simdjson::dom::element element,
                                           std::optional<std::string>& invalid) {
  auto value = model::ParseAttributeValue(element);
  if (value.ok()) return std::move(value).value();
  if (value.error().kind == model::ModelError::Kind::kSerialization) {
    return Fail(FromModel(std::move(value).error()));
  }
  if (!invalid) invalid = std::move(value).error().message;
  return model::AttributeValue();
}

ApiResult<std::vector<model::AttributeValue>> ReadValueList(simdjson::dom::array array,
                                                            std::optional<std::string>& invalid) {
  std::vector<model::AttributeValue> values;
  for (simdjson::dom::element element : array) {
    DUNLIN_ASSIGN_OR_RETURN(model::AttributeValue value, ReadValue(element, invalid));
    values.push_back(std::move(value));
  }
  return values;
}

// Rule 2 for a condition map of `entries` entries (0 when absent).
ApiResult<ConditionalOperator> ReadConditionalOperator(const ObjectReader& request,
                                                       size_t entries) {
  DUNLIN_ASSIGN_OR_RETURN(auto text, request.String("ConditionalOperator"));
  if (!text) return ConditionalOperator::kAnd;
  if (entries == 0) {
    return Fail(
        ApiError::Validation("ConditionalOperator cannot be used without Filter or Expected"));
  }
  if (entries == 1) {
    return Fail(ApiError::Validation(
        "ConditionalOperator can only be used when Filter or Expected has two or more elements"));
  }
  Violations violations;
  CheckEnum(violations, *text, "conditionalOperator", {"AND", "OR"});
  DUNLIN_RETURN_IF_ERROR(violations.Check());
  return *text == "OR" ? ConditionalOperator::kOr : ConditionalOperator::kAnd;
}

ApiResult<std::vector<expressions::ConditionEntry>> ReadConditionEntries(
    simdjson::dom::object map) {
  std::vector<expressions::ConditionEntry> entries;
  for (auto field : map) {
    DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(field.value));
    ObjectReader reader(object);
    expressions::ConditionEntry entry;
    entry.attribute = std::string(field.key);
    DUNLIN_ASSIGN_OR_RETURN(auto op, reader.String("ComparisonOperator"));
    if (op) entry.comparison_operator = std::string(*op);
    DUNLIN_ASSIGN_OR_RETURN(auto list, reader.Array("AttributeValueList"));
    if (list) {
      DUNLIN_ASSIGN_OR_RETURN(entry.value_list, ReadValueList(*list, entry.invalid_value));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

size_t Size(const std::optional<simdjson::dom::object>& map) { return map ? map->size() : 0; }

}  // namespace

bool HasLegacyParameter(const ObjectReader& request, std::string_view member) {
  auto element = request.Element(member);
  if (!element || element->is_null()) return false;
  if (element->is_object()) return element->get_object().value().size() > 0;
  if (element->is_array()) return element->get_array().value().size() > 0;
  if (element->is_string()) return !element->get_string().value().empty();
  return true;
}

ApiResult<void> RejectMixedParameters(const std::vector<ObjectReader>& bodies,
                                      std::initializer_list<std::string_view> legacy,
                                      std::initializer_list<std::string_view> expression) {
  auto used = [&bodies](std::initializer_list<std::string_view> members) {
    std::vector<std::string_view> found;
    for (std::string_view member : members) {
      for (const ObjectReader& body : bodies) {
        if (HasLegacyParameter(body, member)) {
          found.push_back(member);
          break;
        }
      }
    }
    return found;
  };
  const std::vector<std::string_view> legacy_used = used(legacy);
  if (legacy_used.empty()) return {};
  // An empty expression is not one here; it is refused when parsed ("The expression can not
  // be empty"), as DynamoDB Local does.
  const std::vector<std::string_view> expression_used = used(expression);
  if (expression_used.empty()) return {};
  return Fail(ApiError::Validation(
      fmt::format("Can not use both expression and non-expression parameters in the same request: "
                  "Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
                  fmt::join(legacy_used, ", "), fmt::join(expression_used, ", "))));
}

ApiResult<void> RejectMixedParameters(const ObjectReader& request,
                                      std::initializer_list<std::string_view> legacy,
                                      std::initializer_list<std::string_view> expression) {
  return RejectMixedParameters(std::vector<ObjectReader>{request}, legacy, expression);
}

namespace {

// The entries of a non-empty Expected.
ApiResult<std::vector<expressions::ExpectedEntry>> ReadExpectedEntries(simdjson::dom::object map) {
  std::vector<expressions::ExpectedEntry> entries;
  for (auto field : map) {
    DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(field.value));
    ObjectReader reader(object);
    expressions::ExpectedEntry entry;
    entry.attribute = std::string(field.key);
    if (auto value = reader.Element("Value"); value && !value->is_null()) {
      DUNLIN_ASSIGN_OR_RETURN(entry.value, ReadValue(*value, entry.invalid_value));
    }
    DUNLIN_ASSIGN_OR_RETURN(entry.exists, reader.Bool("Exists"));
    DUNLIN_ASSIGN_OR_RETURN(auto op, reader.String("ComparisonOperator"));
    if (op) entry.comparison_operator = std::string(*op);
    DUNLIN_ASSIGN_OR_RETURN(auto list, reader.Array("AttributeValueList"));
    if (list) {
      DUNLIN_ASSIGN_OR_RETURN(entry.value_list, ReadValueList(*list, entry.invalid_value));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

ApiResult<void> CheckExpectedEntries(const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto map, request.Object("Expected"));
  if (Size(map) == 0) return {};
  DUNLIN_ASSIGN_OR_RETURN(auto entries, ReadExpectedEntries(*map));
  auto condition = expressions::TranslateExpected(entries, ConditionalOperator::kAnd);
  if (!condition.ok()) return Fail(FromExpression(std::move(condition).error()));
  return {};
}

ApiResult<std::optional<expressions::Condition>> ReadExpected(const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto map, request.Object("Expected"));
  if (Size(map) == 0) {
    DUNLIN_RETURN_IF_ERROR(ReadConditionalOperator(request, 0));
    return std::optional<expressions::Condition>();
  }
  DUNLIN_ASSIGN_OR_RETURN(auto entries, ReadExpectedEntries(*map));
  // DynamoDB Local checks the entries before ConditionalOperator (rule 2).
  auto condition = expressions::TranslateExpected(entries, ConditionalOperator::kAnd);
  if (!condition.ok()) return Fail(FromExpression(std::move(condition).error()));
  DUNLIN_ASSIGN_OR_RETURN(ConditionalOperator combine, ReadConditionalOperator(request, Size(map)));
  if (combine != ConditionalOperator::kAnd) {
    condition = expressions::TranslateExpected(entries, combine);
    if (!condition.ok()) return Fail(FromExpression(std::move(condition).error()));
  }
  return std::optional<expressions::Condition>(std::move(condition).value());
}

ApiResult<std::optional<expressions::Condition>> ReadLegacyFilter(const ObjectReader& request,
                                                                  std::string_view member) {
  DUNLIN_ASSIGN_OR_RETURN(auto map, request.Object(member));
  if (Size(map) == 0) {
    DUNLIN_RETURN_IF_ERROR(ReadConditionalOperator(request, 0));
    return std::optional<expressions::Condition>();
  }
  DUNLIN_ASSIGN_OR_RETURN(auto entries, ReadConditionEntries(*map));
  // The entries first, then ConditionalOperator, as for Expected.
  auto condition = expressions::TranslateFilter(entries, ConditionalOperator::kAnd);
  if (!condition.ok()) return Fail(FromExpression(std::move(condition).error()));
  DUNLIN_ASSIGN_OR_RETURN(ConditionalOperator combine, ReadConditionalOperator(request, Size(map)));
  if (combine != ConditionalOperator::kAnd) {
    condition = expressions::TranslateFilter(entries, combine);
    if (!condition.ok()) return Fail(FromExpression(std::move(condition).error()));
  }
  return std::optional<expressions::Condition>(std::move(condition).value());
}

ApiResult<std::optional<std::vector<expressions::ConditionEntry>>> ReadKeyConditions(
    const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto map, request.Object("KeyConditions"));
  if (!map) return std::optional<std::vector<expressions::ConditionEntry>>();
  DUNLIN_ASSIGN_OR_RETURN(auto entries, ReadConditionEntries(*map));
  return std::optional<std::vector<expressions::ConditionEntry>>(std::move(entries));
}

ApiResult<std::optional<expressions::ProjectionExpression>> ReadAttributesToGet(
    const ObjectReader& request) {
  DUNLIN_ASSIGN_OR_RETURN(auto names, request.Array("AttributesToGet"));
  if (!names || names->size() == 0) return std::optional<expressions::ProjectionExpression>();
  expressions::ProjectionExpression projection;
  std::set<std::string_view> seen;
  for (simdjson::dom::element element : *names) {
    DUNLIN_ASSIGN_OR_RETURN(std::string_view name, AsString(element));
    if (name.empty()) return Fail(ApiError::Validation("Empty attribute name"));
    if (!seen.insert(name).second) {
      return Fail(ApiError::Validation("Cannot have two attributes with the same name"));
    }
    projection.paths.push_back(expressions::Path{expressions::PathElement{std::string(name)}});
  }
  return std::optional<expressions::ProjectionExpression>(std::move(projection));
}

ApiResult<std::optional<std::vector<expressions::AttributeUpdate>>> ReadAttributeUpdates(
    const ObjectReader& request) {
  using Updates = std::vector<expressions::AttributeUpdate>;
  DUNLIN_ASSIGN_OR_RETURN(auto map, request.Object("AttributeUpdates"));
  if (Size(map) == 0) return std::optional<Updates>();
  Updates updates;
  for (auto field : *map) {
    DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(field.value));
    ObjectReader reader(object);
    expressions::AttributeUpdate update;
    update.attribute = std::string(field.key);
    DUNLIN_ASSIGN_OR_RETURN(auto action, reader.String("Action"));
    if (action) {
      if (*action == "ADD") {
        update.action = expressions::LegacyUpdateAction::kAdd;
      } else if (*action == "DELETE") {
        update.action = expressions::LegacyUpdateAction::kDelete;
      } else if (*action != "PUT") {
        update.unknown_action = true;
      }
    }
    if (auto value = reader.Element("Value"); value && !value->is_null()) {
      DUNLIN_ASSIGN_OR_RETURN(update.value, ReadValue(*value, update.invalid_value));
    }
    updates.push_back(std::move(update));
  }
  return std::optional<Updates>(std::move(updates));
}

}  // namespace dunlin::api
