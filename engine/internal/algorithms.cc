#include "engine/internal/algorithms.h"

#include <array>

#include <openssl/core_names.h>

#include "engine/encoding.h"
#include "engine/json_writer.h"

namespace credsweep::internal {
namespace {

constexpr std::array<KeyTypeInfo, 6> kKeyTypes = {{
    {KeyKind::kP256, "P-256", "EC", "P-256", "prime256v1", "EC", 32, JwsAlg::kES256, 0x1200},
    {KeyKind::kP384, "P-384", "EC", "P-384", "secp384r1", "EC", 48, JwsAlg::kES384, 0x1201},
    {KeyKind::kP521, "P-521", "EC", "P-521", "secp521r1", "EC", 66, JwsAlg::kES512, 0x1202},
    {KeyKind::kSecp256k1, "secp256k1", "EC", "secp256k1", "secp256k1", "EC", 32, JwsAlg::kES256K, 0xe7},
    {KeyKind::kEd25519, "Ed25519", "OKP", "Ed25519", nullptr, "ED25519", 0, JwsAlg::kEdDSA, 0xed},
    {KeyKind::kRsa, "RSA", "RSA", "", nullptr, "RSA", 0, JwsAlg::kRS256, 0},
}};

constexpr std::array<AlgInfo, 11> kAlgs = {{
    {JwsAlg::kES256, KeyKind::kP256, Hash::kSha256, false},
    {JwsAlg::kES384, KeyKind::kP384, Hash::kSha384, false},
    {JwsAlg::kES512, KeyKind::kP521, Hash::kSha512, false},
    {JwsAlg::kES256K, KeyKind::kSecp256k1, Hash::kSha256, false},
    {JwsAlg::kEdDSA, KeyKind::kEd25519, Hash::kSha512, false},  // Ed25519 hashes internally
    {JwsAlg::kRS256, KeyKind::kRsa, Hash::kSha256, false},
    {JwsAlg::kRS384, KeyKind::kRsa, Hash::kSha384, false},
    {JwsAlg::kRS512, KeyKind::kRsa, Hash::kSha512, false},
    {JwsAlg::kPS256, KeyKind::kRsa, Hash::kSha256, true},
    {JwsAlg::kPS384, KeyKind::kRsa, Hash::kSha384, true},
    {JwsAlg::kPS512, KeyKind::kRsa, Hash::kSha512, true},
}};

}  // namespace

const KeyTypeInfo& KeyTypeOf(KeyKind kind) {
  for (const auto& k : kKeyTypes) {
    if (k.kind == kind) return k;
  }
  return kKeyTypes.back();
}

const KeyTypeInfo* KeyTypeByCrv(std::string_view crv) {
  for (const auto& k : kKeyTypes) {
    if (!crv.empty() && k.jwk_crv == crv) return &k;
  }
  return nullptr;
}

const KeyTypeInfo* KeyTypeByGroup(std::string_view group) {
  for (const auto& k : kKeyTypes) {
    // OpenSSL names a group either way ("prime256v1" or its NIST name "P-256").
    if (k.openssl_group && (group == k.openssl_group || group == k.jwk_crv)) return &k;
  }
  return nullptr;
}

const KeyTypeInfo* KeyTypeByMulticodec(uint16_t code) {
  for (const auto& k : kKeyTypes) {
    if (k.multicodec != 0 && k.multicodec == code) return &k;
  }
  return nullptr;
}

const AlgInfo& AlgInfoOf(JwsAlg alg) {
  for (const auto& a : kAlgs) {
    if (a.alg == alg) return a;
  }
  return kAlgs.front();
}

bool AlgFitsKind(JwsAlg alg, KeyKind kind) { return AlgInfoOf(alg).kind == kind; }

namespace {

std::string BnParam(EVP_PKEY* k, const char* name, size_t width) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &bn) != 1) return {};
  BnPtr owned(bn);
  return BnToBytes(bn, width);
}

}  // namespace

std::string JwkThumbprint(KeyKind kind, EVP_PKEY* pkey, std::string_view ed25519_raw) {
  const KeyTypeInfo& type = KeyTypeOf(kind);
  std::string members;
  JsonWriter w(&members);
  w.BeginObject();
  if (kind == KeyKind::kEd25519) {
    std::string raw(ed25519_raw);
    if (raw.empty() && pkey) {
      raw.assign(32, '\0');
      size_t len = raw.size();
      EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &len);
    }
    w.Member("crv", type.jwk_crv).Member("kty", type.jwk_kty).Member("x", Base64UrlEncode(raw));
  } else if (type.coordinate_bytes) {
    w.Member("crv", type.jwk_crv).Member("kty", type.jwk_kty);
    w.Member("x", Base64UrlEncode(BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, type.coordinate_bytes)));
    w.Member("y", Base64UrlEncode(BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, type.coordinate_bytes)));
  } else {
    w.Member("e", Base64UrlEncode(BnParam(pkey, OSSL_PKEY_PARAM_RSA_E, 0))).Member("kty", type.jwk_kty);
    w.Member("n", Base64UrlEncode(BnParam(pkey, OSSL_PKEY_PARAM_RSA_N, 0)));
  }
  w.EndObject();
  return Base64UrlEncode(Digest(Hash::kSha256, members));
}

}  // namespace credsweep::internal
