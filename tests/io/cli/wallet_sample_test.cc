// `credsweep sample --wallet`: SD-JWT VCs as a wallet presents them (ten disclosures,
// the holder's key binding) and vp+jwt presentations of 5 credentials, with the
// sample's defects; each verifies, line by line, as the manifest the sample writes
// beside them says.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>

#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

class WalletSample : public CliTest {};

TEST_F(WalletSample, EveryPresentationVerifiesAsTheManifestSays) {
  constexpr const char* kAt = "2026-06-01T00:00:00Z";
  CliRun s = Credsweep(std::string("sample --wallet --count 150 --seed 9 --at ") + kAt + " --out w");
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_TRUE(Contains(s.err, "--audience https://verifier.alliance.example --nonce sample-nonce-7f3a")) << s.err;
  CliRun v = Credsweep(std::string("verify w/credentials --jwks w/keys/jwks.json --trust w/trust-registry.json ") +
                       "--db w/index --status-lists w/status-lists --audience https://verifier.alliance.example "
                       "--nonce sample-nonce-7f3a --at " +
                       kAt + " -q -o out.jsonl");
  EXPECT_EQ(v.code, 1) << v.err;  // the sample holds defects on purpose
  auto manifest = Lines(Path("w/manifest.jsonl"));
  auto results = Lines(Path("out.jsonl"));
  ASSERT_GT(manifest.size(), 150u);  // presentations have a line per credential too
  ASSERT_EQ(results.size(), manifest.size());
  simdjson::dom::parser pm, pr;
  size_t verified = 0, presentations = 0, enclosed = 0;
  for (size_t i = 0; i < manifest.size(); ++i) {
    simdjson::dom::element m = pm.parse(manifest[i]);
    simdjson::dom::element r = pr.parse(results[i]);
    EXPECT_EQ("w/" + std::string(m["source"].get_string().value()), r["source"].get_string().value());
    EXPECT_EQ(r["verified"].get_bool().value(), m["verified"].get_bool().value()) << results[i];
    for (const char* check : {"format", "seal", "revocation", "accreditation", "validity"}) {
      EXPECT_EQ(r["checks"][check]["result"].get_string().value(), m[check].get_string().value())
          << check << " " << results[i];
    }
    std::string_view message = r["checks"]["format"]["message"].get_string().value();
    if (r["kind"].get_string().value() == "presentation") {
      ++presentations;
      EXPECT_EQ(message, "VC 2.0 presentation (vp+jwt), 5 credentials") << results[i];
      EXPECT_EQ(r["credentials"]["count"].get_uint64().value(), 5u);
    } else if (Contains(std::string(r["source"].get_string().value()), "#")) {
      ++enclosed;
      EXPECT_EQ(message, "VC 2.0 credential (vc+jwt)") << results[i];
    } else {
      EXPECT_EQ(message, "SD-JWT VC (dc+sd-jwt), 10 disclosures, with a key binding JWT") << results[i];
      verified += r["verified"].get_bool().value();
    }
  }
  EXPECT_GT(verified, 50u);
  EXPECT_GT(presentations, 50u);
  EXPECT_EQ(enclosed, 5 * presentations);
  // The summary counts presentations apart from the credentials (theirs included).
  CliRun summary = Credsweep(std::string("verify w/credentials --jwks w/keys/jwks.json --trust w/trust-registry.json ") +
                             "--db w/index --status-lists w/status-lists --audience https://verifier.alliance.example "
                             "--nonce sample-nonce-7f3a --at " + kAt + " -o /dev/null --summary s.json");
  EXPECT_EQ(summary.code, 1);
  simdjson::dom::parser ps;
  simdjson::dom::element sj = ps.parse(ReadFile(Path("s.json")));
  EXPECT_EQ(sj["presentations"]["count"].get_uint64().value(), presentations);
  EXPECT_EQ(sj["records"].get_uint64().value(), manifest.size() - presentations);
  EXPECT_TRUE(Contains(summary.err, std::to_string(presentations) + " presentations (their credentials counted above): "))
      << summary.err;
  EXPECT_EQ(Credsweep("verify w/credentials --holder-binding maybe").code, 2);
  // The same presentations an hour later: the holder's signatures are too old.
  CliRun late = Credsweep(std::string("verify w/credentials --jwks w/keys/jwks.json --trust w/trust-registry.json ") +
                          "--audience https://verifier.alliance.example --at 2026-06-01T01:00:00Z -q -o late.jsonl");
  EXPECT_EQ(late.code, 1);
  EXPECT_FALSE(Contains(ReadFile(Path("late.jsonl")), "\"verified\":true"));
  EXPECT_TRUE(Contains(ReadFile(Path("late.jsonl")), "\"code\":\"kb_not_fresh\""));
  EXPECT_TRUE(Contains(ReadFile(Path("late.jsonl")), "\"code\":\"presentation_not_fresh\""));
}

}  // namespace
}  // namespace credsweep::testing
