// The lock that keeps two sweeps off one status index: an flock(2) on
// DIR/credsweep-sweep.lock, which holds the holder's PID in decimal. The kernel
// releases it when the holder exits, however it exits, so a crashed sweep never
// leaves a stale lock behind.
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_LOCK_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_LOCK_H_

#include <memory>
#include <string>

#include "engine/result.h"

namespace credsweep::io {

class SweepLock {
 public:
  static constexpr const char* kFileName = "credsweep-sweep.lock";

  // Takes the lock of the index in `dir` without waiting. FailedPrecondition
  // "another sweep (PID N) is running on DIR" when it is held; IoError when the
  // lock file cannot be created.
  static Result<std::unique_ptr<SweepLock>> Acquire(const std::string& dir);
  ~SweepLock();  // releases the lock (the file stays)
  SweepLock(const SweepLock&) = delete;
  SweepLock& operator=(const SweepLock&) = delete;

 private:
  explicit SweepLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_LOCK_H_
