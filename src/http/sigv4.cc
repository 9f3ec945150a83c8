#include "http/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <utility>

namespace dunlin::http {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr size_t kSha256Bytes = 32;
constexpr size_t kSha256BlockBytes = 64;
constexpr size_t kSignatureHexChars = 64;
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kUpperHexDigits[] = "0123456789ABCDEF";

using Digest = std::array<unsigned char, kSha256Bytes>;

// ---- Hashing ----------------------------------------------------------------------------------
// OpenSSL 3 looks an algorithm up by name on every one-shot call (HMAC(), EVP_Q_digest); fetching
// SHA-256 once and reusing a context per thread keeps that off the per-request path. HMAC is
// RFC 2104 built on that digest.

const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* const algorithm = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return algorithm;
}

class DigestContext {
 public:
  DigestContext() : ctx_(EVP_MD_CTX_new()) {}
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;
  ~DigestContext() { EVP_MD_CTX_free(ctx_); }
  EVP_MD_CTX* get() { return ctx_; }

 private:
  EVP_MD_CTX* ctx_;
};

// SHA-256 of the concatenation of `parts`.
Digest Sha256Of(std::initializer_list<std::string_view> parts) {
  thread_local DigestContext context;
  EVP_MD_CTX* ctx = context.get();
  Digest digest{};
  EVP_DigestInit_ex(ctx, Sha256Algorithm(), nullptr);
  for (std::string_view part : parts) EVP_DigestUpdate(ctx, part.data(), part.size());
  EVP_DigestFinal_ex(ctx, digest.data(), nullptr);
  return digest;
}

std::string_view AsView(const Digest& digest) {
  return std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
}

Digest Hmac(std::string_view key, std::string_view data) {
  std::array<char, kSha256BlockBytes> block{};
  if (key.size() > kSha256BlockBytes) {
    const Digest hashed = Sha256Of({key});
    std::memcpy(block.data(), hashed.data(), hashed.size());
  } else {
    std::memcpy(block.data(), key.data(), key.size());
  }
  std::array<char, kSha256BlockBytes> inner_pad;
  std::array<char, kSha256BlockBytes> outer_pad;
  for (size_t i = 0; i < kSha256BlockBytes; ++i) {
    inner_pad[i] = static_cast<char>(block[i] ^ 0x36);
    outer_pad[i] = static_cast<char>(block[i] ^ 0x5c);
  }
  const Digest inner = Sha256Of({std::string_view(inner_pad.data(), inner_pad.size()), data});
  return Sha256Of({std::string_view(outer_pad.data(), outer_pad.size()), AsView(inner)});
}

std::string Hex(std::string_view bytes) {
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHexDigits[b >> 4];
    out[2 * i + 1] = kHexDigits[b & 0x0f];
  }
  return out;
}

// ---- Text helpers -----------------------------------------------------------------------------

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Trimall: strips surrounding whitespace and collapses inner runs to one space.
void AppendTrimmed(std::string_view value, std::string& out) {
  value = Trim(value);
  bool in_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
}

// URI-encodes every byte except the unreserved characters of RFC 3986 (and '/' if asked).
void AppendUriEncoded(std::string_view bytes, bool keep_slash, std::string& out) {
  for (char c : bytes) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      const auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kUpperHexDigits[b >> 4]);
      out.push_back(kUpperHexDigits[b & 0x0f]);
    }
  }
}

// Decodes %XX sequences; a '%' not followed by two hex digits stays as it is.
std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Path and query of a request target; an absolute-form target loses its scheme and authority.
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  if (const size_t scheme = target.find("://");
      scheme != std::string_view::npos && target.find('/') > scheme) {
    const size_t path_start = target.find('/', scheme + 3);
    target =
        path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  if (const size_t fragment = target.find('#'); fragment != std::string_view::npos) {
    target = target.substr(0, fragment);
  }
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

// Every service but S3 signs the path with dot segments removed and repeated slashes collapsed,
// each byte of the path as sent URI-encoded once more (so "%20" on the wire signs as "%2520").
std::string CanonicalUri(std::string_view path) {
  std::vector<std::string_view> segments;
  const bool trailing_slash = !path.empty() && path.back() == '/';
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    AppendUriEncoded(segments[i], /*keep_slash=*/false, out);
  }
  if (trailing_slash && !segments.empty()) out.push_back('/');
  return out;
}

