// AWS Signature Version 4 verification.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// The pieces are exposed one by one (canonical request, string to sign, signing key, signature)
// so they can be checked against AWS's published test vectors; Verify() strings them together.
// Only the Authorization-header form is accepted (DynamoDB's clients never presign).
//
// Thread-safety: pure functions; CredentialStore is immutable after construction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/server.h"

namespace dunlin::http {

// Access key id -> secret access key.
class CredentialStore {
 public:
  // Reads a file of lines "ACCESS_KEY_ID SECRET_ACCESS_KEY" (also accepts the AWS shared
  // credentials format with aws_access_key_id/aws_secret_access_key pairs); '#' starts a comment.
  // Fails, naming the file and line, when it is unreadable, a line is neither form, a profile
  // has only half a pair, or it holds no credentials at all.
  static Result<CredentialStore, std::string> LoadFile(const std::string& path);
  void Add(std::string access_key_id, std::string secret);
  std::optional<std::string_view> SecretFor(std::string_view access_key_id) const;
  bool empty() const { return secrets_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> secrets_;
};

// The parsed Authorization header.
struct SigV4Authorization {
  std::string access_key_id;
  std::string date;     // credential scope date, YYYYMMDD
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // lower-case, as listed
  std::string signature;                    // lower-case hex
};

enum class AuthFailure {
  kMissingAuthentication,  // no Authorization header
  kMalformed,              // header present but not a well-formed SigV4 authorization
  kMissingDate,            // no X-Amz-Date (nor Date) header
  kUnknownAccessKey,
  kSignatureMismatch,
  kExpired,                // request time too far from server time
  kWrongRegion,
  kWrongService,
};

struct AuthError {
  AuthFailure failure;
  // Detail for the message: e.g. the malformed part, or for kExpired the request/server times.
  std::string detail;
};

struct VerifyOptions {
  // The credential scope must name this region and service; empty accepts any.
  std::string region = "us-east-1";
  std::string service = "dynamodb";
  int64_t max_skew_seconds = 15 * 60;
  // null: accept any well-formed authorization without checking the signature or the date.
  const CredentialStore* credentials = nullptr;
};

// Parses "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,
// SignedHeaders=content-type;host;x-amz-date, Signature=5d67...".
Result<SigV4Authorization, AuthError> ParseAuthorization(std::string_view header);

// The canonical request for `request` with the given signed headers and payload hash. As the
// SDKs sign for every service but S3, the path loses dot segments and repeated slashes and each
// of its bytes is URI-encoded again ("%20" signs as "%2520"); query parameters are decoded,
// re-encoded and sorted; a header sent several times joins its trimmed values with ','.
std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_sha256_hex);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
// HMAC chain: kSecret -> kDate -> kRegion -> kService -> kSigning.
std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service);
std::string HexSignature(std::string_view signing_key, std::string_view string_to_sign);
std::string Sha256Hex(std::string_view data);
// Raw 32-byte HMAC-SHA256 of `data` under `key` (RFC 2104).
std::string HmacSha256(std::string_view key, std::string_view data);
// "20150830T123600Z" for the given time (UTC).
std::string FormatAmzDate(int64_t epoch_seconds);

// Signs `request` the way the AWS SDKs do: sets X-Amz-Date to `amz_date` and adds an
// Authorization header covering every header present (except user-agent and expect) and the
// SHA-256 of SignedBody() (or the x-amz-content-sha256 value when present). REQUIRES: `request`
// carries a host header. For clients and tests.
void SignRequest(HttpRequest& request, std::string_view access_key_id, std::string_view secret,
                 std::string_view region, std::string_view service, std::string_view amz_date);

// Verifies `request` at server time `now_epoch_seconds`. Returns the access key id on success.
// Checks, in order: the Authorization header is present and well formed; the scope's region and
// service; then (only with credentials) the date (X-Amz-Date, else Date) and its skew, that the
// scope date matches it, that host is signed, the access key, x-amz-content-sha256 (when sent,
// other than UNSIGNED-PAYLOAD) against the body's hash, and finally the signature, compared in
// constant time.
Result<std::string, AuthError> Verify(const HttpRequest& request, const VerifyOptions& options,
                                      int64_t now_epoch_seconds);

}  // namespace dunlin::http
