#include "api/time_to_live.h"

#include <fmt/format.h>

namespace dunlin::api {

ApiResult<TimeToLiveSpecificationMembers> ReadTimeToLiveSpecification(const ObjectReader& request) {
  TimeToLiveSpecificationMembers members;
  DUNLIN_ASSIGN_OR_RETURN(auto object, request.Object("TimeToLiveSpecification"));
  if (!object) return members;
  members.present = true;
  const ObjectReader specification(*object);
  DUNLIN_ASSIGN_OR_RETURN(auto attribute_name, specification.String("AttributeName"));
  if (attribute_name) members.attribute_name = std::string(*attribute_name);
  DUNLIN_ASSIGN_OR_RETURN(members.enabled, specification.Bool("Enabled"));
  return members;
}

ApiResult<TimeToLiveSpecification> RequireTimeToLiveSpecification(
    const TimeToLiveSpecificationMembers& members) {
  if (!members.present) {
    return Fail(ApiError::Validation("TimeToLiveSpecification cannot be null"));
  }
  // DynamoDB Local gives this one message whichever member is missing, disabling included.
  if (!members.attribute_name || !members.enabled) {
    return Fail(
        ApiError::Validation("AttributeName cannot be null when time to live is being enabled"));
  }
  return TimeToLiveSpecification{*members.attribute_name, *members.enabled};
}

ApiResult<void> ApplyTimeToLiveSpecification(const TimeToLiveSpecification& specification,
                                             int64_t now_ms, int64_t change_interval_s,
                                             model::TimeToLive& ttl) {
  const std::string& name = specification.attribute_name;
  // 5. The name's length, only when enabling.
  if (specification.enabled && (name.empty() || name.size() > kMaxTimeToLiveAttributeNameBytes)) {
    return Fail(ApiError::Validation(
        "Names of key attributes and attributes projected into an index must be between 1 and "
        "255 characters, inclusive"));
  }
  // 6. The state. The names are compared byte for byte: case and spaces matter.
  if (ttl.enabled && name != ttl.attribute_name) {
    // DynamoDB Local stops after "AttributeName"; the service is reported to name the current
    // attribute, which tells the caller what to disable.
    return Fail(ApiError::Validation(fmt::format(
        "TimeToLive is active on a different AttributeName: current AttributeName is {}",
        ttl.attribute_name)));
  }
  if (specification.enabled && ttl.enabled) {
    return Fail(ApiError::Validation("TimeToLive is already enabled"));
  }
  if (!specification.enabled && !ttl.enabled) {
    return Fail(ApiError::Validation("TimeToLive is already disabled"));
  }
  // 7. The change interval, counted from the last change that succeeded. DynamoDB: "it can
  // take up to one hour for the change to fully process. Any additional UpdateTimeToLive calls
  // for the same table during this one hour duration result in a ValidationException."
  if (change_interval_s > 0 && ttl.changed_ms != 0 &&
      now_ms - ttl.changed_ms < change_interval_s * 1000) {
    return Fail(ApiError::Validation(
        "Time to live has been modified multiple times within a fixed interval"));
  }
  ttl.enabled = specification.enabled;
  ttl.attribute_name = specification.enabled ? name : std::string();
  ttl.changed_ms = now_ms;
  return {};
}

}  // namespace dunlin::api
