#include "io/sweep/prefault.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace credsweep::io {
namespace {

// A fresh anonymous mapping: no page of it is backed until written or populated.
class FreshMemory {
 public:
  explicit FreshMemory(size_t bytes) : bytes_(bytes) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    data_ = p == MAP_FAILED ? nullptr : static_cast<char*>(p);
    // Small pages, so that residency is counted page by page.
    if (data_) madvise(data_, bytes, MADV_NOHUGEPAGE);
  }
  ~FreshMemory() {
    if (data_) munmap(data_, bytes_);
  }
  char* data() const { return data_; }
  // Pages of [offset, offset + bytes) backed by memory.
  size_t ResidentPages(size_t offset, size_t bytes) const {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> v(bytes / page);
    if (mincore(data_ + offset, bytes, v.data()) != 0) return ~size_t{0};
    size_t n = 0;
    for (unsigned char c : v) n += c & 1;
    return n;
  }

 private:
  size_t bytes_;
  char* data_ = nullptr;
};

// Whether this kernel offers MADV_POPULATE_WRITE (Linux 5.14 on): asked of the
// kernel itself, so that PrefaultWritable giving nothing where it is offered fails.
bool KernelPopulates() {
#ifdef MADV_POPULATE_WRITE
  FreshMemory m(static_cast<size_t>(sysconf(_SC_PAGESIZE)));
  return m.data() && (madvise(m.data(), static_cast<size_t>(sysconf(_SC_PAGESIZE)), MADV_POPULATE_WRITE) == 0 ||
                      errno != EINVAL);
#else
  return false;
#endif
}

TEST(Prefault, BacksEveryPageAndKeepsWhatIsWritten) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t bytes = 3 * kPrefaultChunkBytes + 5 * page;  // more than one chunk, not a whole one
  FreshMemory m(bytes);
  ASSERT_NE(m.data(), nullptr);
  std::memcpy(m.data() + page + 10, "kept", 4);  // one page written before
  ASSERT_EQ(m.ResidentPages(0, bytes), 1u);
  if (!KernelPopulates()) GTEST_SKIP() << "this kernel does not offer MADV_POPULATE_WRITE";
  std::atomic<bool> stop{false};
  EXPECT_EQ(PrefaultWritable(m.data(), bytes, stop), bytes - bytes % page);
  EXPECT_EQ(m.ResidentPages(0, bytes), bytes / page);
  EXPECT_EQ(std::memcmp(m.data() + page + 10, "kept", 4), 0);
  EXPECT_EQ(m.data()[0], 0);
  EXPECT_EQ(m.data()[bytes - 1], 0);
}

TEST(Prefault, OnlyWholePagesInsideTheRange) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  FreshMemory m(8 * page);
  ASSERT_NE(m.data(), nullptr);
  if (!KernelPopulates()) GTEST_SKIP() << "this kernel does not offer MADV_POPULATE_WRITE";
  std::atomic<bool> stop{false};
  // From the middle of page 1 to the middle of page 6: pages 2 to 5.
  EXPECT_EQ(PrefaultWritable(m.data() + page + page / 2, 5 * page, stop), 4 * page);
  EXPECT_EQ(m.ResidentPages(0, 2 * page), 0u);
  EXPECT_EQ(m.ResidentPages(2 * page, 4 * page), 4u);
  EXPECT_EQ(m.ResidentPages(6 * page, 2 * page), 0u);
  EXPECT_EQ(PrefaultWritable(m.data() + 10, page - 20, stop), 0u);  // no whole page: nothing
}

TEST(Prefault, StopsWhenTold) {
  const size_t bytes = 2 * kPrefaultChunkBytes;
  FreshMemory m(bytes);
  ASSERT_NE(m.data(), nullptr);
  std::atomic<bool> stop{true};
  EXPECT_EQ(PrefaultWritable(m.data(), bytes, stop), 0u);
  EXPECT_EQ(m.ResidentPages(0, bytes), 0u);
}

}  // namespace
}  // namespace credsweep::io
