// A compact JWS's protected header is read once per text and thread
// (internal::Parsers keeps the last sixteen short ones): a record's header is its
// own whatever was read before it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/encoding.h"
#include "engine/internal/envelope.h"
#include "engine/signer.h"

namespace credsweep::internal {
namespace {

struct Signed {
  std::string jws, kid, typ;
};

// `n` records, each with a header of its own kid and typ.
std::vector<Signed> Records(int n) {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  std::vector<Signed> out;
  for (int i = 0; i < n; ++i) {
    Signed s{"", "key-" + std::to_string(i), i % 2 ? "vc+jwt" : "JWT"};
    s.jws = SignCompact(*key, R"({"alg":"EdDSA","kid":")" + s.kid + R"(","typ":")" + s.typ + "\"}",
                        R"({"n":)" + std::to_string(i) + "}")
                .value();
    out.push_back(std::move(s));
  }
  return out;
}

void ExpectReads(const Signed& s, const std::string& where) {
  Parsers& p = ThreadParsers(1 << 20, 64);
  Envelope env;
  OpenEnvelope(s.jws, p, &env);
  ASSERT_TRUE(env.problem.ok()) << where << ": " << env.problem.message;
  ASSERT_EQ(env.signatures.size(), 1u) << where;
  EXPECT_EQ(env.signatures[0].header.kid, s.kid) << where;
  EXPECT_EQ(env.signatures[0].header.typ, s.typ) << where;
  EXPECT_EQ(env.signatures[0].header.alg_name, "EdDSA") << where;
}

TEST(KeptHeaders, EveryRecordReadsItsOwnHeaderInAnyOrder) {
  const std::vector<Signed> records = Records(20);  // more than are kept
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < records.size(); ++i) ExpectReads(records[i], "in turn " + std::to_string(i));
    for (size_t i = records.size(); i-- > 0;) ExpectReads(records[i], "backwards " + std::to_string(i));
    for (size_t i = 0; i < records.size(); i += 3) ExpectReads(records[i], "every third " + std::to_string(i));
  }
}

TEST(KeptHeaders, AHeaderThatDiffersInOneCharacterIsReadAfresh) {
  const std::vector<Signed> records = Records(1);
  ExpectReads(records[0], "first");
  ExpectReads(records[0], "kept");
  // The same header with one character changed: other bytes, another reading (here
  // not base64url at all, then a different kid).
  const std::string jws = records[0].jws;
  const size_t dot = jws.find('.');
  std::string broken = jws;
  broken[dot - 2] = '*';
  Parsers& p = ThreadParsers(1 << 20, 64);
  Envelope env;
  OpenEnvelope(broken, p, &env);
  EXPECT_EQ(env.problem.code, "bad_base64url");
  std::string header = *Base64UrlDecode(jws.substr(0, dot));
  header.replace(header.find("key-0"), 5, "key-9");
  Envelope other;
  OpenEnvelope(Base64UrlEncode(header) + jws.substr(dot), p, &other);
  ASSERT_EQ(other.signatures.size(), 1u);
  EXPECT_EQ(other.signatures[0].header.kid, "key-9");
  ExpectReads(records[0], "kept still");
}

// A header kept under one depth limit is read again under another: one nested
// deeper than the limit is refused there, though it was read well before.
TEST(KeptHeaders, AnotherDepthLimitReadsHeadersAgain) {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  const std::string jws =
      SignCompact(*key, R"({"alg":"EdDSA","kid":"deep","typ":"JWT","x":{"y":{"z":[1]}}})", R"({"n":1})").value();
  Envelope wide;
  OpenEnvelope(jws, ThreadParsers(1 << 20, 64), &wide);
  ASSERT_TRUE(wide.problem.ok()) << wide.problem.message;
  Envelope narrow;
  OpenEnvelope(jws, ThreadParsers(1 << 20, 3), &narrow);
  EXPECT_FALSE(narrow.problem.ok()) << "a header four levels deep read under a limit of three";
  Envelope again;
  OpenEnvelope(jws, ThreadParsers(1 << 20, 64), &again);
  EXPECT_TRUE(again.problem.ok()) << again.problem.message;
}

}  // namespace
}  // namespace credsweep::internal
