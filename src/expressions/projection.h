// Applying a ProjectionExpression to an item.
//
// The projected item holds, for each path that exists in the item, the value at that path
// nested as in the item; paths that do not exist are skipped. Projected list elements are
// compacted: "d[2], d[0]" of [a, b, c] gives [a, c], in the list's order. Maps and lists left
// with nothing projected are omitted.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
//
// Thread-safety: pure functions.
#pragma once

#include "expressions/ast.h"
#include "model/attribute_value.h"

namespace dunlin::expressions {

// REQUIRES: `projection` is resolved (resolve.h), so its paths neither overlap nor conflict.
model::Item Project(const model::Item& item, const ProjectionExpression& projection);

// The same for any set of non-overlapping paths (e.g. UpdateResult::updated_paths).
model::Item ProjectPaths(const model::Item& item, const std::vector<Path>& paths);

}  // namespace dunlin::expressions
