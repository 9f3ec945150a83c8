#include "http/content_encoding.h"

#include <gtest/gtest.h>

#include <string>

#include "compression.h"

namespace dunlin::http {
namespace {

using BodyError = HttpRequest::BodyError;
using testing::Compress;
using testing::Gzip;

std::string Sample(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "{\"k\":{\"S\":\"value " + std::to_string(i) + "\"}}";
  s.resize(n);
  return s;
}

TEST(ContentEncodingTest, IdentityForms) {
  EXPECT_TRUE(IsIdentityEncoding(""));
  EXPECT_TRUE(IsIdentityEncoding("identity"));
  EXPECT_TRUE(IsIdentityEncoding(" Identity , "));
  EXPECT_FALSE(IsIdentityEncoding("gzip"));
  std::string out;
  ASSERT_TRUE(DecodeContent("identity", "abc", 10, out).ok());
  EXPECT_EQ(out, "abc");
}

TEST(ContentEncodingTest, InflatesGzipZlibAndRawDeflate) {
  const std::string body = Sample(100000);
  std::string out;
  ASSERT_TRUE(DecodeContent("gzip", Gzip(body), body.size(), out).ok());
  EXPECT_EQ(out, body);
  ASSERT_TRUE(DecodeContent("X-GZIP", Gzip(body), body.size(), out).ok());
  EXPECT_EQ(out, body);
  ASSERT_TRUE(DecodeContent("deflate", Compress(body, 15), body.size(), out).ok());
  EXPECT_EQ(out, body);
  ASSERT_TRUE(DecodeContent("deflate", Compress(body, -15), body.size(), out).ok());
  EXPECT_EQ(out, body);
}

TEST(ContentEncodingTest, ConcatenatedGzipMembers) {
  std::string out;
  ASSERT_TRUE(DecodeContent("gzip", Gzip("hello ") + Gzip("world"), 100, out).ok());
  EXPECT_EQ(out, "hello world");
}

TEST(ContentEncodingTest, SeveralCodingsAreUndoneLastFirst) {
  const std::string body = Sample(5000);
  std::string out;
  ASSERT_TRUE(DecodeContent("deflate, gzip", Gzip(Compress(body, 15)), body.size(), out).ok());
  EXPECT_EQ(out, body);
  ASSERT_TRUE(DecodeContent("gzip, identity, gzip", Gzip(Gzip(body)), body.size(), out).ok());
  EXPECT_EQ(out, body);
}

// Each stacked coding is undone before authentication and may expand to the body limit, so a
// body may carry at most kMaxStackedCodings of them.
TEST(ContentEncodingTest, MoreThanTwoStackedCodingsAreRefused) {
  const std::string body = Sample(100);
  std::string out;
  auto result = DecodeContent("gzip, gzip, gzip", Gzip(Gzip(Gzip(body))), 1 << 20, out);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), HttpRequest::BodyError::kBadEncoding);
}

TEST(ContentEncodingTest, LimitAppliesToInflatedSize) {
  const std::string body = Sample(10000);
  const std::string packed = Gzip(body);
  std::string out;
  EXPECT_TRUE(DecodeContent("gzip", packed, body.size(), out).ok());
  const auto over = DecodeContent("gzip", packed, body.size() - 1, out);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), BodyError::kTooLarge);
  // A small bomb: 64 MiB of zeros in about 64 KiB.
  const auto bomb = DecodeContent("gzip", Gzip(std::string(64 << 20, '\0')), 1 << 20, out);
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.error(), BodyError::kTooLarge);
}

TEST(ContentEncodingTest, CorruptTruncatedOrUnknownIsBadEncoding) {
  const std::string packed = Gzip(Sample(1000));
  std::string out;
  const struct {
    const char* encoding;
    std::string input;
  } cases[] = {
      {"gzip", "not gzip at all"},   {"gzip", packed.substr(0, packed.size() / 2)},
      {"gzip", packed + "trailing"}, {"deflate", Compress("abc", 15) + "x"},
      {"deflate", "\xff\xff\xff"},   {"br", "whatever"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.encoding);
    const auto result = DecodeContent(c.encoding, c.input, 1 << 20, out);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), BodyError::kBadEncoding);
  }
}

}  // namespace
}  // namespace dunlin::http
