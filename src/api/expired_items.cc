#include "api/expired_items.h"

#include "storage/expiry_index.h"

namespace dunlin::api {

bool ExpiredItemFilter::Hides(const model::Item& item) const {
  if (ttl == nullptr) return false;
  const std::optional<int64_t> seconds = storage::ExpirySeconds(*ttl, item);
  return seconds && storage::ExpiryDue(*seconds, now_seconds);
}

ExpiredItemFilter ExpiredItemFilterFor(const OperationContext& context,
                                       const model::TableMetadata& table) {
  ExpiredItemFilter filter;
  if (context.config.hide_expired_items && table.ttl.enabled) {
    filter.ttl = &table.ttl;
    filter.now_seconds = context.now_ms / 1000;
  }
  return filter;
}

}  // namespace dunlin::api
