// HttpListSource against real HTTP servers on loopback: python3's http.server for
// documents, and servers scripted in the test (raw sockets on a thread) for redirects,
// stalls, trickles and endless bodies. Loopback is not a public address, so every
// fetch that should reach a server passes allow_private_addresses.
#include "io/http/client.h"

#include "engine/signer.h"
#include "engine/status_list.h"
#include "engine/verifier.h"
#include "tests/testutil.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

int FreePort() { return testing::FreeLoopbackPort(); }

HttpOptions Loopback(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  HttpOptions o;
  o.allow_private_addresses = true;
  o.timeout = timeout;
  return o;
}

using testing::SendAll;

// Sleeps up to `ms`, in short steps, unless `stop` is set; false if it was.
bool Pause(const std::atomic<bool>& stop, int ms) {
  for (int waited = 0; waited < ms && !stop; waited += 20) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return !stop;
}

// A loopback HTTP server scripted by the test: accepts one connection at a time on
// an ephemeral port, reads the request head, and hands the socket to `handler`.
class ScriptedServer {
 public:
  using Handler = std::function<void(int fd, const std::string& head, const std::atomic<bool>& stop)>;

  explicit ScriptedServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(listen_fd_, 16) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
    }
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    close(listen_fd_);
  }
  int port() const { return port_; }
  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int connections() const { return connections_; }
  std::vector<std::string> heads() const {
    std::lock_guard lock(mu_);
    return heads_;
  }

  // Handlers.
  static Handler Reply(std::string response) {
    return [response](int fd, const std::string&, const std::atomic<bool>&) { SendAll(fd, response); };
  }
  static void NeverAnswer(int fd, const std::string&, const std::atomic<bool>& stop) {
    char buf[256];
    while (!stop) {  // until the client gives up and closes
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 20) > 0 && recv(fd, buf, sizeof buf, 0) <= 0) return;
    }
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      std::string head;
      char buf[4096];
      while (!stop_ && head.find("\r\n\r\n") == std::string::npos) {
        pollfd q{fd, POLLIN, 0};
        if (poll(&q, 1, 20) <= 0) continue;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard lock(mu_);
        heads_.push_back(head);
      }
      handler_(fd, head, stop_);
      close(fd);
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

// Runs `fetch` and checks it returns within a generous bound: a hang guard, not a benchmark.
template <typename F>
auto Bounded(F fetch) {
  auto start = std::chrono::steady_clock::now();
  auto r = fetch();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  return r;
}

class HttpListSourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = (fs::path(::testing::TempDir()) / ("http-" + std::to_string(getpid()))).string();
    fs::create_directories(dir_);
    std::ofstream(dir_ + "/list-1.jwt") << "eyJhbGciOiJFUzI1NiJ9.e30.sig\n";
    std::ofstream(dir_ + "/big.bin") << std::string(2 << 20, 'x');
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      execlp("python3", "python3", "-m", "http.server", std::to_string(port_).c_str(), "--bind", "127.0.0.1",
             "--directory", dir_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Wait until the server accepts connections.
    for (int i = 0; i < 100; ++i) {
      int s = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(port_));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      bool up = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
      close(s);
      if (up) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {  // never kill(0, ...): that is the whole process group
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }
  static std::string Url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  static inline std::string dir_;
  static inline int port_ = 0;
  static inline pid_t pid_ = 0;
};

