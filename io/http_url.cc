#include "io/http_url.h"

#include <boost/asio/ip/address_v6.hpp>

#include <charconv>

namespace credsweep::io {

namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Printable ASCII only: a space, CR or LF in the target would split the request line.
bool PrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

Status ParsePort(std::string_view text, uint16_t* port) {
  if (text.empty()) return Status::Ok();  // "host:" means the default port
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return InvalidArgument("the URL's port is not a number from 1 to 65535");
  }
  *port = static_cast<uint16_t>(value);
  return Status::Ok();
}

Status ParseAuthority(std::string_view authority, HttpUrl* u) {
  if (authority.find('@') != std::string_view::npos) return InvalidArgument("URLs with user info are refused");
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgument("the URL's IPv6 literal has no ']'");
    std::string literal(authority.substr(1, close - 1));
    boost::system::error_code ec;
    boost::asio::ip::make_address_v6(literal, ec);
    if (ec) return InvalidArgument("the URL's IPv6 literal is malformed");
    u->host = literal;
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return InvalidArgument("the URL's authority is malformed");
    if (!rest.empty()) port = rest.substr(1);
  } else {
    size_t colon = authority.rfind(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    for (char c : host) {
      if (!IsHostNameChar(c)) return InvalidArgument("the URL's host name has characters other than letters, digits, '.', '-', '_'");
    }
    u->host.clear();
    for (char c : host) u->host += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (u->host.empty()) return InvalidArgument("the URL has no host");
  u->port = u->tls ? 443 : 80;
  return ParsePort(port, &u->port);
}

std::string TargetOf(std::string_view rest) {
  std::string target(rest.substr(0, rest.find('#')));
  if (target.empty() || target[0] != '/') target.insert(0, "/");  // "" or "?query"
  return target;
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
  HttpUrl u;
  if (StartsWithNoCase(url, "https://")) {
    u.tls = true;
    url.remove_prefix(8);
  } else if (StartsWithNoCase(url, "http://")) {
    url.remove_prefix(7);
  } else {
    return InvalidArgument("not an http:// or https:// URL");
  }
  if (!PrintableAscii(url)) return InvalidArgument("the URL has spaces, control or non-ASCII characters");
  size_t end = url.find_first_of("/?#");
  if (Status s = ParseAuthority(url.substr(0, end), &u); !s.ok()) return s;
  u.target = TargetOf(end == std::string_view::npos ? std::string_view() : url.substr(end));
  return u;
}

Result<HttpUrl> ResolveLocation(const HttpUrl& base, std::string_view location) {
  if (location.starts_with("//")) return ParseHttpUrl((base.tls ? "https:" : "http:") + std::string(location));
  if (location.starts_with('/')) {
    if (!PrintableAscii(location)) return InvalidArgument("the redirect target has spaces, control or non-ASCII characters");
    HttpUrl u = base;
    u.target = TargetOf(location);
    return u;
  }
  if (StartsWithNoCase(location, "http://") || StartsWithNoCase(location, "https://")) return ParseHttpUrl(location);
  return InvalidArgument("the redirect target is not an absolute URL or path");
}

}  // namespace credsweep::io
