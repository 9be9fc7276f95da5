// RAII owners for OpenSSL handles and the hot-path helpers that avoid OpenSSL 3's
// per-call algorithm fetching. Private to engine/: nothing here crosses a module
// boundary.
#ifndef CREDSWEEP_ENGINE_INTERNAL_OPENSSL_H_
#define CREDSWEEP_ENGINE_INTERNAL_OPENSSL_H_

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace credsweep::internal {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
template <typename T, void (*F)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, F>>;

using PkeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtxPtr = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using BnPtr = Owned<BIGNUM, BN_free>;
using EcdsaSigPtr = Owned<ECDSA_SIG, ECDSA_SIG_free>;
using X509Ptr = Owned<X509, X509_free>;
using X509StorePtr = Owned<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = Owned<X509_STORE_CTX, X509_STORE_CTX_free>;
using ParamBldPtr = Owned<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamPtr = Owned<OSSL_PARAM, OSSL_PARAM_free>;
using BioPtr = Owned<BIO, BIO_free_all>;

struct X509StackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

// Empties this thread's OpenSSL error queue into one line (empty if none).
std::string DrainErrors();

enum class Hash { kSha256, kSha384, kSha512 };

// Fetched once per process; never freed (they live as long as the library).
const EVP_MD* Md(Hash h);

// One-shot digest using a thread-local EVP_MD_CTX and a pre-fetched EVP_MD.
// `out` must hold 64 bytes. Returns the digest length, 0 on failure.
unsigned DigestInto(Hash h, std::string_view data, unsigned char* out);
std::string Digest(Hash h, std::string_view data);

enum class Padding { kNone, kPkcs1, kPss };

// A verify context for (key, padding, hash), initialised once per thread and
// reused: EVP_PKEY_verify_init and the fetches it implies are paid once.
// The returned pointer stays owned by the thread-local cache.
EVP_PKEY_CTX* ThreadVerifyCtx(EVP_PKEY* key, Padding padding, Hash hash);

// An X.509 name as RFC 2253 text (UTF-8 kept as is), e.g. "CN=Seal,O=Issuing Body,C=BE".
std::string NameText(const X509_NAME* name);
// An ASN.1 time as Unix seconds; nullopt when unreadable.
std::optional<int64_t> AsnTimeSeconds(const ASN1_TIME* t);
// One DER certificate; null (errors drained) when it does not decode.
X509Ptr X509FromDer(std::string_view der);

// A store of trust anchors whose issuer lookup takes, among the anchors named as a
// certificate's issuer, one whose key verifies the certificate's signature: CAs
// renewed under the same name (a new key, the old certificate kept) are told apart
// even without key identifiers. OpenSSL's own lookup goes by name, key identifiers
// and validity time, and without key identifiers can take an anchor with another key.
X509StorePtr NewAnchorStore();

BnPtr BnFromBytes(std::string_view big_endian);
std::string BnToBytes(const BIGNUM* bn, size_t width);  // left-padded to width when > 0

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_OPENSSL_H_
