#include "engine/signer.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "engine/encoding.h"
#include "engine/internal/json.h"
#include "engine/json_escape.h"
#include "engine/json_writer.h"
#include "engine/internal/algorithms.h"
#include "engine/internal/openssl.h"

namespace credsweep {

struct PrivateKey::Impl {
  internal::PkeyPtr pkey;
};

namespace {

// What signing with `alg` needs, from the engine's one algorithm table.
struct SignerAlg {
  const char* type;     // EVP key type
  const char* group;    // OpenSSL curve name, if EC
  std::string_view crv; // JOSE curve name, if EC
  size_t width;         // ECDSA coordinate width
  internal::Hash hash;
  bool pss;
};

SignerAlg InfoFor(JwsAlg alg) {
  const internal::AlgInfo& a = internal::AlgInfoOf(alg);
  const internal::KeyTypeInfo& k = internal::KeyTypeOf(a.kind.value_or(KeyKind::kRsa));
  return {k.openssl_type, k.openssl_group, k.jwk_crv, k.coordinate_bytes, a.hash, a.pss};
}

std::string Bn(EVP_PKEY* k, const char* name, size_t width = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &bn) != 1) return {};
  internal::BnPtr owned(bn);
  return internal::BnToBytes(bn, width);
}

}  // namespace

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl, JwsAlg alg) : impl_(std::move(impl)), alg_(alg) {}
PrivateKey::~PrivateKey() = default;
EVP_PKEY* PrivateKey::evp_pkey() const { return impl_->pkey.get(); }

Result<std::unique_ptr<PrivateKey>> PrivateKey::Generate(JwsAlg alg, int rsa_bits) {
  SignerAlg info = InfoFor(alg);
  EVP_PKEY* k = nullptr;
  if (std::string_view(info.type) == "EC") {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", info.group);
  } else if (std::string_view(info.type) == "RSA") {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits));
  } else {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  }
  if (!k) return Internal("key generation failed: " + internal::DrainErrors());
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(k);
  auto key = std::unique_ptr<PrivateKey>(new PrivateKey(std::move(impl), alg));
  key->kid_ = key->Thumbprint();
  return key;
}

Result<std::unique_ptr<PrivateKey>> PrivateKey::FromPem(std::string_view pem) {
  internal::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!k) return InvalidArgument("not a PEM private key: " + internal::DrainErrors());
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(k);
  auto pub = PublicKey::FromEvpPkey(k);
  if (!pub.ok()) return pub.status();
  const JwsAlg alg = internal::KeyTypeOf((*pub)->kind()).default_alg;
  auto key = std::unique_ptr<PrivateKey>(new PrivateKey(std::move(impl), alg));
  key->kid_ = key->Thumbprint();
  return key;
}

Result<std::unique_ptr<PrivateKey>> PrivateKey::FromJwk(std::string_view jwk_json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(jwk_json);
  internal::object o;
  if (parser.parse(padded).get_object().get(o) != simdjson::SUCCESS) {
    return InvalidArgument("private JWK is not a JSON object");
  }
  auto str = [&](std::string_view n) { return internal::StringMember(o, n).value_or(""); };
  auto b64 = [&](std::string_view n) { return Base64UrlDecode(str(n)).value_or(""); };
  auto alg_name = str("alg");
  std::string kty(str("kty")), crv(str("crv"));
  std::optional<JwsAlg> alg = JwsAlgFromName(alg_name);
  if (!alg) {
    const internal::KeyTypeInfo* type = internal::KeyTypeByCrv(crv);
    if (type && type->jwk_kty == kty) alg = type->default_alg;
    else if (kty == "RSA") alg = JwsAlg::kRS256;
    else return InvalidArgument("private JWK: unsupported key");
  }
  std::string d = b64("d");
  if (d.empty()) return InvalidArgument("JWK has no private part (d)");
  EVP_PKEY* k = nullptr;
  if (kty == "OKP") {
    k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                     reinterpret_cast<const unsigned char*>(d.data()), d.size());
  } else {
    internal::ParamBldPtr bld(OSSL_PARAM_BLD_new());
    std::vector<internal::BnPtr> bns;
    auto push_bn = [&](const char* param, const std::string& bytes) {
      bns.push_back(internal::BnFromBytes(bytes));
      return OSSL_PARAM_BLD_push_BN(bld.get(), param, bns.back().get()) == 1;
    };
    const char* type = kty == "EC" ? "EC" : "RSA";
    bool ok = true;
    std::string pub;
    if (kty == "EC") {
      pub = "\x04" + b64("x") + b64("y");
      ok = OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                           InfoFor(*alg).group, 0) == 1 &&
           OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                            pub.size()) == 1 &&
           push_bn(OSSL_PKEY_PARAM_PRIV_KEY, d);
    } else {
      ok = push_bn(OSSL_PKEY_PARAM_RSA_N, b64("n")) && push_bn(OSSL_PKEY_PARAM_RSA_E, b64("e")) &&
           push_bn(OSSL_PKEY_PARAM_RSA_D, d) && push_bn(OSSL_PKEY_PARAM_RSA_FACTOR1, b64("p")) &&
           push_bn(OSSL_PKEY_PARAM_RSA_FACTOR2, b64("q")) &&
           push_bn(OSSL_PKEY_PARAM_RSA_EXPONENT1, b64("dp")) &&
           push_bn(OSSL_PKEY_PARAM_RSA_EXPONENT2, b64("dq")) &&
           push_bn(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, b64("qi"));
    }
    internal::ParamPtr params(ok ? OSSL_PARAM_BLD_to_param(bld.get()) : nullptr);
    internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &k, EVP_PKEY_KEYPAIR, params.get()) != 1) {
      k = nullptr;
    }
  }
  if (!k) return InvalidArgument("private JWK is not a usable key: " + internal::DrainErrors());
  auto impl = std::make_unique<Impl>();
  impl->pkey.reset(k);
  auto key = std::unique_ptr<PrivateKey>(new PrivateKey(std::move(impl), *alg));
  std::string kid(str("kid"));
  key->kid_ = kid.empty() ? key->Thumbprint() : kid;
  return key;
}

