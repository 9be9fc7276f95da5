// The tokens that let RESP clients write (`serve --auth-token-file F`), each with the
// name that becomes the actor of the events its writes append.
//
// File format (docs/protocol.md, "Tokens"): UTF-8 text of at most 64 KiB, one token
// per line, `NAME TOKEN` (a name of 1 to 64 letters, digits, `.`, `_`, `-` or `@`,
// then spaces, then the token); a line holding only a token is the token named
// `default` (the single-token files of earlier versions). Blank lines and lines
// starting with `#` are skipped. Tokens have at least 32 characters and no spaces;
// names and tokens are unique. The file must not be readable by group or others
// unless allowed by name. Errors name the line, never its token.
#ifndef CREDSWEEP_IO_RESP_TOKENS_H_
#define CREDSWEEP_IO_RESP_TOKENS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"

namespace credsweep::io::resp {

inline constexpr size_t kMinTokenChars = 32;

// Immutable once built; shared across threads.
class TokenSet {
 public:
  // InvalidArgument, naming the line, for a malformed file text.
  static Result<TokenSet> Parse(std::string_view text, const std::string& path);

  // The name of the token that `token` is, checking every entry in constant time
  // (no early exit), or nullopt. With `user` (AUTH user token) the token must be that
  // name's; "default" also matches a token named otherwise when it is the only one.
  std::optional<std::string> Authenticate(std::optional<std::string_view> user, std::string_view token) const;
  // True when `name` still holds the token whose SHA-256 is `digest` (a connection
  // authenticated before a reload keeps writing only if its token was kept).
  bool Holds(const std::string& name, const std::string& digest) const;
  // The SHA-256 of the token `name` holds; empty when there is no such name.
  std::string DigestOf(const std::string& name) const;
  // True when the file held named tokens (`NAME TOKEN` lines): actors then carry the name.
  bool named() const { return named_; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string name, token, digest;
  };
  std::vector<Entry> entries_;
  bool named_ = false;
};

// Reads and parses `path`. The mode is checked on the descriptor that is read.
Result<TokenSet> LoadTokenFile(const std::string& path, bool allow_readable);

}  // namespace credsweep::io::resp

#endif  // CREDSWEEP_IO_RESP_TOKENS_H_
