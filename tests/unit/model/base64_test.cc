#include "common/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace dunlin {
namespace {

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\x00\xff\xfe", 3)), "AP/+");
}

TEST(Base64Test, DecodesRfc4648Vectors) {
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode("Zm8="), "fo");
  EXPECT_EQ(Base64Decode("Zm9v"), "foo");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(Base64Decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(Base64Decode("AP/+"), std::string("\x00\xff\xfe", 3));
}

TEST(Base64Test, RoundTripsAllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t length = 0; length <= bytes.size(); length += 37) {
    const std::string slice = bytes.substr(0, length);
    EXPECT_EQ(Base64Decode(Base64Encode(slice)), slice);
  }
}

TEST(Base64Test, RejectsInvalidText) {
  for (std::string_view text :
       {"!!", "YQ", "YQ=", "Y", "YWJ", "Y Q==", "YQ==\n", "\nYQ==", "-_-_",
        "====", "YQ===", "=YQ=", "Y=Q=", "YQ==YQ==", "Zm9v!A==", "Zm9vYg=A", "\xff\xff\xff\xff"}) {
    EXPECT_FALSE(Base64Decode(text).has_value()) << "'" << text << "'";
  }
}

TEST(Base64Test, IgnoresUnusedLowBits) {
  // "YR==" carries non-zero bits past the last byte; DynamoDB Local reads it as "a".
  EXPECT_EQ(Base64Decode("YR=="), "a");
  EXPECT_EQ(Base64Decode("Zm9="), "fo");
}

}  // namespace
}  // namespace dunlin
