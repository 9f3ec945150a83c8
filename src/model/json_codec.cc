#include "model/json_codec.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/base64.h"

namespace dunlin::model {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// DynamoDB's wording (verified against DynamoDB Local; see docs/notes-model-errors.md).
constexpr std::string_view kEmptyValue =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
constexpr std::string_view kSeveralTypes =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";
constexpr std::string_view kTooDeep =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";
constexpr std::string_view kEmptyName = "Empty attribute name";
constexpr std::string_view kNullValue = "The supplied Item contains a null AttributeValue";
constexpr std::string_view kNullNotTrue =
    "One or more parameter values were invalid: Null attribute value types must have the value "
    "of true";
// The double spaces are DynamoDB's.
constexpr std::string_view kEmptyStringSet =
    "One or more parameter values were invalid: An string set  may not be empty";
constexpr std::string_view kEmptyNumberSet =
    "One or more parameter values were invalid: An number set  may not be empty";
constexpr std::string_view kEmptyBinarySet =
    "One or more parameter values were invalid: Binary sets should not be empty";
constexpr std::string_view kNullInStringSet =
    "One or more parameter values were invalid: An string set may not have a null string as a "
    "member";
// DynamoDB Local fails internally on a null in a binary set; this follows the string-set wording.
constexpr std::string_view kNullInBinarySet =
    "One or more parameter values were invalid: An binary set may not have a null binary as a "
    "member";
constexpr std::string_view kDuplicateNumbers = "Input collection contains duplicates";
constexpr std::string_view kDuplicateBinaries =
    "One or more parameter values were invalid: Input collection of type BS contains duplicates.";

// Wrong JSON types are SerializationExceptions in DynamoDB (DynamoDB Local answers them with a
// 500 InternalFailure instead), worded like DynamoDB's request deserializer.
constexpr std::string_view kUnexpectedObject = "Start of structure or map found where not expected";
constexpr std::string_view kUnexpectedArray = "Start of list found where not expected";
constexpr std::string_view kUnexpectedScalar = "Unexpected field type";
constexpr std::string_view kBadBase64Character = "Invalid Base64 character in binary value";

ModelError Validation(std::string_view message) {
  return ModelError::Validation(std::string(message));
}
ModelError Serialization(std::string_view message) {
  return ModelError::Serialization(std::string(message));
}

// The name DynamoDB's deserializer gives a scalar token in "X cannot be converted to Y".
std::string_view TokenName(const element& json) {
  switch (json.type()) {
    case element_type::STRING:
      return "STRING_VALUE";
    case element_type::BOOL: {
      bool value = false;
      if (json.get_bool().get(value)) return "BOOLEAN_VALUE";
      return value ? "TRUE_VALUE" : "FALSE_VALUE";
    }
    default:
      return "NUMBER_VALUE";
  }
}

ModelError WrongShape(const element& json, std::string_view expected_scalar) {
  switch (json.type()) {
    case element_type::OBJECT:
      return Serialization(kUnexpectedObject);
    case element_type::ARRAY:
      return Serialization(kUnexpectedArray);
    default:
      if (expected_scalar.empty()) return Serialization(kUnexpectedScalar);
      std::string message(TokenName(json));
      message.append(" cannot be converted to ");
      message.append(expected_scalar);
      return ModelError::Serialization(std::move(message));
  }
}

Result<std::string_view, ModelError> ExpectString(const element& json) {
  std::string_view value;
  if (json.get_string().get(value)) return Fail(WrongShape(json, "String"));
  return value;
}

Result<bool, ModelError> ExpectBool(const element& json) {
  bool value = false;
  if (json.get_bool().get(value)) return Fail(WrongShape(json, "Boolean"));
  return value;
}

Result<simdjson::dom::array, ModelError> ExpectArray(const element& json) {
  simdjson::dom::array array;
  if (json.get_array().get(array)) return Fail(WrongShape(json, ""));
  return array;
}

Result<simdjson::dom::object, ModelError> ExpectObject(const element& json) {
  simdjson::dom::object object;
  if (json.get_object().get(object)) return Fail(WrongShape(json, ""));
  return object;
}

Result<std::string, ModelError> DecodeBinary(std::string_view text) {
  if (text.size() % 4 != 0) {
    std::string message = "Base64 encoded length is expected a multiple of 4 bytes but found: ";
    message.append(std::to_string(text.size()));
    return Fail(ModelError::Serialization(std::move(message)));
  }
  std::optional<std::string> bytes = Base64Decode(text);
  if (!bytes) return Fail(Serialization(kBadBase64Character));
  return std::move(*bytes);
}

// Index of each type key in AttributeValue::Variant (and AttributeType), or -1 if unknown.
int TypeIndex(std::string_view key) {
  switch (key.size()) {
    case 1:
      if (key == "S") return static_cast<int>(AttributeType::kS);
      if (key == "N") return static_cast<int>(AttributeType::kN);
      if (key == "B") return static_cast<int>(AttributeType::kB);
      if (key == "M") return static_cast<int>(AttributeType::kM);
      if (key == "L") return static_cast<int>(AttributeType::kL);
      return -1;
    case 2:
      if (key == "SS") return static_cast<int>(AttributeType::kSS);
      if (key == "NS") return static_cast<int>(AttributeType::kNS);
      if (key == "BS") return static_cast<int>(AttributeType::kBS);
      return -1;
    case 4:
      if (key == "BOOL") return static_cast<int>(AttributeType::kBool);
      if (key == "NULL") return static_cast<int>(AttributeType::kNull);
      return -1;
    default:
      return -1;
  }
}

// Parses in document order and stops at the first error, as DynamoDB does. `depth` is the
// number of M/L containers (an item counting as one) around the value being parsed.
class Parser {
 public:
  Result<AttributeValue, ModelError> Value(const element& json, int depth);
  Result<AttributeMap, ModelError> Map(const element& json, int depth);

