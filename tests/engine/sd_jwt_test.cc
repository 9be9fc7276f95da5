// RFC 9901 disclosure processing against the vectors the SD-JWT reference
// implementation generated (tests/testdata/sd-jwt/): every case's presentation
// processed gives its verified_contents.json (compared in RFC 8785 form), and the
// negative cases made from them fail with their own codes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/encoding.h"
#include "engine/internal/envelope.h"
#include "engine/internal/sd_jwt.h"
#include "engine/jcs.h"
#include "engine/sha256.h"
#include "tests/testutil.h"

namespace credsweep::internal {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// A presentation as one line: the SD-JWT VC draft's examples are wrapped.
std::string Presentation(const fs::path& dir) {
  std::string s = Slurp(dir / "sd_jwt_presentation.txt");
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == ' '; }), s.end());
  return s;
}

std::string PayloadOf(std::string_view jws) {
  size_t a = jws.find('.'), b = jws.find('.', a + 1);
  return Base64UrlDecode(jws.substr(a + 1, b - a - 1)).value_or("");
}

std::string Canonical(std::string_view json) {
  auto c = JcsCanonicalize(json);
  return c.ok() ? *c : "not canonicalizable: " + c.status().message();
}

// The cases with a presentation and the contents a verifier must produce.
std::vector<fs::path> Cases() {
  std::vector<fs::path> out;
  for (const fs::path& root : {fs::path(testing::TestData("sd-jwt")), fs::path(testing::TestData("sd-jwt/sd-jwt-vc"))}) {
    for (const auto& e : fs::directory_iterator(root)) {
      if (fs::exists(e.path() / "sd_jwt_presentation.txt") && fs::exists(e.path() / "verified_contents.json") &&
          Slurp(e.path() / "sd_jwt_presentation.txt").find('~') != std::string::npos) {
        out.push_back(e.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SdJwtVectors, EveryPresentationGivesItsVerifiedContents) {
  auto cases = Cases();
  ASSERT_GE(cases.size(), 16u) << "the reference implementation's cases and the SD-JWT VC examples";
  for (const auto& dir : cases) {
    SCOPED_TRACE(dir.filename().string());
    const std::string presentation = Presentation(dir);
    auto parts = SplitSdJwt(presentation);
    ASSERT_TRUE(parts);
    DisclosedPayload out;
    Finding f = ProcessDisclosures(PayloadOf(parts->issuer_jws), parts->disclosures, 128, &out);
    ASSERT_TRUE(f.ok()) << f.code << ": " << f.message;
    EXPECT_EQ(out.disclosed, parts->disclosures.size());
    // verified_contents.json is the processed payload; the reference
    // implementation's output also drops _sd_alg.
    EXPECT_EQ(Canonical(out.json), Canonical(Slurp(dir / "verified_contents.json")));
  }
}

TEST(SdJwtSplit, TheKeyBindingJwtAndWhatItsHashCovers) {
  auto p = SplitSdJwt("aaa.bbb.ccc~d1~d2~kkk.lll.mmm");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->issuer_jws, "aaa.bbb.ccc");
  EXPECT_EQ(p->disclosures, (std::vector<std::string_view>{"d1", "d2"}));
  EXPECT_EQ(p->kb_jwt, "kkk.lll.mmm");
  EXPECT_EQ(p->sd_hash_input, "aaa.bbb.ccc~d1~d2~");
  auto q = SplitSdJwt("aaa.bbb.ccc~");
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->disclosures.empty());
  EXPECT_TRUE(q->kb_jwt.empty());
  EXPECT_FALSE(SplitSdJwt("aaa.bbb.ccc"));
}

// Negative cases made from a real vector: the issuer payload of `array_in_sd`... any
// case with several disclosures will do.
class SdJwtNegative : public ::testing::Test {
 protected:
  void SetUp() override {
    presentation_ = Presentation(fs::path(testing::TestData("sd-jwt/sd-jwt-vc/01")));
    auto parts = SplitSdJwt(presentation_);
    ASSERT_TRUE(parts);
    payload_ = PayloadOf(parts->issuer_jws);
    for (auto d : parts->disclosures) disclosures_.emplace_back(d);
    ASSERT_GE(disclosures_.size(), 2u);
  }
  Finding Process(const std::vector<std::string>& ds, const std::string& payload) {
    std::vector<std::string_view> views(ds.begin(), ds.end());
    DisclosedPayload out;
    return ProcessDisclosures(payload, views, 128, &out);
  }
  static std::string Disclose(const std::string& json) { return Base64UrlEncode(json); }
  static std::string Digest(const std::string& b64) { return Base64UrlEncode(Sha256(b64)); }

  std::string presentation_, payload_;
  std::vector<std::string> disclosures_;
};

TEST_F(SdJwtNegative, ATamperedDisclosureIsReferencedByNothing) {
  auto ds = disclosures_;
  std::string decoded = Base64UrlDecode(ds[0]).value();
  decoded.replace(decoded.find('"', 1) + 1, 1, "X");  // another salt
  ds[0] = Disclose(decoded);
  EXPECT_EQ(Process(ds, payload_).code, "sd_jwt_unreferenced_disclosure");
}

TEST_F(SdJwtNegative, AMissingDisclosureLeavesItsClaimOut) {
  auto ds = disclosures_;
  ds.pop_back();
  EXPECT_TRUE(Process(ds, payload_).ok()) << "an undisclosed claim is simply absent";
}

TEST_F(SdJwtNegative, ADuplicatedDisclosureIsRefused) {
  auto ds = disclosures_;
  ds.push_back(ds[0]);
  EXPECT_EQ(Process(ds, payload_).code, "sd_jwt_duplicate_digest");
}

TEST_F(SdJwtNegative, ADigestListedTwiceIsRefused) {
  const std::string d = Disclose(R"(["salt1","given_name","Ana"])");
  const std::string payload = R"({"iss":"https://i.example","_sd":[")" + Digest(d) + R"(",")" + Digest(d) + R"("]})";
  EXPECT_EQ(Process({d}, payload).code, "sd_jwt_duplicate_digest");
}

TEST_F(SdJwtNegative, ADisclosureMayNotReplaceAPlainClaimOrUseAReservedName) {
  const std::string over = Disclose(R"(["salt1","iss","https://forged.example"])");
  EXPECT_EQ(Process({over}, R"({"iss":"https://i.example","_sd":[")" + Digest(over) + R"("]})").code,
            "sd_jwt_claim_override");
  const std::string reserved = Disclose(R"(["salt2","_sd","x"])");
  EXPECT_EQ(Process({reserved}, R"({"_sd":[")" + Digest(reserved) + R"("]})").code, "sd_jwt_reserved_claim");
  const std::string dots = Disclose(R"(["salt3","...","x"])");
  EXPECT_EQ(Process({dots}, R"({"_sd":[")" + Digest(dots) + R"("]})").code, "sd_jwt_reserved_claim");
}

TEST_F(SdJwtNegative, DisclosuresInTheWrongFormOrShapeAreRefused) {
  const std::string element = Disclose(R"(["salt1","value"])");
  EXPECT_EQ(Process({element}, R"({"_sd":[")" + Digest(element) + R"("]})").code, "sd_jwt_invalid_disclosure");
  const std::string property = Disclose(R"(["salt1","name","value"])");
  EXPECT_EQ(Process({property}, R"({"a":[{"...":")" + Digest(property) + R"("}]})").code, "sd_jwt_invalid_disclosure");
  EXPECT_EQ(Process({Disclose(R"({"salt":"x"})")}, "{}").code, "sd_jwt_invalid_disclosure");
  EXPECT_EQ(Process({Disclose(R"([1,"name","v"])")}, "{}").code, "sd_jwt_invalid_disclosure");
  EXPECT_EQ(Process({"not base64url!"}, "{}").code, "sd_jwt_invalid_disclosure");
  EXPECT_EQ(Process({""}, "{}").code, "sd_jwt_invalid_disclosure");
  EXPECT_EQ(Process({Disclose("[\"s\",")}, "{}").code, "malformed_json");
}

TEST_F(SdJwtNegative, OnlySha256Digests) {
  EXPECT_EQ(Process({}, R"({"_sd_alg":"sha-512"})").code, "sd_jwt_unsupported_hash");
  EXPECT_TRUE(Process({}, R"({"_sd_alg":"sha-256"})").ok());
}

TEST_F(SdJwtNegative, DecoyDigestsAreDroppedAndArrayElementsDisclosed) {
  const std::string e = Disclose(R"(["s","DE"])");
  const std::string payload = R"({"nationalities":[{"...":")" + Digest(e) +
                              R"("},{"...":"decoydecoydecoydecoydecoydecoydecoydecoyAAA"},"FR"],"_sd":["decoy2"]})";
  std::vector<std::string_view> views{e};
  DisclosedPayload out;
  ASSERT_TRUE(ProcessDisclosures(payload, views, 128, &out).ok());
  EXPECT_EQ(out.json, R"({"nationalities":["DE","FR"]})");
}

