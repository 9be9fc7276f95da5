#include "engine/certificate_status.h"

#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <fstream>
#include <sstream>

#include "engine/encoding.h"
#include "engine/internal/carried_certificates.h"
#include "engine/internal/certificate_path.h"
#include "engine/internal/openssl.h"

namespace credsweep {

namespace {

using internal::Owned;
using CrlPtr = Owned<X509_CRL, X509_CRL_free>;
using OcspResponsePtr = Owned<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicPtr = Owned<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using OcspCertIdPtr = Owned<OCSP_CERTID, OCSP_CERTID_free>;
using RevokedReasonPtr = Owned<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;

struct BorrowedStackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
};

// RFC 5280 §5.3.1 reason names; empty for "unspecified" or an unknown value.
std::string ReasonName(long reason) {
  static constexpr const char* kNames[] = {"",
                                           "keyCompromise",
                                           "cACompromise",
                                           "affiliationChanged",
                                           "superseded",
                                           "cessationOfOperation",
                                           "certificateHold",
                                           "",
                                           "removeFromCRL",
                                           "privilegeWithdrawn",
                                           "aACompromise"};
  return reason >= 0 && reason < static_cast<long>(std::size(kNames)) ? kNames[reason] : "";
}

// Evidence issued at or after `at`, or current at `at`, covers it.
bool Covers(std::optional<int64_t> this_update, std::optional<int64_t> next_update, UnixSeconds at, int64_t skew) {
  if (!this_update) return false;
  if (*this_update >= at - skew) return true;
  return next_update && at <= *next_update + skew;
}

std::string Window(std::optional<int64_t> this_update, std::optional<int64_t> next_update) {
  return (this_update ? FormatUtc(*this_update) : std::string("?")) + " .. " +
         (next_update ? FormatUtc(*next_update) : std::string("(no nextUpdate)"));
}

CrlPtr CrlFromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl) internal::DrainErrors();
  return crl;
}

// OpenSSL sorts a CRL's revoked list on its first lookup, and reads the "sorted"
// flag without a lock: a CRL shared between threads is sorted while still private.
CrlPtr SortedCrl(CrlPtr crl) {
  if (crl) {
    if (STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get())) sk_X509_REVOKED_sort(revoked);
  }
  return crl;
}

OcspBasicPtr OcspFromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  if (OcspResponsePtr resp(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size()))); resp) {
    if (OCSP_response_status(resp.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) return nullptr;
    OcspBasicPtr basic(OCSP_response_get1_basic(resp.get()));
    if (!basic) internal::DrainErrors();
    return basic;
  }
  p = reinterpret_cast<const unsigned char*>(der.data());
  OcspBasicPtr basic(d2i_OCSP_BASICRESP(nullptr, &p, static_cast<long>(der.size())));
  if (!basic) internal::DrainErrors();
  return basic;
}

// One OCSP response or CRL, decoded, with its signature judged once per key that
// may have made it. Seals of one issuer carry the same evidence, so each distinct
// document is decoded once (DecodedEvidence) and shared read-only between seals
// and threads; OpenSSL 3.0 spends far more on decoding the certificates inside a
// response than on checking it.
class Evidence {
 public:
  struct Signature {
    bool verifies = false;
    std::string signer;  // the signing certificate's subject, for messages
  };

  Evidence(OcspBasicPtr ocsp, CrlPtr crl, std::vector<internal::X509Ptr> carried = {})
      : ocsp_(std::move(ocsp)), crl_(std::move(crl)), carried_(std::move(carried)) {}

  OCSP_BASICRESP* ocsp() const { return ocsp_.get(); }
  X509_CRL* crl() const { return crl_.get(); }
  // The certificates an OCSP response carried, decoded apart from it (see
  // engine/internal/carried_certificates.h); the response itself then has none.
  const std::vector<internal::X509Ptr>& carried() const { return carried_; }

