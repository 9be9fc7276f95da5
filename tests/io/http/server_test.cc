// `credsweep serve --http` over real loopback TCP: status JSON, published lists
// with caching headers, verification, health, metrics and hostile requests.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;

int FreePort() { return testing::FreeLoopbackPort(); }

// One request on a fresh connection (Connection: close); the whole response.
std::string Http(int port, const std::string& request) {
  int s = testing::ConnectLoopback(port);
  if (s < 0) return "";
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(s, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = recv(s, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  close(s);
  return out;
}

std::string Get(int port, const std::string& path, const std::string& headers = "") {
  return Http(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "\r\n");
}

using testing::SendAll;

// Reads until `marker` has arrived (or 5 s pass); everything read.
std::string ReadPast(int fd, const std::string& marker) {
  std::string out;
  char buf[8192];
  while (out.find(marker) == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// A POST /v1/verify of `length` bytes of JSON Lines of which only `first` is sent:
// the request stays in progress. Returns the socket once the 200 header is back.
int StartVerify(int port, size_t length, const std::string& first, std::string* got) {
  int s = testing::ConnectLoopback(port);
  if (s < 0) return -1;
  SendAll(s, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: " +
                 std::to_string(length) + "\r\n\r\n" + first);
  *got = ReadPast(s, "\r\n\r\n");
  return s;
}

// The peak resident set of a process (VmHWM), in KiB.
long long PeakRssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string l; std::getline(in, l);) {
    if (l.starts_with("VmHWM:")) return std::atoll(l.c_str() + 6);
  }
  return -1;
}

std::string PostLines(int port, const std::string& body) {
  return Http(port, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-ndjson\r\n"
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

class HttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("http-" + std::to_string(getpid()))).string();
    fs::remove_all(dir_);
    std::string bin = CREDSWEEP_BINARY;
    ASSERT_EQ(std::system((bin + " sample --count 60 --seed 3 --revoked 0.2 --out " + dir_ + " 2>/dev/null").c_str()), 0);
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      freopen("/dev/null", "w", stderr);
      std::string resp = "127.0.0.1:" + std::to_string(FreePort()), web = "127.0.0.1:" + std::to_string(port_);
      execl(bin.c_str(), bin.c_str(), "serve", "--db", (dir_ + "/index").c_str(), "--resp", resp.c_str(), "--http",
            web.c_str(), "--lists", (dir_ + "/status-lists").c_str(), "--jwks", (dir_ + "/keys/jwks.json").c_str(),
            "--trust", (dir_ + "/trust-registry.json").c_str(), "--max-body-bytes", "2000000", "--max-verify-requests", "2",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    // Generous: a loaded CI machine may take seconds to start the server.
    for (int i = 0; i < 800 && Get(port_, "/healthz").empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ASSERT_FALSE(Get(port_, "/healthz").empty()) << "the server did not start on port " << port_;
  }
  static void TearDownTestSuite() {
    // pid_ stays 0 when SetUpTestSuite failed before the fork, and kill(0, ...)
    // would signal the whole process group: ctest and the CI script with it.
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fs::remove_all(dir_);
  }
  static std::string ManifestLine(const char* expected) {
    std::ifstream in(dir_ + "/manifest.jsonl");
    for (std::string l; std::getline(in, l);) {
      if (l.find(std::string("\"expected\":\"") + expected + "\"") != std::string::npos) return l;
    }
    return "";
  }
  static std::string IdOf(const std::string& manifest_line) {
    size_t p = manifest_line.find("\"id\":\"") + 6;
    return manifest_line.substr(p, manifest_line.find('"', p) - p);
  }
  static inline std::string dir_;
  static inline int port_ = 0;
  static inline pid_t pid_ = 0;
};

TEST_F(HttpServerTest, StatusRecordsAsJson) {
  std::string revoked = IdOf(ManifestLine("revoked"));
  ASSERT_FALSE(revoked.empty());
  std::string r = Get(port_, "/v1/credentials/" + revoked + "/status");
  EXPECT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
  EXPECT_NE(r.find("\"state\":\"revoked\""), std::string::npos) << r;
  EXPECT_NE(r.find("\"status_list\":{\"id\":\"https://status.alliance.example/"), std::string::npos) << r;
  std::string unknown = Get(port_, "/v1/credentials/urn%3Anobody/status");
  EXPECT_NE(unknown.find("HTTP/1.1 404"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("\"id\":\"urn:nobody\",\"state\":\"unknown\""), std::string::npos) << unknown;
  EXPECT_NE(Get(port_, "/v1/credentials/%zz/status").find("HTTP/1.1 400"), std::string::npos);
}

TEST_F(HttpServerTest, PublishedListsWithCachingHeaders) {
  // `sample` publishes under https://status.alliance.example/ugent: /ugent/1 is its first list.
  std::string r = Get(port_, "/ugent/1");
  ASSERT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
  EXPECT_NE(r.find("Content-Type: application/vc+jwt"), std::string::npos);
  EXPECT_NE(r.find("Cache-Control: public, max-age="), std::string::npos);
  size_t e = r.find("ETag: ");
  ASSERT_NE(e, std::string::npos);
  std::string etag = r.substr(e + 6, r.find("\r\n", e) - e - 6);
  std::string again = Get(port_, "/ugent/1", "If-None-Match: " + etag + "\r\n");
  EXPECT_NE(again.find("HTTP/1.1 304"), std::string::npos) << again;
  EXPECT_NE(Get(port_, "/ugent/1.json").find("application/json"), std::string::npos);
  EXPECT_NE(Get(port_, "/ugent/..%2F..%2Fkeys%2Fjwks.json").find("HTTP/1.1 404"), std::string::npos);
  EXPECT_NE(Get(port_, "/../keys/jwks.json").find("HTTP/1.1 404"), std::string::npos);
  EXPECT_NE(Get(port_, "/ugent/nope").find("HTTP/1.1 404"), std::string::npos);
}

TEST_F(HttpServerTest, VerifiesPostedCredentials) {
  // A revoked and a verified credential of the sample, with the verdicts its
  // manifest expects; the answer must give those verdicts, in order.
  std::string revoked = ManifestLine("revoked"), fine = ManifestLine("verified");
  ASSERT_FALSE(revoked.empty());
  ASSERT_FALSE(fine.empty());
  auto record = [](const std::string& manifest_line) {
    size_t p = manifest_line.find("\"source\":\"") + 10;
    std::string source = manifest_line.substr(p, manifest_line.find('"', p) - p);
    size_t colon = source.rfind(':');
    std::ifstream in(dir_ + "/" + source.substr(0, colon));
    std::string line;
    for (long n = std::stol(source.substr(colon + 1)); n > 0; --n) std::getline(in, line);
    return line;
  };
  std::string first = record(revoked), second = record(fine);
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  std::string body = first + "\n" + second + "\n";
  std::string r = Http(port_, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-ndjson\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r.substr(0, 300);
  EXPECT_NE(r.find("Transfer-Encoding: chunked"), std::string::npos) << r.substr(0, 300);
  size_t one_at = r.find("{\"source\":\"request:1\""), two_at = r.find("{\"source\":\"request:2\"");
  ASSERT_NE(one_at, std::string::npos) << r;
  ASSERT_NE(two_at, std::string::npos) << r;
  ASSERT_LT(one_at, two_at);
  std::string one_line = r.substr(one_at, r.find('\n', one_at) - one_at);
  std::string two_line = r.substr(two_at, r.find('\n', two_at) - two_at);
  EXPECT_NE(one_line.find("\"id\":\"" + IdOf(revoked) + "\""), std::string::npos) << one_line;
  EXPECT_NE(one_line.find("\"verified\":false"), std::string::npos) << one_line;
  EXPECT_NE(one_line.find("\"revocation\":{\"result\":\"fail\",\"code\":\"revoked\""), std::string::npos) << one_line;
  EXPECT_NE(two_line.find("\"id\":\"" + IdOf(fine) + "\""), std::string::npos) << two_line;
  EXPECT_NE(two_line.find("\"verified\":true"), std::string::npos) << two_line;
  std::string one = Http(port_, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 9\r\n\r\nnot a jws");
  EXPECT_NE(one.find("malformed_jws"), std::string::npos) << one;
}

TEST_F(HttpServerTest, LargeBatchesStreamInOrderAcrossChunks) {
  std::ifstream in(dir_ + "/credentials/part-00001.jsonl");
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_GE(lines.size(), 60u);
  std::string body;
  for (int rep = 0; rep < 2; ++rep) {
    for (size_t i = 0; i < 60; ++i) body += lines[i] + "\n";
  }
  std::string r = Http(port_, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/jsonl\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_NE(r.find("HTTP/1.1 200"), std::string::npos);
  size_t pos = 0;
  for (int i = 1; i <= 120; ++i) {  // every result, in input order
    size_t at = r.find("{\"source\":\"request:" + std::to_string(i) + "\"", pos);
    ASSERT_NE(at, std::string::npos) << i;
    pos = at;
  }
  EXPECT_NE(r.find("\r\n0\r\n\r\n"), std::string::npos);  // the last chunk
}

TEST_F(HttpServerTest, OversizedAndMalformedRequestsAreRefused) {
  std::string big(3000000, 'x');
  std::string r = Http(port_, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(big.size()) +
                                  "\r\n\r\n" + big);
  EXPECT_NE(r.find("HTTP/1.1 413"), std::string::npos) << r.substr(0, 200);
  EXPECT_NE(Http(port_, "BLAH\r\n\r\n").find("HTTP/1.1 400"), std::string::npos);
  EXPECT_NE(Get(port_, "/healthz").find("ok"), std::string::npos);  // still serving
}

TEST_F(HttpServerTest, VerifyRequestsBeyondTheCapGet503WithRetryAfter) {
  std::string got1, got2;
  int a = StartVerify(port_, 1000, "{}\n", &got1);  // the cap is 2 (--max-verify-requests)
  int b = StartVerify(port_, 1000, "{}\n", &got2);
  ASSERT_NE(got1.find("HTTP/1.1 200"), std::string::npos) << got1;
  ASSERT_NE(got2.find("HTTP/1.1 200"), std::string::npos) << got2;
  std::string refused = PostLines(port_, "{}\n");
  EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos) << refused;
  EXPECT_NE(refused.find("too many verification requests in progress"), std::string::npos) << refused;
  EXPECT_NE(Get(port_, "/healthz").find("HTTP/1.1 200"), std::string::npos);  // other routes are not capped
  close(a);  // a client that goes away gives its place back
  std::string ok;
  for (int i = 0; i < 100 && ok.find("HTTP/1.1 200") == std::string::npos; ++i) {
    ok = PostLines(port_, "{}\n");
    if (ok.find("HTTP/1.1 200") == std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(ok.find("{\"source\":\"request:1\""), std::string::npos) << ok;
  close(b);
}

TEST_F(HttpServerTest, ASmallRequestIsAnsweredWhileALargeOneIsInProgress) {
  // A large body arrives slowly: its first records are verified and answered
  // before the rest is sent, and it does not hold up a small request meanwhile.
  std::string head;
  for (int i = 0; i < 1000; ++i) head += "{}\n";
  std::string tail = head;
  std::string got;
  int big = StartVerify(port_, head.size() + tail.size(), head, &got);
  ASSERT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  got += ReadPast(big, "{\"source\":\"request:1000\"");
  EXPECT_NE(got.find("{\"source\":\"request:1000\""), std::string::npos);  // streamed before the body ended
  std::string small = PostLines(port_, "{}\n");
  EXPECT_NE(small.find("HTTP/1.1 200"), std::string::npos) << small;
  EXPECT_NE(small.find("{\"source\":\"request:1\""), std::string::npos) << small;
  ASSERT_TRUE(SendAll(big, tail));
  got += ReadPast(big, "\r\n0\r\n\r\n");
  size_t pos = 0;
  for (int i = 1; i <= 2000; ++i) {  // every result, in input order
    size_t at = got.find("{\"source\":\"request:" + std::to_string(i) + "\"", pos);
    ASSERT_NE(at, std::string::npos) << i;
    pos = at;
  }
  close(big);
}

TEST_F(HttpServerTest, ALargeBodyIsVerifiedInBoundedMemory) {
  std::string warm;
  for (int i = 0; i < 5000; ++i) warm += "{}\n";
  ASSERT_NE(PostLines(port_, warm).find("request:5000"), std::string::npos);  // threads and arenas warmed up
  long long before = PeakRssKib(pid_);
  ASSERT_GT(before, 0);
  // 300,000 records in a 900 KB body: held whole as records (128 bytes each, in a
  // vector that doubles), they took 67 to 100 MB; streamed, a few batches.
  std::string body;
  for (int i = 0; i < 300000; ++i) body += "{}\n";
  std::string r = PostLines(port_, body);
  ASSERT_NE(r.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(r.find("{\"source\":\"request:300000\""), std::string::npos);
  EXPECT_TRUE(r.ends_with("\r\n0\r\n\r\n"));
  long long growth = PeakRssKib(pid_) - before;
  // ASan's quarantine keeps freed memory resident by design (gcc says so with
  // __SANITIZE_ADDRESS__, clang with __has_feature).
#if defined(__SANITIZE_ADDRESS__)
#define CREDSWEEP_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CREDSWEEP_UNDER_ASAN 1
#endif
#endif
#if defined(CREDSWEEP_UNDER_ASAN)
  (void)growth;
#else
  EXPECT_LT(growth, 32 * 1024) << "peak RSS grew by " << growth << " KiB";
#endif
}

TEST_F(HttpServerTest, AChunkedBodyPastTheLimitEndsTheResponseWithoutItsLastChunk) {
  int s = testing::ConnectLoopback(port_);
  ASSERT_GE(s, 0);
  ASSERT_TRUE(SendAll(s, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n3\r\n{}\n\r\n"));
  std::string got = ReadPast(s, "{\"source\":\"request:1\"");
  ASSERT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  ASSERT_NE(got.find("{\"source\":\"request:1\""), std::string::npos) << got;
  // 2,100,000 more body bytes: past --max-body-bytes (2,000,000) of this server.
  std::string line(99, 'x');
  line += "\n";
  std::string chunk;
  for (int i = 0; i < 21000; ++i) chunk += line;
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  SendAll(s, size + chunk + "\r\n");  // the server may stop reading part way
  char buf[8192];
  ssize_t n;
  while ((n = recv(s, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<size_t>(n));
  EXPECT_TRUE(n == 0 || errno == ECONNRESET) << "the server closes the connection";
  EXPECT_FALSE(got.ends_with("\r\n0\r\n\r\n")) << "no last chunk: the client sees the response is incomplete";
  close(s);
  EXPECT_NE(Get(port_, "/healthz").find("ok"), std::string::npos);
}

TEST_F(HttpServerTest, BodiesOfOtherRoutesAreCappedAt64KiB) {
  std::string body(70000, 'x');
  std::string r = Http(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
                                  "\r\n\r\n" + body);
  EXPECT_NE(r.find("HTTP/1.1 413"), std::string::npos) << r.substr(0, 200);
}

TEST_F(HttpServerTest, MetricsInPrometheusFormat) {
  Get(port_, "/healthz");
  std::string m = Get(port_, "/metrics");
  EXPECT_NE(m.find("credsweep_http_requests_total{route=\"healthz\",code=\"2xx\"}"), std::string::npos) << m;
  EXPECT_NE(m.find("credsweep_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.find("credsweep_resp_connections"), std::string::npos);
  EXPECT_NE(m.find("# TYPE credsweep_resp_requests_total counter"), std::string::npos);
  EXPECT_NE(m.find("credsweep_index_records"), std::string::npos);
}

}  // namespace
}  // namespace credsweep
