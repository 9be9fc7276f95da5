#include "storage/read_ahead.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace credsweep::storage {

namespace {

// When the device's window is unknown: the common read_ahead_kb.
constexpr uint64_t kDefaultWindow = uint64_t{128} << 10;

// A number of KiB read from a sysfs file; 0 when there is none.
uint64_t ReadKib(const std::string& path) {
  uint64_t kib = 0;
  if (FILE* f = fopen(path.c_str(), "re")) {
    unsigned long value = 0;
    if (fscanf(f, "%lu", &value) == 1 && value <= (1ul << 20)) kib = value;
    fclose(f);
  }
  return kib;
}

// The readahead window (read_ahead_kb) of block device `device`: its own queue's,
// or for a partition its disk's. Remembered per thread for the last device asked
// about (the reads of one scan are all on one).
uint64_t WindowOf(dev_t device) {
  thread_local dev_t known_device = 0;
  thread_local uint64_t known_window = 0;
  if (known_window != 0 && known_device == device) return known_window;
  const std::string dir = "/sys/dev/block/" + std::to_string(major(device)) + ":" + std::to_string(minor(device));
  uint64_t kib = ReadKib(dir + "/queue/read_ahead_kb");
  if (kib == 0) kib = ReadKib(dir + "/../queue/read_ahead_kb");  // a partition's node has no queue
  known_device = device;
  known_window = kib > 0 ? kib << 10 : kDefaultWindow;
  return known_window;
}

}  // namespace

uint64_t AdviseWillNeed(int fd, uint64_t offset, uint64_t bytes) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (offset >= size) return 0;
  bytes = std::min(bytes, size - offset);
  const uint64_t window = WindowOf(st.st_dev);
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

uint64_t AvailableMemory() {
  uint64_t kib = 0;
  if (FILE* f = fopen("/proc/meminfo", "re")) {
    char line[128];
    while (fgets(line, sizeof line, f)) {
      unsigned long value = 0;
      if (sscanf(line, "MemAvailable: %lu kB", &value) == 1) {
        kib = value;
        break;
      }
    }
    fclose(f);
  }
  if (kib > 0) return kib << 10;
  // A kernel without MemAvailable (before 3.14): the free memory alone.
  const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

uint64_t ReadAheadAllowance() { return AvailableMemory() / 4; }

}  // namespace credsweep::storage