  // Whether `cert`'s key made the signature (OCSP: `cert` is the responder OpenSSL
  // found; CRL: the issuer). Memoized by the certificate's SHA-256.
  Signature SignedBy(X509* cert) const {
    std::string key(SHA256_DIGEST_LENGTH, '\0');
    unsigned len = 0;
    if (X509_digest(cert, EVP_sha256(), reinterpret_cast<unsigned char*>(key.data()), &len) != 1) {
      internal::DrainErrors();
      return {};
    }
    std::lock_guard lock(mu_);
    if (auto it = judged_.find(key); it != judged_.end()) return it->second;
    Signature sig{false, internal::NameText(X509_get_subject_name(cert))};
    if (ocsp_) {
      // With the key of the signer the caller judged (OCSP_NOVERIFY: no chain
      // building of OpenSSL's own; OCSP_NOINTERN: only that signer).
      std::unique_ptr<STACK_OF(X509), BorrowedStackFree> only(sk_X509_new_null());
      sk_X509_push(only.get(), cert);
      sig.verifies = OCSP_basic_verify(ocsp_.get(), only.get(), nullptr, OCSP_NOINTERN | OCSP_NOVERIFY) == 1;
    } else if (crl_) {
      sig.verifies = X509_CRL_verify(crl_.get(), X509_get0_pubkey(cert)) == 1;
    }
    internal::DrainErrors();
    if (judged_.size() < kMaxSigners) judged_.emplace(std::move(key), sig);
    return sig;
  }

 private:
  static constexpr size_t kMaxSigners = 64;
  OcspBasicPtr ocsp_;
  CrlPtr crl_;
  std::vector<internal::X509Ptr> carried_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Signature> judged_;
};
using EvidencePtr = std::shared_ptr<const Evidence>;

// Decoded documents by kind and SHA-256 of their bytes, for the whole process: a
// document's decoding and its signature verdicts depend on nothing else. Bounded by
// count and bytes (emptied when either is reached); larger documents are decoded
// each time.
class DecodedEvidence {
 public:
  static constexpr size_t kMaxDocuments = 1024;
  static constexpr size_t kMaxBytes = 16u << 20;
  static constexpr size_t kMaxDocumentBytes = 1u << 20;

  static EvidencePtr Ocsp(std::string_view der) { return Get('o', der); }
  static EvidencePtr Crl(std::string_view der) { return Get('c', der); }

 private:
  static EvidencePtr Decode(char kind, std::string_view der) {
    if (kind == 'c') return std::make_shared<const Evidence>(nullptr, SortedCrl(CrlFromDer(der)));
    if (auto split = internal::SplitOcspCertificates(der)) {
      // The rest first: certificates are decoded (and kept) only for a response that decodes.
      const auto* p = reinterpret_cast<const unsigned char*>(split->without.data());
      const auto* end = p + split->without.size();
      OcspBasicPtr basic(d2i_OCSP_BASICRESP(nullptr, &p, static_cast<long>(split->without.size())));
      if (basic && p == end) {
        if (auto carried = internal::CarriedCertificates(split->certificates)) {
          return std::make_shared<const Evidence>(std::move(basic), nullptr, std::move(*carried));
        }
      }
      internal::DrainErrors();
    }
    return std::make_shared<const Evidence>(OcspFromDer(der), nullptr);
  }

  static EvidencePtr Get(char kind, std::string_view der) {
    if (der.size() > kMaxDocumentBytes) return Decode(kind, der);
    static std::shared_mutex mu;
    static std::unordered_map<std::string, EvidencePtr> decoded;
    static size_t bytes = 0;
    const std::string key = kind + internal::Digest(internal::Hash::kSha256, der);
    {
      std::shared_lock lock(mu);
      if (auto it = decoded.find(key); it != decoded.end()) return it->second;
    }
    EvidencePtr e = Decode(kind, der);
    std::unique_lock lock(mu);
    if (decoded.size() >= kMaxDocuments || bytes + der.size() > kMaxBytes) {
      decoded.clear();
      bytes = 0;
    }
    if (decoded.emplace(key, e).second) bytes += der.size();
    return e;
  }
};

