// IsAbsoluteUri: a scheme (a letter, then letters, digits, '+', '-', '.'), a colon,
// something after it, and no control character, space or DEL anywhere. The last
// rule is checked eight bytes at a time; these tests put a bad byte at every
// position of strings of every length around the word size.
#include <gtest/gtest.h>

#include <string>

#include "engine/internal/credential_format.h"

namespace credsweep::internal {
namespace {

TEST(AbsoluteUri, SchemeColonAndARest) {
  EXPECT_TRUE(IsAbsoluteUri("https://issuer.example/1"));
  EXPECT_TRUE(IsAbsoluteUri("urn:uuid:e220a839-7b1d-4daf-a706-dd2f4d197e6f"));
  EXPECT_TRUE(IsAbsoluteUri("did:web:example.org"));
  EXPECT_TRUE(IsAbsoluteUri("a:b"));
  EXPECT_TRUE(IsAbsoluteUri("x-y+z.1:\xC3\xA9t\xC3\xA9"));  // non-ASCII (an IRI) is allowed
  EXPECT_FALSE(IsAbsoluteUri(""));
  EXPECT_FALSE(IsAbsoluteUri(":x"));
  EXPECT_FALSE(IsAbsoluteUri("a:"));
  EXPECT_FALSE(IsAbsoluteUri("1a:x"));
  EXPECT_FALSE(IsAbsoluteUri("a_b:x"));
  EXPECT_FALSE(IsAbsoluteUri("no colon at all"));
}

TEST(AbsoluteUri, ABadByteAnywhereIsRefused) {
  for (size_t length = 3; length <= 40; ++length) {
    std::string uri = "u:" + std::string(length - 2, 'a');
    ASSERT_TRUE(IsAbsoluteUri(uri)) << uri;
    for (size_t at = 2; at < length; ++at) {
      for (int bad : {0x00, 0x01, 0x09, 0x0A, 0x1F, 0x20, 0x7F}) {
        std::string with = uri;
        with[at] = static_cast<char>(bad);
        EXPECT_FALSE(IsAbsoluteUri(with)) << "length " << length << ", byte " << bad << " at " << at;
      }
      // The bytes next to the bad ones are fine.
      for (int good : {0x21, 0x7E, 0x80, 0xFF}) {
        std::string with = uri;
        with[at] = static_cast<char>(good);
        EXPECT_TRUE(IsAbsoluteUri(with)) << "length " << length << ", byte " << good << " at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace credsweep::internal
