// The normal form of credential ids (engine/credential_id.h): urn:uuid: ids in
// lower case (RFC 9562), everything else as given.
#include "engine/credential_id.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace credsweep {
namespace {

TEST(NormalizeCredentialId, LowersTheUuidOfAUrnUuidInAnySpelling) {
  const std::string normal = "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d";
  for (const char* id : {"urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d", "urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D",
                         "URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D", "Urn:Uuid:0f1E2d3C-aAaA-4bBb-8CcC-00000000000d"}) {
    EXPECT_EQ(NormalizeCredentialId(id), normal) << id;
  }
  EXPECT_EQ(NormalizeCredentialId(normal), normal);  // idempotent
}

TEST(NormalizeCredentialId, LeavesEveryOtherIdAsGiven) {
  for (const char* id : {
           "https://uni.example/credentials/ABC",          // URLs are case-sensitive
           "urn:Example:ABC",                              // another URN namespace
           "urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000",  // 35 characters: not a UUID
           "urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000DD",
           "urn:uuid:0F1E2D3CAAAA-4BBB-8CCC-00000000000D-",  // hyphens elsewhere
           "urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000G",  // not hex
           "URN:UUID:{0F1E2D3C-AAAA-4BBB-8CCC-00000000000D}", "", "urn:uuid:"}) {
    EXPECT_EQ(NormalizeCredentialId(id), id) << id;
  }
}

// A UUID's digits are the hex digits 0-9, a-f, A-F and no other byte (as
// std::isxdigit says in the C locale), whatever the byte.
TEST(NormalizeCredentialId, TakesExactlyTheHexDigitsForUuidDigits) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const std::string id = std::string("URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-00000000000") + c;
    const bool hex = std::isxdigit(b) != 0;
    const std::string lowered =
        std::string("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000") + static_cast<char>(std::tolower(b));
    EXPECT_EQ(NormalizeCredentialId(id), hex ? lowered : id) << "byte " << b;
  }
}

// The prefix matches in any ASCII case and no other way, byte by byte: at each of
// its nine positions every byte value is tried (an upper-case letter where the
// prefix has its lower-case one is the prefix); and at each of the four hyphens
// only '-' makes a UUID.
TEST(NormalizeCredentialId, TakesExactlyThePrefixInAnyCaseAndTheHyphens) {
  const std::string normal = "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000a";
  const std::string upper_uuid = "urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000A";
  for (size_t at = 0; at < 9; ++at) {
    for (int b = 0; b < 256; ++b) {
      std::string id = upper_uuid;
      id[at] = static_cast<char>(b);
      const bool prefix = std::tolower(b) == normal[at];
      EXPECT_EQ(NormalizeCredentialId(id), prefix ? normal : id) << "position " << at << ", byte " << b;
    }
  }
  for (size_t at : {9 + 8, 9 + 13, 9 + 18, 9 + 23}) {
    for (int b = 0; b < 256; ++b) {
      std::string id = upper_uuid;
      id[at] = static_cast<char>(b);
      EXPECT_EQ(NormalizeCredentialId(id), b == '-' ? normal : id) << "position " << at << ", byte " << b;
    }
  }
}

// The overload without a copy: a view of the id itself when it is already in
// normal form (or not a UUID URN at all), of the scratch string otherwise.
TEST(NormalizeCredentialId, WithScratchCopiesOnlyWhatItLowers) {
  std::string scratch = "untouched";
  const std::string normal = "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d";
  for (const std::string& id : {normal, std::string("https://uni.example/credentials/ABC")}) {
    const std::string_view v = NormalizeCredentialId(id, &scratch);
    EXPECT_EQ(v.data(), id.data()) << id;
    EXPECT_EQ(v, id);
  }
  EXPECT_EQ(scratch, "untouched");
  for (const std::string id : {"urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D", "URN:UUID:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d"}) {
    const std::string_view v = NormalizeCredentialId(id, &scratch);
    EXPECT_EQ(v, normal) << id;
    EXPECT_EQ(v.data(), scratch.data()) << id;
  }
}

TEST(PackNormalUuidId, PacksTheUuidOfANormalUrnUuidId) {
  unsigned char out[16];
  ASSERT_TRUE(PackNormalUuidId("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000009d", out));
  const unsigned char want[16] = {0x0f, 0x1e, 0x2d, 0x3c, 0xaa, 0xaa, 0x4b, 0xbb,
                                  0x8c, 0xcc, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9d};
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 16), std::string(reinterpret_cast<const char*>(want), 16));
}

