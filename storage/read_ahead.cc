#include "storage/read_ahead.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace credsweep::storage {

namespace {

// When the device's window is unknown: the common read_ahead_kb.
constexpr uint64_t kDefaultWindow = uint64_t{128} << 10;

// The readahead window of the device holding `fd`'s file (its read_ahead_kb),
// remembered per thread for the last device asked about.
uint64_t WindowOf(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return kDefaultWindow;
  thread_local dev_t known_device = 0;
  thread_local uint64_t known_window = 0;
  if (known_window != 0 && known_device == st.st_dev) return known_window;
  uint64_t window = kDefaultWindow;
  const std::string path = "/sys/class/bdi/" + std::to_string(major(st.st_dev)) + ":" +
                           std::to_string(minor(st.st_dev)) + "/read_ahead_kb";
  if (FILE* f = fopen(path.c_str(), "re")) {
    unsigned long kb = 0;
    if (fscanf(f, "%lu", &kb) == 1 && kb > 0 && kb <= (uint64_t{1} << 20)) window = uint64_t{kb} << 10;
    fclose(f);
  }
  known_device = st.st_dev;
  known_window = window;
  return window;
}

}  // namespace

uint64_t AdviseWillNeed(int fd, uint64_t offset, uint64_t bytes) {
  const uint64_t window = WindowOf(fd);
  uint64_t done = 0;
  while (done < bytes) {
    const uint64_t n = std::min(window, bytes - done);
    if (posix_fadvise(fd, static_cast<off_t>(offset + done), static_cast<off_t>(n), POSIX_FADV_WILLNEED) != 0) {
      break;
    }
    done += n;
  }
  return done;
}

uint64_t ReadAheadAllowance() {
  const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 4 : 0;
}

}  // namespace credsweep::storage
