// What a service expects of `credsweep serve` beyond lookups: strict HOST:PORT,
// CONFIG GET and DBSIZE as Redis clients use them (redis-benchmark runs), HTTP sent
// to the RESP port closed as Redis closes it, named tokens naming the actor of each
// write, and SIGHUP reloading tokens and the TLS certificate without dropping
// connections. Real binary, redis-cli, redis-benchmark, openssl s_client.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "storage/status_index.h"
#include "tests/io/serve_process.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;
using testing::ReadToClose;
using testing::ServeProcess;
using testing::Shell;

constexpr const char* kAlice = "alice-token-0123456789-0123456789-abc";
constexpr const char* kBob = "bob-token-0123456789-0123456789-abcdef";
constexpr const char* kCarol = "carol-token-0123456789-0123456789-abcd";

// One request on an open connection; the reply once it ends with CRLF.
std::string Ask(int fd, const std::string& inline_command) {
  if (!testing::SendAll(fd, inline_command + "\r\n")) return "(send failed)";
  std::string out;
  char buf[4096];
  while (!out.ends_with("\r\n")) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return out + "(closed)";
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

class ServeAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) /
            ("serve-admin-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    WriteTokens(std::string("# who may write\nalice ") + kAlice + "\nbob   " + kBob + "\n");
    auto idx = storage::CreateOrOpenForWriting(dir_ + "/db").value();
    for (const char* id : {"urn:a", "urn:b", "urn:c"}) {
      ASSERT_TRUE(idx->Apply({id, storage::Operation::kRegister, CredentialState::kActive, "", 0}, "t").ok());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteTokens(const std::string& text) {
    std::string tmp = dir_ + "/tokens.tmp";
    std::ofstream(tmp) << text;
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
    fs::rename(tmp, dir_ + "/tokens");
  }
  std::unique_ptr<ServeProcess> Serve(std::vector<std::string> extra = {}) {
    resp_port_ = testing::FreeLoopbackPort();
    std::vector<std::string> argv = {CREDSWEEP_BINARY, "serve", "--db", dir_ + "/db", "--resp",
                                     "127.0.0.1:" + std::to_string(resp_port_), "--threads", "2",
                                     "--auth-token-file", dir_ + "/tokens"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ServeProcess>(argv, resp_port_, log());
  }
  std::string Cli(const std::string& args) const {
    return Shell("redis-cli -p " + std::to_string(resp_port_) + " " + args + " 2>&1");
  }
  std::string log() const { return dir_ + "/serve.log"; }
  // Waits (up to 20 s) for the server's log to hold `text` `times` times.
  bool LogShows(const std::string& text, int times = 1) const {
    for (int i = 0; i < 400; ++i) {
      std::string l = testing::ReadFile(log());
      int n = 0;
      for (size_t at = l.find(text); at != std::string::npos; at = l.find(text, at + 1)) ++n;
      if (n >= times) return true;
      usleep(50000);
    }
    return false;
  }
  std::string Serve2(const std::string& args) const {  // a serve that should not start
    return Shell(std::string(CREDSWEEP_BINARY) + " serve --db " + dir_ + "/db " + args + " 2>&1; echo rc=$?");
  }

  std::string dir_;
  int resp_port_ = 0;
};

TEST_F(ServeAdminTest, BadListenAddressesExit2WithAMessage) {
  for (const char* bad : {"6380x", "127.0.0.1:6380x", "localhost:", "example.org:6380", "127.0.0.1:99999",
                          "::1:6380", "[127.0.0.1]:6380", "127.0.0.1:+80", "127.0.0.1: 80"}) {
    std::string r = Serve2(std::string("--resp '") + bad + "'");
    EXPECT_NE(r.find("--resp: expected HOST:PORT"), std::string::npos) << bad << ": " << r;
    EXPECT_NE(r.find(bad), std::string::npos) << "the message quotes the value: " << r;
    EXPECT_NE(r.find("rc=2"), std::string::npos) << bad << ": " << r;
  }
  std::string http = Serve2("--resp 127.0.0.1:0 --http 8080");
  EXPECT_NE(http.find("--http: expected HOST:PORT"), std::string::npos) << http;
  EXPECT_NE(http.find("rc=2"), std::string::npos) << http;
}

TEST_F(ServeAdminTest, LocalhostIsAcceptedAndAllInterfacesAreAWarning) {
  int port = testing::FreeLoopbackPort();
  {
    ServeProcess s({CREDSWEEP_BINARY, "serve", "--db", dir_ + "/db", "--resp", "localhost:" + std::to_string(port)},
                   port, log());
    EXPECT_EQ(Shell("redis-cli -h localhost -p " + std::to_string(port) + " GET urn:a"), "active\n");
    EXPECT_EQ(testing::ReadFile(log()).find("all interfaces"), std::string::npos);
  }
  ServeProcess all({CREDSWEEP_BINARY, "serve", "--db", dir_ + "/db", "--resp", ":" + std::to_string(port)}, port,
                   log());
  EXPECT_EQ(Shell("redis-cli -p " + std::to_string(port) + " GET urn:a"), "active\n");
  EXPECT_TRUE(LogShows("listening on all interfaces (0.0.0.0)")) << testing::ReadFile(log());
}

TEST_F(ServeAdminTest, ConfigGetAndDbsizeAnswerAsRedisClientsExpect) {
  auto s = Serve();
  EXPECT_EQ(Cli("CONFIG GET save"), "save\n\n");
  EXPECT_EQ(Cli("CONFIG GET appendonly"), "appendonly\nyes\n");
  EXPECT_EQ(Cli("CONFIG GET nosuchparameter"), "\n");  // an empty array
  EXPECT_EQ(Cli("CONFIG GET 'append*'"), "appendonly\nyes\nappendfsync\nalways\n");
  EXPECT_NE(Cli("CONFIG SET save 60").find("ERR CONFIG SET is not supported"), std::string::npos);
  EXPECT_EQ(Cli("DBSIZE"), "3\n");
  EXPECT_NE(Cli("DBSIZE x").find("ERR wrong number of arguments for 'dbsize'"), std::string::npos);
}

TEST_F(ServeAdminTest, RedisBenchmarkRunsAgainstIt) {
  auto s = Serve();
  std::string r = Shell("redis-benchmark -p " + std::to_string(resp_port_) + " -t ping,get -n 2000 -c 4 -q 2>&1");
  EXPECT_NE(r.find("PING_INLINE: "), std::string::npos) << r;
  EXPECT_NE(r.find("GET: "), std::string::npos) << r;
  EXPECT_NE(r.find("requests per second"), std::string::npos) << r;
  EXPECT_EQ(r.find("CONFIG"), std::string::npos) << "redis-benchmark could not read CONFIG: " << r;
  EXPECT_EQ(r.find("ERR"), std::string::npos) << r;
}

TEST_F(ServeAdminTest, HttpSentToTheRespPortIsClosedWithoutAnAnswer) {
  auto s = Serve();
  int post = testing::ConnectLoopback(resp_port_);
  ASSERT_GE(post, 0);
  ASSERT_TRUE(testing::SendAll(post, "POST /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nPING"));
  bool closed = false;
  EXPECT_EQ(ReadToClose(post, &closed), "");
  EXPECT_TRUE(closed);
  close(post);
  // GET / HTTP/1.1 is a (wrong) GET, answered as Redis does; the Host: line closes.
  int get = testing::ConnectLoopback(resp_port_);
  ASSERT_GE(get, 0);
  ASSERT_TRUE(testing::SendAll(get, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: x\r\n\r\nPING\r\n"));
  EXPECT_EQ(ReadToClose(get, &closed), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_TRUE(closed);
  close(get);
  const std::string warning = "sent an HTTP request line (POST or Host:) to the RESP port";
  EXPECT_TRUE(LogShows(warning));
  EXPECT_EQ(Cli("GET urn:a"), "active\n");  // others are served
  std::string l = testing::ReadFile(log());
  EXPECT_EQ(l.find(warning), l.rfind(warning)) << "logged at most once a minute: " << l;
}

TEST_F(ServeAdminTest, NamedTokensNameTheActorOfEachWrite) {
  auto s = Serve();
  EXPECT_EQ(Cli(std::string("--user alice --pass ") + kAlice + " --no-auth-warning CRED.REVOKE urn:a lost").find("ERR"),
            std::string::npos);
  EXPECT_EQ(Cli(std::string("-a ") + kBob + " --no-auth-warning CRED.SUSPEND urn:b appeal").find("ERR"),
            std::string::npos);
  EXPECT_NE(Cli(std::string("--user alice --pass ") + kBob + " --no-auth-warning CRED.SUSPEND urn:c x").find("WRONGPASS"),
            std::string::npos);
  std::string a = Cli("CRED.HISTORY urn:a"), b = Cli("CRED.HISTORY urn:b");
  EXPECT_NE(a.find("alice via resp:127.0.0.1:"), std::string::npos) << a;
  EXPECT_NE(b.find("bob via resp:127.0.0.1:"), std::string::npos) << b;
  EXPECT_EQ(Cli("GET urn:c"), "active\n");
  EXPECT_EQ(testing::ReadFile(log()).find(kAlice), std::string::npos) << "a token in the log";
}

TEST_F(ServeAdminTest, ABadTokenFileIsRefusedNamingTheLineNotTheToken) {
  WriteTokens(std::string("alice ") + kAlice + "\nbob short-token\n");
  std::string r = Serve2("--resp 127.0.0.1:0 --auth-token-file " + dir_ + "/tokens");
  EXPECT_NE(r.find("line 2: the token has 11 characters; at least 32 are required"), std::string::npos) << r;
  EXPECT_EQ(r.find("short-token"), std::string::npos) << r;
  EXPECT_NE(r.find("rc=2"), std::string::npos) << r;
  WriteTokens(std::string("alice ") + kAlice + "\nalice " + kBob + "\n");
  EXPECT_NE(Serve2("--resp 127.0.0.1:0 --auth-token-file " + dir_ + "/tokens").find("the name 'alice' is used twice"),
            std::string::npos);
}

TEST_F(ServeAdminTest, SighupReloadsTokensAndKeepsConnectionsOpen) {
  auto s = Serve();
  int alice = testing::ConnectLoopback(resp_port_), bob = testing::ConnectLoopback(resp_port_);
  ASSERT_GE(alice, 0);
  ASSERT_GE(bob, 0);
  ASSERT_EQ(Ask(alice, std::string("AUTH alice ") + kAlice), "+OK\r\n");
  ASSERT_EQ(Ask(bob, std::string("AUTH ") + kBob), "+OK\r\n");
  EXPECT_NE(Cli(std::string("-a ") + kCarol + " --no-auth-warning CRED.REVOKE urn:c x").find("WRONGPASS"),
            std::string::npos);
  WriteTokens(std::string("bob ") + kBob + "\ncarol " + kCarol + "\n");  // alice removed, carol added
  ASSERT_EQ(kill(s->pid(), SIGHUP), 0);
  ASSERT_TRUE(LogShows("SIGHUP: 2 token(s) loaded")) << testing::ReadFile(log());
  // Both connections are still open; alice's token is gone, bob's was kept.
  EXPECT_EQ(Ask(alice, "PING"), "+PONG\r\n");
  EXPECT_EQ(Ask(alice, "CRED.SUSPEND urn:a x").rfind("-NOAUTH the token this connection authenticated with", 0), 0u);
  EXPECT_EQ(Ask(bob, "PING"), "+PONG\r\n");
  EXPECT_EQ(Ask(bob, "CRED.SUSPEND urn:b reload").front(), ':');
  // carol's new token works on a new connection.
  std::string carol = Cli(std::string("-a ") + kCarol + " --no-auth-warning CRED.REVOKE urn:c \"after reload\"");
  EXPECT_GT(std::atoll(carol.c_str()), 0) << carol;
  EXPECT_NE(Cli("CRED.HISTORY urn:c").find("carol via resp:"), std::string::npos);
  // A broken file on the next SIGHUP keeps the tokens in force.
  WriteTokens("nobody short\n");
  ASSERT_EQ(kill(s->pid(), SIGHUP), 0);
  ASSERT_TRUE(LogShows("SIGHUP: tokens kept")) << testing::ReadFile(log());
  EXPECT_EQ(Ask(bob, "CRED.REINSTATE urn:b ok").front(), ':');
  close(alice);
  close(bob);
  int status = s->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// The certificate's subject as openssl s_client sees it on `port`.
std::string ServedSubject(int port, const std::string& extra = "") {
  return Shell("echo | openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " " + extra +
               " 2>/dev/null | grep -o 'subject=.*'");
}

TEST_F(ServeAdminTest, SighupServesAChangedTlsCertificate) {
  const std::string cert = dir_ + "/cert.pem", key = dir_ + "/key.pem";
  auto make = [&](const std::string& cn) {
    return std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + key +
                        ".new -out " + cert + ".new -days 2 -subj /CN=" + cn +
                        " -addext subjectAltName=IP:127.0.0.1 2>/dev/null && mv " + key + ".new " + key + " && mv " +
                        cert + ".new " + cert)
                           .c_str());
  };
  ASSERT_EQ(make("first"), 0);
  int http_port = testing::FreeLoopbackPort();
  auto s = Serve({"--tls-cert", cert, "--tls-key", key, "--http", "127.0.0.1:" + std::to_string(http_port)});
  EXPECT_NE(ServedSubject(resp_port_).find("CN = first"), std::string::npos) << ServedSubject(resp_port_);
  ASSERT_EQ(make("second"), 0);
  ASSERT_EQ(kill(s->pid(), SIGHUP), 0);
  ASSERT_TRUE(LogShows("SIGHUP: TLS certificate loaded")) << testing::ReadFile(log());
  EXPECT_NE(ServedSubject(resp_port_).find("CN = second"), std::string::npos) << ServedSubject(resp_port_);
  EXPECT_NE(ServedSubject(http_port).find("CN = second"), std::string::npos) << ServedSubject(http_port);
  EXPECT_EQ(Shell("redis-cli --tls --cacert " + cert + " -p " + std::to_string(resp_port_) + " GET urn:a"), "active\n");
  // A key that does not match the certificate: the reload is refused, the old pair kept.
  ASSERT_EQ(std::system(("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + key +
                         " 2>/dev/null").c_str()),
            0);
  ASSERT_EQ(kill(s->pid(), SIGHUP), 0);
  ASSERT_TRUE(LogShows("SIGHUP: TLS certificate kept")) << testing::ReadFile(log());
  EXPECT_NE(ServedSubject(resp_port_).find("CN = second"), std::string::npos);
}

}  // namespace
}  // namespace credsweep
