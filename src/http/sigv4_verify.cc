// Verify() and SignRequest(): the SigV4 pieces of sigv4.cc strung together, with request dates.
#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>

#include "http/sigv4.h"

namespace dunlin::http {
namespace {

constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::string_view kStreamingPayloadPrefix = "STREAMING-";
constexpr std::string_view kScopeTerminator = "aws4_request";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<int> Digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int value = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<int64_t> EpochSeconds(int year, unsigned month, unsigned day, int hour, int minute,
                                    int second) {
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::sys_days days{date};
  return static_cast<int64_t>(days.time_since_epoch().count()) * 86400 + hour * 3600 + minute * 60 +
         second;
}

// "20150830T123600Z": ISO 8601 basic format in UTC, as X-Amz-Date carries it.
std::optional<int64_t> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  const auto year = Digits(s.substr(0, 4));
  const auto month = Digits(s.substr(4, 2));
  const auto day = Digits(s.substr(6, 2));
  const auto hour = Digits(s.substr(9, 2));
  const auto minute = Digits(s.substr(11, 2));
  const auto second = Digits(s.substr(13, 2));
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  return EpochSeconds(*year, *month, *day, *hour, *minute, *second);
}

// "Sun, 30 Aug 2015 12:36:00 GMT": the IMF-fixdate of RFC 9110 section 5.6.7.
std::optional<int64_t> ParseHttpDate(std::string_view s) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (s.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  const auto day = Digits(s.substr(5, 2));
  const auto year = Digits(s.substr(12, 4));
  const auto hour = Digits(s.substr(17, 2));
  const auto minute = Digits(s.substr(20, 2));
  const auto second = Digits(s.substr(23, 2));
  if (month == 0 || !day || !year || !hour || !minute || !second) return std::nullopt;
  return EpochSeconds(*year, month, *day, *hour, *minute, *second);
}

Unexpected<AuthError> Failure(AuthFailure failure, std::string detail) {
  return Fail(AuthError{failure, std::move(detail)});
}

// The signing key for one (secret, date, region, service) serves a thread's later requests too.
const std::string& CachedSigningKey(std::string_view secret, std::string_view date,
                                    std::string_view region, std::string_view service) {
  struct Entry {
    std::string secret, date, region, service, key;
  };
  thread_local Entry entry;
  if (entry.key.empty() || entry.secret != secret || entry.date != date || entry.region != region ||
      entry.service != service) {
    entry.key = SigningKey(secret, date, region, service);
    entry.secret.assign(secret);
    entry.date.assign(date);
    entry.region.assign(region);
    entry.service.assign(service);
  }
  return entry.key;
}

std::string Scope(std::string_view date, std::string_view region, std::string_view service) {
  std::string scope;
  scope.reserve(date.size() + region.size() + service.size() + kScopeTerminator.size() + 3);
  scope.append(date).append("/").append(region).append("/").append(service).append("/");
  scope.append(kScopeTerminator);
  return scope;
}

// The request's time and its ISO 8601 basic form: X-Amz-Date, else Date (RFC 9110 or ISO form).
Result<std::pair<int64_t, std::string>, AuthError> RequestTime(const HttpRequest& request) {
  if (request.HasHeader("x-amz-date")) {
    const std::string_view value = Trim(request.Header("x-amz-date"));
    if (auto time = ParseAmzDate(value)) return std::pair{*time, std::string(value)};
    return Failure(AuthFailure::kMissingDate,
                   "X-Amz-Date '" + std::string(value) + "' is not YYYYMMDD'T'HHMMSS'Z'");
  }
  if (request.HasHeader("date")) {
    const std::string_view value = Trim(request.Header("date"));
    std::optional<int64_t> time = ParseHttpDate(value);
    if (!time) time = ParseAmzDate(value);
    if (time) return std::pair{*time, FormatAmzDate(*time)};
    return Failure(AuthFailure::kMissingDate, "Date '" + std::string(value) + "' is not a date");
  }
  return Failure(AuthFailure::kMissingDate, "neither X-Amz-Date nor Date is present");
}

// The wording AWS uses for a request outside the allowed clock skew.
std::string SkewDetail(int64_t request_time, int64_t now, int64_t max_skew_seconds) {
  const std::string minutes = std::to_string(max_skew_seconds / 60) + " min.)";
  if (request_time < now) {
    return "Signature expired: " + FormatAmzDate(request_time) + " is now earlier than " +
           FormatAmzDate(now - max_skew_seconds) + " (" + FormatAmzDate(now) + " - " + minutes;
  }
  return "Signature not yet current: " + FormatAmzDate(request_time) + " is still later than " +
         FormatAmzDate(now + max_skew_seconds) + " (" + FormatAmzDate(now) + " + " + minutes;
}

}  // namespace

