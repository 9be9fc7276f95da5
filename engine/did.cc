#include "engine/did.h"

#include <cctype>
#include <vector>

#include "engine/encoding.h"
#include "engine/internal/algorithms.h"

namespace credsweep {

std::string_view DidOf(std::string_view url) {
  size_t end = url.find_first_of("#?/");
  return end == std::string_view::npos ? url : url.substr(0, end);
}

bool IsResolvableDid(std::string_view url) {
  return url.starts_with("did:key:") || url.starts_with("did:jwk:");
}

bool IsDidWeb(std::string_view url) { return url.starts_with("did:web:"); }

namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// DID syntax (did-core): idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
bool IsIdChars(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') continue;
    if (c == '%' && i + 2 < s.size() && IsHex(s[i + 1]) && IsHex(s[i + 2])) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

// A path segment that, percent-decoded, could leave its directory or split in two.
bool IsUnsafeSegment(std::string_view seg) {
  std::string decoded;
  for (size_t i = 0; i < seg.size(); ++i) {
    if (seg[i] == '%') {
      decoded += static_cast<char>(std::stoi(std::string(seg.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      decoded += seg[i];
    }
  }
  return decoded.empty() || decoded == "." || decoded == ".." ||
         decoded.find_first_of("/\\?#") != std::string::npos;
}

// "host" or "host%3Aport" (the one percent-encoding a host may carry).
Result<std::string> DidWebAuthority(std::string_view host) {
  std::string port;
  if (size_t pct = host.find('%'); pct != std::string_view::npos) {
    if (host.substr(pct, 3) != "%3A" && host.substr(pct, 3) != "%3a") {
      return InvalidArgument("did:web host may percent-encode only the port's ':' (%3A)");
    }
    port = std::string(host.substr(pct + 3));
    host = host.substr(0, pct);
    const bool digits = !port.empty() && port.size() <= 5 &&
                        port.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(port) == 0 || std::stoi(port) > 65535) return InvalidArgument("did:web port is not 1-65535");
  }
  if (host.empty() || host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") !=
                          std::string_view::npos) {
    return InvalidArgument("did:web host is not a domain name");
  }
  return std::string(host) + (port.empty() ? "" : ":" + port);
}

}  // namespace

Result<std::string> DidWebDocumentUrl(std::string_view did) {
  if (!IsDidWeb(did) || DidOf(did).size() != did.size()) return InvalidArgument("not a did:web DID");
  std::string_view id = did.substr(8);
  std::vector<std::string_view> segments;
  for (size_t start = 0;;) {
    size_t colon = id.find(':', start);
    segments.push_back(id.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  auto authority = DidWebAuthority(segments.front());
  if (!authority.ok()) return authority.status();
  std::string url = "https://" + *authority;
  if (segments.size() == 1) return url + "/.well-known/did.json";
  for (size_t i = 1; i < segments.size(); ++i) {
    if (!IsIdChars(segments[i]) || IsUnsafeSegment(segments[i])) {
      return InvalidArgument("did:web path segment " + std::to_string(i) + " is empty, '.', '..' or malformed");
    }
    url += "/" + std::string(segments[i]);
  }
  return url + "/did.json";
}

Result<PublicKeyPtr> KeyFromMultikey(std::string_view multibase) {
  if (multibase.empty() || multibase[0] != 'z') {
    return InvalidArgument("did:key must be multibase base58btc ('z')");
  }
  auto bytes = Base58BtcDecode(multibase.substr(1));
  if (!bytes || bytes->size() < 2) return InvalidArgument("did:key is not valid base58btc");
  // The multicodec is an unsigned varint; every key type credsweep knows takes two bytes.
  auto b0 = static_cast<uint8_t>((*bytes)[0]), b1 = static_cast<uint8_t>((*bytes)[1]);
  if (!(b0 & 0x80) || (b1 & 0x80)) return Unsupported("did:key multicodec not supported");
  const auto code = static_cast<uint16_t>((b0 & 0x7f) | (b1 << 7));
  const internal::KeyTypeInfo* type = internal::KeyTypeByMulticodec(code);
  std::string_view key = std::string_view(*bytes).substr(2);
  if (!type || type->kind == KeyKind::kP521) return Unsupported("did:key multicodec not supported");
  if (type->kind == KeyKind::kEd25519) return PublicKey::FromEd25519(key);
  return PublicKey::FromEcPoint(type->kind, key);
}

Result<PublicKeyPtr> ResolveDidKey(std::string_view url) {
  std::string_view did = DidOf(url);
  if (did.starts_with("did:key:")) {
    std::string_view id = did.substr(8);
    // The fragment, when present, must name the same key.
    size_t hash = url.find('#');
    if (hash != std::string_view::npos && url.substr(hash + 1) != id) {
      return InvalidArgument("did:key fragment does not match the key");
    }
    return KeyFromMultikey(id);
  }
  if (did.starts_with("did:jwk:")) {
    auto jwk = Base64UrlDecode(did.substr(8));
    if (!jwk) return InvalidArgument("did:jwk is not base64url");
    size_t hash = url.find('#');
    if (hash != std::string_view::npos && url.substr(hash + 1) != "0") {
      return InvalidArgument("did:jwk fragment must be #0");
    }
    return PublicKey::FromJwk(*jwk);
  }
  return Unsupported("DID method not resolvable offline: " + std::string(did));
}

}  // namespace credsweep
