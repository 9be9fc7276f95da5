#include "engine/internal/algorithms.h"

#include <array>

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

}  // namespace credsweep::internal
