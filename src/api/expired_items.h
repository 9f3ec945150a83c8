// An extension (off by default): reads that leave out items whose Time to Live has passed but
// which the expiry sweeper has not deleted yet, for applications that would otherwise filter on
// the expiry attribute themselves. DynamoDB returns such items until they are deleted
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html), and so
// does Dunlin unless started with --hide-expired-items.
//
// An item is hidden when the table has Time to Live enabled and the item's own attribute is
// due (storage/expiry_index.h). An index entry that does not project the attribute is shown.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>

#include "api/operation.h"
#include "model/table.h"

namespace dunlin::api {

struct ExpiredItemFilter {
  const model::TimeToLive* ttl = nullptr;  // null: nothing is hidden
  int64_t now_seconds = 0;
  // Whether `item` is left out of reads.
  bool Hides(const model::Item& item) const;
};

// The filter for reads of `table` in this request: inactive unless the server hides expired
// items and the table has Time to Live enabled. REQUIRES: `table` outlives it.
ExpiredItemFilter ExpiredItemFilterFor(const OperationContext& context,
                                       const model::TableMetadata& table);

}  // namespace dunlin::api
