// The typed-JSON codec: the only code that turns DynamoDB JSON into typed values and back.
//
// Parsing validates exactly as DynamoDB does and reports DynamoDB's wording (see model_error.h
// and docs/notes-model-errors.md): one type key per AttributeValue, sets non-empty and
// duplicate-free, numbers valid and in range, base64 binaries, nesting at most 32 levels.
// Empty strings and binaries are accepted here; keys are checked separately (key_validation.h).
//
// Behaviour, following DynamoDB:
//   1. Unknown keys inside an AttributeValue are ignored; a type key whose value is JSON null
//      counts as absent; a repeated JSON key keeps its last value.
//   2. Checks run in document order and the first failure wins, except that a
//      SerializationException (wrong JSON type, bad base64) anywhere in the input wins over any
//      ValidationException, because DynamoDB deserializes a request before validating it.
//   3. Nesting: an item (ParseAttributeMap) is level 1 and each M or L adds a level; a
//      standalone value (ParseAttributeValue) starts at level 0. More than kMaxNestingDepth
//      levels is a ValidationException.
//   4. Sets come back sorted (see attribute_value.h); numbers are canonical.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "common/json_writer.h"
#include "common/result.h"
#include "model/attribute_value.h"
#include "model/model_error.h"

namespace simdjson::dom {
class element;
}

namespace dunlin::model {

inline constexpr int kMaxNestingDepth = 32;

// Parses one AttributeValue, e.g. {"S":"x"} or {"M":{"a":{"N":"1"}}}, such as one entry of
// ExpressionAttributeValues. A JSON null is "The supplied Item contains a null AttributeValue".
Result<AttributeValue, ModelError> ParseAttributeValue(const simdjson::dom::element& json);
// Parses an attribute map, e.g. the Item of PutItem or the Key of GetItem. Attribute names may
// not be empty; a null value is "The supplied Item contains a null AttributeValue: <name> is
// null". REQUIRES: the caller has rejected a missing or null parameter itself.
Result<AttributeMap, ModelError> ParseAttributeMap(const simdjson::dom::element& json);

// Writes {"<type>":...}: numbers in canonical plain notation, binaries as padded base64.
void WriteAttributeValue(JsonWriter& out, const AttributeValue& value);
// Writes {"name":{...},...}.
void WriteAttributeMap(JsonWriter& out, const AttributeMap& map);

}  // namespace dunlin::model