TEST_F(SdJwtNegative, NestingThroughDisclosuresIsBoundedByTheDepthLimit) {
  // Each disclosure's value holds the digest of the next: depth grows with the chain.
  std::vector<std::string> ds;
  std::string inner = R"({"x":1})";
  for (int i = 0; i < 40; ++i) {
    std::string d = Disclose(R"(["s)" + std::to_string(i) + R"(","n",)" + inner + "]");
    ds.push_back(d);
    inner = R"({"_sd":[")" + Digest(d) + R"("]})";
  }
  std::vector<std::string_view> views(ds.begin(), ds.end());
  DisclosedPayload out;
  EXPECT_TRUE(ProcessDisclosures(inner, views, 128, &out).ok());
  EXPECT_EQ(ProcessDisclosures(inner, views, 16, &out).code, "too_deep");
}

}  // namespace
}  // namespace credsweep::internal

namespace credsweep::internal {
namespace {

// RFC 9901 §8: the JSON serialization stands for the compact form, over which the
// key binding JWT's sd_hash is computed; the reference implementation's case agrees.
TEST(SdJwtJson, TheFlattenedJsonStandsForItsCompactForm) {
  const std::string wrapped = Slurp(fs::path(testing::TestData("sd-jwt/json_serialization_flattened")) /
                                    "sd_jwt_presentation.json");
  simdjson::dom::parser outer;
  const std::string json(outer.parse(wrapped).get_string().value());
  Parsers& p = ThreadParsers(1 << 20, 128);
  Envelope env;
  OpenEnvelope(json, p, &env);
  ASSERT_EQ(env.kind, Envelope::Kind::kSdJwt);
  EXPECT_EQ(env.sd.disclosures, 3u);
  ASSERT_FALSE(env.sd.kb_jwt.empty());
  const std::string_view kb = env.sd.kb_jwt;
  const size_t a = kb.find('.'), b = kb.find('.', a + 1);
  const std::string kb_payload = Base64UrlDecode(kb.substr(a + 1, b - a - 1)).value();
  simdjson::dom::parser kp;
  std::string_view sd_hash = kp.parse(kb_payload)["sd_hash"].get_string().value();
  EXPECT_EQ(Base64UrlEncode(Sha256(env.sd.sd_hash_input)), sd_hash);
}

}  // namespace
}  // namespace credsweep::internal
