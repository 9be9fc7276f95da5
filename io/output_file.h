// A file a command writes as its result (verify --out, --summary): written under a
// temporary name beside its final path and renamed over it by Commit(), so a run
// that fails or is stopped never leaves a half-written file and never replaces
// the previous one. The temporary file is created at once (under a new, unguessable
// name: never through a file or symlink already there): an unwritable path
// fails before any work is done. "-" is standard output, and a path that is not a
// regular file (/dev/null, /dev/stdout, a FIFO) is written directly, never replaced.
#ifndef CREDSWEEP_IO_OUTPUT_FILE_H_
#define CREDSWEEP_IO_OUTPUT_FILE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"

namespace credsweep::io {

class OutputFile {
 public:
  // A path ending in ".gz" is written gzip-compressed.
  static Result<std::unique_ptr<OutputFile>> Create(const std::string& path);
  // The bytes as written (".gz" or not), under a temporary name renamed over
  // whatever is at the path, a device or a symlink included (a folder credsweep
  // owns: the trust folder).
  static Result<std::unique_ptr<OutputFile>> CreateReplacing(const std::string& path);
  // Not committed: the temporary file is removed, the final path left as it was.
  ~OutputFile();

  Status Write(std::string_view data);
  // Flushes, closes and renames the temporary file to the final path.
  Status Commit();

  const std::string& path() const { return path_; }
  // The temporary name (empty when written directly).
  const std::string& temporary_path() const { return temp_; }

 private:
  struct Handle;
  static Result<std::unique_ptr<OutputFile>> Open(const std::string& path, bool gzip_by_name, bool replace_anything);
  OutputFile(std::string path, std::string temp, std::unique_ptr<Handle> handle);
  std::string path_, temp_;
  std::unique_ptr<Handle> handle_;
};

// Creates a new file beside `path` under a name no one could have prepared,
// "PATH.credsweep-tmp.PID.RANDOM" (RANDOM: 32 bits of `random`, by default the
// kernel's), opened with O_EXCL and O_NOFOLLOW: a file or symlink planted at a
// guessed name is never written through or truncated (another name is drawn, up
// to 16). Returns the descriptor and sets *temp, or -1 with errno set.
int CreateTemporaryBeside(const std::string& path, std::string* temp,
                          const std::function<uint32_t()>& random = nullptr);

// Refuses outputs that would destroy an input or each other before anything is
// written: an output path that is an input file (or the same file under another
// name), an existing file inside an input folder that the run would read as
// credentials (ReadAsCredentialsInFolder; credsweep's own earlier outputs may be
// replaced), and two outputs on one path. `outputs` are (option, path) pairs; "-" and
// empty paths are skipped.
Status CheckOutputsAgainstInputs(const std::vector<std::pair<std::string, std::string>>& outputs,
                                 const std::vector<std::string>& inputs);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_OUTPUT_FILE_H_
