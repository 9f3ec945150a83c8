#include "expressions/expression_cache.h"

#include <algorithm>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>

namespace dunlin::expressions {
namespace {

// What one entry costs besides its text and AST: the list node, the index node, the shared_ptr
// control block and allocator headers. A rough figure; max_bytes is a bound on an estimate.
constexpr size_t kEntryOverheadBytes = 160;

bool IsConditionKind(ExpressionKind kind) {
  return kind == ExpressionKind::kCondition || kind == ExpressionKind::kFilter ||
         kind == ExpressionKind::kKeyCondition;
}

// Heap bytes a string owns beyond the object itself (none while its characters fit inline).
size_t HeapBytes(const std::string& s) {
  const char* self = reinterpret_cast<const char*>(&s);
  const bool inline_buffer = s.data() >= self && s.data() < self + sizeof(s);
  return inline_buffer ? 0 : s.capacity() + 1;
}

size_t HeapBytes(const Path& path) {
  size_t bytes = path.capacity() * sizeof(PathElement);
  for (const PathElement& element : path) bytes += HeapBytes(element.name);
  return bytes;
}

// An unresolved operand's value is always empty, so it owns no heap memory. The walks recurse
// as deep as the AST, which the parser bounds (kMaxParenthesisDepth, kMaxOperators).
size_t HeapBytes(const Operand& operand) {
  size_t bytes =
      HeapBytes(operand.path) + HeapBytes(operand.text) + operand.args.capacity() * sizeof(Operand);
  for (const Operand& arg : operand.args) bytes += HeapBytes(arg);
  return bytes;
}

size_t HeapBytes(const Condition& condition) {
  size_t bytes = condition.operands.capacity() * sizeof(Operand) +
                 condition.children.capacity() * sizeof(Condition);
  for (const Operand& operand : condition.operands) bytes += HeapBytes(operand);
  for (const Condition& child : condition.children) bytes += HeapBytes(child);
  return bytes;
}

size_t HeapBytes(const UpdateExpression& update) {
  size_t bytes = update.actions.capacity() * sizeof(UpdateAction);
  for (const UpdateAction& action : update.actions) {
    bytes += HeapBytes(action.path) + HeapBytes(action.value);
  }
  return bytes;
}

size_t HeapBytes(const ProjectionExpression& projection) {
  size_t bytes = projection.paths.capacity() * sizeof(Path);
  for (const Path& path : projection.paths) bytes += HeapBytes(path);
  return bytes;
}

size_t HashKey(ExpressionKind kind, std::string_view text) {
  const size_t h = std::hash<std::string_view>{}(text);
  return h ^ (static_cast<size_t>(kind) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

// A key as the index sees it: the text is a view into the entry that the LRU list keeps alive,
// or into the caller's text during a lookup. The hash is computed once per lookup.
struct Key {
  ExpressionKind kind;
  std::string_view text;
  size_t hash;
};
struct KeyHash {
  size_t operator()(const Key& key) const { return key.hash; }
};
struct KeyEqual {
  bool operator()(const Key& a, const Key& b) const { return a.kind == b.kind && a.text == b.text; }
};

}  // namespace

struct ExpressionCache::Entry {
  ExpressionKind kind = ExpressionKind::kCondition;
  std::string text;
  size_t hash = 0;
  size_t bytes = 0;  // estimated, counted against the shard's budget
  std::variant<Condition, UpdateExpression, ProjectionExpression> ast;
};

// Cache-line aligned so that neighbouring shards' mutexes do not share a line.
struct alignas(64) ExpressionCache::Shard {
  using List = std::list<std::shared_ptr<const Entry>>;

  std::mutex mutex;
  List lru;  // most recently used first
  std::unordered_map<Key, List::iterator, KeyHash, KeyEqual> index;
  size_t bytes = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
};

ExpressionCache::ExpressionCache(ExpressionCacheOptions options) : options_(options) {
  size_t shards = std::max<size_t>(1, options_.shards);
  if (options_.max_entries > 0) shards = std::min(shards, options_.max_entries);
  entries_per_shard_ = options_.max_entries / shards;
  bytes_per_shard_ = options_.max_bytes / shards;
  shards_.reserve(shards);
  for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

ExpressionCache::~ExpressionCache() = default;

ExpressionCache::Shard& ExpressionCache::ShardFor(size_t hash) const {
  // Mix again so that the shard does not follow the bits that pick the index bucket.
  const uint64_t mixed = static_cast<uint64_t>(hash) * 0x9e3779b97f4a7c15ULL;
  return *shards_[(mixed >> 32) % shards_.size()];
}

bool ExpressionCache::Cacheable(std::string_view text) const {
  return entries_per_shard_ > 0 && text.size() <= options_.max_text_bytes;
}

template <typename Ast, typename ParseFn>
ExprResult<std::shared_ptr<const Ast>> ExpressionCache::Get(ExpressionKind kind,
                                                            std::string_view text, ParseFn parse) {
  if (!Cacheable(text)) {
    DUNLIN_ASSIGN_OR_RETURN(Ast ast, parse());
    return std::make_shared<const Ast>(std::move(ast));
  }
  const size_t hash = HashKey(kind, text);
  Shard& shard = ShardFor(hash);
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto found = shard.index.find(Key{kind, text, hash});
    if (found != shard.index.end()) {
      shard.lru.splice(shard.lru.begin(), shard.lru, found->second);
      ++shard.hits;
      const std::shared_ptr<const Entry>& entry = *found->second;
      return std::shared_ptr<const Ast>(entry, &std::get<Ast>(entry->ast));
    }
    ++shard.misses;
  }

  // Parse outside the lock; errors are not cached (see the header).
  DUNLIN_ASSIGN_OR_RETURN(Ast ast, parse());
  auto fresh = std::make_shared<Entry>();
  fresh->kind = kind;
  fresh->text = std::string(text);
  fresh->hash = hash;
  fresh->bytes = sizeof(Entry) + kEntryOverheadBytes + HeapBytes(fresh->text) + HeapBytes(ast);
  fresh->ast.template emplace<Ast>(std::move(ast));
  std::shared_ptr<const Entry> entry = std::move(fresh);

  // Entries pushed out are destroyed after the lock is released.
  std::vector<std::shared_ptr<const Entry>> evicted;
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto found = shard.index.find(Key{kind, entry->text, hash});
    if (found != shard.index.end()) {
      // Another thread parsed the same text meanwhile; keep one copy.
      shard.lru.splice(shard.lru.begin(), shard.lru, found->second);
      entry = *found->second;
    } else if (entry->bytes <= bytes_per_shard_) {
      shard.lru.push_front(entry);
      shard.index.emplace(Key{kind, entry->text, hash}, shard.lru.begin());
      shard.bytes += entry->bytes;
      while (shard.lru.size() > entries_per_shard_ || shard.bytes > bytes_per_shard_) {
        const std::shared_ptr<const Entry>& victim = shard.lru.back();
        shard.index.erase(Key{victim->kind, victim->text, victim->hash});
        shard.bytes -= victim->bytes;
        evicted.push_back(std::move(shard.lru.back()));
        shard.lru.pop_back();
        ++shard.evictions;
      }
    }
  }
  return std::shared_ptr<const Ast>(entry, &std::get<Ast>(entry->ast));
}

ExprResult<std::shared_ptr<const Condition>> ExpressionCache::ConditionSyntax(std::string_view text,
                                                                              ExpressionKind kind) {
  if (!IsConditionKind(kind)) {
    // Not a documented use; parse without the cache rather than mix AST types under one kind.
    DUNLIN_ASSIGN_OR_RETURN(Condition condition, ParseConditionSyntax(text, kind));
    return std::make_shared<const Condition>(std::move(condition));
  }
  return Get<Condition>(kind, text, [&] { return ParseConditionSyntax(text, kind); });
}

ExprResult<std::shared_ptr<const UpdateExpression>> ExpressionCache::UpdateSyntax(
    std::string_view text) {
  return Get<UpdateExpression>(ExpressionKind::kUpdate, text,
                               [&] { return ParseUpdateSyntax(text); });
}

ExprResult<std::shared_ptr<const ProjectionExpression>> ExpressionCache::ProjectionSyntax(
    std::string_view text) {
  return Get<ProjectionExpression>(ExpressionKind::kProjection, text,
                                   [&] { return ParseProjectionSyntax(text); });
}

ExprResult<Condition> ExpressionCache::ParseCondition(std::string_view text, ExpressionKind kind,
                                                      ExpressionAttributes& attributes) {
  // Uncacheable texts skip the copy that resolving a shared AST needs.
  if (!Cacheable(text)) return expressions::ParseCondition(text, kind, attributes);
  DUNLIN_ASSIGN_OR_RETURN(std::shared_ptr<const Condition> parsed, ConditionSyntax(text, kind));
  return ResolveCondition(*parsed, kind, attributes);
}

ExprResult<UpdateExpression> ExpressionCache::ParseUpdate(std::string_view text,
                                                          ExpressionAttributes& attributes) {
  if (!Cacheable(text)) return expressions::ParseUpdate(text, attributes);
  DUNLIN_ASSIGN_OR_RETURN(std::shared_ptr<const UpdateExpression> parsed, UpdateSyntax(text));
  return ResolveUpdate(*parsed, attributes);
}

ExprResult<ProjectionExpression> ExpressionCache::ParseProjection(
    std::string_view text, ExpressionAttributes& attributes) {
  if (!Cacheable(text)) return expressions::ParseProjection(text, attributes);
  DUNLIN_ASSIGN_OR_RETURN(std::shared_ptr<const ProjectionExpression> parsed,
                          ProjectionSyntax(text));
  return ResolveProjection(*parsed, attributes);
}

ExpressionCacheStats ExpressionCache::Stats() const {
  ExpressionCacheStats stats;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    stats.hits += shard->hits;
    stats.misses += shard->misses;
    stats.evictions += shard->evictions;
    stats.entries += shard->lru.size();
    stats.bytes += shard->bytes;
  }
  return stats;
}

void ExpressionCache::Clear() {
  for (const auto& shard : shards_) {
    Shard::List dropped;
    {
      std::lock_guard<std::mutex> lock(shard->mutex);
      shard->index.clear();
      dropped.swap(shard->lru);
      shard->bytes = 0;
    }
  }
}

}  // namespace dunlin::expressions
