// Reading ahead: a file dropped from the page cache is read back in the
// background, the range asked for and no more, cut at the file's end; what is
// not a regular file asks for nothing; the allowance is a quarter of the
// available memory.
#include "storage/read_ahead.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/page_cache.h"

namespace credsweep::storage {
namespace {

namespace fs = std::filesystem;
using credsweep::testing::CachedPages;
using credsweep::testing::CachedWithin;
using credsweep::testing::DropFromPageCache;

class ReadAheadTest : public ::testing::Test {
 protected:
  static constexpr size_t kBytes = size_t{4} << 20;

  void SetUp() override {
    path_ = (fs::path(::testing::TempDir()) /
             ("credsweep-read-ahead-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::ofstream(path_, std::ios::binary) << std::string(kBytes, 'x');
    fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override {
    if (fd_ >= 0) close(fd_);
    fs::remove(path_);
  }

  std::string path_;
  int fd_ = -1;
};

TEST_F(ReadAheadTest, AFileOutOfThePageCacheIsReadBackWithoutAReadCall) {
  if (!DropFromPageCache(path_)) GTEST_SKIP() << "this file system keeps " << path_ << " in memory";
  EXPECT_EQ(AdviseWillNeed(fd_, 0, kBytes), kBytes);
  EXPECT_TRUE(CachedWithin(path_)) << CachedPages(path_).cached << " of " << CachedPages(path_).pages << " pages";
}

TEST_F(ReadAheadTest, OnlyTheRangeAskedForIsRead) {
  if (!DropFromPageCache(path_)) GTEST_SKIP() << "this file system keeps " << path_ << " in memory";
  const size_t offset = size_t{2} << 20, bytes = size_t{1} << 20;
  EXPECT_EQ(AdviseWillNeed(fd_, offset, bytes), bytes);
  EXPECT_TRUE(CachedWithin(path_, offset, bytes));
  EXPECT_EQ(CachedPages(path_, 0, offset).cached, 0u) << "nothing before the range";
  EXPECT_EQ(CachedPages(path_, offset + bytes).cached, 0u) << "nothing after it";
}

TEST_F(ReadAheadTest, AskingIsCutAtTheEndOfTheFile) {
  EXPECT_EQ(AdviseWillNeed(fd_, kBytes - 100, 1000), 100u);
  EXPECT_EQ(AdviseWillNeed(fd_, 0, ~uint64_t{0}), kBytes);
  EXPECT_EQ(AdviseWillNeed(fd_, kBytes, 1000), 0u);
  EXPECT_EQ(AdviseWillNeed(fd_, ~uint64_t{0}, ~uint64_t{0}), 0u);
  EXPECT_EQ(AdviseWillNeed(fd_, 0, 0), 0u);
}

TEST_F(ReadAheadTest, OnlyARegularFileIsAskedFor) {
  EXPECT_EQ(AdviseWillNeed(-1, 0, kBytes), 0u);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  EXPECT_EQ(AdviseWillNeed(pipe_fds[0], 0, kBytes), 0u) << "a pipe";
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  const int dir = open(::testing::TempDir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dir, 0);
  EXPECT_EQ(AdviseWillNeed(dir, 0, kBytes), 0u) << "a folder";
  close(dir);
}

// MemAvailable from /proc/meminfo, read here on its own.
uint64_t MemAvailableBytes() {
  std::ifstream in("/proc/meminfo");
  std::string name, unit;
  uint64_t kib = 0;
  while (in >> name >> kib >> unit) {
    if (name == "MemAvailable:") return kib << 10;
  }
  return 0;
}

TEST(ReadAheadAllowance, IsAQuarterOfTheAvailableMemory) {
  const uint64_t available = MemAvailableBytes();
  ASSERT_GT(available, 0u) << "a kernel with MemAvailable";
  EXPECT_NEAR(static_cast<double>(AvailableMemory()), static_cast<double>(available), available * 0.05);
  EXPECT_NEAR(static_cast<double>(ReadAheadAllowance()), available / 4.0, available * 0.05);
}

}  // namespace
}  // namespace credsweep::storage