Result<std::string> PrivateKey::Sign(std::string_view input) const {
  SignerAlg info = InfoFor(alg_);
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = alg_ == JwsAlg::kEdDSA ? nullptr : internal::Md(info.hash);
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, impl_->pkey.get()) != 1) {
    return Internal("sign init: " + internal::DrainErrors());
  }
  if (info.pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                   EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return Internal("PSS setup: " + internal::DrainErrors());
  }
  size_t len = 0;
  auto* in = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) {
    return Internal("sign: " + internal::DrainErrors());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     input.size()) != 1) {
    return Internal("sign: " + internal::DrainErrors());
  }
  sig.resize(len);
  if (info.width == 0) return sig;
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  internal::EcdsaSigPtr es(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
  if (!es) return Internal("ECDSA signature not DER: " + internal::DrainErrors());
  return internal::BnToBytes(ECDSA_SIG_get0_r(es.get()), info.width) +
         internal::BnToBytes(ECDSA_SIG_get0_s(es.get()), info.width);
}

std::string PrivateKey::ToPublicJwkJson() const { return WriteJwk(JwkForm::kPublic); }

std::string PrivateKey::ToPrivateJwkJson() const { return WriteJwk(JwkForm::kPrivate); }

std::string PrivateKey::Thumbprint() const {
  return internal::JwkThumbprint(internal::AlgInfoOf(alg_).kind.value_or(KeyKind::kRsa), impl_->pkey.get());
}

// Built from the key itself, so that even keys the verifier would refuse (RSA
// under 2048 bits) can be exported for tests.
std::string PrivateKey::WriteJwk(JwkForm form) const {
  EVP_PKEY* k = impl_->pkey.get();
  const SignerAlg info = InfoFor(alg_);
  std::string out;
  JsonWriter w(&out);
  auto b64 = [&w](std::string_view name, const std::string& bytes) { w.Member(name, Base64UrlEncode(bytes)); };
  w.BeginObject();
  w.Member("alg", JwsAlgName(alg_));
  if (!kid_.empty()) w.Member("kid", kid_);
  if (alg_ == JwsAlg::kEdDSA) {
    std::string x(32, '\0');
    size_t len = x.size();
    EVP_PKEY_get_raw_public_key(k, reinterpret_cast<unsigned char*>(x.data()), &len);
    w.Member("crv", "Ed25519").Member("kty", "OKP");
    b64("x", x);
  } else if (info.width) {
    w.Member("crv", info.crv).Member("kty", "EC");
    b64("x", Bn(k, OSSL_PKEY_PARAM_EC_PUB_X, info.width));
    b64("y", Bn(k, OSSL_PKEY_PARAM_EC_PUB_Y, info.width));
  } else {
    b64("e", Bn(k, OSSL_PKEY_PARAM_RSA_E));
    w.Member("kty", "RSA");
    b64("n", Bn(k, OSSL_PKEY_PARAM_RSA_N));
  }
  if (form == JwkForm::kPrivate) {
    if (alg_ == JwsAlg::kEdDSA) {
      std::string d(32, '\0');
      size_t len = d.size();
      EVP_PKEY_get_raw_private_key(k, reinterpret_cast<unsigned char*>(d.data()), &len);
      b64("d", d);
    } else if (info.width) {
      b64("d", Bn(k, OSSL_PKEY_PARAM_PRIV_KEY, info.width));
    } else {
      b64("d", Bn(k, OSSL_PKEY_PARAM_RSA_D));
      b64("p", Bn(k, OSSL_PKEY_PARAM_RSA_FACTOR1));
      b64("q", Bn(k, OSSL_PKEY_PARAM_RSA_FACTOR2));
      b64("dp", Bn(k, OSSL_PKEY_PARAM_RSA_EXPONENT1));
      b64("dq", Bn(k, OSSL_PKEY_PARAM_RSA_EXPONENT2));
      b64("qi", Bn(k, OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
    }
  }
  w.Member("use", "sig");
  w.EndObject();
  return out;
}

Result<std::string> SignCompact(const PrivateKey& key, std::string_view header_json,
                                std::string_view payload) {
  std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload);
  auto sig = key.Sign(input);
  if (!sig.ok()) return sig.status();
  return input + "." + Base64UrlEncode(*sig);
}

}  // namespace credsweep
