#include "io/resp/tokens.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/sha256.h"

namespace credsweep::io::resp {

namespace {

constexpr size_t kMaxFileBytes = 64 * 1024;
constexpr size_t kMaxNameChars = 64;

bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '@';
}

// Constant-time: the time taken does not reveal how much of a guessed token was
// right, nor (a comparison of the same length either way) its length.
bool SameToken(std::string_view given, const std::string& expected) {
  if (given.size() != expected.size()) {
    (void)CRYPTO_memcmp(expected.data(), expected.data(), expected.size());
    return false;
  }
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

Result<TokenSet> TokenSet::Parse(std::string_view text, const std::string& path) {
  TokenSet set;
  bool unnamed = false;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = path + " line " + std::to_string(line_no);
    size_t space = line.find_first_of(" \t");
    Entry e;
    if (space == std::string_view::npos) {
      e.name = "default";
      e.token = std::string(line);
      unnamed = true;
    } else {
      e.name = std::string(line.substr(0, space));
      std::string_view rest = line.substr(space);
      rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(" \t")));
      if (rest.find_first_of(" \t") != std::string_view::npos) {
        return InvalidArgument(where + ": expected NAME TOKEN (the token holds no spaces)");
      }
      e.token = std::string(rest);
      set.named_ = true;
      if (e.name.size() > kMaxNameChars || !std::all_of(e.name.begin(), e.name.end(), NameChar)) {
        return InvalidArgument(where + ": a token name has 1 to 64 letters, digits, '.', '_', '-' or '@'");
      }
    }
    if (e.token.size() < kMinTokenChars) {
      return InvalidArgument(where + ": the token has " + std::to_string(e.token.size()) + " characters; at least " +
                             std::to_string(kMinTokenChars) +
                             " are required (e.g. head -c 32 /dev/urandom | base64)");
    }
    for (const Entry& other : set.entries_) {
      if (other.name == e.name) return InvalidArgument(where + ": the name '" + e.name + "' is used twice");
      if (other.token == e.token) return InvalidArgument(where + ": the same token is given to two names");
    }
    e.digest = Sha256(e.token);
    set.entries_.push_back(std::move(e));
  }
  if (set.entries_.empty()) return InvalidArgument(path + " holds no token");
  if (unnamed && set.entries_.size() > 1) {
    return InvalidArgument(path + ": a line without a name is allowed only when it is the only token");
  }
  return set;
}

std::optional<std::string> TokenSet::Authenticate(std::optional<std::string_view> user, std::string_view token) const {
  const bool any = !user || *user == "default";
  std::optional<std::string> found;
  for (const Entry& e : entries_) {  // every entry is compared: the time does not tell which matched
    bool match = SameToken(token, e.token);
    if (match && (any || *user == e.name)) found = e.name;
  }
  return found;
}

bool TokenSet::Holds(const std::string& name, const std::string& digest) const {
  for (const Entry& e : entries_) {
    if (e.name == name) return e.digest == digest;
  }
  return false;
}

std::string TokenSet::DigestOf(const std::string& name) const {
  for (const Entry& e : entries_) {
    if (e.name == name) return e.digest;
  }
  return {};
}

Result<TokenSet> LoadTokenFile(const std::string& path, bool allow_readable) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return InvalidArgument("cannot read token file " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::string text;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) <= kMaxFileBytes;
  if (ok) {
    text.resize(static_cast<size_t>(st.st_size));
    ssize_t n = ::read(fd, text.data(), text.size());
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  ::close(fd);
  if (!ok) return InvalidArgument("token file " + path + " is not a regular file of at most 65536 bytes");
  if ((st.st_mode & 077) && !allow_readable) {
    return InvalidArgument("token file " + path + " is readable by other users (mode " +
                           std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                           std::to_string(st.st_mode & 7) + "): chmod 600 it, or pass --allow-readable-token-file");
  }
  return TokenSet::Parse(text, path);
}

}  // namespace credsweep::io::resp
