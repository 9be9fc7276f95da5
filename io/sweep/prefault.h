// Backing memory with pages ahead of its first use. On some machines (virtual ones
// especially) the first write to each fresh page costs far more than the write:
// a sweep's outcomes take ~150 MB for a million credentials, and a thread that
// would otherwise wait can take that cost before the verification does.
#ifndef CREDSWEEP_IO_SWEEP_PREFAULT_H_
#define CREDSWEEP_IO_SWEEP_PREFAULT_H_

#include <atomic>
#include <cstddef>

namespace credsweep::io {

// Asks the kernel to back [data, data + bytes) with writable pages
// (MADV_POPULATE_WRITE), kPrefaultChunkBytes at a time, until it is all backed or `stop`
// is set (read before each chunk). The bytes are left as they are: pages already
// there are untouched, new ones read as zeros. Only whole pages inside the range
// are populated. Returns the bytes populated; 0 where the kernel does not offer it
// (before Linux 5.14), which costs nothing else. `data` must be memory this
// process owns, readable and writable.
inline constexpr size_t kPrefaultChunkBytes = size_t{2} << 20;
size_t PrefaultWritable(void* data, size_t bytes, const std::atomic<bool>& stop);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_PREFAULT_H_
