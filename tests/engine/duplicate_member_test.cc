// A member name twice in one object is refused: JSON parsers disagree on which
// value wins (simdjson the first, JavaScript and Python the last), so a signed
// record with duplicates would mean different things to different verifiers.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "engine/encoding.h"
#include "engine/internal/json.h"
#include "engine/jcs.h"
#include "engine/signer.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

using testing::Describe;

class DuplicateMembers : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    key_->set_kid("k");
    v_ = testing::MakeVerifier({{"{\"keys\":[" + key_->ToPublicJwkJson() + "]}"}});
  }
  VerificationResult Signed(const std::string& payload, const std::string& header = R"({"alg":"ES256","kid":"k"})") {
    return testing::VerifyText(*v_, SignCompact(*key_, header, payload).value());
  }
  static std::string Credential(const std::string& extra, const std::string& subject_extra = "") {
    return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://issuer.example","validFrom":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:s")" +
           subject_extra + "}" + extra + "}";
  }
  std::unique_ptr<PrivateKey> key_;
  std::unique_ptr<Verifier> v_;
};

TEST_F(DuplicateMembers, UniqueMembersVerify) {
  EXPECT_TRUE(Signed(Credential(R"(,"validUntil":"2030-01-01T00:00:00Z")")).verified());
}

// Found by fuzz/jcs_fuzz (tests/testdata/fuzz-crashes/jcs-duplicate-empty-member-name.json):
// the empty name "" twice was taken for "no duplicate", and in an object of more than
// 16 members (sorted, "" first) it hid every other duplicate too.
TEST_F(DuplicateMembers, AnEmptyNameTwiceIsADuplicateAndHidesNoOther) {
  auto small = Signed(Credential(R"(,"":1,"":2)"));
  EXPECT_EQ(small.check(CheckId::kFormat).code, "duplicate_member") << Describe(small);
  std::string many;
  for (int i = 0; i < 20; ++i) many += ",\"m" + std::to_string(i) + "\":" + std::to_string(i);
  auto large = Signed(Credential(many + R"(,"":1,"":2,"validUntil":"2030-01-01T00:00:00Z","validUntil":"2020-01-01T00:00:00Z")"));
  EXPECT_EQ(large.check(CheckId::kFormat).code, "duplicate_member") << Describe(large);
  EXPECT_FALSE(JcsCanonicalize(testing::ReadTestData("fuzz-crashes/jcs-duplicate-empty-member-name.json")).ok());
}

TEST_F(DuplicateMembers, TopLevelDuplicateIsNamed) {
  auto r = Signed(Credential(R"(,"validUntil":"2030-01-01T00:00:00Z","validUntil":"2020-01-01T00:00:00Z")"));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "duplicate_member") << Describe(r);
  EXPECT_NE(r.check(CheckId::kFormat).message.find("'validUntil'"), std::string::npos) << Describe(r);
  EXPECT_FALSE(r.verified());
}

TEST_F(DuplicateMembers, NestedDuplicateIsNamedWithItsPath) {
  auto r = Signed(Credential("", R"(,"name":"A","name":"B")"));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "duplicate_member") << Describe(r);
  EXPECT_NE(r.check(CheckId::kFormat).message.find("/credentialSubject"), std::string::npos) << Describe(r);
}

TEST_F(DuplicateMembers, DuplicateInsideAnArrayAndInALargeObject) {
  std::string many;
  for (int i = 0; i < 40; ++i) many += ",\"m" + std::to_string(i) + "\":" + std::to_string(i);
  EXPECT_TRUE(Signed(Credential(many)).verified());
  auto r = Signed(Credential(many + R"(,"m7":7)"));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "duplicate_member") << Describe(r);
  auto a = Signed(Credential(R"(,"evidence":[{"type":"E","id":"urn:x:1"},{"type":"E","type":"F"}])"));
  EXPECT_EQ(a.check(CheckId::kFormat).code, "duplicate_member") << Describe(a);
  EXPECT_NE(a.check(CheckId::kFormat).message.find("/evidence/1"), std::string::npos) << Describe(a);
}

