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

#include "engine/json_escape.h"

namespace credsweep {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

TEST(JsonEscape, EscapesControlsQuotesAndBackslashes) {
  EXPECT_EQ(Json("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  EXPECT_EQ(Json(""), "\"\"");
}

TEST(JsonEscape, KeepsValidUtf8AndEscapesInvalidBytes) {
  EXPECT_EQ(Json("Universit\xc3\xa9"), "\"Universit\xc3\xa9\"");
  EXPECT_EQ(Json("bad\xff\xfe"), "\"bad\\u00ff\\u00fe\"");
  // One invalid byte makes the whole string byte-escaped, valid UTF-8 included.
  EXPECT_EQ(Json("\xc3\xa9\xff"), "\"\\u00c3\\u00a9\\u00ff\"");
}

}  // namespace
}  // namespace credsweep
