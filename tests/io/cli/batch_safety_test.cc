// What a batch run (`verify`) promises about its inputs and outputs, through the
// real binary: an output never destroys an input, outputs are not read back from
// input folders, skipped files are listed, outputs appear only when the run ends
// well, stop signals end the run cleanly, a cut-off .gz is an io_error, zero
// records is a usage error, and log lines carry their time (text or JSON).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

namespace fs = std::filesystem;

class BatchSafety : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value();
    Write("keys.json", "{\"keys\":[" + key_->ToPublicJwkJson() + "]}");
  }
  std::string Credential(const std::string& id) { return SignedCredential(*key_, id) + "\n"; }
  std::string Verify(const std::string& inputs, const std::string& extra = "") {
    return "verify " + inputs + " --jwks https://i.example=keys.json --at 2026-06-01T00:00:00Z -q " + extra;
  }
  static size_t Lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

  std::unique_ptr<PrivateKey> key_;
};

TEST_F(BatchSafety, AnOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten) {
  const std::string input = Credential("urn:test:1");
  Write("in.jsonl", input);
  fs::create_directories(Path("sub"));
  for (std::string flags : {"-o in.jsonl", "-o ./sub/../in.jsonl", "--summary in.jsonl", "-o a.jsonl --summary a.jsonl"}) {
    CliRun r = Credsweep(Verify("in.jsonl", flags));
    EXPECT_EQ(r.code, 2) << flags;
    EXPECT_EQ(ReadFile(Path("in.jsonl")), input) << flags;
    EXPECT_FALSE(fs::exists(Path("a.jsonl")));
  }
  CliRun r = Credsweep(Verify("in.jsonl", "-o in.jsonl"));
  EXPECT_TRUE(Contains(r.err, "--out in.jsonl is also an input")) << r.err;
  EXPECT_TRUE(Contains(Credsweep(Verify("in.jsonl", "-o a.jsonl --summary a.jsonl")).err,
                       "--summary and --out name the same file a.jsonl"));
}

TEST_F(BatchSafety, AnOutputOnACredentialFileInsideAnInputFolderIsRefused) {
  const std::string input = Credential("urn:test:1");
  Write("creds/a.jwt", input);
  CliRun r = Credsweep(Verify("creds", "-o creds/a.jwt"));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "is a credential file inside the input folder creds")) << r.err;
  EXPECT_EQ(ReadFile(Path("creds/a.jwt")), input);
}

TEST_F(BatchSafety, OutputsInsideAnInputFolderAreNotReadBackAndSkippedFilesAreListed) {
  Write("creds/a.jwt", Credential("urn:test:a"));
  Write("creds/cv.pdf", "%PDF-1.7");
  const std::string run = Verify("creds", "-o creds/results.jsonl --summary creds/summary.json");
  ASSERT_EQ(Credsweep(run).code, 0);
  // Again: this run's own outputs, and the last run's, are in the folder now.
  CliRun again = Credsweep(run);
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(Lines(ReadFile(Path("creds/results.jsonl"))), 1u);
  std::string summary = ReadFile(Path("creds/summary.json"));
  EXPECT_TRUE(Contains(summary, R"("records":1,)")) << summary;
  EXPECT_TRUE(Contains(summary, R"x({"path":"creds/cv.pdf","reason":"not a credential file (.pdf)"})x")) << summary;
  EXPECT_TRUE(Contains(summary, R"({"path":"creds/results.jsonl","reason":"an output of this run"})")) << summary;
  EXPECT_TRUE(Contains(summary, R"({"path":"creds/summary.json","reason":"an output of this run"})")) << summary;
  EXPECT_TRUE(Contains(summary, R"("interrupted":null)")) << summary;

  // A run writing elsewhere recognises the earlier outputs by their contents.
  Write("creds/older/checks.jsonl", "");
  ASSERT_EQ(Credsweep(Verify("creds", "--format elm -o creds/older/checks.jsonl")).code, 0);
  CliRun other = Credsweep(Verify("creds", "-o out.jsonl --summary s.json"));
  EXPECT_EQ(other.code, 0) << other.err;
  EXPECT_EQ(Lines(ReadFile(Path("out.jsonl"))), 1u);
  summary = ReadFile(Path("s.json"));
  EXPECT_TRUE(Contains(summary, R"x({"path":"creds/results.jsonl","reason":"credsweep results (jsonl)"})x")) << summary;
  EXPECT_TRUE(Contains(summary, R"({"path":"creds/summary.json","reason":"a credsweep summary"})")) << summary;
  EXPECT_TRUE(Contains(summary, R"x({"path":"creds/older/checks.jsonl","reason":"credsweep results (elm)"})x"))
      << summary;

  // The text summary counts them by reason.
  CliRun text = Credsweep("verify creds --jwks https://i.example=keys.json --at 2026-06-01T00:00:00Z -o out.jsonl");
  EXPECT_TRUE(Contains(text.err, "skipped 4 file(s) in input folders: 1 a credsweep summary; 1 credsweep results (elm); "
                                 "1 credsweep results (jsonl); 1 not a credential file (.pdf)\n"))
      << text.err;
}

