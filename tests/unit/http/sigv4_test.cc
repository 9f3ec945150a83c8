// The SigV4 pieces against AWS's published vectors: the signature-v4 test suite (credentials
// AKIDEXAMPLE, region us-east-1, service "service", 20150830T123600Z) and the IAM ListUsers
// example of https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
#include "http/sigv4.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace dunlin::http {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kAmzDate[] = "20150830T123600Z";
constexpr char kSuiteScope[] = "20150830/us-east-1/service/aws4_request";
constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct SuiteCase {
  const char* name;
  const char* method;
  const char* target;
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, lower-case names
  const char* body;
  std::vector<std::string> signed_headers;
  const char* canonical_request;
  const char* signature;
};

std::vector<SuiteCase> SuiteCases() {
  const std::pair<std::string, std::string> host{"host", "example.amazonaws.com"};
  const std::pair<std::string, std::string> date{"x-amz-date", kAmzDate};
  const std::vector<std::string> host_date{"host", "x-amz-date"};
  return {
      {"get-vanilla",
       "GET",
       "/",
       {host, date},
       "",
       host_date,
       "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-vanilla-query-order-key-case",
       "GET",
       "/?Param2=value2&Param1=value1",
       {host, date},
       "",
       host_date,
       "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
       "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-query-order-key",
       "GET",
       "/?Param1=value2&Param1=Value1",
       {host, date},
       "",
       host_date,
       "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\n"
       "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
      {"get-vanilla-utf8-query",
       "GET",
       "/?\xE1\x88\xB4=bar",
       {host, date},
       "",
       host_date,
       "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
       "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-header-value-trim",
       "GET",
       "/",
       {host, {"my-header1", " value1"}, {"my-header2", " \"a   b   c\""}, date},
       "",
       {"host", "my-header1", "my-header2", "x-amz-date"},
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"get-header-value-order",
       "GET",
       "/",
       {host,
        {"my-header1", "value4"},
        {"my-header1", "value1"},
        {"my-header1", "value3"},
        {"my-header1", "value2"},
        date},
       "",
       {"host", "my-header1", "x-amz-date"},
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get-utf8",
       "GET",
       "/\xE1\x88\xB4",
       {host, date},
       "",
       host_date,
       "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
       "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get-space",
       "GET",
       "/example space/",
       {host, date},
       "",
       host_date,
       "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
       "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"get-unreserved",
       "GET",
       "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {host, date},
       "",
       host_date,
       "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\n"
       "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get-slashes",
       "GET",
       "//example//",
       {host, date},
       "",
       host_date,
       "GET\n/example/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
       "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
      {"get-relative-relative",
       "GET",
       "/example1/example2/../..",
       {host, date},
       "",
       host_date,
       "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-slash-pointless-dot",
       "GET",
       "/./example",
       {host, date},
       "",
       host_date,
       "GET\n/example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
       "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"},
      {"post-vanilla",
       "POST",
       "/",
       {host, date},
       "",
       host_date,
       "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query",
       "POST",
       "/?Param1=value1",
       {host, date},
       "",
       host_date,
       "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
       "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"post-x-www-form-urlencoded",
       "POST",
       "/",
       {{"content-type", "application/x-www-form-urlencoded"},
        host,
        date,
        {"content-length", "13"}},
       "Param1=value1",
       {"content-type", "host", "x-amz-date"},
       "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
       "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
       "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
  };
}

std::string ToHex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0f];
  }
  return out;
}

HttpRequest MakeRequest(const SuiteCase& c) {
  HttpRequest request;
  request.method = c.method;
  request.target = c.target;
  request.headers = c.headers;
  request.body = c.body;
  return request;
}

TEST(SigV4SuiteTest, CanonicalRequestStringToSignAndSignatureMatchTheSuite) {
  const std::string key = SigningKey(kSecret, "20150830", "us-east-1", "service");
  for (const SuiteCase& c : SuiteCases()) {
    SCOPED_TRACE(c.name);
    const HttpRequest request = MakeRequest(c);
    const std::string canonical =
        CanonicalRequest(request, c.signed_headers, Sha256Hex(request.body));
    EXPECT_EQ(canonical, c.canonical_request);
    const std::string string_to_sign = StringToSign(kAmzDate, kSuiteScope, canonical);
    EXPECT_EQ(string_to_sign, std::string("AWS4-HMAC-SHA256\n20150830T123600Z\n") + kSuiteScope +
                                  "\n" + Sha256Hex(c.canonical_request));
    EXPECT_EQ(HexSignature(key, string_to_sign), c.signature);
  }
}

