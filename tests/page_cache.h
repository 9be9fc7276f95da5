// The page cache as tests of reading ahead see it: how much of a file it holds
// (mincore over a mapping, which reads nothing), a file dropped from it, and a
// wait for a file to be back.
#ifndef CREDSWEEP_TESTS_PAGE_CACHE_H_
#define CREDSWEEP_TESTS_PAGE_CACHE_H_

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace credsweep::testing {

struct Residency {
  size_t cached = 0;  // pages in the page cache
  size_t pages = 0;   // of the file (or of the range asked about)
  bool whole() const { return cached == pages; }
};

// The pages of [offset, offset + bytes) of the file at `path` (bytes 0: to its
// end) that the page cache holds. offset is a multiple of the page size.
inline Residency CachedPages(const std::string& path, size_t offset = 0, size_t bytes = 0) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  Residency r;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return r;
  const off_t size = lseek(fd, 0, SEEK_END);
  if (bytes == 0 && size > static_cast<off_t>(offset)) bytes = static_cast<size_t>(size) - offset;
  r.pages = (bytes + page - 1) / page;
  void* m = bytes > 0 ? mmap(nullptr, offset + bytes, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
  close(fd);
  if (m == MAP_FAILED) return r;
  std::vector<unsigned char> v(r.pages);
  if (mincore(static_cast<char*>(m) + offset, bytes, v.data()) == 0) {
    for (unsigned char c : v) r.cached += c & 1;
  }
  munmap(m, offset + bytes);
  return r;
}

// Writes the file at `path` back and drops it from the page cache. False where
// it stays (a file system that keeps files in memory, tmpfs): then there is
// nothing to read ahead, and the caller skips.
inline bool DropFromPageCache(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool asked = fdatasync(fd) == 0 && posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
  close(fd);
  return asked && CachedPages(path).cached == 0;
}

// Waits up to 10 s for the range to be in the page cache whole.
inline bool CachedWithin(const std::string& path, size_t offset = 0, size_t bytes = 0) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!CachedPages(path, offset, bytes).whole()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_PAGE_CACHE_H_
