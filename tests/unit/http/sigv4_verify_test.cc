// ParseAuthorization, Verify and SignRequest: round trips, every kind of tampering, and requests
// signed by botocore's SigV4Auth (values captured from botocore 1.29).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "http/sigv4.h"

namespace dunlin::http {
namespace {

constexpr int64_t kNow = 1440938160;  // 20150830T123600Z
constexpr char kAmzDate[] = "20150830T123600Z";
constexpr char kKeyId[] = "AKID";
constexpr char kSecret[] = "secret";

std::string Signature64(char c = 'a') { return std::string(64, c); }

// ---- ParseAuthorization ----

TEST(ParseAuthorizationTest, ParsesTheIamExample) {
  const auto auth = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date, "
      "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  ASSERT_TRUE(auth.ok()) << auth.error().detail;
  EXPECT_EQ(auth->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(auth->date, "20150830");
  EXPECT_EQ(auth->region, "us-east-1");
  EXPECT_EQ(auth->service, "iam");
  EXPECT_EQ(auth->signed_headers, (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
  EXPECT_EQ(auth->signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(ParseAuthorizationTest, ToleratesSpacingAndUpperCaseHex) {
  const auto auth = ParseAuthorization(
      "  AWS4-HMAC-SHA256   Credential=K/20150830/r/s/aws4_request,SignedHeaders=host ,  "
      "Signature=" +
      Signature64('A'));
  ASSERT_TRUE(auth.ok()) << auth.error().detail;
  EXPECT_EQ(auth->signature, Signature64('a'));
  EXPECT_EQ(auth->signed_headers, std::vector<std::string>{"host"});
}

TEST(ParseAuthorizationTest, RejectsMalformedHeaders) {
  const std::string sig = ", Signature=" + Signature64();
  const struct {
    std::string header;
    std::string detail_part;
  } cases[] = {
      {"AWS4-HMAC-SHA1 Credential=K/20150830/r/s/aws4_request, SignedHeaders=host" + sig,
       "unsupported authorization type"},
      {"Bearer abc", "unsupported authorization type"},
      {"AWS4-HMAC-SHA256 SignedHeaders=host" + sig, "lacks Credential"},
      {"AWS4-HMAC-SHA256 Credential=K/20150830/r/s/aws4_request", "lacks SignedHeaders, Signature"},
      {"AWS4-HMAC-SHA256 Credential=K/20150830/r/s/aws4_request, SignedHeaders", "has no '='"},
      {"AWS4-HMAC-SHA256 Credential=/20150830/r/s/aws4_request, SignedHeaders=host" + sig,
       "is not ACCESS_KEY/YYYYMMDD"},
      {"AWS4-HMAC-SHA256 Credential=K/20150830/r/aws4_request, SignedHeaders=host" + sig,
       "is not ACCESS_KEY/YYYYMMDD"},
      {"AWS4-HMAC-SHA256 Credential=K/20150830/r/s/aws5_request, SignedHeaders=host" + sig,
       "is not ACCESS_KEY/YYYYMMDD"},
      {"AWS4-HMAC-SHA256 Credential=K/2015083/r/s/aws4_request, SignedHeaders=host" + sig,
       "is not YYYYMMDD"},
      {"AWS4-HMAC-SHA256 Credential=K/20150830/r/s/aws4_request, SignedHeaders=host;;x" + sig,
       "empty name"},
      {"AWS4-HMAC-SHA256 Credential=K/20150830/r/s/aws4_request, SignedHeaders=host, "
       "Signature=abc",
       "64 hexadecimal"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    const auto auth = ParseAuthorization(c.header);
    ASSERT_FALSE(auth.ok());
    EXPECT_EQ(auth.error().failure, AuthFailure::kMalformed);
    EXPECT_NE(auth.error().detail.find(c.detail_part), std::string::npos) << auth.error().detail;
  }
}

// ---- Verify ----

class VerifyTest : public ::testing::Test {
 protected:
  VerifyTest() {
    store_.Add(kKeyId, kSecret);
    options_.credentials = &store_;
  }

  static HttpRequest DynamoRequest() {
    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.headers = {{"host", "localhost:8000"},
                       {"content-type", "application/x-amz-json-1.0"},
                       {"x-amz-target", "DynamoDB_20120810.GetItem"},
                       {"user-agent", "test"}};
    request.body = R"({"TableName":"t","Key":{"k":{"S":"v"}}})";
    return request;
  }

  static HttpRequest Signed(HttpRequest request, std::string_view region = "us-east-1",
                            std::string_view service = "dynamodb",
                            std::string_view secret = kSecret) {
    SignRequest(request, kKeyId, secret, region, service, kAmzDate);
    return request;
  }

  static void SetHeader(HttpRequest& request, const std::string& name, std::string value) {
    for (auto& header : request.headers) {
      if (header.first == name) {
        header.second = std::move(value);
        return;
      }
    }
    request.headers.emplace_back(name, std::move(value));
  }

  void ExpectFailure(const HttpRequest& request, AuthFailure failure, std::string_view detail_part,
                     int64_t now = kNow) {
    const auto result = Verify(request, options_, now);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().failure, failure) << result.error().detail;
    EXPECT_NE(result.error().detail.find(detail_part), std::string::npos) << result.error().detail;
  }

  CredentialStore store_;
  VerifyOptions options_;
};

TEST_F(VerifyTest, OwnSignatureVerifies) {
  const HttpRequest request = Signed(DynamoRequest());
  EXPECT_EQ(request.Header("x-amz-date"), kAmzDate);
  EXPECT_NE(request.Header("authorization")
                .find("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"),
            std::string_view::npos)
      << request.Header("authorization");
  const auto result = Verify(request, options_, kNow);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(*result, kKeyId);
}

TEST_F(VerifyTest, UnsignedHeadersMayChange) {
  HttpRequest request = Signed(DynamoRequest());
  SetHeader(request, "user-agent", "something else");
  SetHeader(request, "x-unsigned", "added later");
  EXPECT_TRUE(Verify(request, options_, kNow).ok());
}

TEST_F(VerifyTest, SignatureOverRawBodyWhenEncoded) {
  HttpRequest request = DynamoRequest();
  request.raw_body = "\x1f\x8b compressed bytes";
  request = Signed(std::move(request));
  EXPECT_TRUE(Verify(request, options_, kNow).ok());
  request.raw_body += "x";
  ExpectFailure(request, AuthFailure::kSignatureMismatch, "signature does not match");
}

TEST_F(VerifyTest, TamperedBodyFails) {
  HttpRequest request = Signed(DynamoRequest());
  request.body[5] = 'X';
  ExpectFailure(request, AuthFailure::kSignatureMismatch, "signature does not match");
}

TEST_F(VerifyTest, TamperedSignedHeaderFails) {
  HttpRequest request = Signed(DynamoRequest());
  SetHeader(request, "x-amz-target", "DynamoDB_20120810.DeleteTable");
  ExpectFailure(request, AuthFailure::kSignatureMismatch, "signature does not match");
}

TEST_F(VerifyTest, TamperedTargetFails) {
  HttpRequest request = Signed(DynamoRequest());
  request.target = "/?x=1";
  ExpectFailure(request, AuthFailure::kSignatureMismatch, "signature does not match");
}

TEST_F(VerifyTest, WrongSecretFails) {
  ExpectFailure(Signed(DynamoRequest(), "us-east-1", "dynamodb", "other secret"),
                AuthFailure::kSignatureMismatch, "signature does not match");
}

TEST_F(VerifyTest, UnknownAccessKeyFails) {
  CredentialStore other;
  other.Add("SOMEONE", "else");
  options_.credentials = &other;
  ExpectFailure(Signed(DynamoRequest()), AuthFailure::kUnknownAccessKey, kKeyId);
}

TEST_F(VerifyTest, WrongRegionAndServiceFail) {
  ExpectFailure(Signed(DynamoRequest(), "eu-west-1"), AuthFailure::kWrongRegion, "eu-west-1");
  ExpectFailure(Signed(DynamoRequest(), "us-east-1", "s3"), AuthFailure::kWrongService, "s3");
}

TEST_F(VerifyTest, EmptyRegionAndServiceAcceptAny) {
  options_.region.clear();
  options_.service.clear();
  EXPECT_TRUE(Verify(Signed(DynamoRequest(), "eu-west-1", "anything"), options_, kNow).ok());
}

TEST_F(VerifyTest, SkewBeyondLimitFailsWithAwsWording) {
  const HttpRequest request = Signed(DynamoRequest());
  EXPECT_TRUE(Verify(request, options_, kNow + 15 * 60).ok());
  EXPECT_TRUE(Verify(request, options_, kNow - 15 * 60).ok());
  ExpectFailure(request, AuthFailure::kExpired,
                "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
                "(20150830T125101Z - 15 min.)",
                kNow + 15 * 60 + 1);
  ExpectFailure(request, AuthFailure::kExpired,
                "Signature not yet current: 20150830T123600Z is still later than "
                "20150830T123559Z (20150830T122059Z + 15 min.)",
                kNow - 15 * 60 - 1);
}

TEST_F(VerifyTest, ScopeDateMustMatchRequestDate) {
  HttpRequest request = Signed(DynamoRequest());
  SetHeader(request, "x-amz-date", "20150831T000000Z");
  ExpectFailure(request, AuthFailure::kSignatureMismatch,
                "'20150830' != '20150831', from '20150831T000000Z'", kNow + 11 * 3600 + 24 * 60);
}

TEST_F(VerifyTest, DateHeaderIsAcceptedInsteadOfXAmzDate) {
  // Signed by hand: the string to sign carries the Date header's time in ISO 8601 basic form.
  HttpRequest by_hand = DynamoRequest();
  by_hand.headers.emplace_back("date", "Sun, 30 Aug 2015 12:36:00 GMT");
  const std::vector<std::string> names{"content-type", "date", "host", "x-amz-target"};
  const std::string signature =
      HexSignature(SigningKey(kSecret, "20150830", "us-east-1", "dynamodb"),
                   StringToSign(kAmzDate, "20150830/us-east-1/dynamodb/aws4_request",
                                CanonicalRequest(by_hand, names, Sha256Hex(by_hand.body))));
  by_hand.headers.emplace_back(
      "authorization",
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/dynamodb/aws4_request, "
      "SignedHeaders=content-type;date;host;x-amz-target, Signature=" +
          signature);
  const auto result = Verify(by_hand, options_, kNow);
  EXPECT_TRUE(result.ok()) << result.error().detail;
}

TEST_F(VerifyTest, MissingPiecesFail) {
  HttpRequest request = DynamoRequest();
  ExpectFailure(request, AuthFailure::kMissingAuthentication, "no Authorization");

  request = Signed(DynamoRequest());
  std::erase_if(request.headers, [](const auto& h) { return h.first == "x-amz-date"; });
  ExpectFailure(request, AuthFailure::kMissingDate, "neither X-Amz-Date nor Date");

  request = Signed(DynamoRequest());
  SetHeader(request, "x-amz-date", "2015-08-30T12:36:00Z");
  ExpectFailure(request, AuthFailure::kMissingDate, "is not YYYYMMDD'T'HHMMSS'Z'");

  request = Signed(DynamoRequest());
  SetHeader(request, "authorization",
            "AWS4-HMAC-SHA256 Credential=AKID, SignedHeaders=host, Signature=" + Signature64());
  ExpectFailure(request, AuthFailure::kMalformed, "is not ACCESS_KEY");
}

TEST_F(VerifyTest, HostMustBeSigned) {
  HttpRequest request = DynamoRequest();
  std::erase_if(request.headers, [](const auto& h) { return h.first == "host"; });
  request = Signed(std::move(request));
  request.headers.emplace_back("host", "localhost:8000");
  ExpectFailure(request, AuthFailure::kMalformed, "'Host' must be a signed header");
}

// An unsigned X-Amz-Target would let a captured request be replayed as another operation.
TEST_F(VerifyTest, TargetMustBeSignedWhenPresent) {
  HttpRequest request = DynamoRequest();
  std::erase_if(request.headers, [](const auto& h) { return h.first == "x-amz-target"; });
  request = Signed(std::move(request));
  request.headers.emplace_back("x-amz-target", "DynamoDB_20120810.DeleteItem");
  ExpectFailure(request, AuthFailure::kMalformed, "'X-Amz-Target' must be a signed header");
}

TEST_F(VerifyTest, ContentSha256HeaderMustMatchTheBody) {
  HttpRequest request = DynamoRequest();
  request.headers.emplace_back("x-amz-content-sha256", Sha256Hex(request.body));
  request = Signed(std::move(request));
  EXPECT_TRUE(Verify(request, options_, kNow).ok());

  HttpRequest lying = DynamoRequest();
  lying.headers.emplace_back("x-amz-content-sha256", Sha256Hex("something else"));
  lying = Signed(std::move(lying));
  ExpectFailure(lying, AuthFailure::kSignatureMismatch, "x-amz-content-sha256 does not match");
}

TEST_F(VerifyTest, UnsignedPayloadIsSignedLiterally) {
  HttpRequest request = DynamoRequest();
  request.headers.emplace_back("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  request = Signed(std::move(request));
  EXPECT_TRUE(Verify(request, options_, kNow).ok());
}

TEST_F(VerifyTest, WithoutCredentialsOnlyTheFormIsChecked) {
  options_.credentials = nullptr;
  HttpRequest request = DynamoRequest();
  request.headers.emplace_back("authorization",
                               "AWS4-HMAC-SHA256 Credential=anyone/20000101/us-east-1/dynamodb/"
                               "aws4_request, SignedHeaders=host, Signature=" +
                                   Signature64());
  const auto result = Verify(request, options_, kNow);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(*result, "anyone");

  ExpectFailure(DynamoRequest(), AuthFailure::kMissingAuthentication, "no Authorization");
  HttpRequest malformed = DynamoRequest();
  malformed.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=x");
  ExpectFailure(malformed, AuthFailure::kMalformed, "lacks SignedHeaders, Signature");
  ExpectFailure(Signed(DynamoRequest(), "eu-west-1"), AuthFailure::kWrongRegion, "eu-west-1");
}

// ---- botocore ----
// Captured from /usr/bin/python3 with botocore 1.29.27:
//   r = AWSRequest(method=..., url=..., data=..., headers=...)
//   SigV4Auth(Credentials('AKID', 'secret'), 'dynamodb', 'us-east-1').add_auth(r)
// The HTTP client then sends Host: localhost:8000, which botocore signed from the URL.
constexpr int64_t kBotocoreNow = 1795431917;  // 20261123T110517Z

TEST_F(VerifyTest, BotocoreSignedPostVerifies) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.body = R"({"TableName":"Music","Key":{"Artist":{"S":"No One You Know"}}})";
  request.headers = {
      {"host", "localhost:8000"},
      {"content-type", "application/x-amz-json-1.0"},
      {"x-amz-target", "DynamoDB_20120810.GetItem"},
      {"x-amz-date", "20261123T110517Z"},
      {"authorization",
       "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/dynamodb/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
       "Signature=e1d70331b044d091a5f79f09e14ed10e7ed5ed1db9c6f21fb84d9321296f4e3f"},
      {"content-length", "62"},
  };
  const auto result = Verify(request, options_, kBotocoreNow);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(*result, "AKID");

  // And our signer produces botocore's signature for the same request.
  HttpRequest ours = request;
  std::erase_if(ours.headers, [](const auto& h) { return h.first == "content-length"; });
  SignRequest(ours, "AKID", "secret", "us-east-1", "dynamodb", "20261123T110517Z");
  EXPECT_EQ(ours.Header("authorization"), request.Header("authorization"));
}

TEST_F(VerifyTest, BotocoreSignedGetWithOddPathAndQueryVerifies) {
  // url 'http://localhost:8000/a%20b//c/./d?k=v%20w&a=1&b'
  HttpRequest request;
  request.method = "GET";
  request.target = "/a%20b//c/./d?k=v%20w&a=1&b";
  request.headers = {
      {"host", "localhost:8000"},
      {"x-amz-date", "20261123T110517Z"},
      {"authorization",
       "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/dynamodb/aws4_request, "
       "SignedHeaders=host;x-amz-date, "
       "Signature=c249107913eb712a429f568cfbe9b4a32f44c3374b6882faba31ad957f236168"},
  };
  const auto result = Verify(request, options_, kBotocoreNow);
  ASSERT_TRUE(result.ok()) << result.error().detail;
}

}  // namespace
}  // namespace dunlin::http
