// Two sweeps of one index never run at once: while one runs (here: reading a
// stdin that stays open), a second exits 2 naming the first one's PID, and
// leaves the index and its outputs alone. The lock goes with the process.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/io/cli/sweep_fixture.h"

namespace credsweep::testing {
namespace {

class SweepLockTest : public SweepTest {
 protected:
  // Starts `credsweep sweep - ...` reading stdin from a pipe whose write end the
  // test keeps (stdin_fd_); returns its PID.
  pid_t StartHolder() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(fds[0], 0);
      ::close(fds[0]);
      ::close(fds[1]);
      int err = ::open((root_ + "/holder.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(err, 2);
      if (::chdir(root_.c_str()) != 0) ::_exit(120);
      ::execl(CREDSWEEP_BINARY, CREDSWEEP_BINARY, "sweep", "-", "--db", "index", "--jwks", "https://i.example=i.jwks.json",
              "--at", kNight1, "-q", "--report", "holder-report", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[0]);
    stdin_fd_ = fds[1];
    return pid;
  }

  // Waits until the lock file names `pid` (the holder took the lock).
  bool WaitForLock(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
      std::ifstream in(Path("index/credsweep-sweep.lock"));
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text == std::to_string(pid) + "\n") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  int stdin_fd_ = -1;
};

TEST_F(SweepLockTest, ASecondSweepOfTheSameIndexExits2NamingTheHolder) {
  const pid_t holder = StartHolder();
  ASSERT_TRUE(WaitForLock(holder)) << ReadFile(Path("holder.err"));

  CliRun second = Sweep(kNight1, "--report second");
  EXPECT_EQ(second.code, 2) << second.err;
  EXPECT_TRUE(Contains(second.err, "another sweep (PID " + std::to_string(holder) + ") is running on index"))
      << second.err;
  EXPECT_FALSE(std::filesystem::exists(Path("second/summary.json")));

  // The holder finishes its run normally once its input ends.
  std::string record = ReadFile(Path("corpus/a.jwt"));
  ASSERT_EQ(::write(stdin_fd_, record.data(), record.size()), static_cast<ssize_t>(record.size()));
  ::close(stdin_fd_);
  int status = 0;
  ASSERT_EQ(::waitpid(holder, &status, 0), holder);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadFile(Path("holder.err"));
  EXPECT_TRUE(std::filesystem::exists(Path("holder-report/summary.json")));

  // Then the lock is free.
  CliRun after = Sweep(kNight1);
  EXPECT_EQ(after.code, 1) << after.err;
}

TEST_F(SweepLockTest, AKilledHolderLeavesNoStaleLock) {
  const pid_t holder = StartHolder();
  ASSERT_TRUE(WaitForLock(holder)) << ReadFile(Path("holder.err"));
  ::kill(holder, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(holder, &status, 0), holder);
  ::close(stdin_fd_);
  CliRun after = Sweep(kNight1);
  EXPECT_EQ(after.code, 1) << after.err;
  EXPECT_EQ(Lines(Credsweep("sweep history --db index").out).size(), 2u) << "the killed run was not stored";
}

TEST_F(SweepLockTest, AStoppedSweepStoresNothingAndWritesNoReport) {
  const pid_t holder = StartHolder();
  ASSERT_TRUE(WaitForLock(holder)) << ReadFile(Path("holder.err"));
  std::string record = ReadFile(Path("corpus/a.jwt"));
  ASSERT_EQ(::write(stdin_fd_, record.data(), record.size()), static_cast<ssize_t>(record.size()));
  ::kill(holder, SIGTERM);
  ::close(stdin_fd_);  // the blocked read ends
  int status = 0;
  ASSERT_EQ(::waitpid(holder, &status, 0), holder);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 143) << ReadFile(Path("holder.err"));
  EXPECT_TRUE(Contains(ReadFile(Path("holder.err")), "the run was not stored")) << ReadFile(Path("holder.err"));
  EXPECT_FALSE(std::filesystem::exists(Path("holder-report/summary.json")));
  EXPECT_EQ(Lines(Credsweep("sweep history --db index").out).size(), 1u) << "the header only";
}

}  // namespace
}  // namespace credsweep::testing