// RFC 6960 Appendix A.1 GET URLs for `cert`'s OCSP responders (http and https).
std::vector<std::string> OcspUrls(X509* cert, X509* issuer) {
  std::vector<std::string> out;
  STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(cert);
  if (!urls) return out;
  Owned<OCSP_REQUEST, OCSP_REQUEST_free> req(OCSP_REQUEST_new());
  OCSP_CERTID* id = OCSP_cert_to_id(nullptr, cert, issuer);
  std::string encoded;
  if (req && id && OCSP_request_add0_id(req.get(), id)) {
    unsigned char* der = nullptr;
    int len = i2d_OCSP_REQUEST(req.get(), &der);
    std::string b64 = len > 0 ? Base64Encode(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(len)))
                              : std::string();
    OPENSSL_free(der);
    for (char c : b64) {
      encoded += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
    }
  } else {
    OCSP_CERTID_free(id);
  }
  for (int i = 0; i < sk_OPENSSL_STRING_num(urls) && !encoded.empty(); ++i) {
    std::string url = sk_OPENSSL_STRING_value(urls, i);
    if (!url.starts_with("http://") && !url.starts_with("https://")) continue;
    out.push_back(url + (url.ends_with("/") ? "" : "/") + encoded);
  }
  X509_email_free(urls);
  internal::DrainErrors();
  return out;
}

// `cert`'s http(s) CRL distribution point URLs.
std::vector<std::string> CrlUrls(X509* cert) {
  std::vector<std::string> out;
  using DistPointsPtr = std::unique_ptr<STACK_OF(DIST_POINT), void (*)(STACK_OF(DIST_POINT)*)>;
  DistPointsPtr dps(static_cast<STACK_OF(DIST_POINT)*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr)),
                    [](STACK_OF(DIST_POINT)* p) { sk_DIST_POINT_pop_free(p, DIST_POINT_free); });
  for (int i = 0; dps && i < sk_DIST_POINT_num(dps.get()); ++i) {
    DIST_POINT* dp = sk_DIST_POINT_value(dps.get(), i);
    if (!dp->distpoint || dp->distpoint->type != 0) continue;  // fullName only
    GENERAL_NAMES* names = dp->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)), static_cast<size_t>(ASN1_STRING_length(uri)));
      if (url.starts_with("http://") || url.starts_with("https://")) out.push_back(std::move(url));
    }
  }
  internal::DrainErrors();
  return out;
}

// Why `responder` may not answer for `issuer`'s certificates, or "" when it may: it
// must be issued by `issuer` and carry the OCSPSigning extended key usage. Judged
// once per (responder, issuer): responders answer for months.
std::string DelegationProblem(X509* responder, X509* issuer) {
  static std::shared_mutex mu;
  static std::unordered_map<std::string, std::string> judged;
  std::string key(2 * SHA256_DIGEST_LENGTH, '\0');
  unsigned len = 0;
  X509_digest(responder, EVP_sha256(), reinterpret_cast<unsigned char*>(key.data()), &len);
  X509_digest(issuer, EVP_sha256(), reinterpret_cast<unsigned char*>(key.data()) + SHA256_DIGEST_LENGTH, &len);
  {
    std::shared_lock lock(mu);
    if (auto it = judged.find(key); it != judged.end()) return it->second;
  }
  std::string why;
  if (X509_check_issued(issuer, responder) != X509_V_OK ||
      X509_verify(responder, X509_get0_pubkey(issuer)) != 1) {
    why = "is not issued by the certificate's issuer";
  } else if (!(X509_get_extension_flags(responder) & EXFLAG_XKUSAGE) ||
             !(X509_get_extended_key_usage(responder) & XKU_OCSP_SIGN)) {
    why = "lacks the OCSPSigning extended key usage";
  }
  internal::DrainErrors();
  std::unique_lock lock(mu);
  if (judged.size() >= 4096) judged.clear();
  judged.emplace(std::move(key), why);
  return why;
}

// What one certificate's evidence says.
struct Answer {
  enum class Kind { kNone, kGood, kRevoked } kind = Kind::kNone;
  std::string source;  // "ocsp" or "crl"
  std::string what;    // "OCSP response by 'X' of T", "CRL of 'X' of T"
  UnixSeconds revoked_at = 0;
  std::string reason;
  std::string origin;  // CertificateStatus::origin
};

class Examiner {
 public:
  Examiner(const RevocationEvidence& e, UnixSeconds at, int64_t skew) : at_(at), skew_(skew), origin_(e.origin) {
    if (e.ocsp_der) {
      for (const auto& der : *e.ocsp_der) {
        if (EvidencePtr b = DecodedEvidence::Ocsp(der); b->ocsp()) {
          ocsp_.push_back(std::move(b));
        } else {
          Note("an " + std::string(origin_) + " OCSP response is not a successful OCSP response");
        }
      }
    }
    if (e.crl_der) {
      for (const auto& der : *e.crl_der) {
        if (EvidencePtr c = DecodedEvidence::Crl(der); c->crl()) {
          embedded_crls_.push_back(std::move(c));
        } else {
          Note("an " + std::string(origin_) + " CRL does not decode");
        }
      }
    }
    crls_ = e.crls;
    online_ = e.online;
  }

