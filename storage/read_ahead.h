// Asking the operating system to read file contents ahead of their use.
//
// A scan of a file that is not in the page cache (an index or a corpus last
// read a day ago, as a nightly sweep finds them) otherwise waits on the disk for
// each readahead window in turn; asked for ahead, the reads overlap each other
// and the work on what was read before.
#ifndef CREDSWEEP_STORAGE_READ_AHEAD_H_
#define CREDSWEEP_STORAGE_READ_AHEAD_H_

#include <cstdint>

namespace credsweep::storage {

// Asks for [offset, offset + bytes) of the open regular file `fd`, cut at its
// end, to be read into the page cache in the background (POSIX_FADV_WILLNEED),
// one readahead window of its device at a time (the kernel reads at most one
// per request; 128 KiB when the device does not say). Returns the bytes asked
// for: 0 for anything but a regular file, fewer when the kernel refuses the
// advice (then nothing changes but speed).
uint64_t AdviseWillNeed(int fd, uint64_t offset, uint64_t bytes);

// The memory the kernel could hand out now without swapping (MemAvailable: free
// memory and page cache that can be dropped).
uint64_t AvailableMemory();

// How much one caller may ask to be read ahead now: a quarter of
// AvailableMemory(). Pages read ahead beyond what memory holds would be dropped
// before they are used. Each call is its own allowance: a sweep's three scans
// and its input reader may each take one at once (read-ahead pages are page
// cache, given back under memory pressure, so the cost of too much is disk
// reads done twice, never memory taken).
uint64_t ReadAheadAllowance();

}  // namespace credsweep::storage

#endif  // CREDSWEEP_STORAGE_READ_AHEAD_H_
