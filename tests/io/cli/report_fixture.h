// A folder of applicants for the report-format tests: two applicants, one
// credential handed in by both, one forged, and credential contents that try to
// inject markup and spreadsheet formulas.
//
//   applicants/ana/badge.jwt    urn:test:badge   title is a <script>, learner an <img onerror>
//   applicants/ana/degree.jwt   urn:test:degree  "Data stewardship, advanced", valid until 2030
//   applicants/bob/degree.jwt   the same JWS as ana's degree (duplicate_of ana's)
//   applicants/bob/forged.jwt   urn:test:forged  by https://j.example, signature altered
#ifndef CREDSWEEP_TESTS_IO_CLI_REPORT_FIXTURE_H_
#define CREDSWEEP_TESTS_IO_CLI_REPORT_FIXTURE_H_

#include <memory>
#include <string>

#include "engine/json_writer.h"
#include "engine/signer.h"
#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {

inline constexpr const char* kInjectedTitle = "<script>document.body.setAttribute('data-injected','1')</script>";
inline constexpr const char* kInjectedLearner = "Ana <img src=x onerror=\"document.body.setAttribute('data-injected','2')\">";
inline constexpr const char* kFormulaLearner = "=HYPERLINK(\"http://evil.example\",\"click\")";

class ReportTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    i_key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    j_key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("i.jwks.json", "{\"keys\":[" + i_key_->ToPublicJwkJson() + "]}");
    Write("j.jwks.json", "{\"keys\":[" + j_key_->ToPublicJwkJson() + "]}");
    Write("applicants/ana/badge.jwt",
          Sign(*i_key_, Credential("urn:test:badge", "https://i.example", kInjectedLearner, kInjectedTitle, "")) + "\n");
    std::string degree = Sign(*i_key_, Credential("urn:test:degree", "https://i.example", "Ana Andromeda",
                                                  "Data stewardship, advanced", "2030-01-01T00:00:00Z"));
    Write("applicants/ana/degree.jwt", degree + "\n");
    Write("applicants/bob/degree.jwt", degree + "\n");
    std::string forged = Sign(*j_key_, Credential("urn:test:forged", "https://j.example", kFormulaLearner,
                                                  "Forged \"diploma\"", ""));
    forged[forged.size() - 5] = forged[forged.size() - 5] == 'A' ? 'B' : 'A';
    Write("applicants/bob/forged.jwt", forged + "\n");
  }

  // `credsweep verify applicants` with both issuers' keys bound, at a fixed time.
  CliRun Verify(const std::string& extra) {
    return Credsweep("verify applicants --jwks https://i.example=i.jwks.json --jwks https://j.example=j.jwks.json "
                     "--at 2026-06-01T00:00:00Z -q " + extra);
  }

  static std::string Credential(const std::string& id, const std::string& issuer, const std::string& learner,
                                const std::string& title, const std::string& valid_until) {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Key("@context").BeginArray().String("https://www.w3.org/ns/credentials/v2").EndArray();
    w.Key("type").BeginArray().String("VerifiableCredential").String("OpenBadgeCredential").EndArray();
    w.Member("id", id).Key("issuer").BeginObject().Member("id", issuer);
    w.Member("name", issuer == "https://i.example" ? "Universiteit Gent" : "Hogeschool J").EndObject();
    w.Member("validFrom", "2025-01-01T00:00:00Z");
    if (!valid_until.empty()) w.Member("validUntil", valid_until);
    w.Key("credentialSubject").BeginObject().Member("name", learner).Key("achievement").BeginObject();
    w.Member("id", "urn:test:achievement").Key("type").BeginArray().String("Achievement").EndArray();
    w.Member("name", title).EndObject().EndObject().EndObject();
    return out;
  }

  static std::string Sign(const PrivateKey& key, const std::string& payload) {
    return SignCompact(key, R"({"alg":"ES256","kid":")" + key.kid() + "\"}", payload).value();
  }

  std::unique_ptr<PrivateKey> i_key_, j_key_;
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_CLI_REPORT_FIXTURE_H_
