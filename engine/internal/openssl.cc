#include "engine/internal/openssl.h"

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <unordered_map>

namespace credsweep::internal {

namespace {

// By default OpenSSL frees its global state (providers, fetched algorithms, the
// per-thread-state key) from an atexit handler. Threads still running then (oneTBB's
// workers are told to stop only by libtbb's own exit-time destructor, later) would
// find the algorithms they hold freed, and their per-thread state (error queue,
// random generators), no longer reachable through the deleted key, is lost when they
// exit. Every binary linking the engine keeps OpenSSL's state until the process ends
// (tests/engine/openssl_exit_test.cc).
[[maybe_unused]] const bool kOpenSslKeptUntilExit = OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;

}  // namespace

std::string DrainErrors() {
  std::string out;
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

const EVP_MD* Md(Hash h) {
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  static const EVP_MD* const kSha384 = EVP_MD_fetch(nullptr, "SHA2-384", nullptr);
  static const EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA2-512", nullptr);
  switch (h) {
    case Hash::kSha256: return kSha256;
    case Hash::kSha384: return kSha384;
    case Hash::kSha512: return kSha512;
  }
  return nullptr;
}

unsigned DigestInto(Hash h, std::string_view data, unsigned char* out) {
  thread_local MdCtxPtr ctx(EVP_MD_CTX_new());
  unsigned len = 0;
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), Md(h), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    DrainErrors();
    return 0;
  }
  return len;
}

std::string Digest(Hash h, std::string_view data) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned n = DigestInto(h, data, buf);
  return std::string(reinterpret_cast<char*>(buf), n);
}

namespace {

struct CtxKey {
  EVP_PKEY* key;
  int mode;
  bool operator==(const CtxKey&) const = default;
};
struct CtxKeyHash {
  size_t operator()(const CtxKey& k) const {
    return std::hash<const void*>()(k.key) * 31 + static_cast<size_t>(k.mode);
  }
};

// Each cached context holds a reference on its EVP_PKEY, so a cached address can
// never be reused by another key while the entry lives.
constexpr size_t kMaxCachedContexts = 4096;

}  // namespace

EVP_PKEY_CTX* ThreadVerifyCtx(EVP_PKEY* key, Padding padding, Hash hash) {
  thread_local std::unordered_map<CtxKey, PkeyCtxPtr, CtxKeyHash> cache;
  CtxKey k{key, static_cast<int>(padding) * 8 + static_cast<int>(hash)};
  if (auto it = cache.find(k); it != cache.end()) return it->second.get();
  if (cache.size() >= kMaxCachedContexts) cache.clear();
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), Md(hash)) != 1) {
    DrainErrors();
    return nullptr;
  }
  if (padding == Padding::kPkcs1 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    DrainErrors();
    return nullptr;
  }
  if (padding == Padding::kPss &&
      (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), Md(hash)) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) != 1)) {
    DrainErrors();
    return nullptr;
  }
  EVP_PKEY_CTX* raw = ctx.get();
  cache.emplace(k, std::move(ctx));
  return raw;
}

std::string NameText(const X509_NAME* name) {
  // The same few names (a seal's CA, its TSA, its OCSP responder) come back for
  // every record: kept per thread by their DER, which OpenSSL holds already.
  thread_local std::unordered_map<std::string, std::string> printed;
  const unsigned char* der = nullptr;
  size_t der_len = 0;
  std::string key;
  if (X509_NAME_get0_der(const_cast<X509_NAME*>(name), &der, &der_len) == 1 && der_len <= 1024) {
    key.assign(reinterpret_cast<const char*>(der), der_len);
    if (auto it = printed.find(key); it != printed.end()) return it->second;
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  std::string text(data, static_cast<size_t>(n));
  if (!key.empty()) {
    if (printed.size() >= 256) printed.clear();
    printed.emplace(std::move(key), text);
  }
  return text;
}

std::optional<int64_t> AsnTimeSeconds(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
    DrainErrors();
    return std::nullopt;
  }
  return static_cast<int64_t>(timegm(&tm));
}

namespace {

// X509_STORE_CTX_get_issuer_fn: 1 with *issuer set (a reference the caller frees),
// 0 when no anchor by that name signed `x`. Among anchors that did, one valid at
// the verification time when the context checks times (as OpenSSL's own lookup
// prefers), else the one that is valid longest.
int GetSigningIssuer(X509** issuer, X509_STORE_CTX* ctx, X509* x) {
  *issuer = nullptr;
  ERR_set_mark();
  STACK_OF(X509)* named = X509_STORE_CTX_get1_certs(ctx, X509_get_issuer_name(x));
  if (named == nullptr) {
    ERR_pop_to_mark();
    return 0;
  }
  const X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  const unsigned long flags = X509_VERIFY_PARAM_get_flags(param);
  const bool check_time = !(flags & X509_V_FLAG_NO_CHECK_TIME);
  time_t now = (flags & X509_V_FLAG_USE_CHECK_TIME) ? X509_VERIFY_PARAM_get_time(param) : time(nullptr);
  auto valid_now = [&](X509* c) {
    return X509_cmp_time(X509_get0_notBefore(c), &now) < 0 && X509_cmp_time(X509_get0_notAfter(c), &now) > 0;
  };
  X509* best = nullptr;
  for (int i = 0; i < sk_X509_num(named); ++i) {
    X509* candidate = sk_X509_value(named, i);
    EVP_PKEY* key = X509_get0_pubkey(candidate);
    if (X509_check_issued(candidate, x) != X509_V_OK || key == nullptr || X509_verify(x, key) != 1) continue;
    if (check_time && valid_now(candidate)) {
      best = candidate;
      break;
    }
    if (!best || ASN1_TIME_compare(X509_get0_notAfter(candidate), X509_get0_notAfter(best)) > 0) best = candidate;
  }
  if (best) {
    X509_up_ref(best);
    *issuer = best;
  }
  sk_X509_pop_free(named, X509_free);
  ERR_pop_to_mark();  // candidates that did not verify left errors
  return *issuer != nullptr ? 1 : 0;
}

}  // namespace

X509StorePtr NewAnchorStore() {
  X509StorePtr store(X509_STORE_new());
  X509_STORE_set_get_issuer(store.get(), GetSigningIssuer);
  return store;
}

X509Ptr X509FromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) DrainErrors();
  return cert;
}

BnPtr BnFromBytes(std::string_view b) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(b.data()),
                         static_cast<int>(b.size()), nullptr));
}

std::string BnToBytes(const BIGNUM* bn, size_t width) {
  size_t n = width ? width : static_cast<size_t>(BN_num_bytes(bn));
  std::string out(n, '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) < 0) {
    return {};
  }
  return out;
}

}  // namespace credsweep::internal
