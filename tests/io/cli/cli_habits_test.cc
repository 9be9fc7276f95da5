// The command line's manners, through the real binary: help and --version,
// suggestions for unknown commands and options, an option value that looks like
// an option, keygen that never overwrites, case-insensitive algorithm names, a
// private JWK given as --jwks, and -j above the core count.
#include <gtest/gtest.h>

#include <thread>

#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

class CliHabits : public CliTest {
 protected:
  // A credential sealed by a fresh ES256 key; the private JWK in private.jwk and
  // the public JWK Set in public.jwks.json.
  std::string SealedCredentialFile() {
    auto key = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("private.jwk", key->ToPrivateJwkJson());
    Write("public.jwks.json", "{\"keys\":[" + key->ToPublicJwkJson() + "]}");
    return Write("cred.jwt", SignedCredential(*key, "urn:test:1") + "\n");
  }
};

TEST_F(CliHabits, HelpListsTheCommandsOnStdout) {
  CliRun r = Credsweep("help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "verify")) << r.out;
  EXPECT_TRUE(Contains(r.out, "keygen")) << r.out;
  EXPECT_TRUE(Contains(r.out, "lists")) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(CliHabits, HelpWithACommandShowsThatCommandsOptions) {
  CliRun r = Credsweep("help verify");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "credsweep verify")) << r.out;
  EXPECT_TRUE(Contains(r.out, "--jwks")) << r.out;
  EXPECT_FALSE(Contains(r.out, "--base-url")) << r.out;
  CliRun nested = Credsweep("help lists publish");
  EXPECT_EQ(nested.code, 0) << nested.err;
  EXPECT_TRUE(Contains(nested.out, "credsweep lists publish")) << nested.out;
  EXPECT_TRUE(Contains(nested.out, "--base-url")) << nested.out;
}

TEST_F(CliHabits, HelpForAnUnknownCommandSuggestsTheNearest) {
  CliRun r = Credsweep("help verfy");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "unknown command 'verfy'; did you mean 'verify'?")) << r.err;
}

TEST_F(CliHabits, VersionPrintsTheVersionOnStdout) {
  CliRun r = Credsweep("--version");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("credsweep 0.")) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(CliHabits, AnUnknownCommandSuggestsTheNearest) {
  CliRun r = Credsweep("verfy x.jsonl");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "unknown command 'verfy'; did you mean 'verify'?")) << r.err;
  CliRun sub = Credsweep("lists pubish --db d");
  EXPECT_EQ(sub.code, 2);
  EXPECT_TRUE(Contains(sub.err, "did you mean 'publish'?")) << sub.err;
}

TEST_F(CliHabits, AnUnknownOptionSuggestsTheNearest) {
  std::string cred = SealedCredentialFile();
  CliRun r = Credsweep("verify " + cred + " --jwk public.jwks.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "unknown option '--jwk' for 'credsweep verify'; did you mean '--jwks'?")) << r.err;
  CliRun far = Credsweep("verify " + cred + " --zzzzzzzz");
  EXPECT_EQ(far.code, 2);
  EXPECT_TRUE(Contains(far.err, "unknown option '--zzzzzzzz'")) << far.err;
  EXPECT_FALSE(Contains(far.err, "did you mean")) << far.err;
}

TEST_F(CliHabits, AnOptionValueThatLooksLikeAnOptionIsRefused) {
  std::string cred = SealedCredentialFile();
  CliRun r = Credsweep("verify " + cred + " -o -q");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "option '-o' needs a value, and '-q' looks like an option")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(Path("-q")));  // no file named after the option
  // Said on purpose, it is a value; "-" stays stdout.
  CliRun dash = Credsweep("verify " + cred + " --jwks https://i.example=public.jwks.json -o - -q --at 2026-11-29T00:00:00Z");
  EXPECT_EQ(dash.code, 0) << dash.err;
  EXPECT_TRUE(Contains(dash.out, "\"verified\":true")) << dash.out;
}