 private:
  Result<AttributeValue, ModelError> Typed(AttributeType type, const element& json, int depth);
  Result<AttributeValue, ModelError> List(const element& json, int depth);
  Result<AttributeValue, ModelError> Strings(const element& json);
  Result<AttributeValue, ModelError> Numbers(const element& json);
  Result<AttributeValue, ModelError> Binaries(const element& json);
};

Result<AttributeValue, ModelError> Parser::Value(const element& json, int depth) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, ExpectObject(json));
  // A type key whose value is null counts as absent; a repeated key keeps its last value.
  // Each key's value is parsed exactly once and kept, so that nulling out a later key never
  // makes an earlier (possibly deeply nested) value be parsed again: re-parsing would let a
  // small body cost time exponential in its nesting depth.
  uint32_t present = 0;
  std::optional<AttributeValue> parsed[10];
  for (simdjson::dom::key_value_pair field : object) {
    const int type = TypeIndex(field.key);
    if (type < 0) continue;
    if (field.value.is_null()) {
      present &= ~(1u << type);
      continue;
    }
    DUNLIN_ASSIGN_OR_RETURN(parsed[type],
                            Typed(static_cast<AttributeType>(type), field.value, depth));
    present |= 1u << type;
  }
  if (present == 0) return Fail(Validation(kEmptyValue));
  if ((present & (present - 1)) != 0) return Fail(Validation(kSeveralTypes));
  return std::move(*parsed[__builtin_ctz(present)]);
}