  const OnlineRevocation* online() const { return online_; }

  Answer Ask(X509* cert, X509* issuer) {
    Answer best;
    auto consider = [&](Answer a, std::string_view origin) {
      a.origin = origin;
      if (a.kind == Answer::Kind::kRevoked || best.kind == Answer::Kind::kNone) best = std::move(a);
    };
    for (const auto& b : ocsp_) {
      consider(AskOcsp(*b, cert, issuer, origin_), origin_);
      if (best.kind == Answer::Kind::kRevoked) return best;
    }
    for (const auto& c : embedded_crls_) {
      consider(AskCrl(*c, cert, issuer, origin_), origin_);
      if (best.kind == Answer::Kind::kRevoked) return best;
    }
    for (const Evidence* c : OfflineCrls(issuer)) {
      consider(AskCrl(*c, cert, issuer, "--crls"), "crls");
      if (best.kind == Answer::Kind::kRevoked) return best;
    }
    return best;
  }

  // Evidence fetched where `cert` says it is published: its OCSP responders first,
  // then its CRL distribution points.
  Answer AskOnline(X509* cert, X509* issuer, const OnlineRevocation& online) {
    for (const std::string& url : OcspUrls(cert, issuer)) {
      auto doc = online.Get(url);
      if (!doc.ok()) {
        Note(doc.status().message());
        continue;
      }
      EvidencePtr b = DecodedEvidence::Ocsp(**doc);
      if (!b->ocsp()) {
        Note("the OCSP responder " + url.substr(0, url.rfind('/')) + " did not give a successful OCSP response");
        continue;
      }
      Answer a = AskOcsp(*b, cert, issuer, "fetched");
      a.origin = "online";
      if (a.kind != Answer::Kind::kNone) {
        online.Validated(url, **doc);
        return a;
      }
    }
    for (const std::string& url : CrlUrls(cert)) {
      auto doc = online.Get(url);
      if (!doc.ok()) {
        Note(doc.status().message());
        continue;
      }
      EvidencePtr crl = DecodedEvidence::Crl(**doc);
      if (!crl->crl()) {
        Note("the CRL at " + url + " does not decode");
        continue;
      }
      Answer a = AskCrl(*crl, cert, issuer, "fetched from " + url);
      a.origin = "online";
      if (a.kind != Answer::Kind::kNone) {
        online.Validated(url, **doc);
        return a;
      }
    }
    return {};
  }

  // Why evidence was set aside, "; "-joined (empty when none was).
  const std::string& notes() const { return notes_; }

 private:
  void Note(std::string n) {
    if (notes_.find(n) != std::string::npos) return;
    notes_ += (notes_.empty() ? "" : "; ") + n;
  }

  std::vector<const Evidence*> OfflineCrls(X509* issuer) const;

  // True when `b` is signed by `issuer` or a responder it delegated (RFC 6960
  // §4.2.2.2), the responder valid when the response was produced.
  bool SignedFor(const Evidence& e, X509* issuer, std::string_view origin, std::string* signer_name) {
    OCSP_BASICRESP* b = e.ocsp();
    std::unique_ptr<STACK_OF(X509), BorrowedStackFree> certs(sk_X509_new_null());
    for (const auto& c : e.carried()) sk_X509_push(certs.get(), c.get());  // looked at first, as OpenSSL would
    sk_X509_push(certs.get(), issuer);
    X509* signer = nullptr;
    if (OCSP_resp_get0_signer(b, &signer, certs.get()) != 1 || !signer) {
      internal::DrainErrors();
      Note("an OCSP response (" + std::string(origin) + ") names a responder whose certificate it does not carry");
      return false;
    }
    const Evidence::Signature sig = e.SignedBy(signer);
    *signer_name = sig.signer;
    if (X509_cmp(signer, issuer) != 0) {
      if (std::string why = DelegationProblem(signer, issuer); !why.empty()) {
        Note("an OCSP response (" + std::string(origin) + ") is not signed by the issuer or a responder it delegated ('" +
             *signer_name + "' " + why + ")");
        return false;
      }
      auto produced = internal::AsnTimeSeconds(OCSP_resp_get0_produced_at(b));
      auto nb = internal::AsnTimeSeconds(X509_get0_notBefore(signer));
      auto na = internal::AsnTimeSeconds(X509_get0_notAfter(signer));
      if (!produced || !nb || !na || *produced < *nb || *produced > *na) {
        Note("the responder certificate '" + *signer_name + "' was not valid when it produced its OCSP response");
        return false;
      }
    }
    if (!sig.verifies) {
      Note("an OCSP response (" + std::string(origin) + ") by '" + *signer_name + "' has a signature that does not verify");
      return false;
    }
    return true;
  }