// Parameters decoded and re-encoded the AWS way, sorted by name then value; "a" means "a=".
std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    if (!param.empty()) {
      const size_t eq = param.find('=');
      std::string name;
      std::string value;
      AppendUriEncoded(PercentDecode(param.substr(0, eq)), false, name);
      if (eq != std::string_view::npos) {
        AppendUriEncoded(PercentDecode(param.substr(eq + 1)), false, value);
      }
      params.emplace_back(std::move(name), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

Unexpected<AuthError> Malformed(std::string detail) {
  return Fail(AuthError{AuthFailure::kMalformed, std::move(detail)});
}

}  // namespace

// ---- Public pieces ----------------------------------------------------------------------------

std::string Sha256Hex(std::string_view data) { return Hex(AsView(Sha256Of({data}))); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  return std::string(AsView(Hmac(key, data)));
}

Result<SigV4Authorization, AuthError> ParseAuthorization(std::string_view header) {
  header = Trim(header);
  if (header.substr(0, kAlgorithm.size()) != kAlgorithm ||
      (header.size() > kAlgorithm.size() && !IsSpace(header[kAlgorithm.size()]))) {
    return Malformed("unsupported authorization type, expected " + std::string(kAlgorithm));
  }
  std::string_view rest = header.substr(kAlgorithm.size());
  std::optional<std::string_view> credential, signed_headers, signature;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view part = Trim(rest.substr(0, comma));
    if (!part.empty()) {
      const size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        return Malformed("authorization component '" + std::string(part) + "' has no '='");
      }
      const std::string_view key = Trim(part.substr(0, eq));
      const std::string_view value = Trim(part.substr(eq + 1));
      if (key == "Credential") credential = value;
      if (key == "SignedHeaders") signed_headers = value;
      if (key == "Signature") signature = value;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  std::string missing;
  for (auto [name, value] :
       {std::pair{"Credential", credential}, std::pair{"SignedHeaders", signed_headers},
        std::pair{"Signature", signature}}) {
    if (!value.has_value()) missing += (missing.empty() ? "" : ", ") + std::string(name);
  }
  if (!missing.empty()) {
    return Malformed("authorization lacks " + missing);
  }

  SigV4Authorization auth;
  // Credential=AKID/YYYYMMDD/region/service/aws4_request
  std::vector<std::string_view> scope;
  for (std::string_view c = *credential;;) {
    const size_t slash = c.find('/');
    scope.push_back(c.substr(0, slash));
    if (slash == std::string_view::npos) break;
    c.remove_prefix(slash + 1);
  }
  if (scope.size() != 5 || scope[4] != kScopeTerminator ||
      std::any_of(scope.begin(), scope.end(), [](std::string_view s) { return s.empty(); })) {
    return Malformed("credential '" + std::string(*credential) +
                     "' is not ACCESS_KEY/YYYYMMDD/region/service/aws4_request");
  }
  if (scope[1].size() != 8 || !std::all_of(scope[1].begin(), scope[1].end(), IsDigit)) {
    return Malformed("credential date '" + std::string(scope[1]) + "' is not YYYYMMDD");
  }
  auth.access_key_id.assign(scope[0]);
  auth.date.assign(scope[1]);
  auth.region.assign(scope[2]);
  auth.service.assign(scope[3]);

  for (std::string_view names = *signed_headers;;) {
    const size_t semicolon = names.find(';');
    const std::string_view name = Trim(names.substr(0, semicolon));
    if (name.empty()) {
      return Malformed("SignedHeaders '" + std::string(*signed_headers) + "' has an empty name");
    }
    auth.signed_headers.push_back(Lower(name));
    if (semicolon == std::string_view::npos) break;
    names.remove_prefix(semicolon + 1);
  }

  if (signature->size() != kSignatureHexChars ||
      !std::all_of(signature->begin(), signature->end(), [](char c) { return HexValue(c) >= 0; })) {
    return Malformed("signature is not 64 hexadecimal digits");
  }
  auth.signature = Lower(*signature);
  return auth;
}

std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_sha256_hex) {
  const auto [path, query] = SplitTarget(request.target);
  std::string out;
  out.reserve(256 + request.target.size());
  out += request.method;
  out.push_back('\n');
  out += CanonicalUri(path);
  out.push_back('\n');
  out += CanonicalQuery(query);
  out.push_back('\n');
  // Repeated headers join their values with commas, in the order they arrived.
  for (const std::string& name : signed_headers) {
    out += name;
    out.push_back(':');
    bool first = true;
    for (const auto& [header_name, value] : request.headers) {
      if (header_name != name) continue;
      if (!first) out.push_back(',');
      first = false;
      AppendTrimmed(value, out);
    }
    out.push_back('\n');
  }
  out.push_back('\n');
  for (size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) out.push_back(';');
    out += signed_headers[i];
  }
  out.push_back('\n');
  out += payload_sha256_hex;
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out;
  out.reserve(kAlgorithm.size() + amz_date.size() + scope.size() + 2 * kSha256Bytes + 3);
  out += kAlgorithm;
  out.push_back('\n');
  out += amz_date;
  out.push_back('\n');
  out += scope;
  out.push_back('\n');
  out += Hex(AsView(Sha256Of({canonical_request})));
  return out;
}

std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service) {
  std::string seed = "AWS4";
  seed += secret;
  const Digest date_key = Hmac(seed, date);
  const Digest region_key = Hmac(AsView(date_key), region);
  const Digest service_key = Hmac(AsView(region_key), service);
  return std::string(AsView(Hmac(AsView(service_key), kScopeTerminator)));
}

std::string HexSignature(std::string_view signing_key, std::string_view string_to_sign) {
  return Hex(AsView(Hmac(signing_key, string_to_sign)));
}

}  // namespace dunlin::http
