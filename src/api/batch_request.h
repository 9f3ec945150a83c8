// Pieces shared by BatchGetItem and BatchWriteItem: the RequestItems map of table names to
// requests, the table-name check, and the byte budget of a BatchGetItem response.
//
// Both operations check a whole request before reading or writing anything, and report the
// first failure, in this order:
//   1. the shape of every table's requests, and the request count (operation-specific);
//   2. table names: the first invalid one (CheckTableNames);
//   3. table by table in VisitOrder: the table exists (LoadTable, ResourceNotFoundException),
//      then its keys and items follow its key schema (operation-specific).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
//
// Thread-safety: none; per request.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/operation.h"
#include "model/attribute_value.h"
#include "model/table.h"

namespace dunlin::api {

// One member of RequestItems.
struct BatchTable {
  std::string name;
  // The member's value, a view into the request: valid while the request's JSON is.
  simdjson::dom::element request;
  // Set once the table is looked up (step 3).
  std::shared_ptr<const model::TableMetadata> metadata;
};

// Reads RequestItems in request order. A missing, null or empty map fails with
// `empty_message` (each operation has its own wording); a value that is not a map is a
// SerializationException.
ApiResult<std::vector<BatchTable>> ReadRequestItems(const ObjectReader& request,
                                                    std::string_view empty_message);

// The order in which DynamoDB Local goes through a request's tables in step 3, so that when
// two tables are wrong in different ways the same error is reported first: the iteration
// order of a Java HashMap sized for the tables (common/java_hash.h, JavaPresizedCapacity):
// by the bucket of each name, then in request order.
// The service documents no order. Indexes into `tables`.
std::vector<size_t> VisitOrder(const std::vector<BatchTable>& tables);

// The order in which DynamoDB Local checks one BatchGetItem table's keys against its schema
// in step 3: the iteration order of a Java HashSet of them (sized for them), each key hashed
// as a Java Map of the SDK's AttributeValue (common/java_hash.h). Indexes into `keys`.
std::vector<size_t> KeyVisitOrder(const std::vector<model::AttributeMap>& keys);

// Step 2: DynamoDB's invalid-name message for the first table whose name is not valid.
ApiResult<void> CheckTableNames(const std::vector<BatchTable>& tables);

// The response limit of BatchGetItem: items are taken while their sizes (model/item_size.h,
// the whole item whatever the projection) add up to at most the limit; an item that does not
// fit is left for UnprocessedKeys, and smaller items after it may still fit, as DynamoDB Local
// does. DynamoDB's limit is 16 MB; DynamoDB Local returns exactly 16 MiB of items and refuses
// one byte more, and so do we.
inline constexpr size_t kMaxBatchGetResponseBytes = 16 * 1024 * 1024;

class ResponseBudget {
 public:
  explicit ResponseBudget(size_t limit_bytes = kMaxBatchGetResponseBytes)
      : remaining_(limit_bytes) {}

  // Whether an item of `item_bytes` fits in what is left; if so, it is counted.
  bool Take(size_t item_bytes) {
    if (item_bytes > remaining_) return false;
    remaining_ -= item_bytes;
    return true;
  }

  size_t remaining() const { return remaining_; }

 private:
  size_t remaining_;
};

}  // namespace dunlin::api
