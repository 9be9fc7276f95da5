// Reading ahead: a file dropped from the page cache is read back in the
// background, the range asked for and no more; a descriptor that cannot be
// advised asks for nothing.
#include "storage/read_ahead.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace credsweep::storage {
namespace {

namespace fs = std::filesystem;

const size_t kPage = static_cast<size_t>(sysconf(_SC_PAGESIZE));

class ReadAheadTest : public ::testing::Test {
 protected:
  static constexpr size_t kBytes = size_t{4} << 20;

  void SetUp() override {
    path_ = (fs::path(::testing::TempDir()) /
             ("credsweep-read-ahead-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(fd_, 0);
    const std::string block(kPage, 'x');
    for (size_t i = 0; i < kBytes / kPage; ++i) ASSERT_EQ(write(fd_, block.data(), kPage), ssize_t(kPage));
    ASSERT_EQ(fdatasync(fd_), 0);
  }
  void TearDown() override {
    if (fd_ >= 0) close(fd_);
    fs::remove(path_);
  }

  // Pages of [offset, offset + bytes) in the page cache.
  size_t CachedPages(size_t offset, size_t bytes) const {
    void* m = mmap(nullptr, kBytes, PROT_READ, MAP_SHARED, fd_, 0);
    if (m == MAP_FAILED) return ~size_t{0};
    std::vector<unsigned char> v(bytes / kPage);
    size_t n = 0;
    if (mincore(static_cast<char*>(m) + offset, bytes, v.data()) == 0) {
      for (unsigned char c : v) n += c & 1;
    } else {
      n = ~size_t{0};
    }
    munmap(m, kBytes);
    return n;
  }
  // Drops the file from the page cache; false where the file system keeps files
  // in memory (tmpfs), which leaves nothing to read ahead.
  bool Dropped() const {
    return posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED) == 0 && CachedPages(0, kBytes) == 0;
  }
  // Waits up to 10 s for [offset, offset + bytes) to be cached whole.
  bool CachedWithin(size_t offset, size_t bytes) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (CachedPages(offset, bytes) != bytes / kPage) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  std::string path_;
  int fd_ = -1;
};

TEST_F(ReadAheadTest, AFileOutOfThePageCacheIsReadBackWithoutAReadCall) {
  if (!Dropped()) GTEST_SKIP() << "this file system keeps " << path_ << " in memory";
  EXPECT_EQ(AdviseWillNeed(fd_, 0, kBytes), kBytes);
  EXPECT_TRUE(CachedWithin(0, kBytes)) << CachedPages(0, kBytes) << " of " << kBytes / kPage << " pages";
}

TEST_F(ReadAheadTest, OnlyTheRangeAskedForIsRead) {
  if (!Dropped()) GTEST_SKIP() << "this file system keeps " << path_ << " in memory";
  const size_t offset = size_t{2} << 20, bytes = size_t{1} << 20;
  EXPECT_EQ(AdviseWillNeed(fd_, offset, bytes), bytes);
  EXPECT_TRUE(CachedWithin(offset, bytes));
  EXPECT_EQ(CachedPages(0, offset), 0u) << "nothing before the range";
  EXPECT_EQ(CachedPages(offset + bytes, kBytes - offset - bytes), 0u) << "nothing after it";
}

TEST_F(ReadAheadTest, WhatCannotBeAdvisedIsNotCounted) {
  EXPECT_EQ(AdviseWillNeed(-1, 0, kBytes), 0u);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  EXPECT_EQ(AdviseWillNeed(pipe_fds[0], 0, kBytes), 0u) << "a pipe has no page cache";
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  EXPECT_EQ(AdviseWillNeed(fd_, 0, 0), 0u);
}

TEST(ReadAheadAllowance, IsAQuarterOfTheFreeMemoryAtMost) {
  const uint64_t total = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * kPage;
  EXPECT_GT(ReadAheadAllowance(), 0u);
  EXPECT_LE(ReadAheadAllowance(), total / 4);
}

}  // namespace
}  // namespace credsweep::storage
