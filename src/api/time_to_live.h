// Time to Live settings: UpdateTimeToLive's TimeToLiveSpecification, read from the request and
// applied to a table's model::TimeToLive.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TimeToLiveSpecification.html
//
// UpdateTimeToLive checks, first fault wins (messages as DynamoDB Local sends them):
//   1. TableName present and valid, or the table's ARN (api/table_name.h);
//   2. the table exists;
//   3. TimeToLiveSpecification present;
//   4. its Enabled and AttributeName both present (one message for either);
//   5. when enabling: AttributeName 1..255 bytes of UTF-8 (disabling never checks it);
//   6. the state: enabling an enabled table is "already enabled" with its attribute and
//      "active on a different AttributeName" with another; disabling a disabled table is
//      "already disabled" whatever the name, and disabling with another name than the
//      current one is "active on a different AttributeName";
//   7. the change interval: a table's TTL changes at most once per interval (DynamoDB: an hour;
//      ServiceConfig::ttl_change_interval_s); a refused call does not extend it.
// A member of the wrong JSON type is a SerializationException before all of these.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/params.h"
#include "model/table.h"

namespace dunlin::api {

// Longest TTL attribute name, in bytes of UTF-8 (DynamoDB's attribute name limit).
inline constexpr size_t kMaxTimeToLiveAttributeNameBytes = 255;

// TimeToLiveSpecification as sent, after the deserialization pass: each member nullopt when
// missing or JSON null.
struct TimeToLiveSpecificationMembers {
  bool present = false;
  std::optional<std::string> attribute_name;
  std::optional<bool> enabled;
};

// A complete TimeToLiveSpecification (checks 3 and 4 passed).
struct TimeToLiveSpecification {
  std::string attribute_name;
  bool enabled = false;
};

// Reads TimeToLiveSpecification's members; fails only with SerializationException (the
// specification not an object, AttributeName not a string, Enabled not a boolean).
ApiResult<TimeToLiveSpecificationMembers> ReadTimeToLiveSpecification(const ObjectReader& request);

// Checks 3 and 4: the specification and both of its members are present.
ApiResult<TimeToLiveSpecification> RequireTimeToLiveSpecification(
    const TimeToLiveSpecificationMembers& members);

// Checks 5 to 7 against the table's current setting `ttl` and, when they pass, applies the
// change: enabling sets the attribute, disabling forgets it, and either sets changed_ms to
// `now_ms`. `change_interval_s` 0 allows any number of changes. Leaves expiry_id alone (the
// storage engine assigns it). On failure `ttl` is unchanged.
ApiResult<void> ApplyTimeToLiveSpecification(const TimeToLiveSpecification& specification,
                                             int64_t now_ms, int64_t change_interval_s,
                                             model::TimeToLive& ttl);

}  // namespace dunlin::api
