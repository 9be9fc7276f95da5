#include "engine/x509_chain.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

#include "engine/encoding.h"
#include "engine/internal/certificate_path.h"
#include "engine/internal/openssl.h"
#include "engine/internal/qc_statements.h"

namespace credsweep {

namespace {

struct CachedChain {
  ChainVerdict verdict;       // kTrusted or the reason it is not
  UnixSeconds not_before = 0; // latest notBefore along the chain
  UnixSeconds not_after = 0;  // earliest notAfter along the chain
  std::string window_owner_nb, window_owner_na;
};

constexpr size_t kMaxCacheEntries = 100000;
// OpenSSL security level for chain validation: 112-bit keys, SHA-256 or better.
constexpr int kSecurityLevel = 2;

// SHA-256 of the DER certificate, lowercase hex.
std::string CertificateHex(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  return HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string OrganizationIdentifier(X509* cert) {
  static const int nid = OBJ_txt2nid("2.5.4.97");
  X509_NAME* name = X509_get_subject_name(cert);
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return {};
  ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

using internal::OidText;

// Why `leaf` may not seal, or "" when it may. Key usage must allow signatures.
// An extended key usage, when present, must allow document signing (any EKU,
// id-kp-documentSigning of RFC 9336, Microsoft document signing, Adobe authentic
// documents), unless a QcType statement declares an e-seal or e-signature
// certificate: EU qualified seal certificates carry clientAuth/emailProtection
// EKUs beside their QcType.
std::string UnfitForSealing(X509* leaf) {
  uint32_t ku = X509_get_key_usage(leaf);
  if (ku == UINT32_MAX || !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
    return ku == UINT32_MAX ? "has no key usage extension (digitalSignature or nonRepudiation required)"
                            : "has neither digitalSignature nor nonRepudiation key usage";
  }
  using EkuPtr = internal::Owned<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
  EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(leaf, NID_ext_key_usage, nullptr, nullptr)));
  if (!eku) return {};
  static constexpr std::string_view kSealingEku[] = {
      "2.5.29.37.0", "1.3.6.1.5.5.7.3.36", "1.3.6.1.4.1.311.10.3.12", "1.2.840.113583.1.1.5"};
  std::string names;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    const ASN1_OBJECT* obj = sk_ASN1_OBJECT_value(eku.get(), i);
    std::string oid = OidText(obj);
    if (std::find(std::begin(kSealingEku), std::end(kSealingEku), oid) != std::end(kSealingEku)) return {};
    int nid = OBJ_obj2nid(obj);
    names += (names.empty() ? "" : ", ") + (nid != NID_undef ? std::string(OBJ_nid2sn(nid)) : oid);
  }
  for (const std::string& t : internal::ReadQcStatements(leaf).types) {
    if (t == internal::kQcTypeEsign || t == internal::kQcTypeEseal) return {};  // QcType esign, eseal
  }
  return "has extended key usage (" + names + ") without document signing, and no QcType e-seal statement";
}

bool IsWeakError(int err) {
  return err == X509_V_ERR_CA_KEY_TOO_SMALL || err == X509_V_ERR_EE_KEY_TOO_SMALL ||
         err == X509_V_ERR_CA_MD_TOO_WEAK;
}

}  // namespace

struct ChainValidator::Impl {
  internal::X509StorePtr store = internal::NewAnchorStore();
  size_t anchors = 0;
  mutable std::shared_mutex mu;
  mutable std::unordered_map<std::string, std::shared_ptr<const CachedChain>> cache;

  std::shared_ptr<const CachedChain> Build(const std::vector<std::string>& chain,
                                           const std::vector<std::string>& extra) const;
};

ChainValidator::ChainValidator() : impl_(std::make_unique<Impl>()) {}
ChainValidator::~ChainValidator() = default;

size_t ChainValidator::anchor_count() const { return impl_->anchors; }

Status ChainValidator::AddAnchorsPem(std::string_view pem, std::string_view origin) {
  internal::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  size_t added = 0;
  while (true) {
    internal::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    if (X509_STORE_add_cert(impl_->store.get(), cert.get()) != 1) {
      internal::DrainErrors();  // a duplicate anchor is harmless
    }
    ++added;
  }
  internal::DrainErrors();  // PEM_read_bio ends with "no start line"
  if (added == 0) return InvalidArgument(std::string(origin) + ": no PEM certificate found");
  impl_->anchors += added;
  return Status::Ok();
}

Status ChainValidator::AddAnchorDer(std::string_view der) {
  internal::X509Ptr cert = internal::X509FromDer(der);
  if (!cert) {
    internal::DrainErrors();
    return InvalidArgument("trust anchor is not a DER certificate");
  }
  if (X509_STORE_add_cert(impl_->store.get(), cert.get()) != 1) internal::DrainErrors();
  ++impl_->anchors;
  return Status::Ok();
}

Status ChainValidator::AddAnchorsPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open CA file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return AddAnchorsPem(ss.str(), path);
}