  Answer AskOcsp(const Evidence& e, X509* cert, X509* issuer, std::string_view origin) {
    OCSP_BASICRESP* b = e.ocsp();
    for (int i = 0; i < OCSP_resp_count(b); ++i) {
      OCSP_SINGLERESP* single = OCSP_resp_get0(b, i);
      const OCSP_CERTID* id = OCSP_SINGLERESP_get0_id(single);
      ASN1_OBJECT* md_oid = nullptr;
      ASN1_INTEGER* serial = nullptr;
      if (OCSP_id_get0_info(nullptr, &md_oid, nullptr, &serial, const_cast<OCSP_CERTID*>(id)) != 1 ||
          ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(cert)) != 0) {
        continue;
      }
      const EVP_MD* md = EVP_get_digestbyobj(md_oid);
      OcspCertIdPtr mine(md ? OCSP_cert_to_id(md, cert, issuer) : nullptr);
      if (!mine || OCSP_id_cmp(mine.get(), id) != 0) {
        internal::DrainErrors();
        continue;
      }
      std::string signer;
      if (!SignedFor(e, issuer, origin, &signer)) return {};
      int reason = -1;
      ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
      const int status = OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update);
      auto tu = internal::AsnTimeSeconds(this_update);
      auto nu = next_update ? internal::AsnTimeSeconds(next_update) : std::nullopt;
      const std::string what = "OCSP response by '" + signer + "' of " + (tu ? FormatUtc(*tu) : "?") + " (" +
                               std::string(origin) + ")";
      if (status == V_OCSP_CERTSTATUS_REVOKED) {
        auto when = internal::AsnTimeSeconds(revoked);
        if (!when) return {};
        return {Answer::Kind::kRevoked, "ocsp", what, *when, ReasonName(reason)};
      }
      if (status != V_OCSP_CERTSTATUS_GOOD) {
        Note("an OCSP response (" + std::string(origin) + ") by '" + signer + "' says the status is unknown");
        return {};
      }
      if (!Covers(tu, nu, at_, skew_)) {
        Note("an OCSP response (" + std::string(origin) + ", current " + Window(tu, nu) + ") does not cover " +
             FormatUtc(at_));
        return {};
      }
      return {Answer::Kind::kGood, "ocsp", what};
    }
    return {};
  }

  Answer AskCrl(const Evidence& e, X509* cert, X509* issuer, std::string_view origin) {
    X509_CRL* crl = e.crl();
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) != 0) return {};
    const Evidence::Signature sig = e.SignedBy(issuer);
    const std::string& issuer_name = sig.signer;
    if (!sig.verifies) {
      Note("a CRL (" + std::string(origin) + ") naming '" + issuer_name + "' is not signed by it");
      return {};
    }
    auto tu = internal::AsnTimeSeconds(X509_CRL_get0_lastUpdate(crl));
    auto nu = X509_CRL_get0_nextUpdate(crl) ? internal::AsnTimeSeconds(X509_CRL_get0_nextUpdate(crl)) : std::nullopt;
    const std::string what =
        "CRL of '" + issuer_name + "' of " + (tu ? FormatUtc(*tu) : "?") + " (" + std::string(origin) + ")";
    X509_REVOKED* entry = nullptr;
    // 1: listed; 2: listed as removeFromCRL (a delta CRL lifting a hold).
    if (X509_CRL_get0_by_cert(crl, &entry, cert) == 1 && entry) {
      auto when = internal::AsnTimeSeconds(X509_REVOKED_get0_revocationDate(entry));
      if (!when) return {};
      long reason = 0;
      if (RevokedReasonPtr r(static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr)));
          r) {
        reason = ASN1_ENUMERATED_get(r.get());
      }
      return {Answer::Kind::kRevoked, "crl", what, *when, ReasonName(reason)};
    }
    internal::DrainErrors();
    if (!Covers(tu, nu, at_, skew_)) {
      Note("a CRL of '" + issuer_name + "' (" + std::string(origin) + ", current " + Window(tu, nu) +
           ") does not cover " + FormatUtc(at_));
      return {};
    }
    return {Answer::Kind::kGood, "crl", what};
  }

  UnixSeconds at_;
  int64_t skew_;
  std::string_view origin_;
  std::vector<EvidencePtr> ocsp_;
  std::vector<EvidencePtr> embedded_crls_;
  const CrlSet* crls_ = nullptr;
  const OnlineRevocation* online_ = nullptr;
  std::string notes_;
};

}  // namespace

