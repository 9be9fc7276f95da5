// `credsweep serve` driven by Debian's redis-cli and by raw sockets on loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/status_index.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "s3cret-token-for-tests-0123456789";

int FreePort() { return testing::FreeLoopbackPort(); }

int Connect(int port) { return testing::ConnectLoopback(port); }

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class Server {
 public:
  Server(const std::string& db, const std::vector<std::string>& extra) : port_(FreePort()) {
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<std::string> args = {CREDSWEEP_BINARY, "serve", "--db", db, "--resp",
                                       "127.0.0.1:" + std::to_string(port_), "--threads", "2"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      freopen("/dev/null", "w", stderr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      int s = Connect(port_);
      if (s >= 0) {
        close(s);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  ~Server() {
    if (pid_ > 0) Kill(SIGKILL);
  }
  int Kill(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  std::string Cli(const std::string& args, bool auth = false) const {
    return Shell("redis-cli -p " + std::to_string(port_) + (auth ? std::string(" -a ") + kToken + " --no-auth-warning" : "") +
                 " " + args + " 2>&1");
  }
  int port() const { return port_; }
  // Two commands on one connection (AUTH then a write), as redis-cli reads stdin.
  std::string Shell2(const std::string& first, const std::string& second) const {
    return Shell("printf '%s\\n%s\\n' '" + first + "' '" + second + "' | redis-cli -p " + std::to_string(port_) + " 2>&1");
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

class RespServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Shell("command -v redis-cli").empty()) << "redis-cli missing: run scripts/setup-deps";
    dir_ = (fs::path(::testing::TempDir()) /
            ("serve-" + std::to_string(getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ + "/token") << kToken << "\n";
    fs::permissions(dir_ + "/token", fs::perms::owner_read | fs::perms::owner_write);
    auto idx = storage::OpenForWriting(dir_ + "/db").value();
    ASSERT_TRUE(idx->Apply({"urn:a", storage::Operation::kRegister, CredentialState::kActive, "", 0}, "t").ok());
    ASSERT_TRUE(idx->Apply({"urn:r", storage::Operation::kRevoke, CredentialState::kRevoked, "fraud", 0}, "t").ok());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string db() const { return dir_ + "/db"; }
  std::string token_file() const { return dir_ + "/token"; }
  std::string dir_;
};

TEST_F(RespServerTest, RedisCliReadsStates) {
  Server s(db(), {"--auth-token-file", token_file()});
  EXPECT_EQ(s.Cli("PING"), "PONG\n");
  EXPECT_EQ(s.Cli("GET urn:r"), "revoked\n");
  EXPECT_EQ(s.Cli("GET urn:a"), "active\n");
  EXPECT_EQ(s.Cli("GET urn:unknown"), "\n");  // nil: unknown is never "active"
  EXPECT_EQ(s.Cli("MGET urn:a urn:unknown urn:r"), "active\n\nrevoked\n");
  EXPECT_EQ(s.Cli("EXISTS urn:a urn:r urn:unknown"), "2\n");
  EXPECT_EQ(s.Cli("CRED.STATUS urn:r").substr(0, 20), "state\nrevoked\nreason");
  EXPECT_NE(s.Cli("ECHO hello"), "");
  EXPECT_NE(s.Cli("NOSUCH x").find("ERR unknown command"), std::string::npos);
}

TEST_F(RespServerTest, WritesNeedTheToken) {
  Server s(db(), {"--auth-token-file", token_file()});
  EXPECT_NE(s.Cli("CRED.REVOKE urn:a stolen").find("NOAUTH"), std::string::npos);
  EXPECT_NE(s.Shell2("AUTH wrong-token-wrong-token", "CRED.REVOKE urn:a x").find("WRONGPASS"), std::string::npos);
  EXPECT_EQ(s.Cli("GET urn:a"), "active\n");
  std::string seq = s.Cli("CRED.REVOKE urn:a \"reported stolen\"", true);
  EXPECT_GT(std::stoll(seq), 0) << seq;
  EXPECT_EQ(s.Cli("GET urn:a"), "revoked\n");
  std::string history = s.Cli("CRED.HISTORY urn:a");
  EXPECT_NE(history.find("reported stolen"), std::string::npos) << history;
  EXPECT_NE(history.find("resp:127.0.0.1:"), std::string::npos) << history;
  EXPECT_EQ(s.Cli("CRED.REINSTATE urn:a cleared", true).empty(), false);
  EXPECT_EQ(s.Cli("GET urn:a"), "active\n");
  EXPECT_EQ(s.Cli("CRED.REGISTER urn:n1 urn:n2 urn:a", true), "2\n");
}

TEST_F(RespServerTest, WithoutATokenTheServerIsReadOnly) {
  Server s(db(), {});
  EXPECT_NE(s.Cli("CRED.REVOKE urn:a x").find("READONLY"), std::string::npos);
  EXPECT_EQ(s.Cli("GET urn:r"), "revoked\n");
}

TEST_F(RespServerTest, HostileClientIsCutOffOthersUnaffected) {
  Server s(db(), {"--auth-token-file", token_file()});
  int bad = Connect(s.port());
  ASSERT_GE(bad, 0);
  std::string announce = "*1\r\n$4294967296\r\n";  // 4 GiB argument, never sent
  ASSERT_EQ(send(bad, announce.data(), announce.size(), 0), static_cast<ssize_t>(announce.size()));
  char buf[256];
  ssize_t n = recv(bad, buf, sizeof buf, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, 4), "-ERR");
  EXPECT_EQ(recv(bad, buf, sizeof buf, 0), 0);  // then disconnected
  close(bad);
  // A client holding a half-sent frame does not block the others.
  int slow = Connect(s.port());
  ASSERT_EQ(send(slow, "*2\r\n$3\r\nGET", 11, 0), 11);
  EXPECT_EQ(s.Cli("GET urn:r"), "revoked\n");
  close(slow);
}

TEST_F(RespServerTest, IdleConnectionsAreClosed) {
  Server s(db(), {"--idle-timeout", "1"});
  int c = Connect(s.port());
  ASSERT_GE(c, 0);
  char buf[16];
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(recv(c, buf, sizeof buf, 0), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  close(c);
}

TEST_F(RespServerTest, AcknowledgedWritesSurviveSigkill) {
  {
    Server s(db(), {"--auth-token-file", token_file()});
    for (int i = 0; i < 30; ++i) {
      std::string r = s.Cli("CRED.REVOKE urn:k:" + std::to_string(i) + " bulk", true);
      ASSERT_GT(std::stoll(r), 0) << r;  // acknowledged
    }
    EXPECT_TRUE(WIFSIGNALED(s.Kill(SIGKILL)));
  }
  auto idx = storage::OpenForReading(db());
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  for (int i = 0; i < 30; ++i) {
    auto r = (*idx)->Lookup("urn:k:" + std::to_string(i)).value();
    ASSERT_TRUE(r.has_value()) << i;
    EXPECT_EQ(r->state, CredentialState::kRevoked);
  }
  EXPECT_FALSE((*idx)->Audit()->first_broken.has_value());
}

TEST_F(RespServerTest, StatusCommandsSendWritesThroughTheServer) {
  Server s(db(), {"--auth-token-file", token_file()});
  std::string addr = " --server 127.0.0.1:" + std::to_string(s.port());
  std::string bin = CREDSWEEP_BINARY;
  // The server holds the index: a direct write explains, a write through it works.
  std::string direct = Shell(bin + " revoke urn:a --reason x --db " + db() + " 2>&1; echo rc=$?");
  EXPECT_NE(direct.find("in use by another process"), std::string::npos) << direct;
  EXPECT_NE(direct.find("rc=2"), std::string::npos);
  std::string refused = Shell(bin + " revoke urn:a --reason x" + addr + " 2>&1; echo rc=$?");
  EXPECT_NE(refused.find("NOAUTH"), std::string::npos) << refused;
  EXPECT_NE(refused.find("rc=2"), std::string::npos);
  std::string ok = Shell(bin + " suspend urn:a --reason \"appeal pending\" --actor registrar --token-file " +
                         token_file() + addr + " 2>&1");
  EXPECT_NE(ok.find("urn:a suspended (event"), std::string::npos) << ok;
  std::string st = Shell(bin + " status urn:a urn:nope" + addr);
  EXPECT_NE(st.find("urn:a suspended since"), std::string::npos) << st;
  EXPECT_NE(st.find("urn:nope unknown"), std::string::npos) << st;
  EXPECT_NE(s.Cli("CRED.HISTORY urn:a").find("resp:registrar"), std::string::npos);
  // Readers keep working on the index the server holds.
  EXPECT_NE(Shell(bin + " status urn:a --db " + db()).find("suspended"), std::string::npos);
}

TEST_F(RespServerTest, TlsForBothProtocolsWhenACertificateIsGiven) {
  std::string cert = dir_ + "/cert.pem", key = dir_ + "/key.pem";
  ASSERT_EQ(std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + key +
                         " -out " + cert + " -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null")
                            .c_str()),
            0);
  int http_port = FreePort();
  Server s(db(), {"--auth-token-file", token_file(), "--tls-cert", cert, "--tls-key", key, "--http",
                  "127.0.0.1:" + std::to_string(http_port)});
  std::string tls = " --tls --cacert " + cert;
  EXPECT_EQ(s.Cli(tls + " GET urn:r"), "revoked\n");
  EXPECT_NE(s.Cli(tls + " -a " + kToken + " --no-auth-warning CRED.SUSPEND urn:a x"), "");
  EXPECT_EQ(s.Cli(tls + " GET urn:a"), "suspended\n");
  EXPECT_NE(s.Cli("GET urn:r"), "revoked\n");  // plain text is not spoken on a TLS port
  std::string https = Shell("curl -s --cacert " + cert + " https://127.0.0.1:" + std::to_string(http_port) +
                            "/v1/credentials/urn:r/status");
  EXPECT_NE(https.find("\"state\":\"revoked\""), std::string::npos) << https;
}

TEST_F(RespServerTest, MetricsCountCommandsByOutcome) {
  int http_port = FreePort();
  Server s(db(), {"--auth-token-file", token_file(), "--http", "127.0.0.1:" + std::to_string(http_port)});
  for (int i = 0; i < 3; ++i) s.Cli("GET urn:r");
  s.Cli("CRED.REVOKE urn:a x");  // NOAUTH: an error reply
  std::string m = Shell("curl -s http://127.0.0.1:" + std::to_string(http_port) + "/metrics");
  EXPECT_NE(m.find("credsweep_resp_requests_total{command=\"get\",outcome=\"ok\"} 3"), std::string::npos) << m;
  EXPECT_NE(m.find("credsweep_resp_requests_total{command=\"cred.revoke\",outcome=\"error\"} 1"), std::string::npos) << m;
}

TEST_F(RespServerTest, SigtermDrainsAndExitsZero) {
  Server s(db(), {"--auth-token-file", token_file()});
  EXPECT_EQ(s.Cli("PING"), "PONG\n");
  int status = s.Kill(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(storage::OpenForWriting(db()).ok());  // the lock was released
}

}  // namespace
}  // namespace credsweep