TEST(SigV4SuiteTest, EverySuiteCaseVerifies) {
  CredentialStore store;
  store.Add("AKIDEXAMPLE", kSecret);
  VerifyOptions options;
  options.region = "us-east-1";
  options.service = "service";
  options.credentials = &store;
  const int64_t now = 1440938160;  // 2015-08-30T12:36:00Z
  for (const SuiteCase& c : SuiteCases()) {
    SCOPED_TRACE(c.name);
    HttpRequest request = MakeRequest(c);
    std::string authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=";
    for (size_t i = 0; i < c.signed_headers.size(); ++i) {
      authorization += (i > 0 ? ";" : "") + c.signed_headers[i];
    }
    authorization += std::string(", Signature=") + c.signature;
    request.headers.emplace_back("authorization", authorization);
    const auto verified = Verify(request, options, now);
    ASSERT_TRUE(verified.ok()) << verified.error().detail;
    EXPECT_EQ(*verified, "AKIDEXAMPLE");
  }
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (ListUsers).
TEST(SigV4IamExampleTest, MatchesEveryPublishedStep) {
  HttpRequest request;
  request.method = "GET";
  request.target = "/?Action=ListUsers&Version=2010-05-08";
  request.headers = {{"host", "iam.amazonaws.com"},
                     {"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"x-amz-date", kAmzDate}};
  const std::vector<std::string> signed_headers{"content-type", "host", "x-amz-date"};
  const std::string canonical = CanonicalRequest(request, signed_headers, kEmptySha256);
  EXPECT_EQ(canonical,
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(canonical),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const std::string string_to_sign =
      StringToSign(kAmzDate, "20150830/us-east-1/iam/aws4_request", canonical);
  EXPECT_EQ(string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const std::string key = SigningKey(kSecret, "20150830", "us-east-1", "iam");
  EXPECT_EQ(ToHex(key), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(HexSignature(key, string_to_sign),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

// RFC 4231 test cases 1, 2 and 6 (the last with a key longer than a SHA-256 block).
TEST(HmacSha256Test, MatchesRfc4231) {
  EXPECT_EQ(ToHex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(ToHex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(ToHex(HmacSha256(std::string(131, '\xaa'),
                             "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Sha256HexTest, MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), kEmptySha256);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CanonicalRequestTest, QueryIsDecodedReencodedAndSorted) {
  HttpRequest request;
  request.method = "GET";
  request.target = "/?b=%7e&a=x%2fy&c&a=+";
  const std::string canonical = CanonicalRequest(request, {}, kEmptySha256);
  EXPECT_EQ(canonical.substr(0, canonical.find("\n\n")), "GET\n/\na=%2B&a=x%2Fy&b=~&c=");
}

TEST(CanonicalRequestTest, EncodedPathIsEncodedAgainAsNonS3ServicesSign) {
  HttpRequest request;
  request.method = "GET";
  request.target = "/a%20b//c/./d";
  const std::string canonical = CanonicalRequest(request, {}, kEmptySha256);
  EXPECT_EQ(canonical.substr(0, canonical.find('\n', 4)), "GET\n/a%2520b/c/d");
}

TEST(CanonicalRequestTest, AbsoluteFormTargetUsesOnlyPathAndQuery) {
  HttpRequest request;
  request.method = "GET";
  request.target = "http://example.amazonaws.com/x?y=1";
  const std::string canonical = CanonicalRequest(request, {}, kEmptySha256);
  EXPECT_EQ(canonical.substr(0, canonical.find("\n\n")), "GET\n/x\ny=1");
}

TEST(FormatAmzDateTest, FormatsUtc) {
  EXPECT_EQ(FormatAmzDate(1440938160), "20150830T123600Z");
  EXPECT_EQ(FormatAmzDate(0), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(951782400), "20000229T000000Z");
}

}  // namespace
}  // namespace dunlin::http
