// DynamoDB's reserved words: names that cannot appear literally as attribute names in an
// expression (an expression attribute name "#n" must stand in for them).
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
//
// Thread-safety: a pure function over constant data.
#pragma once

#include <string_view>

namespace dunlin::expressions {

// Case-insensitive: "Count", "COUNT" and "count" are all reserved.
bool IsReservedWord(std::string_view word);

}  // namespace dunlin::expressions
