#include "io/sweep/prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace credsweep::io {

size_t PrefaultWritable(void* data, size_t bytes, const std::atomic<bool>& stop) {
#ifdef MADV_POPULATE_WRITE
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t start = reinterpret_cast<uintptr_t>(data);
  uintptr_t begin = (start + page - 1) & ~(page - 1);
  const uintptr_t end = (start + bytes) & ~(page - 1);
  size_t done = 0;
  while (begin < end && !stop.load(std::memory_order_relaxed)) {
    const size_t n = std::min<uintptr_t>(kPrefaultChunkBytes, end - begin);
    // EINVAL: a kernel without it. Any other failure: the pages are not had, and
    // the first write takes them as it would have anyway.
    if (madvise(reinterpret_cast<void*>(begin), n, MADV_POPULATE_WRITE) != 0) break;
    begin += n;
    done += n;
  }
  return done;
#else
  (void)data;
  (void)bytes;
  (void)stop;
  return 0;
#endif
}

}  // namespace credsweep::io
