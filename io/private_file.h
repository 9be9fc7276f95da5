// Files that hold secrets (private keys): created owner-only from the start.
#ifndef CREDSWEEP_IO_PRIVATE_FILE_H_
#define CREDSWEEP_IO_PRIVATE_FILE_H_

#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep::io {

// Writes `content` to `path` with mode 0600, whatever the umask: the file is
// created with that mode (never briefly readable by others) and an existing file
// is narrowed to it before being truncated. A symbolic link at `path` is refused.
// With replace false an existing file is left alone and the call fails.
// Errors: IoError naming the path.
Status WritePrivateFile(const std::string& path, std::string_view content, bool replace = true);

// Creates `path` (and missing parents) and narrows it to mode 0700.
Status CreatePrivateDirectory(const std::string& path);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_PRIVATE_FILE_H_