TEST_F(HttpListSourceTest, FetchesTheDocumentAsPublished) {
  HttpListSource src(Loopback());
  auto r = src.Fetch(Url("/list-1.jwt"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "eyJhbGciOiJFUzI1NiJ9.e30.sig\n");
}

TEST_F(HttpListSourceTest, MissingListIsNotFound) {
  HttpListSource src(Loopback());
  auto r = src.Fetch(Url("/nope.jwt"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "HTTP 404");
}

TEST_F(HttpListSourceTest, BodyIsCapped) {
  HttpOptions o = Loopback();
  o.max_body_bytes = 1 << 20;
  HttpListSource src(o);
  auto r = src.Fetch(Url("/big.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("body limit"), std::string::npos) << r.status().message();
}

TEST_F(HttpListSourceTest, UnreachableServerIsAnIoError) {
  HttpListSource src(Loopback(std::chrono::milliseconds(2000)));
  auto r = src.Fetch("http://127.0.0.1:" + std::to_string(FreePort()) + "/list");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError) << r.status().ToString();
  EXPECT_EQ(src.Fetch("ftp://example.com/list").status().code(), StatusCode::kInvalidArgument);
}

// A signed revocation list with entry 4242 set, and credentials of the same issuer
// pointing into a list at a URL.
std::string RevocationList(const PrivateKey& key) {
  StatusBitstring bits(kMinStatusListEntries, 1);
  bits.Set(4242, 1);
  return SignCompact(key, R"({"alg":"EdDSA","kid":"k1"})",
                     R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"https://u.example","credentialSubject":{"type":"BitstringStatusList","statusPurpose":"revocation","encodedList":")" +
                         bits.Encode() + "\"}}")
      .value();
}

std::string StatusCredential(const PrivateKey& key, const std::string& list_url, int index) {
  return SignCompact(key, R"({"alg":"EdDSA","kid":"k1"})",
                     R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://u.example","credentialSubject":{},"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":")" +
                         std::to_string(index) + R"(","statusListCredential":")" + list_url + "\"}}")
      .value();
}

std::unique_ptr<PrivateKey> IssuerKey() {
  auto key = PrivateKey::Generate(JwsAlg::kEdDSA).value();
  key->set_kid("k1");
  return key;
}

TEST_F(HttpListSourceTest, OnlineRevocationCheckReadsTheServedList) {
  auto key = IssuerKey();
  std::ofstream(dir_ + "/status-1.jwt") << RevocationList(*key);
  auto keys = std::make_shared<KeySet>();
  keys->Add(PublicKey::FromJwk(key->ToPublicJwkJson()).value(), "https://u.example");
  VerifierOptions o;
  o.keys = keys;
  o.status_lists = std::make_shared<HttpListSource>(Loopback());
  Verifier v(o);
  Record r;
  r.data = StatusCredential(*key, Url("/status-1.jwt"), 4242);
  EXPECT_EQ(v.Verify(r).check(CheckId::kRevocation).code, "revoked");
  r.data = StatusCredential(*key, Url("/status-1.jwt"), 4243);
  EXPECT_TRUE(v.Verify(r).verified());
}

// `credsweep verify --online` on one credential; the revocation check's code and message.
struct CliRevocation {
  std::string code, message;
};
CliRevocation VerifyOnline(const std::string& dir, const PrivateKey& key, const std::string& credential,
                           const std::string& extra) {
  fs::create_directories(dir);
  std::ofstream(dir + "/cred.jwt") << credential << "\n";
  std::ofstream(dir + "/jwks.json") << "{\"keys\":[" << key.ToPublicJwkJson() << "]}";
  const std::string out = dir + "/out.jsonl";
  fs::remove(out);
  int rc = std::system((std::string(CREDSWEEP_BINARY) + " verify " + dir + "/cred.jwt --jwks https://u.example=" + dir +
                        "/jwks.json --online --quiet --out " + out + " " + extra + " 2>/dev/null")
                           .c_str());
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 1) << rc;  // not verified either way
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  simdjson::dom::parser parser;
  simdjson::dom::element result;
  if (parser.parse(line).get(result) != simdjson::SUCCESS) {
    ADD_FAILURE() << "no result line: " << line;
    return {};
  }
  return {std::string(result["checks"]["revocation"]["code"].get_string().value()),
          std::string(result["checks"]["revocation"]["message"].get_string().value())};
}

TEST_F(HttpListSourceTest, VerifyOnlineFetchesFromLoopbackOnlyWithAllowPrivateAddresses) {
  auto key = IssuerKey();
  std::ofstream(dir_ + "/status-cli.jwt") << RevocationList(*key);
  const std::string credential = StatusCredential(*key, Url("/status-cli.jwt"), 4242);
  auto strict = VerifyOnline(dir_ + "/cli-strict", *key, credential, "");
  EXPECT_EQ(strict.code, "status_list_unavailable");
  EXPECT_NE(strict.message.find("--allow-private-addresses"), std::string::npos) << strict.message;
  EXPECT_EQ(VerifyOnline(dir_ + "/cli-allowed", *key, credential, "--allow-private-addresses").code, "revoked");
}

TEST_F(HttpListSourceTest, VerifyFetchTimeoutBoundsAStalledServer) {
  ScriptedServer silent(ScriptedServer::NeverAnswer);
  auto key = IssuerKey();
  auto r = Bounded([&] {
    return VerifyOnline(dir_ + "/cli-stalled", *key, StatusCredential(*key, silent.Url("/list"), 1),
                        "--allow-private-addresses --fetch-timeout 1");
  });
  EXPECT_EQ(r.code, "status_list_unavailable");
  EXPECT_NE(r.message.find("status list server unavailable"), std::string::npos) << r.message;
  EXPECT_EQ(silent.connections(), 1);
}

// --- Address policy -----------------------------------------------------------

TEST(HttpListSource, DefaultsAreTheDocumentedLimits) {
  // docs/status-lists.md and README: 10 s per fetch, 64 MiB, 3 redirects, public addresses only.
  HttpOptions o;
  EXPECT_EQ(o.timeout, std::chrono::seconds(10));
  EXPECT_EQ(o.max_body_bytes, size_t{64} << 20);
  EXPECT_EQ(o.max_redirects, 3);
  EXPECT_FALSE(o.allow_private_addresses);
}

TEST(HttpListSource, RefusesLoopbackPrivateAndLinkLocalAddressesByDefault) {
  ScriptedServer server(ScriptedServer::Reply("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlist"));
  const std::string port = std::to_string(server.port());
  HttpOptions strict;
  strict.timeout = std::chrono::milliseconds(3000);
  HttpListSource src(strict);
  for (const std::string& url :
       {server.Url("/l"), "http://localhost:" + port + "/l", "http://[::ffff:127.0.0.1]:" + port + "/l",
        "http://2130706433:" + port + "/l", "http://0x7f.1:" + port + "/l", "http://0.0.0.0:" + port + "/l",
        "http://[::1]:" + port + "/l", std::string("http://169.254.169.254/latest/meta-data/"),
        std::string("http://10.0.0.1/l"), std::string("http://192.168.1.1/l"), std::string("http://[fe80::1]/l"),
        std::string("http://224.0.0.1/l")}) {
    auto r = Bounded([&] { return src.Fetch(url); });
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), StatusCode::kUnsupported) << url << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find("--allow-private-addresses"), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(server.connections(), 0);  // refused before connecting
  // The same server with the option: the refusal above was the policy, not the server.
  HttpListSource allowed(Loopback());
  EXPECT_EQ(allowed.Fetch(server.Url("/l")).value(), "list");
}

// --- Request ------------------------------------------------------------------

TEST(HttpListSource, SendsThePortInTheHostHeader) {
  ScriptedServer server(ScriptedServer::Reply("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlist"));
  HttpListSource src(Loopback());
  ASSERT_TRUE(src.Fetch(server.Url("/l?x=1")).ok());
  auto heads = server.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_TRUE(heads[0].starts_with("GET /l?x=1 HTTP/1.1\r\n")) << heads[0];
  EXPECT_NE(heads[0].find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos)
      << heads[0];
}

// --- Redirects ----------------------------------------------------------------

TEST(HttpListSource, FollowsRedirectsOnTheSameOrigin) {
  std::atomic<int> port{0};
  ScriptedServer server([&](int fd, const std::string& head, const std::atomic<bool>&) {
    if (head.starts_with("GET /old ")) {
      SendAll(fd, "HTTP/1.1 302 Found\r\nLocation: /mid\r\nContent-Length: 0\r\n\r\n");
    } else if (head.starts_with("GET /mid ")) {
      SendAll(fd, "HTTP/1.1 308 Permanent Redirect\r\nLocation: http://127.0.0.1:" + std::to_string(port.load()) +
                      "/new\r\nContent-Length: 0\r\n\r\n");
    } else {
      SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlist");
    }
  });
  port = server.port();
  HttpListSource src(Loopback());
  auto r = src.Fetch(server.Url("/old"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "list");
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpListSource, RefusesRedirectsToAnotherHostOrPort) {
  ScriptedServer target(ScriptedServer::Reply("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nadmin"));
  std::atomic<int> port{0};
  ScriptedServer server([&](int fd, const std::string& head, const std::atomic<bool>&) {
    std::string location = head.starts_with("GET /port ") ? target.Url("/internal-admin")
                                                          : "http://localhost:" + std::to_string(port.load()) + "/l";
    SendAll(fd, "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n");
  });
  port = server.port();
  HttpListSource src(Loopback());
  for (const char* path : {"/port", "/host"}) {
    auto r = src.Fetch(server.Url(path));
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code(), StatusCode::kUnsupported) << r.status().ToString();
    EXPECT_EQ(r.status().message().find("internal-admin"), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find("localhost"), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(target.connections(), 0);
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpListSource, StopsAfterMaxRedirects) {
  ScriptedServer server(
      ScriptedServer::Reply("HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n"));
  HttpListSource src(Loopback());
  auto r = Bounded([&] { return src.Fetch(server.Url("/loop")); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(r.status().message(), "refused: more than 3 redirects");
  EXPECT_EQ(server.connections(), 4);  // the first request and three redirects
}

// --- What reaches the message -------------------------------------------------

TEST(HttpListSource, NeverPutsResponseTextIntoMessages) {
  ScriptedServer error_page(ScriptedServer::Reply(
      "HTTP/1.1 500 SECRET-REASON\r\nX-Leak: SECRET-HEADER\r\nContent-Length: 13\r\n\r\nSECRET-BODY!!"));
  ScriptedServer not_http(ScriptedServer::Reply("SSH-2.0-OpenSSH_9.2p1 SECRET-BANNER\r\n"));
  ScriptedServer bad_redirect(
      ScriptedServer::Reply("HTTP/1.1 301 Moved\r\nLocation: gopher://SECRET-LOCATION/\r\nContent-Length: 0\r\n\r\n"));
  HttpListSource src(Loopback(std::chrono::milliseconds(3000)));
  auto e = src.Fetch(error_page.Url("/l"));
  EXPECT_EQ(e.status().code(), StatusCode::kIoError);  // a server error is no "there is none"
  EXPECT_EQ(e.status().message(), "HTTP 500");
  auto n = src.Fetch(not_http.Url("/l"));
  EXPECT_EQ(n.status().code(), StatusCode::kIoError);
  EXPECT_EQ(n.status().message(), "status list server unavailable");
  auto b = src.Fetch(bad_redirect.Url("/l"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message().find("SECRET"), std::string::npos) << b.status().message();
}

TEST(HttpListSource, ClosedPortsAndSilentServersGiveTheSameAnswer) {
  // A forged record must not learn which ports are open from the message.
  ScriptedServer silent(ScriptedServer::NeverAnswer);
  ScriptedServer closes(ScriptedServer::Reply(""));
  HttpListSource src(Loopback(std::chrono::milliseconds(1000)));
  auto refused = src.Fetch("http://127.0.0.1:" + std::to_string(FreePort()) + "/l");
  auto timed_out = Bounded([&] { return src.Fetch(silent.Url("/l")); });
  auto hung_up = src.Fetch(closes.Url("/l"));
  for (const auto* r : {&refused, &timed_out, &hung_up}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), StatusCode::kIoError);
    EXPECT_EQ(r->status().message(), "status list server unavailable");
  }
}

// --- The deadline and the cap -------------------------------------------------

TEST(HttpListSource, DeadlineStopsAServerThatAcceptsAndNeverAnswers) {
  ScriptedServer server(ScriptedServer::NeverAnswer);
  HttpListSource src(Loopback(std::chrono::milliseconds(1000)));
  auto r = Bounded([&] { return src.Fetch(server.Url("/l")); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_EQ(r.status().message(), "status list server unavailable");
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpListSource, DeadlineCoversTheWholeResponseNotEachRead) {
  // One byte a second never lets a per-read timer of 1.5 s fire; the fetch's one
  // deadline does.
  ScriptedServer server([](int fd, const std::string&, const std::atomic<bool>& stop) {
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x');
    for (char c : response) {
      if (!SendAll(fd, std::string_view(&c, 1)) || !Pause(stop, 1000)) return;
    }
  });
  HttpListSource src(Loopback(std::chrono::milliseconds(1500)));
  auto r = Bounded([&] { return src.Fetch(server.Url("/l")); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_EQ(r.status().message(), "status list server unavailable");
}

TEST(HttpListSource, EndlessBodyStopsAtTheCap) {
  auto endless = [](std::string head) {
    return [head](int fd, const std::string&, const std::atomic<bool>& stop) {
      const std::string chunk(64 * 1024, 'x');
      if (!SendAll(fd, head)) return;
      while (!stop && SendAll(fd, head.find("chunked") != std::string::npos ? "10000\r\n" + chunk + "\r\n" : chunk)) {
      }
    };
  };
  ScriptedServer until_close(endless("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"));
  ScriptedServer chunked(endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
  HttpOptions o = Loopback(std::chrono::milliseconds(8000));
  o.max_body_bytes = 1 << 20;
  HttpListSource src(o);
  for (const ScriptedServer* server : {&until_close, &chunked}) {
    auto r = Bounded([&] { return src.Fetch(server->Url("/l")); });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kIoError);
    // The cap, not the deadline, ended it.
    EXPECT_EQ(r.status().message(), "the response exceeds the 1048576-byte body limit");
  }
}

}  // namespace
}  // namespace credsweep::io
