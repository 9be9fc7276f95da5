// `credsweep serve` driven by Debian's redis-cli and by raw sockets on loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/status_index.h"
#include "tests/io/serve_process.h"
#include "tests/testutil.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "s3cret-token-for-tests-0123456789";

int FreePort() { return testing::FreeLoopbackPort(); }

int Connect(int port) { return testing::ConnectLoopback(port); }

using testing::ReadToClose;
using testing::SendAll;
using testing::Shell;

// Reads until the reply stream ends with `suffix` (or 5 s pass).
std::string ReadUntil(int fd, const std::string& suffix) {
  std::string out;
  char buf[4096];
  while (!out.ends_with(suffix)) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string BulkArg(size_t n, char c) { return "$" + std::to_string(n) + "\r\n" + std::string(n, c) + "\r\n"; }

class Server {
 public:
  // `log`: where the server's stderr goes. `max_files`: its RLIMIT_NOFILE when > 0.
  Server(const std::string& db, const std::vector<std::string>& extra, const std::string& log = "/dev/null",
         rlim_t max_files = 0)
      : port_(FreePort()) {
    pid_ = fork();
    if (pid_ == 0) {
      if (max_files > 0) {
        rlimit lim{max_files, max_files};
        setrlimit(RLIMIT_NOFILE, &lim);
      }
      std::vector<std::string> args = {CREDSWEEP_BINARY, "serve", "--db", db, "--resp",
                                       "127.0.0.1:" + std::to_string(port_), "--threads", "2"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      freopen(log.c_str(), "w", stderr);
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
                 " " + args + " 2>/dev/null");  // replies only: a connection error is no reply
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // A field of INFO, e.g. "connected_clients"; -1 when missing.
  long long Info(const std::string& field) const {
    std::string info = Cli("INFO");
    size_t at = info.find(field + ":");
    return at == std::string::npos ? -1 : std::atoll(info.c_str() + at + field.size() + 1);
  }
  // Polls INFO until `field` satisfies `ok`, for up to 5 s; the last value seen.
  template <class Pred>
  long long WaitForInfo(const std::string& field, Pred ok) const {
    long long v = Info(field);
    for (int i = 0; i < 100 && !ok(v); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      v = Info(field);
    }
    return v;
  }
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
    auto idx = storage::CreateOrOpenForWriting(dir_ + "/db").value();
    for (const char* id : {"urn:a", "urn:r"}) {
      ASSERT_TRUE(idx->Apply({id, storage::Operation::kRegister, CredentialState::kActive, "", 0}, "t").ok());
    }
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
  EXPECT_EQ(s.Cli("ECHO hello"), "hello\n");
  EXPECT_NE(s.Cli("NOSUCH x").find("ERR unknown command"), std::string::npos);
  // COMMAND COUNT counts the commands answered, each of them known.
  EXPECT_EQ(s.Cli("COMMAND COUNT"), "26\n");
  for (const char* c : {"GET", "MGET", "EXISTS", "CRED.STATUS", "CRED.MSTATUS", "CRED.HISTORY", "CRED.REVOKE",
                        "CRED.SUSPEND", "CRED.REINSTATE", "CRED.REGISTER", "PING", "ECHO", "AUTH", "SELECT",
                        "HELLO", "COMMAND", "CLIENT", "INFO", "CONFIG", "DBSIZE", "CRED.STATS", "LISTS.PUBLISH",
                        "INDEX.COMPACT", "CRED.ENROL", "CRED.IMPORT", "QUIT"}) {
    EXPECT_EQ(s.Cli(c).find("unknown command"), std::string::npos) << c;
  }
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
  EXPECT_EQ(s.Cli("CRED.REGISTER urn:n1 urn:n2 urn:a", true), "2\n");
}

// Operator commands: authenticated like writes; LISTS.PUBLISH only where the server
// publishes (tests/io/cli/serve_publishes_test.cc has the publishing server).
TEST_F(RespServerTest, OperatorCommandsNeedTheTokenAndSayWhatTheyCannotDo) {
  Server s(db(), {"--auth-token-file", token_file()});
  EXPECT_NE(s.Cli("INDEX.COMPACT").find("NOAUTH"), std::string::npos);
  EXPECT_NE(s.Cli("LISTS.PUBLISH").find("NOAUTH"), std::string::npos);
  EXPECT_EQ(s.Cli("INDEX.COMPACT", true), "OK\n");
  EXPECT_NE(s.Cli("LISTS.PUBLISH", true).find("ERR this server does not publish status lists"), std::string::npos);
  EXPECT_NE(s.Cli("INDEX.COMPACT now", true).find("wrong number of arguments"), std::string::npos);
  EXPECT_EQ(s.Cli("GET urn:a"), "active\n") << "still serving";
}

TEST_F(RespServerTest, WritesToAnUnknownIdAreRefusedUnlessRegisterIsGiven) {
  Server s(db(), {"--auth-token-file", token_file()});
  for (const char* cmd : {"CRED.REVOKE", "CRED.SUSPEND", "CRED.REINSTATE"}) {
    std::string r = s.Cli(std::string(cmd) + " urn:typo x", true);
    EXPECT_TRUE(r.starts_with("UNKNOWNID unknown credential id 'urn:typo'")) << cmd << ": " << r;
  }
  EXPECT_EQ(s.Cli("GET urn:typo"), "\n");
  EXPECT_NE(s.Cli("CRED.REVOKE urn:typo x BOGUS", true).find("ERR syntax error: 'BOGUS' is not REGISTER"),
            std::string::npos);
  EXPECT_NE(s.Cli("CRED.REINSTATE urn:typo x REGISTER", true).find("is not UNREVOKE"), std::string::npos);
  std::string seq = s.Cli("CRED.SUSPEND urn:typo inquiry register", true);
  EXPECT_GT(std::stoll(seq), 0) << seq;
  EXPECT_EQ(s.Cli("GET urn:typo"), "suspended\n");
  EXPECT_NE(s.Cli("CRED.HISTORY urn:typo").find("suspend\nunknown\nsuspended"), std::string::npos);
  // The CLI through the server: exit 1 naming the id, and --register.
  std::string bin = CREDSWEEP_BINARY;
  std::string tok = " --token-file " + token_file() + " --server 127.0.0.1:" + std::to_string(s.port());
  std::string refused = Shell(bin + " revoke urn:new --reason x" + tok + " 2>&1; echo rc=$?");
  EXPECT_NE(refused.find("urn:new: UNKNOWNID unknown credential id 'urn:new'"), std::string::npos) << refused;
  EXPECT_NE(refused.find("rc=1"), std::string::npos) << refused;
  std::string ok = Shell(bin + " revoke urn:new --reason x --register" + tok + " 2>&1; echo rc=$?");
  EXPECT_NE(ok.find("urn:new revoked (event"), std::string::npos) << ok;
  EXPECT_NE(ok.find("rc=0"), std::string::npos) << ok;
}

// RFC 9562: the UUID in a urn:uuid: id is case-insensitive, in the state cache
// (a cached answer for one spelling is the answer for all), RESP and HTTP alike.
TEST_F(RespServerTest, UrnUuidIdsAreTheSameCredentialInAnyCase) {
  const std::string upper = "URN:UUID:0F1E2D3C-AAAA-4BBB-8CCC-00000000000D";
  const std::string lower = "urn:uuid:0f1e2d3c-aaaa-4bbb-8ccc-00000000000d";
  int http_port = FreePort();
  Server s(db(), {"--auth-token-file", token_file(), "--http", "127.0.0.1:" + std::to_string(http_port)});
  EXPECT_EQ(s.Cli("GET " + upper), "\n");  // unknown, and cached as such
  EXPECT_EQ(s.Cli("CRED.REGISTER " + lower, true), "1\n");
  EXPECT_EQ(s.Cli("GET " + upper), "active\n");
  EXPECT_EQ(s.Cli("CRED.REGISTER " + upper, true), "0\n");  // already known
  std::string seq = s.Cli("CRED.REVOKE urn:uuid:0f1e2d3c-AAAA-4bbb-8ccc-00000000000D fraud", true);
  EXPECT_GT(std::stoll(seq), 0) << seq;
  EXPECT_EQ(s.Cli("MGET " + upper + " " + lower), "revoked\nrevoked\n");
  EXPECT_EQ(s.Cli("EXISTS " + upper), "1\n");
  EXPECT_TRUE(s.Cli("CRED.STATUS " + upper).starts_with("state\nrevoked\nreason\nfraud")) << s.Cli("CRED.STATUS " + upper);
  EXPECT_NE(s.Cli("CRED.HISTORY " + upper).find("register\nunknown\nactive"), std::string::npos);
  std::string http = Shell("curl -s http://127.0.0.1:" + std::to_string(http_port) + "/v1/credentials/" + upper +
                           "/status");
  EXPECT_NE(http.find("\"state\":\"revoked\""), std::string::npos) << http;
  std::string cli = Shell(std::string(CREDSWEEP_BINARY) + " status " + upper + " --db " + db());
  EXPECT_TRUE(cli.starts_with(upper + " revoked since")) << cli;
}

TEST_F(RespServerTest, RevocationIsFinalAndRepeatedWritesAreNoOps) {
  Server s(db(), {"--auth-token-file", token_file()});
  auto events = [&s] {  // the "events" field of CRED.STATS: the chain's last sequence
    std::string stats = s.Cli("CRED.STATS");
    size_t at = stats.find("events\n");
    return at == std::string::npos ? -1 : std::atoll(stats.c_str() + at + 7);
  };
  const long long before = events();
  EXPECT_GT(before, 0);
  // urn:r is revoked: reinstate and suspend are refused, naming the id.
  std::string reinstate = s.Cli("CRED.REINSTATE urn:r cleared", true);
  EXPECT_TRUE(reinstate.starts_with("REFUSED 'urn:r' is revoked since")) << reinstate;
  EXPECT_NE(reinstate.find("revocation is final"), std::string::npos) << reinstate;
  std::string suspend = s.Cli("CRED.SUSPEND urn:r inquiry", true);
  EXPECT_TRUE(suspend.starts_with("REFUSED 'urn:r'")) << suspend;
  EXPECT_EQ(s.Cli("GET urn:r"), "revoked\n");
  // Nothing changes: 0, no event, the original reason kept.
  EXPECT_EQ(s.Cli("CRED.REVOKE urn:r \"again\"", true), "0\n");
  EXPECT_EQ(s.Cli("CRED.REINSTATE urn:a cleared", true), "0\n");
  EXPECT_EQ(events(), before);  // no event written by any of the above
  EXPECT_NE(s.Cli("CRED.STATUS urn:r").find("fraud"), std::string::npos);
  // UNREVOKE corrects a mistaken revocation, with a reason, logged as such.
  EXPECT_NE(s.Cli("CRED.REINSTATE urn:r \"\" UNREVOKE", true).find("ERR UNREVOKE needs a reason"), std::string::npos);
  std::string seq = s.Cli("CRED.REINSTATE urn:r \"wrong id\" UNREVOKE", true);
  EXPECT_GT(std::stoll(seq), 0) << seq;
  EXPECT_EQ(s.Cli("GET urn:r"), "active\n");
  std::string history = s.Cli("CRED.HISTORY urn:r");
  EXPECT_NE(history.find("unrevoke\nrevoked\nactive"), std::string::npos) << history;
  EXPECT_NE(history.find("wrong id"), std::string::npos) << history;
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

TEST_F(RespServerTest, ACommandIsCutAtItsDeadlineEvenWhileArgumentsKeepComing) {
  Server s(db(), {"--command-timeout", "1"});
  int c = Connect(s.port());
  ASSERT_GE(c, 0);
  // A slow loris: a 1024-argument command, one complete argument every 100 ms.
  // Nothing is buffered between arguments, but the command is still incomplete.
  ASSERT_TRUE(SendAll(c, "*1024\r\n"));
  std::string got;
  char buf[256];
  for (int i = 0; i < 40 && got.empty(); ++i) {
    SendAll(c, "$1\r\na\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ssize_t n = recv(c, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) got.assign(buf, static_cast<size_t>(n));
  }
  bool closed = false;
  got += ReadToClose(c, &closed);
  EXPECT_EQ(got, "-ERR command not completed within 1000 ms\r\n");
  EXPECT_TRUE(closed);
  close(c);
  EXPECT_EQ(s.Cli("GET urn:r"), "revoked\n");
}

TEST_F(RespServerTest, ACommandOverTheDefaultByteBudgetIsRefused) {
  Server s(db(), {});
  int c = Connect(s.port());
  ASSERT_GE(c, 0);
  // 16 arguments of 64,000 bytes (each within the 64 KiB argument limit) fit in
  // the 1 MiB budget of one command; announcing a 17th does not.
  ASSERT_TRUE(SendAll(c, "*1024\r\n"));
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(SendAll(c, BulkArg(64000, 'a')));
  ASSERT_TRUE(SendAll(c, "$64000\r\n"));
  bool closed = false;
  EXPECT_EQ(ReadToClose(c, &closed), "-ERR Protocol error: command larger than 1048576 bytes\r\n");
  EXPECT_TRUE(closed);
  close(c);
  EXPECT_EQ(s.Info("pending_command_bytes"), 0);
}

TEST_F(RespServerTest, TheClientThatCrossesTheGlobalBudgetIsCutOthersKeepTheirs) {
  Server s(db(), {"--max-command-bytes", "200000", "--max-pending-bytes", "300000"});
  int a = Connect(s.port()), b = Connect(s.port());
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  // a holds an incomplete EXISTS of 6 + 150,000 bytes (arguments are at most 64 KiB).
  ASSERT_TRUE(SendAll(a, "*5\r\n$6\r\nEXISTS\r\n" + BulkArg(50000, 'a') + BulkArg(50000, 'a') + BulkArg(50000, 'a')));
  ASSERT_EQ(s.WaitForInfo("pending_command_bytes", [](long long v) { return v == 150006; }), 150006);
  // b brings the total to 299,992, within the budget...
  ASSERT_TRUE(SendAll(b, "*5\r\n$6\r\nEXISTS\r\n" + BulkArg(50000, 'b') + BulkArg(50000, 'b') + BulkArg(49980, 'b') +
                             "$100\r\n"));
  ASSERT_EQ(s.WaitForInfo("pending_command_bytes", [](long long v) { return v == 299992; }), 299992);
  // ...and 100 more bytes take it past: b is answered and disconnected.
  ASSERT_TRUE(SendAll(b, std::string(100, 'b')));
  bool closed = false;
  EXPECT_EQ(ReadToClose(b, &closed),
            "-ERR server busy: too much incomplete input across connections, try again later\r\n");
  EXPECT_TRUE(closed);
  close(b);
  EXPECT_EQ(s.WaitForInfo("pending_command_bytes", [](long long v) { return v == 150006; }), 150006);
  ASSERT_TRUE(SendAll(a, "$1\r\nx\r\n"));  // a's command completes and is answered
  EXPECT_EQ(ReadUntil(a, "\r\n"), ":0\r\n");
  close(a);
  EXPECT_EQ(s.Info("pending_command_bytes"), 0);
}

TEST_F(RespServerTest, AClientThatStopsReadingIsCutAtTheWriteDeadline) {
  Server s(db(), {"--write-timeout", "1"});
  int c = socket(AF_INET, SOCK_STREAM, 0);
  int small = 4096;
  setsockopt(c, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);  // before connect: a small window
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(s.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(s.Info("connected_clients"), 2);  // c and the redis-cli asking
  // 400 pipelined ECHOs of 60 KB: 24 MB of replies that this client never reads.
  std::string echo = "*2\r\n$4\r\nECHO\r\n" + BulkArg(60000, 'e');
  for (int i = 0; i < 400; ++i) {
    if (send(c, echo.data(), echo.size(), MSG_NOSIGNAL | MSG_DONTWAIT) <= 0) break;  // the server stopped reading
  }
  EXPECT_EQ(s.WaitForInfo("connected_clients", [](long long v) { return v == 1; }), 1);
  close(c);
}

TEST_F(RespServerTest, ControlBytesEchoedInErrorsCannotForgeReplies) {
  Server s(db(), {});
  int c = Connect(s.port());
  ASSERT_GE(c, 0);
  std::string name = "X\r\n+OK\r\n:1";
  ASSERT_TRUE(SendAll(c, "*2\r\n$" + std::to_string(name.size()) + "\r\n" + name + "\r\n$4\r\na\nb'\r\n" +
                             "*1\r\n$4\r\nPING\r\n"));
  std::string got = ReadUntil(c, "+PONG\r\n");
  EXPECT_EQ(got,
            "-ERR unknown command 'X\\x0d\\x0a+OK\\x0d\\x0a:1', with args beginning with: 'a\\x0ab\\x27' \r\n"
            "+PONG\r\n");
  close(c);
}

TEST_F(RespServerTest, FailedAuthIsLoggedWithoutTheTokenAndClosesAfterThree) {
  std::string log = dir_ + "/serve.log";
  Server s(db(), {"--auth-token-file", token_file()}, log);
  int c = Connect(s.port());
  ASSERT_GE(c, 0);
  ASSERT_TRUE(SendAll(c, "AUTH guess-number-one\r\nAUTH default guess-number-two\r\nAUTH guess-number-three\r\n"
                         "AUTH " + std::string(kToken) + "\r\n"));
  bool closed = false;
  std::string got = ReadToClose(c, &closed);
  EXPECT_EQ(got,
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
            "-WRONGPASS invalid username-password pair or user is disabled (too many failures: closing)\r\n");
  EXPECT_TRUE(closed);  // the fourth AUTH, with the right token, is never tried
  close(c);
  // Fewer failures do not lock the right token out.
  std::string retry = s.Shell2("AUTH not-it-not-it-not-it-not-it-xx", std::string("AUTH ") + kToken);
  EXPECT_TRUE(retry.starts_with("WRONGPASS") && retry.ends_with("\nOK\n")) << retry;
  s.Kill(SIGTERM);
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t failures = 0;
  for (size_t at = text.find("AUTH failed for connection"); at != std::string::npos;
       at = text.find("AUTH failed for connection", at + 1)) {
    ++failures;
  }
  EXPECT_EQ(failures, 4u) << text;
  EXPECT_NE(text.find("from 127.0.0.1:"), std::string::npos) << text;
  EXPECT_EQ(text.find("guess-number"), std::string::npos) << text;
  EXPECT_EQ(text.find("not-it"), std::string::npos) << text;
}

TEST_F(RespServerTest, ATokenShorterThan32CharactersIsRefusedAtStart) {
  std::ofstream(dir_ + "/short") << std::string(31, 'k') << "\n";
  fs::permissions(dir_ + "/short", fs::perms::owner_read | fs::perms::owner_write);
  std::string out = Shell(std::string("timeout 10 ") + CREDSWEEP_BINARY + " serve --db " + db() +
                          " --resp 127.0.0.1:0 --auth-token-file " + dir_ + "/short 2>&1; echo rc=$?");
  EXPECT_NE(out.find("has 31 characters; at least 32 are required"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("rc=2\n")) << out;
}

TEST_F(RespServerTest, ATokenFileOthersCanReadIsRefusedUnlessAllowedByName) {
  fs::permissions(token_file(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                    fs::perms::others_read);
  std::string out = Shell(std::string("timeout 10 ") + CREDSWEEP_BINARY + " serve --db " + db() +
                          " --resp 127.0.0.1:0 --auth-token-file " + token_file() + " 2>&1; echo rc=$?");
  EXPECT_NE(out.find("is readable by other users (mode 644): chmod 600 it, or pass --allow-readable-token-file"),
            std::string::npos)
      << out;
  EXPECT_TRUE(out.ends_with("rc=2\n")) << out;
  Server s(db(), {"--auth-token-file", token_file(), "--allow-readable-token-file"});
  EXPECT_GT(std::stoll(s.Cli("CRED.REVOKE urn:a x", true)), 0);
}

// Metrics over one HTTP connection opened while the server still had descriptors.
class MetricsConnection {
 public:
  explicit MetricsConnection(int port) : fd_(testing::ConnectLoopback(port)) {}
  ~MetricsConnection() { close(fd_); }
  long long Value(const std::string& name) {
    if (!SendAll(fd_, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")) return -1;
    std::string got;
    char buf[8192];
    size_t length = std::string::npos, body = 0;
    while (length == std::string::npos || got.size() < body + length) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return -1;
      got.append(buf, static_cast<size_t>(n));
      size_t end = got.find("\r\n\r\n"), cl = got.find("Content-Length: ");
      if (end != std::string::npos && cl != std::string::npos) {
        length = std::stoul(got.substr(cl + 16));
        body = end + 4;
      }
    }
    size_t at = got.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::atoll(got.c_str() + at + name.size() + 2);
  }

 private:
  int fd_;
};

TEST_F(RespServerTest, OutOfDescriptorsTheAcceptLoopBacksOffAndRecovers) {
  std::string log = dir_ + "/serve.log";
  int http_port = FreePort();
  Server s(db(), {"--http", "127.0.0.1:" + std::to_string(http_port)}, log, 64);
  MetricsConnection metrics(http_port);
  ASSERT_EQ(metrics.Value("credsweep_resp_accept_errors_total"), 0);
  // More connections than the server has descriptors left: the rest wait in the
  // backlog, where each accept() fails with EMFILE.
  std::vector<int> clients;
  for (int i = 0; i < 80; ++i) {
    int c = Connect(s.port());
    ASSERT_GE(c, 0) << i;
    clients.push_back(c);
  }
  long long errors = -1;
  for (int i = 0; i < 100 && errors <= 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    errors = metrics.Value("credsweep_resp_accept_errors_total");
  }
  ASSERT_GT(errors, 0);
  // A spinning loop fails hundreds of thousands of times a second; one that backs
  // off for 100 ms fails about ten times.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  long long after = metrics.Value("credsweep_resp_accept_errors_total");
  EXPECT_LE(after - errors, 30) << errors << " then " << after;
  for (int c : clients) close(c);
  std::string pong;
  for (int i = 0; i < 100 && pong != "PONG\n"; ++i) {
    pong = s.Cli("PING");
    if (pong != "PONG\n") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(pong, "PONG\n");
  s.Kill(SIGTERM);
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("resp: cannot accept connections: Too many open files"), std::string::npos) << text;
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
      std::string r = s.Cli("CRED.REVOKE urn:k:" + std::to_string(i) + " bulk REGISTER", true);
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
  // Through the server too: a repeated write says since when, an un-revoke is exit 1.
  std::string tok = " --token-file " + token_file() + addr;
  std::string again = Shell(bin + " suspend urn:a --reason other" + tok + " 2>&1; echo rc=$?");
  EXPECT_NE(again.find("urn:a already suspended since"), std::string::npos) << again;
  EXPECT_NE(again.find("appeal pending"), std::string::npos) << again;
  EXPECT_NE(again.find("rc=0"), std::string::npos) << again;
  std::string refused_un = Shell(bin + " reinstate urn:r --reason x" + tok + " 2>&1; echo rc=$?");
  EXPECT_NE(refused_un.find("urn:r: REFUSED"), std::string::npos) << refused_un;
  EXPECT_NE(refused_un.find("rc=1"), std::string::npos) << refused_un;
  std::string un = Shell(bin + " reinstate urn:r --allow-unrevoke \"wrong id\"" + tok + " 2>&1; echo rc=$?");
  EXPECT_NE(un.find("urn:r active (event"), std::string::npos) << un;
  EXPECT_NE(un.find("rc=0"), std::string::npos) << un;
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
  std::string event = s.Cli(tls + " -a " + kToken + " --no-auth-warning CRED.SUSPEND urn:a x");
  ASSERT_FALSE(event.empty());
  EXPECT_GT(std::stoll(event), 0) << event;  // the acknowledged event number
  EXPECT_EQ(s.Cli(tls + " GET urn:a"), "suspended\n");
  // Plain text is not spoken on a TLS port; the server is still up afterwards.
  EXPECT_EQ(s.Cli("GET urn:r").find("revoked"), std::string::npos);
  EXPECT_EQ(s.Cli(tls + " GET urn:r"), "revoked\n");
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
