// The token file of `serve --auth-token-file`: named tokens, the single unnamed token
// of earlier versions, and errors that name the line but never the token.
#include "io/resp/tokens.h"

#include <gtest/gtest.h>

namespace credsweep::io::resp {
namespace {

const std::string kA(40, 'a'), kB(40, 'b');

TEST(TokenSet, NamedTokensAuthenticateWithOrWithoutTheirName) {
  auto set = TokenSet::Parse("# comment\n\nalice " + kA + "\r\n  bob\t" + kB + "  \n", "f");
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_TRUE(set->named());
  EXPECT_EQ(set->size(), 2u);
  EXPECT_EQ(set->Authenticate(std::nullopt, kA), "alice");
  EXPECT_EQ(set->Authenticate("default", kB), "bob");
  EXPECT_EQ(set->Authenticate("bob", kB), "bob");
  EXPECT_EQ(set->Authenticate("alice", kB), std::nullopt);
  EXPECT_EQ(set->Authenticate(std::nullopt, kA + "x"), std::nullopt);
  EXPECT_EQ(set->Authenticate(std::nullopt, ""), std::nullopt);
}

TEST(TokenSet, ASingleUnnamedTokenIsDefault) {
  auto set = TokenSet::Parse(kA + "\n", "f");
  ASSERT_TRUE(set.ok());
  EXPECT_FALSE(set->named());
  EXPECT_EQ(set->Authenticate(std::nullopt, kA), "default");
  EXPECT_EQ(set->Authenticate("default", kA), "default");
}

TEST(TokenSet, HoldsTellsWhetherANameStillHasItsToken) {
  auto before = TokenSet::Parse("alice " + kA + "\nbob " + kB + "\n", "f").value();
  auto after = TokenSet::Parse("alice " + kB + "\n", "f").value();
  EXPECT_TRUE(before.Holds("alice", before.DigestOf("alice")));
  EXPECT_FALSE(after.Holds("alice", before.DigestOf("alice")));  // changed
  EXPECT_FALSE(after.Holds("bob", before.DigestOf("bob")));      // removed
}

TEST(TokenSet, MalformedFilesNameTheLineNeverTheToken) {
  struct Case {
    std::string text, message;
  };
  for (const Case& c : {Case{"alice short\n", "f line 1: the token has 5 characters; at least 32"},
                        Case{"alice " + kA + "\nalice " + kB, "f line 2: the name 'alice' is used twice"},
                        Case{"alice " + kA + "\nbob " + kA, "f line 2: the same token is given to two names"},
                        Case{"al/ice " + kA, "f line 1: a token name has 1 to 64"},
                        Case{"alice " + kA + " extra", "f line 1: expected NAME TOKEN"},
                        Case{kA + "\nbob " + kB, "only when it is the only token"}, Case{"# none\n", "holds no token"}}) {
    auto set = TokenSet::Parse(c.text, "f");
    ASSERT_FALSE(set.ok()) << c.text;
    EXPECT_NE(set.status().message().find(c.message), std::string::npos) << set.status().message();
    EXPECT_EQ(set.status().message().find(kA), std::string::npos) << set.status().message();
  }
}

}  // namespace
}  // namespace credsweep::io::resp