Result<AttributeValue, ModelError> Parser::Typed(AttributeType type, const element& json,
                                                 int depth) {
  switch (type) {
    case AttributeType::kS: {
      DUNLIN_ASSIGN_OR_RETURN(std::string_view text, ExpectString(json));
      return AttributeValue::String(std::string(text));
    }
    case AttributeType::kN: {
      DUNLIN_ASSIGN_OR_RETURN(std::string_view text, ExpectString(json));
      auto number = Number::Parse(text);
      if (!number.ok()) {
        return Fail(ModelError::Validation(NumberErrorMessage(number.error(), text)));
      }
      return AttributeValue::Num(std::move(number).value());
    }
    case AttributeType::kB: {
      DUNLIN_ASSIGN_OR_RETURN(std::string_view text, ExpectString(json));
      DUNLIN_ASSIGN_OR_RETURN(std::string bytes, DecodeBinary(text));
      return AttributeValue::Bytes(std::move(bytes));
    }
    case AttributeType::kBool: {
      DUNLIN_ASSIGN_OR_RETURN(bool value, ExpectBool(json));
      return AttributeValue(AttributeValue::Variant(std::in_place_type<bool>, value));
    }
    case AttributeType::kNull: {
      DUNLIN_ASSIGN_OR_RETURN(bool value, ExpectBool(json));
      if (!value) return Fail(Validation(kNullNotTrue));
      return AttributeValue(AttributeValue::Variant(Null{}));
    }
    case AttributeType::kM: {
      if (depth + 1 > kMaxNestingDepth) return Fail(Validation(kTooDeep));
      DUNLIN_ASSIGN_OR_RETURN(AttributeMap map, Map(json, depth + 1));
      return AttributeValue(AttributeValue::Variant(std::move(map)));
    }
    case AttributeType::kL:
      if (depth + 1 > kMaxNestingDepth) return Fail(Validation(kTooDeep));
      return List(json, depth + 1);
    case AttributeType::kSS:
      return Strings(json);
    case AttributeType::kNS:
      return Numbers(json);
    case AttributeType::kBS:
      return Binaries(json);
  }
  return Fail(Validation(kEmptyValue));
}

Result<AttributeMap, ModelError> Parser::Map(const element& json, int depth) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::object object, ExpectObject(json));
  AttributeMap map;
  for (simdjson::dom::key_value_pair field : object) {
    if (field.value.is_null()) {
      std::string message(kNullValue);
      message.append(": ");
      message.append(field.key);
      message.append(" is null");
      return Fail(ModelError::Validation(std::move(message)));
    }
    // DynamoDB checks the value before its name.
    DUNLIN_ASSIGN_OR_RETURN(AttributeValue value, Value(field.value, depth));
    if (field.key.empty()) return Fail(Validation(kEmptyName));
    map.insert_or_assign(std::string(field.key), std::move(value));
  }
  return map;
}

Result<AttributeValue, ModelError> Parser::List(const element& json, int depth) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::array array, ExpectArray(json));
  AttributeList list;
  list.reserve(array.size());
  for (element item : array) {
    if (item.is_null()) return Fail(Validation(kNullValue));
    DUNLIN_ASSIGN_OR_RETURN(AttributeValue value, Value(item, depth));
    list.push_back(std::move(value));
  }
  return AttributeValue(AttributeValue::Variant(std::move(list)));
}

Result<AttributeValue, ModelError> Parser::Strings(const element& json) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::array array, ExpectArray(json));
  StringSet set;
  set.values.reserve(array.size());
  bool has_null = false;
  for (element item : array) {
    if (item.is_null()) {
      has_null = true;
      continue;
    }
    DUNLIN_ASSIGN_OR_RETURN(std::string_view text, ExpectString(item));
    set.values.emplace_back(text);
  }
  if (set.values.empty() && !has_null) return Fail(Validation(kEmptyStringSet));
  std::sort(set.values.begin(), set.values.end());
  const bool duplicates =
      std::adjacent_find(set.values.begin(), set.values.end()) != set.values.end() ||
      (has_null && array.size() - set.values.size() > 1);
  if (duplicates) {
    // DynamoDB quotes the whole input, in request order, nulls included.
    std::string message = "One or more parameter values were invalid: Input collection [";
    bool first = true;
    for (element item : array) {
      if (!first) message.append(", ");
      first = false;
      std::string_view text;
      message.append(item.get_string().get(text) ? std::string_view("null") : text);
    }
    message.append("] contains duplicates");
    return Fail(ModelError::Validation(std::move(message)));
  }
  if (has_null) return Fail(Validation(kNullInStringSet));
  return AttributeValue(AttributeValue::Variant(std::move(set)));
}

