// Bitstring Status List codec: W3C (MSB first, GZIP) and IETF (LSB first, ZLIB)
// vectors, round trips, and the ways a hostile list can fail.
#include "engine/status_list.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "engine/encoding.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

std::string EncodedListOf(const std::string& file) {
  std::string text = testing::ReadTestData(file);
  simdjson::dom::parser p;
  return std::string(p.parse(text)["credentialSubject"]["encodedList"].get_string().value());
}

TEST(StatusBitstring, W3cTestSuiteListHasExactlyTheDocumentedBits) {
  // No 'u' prefix: the pre-v1.0 form, still accepted.
  auto list = StatusBitstring::Decode(EncodedListOf("status-list-w3c/upstream-test-suite/status-credential-single-purpose-ok.jsonld"));
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size_bits(), 200000u);
  size_t set = 0;
  for (uint64_t i = 0; i < list->size_bits(); ++i) set += *list->Get(i);
  EXPECT_EQ(set, 3u);
  for (uint64_t i : {201, 57444, 94023}) EXPECT_EQ(list->Get(i), 1u) << i;
  // Neighbours catch an LSB-first reading.
  for (uint64_t i : {0, 200, 202, 199999}) EXPECT_EQ(list->Get(i), 0u) << i;
  EXPECT_FALSE(list->Get(200000).has_value());
}

TEST(StatusBitstring, DerivedV1ListAndSpecExampleDecode) {
  auto derived = StatusBitstring::Decode(EncodedListOf("status-list-w3c/derived/status-list-credential-bits-201-57444-94023.json"));
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(derived->Get(57444), 1u);
  auto spec = StatusBitstring::Decode(EncodedListOf("status-list-w3c/upstream-spec/status-list-credential-example.json"));
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->size_bits(), 131072u);
  EXPECT_EQ(spec->Get(94567), 0u);
}

TEST(StatusBitstring, IetfVectorsReadLsbFirst) {
  std::string expected = testing::ReadTestData("status-list-ietf/upstream/expected-statuses.json");
  simdjson::dom::parser p;
  size_t checked = 0;
  for (simdjson::dom::element e : p.parse(expected).get_array()) {
    std::string file = "status-list-ietf/upstream/" + std::string(e["file"].get_string().value());
    std::string list_text = testing::ReadTestData(file);
    simdjson::dom::parser lp;
    simdjson::dom::element l = lp.parse(list_text);
    auto bits = static_cast<unsigned>(l["bits"].get_uint64().value());
    auto list = StatusBitstring::DecodeIetf(l["lst"].get_string().value());
    ASSERT_TRUE(list.ok()) << file << ": " << list.status().ToString();
    for (auto [index, value] : e["statuses"].get_object()) {
      EXPECT_EQ(list->Get(std::stoull(std::string(index)), bits), value.get_uint64().value())
          << file << " index " << index;
      ++checked;
    }
  }
  EXPECT_GT(checked, 300u);
}

TEST(StatusBitstring, EncodeDecodeRoundTripWithMultiBitEntries) {
  StatusBitstring list(kMinStatusListEntries, 2);
  list.Set(0, 3, 2);
  list.Set(7, 1, 2);
  list.Set(kMinStatusListEntries - 1, 2, 2);
  std::string encoded = list.Encode();
  ASSERT_EQ(encoded[0], 'u');
  auto back = StatusBitstring::Decode(encoded);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Get(0, 2), 3u);
  EXPECT_EQ(back->Get(1, 2), 0u);
  EXPECT_EQ(back->Get(7, 2), 1u);
  EXPECT_EQ(back->Get(kMinStatusListEntries - 1, 2), 2u);
  EXPECT_FALSE(back->Get(kMinStatusListEntries, 2).has_value());
  // Bit order on the wire: index 0 is the top bit of byte 0.
  StatusBitstring one(16, 1);
  one.Set(0, 1);
  EXPECT_EQ(static_cast<uint8_t>(one.bytes()[0]), 0x80);
}

TEST(StatusBitstring, GzipBombIsRefusedNotInflated) {
  // 64 MiB of zeros compress to ~64 KiB; the cap is 1 MiB here.
  std::string bomb = "u" + Base64UrlEncode(GzipCompress(std::string(64u << 20, '\0')));
  EXPECT_LT(bomb.size(), 200000u);
  auto r = StatusBitstring::Decode(bomb, 1u << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("beyond the limit"), std::string::npos) << r.status().message();
}

TEST(StatusBitstring, TruncatedAndCorruptListsFail) {
  std::string gz = GzipCompress(std::string(16384, '\0'));
  auto truncated = StatusBitstring::Decode("u" + Base64UrlEncode(gz.substr(0, gz.size() / 2)));
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("truncated"), std::string::npos) << truncated.status().message();
  std::string corrupt = gz;
  corrupt[12] ^= 0x5A;
  corrupt[13] ^= 0xA5;
  EXPECT_FALSE(StatusBitstring::Decode("u" + Base64UrlEncode(corrupt)).ok());
  EXPECT_FALSE(StatusBitstring::Decode("u!!!").ok());
  EXPECT_FALSE(StatusBitstring::Decode("").ok());
}

}  // namespace
}  // namespace credsweep

namespace credsweep {
namespace {

// Publishing an IETF list packs as the draft does: the 2-bit vector's statuses give
// its uncompressed bytes, and the encoded lst reads back.
TEST(StatusBitstring, IetfListsAreWrittenLsbFirstAndZlibCompressed) {
  const uint32_t statuses[] = {1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3};
  StatusBitstring list = StatusBitstring::ForIetf(12, 2);
  for (uint64_t i = 0; i < 12; ++i) list.Set(i, statuses[i], 2);
  EXPECT_EQ(HexEncode(list.bytes()), "c944f9");
  auto back = StatusBitstring::DecodeIetf(list.EncodeIetf());
  ASSERT_TRUE(back.ok()) << back.status().message();
  for (uint64_t i = 0; i < 12; ++i) EXPECT_EQ(back->Get(i, 2), statuses[i]) << i;
  EXPECT_EQ(Base64UrlDecode(list.EncodeIetf())->substr(0, 1), "\x78") << "a ZLIB header, not GZIP";
}

}  // namespace
}  // namespace credsweep
