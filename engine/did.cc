#include "engine/did.h"

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

namespace {

Result<PublicKeyPtr> FromMultikey(std::string_view multibase) {
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

}  // namespace

Result<PublicKeyPtr> ResolveDidKey(std::string_view url) {
  std::string_view did = DidOf(url);
  if (did.starts_with("did:key:")) {
    std::string_view id = did.substr(8);
    // The fragment, when present, must name the same key.
    size_t hash = url.find('#');
    if (hash != std::string_view::npos && url.substr(hash + 1) != id) {
      return InvalidArgument("did:key fragment does not match the key");
    }
    return FromMultikey(id);
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