TEST_F(BatchSafety, ExcludeSkipsFilesAndFoldersByGlob) {
  Write("creds/a.jwt", Credential("urn:test:a"));
  Write("creds/a.bak.jwt", Credential("urn:test:old"));
  Write("creds/archive/b.jwt", Credential("urn:test:b"));
  Write("creds/x/archive.jwt", Credential("urn:test:c"));
  CliRun r = Credsweep(Verify("creds", "--exclude '*.bak.jwt' --exclude archive/ --exclude 'x/*' -o out.jsonl "
                                       "--summary s.json"));
  EXPECT_EQ(r.code, 0) << r.err;
  std::string out = ReadFile(Path("out.jsonl"));
  EXPECT_EQ(Lines(out), 1u) << out;
  EXPECT_TRUE(Contains(out, "urn:test:a\"")) << out;
  std::string summary = ReadFile(Path("s.json"));
  EXPECT_TRUE(Contains(summary, R"({"path":"creds/a.bak.jwt","reason":"excluded by --exclude '*.bak.jwt'"})"))
      << summary;
  EXPECT_TRUE(Contains(summary, R"({"path":"creds/x/archive.jwt","reason":"excluded by --exclude 'x/*'"})"))
      << summary;
  EXPECT_TRUE(Contains(summary, R"({"path":"creds/archive/","reason":"excluded by --exclude 'archive/'"})"))
      << summary;
  // A named file is read whatever the globs say.
  EXPECT_EQ(Credsweep(Verify("creds/a.bak.jwt", "--exclude '*.bak.jwt' -o out.jsonl")).code, 0);
  EXPECT_TRUE(Contains(ReadFile(Path("out.jsonl")), "urn:test:old"));
}

TEST_F(BatchSafety, OutputsAreCheckedFirstAndAppearOnlyWhenTheRunEndsWell) {
  Write("in.jsonl", Credential("urn:test:1"));
  Write("out.jsonl", "yesterday's results\n");
  CliRun bad_summary = Credsweep(Verify("in.jsonl", "-o out.jsonl --summary missing-dir/s.json"));
  EXPECT_EQ(bad_summary.code, 2);
  EXPECT_TRUE(Contains(bad_summary.err, "--summary: cannot write missing-dir/s.json")) << bad_summary.err;
  EXPECT_EQ(ReadFile(Path("out.jsonl")), "yesterday's results\n");
  // A run that finds nothing leaves the previous results alone too.
  Write("empty/notes.txt", "");
  CliRun none = Credsweep(Verify("empty", "-o out.jsonl"));
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(ReadFile(Path("out.jsonl")), "yesterday's results\n");
  // No temporary file is left behind either way.
  for (const auto& e : fs::directory_iterator(root_)) {
    EXPECT_FALSE(Contains(e.path().filename().string(), "credsweep-tmp")) << e.path();
  }
  ASSERT_EQ(Credsweep(Verify("in.jsonl", "-o out.jsonl")).code, 0);
  EXPECT_TRUE(Contains(ReadFile(Path("out.jsonl")), "urn:test:1"));
}

