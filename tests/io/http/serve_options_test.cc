// `credsweep serve` takes the verification options of `verify` for POST /v1/verify
// (one builder, io/cli/verifier_builder.h) and its own thread options; over real
// loopback TCP against the real binary.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;

using testing::SendAll;

std::string ReadAll(int fd) {
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

std::string Http(int port, const std::string& request) {
  int s = testing::ConnectLoopback(port);
  if (s < 0) return "";
  SendAll(s, request);
  std::string out = ReadAll(s);
  close(s);
  return out;
}

std::string Post(int port, const std::string& body) {
  return Http(port, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-ndjson\r\n"
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

std::string FirstCredential(const std::string& dir) {
  std::ifstream in(dir + "/credentials/part-00001.jsonl");
  std::string line;
  std::getline(in, line);
  return line;
}

class ServeOptionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("serve-opts-" + std::to_string(getpid()))).string();
    fs::remove_all(dir_);
    const std::string bin = CREDSWEEP_BINARY;
    ASSERT_EQ(std::system((bin + " sample --count 5 --seed 4 --algs ES256 --envelopes vc-jwt --expired 0 "
                                 "--not-yet-valid 0 --tampered 0 --no-status --out " + dir_ + " 2>/dev/null")
                              .c_str()),
              0);
    ASSERT_EQ(std::system((bin + " init --db " + dir_ + "/db >/dev/null").c_str()), 0);
    port_ = testing::FreeLoopbackPort();
    pid_ = fork();
    if (pid_ == 0) {
      freopen("/dev/null", "w", stderr);
      std::string resp = "127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
      std::string web = "127.0.0.1:" + std::to_string(port_);
      execl(bin.c_str(), bin.c_str(), "serve", "--db", (dir_ + "/db").c_str(), "--resp", resp.c_str(), "--http",
            web.c_str(), "--jwks", (dir_ + "/keys/jwks.json").c_str(), "--ca",
            (dir_ + "/keys/ca.pem").c_str(), "--trust-any-configured-key", "--require", "revocation",
            "--http-threads", "2", "--verify-threads", "1", static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 800 && Http(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").empty();
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  static void TearDownTestSuite() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fs::remove_all(dir_);
  }
  static inline std::string dir_;
  static inline int port_ = 0;
  static inline pid_t pid_ = 0;
};

TEST_F(ServeOptionsTest, RequireMakesASkippedCheckFailTheVerdict) {
  std::string r = Post(port_, FirstCredential(dir_) + "\n");
  ASSERT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r.substr(0, 300);
  EXPECT_NE(r.find("\"seal\":{\"result\":\"pass\""), std::string::npos) << r;
  // The index (--db) does not know the credential: revocation is skipped.
  EXPECT_NE(r.find("\"revocation\":{\"result\":\"skipped\""), std::string::npos) << r;
  EXPECT_NE(r.find("\"verified\":false"), std::string::npos) << "--require revocation: " << r;
}

// GET /v1/policy says what this server's POST /v1/verify checks, from the options it
// was started with, in words for the verification page, and never a file path.
TEST_F(ServeOptionsTest, PolicyDescribesTheOptionsInForce) {
  std::string r = Http(port_, "GET /v1/policy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
  EXPECT_NE(r.find("application/json"), std::string::npos) << r;
  EXPECT_NE(r.find(R"("verification":true)"), std::string::npos) << r;
  EXPECT_NE(r.find(R"("required":["revocation"])"), std::string::npos) << r;
  EXPECT_NE(r.find("1 configured key set, 1 certificate anchor file"), std::string::npos) << r;
  EXPECT_NE(r.find("WARNING: --trust-any-configured-key is in effect"), std::string::npos) << r;
  EXPECT_NE(r.find(R"("max_body_bytes":16777216)"), std::string::npos) << r;
  EXPECT_NE(r.find(R"("stores_uploads":false)"), std::string::npos) << r;
  EXPECT_EQ(r.find(dir_), std::string::npos) << "no file path: " << r;
}

// The page and its files, with headers that keep it to this origin.
TEST_F(ServeOptionsTest, ThePageIsServedAtTheRootWithItsSecurityHeaders) {
  std::string page = Http(port_, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_NE(page.find("HTTP/1.1 200"), std::string::npos) << page;
  EXPECT_NE(page.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy: default-src 'none'; script-src 'self'"), std::string::npos) << page;
  EXPECT_NE(page.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(page.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(page.find("<script src=\"/ui/app.js\" defer></script>"), std::string::npos);
  EXPECT_NE(page.find("Nothing you drop here is stored."), std::string::npos);
  std::string js = Http(port_, "GET /ui/app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(js.find("Content-Type: text/javascript"), std::string::npos) << js.substr(0, 300);
  EXPECT_NE(js.find("'/v1/verify'"), std::string::npos);
  std::string css = Http(port_, "HEAD /ui/app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(css.find("Content-Type: text/css"), std::string::npos) << css;
  EXPECT_NE(Http(port_, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                .find("HTTP/1.1 405"),
            std::string::npos);
  EXPECT_NE(Http(port_, "GET /ui/nothing.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .find("HTTP/1.1 404"),
            std::string::npos);
}

TEST_F(ServeOptionsTest, ThreadOptionsAreReportedInMetrics) {
  std::string m = Http(port_, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(m.find("\ncredsweep_http_threads 2\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\ncredsweep_http_verify_threads 1\n"), std::string::npos) << m;
}

TEST_F(ServeOptionsTest, ExpectContinueGetsAnInterim100BeforeTheBodyIsSent) {
  // curl sends "Expect: 100-continue" for bodies over 1 MiB and waits a second for
  // the 100 before sending; without it every large POST paid that second.
  const std::string body = FirstCredential(dir_) + "\n";
  int s = testing::ConnectLoopback(port_);
  ASSERT_GE(s, 0);
  ASSERT_TRUE(SendAll(s, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\n"
                         "Content-Type: application/x-ndjson\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n"));
  std::string first;
  char c;
  while (first.size() < 25 && recv(s, &c, 1, 0) == 1) first.push_back(c);
  EXPECT_EQ(first, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(SendAll(s, body));
  std::string rest = ReadAll(s);
  close(s);
  EXPECT_NE(rest.find("HTTP/1.1 200"), std::string::npos) << rest.substr(0, 300);
  EXPECT_NE(rest.find("{\"source\":\"request:1\""), std::string::npos) << rest.substr(0, 300);
}

TEST_F(ServeOptionsTest, SmallRequestsOfOneSecondShareAVerifier) {
  std::string body = FirstCredential(dir_) + "\n";
  for (int i = 0; i < 20; ++i) ASSERT_NE(Post(port_, body).find("request:1"), std::string::npos);
  std::string m = Http(port_, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  size_t at = m.find("\ncredsweep_http_verifiers_built_total ");
  ASSERT_NE(at, std::string::npos) << m;
  // One per second in use at most; 20 requests answered by one Verifier each
  // would show 20 or more (a loaded machine may spread them over a few seconds).
  EXPECT_LT(std::stoul(m.substr(at + 38)), 20u) << m;
}

// Exit code and stderr of `credsweep serve ARGS` that fails before it listens.
int ServeFails(const std::string& args, std::string* err) {
  const std::string out = ::testing::TempDir() + "/serve-err-" + std::to_string(getpid());
  int rc = std::system((std::string(CREDSWEEP_BINARY) + " serve " + args + " 2>" + out).c_str());
  std::ifstream in(out);
  err->assign(std::istreambuf_iterator<char>(in), {});
  fs::remove(out);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(ServeOptions, AnUnknownRequiredCheckOrAMissingListFolderIsAUsageError) {
  const std::string db = ::testing::TempDir() + "/serve-err-db-" + std::to_string(getpid());
  const std::string http = " --resp 127.0.0.1:0 --http 127.0.0.1:0 --db " + db;
  ASSERT_EQ(std::system((std::string(CREDSWEEP_BINARY) + " init --db " + db + " >/dev/null").c_str()), 0);
  std::string err;
  EXPECT_EQ(ServeFails(http + " --require seal,nonsense", &err), 2);
  EXPECT_NE(err.find("--require: unknown check 'nonsense'"), std::string::npos) << err;
  EXPECT_EQ(ServeFails(http + " --status-lists /nonexistent/lists", &err), 2);
  EXPECT_NE(err.find("/nonexistent/lists"), std::string::npos) << err;
  fs::remove_all(db);
}

}  // namespace
}  // namespace credsweep
