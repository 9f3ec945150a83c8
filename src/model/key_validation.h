// Primary-key validation against a table's key schema, with DynamoDB's rules and wording:
//   1. Key attributes must be present ("One of the required keys was not given a value") with a
//      scalar type ("Invalid attribute value type") equal to the table's ("One or more parameter
//      values were invalid: Type mismatch for key <name> expected: <T> actual: <T>").
//   2. Key values may not be empty strings or empty binaries ("... cannot contain an empty
//      string value. Key: <name>").
//   3. Partition keys are at most 2048 bytes, sort keys at most 1024 bytes (one message for
//      both: "Hash primary key values must be under 2048 bytes, and range primary key values
//      must be under 1024 bytes").
//   4. A Key parameter (GetItem, DeleteItem) holds exactly as many attributes as the key
//      schema ("The number of conditions on the keys is invalid"), checked before rules 1-3.
// Rules 1-3 run for the partition key, then for the sort key. Exact wordings, and where
// DynamoDB Local differs from DynamoDB, are in docs/notes-model-errors.md.
//
// Secondary index keys (ValidateIndexKeys; docs/notes-oracle-indexes.md, section 3): an item
// need not have them (it is then absent from the index), but one it has must be scalar
// ("Invalid attribute value type") of the index's type ("One or more parameter values were
// invalid: Type mismatch for Index Key"), not empty, and within the key length limits ("One or
// more parameter values were invalid: Size limit exceeded"). Indexes are checked in the
// table's order (local ones first), each attribute's type before its value.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "model/attribute_value.h"
#include "model/model_error.h"
#include "model/table.h"

namespace dunlin::model {

inline constexpr size_t kMaxPartitionKeyBytes = 2048;
inline constexpr size_t kMaxSortKeyBytes = 1024;

// Checks a whole item (PutItem's Item) and returns its key.
// The returned pointers borrow from `item`.
Result<PrimaryKey, ModelError> ExtractItemKey(const Item& item, const KeySchema& schema);

// Checks a Key parameter (exactly the key attributes) and returns it.
Result<PrimaryKey, ModelError> ValidateKeyParameter(const AttributeMap& key,
                                                    const KeySchema& schema);

// Which write an index key check is for: the empty-value message differs.
enum class IndexKeyWrite { kPut, kUpdate };

// Checks the values `item` holds for the key attributes of the table's secondary indexes.
Result<void, ModelError> ValidateIndexKeys(const Item& item, const TableMetadata& table,
                                           IndexKeyWrite write);

// Whether `error` (from ValidateIndexKeys) is the type mismatch, which a transaction reports as
// a cancellation reason rather than failing the whole request.
bool IsIndexKeyTypeMismatch(const ModelError& error);

// The start of the message of rule 2 for a table's key.
inline constexpr std::string_view kEmptyKeyValuePrefix =
    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
    "contain an empty";

// Rule 2's message when `value` of key attribute `name` is an empty string or binary, for the
// table's key (`index` empty: "... Key: <name>") or for index `index`'s key ("... IndexName:
// <index>, IndexKey: <name>"); nullopt for any other value.
std::optional<std::string> EmptyKeyValueMessage(const AttributeValue& value,
                                                std::string_view name,
                                                std::string_view index = {});

// The key attributes of `item` as their own map (for LastEvaluatedKey and the like).
AttributeMap KeyOf(const Item& item, const KeySchema& schema);

}  // namespace dunlin::model
