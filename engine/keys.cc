#include "engine/keys.h"

#include "engine/internal/algorithms.h"

#include <openssl/core_names.h>
#include <sodium.h>

#include <map>
#include <mutex>

#include "engine/encoding.h"
#include "engine/internal/json.h"
#include "engine/internal/openssl.h"

namespace credsweep {

using internal::Hash;
using internal::Padding;

struct PublicKey::Impl {
  KeyKind kind;
  int bits = 0;
  internal::PkeyPtr pkey;   // all kinds except Ed25519
  std::string ed25519;      // 32 raw bytes for Ed25519 (verified with libsodium)
  std::string kid;
  std::optional<JwsAlg> jwk_alg;
  std::string thumbprint;   // RFC 7638, computed once at construction
};

namespace {

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // libsodium cannot run at all
  });
}

// A parameters-only EC key per curve, made once: copying it and setting the point
// costs a fifth of importing the key from parameters (EVP_PKEY_fromdata), which
// counts when every SD-JWT presentation brings its holder's key.
EVP_PKEY* CurveTemplate(KeyKind kind) {
  static std::mutex mu;
  static auto* templates = new std::map<KeyKind, internal::PkeyPtr>();  // never destroyed: used until exit
  std::lock_guard lock(mu);
  internal::PkeyPtr& slot = (*templates)[kind];
  if (!slot) {
    internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                         const_cast<char*>(internal::KeyTypeOf(kind).openssl_group), 0),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_paramgen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_params(ctx.get(), params) != 1 ||
        EVP_PKEY_paramgen(ctx.get(), &raw) != 1) {
      return nullptr;
    }
    slot.reset(raw);
  }
  return slot.get();
}

Result<internal::PkeyPtr> EcKeyFromPoint(KeyKind kind, std::string_view point) {
  EVP_PKEY* curve = CurveTemplate(kind);
  if (!curve) return Internal("cannot set up EC curve parameters: " + internal::DrainErrors());
  EVP_PKEY* raw = EVP_PKEY_dup(curve);
  // The point is decoded (uncompressed or compressed) and must lie on the curve.
  if (!raw || EVP_PKEY_set1_encoded_public_key(raw, reinterpret_cast<const unsigned char*>(point.data()),
                                               point.size()) != 1) {
    EVP_PKEY_free(raw);
    return InvalidArgument("EC point is not on curve " + std::string(internal::KeyTypeOf(kind).name) + ": " +
                           internal::DrainErrors());
  }
  internal::PkeyPtr pkey(raw);
  // fromdata does not always check the point; an explicit public check does. The
  // quick check (on the curve, not the point at infinity, coordinates in range)
  // is the whole check here: every curve credsweep accepts (P-256, P-384, P-521,
  // secp256k1) has cofactor 1, so such a point has the group's order, and the full
  // check's n*Q = O multiplication (more than a signature verification's cost)
  // proves nothing more.
  internal::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check_quick(check.get()) != 1) {
    return InvalidArgument("EC point is not a valid public key on " + std::string(internal::KeyTypeOf(kind).name) +
                           ": " + internal::DrainErrors());
  }
  return pkey;
}

Result<internal::PkeyPtr> RsaKeyFromParts(std::string_view n, std::string_view e) {
  internal::BnPtr bn_n = internal::BnFromBytes(n), bn_e = internal::BnFromBytes(e);
  internal::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
    return Internal("cannot build RSA key parameters: " + internal::DrainErrors());
  }
  internal::ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return InvalidArgument("bad RSA public key: " + internal::DrainErrors());
  }
  return internal::PkeyPtr(raw);
}

std::optional<std::string> B64Member(internal::object o, std::string_view name) {
  auto s = internal::StringMember(o, name);
  if (!s) return std::nullopt;
  return Base64UrlDecode(*s);
}

