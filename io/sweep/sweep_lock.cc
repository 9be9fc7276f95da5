#include "io/sweep/sweep_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace credsweep::io {

Result<std::unique_ptr<SweepLock>> SweepLock::Acquire(const std::string& dir) {
  const std::string path = dir + "/" + kFileName;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create the sweep lock " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (err != EWOULDBLOCK) return IoError("cannot lock " + path + ": " + std::strerror(err));
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return FailedPrecondition("another sweep (PID " + (pid.empty() ? std::string("unknown") : pid) +
                              ") is running on " + dir + "; two sweeps of one index cannot run at once");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd);
    return IoError("cannot write the sweep lock " + path + ": " + std::strerror(err));
  }
  return std::unique_ptr<SweepLock>(new SweepLock(fd));
}

SweepLock::~SweepLock() {
  // Emptied first, so that a reader racing the release does not name a PID that is gone.
  if (::ftruncate(fd_, 0) != 0) {
    // Nothing to do: the flock is released by the close either way.
  }
  ::close(fd_);
}

}  // namespace credsweep::io
