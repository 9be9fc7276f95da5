#include "io/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace credsweep::io {
namespace {

Status Failed(const std::string& what, const std::string& path) {
  return IoError("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Status WritePrivateFile(const std::string& path, std::string_view content, bool replace) {
  // No O_TRUNC here: the old content of an existing file stays unreadable by
  // others only once fchmod has narrowed it, so truncate after that.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (replace ? 0 : O_EXCL), 0600);
  if (fd < 0) return Failed("create", path);
  Status st = Status::Ok();
  if (::fchmod(fd, 0600) != 0 || ::ftruncate(fd, 0) != 0) st = Failed("restrict", path);
  for (size_t done = 0; st.ok() && done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) st = Failed("write", path);
    else done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && st.ok()) st = Failed("write", path);
  return st;
}

Status CreatePrivateDirectory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return IoError("cannot create " + path + ": " + ec.message());
  if (::chmod(path.c_str(), 0700) != 0) return Failed("restrict", path);
  return Status::Ok();
}

}  // namespace credsweep::io