// JOSE carries ECDSA signatures as fixed-width r||s; OpenSSL wants DER. Built by
// hand (no BIGNUM allocations): SEQUENCE { INTEGER r, INTEGER s }, each integer
// minimal, with a 0x00 prefix when its top bit is set.
bool RawToDer(std::string_view sig, size_t width, std::string* der) {
  if (sig.size() != 2 * width) return false;
  auto integer = [](std::string_view v, std::string* out) {
    size_t i = 0;
    while (i + 1 < v.size() && v[i] == 0) ++i;
    v.remove_prefix(i);
    bool pad = static_cast<unsigned char>(v[0]) & 0x80;
    out->push_back(0x02);
    out->push_back(static_cast<char>(v.size() + pad));
    if (pad) out->push_back(0);
    out->append(v);
  };
  std::string body;
  body.reserve(2 * width + 6);
  integer(sig.substr(0, width), &body);
  integer(sig.substr(width), &body);
  der->clear();
  der->push_back(0x30);
  if (body.size() >= 0x80) {  // P-521: long-form length
    der->push_back(static_cast<char>(0x81));
  }
  der->push_back(static_cast<char>(body.size()));
  der->append(body);
  return true;
}

}  // namespace

std::string_view KeyKindName(KeyKind kind) {
  return internal::KeyTypeOf(kind).name;
}

PublicKey::PublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->thumbprint = internal::JwkThumbprint(impl_->kind, impl_->pkey.get(), impl_->ed25519);
}
PublicKey::~PublicKey() = default;

KeyKind PublicKey::kind() const { return impl_->kind; }
int PublicKey::bits() const { return impl_->bits; }
const std::string& PublicKey::kid() const { return impl_->kid; }
const std::string& PublicKey::thumbprint() const { return impl_->thumbprint; }
std::optional<JwsAlg> PublicKey::jwk_alg() const { return impl_->jwk_alg; }

bool PublicKey::Permits(JwsAlg alg) const {
  if (impl_->jwk_alg && *impl_->jwk_alg != alg) return false;
  return internal::AlgFitsKind(alg, impl_->kind);
}

Result<PublicKeyPtr> PublicKey::FromEd25519(std::string_view raw32) {
  if (raw32.size() != crypto_sign_PUBLICKEYBYTES) {
    return InvalidArgument("Ed25519 public key must be 32 bytes");
  }
  InitSodium();
  auto impl = std::make_unique<Impl>();
  impl->kind = KeyKind::kEd25519;
  impl->bits = 256;
  impl->ed25519 = std::string(raw32);
  return PublicKeyPtr(new PublicKey(std::move(impl)));
}

Result<PublicKeyPtr> PublicKey::FromEcPoint(KeyKind kind, std::string_view point) {
  if (!internal::KeyTypeOf(kind).openssl_group) return InvalidArgument("not an EC curve");
  auto pkey = EcKeyFromPoint(kind, point);
  if (!pkey.ok()) return pkey.status();
  auto impl = std::make_unique<Impl>();
  impl->kind = kind;
  impl->bits = static_cast<int>(internal::KeyTypeOf(kind).coordinate_bytes * 8);
  impl->pkey = std::move(pkey).value();
  return PublicKeyPtr(new PublicKey(std::move(impl)));
}

Result<PublicKeyPtr> PublicKey::FromEvpPkey(EVP_PKEY* pk) {
  auto impl = std::make_unique<Impl>();
  int id = EVP_PKEY_get_base_id(pk);
  if (id == EVP_PKEY_ED25519) {
    std::string raw(32, '\0');
    size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(pk, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1) {
      return InvalidArgument("unreadable Ed25519 key: " + internal::DrainErrors());
    }
    return FromEd25519(raw);
  }
  if (id == EVP_PKEY_RSA) {
    impl->kind = KeyKind::kRsa;
  } else if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t glen = 0;
    if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen) != 1) {
      return Unsupported("EC key without a named curve");
    }
    std::string_view g(group, glen);
    const internal::KeyTypeInfo* type = internal::KeyTypeByGroup(g);
    if (!type) return Unsupported("unsupported EC curve " + std::string(g));
    impl->kind = type->kind;
  } else {
    return Unsupported("unsupported key type " + std::string(OBJ_nid2sn(id)));
  }
  impl->bits = EVP_PKEY_get_bits(pk);
  if (impl->kind == KeyKind::kRsa && impl->bits < kMinRsaBits) {
    return InvalidArgument("RSA key of " + std::to_string(impl->bits) + " bits is below " +
                           std::to_string(kMinRsaBits));
  }
  EVP_PKEY_up_ref(pk);
  impl->pkey.reset(pk);
  return PublicKeyPtr(new PublicKey(std::move(impl)));
}