std::string FormatAmzDate(int64_t epoch_seconds) {
  using namespace std::chrono;
  const sys_seconds time{seconds{epoch_seconds}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char text[32];
  std::snprintf(text, sizeof(text), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

Result<std::string, AuthError> Verify(const HttpRequest& request, const VerifyOptions& options,
                                      int64_t now_epoch_seconds) {
  const std::string_view header = request.Header("authorization");
  if (Trim(header).empty()) {
    return Failure(AuthFailure::kMissingAuthentication, "no Authorization header");
  }
  DUNLIN_ASSIGN_OR_RETURN(SigV4Authorization auth, ParseAuthorization(header));
  if (!options.region.empty() && auth.region != options.region) {
    return Failure(AuthFailure::kWrongRegion, auth.region);
  }
  if (!options.service.empty() && auth.service != options.service) {
    return Failure(AuthFailure::kWrongService, auth.service);
  }
  if (options.credentials == nullptr) return std::move(auth.access_key_id);

  DUNLIN_ASSIGN_OR_RETURN(auto time, RequestTime(request));
  const auto& [request_time, amz_date] = time;
  if (request_time < now_epoch_seconds - options.max_skew_seconds ||
      request_time > now_epoch_seconds + options.max_skew_seconds) {
    return Failure(AuthFailure::kExpired,
                   SkewDetail(request_time, now_epoch_seconds, options.max_skew_seconds));
  }
  if (std::string_view(amz_date).substr(0, 8) != auth.date) {
    return Failure(AuthFailure::kSignatureMismatch,
                   "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                   "date from HTTP: '" +
                       auth.date + "' != '" + amz_date.substr(0, 8) + "', from '" + amz_date +
                       "'.");
  }
  if (std::find(auth.signed_headers.begin(), auth.signed_headers.end(), "host") ==
      auth.signed_headers.end()) {
    return Failure(AuthFailure::kMalformed, "'Host' must be a signed header");
  }
  // X-Amz-Target names the operation: unsigned, a captured request could be replayed as
  // another operation on the same body (a GetItem turned into a DeleteItem).
  if (request.HasHeader("x-amz-target") &&
      std::find(auth.signed_headers.begin(), auth.signed_headers.end(), "x-amz-target") ==
          auth.signed_headers.end()) {
    return Failure(AuthFailure::kMalformed, "'X-Amz-Target' must be a signed header");
  }
  const std::optional<std::string_view> secret = options.credentials->SecretFor(auth.access_key_id);
  if (!secret) return Failure(AuthFailure::kUnknownAccessKey, auth.access_key_id);

  // The payload hash the client signed: normally the body's SHA-256, which x-amz-content-sha256
  // (when sent) must then equal; or a literal such as UNSIGNED-PAYLOAD that it chose to sign.
  std::string payload_hash = Sha256Hex(request.SignedBody());
  if (request.HasHeader("x-amz-content-sha256")) {
    const std::string_view declared = Trim(request.Header("x-amz-content-sha256"));
    if (declared == kUnsignedPayload || declared.starts_with(kStreamingPayloadPrefix)) {
      payload_hash.assign(declared);
    } else if (!EqualsIgnoreCase(declared, payload_hash)) {
      return Failure(AuthFailure::kSignatureMismatch,
                     "x-amz-content-sha256 does not match the SHA-256 of the body");
    }
  }

  const std::string canonical = CanonicalRequest(request, auth.signed_headers, payload_hash);
  const std::string string_to_sign =
      StringToSign(amz_date, Scope(auth.date, auth.region, auth.service), canonical);
  const std::string& key = CachedSigningKey(*secret, auth.date, auth.region, auth.service);
  const std::string expected = HexSignature(key, string_to_sign);
  if (expected.size() != auth.signature.size() ||
      CRYPTO_memcmp(expected.data(), auth.signature.data(), expected.size()) != 0) {
    return Failure(AuthFailure::kSignatureMismatch, "signature does not match");
  }
  return std::move(auth.access_key_id);
}

void SignRequest(HttpRequest& request, std::string_view access_key_id, std::string_view secret,
                 std::string_view region, std::string_view service, std::string_view amz_date) {
  std::erase_if(request.headers, [](const auto& header) {
    return header.first == "authorization" || header.first == "x-amz-date";
  });
  request.headers.emplace_back("x-amz-date", std::string(amz_date));
  // Like the SDKs, sign every header but those a proxy may add or change.
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers) {
    if (name != "user-agent" && name != "expect" && name != "x-amzn-trace-id") {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  const std::string payload_hash = request.HasHeader("x-amz-content-sha256")
                                       ? std::string(Trim(request.Header("x-amz-content-sha256")))
                                       : Sha256Hex(request.SignedBody());
  const std::string date(amz_date.substr(0, 8));
  const std::string scope = Scope(date, region, service);
  const std::string string_to_sign =
      StringToSign(amz_date, scope, CanonicalRequest(request, names, payload_hash));
  const std::string signature =
      HexSignature(SigningKey(secret, date, region, service), string_to_sign);

  std::string authorization = "AWS4-HMAC-SHA256 Credential=";
  authorization.append(access_key_id).append("/").append(scope).append(", SignedHeaders=");
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) authorization.push_back(';');
    authorization += names[i];
  }
  authorization.append(", Signature=").append(signature);
  request.headers.emplace_back("authorization", std::move(authorization));
}

}  // namespace dunlin::http
