// ExpressionCache: a bounded cache of parsed, unresolved expression ASTs, keyed by the kind of
// expression and its exact text, so that a request repeating an expression it (or another
// request) used before skips lexing and parsing.
//
// USE CASES: applications send the same few expressions over and over with different
// ExpressionAttributeValues. The parse depends only on (kind, text); resolution against the
// request's names and values still runs on every request, on a copy of the cached AST.
//
// BEHAVIOUR:
//   1. Only successful parses are cached. A parse error depends only on (kind, text) too, so
//      caching it would be correct, but a client sending many malformed expressions would then
//      push out the ones that parse; failures are parsed afresh and give exactly the uncached
//      message.
//   2. A hit returns the very AST the parser produced for that text (shared, immutable); a
//      result through the cache is identical to one from parser.h / resolve.h.
//   3. Eviction is least-recently-used within each shard.
//
// CONSTRAINTS: at most `max_entries` entries and about `max_bytes` of text and AST (an estimate
// of heap use, not an exact count); texts longer than `max_text_bytes` bytes are parsed but never
// cached (by default 4,096, DynamoDB's limit in characters, so most such texts fail anyway:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html).
//
// Thread-safety: every member function is thread-safe. The cache is split into shards by hash,
// each with its own mutex held only for a hash lookup, a list splice and a shared_ptr copy;
// parsing, copying and resolution run outside any lock. Returned ASTs stay valid for as long as
// the caller holds the shared_ptr, whatever the cache evicts meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "expressions/ast.h"
#include "expressions/expression_error.h"
#include "expressions/parser.h"
#include "expressions/resolve.h"

namespace dunlin::expressions {

struct ExpressionCacheOptions {
  // Upper bound on cached entries across all shards; 0 disables caching.
  size_t max_entries = 4096;
  // Upper bound on the estimated heap bytes of cached texts and ASTs across all shards.
  size_t max_bytes = size_t{32} << 20;
  // Texts longer than this are never cached.
  size_t max_text_bytes = kMaxExpressionCharacters;
  // Number of independently locked shards; reduced so that each holds at least one entry.
  size_t shards = 16;
};

struct ExpressionCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;  // lookups that parsed, whether or not the result was then cached
  uint64_t evictions = 0;
  size_t entries = 0;
  size_t bytes = 0;  // estimated, as counted against max_bytes
};

class ExpressionCache {
 public:
  explicit ExpressionCache(ExpressionCacheOptions options = {});
  ~ExpressionCache();
  ExpressionCache(const ExpressionCache&) = delete;
  ExpressionCache& operator=(const ExpressionCache&) = delete;

  // The syntax-only parse of parser.h (ParseConditionSyntax and friends) through the cache: the
  // same AST or the same error. `kind` is kCondition, kFilter or kKeyCondition; each kind is
  // cached separately, since it names the expression in messages.
  ExprResult<std::shared_ptr<const Condition>> ConditionSyntax(std::string_view text,
                                                               ExpressionKind kind);
  ExprResult<std::shared_ptr<const UpdateExpression>> UpdateSyntax(std::string_view text);
  ExprResult<std::shared_ptr<const ProjectionExpression>> ProjectionSyntax(std::string_view text);

  // resolve.h's ParseCondition / ParseUpdate / ParseProjection with the parse taken from the
  // cache: the cached AST is copied and the copy resolved against `attributes`, so the results,
  // the error messages and the placeholders marked as used are those of the uncached functions.
  ExprResult<Condition> ParseCondition(std::string_view text, ExpressionKind kind,
                                       ExpressionAttributes& attributes);
  ExprResult<UpdateExpression> ParseUpdate(std::string_view text, ExpressionAttributes& attributes);
  ExprResult<ProjectionExpression> ParseProjection(std::string_view text,
                                                   ExpressionAttributes& attributes);

  // Counters since construction (hits, misses, evictions) and current size. Each shard is read
  // under its lock, so the totals are not one atomic snapshot while other threads use the cache.
  ExpressionCacheStats Stats() const;

  // Drops every entry; ASTs that callers still hold stay valid.
  void Clear();

 private:
  struct Entry;
  struct Shard;

  template <typename Ast, typename ParseFn>
  ExprResult<std::shared_ptr<const Ast>> Get(ExpressionKind kind, std::string_view text,
                                             ParseFn parse);
  // Whether `text` may be cached at all (caching enabled, text not too long).
  bool Cacheable(std::string_view text) const;
  Shard& ShardFor(size_t hash) const;

  ExpressionCacheOptions options_;
  size_t entries_per_shard_ = 0;
  size_t bytes_per_shard_ = 0;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace dunlin::expressions