std::shared_ptr<const CachedChain> ChainValidator::Impl::Build(
    const std::vector<std::string>& chain, const std::vector<std::string>& extra) const {
  auto out = std::make_shared<CachedChain>();
  ChainVerdict& v = out->verdict;
  internal::X509Ptr leaf = internal::X509FromDer(chain.front());
  if (!leaf) {
    internal::DrainErrors();
    v.kind = ChainVerdict::Kind::kBadCertificate;
    v.message = "leaf certificate is not valid DER";
    return out;
  }
  v.subject = internal::NameText(X509_get_subject_name(leaf.get()));
  v.organization = OrganizationIdentifier(leaf.get());
  auto key = PublicKey::FromEvpPkey(X509_get0_pubkey(leaf.get()));
  if (!key.ok()) {
    v.kind = ChainVerdict::Kind::kKeyRejected;
    v.message = "leaf key of '" + v.subject + "' refused: " + key.status().message();
    return out;
  }
  v.key = std::move(key).value();
  internal::X509StackPtr untrusted(sk_X509_new_null());
  for (size_t i = 1; i < chain.size() + extra.size(); ++i) {
    const std::string& der = i < chain.size() ? chain[i] : extra[i - chain.size()];
    if (auto c = internal::X509FromDer(der)) sk_X509_push(untrusted.get(), c.release());
  }
  internal::DrainErrors();
  internal::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
  X509_VERIFY_PARAM_set_auth_level(param, kSecurityLevel);
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    if (IsWeakError(err)) {
      X509* weak = X509_STORE_CTX_get_current_cert(ctx.get());
      v.kind = ChainVerdict::Kind::kWeak;
      v.message = "certificate '" + (weak ? internal::NameText(X509_get_subject_name(weak)) : v.subject) +
                  "' is too weak: " + X509_verify_cert_error_string(err) +
                  " (security level 2: RSA of 2048 bits or more, no MD5 or SHA-1 signatures)";
      internal::DrainErrors();
      return out;
    }
    v.kind = ChainVerdict::Kind::kUntrusted;
    v.message = "certificate chain of '" + v.subject + "' does not reach a trust anchor: " +
                X509_verify_cert_error_string(err);
    internal::DrainErrors();
    return out;
  }
  out->not_before = INT64_MIN;
  out->not_after = INT64_MAX;
  STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get());
  auto path = std::make_shared<internal::CertificatePath>();
  for (int i = 0; i < sk_X509_num(built); ++i) {
    X509* c = sk_X509_value(built, i);
    v.path_sha256.push_back(CertificateHex(c));
    unsigned char* der = nullptr;
    int n = i2d_X509(c, &der);
    path->der.emplace_back(n > 0 ? std::string(reinterpret_cast<char*>(der), static_cast<size_t>(n)) : std::string());
    OPENSSL_free(der);
    X509_up_ref(c);
    path->x509.emplace_back(c);
    auto nb = internal::AsnTimeSeconds(X509_get0_notBefore(c)), na = internal::AsnTimeSeconds(X509_get0_notAfter(c));
    if (nb && *nb > out->not_before) {
      out->not_before = *nb;
      out->window_owner_nb = internal::NameText(X509_get_subject_name(c));
    }
    if (na && *na < out->not_after) {
      out->not_after = *na;
      out->window_owner_na = internal::NameText(X509_get_subject_name(c));
    }
  }
  v.path = std::move(path);
  if (std::string why = UnfitForSealing(leaf.get()); !why.empty()) {
    v.kind = ChainVerdict::Kind::kNotForSealing;
    v.message = "certificate '" + v.subject + "' is not for sealing: it " + why;
    return out;
  }
  v.kind = ChainVerdict::Kind::kTrusted;
  v.message = "certificate '" + v.subject + "' chains to a trust anchor";
  return out;
}

ChainVerdict ChainValidator::Validate(const std::vector<std::string>& chain,
                                      const std::vector<std::string>& extra,
                                      UnixSeconds at) const {
  if (chain.empty()) {
    ChainVerdict v;
    v.kind = ChainVerdict::Kind::kBadCertificate;
    v.message = "empty certificate chain";
    return v;
  }
  std::string cache_key;
  for (const auto& c : chain) cache_key += internal::Digest(internal::Hash::kSha256, c);
  cache_key += '|';
  for (const auto& c : extra) cache_key += internal::Digest(internal::Hash::kSha256, c);

  std::shared_ptr<const CachedChain> entry;
  {
    std::shared_lock lock(impl_->mu);
    if (auto it = impl_->cache.find(cache_key); it != impl_->cache.end()) entry = it->second;
  }
  if (!entry) {
    entry = impl_->Build(chain, extra);
    std::unique_lock lock(impl_->mu);
    if (impl_->cache.size() >= kMaxCacheEntries) impl_->cache.clear();
    impl_->cache.emplace(cache_key, entry);
  }
  ChainVerdict v = entry->verdict;
  if (v.kind != ChainVerdict::Kind::kTrusted) return v;
  v.valid_until = entry->not_after;
  v.valid_until_owner = entry->window_owner_na;
  if (at < entry->not_before) {
    v.kind = ChainVerdict::Kind::kNotYetValid;
    v.message = "certificate '" + entry->window_owner_nb + "' was not yet valid at " + FormatUtc(at) +
                " (valid from " + FormatUtc(entry->not_before) + ")";
  } else if (at > entry->not_after) {
    v.kind = ChainVerdict::Kind::kExpired;
    v.message = "certificate '" + entry->window_owner_na + "' had expired at " + FormatUtc(at) +
                " (valid until " + FormatUtc(entry->not_after) + ")";
  }
  return v;
}

}  // namespace credsweep
