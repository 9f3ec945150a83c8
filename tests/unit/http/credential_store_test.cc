#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "http/sigv4.h"

namespace dunlin::http {
namespace {

class CredentialStoreTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    path_ = ::testing::TempDir() + "dunlin_credentials_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::ofstream(path_) << text;
    return path_;
  }
  ~CredentialStoreTest() override {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  std::string path_;
};

TEST_F(CredentialStoreTest, LoadsPairsPerLine) {
  const auto store = CredentialStore::LoadFile(
      Write("# dunlin users\nAKID1 secret/one+x\n\n  AKID2\tsecret2   # trailing comment\n"));
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->SecretFor("AKID1"), "secret/one+x");
  EXPECT_EQ(store->SecretFor("AKID2"), "secret2");
  EXPECT_FALSE(store->SecretFor("AKID3").has_value());
}

TEST_F(CredentialStoreTest, LoadsAwsSharedCredentialsFormat) {
  const auto store = CredentialStore::LoadFile(
      Write("[default]\naws_access_key_id = AKIDEXAMPLE\n"
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\nregion = us-east-1\n"
            "\n[other]\r\naws_secret_access_key=s2\r\naws_access_key_id=K2\r\n"));
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->SecretFor("AKIDEXAMPLE"), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(store->SecretFor("K2"), "s2");
}

TEST_F(CredentialStoreTest, ReportsProblemsWithFileAndLine) {
  auto store = CredentialStore::LoadFile(Write("AKID1 s1\nonlyonefield\n"));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find(":2: expected 'ACCESS_KEY_ID SECRET_ACCESS_KEY'"), std::string::npos)
      << store.error();

  store = CredentialStore::LoadFile(Write("[p]\naws_access_key_id = K\n"));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("without aws_secret_access_key"), std::string::npos);

  store = CredentialStore::LoadFile(Write("# nothing\n"));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("no credentials"), std::string::npos);

  store = CredentialStore::LoadFile("/nonexistent/dunlin/credentials");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace dunlin::http
