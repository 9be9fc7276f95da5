#include "engine/encoding.h"

#include <gtest/gtest.h>

namespace credsweep {
namespace {

TEST(Base64Url, RoundTripsAllLengths) {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    auto enc = Base64UrlEncode(bytes);
    EXPECT_EQ(enc.find('='), std::string::npos);
    auto dec = Base64UrlDecode(enc);
    ASSERT_TRUE(dec.has_value()) << n;
    EXPECT_EQ(*dec, bytes);
    bytes.push_back(static_cast<char>(n * 37 + 11));
  }
}

TEST(Base64Url, MatchesRfc4648Examples) {
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RejectsBadInput) {
  EXPECT_FALSE(Base64UrlDecode("Zm9v+mFy"));   // '+' is standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm9vY"));      // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zm8="));       // padding is not base64url
  EXPECT_FALSE(Base64UrlDecode("Zm9"));        // non-zero trailing bits
  EXPECT_FALSE(Base64UrlDecode("Zm\x80v"));
}

TEST(Base64, DecodesPaddedStandardAlphabet) {
  EXPECT_EQ(Base64Decode("Zm9vYg==").value(), "foob");
  EXPECT_EQ(Base64Decode("+/8=").value(), "\xfb\xff");
  EXPECT_FALSE(Base64Decode("-_8="));
}

TEST(Base58Btc, RoundTripsWithLeadingZeros) {
  std::string bytes("\0\0\x01\x02\xff", 5);
  auto enc = Base58BtcEncode(bytes);
  EXPECT_EQ(enc.substr(0, 2), "11");
  EXPECT_EQ(Base58BtcDecode(enc).value(), bytes);
  EXPECT_EQ(Base58BtcEncode("hello world"), "StV1DL6CwTryKyV");
  EXPECT_FALSE(Base58BtcDecode("0OIl"));
}

}  // namespace
}  // namespace credsweep