// A device or a pipe as the output is written in place: renaming a finished
// temporary file over /dev/null would replace the device with a regular file.
TEST_F(BatchSafety, ADeviceOrAPipeAsOutputIsWrittenInPlace) {
  Write("in.jsonl", Credential("urn:test:1"));
  ASSERT_TRUE(fs::is_character_file("/dev/null"));
  ASSERT_EQ(Credsweep(Verify("in.jsonl", "-o /dev/null --summary /dev/null")).code, 0);
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  for (const auto& e : fs::directory_iterator("/dev")) {
    EXPECT_FALSE(Contains(e.path().filename().string(), "credsweep-tmp")) << e.path();
  }

  const std::string fifo = Path("results.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = ReadFile(fifo); });
  CliRun r = Credsweep(Verify("in.jsonl", "-o results.fifo"));
  reader.join();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_TRUE(Contains(received, "\"urn:test:1\"")) << received;
}

TEST_F(BatchSafety, ZeroRecordsIsAUsageError) {
  fs::create_directories(Path("empty"));
  CliRun r = Credsweep(Verify("empty"));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "no credentials found in empty")) << r.err;
  Write("pdfs/cv.pdf", "%PDF");
  CliRun pdfs = Credsweep(Verify("pdfs"));
  EXPECT_EQ(pdfs.code, 2);
  EXPECT_TRUE(Contains(pdfs.err, "no credentials found in pdfs (1 file(s) skipped: pdfs/cv.pdf: not a credential file (.pdf))"))
      << pdfs.err;
  Write("blank.jsonl", "\n\n");
  EXPECT_EQ(Credsweep(Verify("-"), Path("blank.jsonl")).code, 2);
}

TEST_F(BatchSafety, RequiringACheckWithNoSourceIsAUsageError) {
  Write("in.jsonl", Credential("urn:test:1"));
  CliRun revocation = Credsweep(Verify("in.jsonl", "--require revocation"));
  EXPECT_EQ(revocation.code, 2);
  EXPECT_TRUE(Contains(revocation.err, "--require revocation: no status source is configured")) << revocation.err;
  CliRun accreditation = Credsweep(Verify("in.jsonl", "--require accreditation"));
  EXPECT_EQ(accreditation.code, 2);
  EXPECT_TRUE(Contains(accreditation.err, "--require accreditation: no accreditation source")) << accreditation.err;
  // With a source, the requirement holds per credential (exit 1: no status known).
  Write("lists/index.json", "{}");
  EXPECT_EQ(Credsweep(Verify("in.jsonl", "--require revocation --status-lists lists")).code, 1);
}

TEST_F(BatchSafety, ACutOffGzipIsAnIoErrorWhereItBreaks) {
  std::string plain;
  for (int i = 1; i <= 200; ++i) plain += Credential("urn:test:" + std::to_string(i));
  Write("in.jsonl", plain);
  ASSERT_EQ(std::system(("gzip -9 -c " + Path("in.jsonl") + " > " + Path("full.jsonl.gz")).c_str()), 0);
  std::string gz = ReadFile(Path("full.jsonl.gz"));
  Write("cut.jsonl.gz", gz.substr(0, gz.size() * 2 / 3));
  CliRun r = Credsweep(Verify("cut.jsonl.gz", "-o out.jsonl"));
  EXPECT_EQ(r.code, 1);
  std::string out = ReadFile(Path("out.jsonl"));
  std::string last = out.substr(out.rfind('\n', out.size() - 2) + 1);
  EXPECT_TRUE(Contains(last, R"("code":"io_error")")) << last;
  EXPECT_TRUE(Contains(last, "the gzip stream is cut short")) << last;
  // Every record before it verified: the cut-off line is not reported as a bad seal.
  EXPECT_EQ(out.find("\"verified\":false"), out.rfind("\"verified\":false")) << out;
  EXPECT_EQ(out.find("bad_signature"), std::string::npos);
}

