// A JSON record with simdjson's padding past its end (the spare capacity of the
// string a reader filled) is parsed where it lies (OpenEnvelope of a string), and
// every payload is left with that padding for the format check's parse: the
// envelope reads the same as from a record that had to be copied first.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/encoding.h"
#include "engine/internal/envelope.h"
#include "tests/testutil.h"

namespace credsweep::internal {
namespace {

std::string Payload() {
  return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],)"
         R"("issuer":"https://uni.example","credentialSubject":{"id":"did:example:s"}})";
}

std::string QuotedJson(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// Records of every kind that opens with a parse or a payload copy: JWS JSON
// (flattened and general, base64url and unencoded payloads), a JSON document, a
// compact JWS, a compact JWS as a JSON string, and EU DSS's real JAdES files.
std::vector<std::pair<std::string, std::string>> Records() {
  const std::string header = Base64UrlEncode(R"({"alg":"ES256","kid":"k"})");
  const std::string unencoded = Base64UrlEncode(R"({"alg":"RS256","b64":false,"crit":["b64"]})");
  const std::string sig = Base64UrlEncode("signature");
  const std::string payload64 = Base64UrlEncode(Payload());
  const std::string compact = header + "." + payload64 + "." + sig;
  std::vector<std::pair<std::string, std::string>> out = {
      {"flattened", R"({"payload":")" + payload64 + R"(","protected":")" + header + R"(","signature":")" + sig + "\"}"},
      {"general", R"({"payload":")" + payload64 + R"(","signatures":[{"protected":")" + header + R"(","signature":")" +
                      sig + R"("},{"protected":")" + header + R"(","signature":")" + sig + "\"}]}"},
      {"unencoded", R"({"payload":)" + QuotedJson(Payload()) + R"(,"protected":")" + unencoded + R"(","signature":")" +
                        sig + "\"}"},
      {"document", Payload().substr(0, Payload().size() - 1) + R"(,"proof":{"type":"DataIntegrityProof"}})"},
      {"compact", compact},
      {"compact as a JSON string", "\"" + compact + "\""},
      {"not JSON", R"({"payload": )"},
  };
  for (const auto& entry : std::filesystem::directory_iterator(testing::TestData("jades-dss/validation"))) {
    if (entry.path().extension() != ".json") continue;
    out.emplace_back(entry.path().filename().string(), testing::ReadTestData("jades-dss/validation/" +
                                                                            entry.path().filename().string()));
  }
  return out;
}

struct Opened {
  Envelope env;
  std::string record;  // what env's views point into
};

void Open(const std::string& text, size_t spare_wanted, Opened* out) {
  out->record.reserve(text.size() + spare_wanted);
  out->record.assign(text);
  if (spare_wanted == 0) out->record.shrink_to_fit();
  Parsers& p = ThreadParsers(1 << 22, 64);
  OpenEnvelope(out->record, p, &out->env);
}

void ExpectSame(const Envelope& a, const Envelope& b, const std::string& where) {
  EXPECT_EQ(a.kind, b.kind) << where;
  EXPECT_EQ(a.problem.code, b.problem.code) << where;
  EXPECT_EQ(a.problem.message, b.problem.message) << where;
  EXPECT_EQ(a.payload, b.payload) << where;
  EXPECT_EQ(a.sealable, b.sealable) << where;
  EXPECT_EQ(a.has_proof, b.has_proof) << where;
  ASSERT_EQ(a.signatures.size(), b.signatures.size()) << where;
  for (size_t i = 0; i < a.signatures.size(); ++i) {
    EXPECT_EQ(a.signatures[i].signing_input, b.signatures[i].signing_input) << where << " signature " << i;
    EXPECT_EQ(a.signatures[i].signature, b.signatures[i].signature) << where << " signature " << i;
    EXPECT_EQ(a.signatures[i].header.alg_name, b.signatures[i].header.alg_name) << where << " signature " << i;
  }
}

TEST(EnvelopePadding, RecordsReadTheSameParsedInPlaceOrCopied) {
  int dss_opened = 0;
  for (const auto& [name, text] : Records()) {
    const bool dss = name.ends_with(".json");  // some of EU DSS's files are refused on purpose
    for (const std::string& record : {text, "  " + text + " \r\n\t"}) {
      Opened copied, in_place;
      Open(record, 0, &copied);
      Open(record, 4096, &in_place);
      ASSERT_GE(in_place.record.capacity() - in_place.record.size(), simdjson::SIMDJSON_PADDING) << name;
      ExpectSame(copied.env, in_place.env, name);
      if (!dss && name != "not JSON") {
        EXPECT_TRUE(copied.env.problem.ok()) << name << ": " << copied.env.problem.message;
      }
      dss_opened += dss && copied.env.problem.ok() && !copied.env.payload.empty();
    }
  }
  EXPECT_GE(dss_opened, 10);  // the real files are compared opened, not only refused
}

TEST(EnvelopePadding, EveryPayloadKeepsRoomForAParseInPlace) {
  for (const auto& [name, text] : Records()) {
    Opened opened;
    Open(text, 0, &opened);
    if (!opened.env.problem.ok() || opened.env.payload.empty()) continue;
    EXPECT_GE(opened.env.payload.capacity() - opened.env.payload.size(), simdjson::SIMDJSON_PADDING) << name;
  }
}

}  // namespace
}  // namespace credsweep::internal