struct OnlineRevocation::Impl {
  explicit Impl(const DocumentSource& s) : source(s) {}
  struct Entry {
    std::shared_ptr<const std::string> document;
    std::string error;
    bool validated = false;  // passed on to the source once
  };
  const DocumentSource& source;
  mutable std::shared_mutex mu;
  mutable std::unordered_map<std::string, Entry> fetched;
};

OnlineRevocation::OnlineRevocation(const DocumentSource& source) : impl_(std::make_unique<Impl>(source)) {}
OnlineRevocation::~OnlineRevocation() = default;

Result<std::shared_ptr<const std::string>> OnlineRevocation::Get(const std::string& url) const {
  Impl::Entry entry;
  bool found = false;
  {
    std::shared_lock lock(impl_->mu);
    if (auto it = impl_->fetched.find(url); it != impl_->fetched.end()) {
      entry = it->second;
      found = true;
    }
  }
  if (!found) {
    // Threads asking for the same URL at once may each fetch it; one result is kept.
    auto doc = impl_->source.Fetch(url);
    if (doc.ok()) {
      entry.document = std::make_shared<const std::string>(std::move(doc).value());
    } else {
      entry.error = doc.status().message();
    }
    std::unique_lock lock(impl_->mu);
    if (impl_->fetched.size() >= kMaxEntries) impl_->fetched.clear();
    impl_->fetched.emplace(url, entry);
  }
  if (!entry.document) return IoError(entry.error);
  return entry.document;
}

void OnlineRevocation::Validated(const std::string& url, const std::string& document) const {
  {
    std::unique_lock lock(impl_->mu);
    auto it = impl_->fetched.find(url);
    if (it == impl_->fetched.end() || it->second.validated) return;
    it->second.validated = true;
  }
  impl_->source.Validated(url, document);
}

std::optional<UnixSeconds> CertificateStatusNextUpdate(std::string_view document) {
  if (OcspBasicPtr basic = OcspFromDer(document)) {
    std::optional<UnixSeconds> earliest;
    for (int i = 0; i < OCSP_resp_count(basic.get()); ++i) {
      ASN1_GENERALIZEDTIME *this_update = nullptr, *next_update = nullptr;
      OCSP_SINGLERESP* single = OCSP_resp_get0(basic.get(), i);
      if (!single) continue;
      OCSP_single_get0_status(single, nullptr, nullptr, &this_update, &next_update);
      if (!next_update) continue;
      if (auto t = internal::AsnTimeSeconds(next_update); t && (!earliest || *t < *earliest)) earliest = t;
    }
    return earliest;
  }
  CrlPtr crl = CrlFromDer(document);
  if (!crl && document.size() < (1u << 30)) {
    internal::BioPtr bio(BIO_new_mem_buf(document.data(), static_cast<int>(document.size())));
    if (bio) crl.reset(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    internal::DrainErrors();
  }
  if (!crl || !X509_CRL_get0_nextUpdate(crl.get())) return std::nullopt;
  return internal::AsnTimeSeconds(X509_CRL_get0_nextUpdate(crl.get()));
}

struct CrlSet::Impl {
  std::deque<Evidence> crls;  // Evidence does not move
};

// Lets the examiner read a CrlSet without the set exposing OpenSSL types.
struct CertificateStatusAccess {
  static const std::deque<Evidence>& Crls(const CrlSet& s) { return s.impl_->crls; }
};

std::vector<const Evidence*> Examiner::OfflineCrls(X509* issuer) const {
  std::vector<const Evidence*> out;
  if (!crls_) return out;
  for (const Evidence& c : CertificateStatusAccess::Crls(*crls_)) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(c.crl()), X509_get_subject_name(issuer)) == 0) out.push_back(&c);
  }
  return out;
}