// Only the normal form packs: an id that NormalizeCredentialId would change, or
// leaves as it is because it is no UUID, keeps its text (and two ids that pack
// alike are the same id).
TEST(PackNormalUuidId, RefusesEveryOtherId) {
  for (const char* id : {"urn:uuid:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D", "URN:UUID:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d",
                         "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000", "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000dd",
                         "urn:uuid:0f1e2d3caaaa-4bbb-8ccc-00000000000d-", "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000g",
                         "urn:uuid:{0f1e2d3c-aaaa-4bbb-8ccc-00000000000d}", "https://uni.example/c/1", "", "urn:uuid:"}) {
    unsigned char out[16] = {7};
    EXPECT_FALSE(PackNormalUuidId(id, out)) << id;
    EXPECT_EQ(out[0], 7) << id;
  }
}

// PackUuidId is PackNormalUuidId of the normal form, for ids in every spelling
// and with every byte at a digit's place.
TEST(PackUuidId, PacksWhatTheNormalFormPacks) {
  std::vector<std::string> ids = {"urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000009d", "URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-00000000009D",
                                  "Urn:Uuid:0f1E2d3C-aAaA-4bBb-8CcC-00000000009d", "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-0000000000",
                                  "urn:uuid:0f1e2d3caaaa-4bbb-8ccc-00000000009d-", "urn:uuix:0f1e2d3c-aaaa-4bbb-8ccc-00000000009d",
                                  "https://uni.example/c/1", "", "urn:uuid:"};
  for (int b = 0; b < 256; ++b) {
    ids.push_back(std::string("urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000009") + static_cast<char>(b));
    ids.push_back(std::string("urn:uuid:") + static_cast<char>(b) + "f1e2d3c-aaaa-4bbb-8ccc-00000000009d");
  }
  for (const std::string& id : ids) {
    unsigned char got[16] = {}, want[16] = {};
    const bool packs = PackNormalUuidId(NormalizeCredentialId(id), want);
    ASSERT_EQ(PackUuidId(id, got), packs) << id;
    if (packs) {
      EXPECT_EQ(std::string(reinterpret_cast<char*>(got), 16), std::string(reinterpret_cast<char*>(want), 16)) << id;
    }
  }
}

// Both packers against a plain reading of RFC 9562's hex form, with every byte at
// every digit's place (and a hyphen's), in both cases.
TEST(PackUuidId, EveryByteAtEveryPlaceAgreesWithAPlainReading) {
  auto hex = [](char c, bool any_case) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (any_case && c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  auto plain = [&](const std::string& uuid, bool any_case, unsigned char out[16]) {
    std::string digits;
    for (size_t i = 0; i < uuid.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (uuid[i] != '-') return false;
      } else {
        digits.push_back(uuid[i]);
      }
    }
    if (uuid.size() != 36) return false;
    for (size_t i = 0; i < 16; ++i) {
      const int hi = hex(digits[2 * i], any_case), lo = hex(digits[2 * i + 1], any_case);
      if (hi < 0 || lo < 0) return false;
      out[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return true;
  };
  for (const std::string base : {"0f1e2d3c-aaaa-4bbb-8ccc-0123456789ab", "0F1E2D3C-AAAA-4BBB-8CCC-CDEF01234567",
                                 "fedcba98-7654-3210-ffff-000000000000"}) {
    for (size_t at = 0; at < base.size(); ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string uuid = base;
        uuid[at] = static_cast<char>(b);
        unsigned char want_normal[16] = {}, got_normal[16] = {}, want_any[16] = {}, got_any[16] = {};
        const bool normal = plain(uuid, false, want_normal), any = plain(uuid, true, want_any);
        ASSERT_EQ(PackNormalUuidId("urn:uuid:" + uuid, got_normal), normal) << uuid;
        ASSERT_EQ(PackUuidId("urn:uuid:" + uuid, got_any), any) << uuid;
        if (normal) {
          EXPECT_EQ(0, std::memcmp(got_normal, want_normal, 16)) << uuid;
        }
        if (any) {
          EXPECT_EQ(0, std::memcmp(got_any, want_any, 16)) << uuid;
        }
      }
    }
  }
}

}  // namespace
}  // namespace credsweep