TEST_F(BatchSafety, GzipOutputAndSummaryOnStdout) {
  Write("in.jsonl", Credential("urn:test:1") + Credential("urn:test:2"));
  ASSERT_EQ(Credsweep(Verify("in.jsonl", "-o plain.jsonl")).code, 0);
  ASSERT_EQ(Credsweep(Verify("in.jsonl", "-o out.jsonl.gz")).code, 0);
  ASSERT_EQ(std::system(("gzip -dc " + Path("out.jsonl.gz") + " > " + Path("unzipped.jsonl")).c_str()), 0);
  EXPECT_EQ(ReadFile(Path("unzipped.jsonl")), ReadFile(Path("plain.jsonl")));
  CliRun s = Credsweep(Verify("in.jsonl", "-o out.jsonl --summary -"));
  EXPECT_EQ(s.code, 0);
  EXPECT_TRUE(s.out.starts_with(R"({"records":2,"verified":2,)")) << s.out;
}

// `verify -` with the test holding stdin open: three records, a stop signal after
// the first two were sent, then the third. Whatever was read before the signal is
// verified and written; nothing after it is read.
CliRun StopWith(int sig, const std::string& root, const std::string& line12, const std::string& line3) {
  int in[2];
  if (pipe(in) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    close(in[0]);
    close(in[1]);
    if (chdir(root.c_str()) != 0) _exit(126);
    execl(CREDSWEEP_BINARY, CREDSWEEP_BINARY, "verify", "-", "--jwks", "https://i.example=keys.json", "--at",
          "2026-06-01T00:00:00Z", "-o", "out.jsonl", "--summary", "s.json", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  (void)!write(in[1], line12.data(), line12.size());
  usleep(300 * 1000);  // ordering only: the two lines are likely read before the signal
  kill(pid, sig);
  (void)!write(in[1], line3.data(), line3.size());
  close(in[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", ""};
}

TEST_F(BatchSafety, AStopSignalFinishesWhatWasReadAndMarksTheSummary) {
  for (int sig : {SIGTERM, SIGINT}) {
    CliRun r = StopWith(sig, root_, Credential("urn:test:1") + Credential("urn:test:2"), Credential("urn:test:3"));
    EXPECT_EQ(r.code, 128 + sig);
    std::string summary = ReadFile(Path("s.json"));
    EXPECT_TRUE(Contains(summary, sig == SIGTERM ? R"("interrupted":"SIGTERM")" : R"("interrupted":"SIGINT")"))
        << summary;
    std::string out = ReadFile(Path("out.jsonl"));
    EXPECT_FALSE(Contains(out, "urn:test:3")) << out;
    EXPECT_TRUE(Contains(summary, "\"records\":" + std::to_string(Lines(out)) + ",")) << summary << out;
  }
}

TEST_F(BatchSafety, LogLinesCarryTheirTimeAsTextOrJson) {
  CliRun text = Credsweep("verify missing.jsonl");
  EXPECT_EQ(text.code, 2);
  EXPECT_TRUE(std::regex_search(text.err, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z credsweep: .*error.*: no such file)")))
      << text.err;
  for (std::string args : {"verify missing.jsonl --log-format json", "--log-format json verify missing.jsonl"}) {
    CliRun json = Credsweep(args);
    EXPECT_EQ(json.code, 2);
    EXPECT_TRUE(std::regex_search(
        json.err, std::regex(R"(^\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"error","message":"no such file or directory: missing.jsonl"\}\n$)")))
        << json.err;
  }
  // Quotes and control characters stay inside the JSON string.
  CliRun quoted = Credsweep("verify 'a\"b' --log-format json");
  EXPECT_TRUE(Contains(quoted.err, R"("message":"no such file or directory: a\"b")")) << quoted.err;
  EXPECT_EQ(Credsweep("verify in.jsonl --log-format xml").code, 2);
}

}  // namespace
}  // namespace credsweep::testing
