// Runs the real credsweep binary (CREDSWEEP_BINARY) in a per-test folder, with
// stdout and stderr kept apart and the exit status decoded.
#ifndef CREDSWEEP_TESTS_IO_CLI_CLI_FIXTURE_H_
#define CREDSWEEP_TESTS_IO_CLI_CLI_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/signer.h"
#include "tests/testutil.h"

namespace credsweep::testing {

struct CliRun {
  int code = -1;  // exit status; -1 when the process died of a signal
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = (std::filesystem::path(::testing::TempDir()) /
             ("cli-" + std::string(::testing::UnitTest::GetInstance()->current_test_suite()->name()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" + std::to_string(::getpid())))
                .string();
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // `credsweep ARGS` (ARGS as a shell would split them), stdin from `stdin_file`
  // when given, else from /dev/null; `env`: NAME=VALUE assignments for the process.
  CliRun Credsweep(const std::string& args, const std::string& stdin_file = "/dev/null", const std::string& env = "") {
    std::string cmd = "cd " + root_ + " && " + env + " " + std::string(CREDSWEEP_BINARY) + " " + args + " <" + stdin_file +
                      " >" + root_ + "/.out 2>" + root_ + "/.err";
    int rc = std::system(cmd.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ReadFile(root_ + "/.out"), ReadFile(root_ + "/.err")};
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = root_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string Path(const std::string& name) const { return root_ + "/" + name; }

  std::string root_;
};

// A compact VC 2.0 JWS with this id, issued by https://i.example and sealed by `key`.
inline std::string SignedCredential(const PrivateKey& key, const std::string& id) {
  std::string payload = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
                        R"("id":")" + id + R"(","issuer":"https://i.example","credentialSubject":{}})";
  return SignCompact(key, R"({"alg":"ES256","kid":")" + key.kid() + "\"}", payload).value();
}

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_CLI_CLI_FIXTURE_H_
