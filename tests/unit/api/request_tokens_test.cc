// RequestTokens: ClientRequestToken idempotency, with an injected clock.
#include "api/request_tokens.h"

#include <gtest/gtest.h>

namespace dunlin::api {
namespace {

constexpr int64_t kStart = 1'000'000;

TEST(RequestTokensTest, AFinishedCallReplaysWithinTheWindow) {
  RequestTokens tokens;
  RequestTokens::Claim first = tokens.Begin("t", "request", kStart);
  EXPECT_TRUE(first.run);
  tokens.Finish("t", "{\"answer\":1}", kStart + 5);

  RequestTokens::Claim again = tokens.Begin("t", "request", kStart + 5 + RequestTokens::kWindowMs - 1);
  EXPECT_FALSE(again.run);
  EXPECT_FALSE(again.error.has_value());
  EXPECT_EQ(again.replay_body, "{\"answer\":1}");
}

TEST(RequestTokensTest, ADifferentRequestWithTheTokenIsAMismatch) {
  RequestTokens tokens;
  ASSERT_TRUE(tokens.Begin("t", "request", kStart).run);
  tokens.Finish("t", "{}", kStart);
  RequestTokens::Claim other = tokens.Begin("t", "another request", kStart + 1);
  EXPECT_FALSE(other.run);
  ASSERT_TRUE(other.error.has_value());
  EXPECT_EQ(other.error->type, ErrorType::kIdempotentParameterMismatch);
}

TEST(RequestTokensTest, ARunningCallMakesTheSecondOneWait) {
  RequestTokens tokens;
  ASSERT_TRUE(tokens.Begin("t", "request", kStart).run);
  RequestTokens::Claim second = tokens.Begin("t", "request", kStart + 1);
  EXPECT_FALSE(second.run);
  ASSERT_TRUE(second.error.has_value());
  EXPECT_EQ(second.error->type, ErrorType::kTransactionInProgress);
}

TEST(RequestTokensTest, AFailedCallFreesItsToken) {
  RequestTokens tokens;
  ASSERT_TRUE(tokens.Begin("t", "request", kStart).run);
  tokens.Abandon("t");
  EXPECT_EQ(tokens.size(), 0u);
  // Even another request may now use it.
  EXPECT_TRUE(tokens.Begin("t", "another request", kStart + 1).run);
}

TEST(RequestTokensTest, TokensExpireAfterTenMinutes) {
  RequestTokens tokens;
  ASSERT_TRUE(tokens.Begin("old", "request", kStart).run);
  tokens.Finish("old", "{}", kStart);
  ASSERT_TRUE(tokens.Begin("newer", "request", kStart + 1000).run);
  tokens.Finish("newer", "{}", kStart + 1000);
  // At the end of the first window only the first token is gone, and runs afresh.
  RequestTokens::Claim reused = tokens.Begin("old", "other", kStart + RequestTokens::kWindowMs);
  EXPECT_TRUE(reused.run);
  RequestTokens::Claim newer = tokens.Begin("newer", "request", kStart + RequestTokens::kWindowMs);
  EXPECT_FALSE(newer.run);
  EXPECT_FALSE(newer.error.has_value());
}

}  // namespace
}  // namespace dunlin::api
