// Only `init` (or --create on import and register) makes a status index: every
// other command given a directory that holds none exits 2 naming it and leaves
// nothing behind, so a mistyped --db is never taken for a new, empty index.
// `sample` still writes a ready index. Through the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

namespace fs = std::filesystem;

class InitCommand : public CliTest {
 protected:
  // `credsweep ARGS` under a 20 s timeout: a serve that wrongly starts still ends.
  CliRun Bounded(const std::string& args) {
    std::string cmd = "cd " + root_ + " && timeout 20 " + std::string(CREDSWEEP_BINARY) + " " + args +
                      " </dev/null >" + root_ + "/.out 2>" + root_ + "/.err";
    int rc = std::system(cmd.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ReadFile(root_ + "/.out"), ReadFile(root_ + "/.err")};
  }
};

TEST_F(InitCommand, InitCreatesAnEmptyIndexOnceAndLeavesAnExistingOneAlone) {
  CliRun r = Credsweep("init --db db");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "db: new empty status index\n");
  CliRun st = Credsweep("status urn:a --db db");
  EXPECT_EQ(st.code, 0) << st.err;
  EXPECT_EQ(st.out, "urn:a unknown\n");
  ASSERT_EQ(Credsweep("revoke urn:a --reason x --register --db db").code, 0);
  CliRun again = Credsweep("init --db db");
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, "db: already a status index (1 events); nothing changed\n");
  EXPECT_TRUE(Credsweep("status urn:a --db db").out.starts_with("urn:a revoked"));
  // An empty directory may become one; a directory of other files may not.
  fs::create_directories(Path("empty"));
  EXPECT_EQ(Credsweep("init --db empty").code, 0);
  Write("notes/todo.txt", "x");
  CliRun foreign = Credsweep("init --db notes");
  EXPECT_EQ(foreign.code, 2);
  EXPECT_TRUE(Contains(foreign.err, "notes is not a credsweep status index")) << foreign.err;
}

TEST_F(InitCommand, EveryCommandGivenAMistypedDbExitsTwoNamingItAndCreatesNothing) {
  ASSERT_EQ(Credsweep("init --db db").code, 0);
  ASSERT_EQ(Credsweep("keygen --out issuer.jwk").code, 0);
  std::unique_ptr<PrivateKey> key = PrivateKey::Generate(JwsAlg::kES256).value();
  Write("creds.jsonl", SignedCredential(*key, "urn:c:1") + "\n");
  Write("states.csv", "urn:c:1,revoked,x\n");
  const std::string resp = " --resp 127.0.0.1:" + std::to_string(FreeLoopbackPort());
  for (const std::string& args : std::vector<std::string>{
           "register creds.jsonl --db dbb", "import states.csv --db dbb", "revoke urn:c:1 --reason x --db dbb",
           "revoke urn:c:1 --reason x --register --db dbb", "suspend urn:c:1 --reason x --db dbb",
           "reinstate urn:c:1 --reason x --db dbb",
           "lists publish --db dbb --key issuer.jwk --issuer https://i.example --base-url https://i.example/s "
           "--out lists",
           "compact --db dbb", "serve --db dbb" + resp, "verify creds.jsonl --db dbb", "status urn:c:1 --db dbb",
           "history urn:c:1 --db dbb", "audit --db dbb"}) {
    CliRun r = Bounded(args);
    EXPECT_EQ(r.code, 2) << args << ": " << r.err;
    EXPECT_TRUE(Contains(r.err, "no status index at dbb (is the path right? `credsweep init --db dbb` creates"))
        << args << ": " << r.err;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_FALSE(fs::exists(Path("dbb"))) << args;
  }
}

TEST_F(InitCommand, CreateOnImportAndRegisterMakesTheIndexWhenMissing) {
  Write("states.csv", "urn:a,revoked,x\n");
  CliRun imported = Credsweep("import states.csv --db db --create");
  EXPECT_EQ(imported.code, 0) << imported.err;
  EXPECT_TRUE(Credsweep("status urn:a --db db").out.starts_with("urn:a revoked"));
  std::unique_ptr<PrivateKey> key = PrivateKey::Generate(JwsAlg::kES256).value();
  Write("creds.jsonl", SignedCredential(*key, "urn:c:1") + "\n");
  CliRun registered = Credsweep("register creds.jsonl --db db2 --create");
  EXPECT_EQ(registered.code, 0) << registered.err;
  EXPECT_TRUE(Credsweep("status urn:c:1 --db db2").out.starts_with("urn:c:1 active"));
  // --create opens an existing index as it is.
  CliRun again = Credsweep("import states.csv --db db2 --create");
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(Credsweep("status urn:c:1 --db db2").out.starts_with("urn:c:1 active"));
}

// The README's first command: `sample` writes an index that verify, status and
// the writing commands use as it is.
TEST_F(InitCommand, SampleWritesAReadyIndex) {
  CliRun s = Credsweep("sample --count 20 --seed 7 --out corpus");
  ASSERT_EQ(s.code, 0) << s.err;
  std::string manifest = ReadFile(Path("corpus/manifest.jsonl"));
  size_t at = manifest.find("urn:uuid:");
  ASSERT_NE(at, std::string::npos) << manifest.substr(0, 400);
  std::string id = manifest.substr(at, manifest.find('"', at) - at);
  CliRun st = Credsweep("status " + id + " --db corpus/index");
  EXPECT_EQ(st.code, 0) << st.err;
  EXPECT_FALSE(Contains(st.out, "unknown")) << st.out;
  CliRun revoke = Credsweep("revoke " + id + " --reason x --db corpus/index");  // known: no --register needed
  EXPECT_EQ(revoke.code, 0) << revoke.err;
}

}  // namespace
}  // namespace credsweep::testing
