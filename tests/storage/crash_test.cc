// Durability: a child process revokes credentials one by one and reports each
// acknowledged write on a pipe; it is killed with SIGKILL mid-way. After reopening,
// every acknowledged revocation must be there and the chain must audit clean.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "storage/status_index.h"

namespace credsweep::storage {
namespace {

TEST(CrashRecovery, AcknowledgedRevocationsSurviveSigkill) {
  std::string dir = std::filesystem::path(::testing::TempDir()) / ("crash-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto idx = CreateOrOpenForWriting(dir);
    if (!idx.ok()) _exit(3);
    for (uint32_t i = 0;; ++i) {
      Change c{"urn:crash:" + std::to_string(i), Operation::kRevoke, CredentialState::kRevoked, "bulk", 0};
      c.register_unknown = true;
      if (!(*idx)->Apply(c, "crash-test").ok()) _exit(4);
      if (write(fds[1], &i, sizeof i) != sizeof i) _exit(5);  // acknowledged
    }
  }
  close(fds[1]);
  uint32_t last = 0;
  size_t acked = 0;
  while (acked < 300) {
    ASSERT_EQ(read(fds[0], &last, sizeof last), static_cast<ssize_t>(sizeof last));
    ++acked;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  // Drain acknowledgements written before the kill landed.
  uint32_t v;
  while (read(fds[0], &v, sizeof v) == static_cast<ssize_t>(sizeof v)) last = v;
  close(fds[0]);

  auto idx = OpenForWriting(dir);  // recovery happens on open
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  for (uint32_t i = 0; i <= last; ++i) {
    auto r = (*idx)->Lookup("urn:crash:" + std::to_string(i));
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->has_value()) << "acknowledged revocation " << i << " lost";
    EXPECT_EQ((*r)->state, CredentialState::kRevoked);
  }
  auto audit = (*idx)->Audit();
  ASSERT_TRUE(audit.ok());
  EXPECT_FALSE(audit->first_broken.has_value()) << audit->message;
  EXPECT_GE(audit->events, last + 1u);
  // The chain continues cleanly after recovery.
  ASSERT_TRUE((*idx)->Apply({"urn:after", Operation::kImport, CredentialState::kRevoked, "x", 0}, "t").ok());
  EXPECT_FALSE((*idx)->Audit()->first_broken.has_value());
  idx->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace credsweep::storage