TEST_F(CliHabits, KeygenNeverOverwritesWithoutForce) {
  CliRun first = Credsweep("keygen --out k.jwk");
  ASSERT_EQ(first.code, 0) << first.err;
  std::string key = ReadFile(Path("k.jwk"));
  std::string jwks = ReadFile(Path("k.jwks.json"));
  CliRun again = Credsweep("keygen --out k.jwk");
  EXPECT_EQ(again.code, 2);
  EXPECT_TRUE(Contains(again.err, "already exists")) << again.err;
  EXPECT_TRUE(Contains(again.err, "--force")) << again.err;
  EXPECT_EQ(ReadFile(Path("k.jwk")), key);
  EXPECT_EQ(ReadFile(Path("k.jwks.json")), jwks);
  // Only the public file exists: still refused, and the private file is not written.
  std::filesystem::remove(Path("k.jwk"));
  CliRun half = Credsweep("keygen --out k.jwk");
  EXPECT_EQ(half.code, 2);
  EXPECT_TRUE(Contains(half.err, "k.jwks.json already exists")) << half.err;
  EXPECT_FALSE(std::filesystem::exists(Path("k.jwk")));
  CliRun forced = Credsweep("keygen --out k.jwk --force");
  EXPECT_EQ(forced.code, 0) << forced.err;
  EXPECT_NE(ReadFile(Path("k.jwks.json")), jwks);
}

TEST_F(CliHabits, AlgorithmNamesAreCaseInsensitive) {
  CliRun ec = Credsweep("keygen --alg es256 --out ec.jwk");
  ASSERT_EQ(ec.code, 0) << ec.err;
  EXPECT_TRUE(Contains(ReadFile(Path("ec.jwks.json")), "\"crv\":\"P-256\"")) << ReadFile(Path("ec.jwks.json"));
  CliRun ed = Credsweep("keygen --alg eddsa --out ed.jwk");
  ASSERT_EQ(ed.code, 0) << ed.err;
  EXPECT_TRUE(Contains(ReadFile(Path("ed.jwks.json")), "\"crv\":\"Ed25519\""));
  CliRun bad = Credsweep("keygen --alg hs256 --out h.jwk");
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(Contains(bad.err, "unsupported algorithm 'hs256'")) << bad.err;
}

TEST_F(CliHabits, APrivateJwkAsJwksIsUsedForItsPublicPartWithAWarning) {
  std::string cred = SealedCredentialFile();
  CliRun r = Credsweep("verify " + cred + " --jwks https://i.example=private.jwk --at 2026-11-29T00:00:00Z -q");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "\"verified\":true")) << r.out;
  EXPECT_TRUE(Contains(r.err, "warning: private.jwk: key '" )) << r.err;
  EXPECT_TRUE(Contains(r.err, "is a private JWK; only its public part is used")) << r.err;
  CliRun pub = Credsweep("verify " + cred + " --jwks https://i.example=public.jwks.json --at 2026-11-29T00:00:00Z -q");
  EXPECT_EQ(pub.code, 0) << pub.err;
  EXPECT_EQ(pub.err, "");  // no warning for a public key set
}

TEST_F(CliHabits, ThreadsAboveTheCoreCountAreCappedWithOneLine) {
  std::string cred = SealedCredentialFile();
  CliRun r = Credsweep("verify " + cred + " --jwks https://i.example=public.jwks.json --at 2026-11-29T00:00:00Z -q -j 4096");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "\"verified\":true")) << r.out;
  EXPECT_TRUE(Contains(r.err, "warning: -j 4096: this machine has ")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one clear line, nothing else
}

// --jwks ISSUER=FILE from the command line: the same key seals for its issuer only.
TEST_F(CliHabits, JwksBoundToAnIssuerRefusesOtherIssuers) {
  std::string cred = SealedCredentialFile();  // issued by https://i.example
  CliRun own = Credsweep("verify " + cred + " --jwks https://i.example=public.jwks.json -q");
  EXPECT_EQ(own.code, 0) << own.out << own.err;
  EXPECT_TRUE(Contains(own.out, "key bound to issuer 'https://i.example'")) << own.out;
  CliRun other = Credsweep("verify " + cred + " --jwks https://other.example=public.jwks.json -q");
  EXPECT_EQ(other.code, 1) << other.err;
  EXPECT_TRUE(Contains(other.out, "\"key_not_authorized_for_issuer\"")) << other.out;
}

}  // namespace
}  // namespace credsweep::testing