CrlSet::CrlSet() : impl_(std::make_unique<Impl>()) {}
CrlSet::~CrlSet() = default;
size_t CrlSet::size() const { return impl_->crls.size(); }

Status CrlSet::Add(std::string_view data, std::string_view origin) {
  if (data.find("-----BEGIN X509 CRL-----") != std::string_view::npos) {
    internal::BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    size_t added = 0;
    while (CrlPtr crl{PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)}) {
      impl_->crls.emplace_back(nullptr, SortedCrl(std::move(crl)));
      ++added;
    }
    internal::DrainErrors();  // PEM reading ends with "no start line"
    if (added == 0) return InvalidArgument(std::string(origin) + ": no readable PEM CRL");
    return Status::Ok();
  }
  CrlPtr crl = CrlFromDer(data);
  if (!crl) return InvalidArgument(std::string(origin) + ": not a CRL (DER or PEM)");
  impl_->crls.emplace_back(nullptr, SortedCrl(std::move(crl)));
  return Status::Ok();
}

Status CrlSet::AddFolder(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return NotFound("cannot read the CRL folder " + dir + ": " + ec.message());
  std::vector<fs::path> files;
  for (const auto& entry : it) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file(ec) && (ext == ".crl" || ext == ".der" || ext == ".pem")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    if (fs::file_size(path, ec) > kMaxFileBytes) {
      return InvalidArgument(path.string() + ": larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in) return IoError("cannot read " + path.string());
    if (Status s = Add(ss.str(), path.string()); !s.ok()) return s;
  }
  return Status::Ok();
}

CertificateStatus CheckCertificateStatus(const internal::CertificatePath& path, const RevocationEvidence& evidence,
                                         UnixSeconds at, int64_t skew_seconds) {
  CertificateStatus out;
  const auto& certs = path.x509;
  if (certs.size() < 2) {  // the leaf is itself an anchor: nothing to ask
    out.state = CertificateStatus::State::kGood;
    out.message = "the seal certificate is itself a trust anchor";
    return out;
  }
  Examiner examiner(evidence, at, skew_seconds);
  std::string good, missing;
  for (size_t i = 0; i + 1 < certs.size(); ++i) {
    Answer a = examiner.Ask(certs[i].get(), certs[i + 1].get());
    if (a.kind == Answer::Kind::kNone && examiner.online()) {
      a = examiner.AskOnline(certs[i].get(), certs[i + 1].get(), *examiner.online());
    }
    // The leaf's name is needed only when something is wrong with it.
    const std::string subject = i == 0 && a.kind == Answer::Kind::kGood
                                    ? std::string()
                                    : internal::NameText(X509_get_subject_name(certs[i].get()));
    if (a.kind == Answer::Kind::kRevoked) {
      out.state = CertificateStatus::State::kRevoked;
      out.source = a.source;
      out.origin = a.origin;
      out.revoked_subject = subject;
      out.revoked_at = a.revoked_at;
      out.reason = a.reason;
      out.message = "certificate '" + subject + "' was revoked at " + FormatUtc(a.revoked_at) +
                    (a.reason.empty() ? "" : " (" + a.reason + ")") + ", by the " + a.what;
      return out;
    }
    if (a.kind == Answer::Kind::kNone) {
      missing += (missing.empty() ? "'" : ", '") + subject + "'";
      continue;
    }
    if (i == 0) {
      out.source = a.source;
      out.origin = a.origin;
    }
    good += (good.empty() ? "" : "; ") + std::string(i == 0 ? "" : "'" + subject + "': ") + a.what;
  }
  if (!missing.empty()) {
    out.state = CertificateStatus::State::kUnknown;
    out.source = "none";
    out.message = "no OCSP response or CRL shows the status of " + missing + " at " + FormatUtc(at);
    if (!examiner.notes().empty()) out.message += " (" + examiner.notes() + ")";
    return out;
  }
  out.state = CertificateStatus::State::kGood;
  out.message = "not revoked at " + FormatUtc(at) + ": " + good;
  return out;
}

}  // namespace credsweep
