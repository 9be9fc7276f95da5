#include "engine/encoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

namespace credsweep {
namespace {

// The bytes of `s` in a heap block of exactly their size, so that AddressSanitizer
// sees a read past the end (a std::string's terminator and spare room hide one).
class ExactBytes {
 public:
  explicit ExactBytes(std::string_view s) : bytes_(new char[s.size()]), size_(s.size()) {
    std::copy(s.begin(), s.end(), bytes_.get());
  }
  std::string_view view() const { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  size_t size_;
};

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

// The decoder takes eight characters at a time while the output has room:
// every byte value at every position of texts around that width decodes to
// what was encoded, and a character outside the alphabet anywhere is refused.
TEST(Base64Url, EveryByteAtEveryPosition) {
  for (size_t n = 0; n < 40; ++n) {
    for (size_t at = 0; at < n; ++at) {
      for (int v = 0; v < 256; ++v) {
        std::string bytes(n, '\x5a');
        bytes[at] = static_cast<char>(v);
        const std::string enc = Base64UrlEncode(bytes);
        std::string dec;
        ASSERT_TRUE(Base64UrlDecodeInto(ExactBytes(enc).view(), &dec)) << n << " " << at << " " << v;
        ASSERT_EQ(dec, bytes) << n << " " << at << " " << v;
        ASSERT_EQ(dec.c_str()[dec.size()], '\0');  // the 8-byte stores stay inside
        std::string std_enc = enc;  // the same bytes in the standard alphabet, padded
        for (char& c : std_enc) c = c == '-' ? '+' : c == '_' ? '/' : c;
        std_enc.append((4 - std_enc.size() % 4) % 4, '=');
        ASSERT_EQ(Base64Decode(std_enc).value_or("(refused)"), bytes) << n << " " << at << " " << v;
      }
    }
    const std::string enc = Base64UrlEncode(std::string(n, '\x5a'));
    for (size_t at = 0; at < enc.size(); ++at) {
      for (char bad : {'+', '/', '=', '.', ' ', '\0', '\x80', '\xff'}) {
        std::string text = enc;
        text[at] = bad;
        std::string dec;
        ASSERT_FALSE(Base64UrlDecodeInto(ExactBytes(text).view(), &dec)) << n << " " << at << " " << int(bad);
      }
    }
  }
}

// Texts of 64 characters and more are decoded 32 at a time where the processor
// has AVX2 (engine/encoding.cc), the rest as above. Every character at every
// position of texts around those widths: one of the alphabet decodes to what a
// plain reading of the alphabet gives, any other byte is refused.
TEST(Base64Url, EveryCharacterAtEveryPositionOfLongTexts) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  auto plain = [&](std::string_view text) {  // a whole number of groups of four
    std::string out;
    for (size_t i = 0; i < text.size(); i += 4) {
      uint32_t v = 0;
      for (size_t k = 0; k < 4; ++k) v = v << 6 | static_cast<uint32_t>(kAlphabet.find(text[i + k]));
      out.push_back(static_cast<char>(v >> 16));
      out.push_back(static_cast<char>(v >> 8));
      out.push_back(static_cast<char>(v));
    }
    return out;
  };
  for (size_t n : {48, 51, 72, 96, 99, 120, 144}) {
    std::string bytes;
    for (size_t k = 0; k < n; ++k) bytes.push_back(static_cast<char>(k * 53 + 7));
    const std::string enc = Base64UrlEncode(bytes);
    ASSERT_EQ(Base64UrlDecode(ExactBytes(enc).view()).value_or("(refused)"), bytes) << n;
    const size_t whole = enc.size() / 4 * 4;  // the characters a plain reading can check
    for (size_t at = 0; at < enc.size(); ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string text = enc;
        text[at] = static_cast<char>(c);
        std::string dec;
        const bool ok = Base64UrlDecodeInto(ExactBytes(text).view(), &dec);
        if (kAlphabet.find(static_cast<char>(c)) == std::string_view::npos) {
          ASSERT_FALSE(ok) << n << " " << at << " " << c;
        } else if (at < whole) {
          ASSERT_TRUE(ok) << n << " " << at << " " << c;
          ASSERT_EQ(dec.substr(0, whole / 4 * 3), plain(std::string_view(text).substr(0, whole))) << n << " " << at << " " << c;
          ASSERT_EQ(dec.substr(whole / 4 * 3), bytes.substr(whole / 4 * 3)) << n << " " << at << " " << c;
        }
      }
    }
  }
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

#include <simdjson.h>

#include <cstdio>
#include <random>

namespace credsweep {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(ExactBytes(s).view(), &out);
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

// The escaping one byte at a time, as the rules above say it.
std::string JsonByteByByte(std::string_view s) {
  const bool utf8 = simdjson::validate_utf8(s.data(), s.size());
  std::string out = "\"";
  for (unsigned char c : s) {
    char buf[8];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || (c >= 0x80 && !utf8)) {
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// The escaper reads 16 bytes at a time: every special byte at every position of
// strings around that width, and random strings, valid UTF-8 or not, come out as
// the byte-by-byte rules say.
TEST(JsonEscape, EveryPositionOfEverySpecialByte) {
  const std::string specials = std::string("\"\\\n\r\t\b\f\x01\x1f\x7f ~", 12) + std::string(1, '\0');
  for (size_t n = 1; n < 50; ++n) {
    for (size_t at = 0; at < n; ++at) {
      for (char c : specials) {
        std::string s(n, 'a');
        s[at] = c;
        ASSERT_EQ(Json(s), JsonByteByByte(s)) << "n=" << n << " at=" << at << " byte=" << int(c);
      }
      std::string s(n, 'a');  // a non-ASCII byte: valid as part of U+00E9, invalid alone
      if (at + 1 < n) {
        s[at] = '\xc3';
        s[at + 1] = '\xa9';
        ASSERT_EQ(Json(s), JsonByteByByte(s)) << "n=" << n << " at=" << at;
      }
      s.assign(n, 'a');
      s[at] = '\xff';
      ASSERT_EQ(Json(s), JsonByteByByte(s)) << "n=" << n << " at=" << at;
      // Once the string is known to be valid UTF-8 (a U+00E9 first), the escaper
      // looks for controls only: each of 0x00-0x1F, '"', '\\' and DEL still at every place.
      for (int c = 0; c <= 0x7F; ++c) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) continue;
        std::string u = "\xc3\xa9" + std::string(n, 'a');
        u[2 + at] = static_cast<char>(c);
        ASSERT_EQ(Json(u), JsonByteByByte(u)) << "n=" << n << " at=" << at << " byte=" << c;
      }
    }
  }
  std::mt19937 rng(5);
  const std::string alphabet = std::string("ab\"\\\n\x01\xc3\xa9\xff\x7f", 10);
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 70, 'a');
    for (char& c : s) c = rng() % 4 == 0 ? alphabet[rng() % alphabet.size()] : 'x';
    ASSERT_EQ(Json(s), JsonByteByByte(s)) << testing::PrintToString(s);
  }
}

}  // namespace
}  // namespace credsweep