Result<AttributeValue, ModelError> Parser::Numbers(const element& json) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::array array, ExpectArray(json));
  NumberSet set;
  set.values.reserve(array.size());
  // DynamoDB checks each element in turn (valid number, then not a repeat of an earlier one),
  // so a duplicate before the first bad number wins over it.
  std::optional<NumberError> bad_number;
  std::string_view bad_text;
  for (element item : array) {
    std::string_view text;
    if (!item.is_null()) {
      DUNLIN_ASSIGN_OR_RETURN(text, ExpectString(item));
    }
    auto number = item.is_null() ? Result<Number, NumberError>(Fail(NumberError::kNotANumber))
                                 : Number::Parse(text);
    if (!number.ok()) {
      bad_number = number.error();
      bad_text = text;
      break;
    }
    set.values.push_back(std::move(number).value());
  }
  if (set.values.empty() && !bad_number) return Fail(Validation(kEmptyNumberSet));
  std::sort(set.values.begin(), set.values.end());
  if (std::adjacent_find(set.values.begin(), set.values.end()) != set.values.end()) {
    return Fail(Validation(kDuplicateNumbers));
  }
  if (bad_number) return Fail(ModelError::Validation(NumberErrorMessage(*bad_number, bad_text)));
  return AttributeValue(AttributeValue::Variant(std::move(set)));
}

Result<AttributeValue, ModelError> Parser::Binaries(const element& json) {
  DUNLIN_ASSIGN_OR_RETURN(simdjson::dom::array array, ExpectArray(json));
  BinarySet set;
  set.values.reserve(array.size());
  bool has_null = false;
  for (element item : array) {
    if (item.is_null()) {
      has_null = true;
      continue;
    }
    DUNLIN_ASSIGN_OR_RETURN(std::string_view text, ExpectString(item));
    DUNLIN_ASSIGN_OR_RETURN(std::string bytes, DecodeBinary(text));
    set.values.push_back(std::move(bytes));
  }
  if (set.values.empty() && !has_null) return Fail(Validation(kEmptyBinarySet));
  std::sort(set.values.begin(), set.values.end());
  if (std::adjacent_find(set.values.begin(), set.values.end()) != set.values.end() ||
      (has_null && array.size() - set.values.size() > 1)) {
    return Fail(Validation(kDuplicateBinaries));
  }
  if (has_null) return Fail(Validation(kNullInBinarySet));
  return AttributeValue(AttributeValue::Variant(std::move(set)));
}

// DynamoDB deserializes the whole request before validating it, so a wrong JSON type or bad
// base64 anywhere wins over a validation error found earlier in document order. Run on the
// failure path only: returns the first such error in `json` (an AttributeValue), if any.
std::optional<ModelError> FindSerializationError(const element& json);

std::optional<ModelError> FindInMapShape(const element& json) {
  auto object = ExpectObject(json);
  if (!object.ok()) return std::move(object).error();
  for (simdjson::dom::key_value_pair field : object.value()) {
    if (field.value.is_null()) continue;
    if (auto error = FindSerializationError(field.value)) return error;
  }
  return std::nullopt;
}

