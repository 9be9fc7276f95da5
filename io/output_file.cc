#include "io/output_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "io/record_reader.h"

namespace credsweep::io {

namespace fs = std::filesystem;

namespace {

// 32 bits from the kernel's generator; should it fail (it does not block once the
// system has started), the clock and a counter: O_EXCL keeps the name safe, the
// randomness only keeps it from being guessed in advance.
uint32_t RandomBits() {
  uint32_t v = 0;
  if (::getrandom(&v, sizeof v, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof v)) return v;
  static std::atomic<uint32_t> counter{0};
  return static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
         (counter.fetch_add(0x9E3779B9u) + 1);
}

}  // namespace

int CreateTemporaryBeside(const std::string& path, std::string* temp, const std::function<uint32_t()>& random) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".%ld.%08x", static_cast<long>(getpid()),
                  static_cast<unsigned>(random ? random() : RandomBits()));
    *temp = path + ".credsweep-tmp" + suffix;
    const int fd = ::open(temp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;  // errno is EEXIST
}

struct OutputFile::Handle {
  std::FILE* file = nullptr;  // plain files and stdout
  gzFile gz = nullptr;        // *.gz
  bool owned = true;

  // Closes; false when a buffered write or the close failed.
  bool Close() {
    bool ok = true;
    if (gz) ok = gzclose(gz) == Z_OK;
    if (file) ok = std::fflush(file) == 0 && ok;
    if (file && owned) ok = std::fclose(file) == 0 && ok;
    gz = nullptr;
    file = nullptr;
    return ok;
  }
};

OutputFile::OutputFile(std::string path, std::string temp, std::unique_ptr<Handle> handle)
    : path_(std::move(path)), temp_(std::move(temp)), handle_(std::move(handle)) {}

Result<std::unique_ptr<OutputFile>> OutputFile::Create(const std::string& path) {
  return Open(path, /*gzip_by_name=*/true, /*replace_anything=*/false);
}

Result<std::unique_ptr<OutputFile>> OutputFile::CreateReplacing(const std::string& path) {
  return Open(path, /*gzip_by_name=*/false, /*replace_anything=*/true);
}

Result<std::unique_ptr<OutputFile>> OutputFile::Open(const std::string& path, bool gzip_by_name,
                                                     bool replace_anything) {
  auto h = std::make_unique<Handle>();
  if (path == "-") {
    h->file = stdout;
    h->owned = false;
    return std::unique_ptr<OutputFile>(new OutputFile(path, "", std::move(h)));
  }
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::is_directory(st)) return InvalidArgument("cannot write " + path + ": it is a directory");
  // A device, pipe or socket (/dev/null, /dev/stdout, a FIFO) is written in place:
  // renaming a file over it would replace the device itself.
  bool in_place = !replace_anything && fs::exists(st) && !fs::is_regular_file(st);
  int fd = -1;
  if (in_place) {
    fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    struct stat opened;
    if (fd >= 0 && (::fstat(fd, &opened) != 0 || S_ISREG(opened.st_mode))) {
      // Replaced by a regular file since the look: that one is not written over in place.
      ::close(fd);
      in_place = false;
    }
  }
  std::string temp;
  if (!in_place) fd = CreateTemporaryBeside(path, &temp);
  if (fd < 0) return IoError("cannot write " + path + ": " + std::strerror(errno));
  if (gzip_by_name && path.ends_with(".gz")) {
    h->gz = gzdopen(fd, "wb6");
    if (h->gz) gzbuffer(h->gz, 1 << 17);
  } else {
    h->file = ::fdopen(fd, "wb");
  }
  if (!h->gz && !h->file) {
    const int saved = errno;
    ::close(fd);
    if (!temp.empty()) std::remove(temp.c_str());
    return IoError("cannot write " + path + ": " + std::strerror(saved));
  }
  return std::unique_ptr<OutputFile>(new OutputFile(path, temp, std::move(h)));
}

OutputFile::~OutputFile() {
  if (!handle_) return;
  handle_->Close();
  if (!temp_.empty()) std::remove(temp_.c_str());
}

Status OutputFile::Write(std::string_view data) {
  if (!handle_) return FailedPrecondition("write after commit: " + path_);
  if (data.empty()) return Status::Ok();
  bool ok = handle_->gz ? gzwrite(handle_->gz, data.data(), static_cast<unsigned>(data.size())) ==
                              static_cast<int>(data.size())
                        : std::fwrite(data.data(), 1, data.size(), handle_->file) == data.size();
  if (!ok) return IoError("cannot write " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

Status OutputFile::Commit() {
  if (!handle_) return Status::Ok();
  const bool closed = handle_->Close();
  handle_.reset();
  if (!closed) {
    int saved = errno;
    if (!temp_.empty()) std::remove(temp_.c_str());
    return IoError("cannot write " + path_ + ": " + std::strerror(saved));
  }
  if (temp_.empty()) return Status::Ok();
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    int saved = errno;
    std::remove(temp_.c_str());
    return IoError("cannot write " + path_ + ": rename failed: " + std::strerror(saved));
  }
  return Status::Ok();
}

Status CheckOutputsAgainstInputs(const std::vector<std::pair<std::string, std::string>>& outputs,
                                 const std::vector<std::string>& inputs) {
  std::error_code ec;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const auto& [option, path] = outputs[i];
    if (path.empty() || path == "-") continue;
    for (const auto& in : inputs) {
      if (in != "-" && fs::equivalent(path, in, ec)) {
        return InvalidArgument(option + " " + path + " is also an input: writing it would destroy the input; "
                               "nothing was written");
      }
      // A file inside an input folder that the run reads as credentials.
      if (in != "-" && fs::is_directory(in, ec)) {
        fs::path rel = fs::weakly_canonical(path, ec).lexically_relative(fs::weakly_canonical(in, ec));
        if (!ec && !rel.empty() && *rel.begin() != ".." && ReadAsCredentialsInFolder(path)) {
          return InvalidArgument(option + " " + path + " is a credential file inside the input folder " + in +
                                 ": writing it would destroy the input; nothing was written");
        }
      }
    }
    for (size_t j = 0; j < i; ++j) {
      const auto& other = outputs[j].second;
      const bool device = fs::exists(path, ec) && !fs::is_regular_file(path, ec);  // /dev/null twice is fine
      if (!device && (other == path || (!other.empty() && other != "-" && fs::equivalent(path, other, ec)))) {
        return InvalidArgument(option + " and " + outputs[j].first + " name the same file " + path);
      }
    }
  }
  return Status::Ok();
}

}  // namespace credsweep::io
