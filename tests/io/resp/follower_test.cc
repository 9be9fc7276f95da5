// `serve --follow`: a read-only follower of the index another `serve` writes (a
// RocksDB secondary instance), with real processes and redis-cli over loopback: a
// write through the writer is seen by the follower within --catch-up-interval, the
// follower refuses writes, and a follower needs an existing index.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "tests/io/cli/cli_fixture.h"
#include "tests/io/serve_process.h"

namespace credsweep::testing {
namespace {

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

class Follower : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Credsweep("init --db db").code, 0);
    Write("token", std::string(kToken) + "\n");
    chmod(Path("token").c_str(), 0600);
    writer_port_ = FreeLoopbackPort();
    writer_ = std::make_unique<ServeProcess>(
        std::vector<std::string>{CREDSWEEP_BINARY, "serve", "--db", Path("db"), "--resp",
                                 "127.0.0.1:" + std::to_string(writer_port_), "--auth-token-file", Path("token")},
        writer_port_, Path("writer.log"));
    ASSERT_TRUE(writer_->Ready()) << ReadFile(Path("writer.log"));
    follower_port_ = FreeLoopbackPort();
    follower_ = std::make_unique<ServeProcess>(
        std::vector<std::string>{CREDSWEEP_BINARY, "serve", "--db", Path("db"), "--follow", "--follower-dir",
                                 Path("follower"), "--catch-up-interval", "0.5", "--resp",
                                 "127.0.0.1:" + std::to_string(follower_port_)},
        follower_port_, Path("follower.log"));
    ASSERT_TRUE(follower_->Ready()) << ReadFile(Path("follower.log"));
  }
  std::string Follow(const std::string& args) {
    return Shell("redis-cli -p " + std::to_string(follower_port_) + " " + args + " 2>&1");
  }
  int writer_port_ = 0, follower_port_ = 0;
  std::unique_ptr<ServeProcess> writer_, follower_;
};

TEST_F(Follower, AWriteThroughTheWriterIsSeenWithinTheInterval) {
  EXPECT_EQ(Follow("GET urn:uuid:11111111-1111-4111-8111-111111111111"), "\n") << "unknown: nil";
  ASSERT_EQ(Credsweep("revoke urn:uuid:11111111-1111-4111-8111-111111111111 --register --reason fraud --server "
                      "127.0.0.1:" + std::to_string(writer_port_) + " --token-file token")
                .code,
            0);
  const auto written = std::chrono::steady_clock::now();
  std::string state;
  while (std::chrono::steady_clock::now() - written < std::chrono::seconds(10)) {
    state = Follow("GET urn:uuid:11111111-1111-4111-8111-111111111111");
    if (state == "revoked\n") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - written).count();
  EXPECT_EQ(state, "revoked\n") << ReadFile(Path("follower.log"));
  EXPECT_LT(took, 3.0) << "0.5 s interval; the margin is for a loaded machine";
  // The follower's history and counts follow too.
  EXPECT_TRUE(Contains(Follow("CRED.STATUS urn:uuid:11111111-1111-4111-8111-111111111111"), "fraud"));
  // A second write: seen as well (the follower keeps catching up).
  ASSERT_EQ(Credsweep("revoke urn:b --register --reason typo --server 127.0.0.1:" + std::to_string(writer_port_) +
                      " --token-file token")
                .code,
            0);
  for (int i = 0; i < 200 && Follow("GET urn:b") != "revoked\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Follow("GET urn:b"), "revoked\n");
}

TEST_F(Follower, AFollowerRefusesWrites) {
  EXPECT_TRUE(Contains(Follow("CRED.REVOKE urn:c fraud REGISTER"), "READONLY")) << Follow("CRED.REVOKE urn:c fraud");
  EXPECT_EQ(Follow("GET urn:c"), "\n");
  struct stat st {};
  EXPECT_EQ(stat(Path("follower").c_str(), &st), 0) << "--follower-dir holds the follower's files";
  int status = follower_->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(Path("follower.log"));
}

TEST(FollowerOptions, AFollowerNeedsAnExistingIndexAndDoesNotPublish) {
  const std::string bin = CREDSWEEP_BINARY;
  EXPECT_NE(Shell(bin + " serve --db /nonexistent/index --follow --resp 127.0.0.1:0 2>&1; echo rc=$?")
                .find("rc=2"),
            std::string::npos);
  std::string r = Shell(bin + " serve --db /nonexistent/index --follow --publish-key k.jwk --resp 127.0.0.1:0 2>&1; "
                              "echo rc=$?");
  EXPECT_NE(r.find("--follow and --publish-key go apart"), std::string::npos) << r;
}

}  // namespace
}  // namespace credsweep::testing