Result<PublicKeyPtr> PublicKey::FromJwk(std::string_view jwk_json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(jwk_json);
  internal::object o;
  if (parser.parse(padded).get_object().get(o) != simdjson::SUCCESS) {
    return InvalidArgument("JWK is not a JSON object");
  }
  auto kty = internal::StringMember(o, "kty");
  if (!kty) return InvalidArgument("JWK has no kty");
  Result<PublicKeyPtr> key = InvalidArgument("unsupported JWK kty " + std::string(*kty));
  if (*kty == "OKP") {
    auto crv = internal::StringMember(o, "crv");
    auto x = B64Member(o, "x");
    if (!crv || *crv != "Ed25519") return Unsupported("unsupported OKP curve");
    if (!x) return InvalidArgument("OKP JWK without a valid x");
    key = FromEd25519(*x);
  } else if (*kty == "EC") {
    auto crv = internal::StringMember(o, "crv");
    const internal::KeyTypeInfo* type = crv ? internal::KeyTypeByCrv(*crv) : nullptr;
    if (!type || !type->openssl_group) return Unsupported("unsupported EC curve " + std::string(crv.value_or("(none)")));
    std::optional<KeyKind> kind = type->kind;
    auto x = B64Member(o, "x"), y = B64Member(o, "y");
    size_t w = type->coordinate_bytes;
    if (!x || !y || x->size() != w || y->size() != w) {
      return InvalidArgument("EC JWK coordinates missing or not " + std::to_string(w) + " bytes");
    }
    key = FromEcPoint(*kind, "\x04" + *x + *y);
  } else if (*kty == "RSA") {
    auto n = B64Member(o, "n"), e = B64Member(o, "e");
    if (!n || !e || n->empty() || e->empty()) return InvalidArgument("RSA JWK without n and e");
    auto pkey = RsaKeyFromParts(*n, *e);
    if (!pkey.ok()) return pkey.status();
    key = FromEvpPkey(pkey->get());
  } else if (*kty == "oct") {
    return InvalidArgument("symmetric (oct) keys cannot verify seals");
  }
  if (!key.ok()) return key;
  auto* impl = const_cast<PublicKey*>(key->get())->impl_.get();
  if (auto kid = internal::StringMember(o, "kid")) impl->kid = std::string(*kid);
  if (auto alg = internal::StringMember(o, "alg")) {
    impl->jwk_alg = JwsAlgFromName(*alg);
    if (!impl->jwk_alg || !internal::AlgFitsKind(*impl->jwk_alg, impl->kind)) {
      return InvalidArgument("JWK alg " + std::string(*alg) + " does not fit its key type");
    }
  }
  return key;
}

SignatureCheck PublicKey::Verify(JwsAlg alg, std::string_view input, std::string_view sig) const {
  const Impl& k = *impl_;
  if (k.kind == KeyKind::kEd25519) {
    if (sig.size() != crypto_sign_BYTES) return SignatureCheck::kMalformed;
    int rc = crypto_sign_verify_detached(
        reinterpret_cast<const unsigned char*>(sig.data()),
        reinterpret_cast<const unsigned char*>(input.data()), input.size(),
        reinterpret_cast<const unsigned char*>(k.ed25519.data()));
    return rc == 0 ? SignatureCheck::kValid : SignatureCheck::kInvalid;
  }
  const internal::AlgInfo& info = internal::AlgInfoOf(alg);
  Hash h = info.hash;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned dlen = internal::DigestInto(h, input, digest);
  if (dlen == 0) return SignatureCheck::kInvalid;
  std::string der;
  std::string_view to_check = sig;
  Padding padding = Padding::kNone;
  if (k.kind == KeyKind::kRsa) {
    if (sig.size() != static_cast<size_t>((k.bits + 7) / 8)) return SignatureCheck::kMalformed;
    padding = info.pss ? Padding::kPss : Padding::kPkcs1;
  } else {
    if (!RawToDer(sig, internal::KeyTypeOf(k.kind).coordinate_bytes, &der)) return SignatureCheck::kMalformed;
    to_check = der;
  }
  EVP_PKEY_CTX* ctx = internal::ThreadVerifyCtx(k.pkey.get(), padding, h);
  if (!ctx) return SignatureCheck::kInvalid;
  int rc = EVP_PKEY_verify(ctx, reinterpret_cast<const unsigned char*>(to_check.data()),
                           to_check.size(), digest, dlen);
  if (rc != 1) {
    internal::DrainErrors();
    return SignatureCheck::kInvalid;
  }
  return SignatureCheck::kValid;
}


}  // namespace credsweep