TEST_F(DuplicateMembers, DuplicateIssuerOrIdOrStatus) {
  for (const char* extra : {R"(,"issuer":"https://evil.example")", R"(,"id":"urn:uuid:1","id":"urn:uuid:2")",
                            R"(,"credentialStatus":{"type":"X"},"credentialStatus":{"type":"Y"})"}) {
    auto r = Signed(Credential(extra));
    EXPECT_EQ(r.check(CheckId::kFormat).code, "duplicate_member") << extra << Describe(r);
  }
}

TEST_F(DuplicateMembers, JoseHeaderDuplicateIsRefused) {
  auto r = Signed(Credential(""), R"({"alg":"ES256","kid":"k","kid":"other"})");
  EXPECT_EQ(r.check(CheckId::kFormat).code, "duplicate_member") << Describe(r);
  EXPECT_NE(r.check(CheckId::kFormat).message.find("protected header"), std::string::npos) << Describe(r);
}

TEST_F(DuplicateMembers, UnsecuredDocumentDuplicateIsRefused) {
  auto r = testing::VerifyText(*v_, Credential(R"(,"validUntil":"2030-01-01T00:00:00Z","validUntil":"2031-01-01T00:00:00Z")"));
  EXPECT_EQ(r.check(CheckId::kFormat).code, "duplicate_member") << Describe(r);
}

// The format check scans a parsed payload's tape for duplicates (one pass) and
// walks the elements only to name one: both must agree on every document, with
// numbers (two tape words), strings, literals, empty and nested containers, names
// that are prefixes of others, and objects past the pairwise limit of 16 members.
TEST(DuplicateMemberTape, AgreesWithTheElementWalk) {
  std::mt19937 rng(20261207);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* names[] = {"a", "b", "ab", "ba", "", "abc", "validUntil", "validFrom"};
  const char* scalars[] = {"1", "-7", "18446744073709551615", "2.5e3", "\"a\"", "\"\"", "true", "false", "null"};
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    const int kind = depth > 4 ? 0 : pick(4);
    if (kind <= 1) return scalars[pick(9)];
    std::string out = kind == 2 ? "[" : "{";
    const int n = pick(5) == 0 ? 17 + pick(8) : pick(5);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out += ',';
      if (kind == 3) {
        // Wide objects draw from more names, so that some have none twice.
        out += "\"" + std::string(n > 16 ? "m" + std::to_string(pick(60)) : names[pick(8)]) + "\":";
      }
      out += value(depth + 1);
    }
    return out + (kind == 2 ? "]" : "}");
  };
  simdjson::dom::parser parser;
  simdjson::dom::document doc;
  int found = 0, clean = 0;
  for (int round = 0; round < 4000; ++round) {
    const std::string text = value(0);
    ASSERT_EQ(parser.parse_into_document(doc, text).error(), simdjson::SUCCESS) << text;
    const std::optional<std::string> by_tape = internal::DuplicateMember(doc);
    const std::optional<std::string> by_walk = internal::DuplicateMember(doc.root());
    EXPECT_EQ(by_tape, by_walk) << text;
    (by_walk ? found : clean) += 1;
  }
  // Both outcomes were tried many times over.
  EXPECT_GT(found, 500);
  EXPECT_GT(clean, 500);
}

TEST(DuplicateMemberTape, NamesTheDuplicateAndItsPath) {
  simdjson::dom::parser parser;
  simdjson::dom::document doc;
  const std::string text = R"({"x":1.5,"list":[{"k":18446744073709551615,"id":1},{"id":-1,"id":2}],"ok":{}})";
  ASSERT_EQ(parser.parse_into_document(doc, text).error(), simdjson::SUCCESS);
  EXPECT_EQ(internal::DuplicateMember(doc), "member 'id' appears more than once in /list/1");
  const std::string unique = R"({"a":{"a":{"a":[]}},"b":[[],{}],"ab":"a","":null})";
  ASSERT_EQ(parser.parse_into_document(doc, unique).error(), simdjson::SUCCESS);
  EXPECT_EQ(internal::DuplicateMember(doc), std::nullopt);
}

}  // namespace
}  // namespace credsweep