std::optional<ModelError> FindSerializationError(const element& json) {
  auto object = ExpectObject(json);
  if (!object.ok()) return std::move(object).error();
  for (simdjson::dom::key_value_pair field : object.value()) {
    const int type = TypeIndex(field.key);
    if (type < 0 || field.value.is_null()) continue;
    switch (static_cast<AttributeType>(type)) {
      case AttributeType::kS:
      case AttributeType::kN: {
        auto text = ExpectString(field.value);
        if (!text.ok()) return std::move(text).error();
        break;
      }
      case AttributeType::kB: {
        auto text = ExpectString(field.value);
        if (!text.ok()) return std::move(text).error();
        auto bytes = DecodeBinary(text.value());
        if (!bytes.ok()) return std::move(bytes).error();
        break;
      }
      case AttributeType::kBool:
      case AttributeType::kNull: {
        auto value = ExpectBool(field.value);
        if (!value.ok()) return std::move(value).error();
        break;
      }
      case AttributeType::kM:
        if (auto error = FindInMapShape(field.value)) return error;
        break;
      case AttributeType::kL:
      case AttributeType::kSS:
      case AttributeType::kNS:
      case AttributeType::kBS: {
        auto array = ExpectArray(field.value);
        if (!array.ok()) return std::move(array).error();
        for (element item : array.value()) {
          if (item.is_null()) continue;
          if (type == static_cast<int>(AttributeType::kL)) {
            if (auto error = FindSerializationError(item)) return error;
            continue;
          }
          auto text = ExpectString(item);
          if (!text.ok()) return std::move(text).error();
          if (type == static_cast<int>(AttributeType::kBS)) {
            auto bytes = DecodeBinary(text.value());
            if (!bytes.ok()) return std::move(bytes).error();
          }
        }
        break;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<AttributeValue, ModelError> ParseAttributeValue(const simdjson::dom::element& json) {
  if (json.is_null()) return Fail(Validation(kNullValue));
  auto value = Parser().Value(json, 0);
  if (!value.ok() && value.error().kind == ModelError::Kind::kValidation) {
    if (auto error = FindSerializationError(json)) return Fail(std::move(*error));
  }
  return value;
}

Result<AttributeMap, ModelError> ParseAttributeMap(const simdjson::dom::element& json) {
  // The map itself is the first nesting level, as an item is.
  auto map = Parser().Map(json, 1);
  if (!map.ok() && map.error().kind == ModelError::Kind::kValidation) {
    if (auto error = FindInMapShape(json)) return Fail(std::move(*error));
  }
  return map;
}

namespace {

void WriteStringArray(JsonWriter& out, const std::vector<std::string>& values, bool binary) {
  out.BeginArray();
  for (const std::string& value : values) out.String(binary ? Base64Encode(value) : value);
  out.EndArray();
}

}  // namespace

void WriteAttributeValue(JsonWriter& out, const AttributeValue& value) {
  out.BeginObject();
  out.Key(AttributeTypeName(value.type()));
  switch (value.type()) {
    case AttributeType::kS:
      out.String(value.as_string());
      break;
    case AttributeType::kN:
      out.String(value.as_number().ToString());
      break;
    case AttributeType::kB:
      out.String(Base64Encode(value.as_binary()));
      break;
    case AttributeType::kBool:
      out.Bool(value.as_bool());
      break;
    case AttributeType::kNull:
      out.Bool(true);
      break;
    case AttributeType::kM:
      WriteAttributeMap(out, value.as_map());
      break;
    case AttributeType::kL:
      out.BeginArray();
      for (const AttributeValue& item : value.as_list()) WriteAttributeValue(out, item);
      out.EndArray();
      break;
    case AttributeType::kSS:
      WriteStringArray(out, std::get<StringSet>(value.variant()).values, /*binary=*/false);
      break;
    case AttributeType::kNS:
      out.BeginArray();
      for (const Number& number : std::get<NumberSet>(value.variant()).values) {
        out.String(number.ToString());
      }
      out.EndArray();
      break;
    case AttributeType::kBS:
      WriteStringArray(out, std::get<BinarySet>(value.variant()).values, /*binary=*/true);
      break;
  }
  out.EndObject();
}

void WriteAttributeMap(JsonWriter& out, const AttributeMap& map) {
  out.BeginObject();
  for (const auto& [name, value] : map) {
    out.Key(name);
    WriteAttributeValue(out, value);
  }
  out.EndObject();
}

}  // namespace dunlin::model
