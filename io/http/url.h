// http(s) URLs as the status list source accepts them: absolute, no user info, an
// ASCII host name or IP literal, an explicit or default port. Errors are fixed texts
// that never repeat the input (a redirect's Location is chosen by the server).
#ifndef CREDSWEEP_IO_HTTP_URL_H_
#define CREDSWEEP_IO_HTTP_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep::io {

struct HttpUrl {
  bool tls = false;     // https
  std::string host;     // lower-case name, or an IP literal without brackets
  uint16_t port = 0;    // explicit, else 80 / 443
  std::string target;   // path and query, starting with '/'; the fragment removed

  // The Host header value: host (IPv6 in brackets), with ":port" unless it is the
  // scheme's default.
  std::string HostHeader() const;
  // Same scheme, host and port.
  bool SameOrigin(const HttpUrl& other) const;
};

// InvalidArgument for anything else: other schemes, user info ("user@host"), spaces,
// control or non-ASCII characters, a bad port, an empty host.
Result<HttpUrl> ParseHttpUrl(std::string_view url);

// The URL a redirect's Location names, relative to `base`: an absolute http(s) URL,
// a network-path reference ("//host/x", taking base's scheme) or an absolute path
// ("/x", base's origin). Other relative forms are InvalidArgument.
Result<HttpUrl> ResolveLocation(const HttpUrl& base, std::string_view location);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_HTTP_URL_H_
