#include "io/http/url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace credsweep::io {

namespace {

// Printable ASCII only: a space, CR or LF in the target would split the request
// line. (Boost.URL refuses them too; this keeps the message fixed.)
bool PrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The checks credsweep adds to RFC 3986 (parsed by Boost.URL).
Result<HttpUrl> FromView(boost::urls::url_view v) {
  HttpUrl u;
  const std::string scheme = Lower(v.scheme());
  if (scheme == "https") {
    u.tls = true;
  } else if (scheme != "http") {
    return InvalidArgument("not an http:// or https:// URL");
  }
  if (!v.has_authority()) return InvalidArgument("the URL has no host");
  if (v.has_userinfo()) return InvalidArgument("URLs with user info are refused");
  // After an authority the path is empty or absolute (RFC 3986 path-abempty);
  // Boost.URL 1.81 lets "http://host:8o/x" through as port "8" and path "o/x".
  if (!v.encoded_path().empty() && !v.encoded_path().starts_with("/")) {
    return InvalidArgument("the URL's authority is malformed");
  }
  switch (v.host_type()) {
    case boost::urls::host_type::ipv4: u.host = v.host_address(); break;
    case boost::urls::host_type::ipv6: u.host = v.host_ipv6_address().to_string(); break;
    case boost::urls::host_type::name: {
      std::string_view host = v.encoded_host();
      for (char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '-' || c == '_';
        if (!ok) return InvalidArgument("the URL's host name has characters other than letters, digits, '.', '-', '_'");
      }
      u.host = Lower(host);
      break;
    }
    default: return InvalidArgument("the URL's host is malformed");
  }
  if (u.host.empty()) return InvalidArgument("the URL has no host");
  u.port = u.tls ? 443 : 80;
  if (v.has_port() && !v.port().empty()) {
    if (v.port_number() == 0 || v.port().size() > 5) return InvalidArgument("the URL's port is not a number from 1 to 65535");
    u.port = v.port_number();
  }
  u.target = std::string(v.encoded_path());
  if (u.target.empty() || u.target[0] != '/') u.target.insert(0, "/");
  if (v.has_query()) u.target += "?" + std::string(v.encoded_query());
  return u;
}

}  // namespace

std::string HttpUrl::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

bool HttpUrl::SameOrigin(const HttpUrl& other) const {
  return tls == other.tls && host == other.host && port == other.port;
}

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  if (!PrintableAscii(url)) return InvalidArgument("the URL has spaces, control or non-ASCII characters");
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    // A fragment is allowed in the input and dropped.
    parsed = boost::urls::parse_uri(url);
    if (!parsed) return InvalidArgument("not an http:// or https:// URL");
  }
  return FromView(*parsed);
}

Result<HttpUrl> ResolveLocation(const HttpUrl& base, std::string_view location) {
  if (!PrintableAscii(location)) return InvalidArgument("the redirect target has spaces, control or non-ASCII characters");
  auto ref = boost::urls::parse_uri_reference(location);
  if (!ref) return InvalidArgument("the redirect target is not an absolute URL or path");
  // Absolute URLs, network-path ("//host/x") and absolute-path ("/x") references;
  // relative paths ("x", "../x") are refused rather than guessed at.
  if (!ref->has_scheme() && !ref->has_authority() && !ref->encoded_path().starts_with("/")) {
    return InvalidArgument("the redirect target is not an absolute URL or path");
  }
  std::string base_text = std::string(base.tls ? "https://" : "http://") + base.HostHeader() + base.target;
  auto base_url = boost::urls::parse_uri(base_text);
  if (!base_url) return InvalidArgument("the redirect target is not an absolute URL or path");
  boost::urls::url dest;
  if (auto r = boost::urls::resolve(*base_url, *ref, dest); !r) {
    return InvalidArgument("the redirect target is not an absolute URL or path");
  }
  return FromView(dest);
}

}  // namespace credsweep::io
