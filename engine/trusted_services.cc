#include "engine/trusted_services.h"

#include <openssl/x509v3.h>

#include <algorithm>
#include <map>

#include "engine/internal/openssl.h"
#include "engine/internal/qc_statements.h"

namespace credsweep {

namespace {

internal::X509Ptr FromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  internal::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) internal::DrainErrors();
  return cert;
}

std::string NameDer(const X509_NAME* name) {
  unsigned char* out = nullptr;
  int n = i2d_X509_NAME(name, &out);
  if (n <= 0) return {};
  std::string s(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  OPENSSL_free(out);
  return s;
}

bool IsCaService(std::string_view type) { return type == kServiceTypeCaQc || type == kServiceTypeCaPkc; }

std::string_view ShortName(std::string_view uri) {
  return uri.starts_with(kSvcInfoExt) ? uri.substr(kSvcInfoExt.size()) : uri;
}

// The certificate facts a CriteriaList is evaluated on.
struct CertFacts {
  std::vector<std::string> policies;
  uint32_t key_usage = 0;
  bool has_key_usage = false;
};

bool KeyUsageBit(const CertFacts& f, std::string_view name, bool* known) {
  static const std::pair<std::string_view, uint32_t> kBits[] = {
      {"digitalSignature", KU_DIGITAL_SIGNATURE}, {"nonRepudiation", KU_NON_REPUDIATION},
      {"contentCommitment", KU_NON_REPUDIATION},  {"keyEncipherment", KU_KEY_ENCIPHERMENT},
      {"dataEncipherment", KU_DATA_ENCIPHERMENT}, {"keyAgreement", KU_KEY_AGREEMENT},
      {"keyCertSign", KU_KEY_CERT_SIGN},          {"crlSign", KU_CRL_SIGN},
      {"encipherOnly", KU_ENCIPHER_ONLY},         {"decipherOnly", KU_DECIPHER_ONLY}};
  for (const auto& [n, bit] : kBits) {
    if (n == name) return f.has_key_usage && (f.key_usage & bit);
  }
  *known = false;
  return false;
}

// Whether the criteria hold for the certificate; `known` turns false when an
// unevaluated criterion is met, and the caller then applies nothing.
bool Matches(const QualificationCriteria& c, const CertFacts& f, bool* known) {
  if (c.unsupported) *known = false;
  std::vector<bool> results;
  for (const auto& set : c.policy_sets) {
    results.push_back(std::all_of(set.begin(), set.end(), [&](const std::string& oid) {
      return std::find(f.policies.begin(), f.policies.end(), oid) != f.policies.end();
    }));
  }
  for (const auto& ku : c.key_usages) {
    results.push_back(std::all_of(ku.begin(), ku.end(), [&](const auto& bit) {
      return KeyUsageBit(f, bit.first, known) == bit.second;
    }));
  }
  for (const auto& n : c.nested) results.push_back(Matches(n, f, known));
  size_t hits = static_cast<size_t>(std::count(results.begin(), results.end(), true));
  switch (c.assert_mode) {
    case QualificationCriteria::Assert::kAll: return !results.empty() && hits == results.size();
    case QualificationCriteria::Assert::kAtLeastOne: return hits > 0;
    case QualificationCriteria::Assert::kNone: return hits == 0;
  }
  return false;
}

// Qualifier short names ("QCWithSSCD") of the period that apply to the leaf.
std::vector<std::string> ApplicableQualifiers(const ServiceStatusPeriod& p, const CertFacts& f) {
  std::vector<std::string> out;
  for (const Qualification& q : p.qualifications) {
    bool known = true;
    if (!Matches(q.criteria, f, &known) || !known) continue;
    for (const auto& uri : q.qualifiers) out.emplace_back(ShortName(uri));
  }
  return out;
}

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Level of a leaf issued by a service in period `p` (granted, CA).
void Classify(X509* leaf, const ServiceStatusPeriod& p, SealQualification* out) {
  CertFacts facts;
  facts.policies = internal::CertificatePolicies(leaf);
  facts.key_usage = X509_get_key_usage(leaf);
  facts.has_key_usage = facts.key_usage != UINT32_MAX;
  internal::QcStatements qc = internal::ReadQcStatements(leaf);
  std::vector<std::string> q = ApplicableQualifiers(p, facts);

  out->qualified = (qc.compliance || Has(q, "QCStatement")) && !Has(q, "NotQualified") && !Has(q, "QCNotQualified");
  if (Has(q, "QCForESeal")) {
    out->for_eseal = true;
  } else if (Has(q, "QCForESig") || Has(q, "QCForWSA")) {
    out->for_eseal = false;
  } else if (!qc.types.empty()) {
    out->for_eseal = Has(qc.types, internal::kQcTypeEseal);
  } else {  // no type in the certificate: an e-seal-only service decides
    out->for_eseal = p.HasInfo("ForeSeals") && !p.HasInfo("ForeSignatures") && !p.HasInfo("ForWebSiteAuthentication");
  }
  if (Has(q, "QCWithSSCD") || Has(q, "QCWithQSCD") || Has(q, "QCQSCDManagedOnBehalf")) {
    out->qscd = true;
  } else if (Has(q, "QCNoSSCD") || Has(q, "QCNoQSCD")) {
    out->qscd = false;
  } else {
    out->qscd = qc.sscd;
  }
  const bool qc_service = p.type == kServiceTypeCaQc && p.HasInfo("ForeSeals");
  if (qc_service && out->qualified && out->for_eseal) {
    out->level = out->qscd ? SealLevel::kQESeal : SealLevel::kAdESealQc;
  } else {
    out->level = SealLevel::kAdESeal;
  }
  std::string why = !qc_service        ? "the service is not a CA/QC service for e-seals"
                    : !out->qualified  ? "the certificate is not qualified (no QcCompliance)"
                    : !out->for_eseal  ? "the certificate is not for e-seals (QcType)"
                    : out->qscd        ? "qualified certificate for e-seal on a QSCD"
                                       : "qualified certificate for e-seal, no QSCD";
  out->message = std::string(SealLevelName(out->level)) + ": " + why;
}

}  // namespace

bool ServiceStatusPeriod::HasInfo(std::string_view name) const {
  return std::any_of(additional_info.begin(), additional_info.end(),
                     [&](const std::string& uri) { return ShortName(uri) == name; });
}

const TrustedService* TrustedServiceSet::QualifiedTimestampService(std::string_view tsa_der, UnixSeconds at) const {
  internal::X509Ptr tsa = FromDer(tsa_der);
  if (!tsa) {
    internal::DrainErrors();
    return nullptr;
  }
  const ASN1_BIT_STRING* tsa_key = X509_get0_pubkey_bitstr(tsa.get());
  for (const TrustedService& service : services_) {
    const ServiceStatusPeriod* period = service.PeriodAt(at);
    if (!period || !period->granted() || period->type != kServiceTypeQtst) continue;
    for (const std::string& der : service.certificates) {
      if (der == tsa_der) return &service;
      internal::X509Ptr cert = FromDer(der);
      if (cert && ASN1_STRING_cmp(X509_get0_pubkey_bitstr(cert.get()), tsa_key) == 0) return &service;
    }
  }
  internal::DrainErrors();
  return nullptr;
}

const ServiceStatusPeriod* TrustedService::PeriodAt(UnixSeconds t) const {
  for (const auto& p : history) {
    if (t >= p.from && t < p.to) return &p;
  }
  return nullptr;
}

std::string_view SealLevelName(SealLevel level) {
  switch (level) {
    case SealLevel::kNoTrustedService: return "no_trusted_service";
    case SealLevel::kAdESeal: return "AdESeal";
    case SealLevel::kAdESealQc: return "AdESeal-QC";
    case SealLevel::kQESeal: return "QESeal";
  }
  return "?";
}

struct TrustedServiceSet::Index {
  // Subject name (DER) of a service certificate -> services holding it.
  std::multimap<std::string, size_t> by_subject;
  std::vector<std::unique_ptr<ChainValidator>> validators;  // per service; null: not an anchor
};

TrustedServiceSet::TrustedServiceSet(std::vector<TrustedService> services) : index_(std::make_unique<Index>()) {
  for (auto& s : services) {
    if (!s.certificates.empty() && !s.history.empty()) services_.push_back(std::move(s));
  }
  index_->validators.resize(services_.size());
  for (size_t i = 0; i < services_.size(); ++i) {
    auto validator = std::make_unique<ChainValidator>();
    for (const std::string& der : services_[i].certificates) {
      internal::X509Ptr cert = FromDer(der);
      if (!cert || !validator->AddAnchorDer(der).ok()) continue;
      index_->by_subject.emplace(NameDer(X509_get_subject_name(cert.get())), i);
    }
    if (validator->anchor_count() > 0) index_->validators[i] = std::move(validator);
  }
}

TrustedServiceSet::~TrustedServiceSet() = default;

SealQualification TrustedServiceSet::Qualify(const std::vector<std::string>& chain,
                                             const std::vector<std::string>& extra, UnixSeconds at) const {
  SealQualification best;
  best.message = "no trusted-list CA service issued the certificate chain";
  internal::X509Ptr leaf = chain.empty() ? nullptr : FromDer(chain.front());
  if (!leaf) {
    best.message = "the seal certificate is not valid DER";
    return best;
  }
  // Candidates: services whose certificate names an issuer in the chain.
  std::vector<size_t> candidates;
  auto consider = [&](const std::string& der) {
    internal::X509Ptr c = FromDer(der);
    if (!c) return;
    auto [lo, hi] = index_->by_subject.equal_range(NameDer(X509_get_issuer_name(c.get())));
    for (auto it = lo; it != hi; ++it) {
      if (std::find(candidates.begin(), candidates.end(), it->second) == candidates.end()) {
        candidates.push_back(it->second);
      }
    }
  };
  for (const auto& der : chain) consider(der);
  for (const auto& der : extra) consider(der);

  for (size_t i : candidates) {
    const TrustedService& service = services_[i];
    if (!index_->validators[i]) continue;
    ChainVerdict verdict = index_->validators[i]->Validate(chain, extra, at);
    const std::string label = "'" + service.name + "' (" + service.territory + ")";
    if (verdict.kind != ChainVerdict::Kind::kTrusted) {
      if (best.service == nullptr) {
        best.chain = verdict;
        best.message = "chain does not validate against service " + label + ": " + verdict.message;
      }
      continue;
    }
    const ServiceStatusPeriod* period = service.PeriodAt(at);
    if (period == nullptr || !period->granted() || !IsCaService(period->type)) {
      if (best.service == nullptr) {
        best.chain = verdict;
        best.message = "service " + label + " was " +
                       (period ? "not granted (" + std::string(ShortName(period->status)) + " since " +
                                     FormatUtc(period->from) + ")"
                               : "not yet listed") +
                       " at " + FormatUtc(at);
      }
      continue;
    }
    SealQualification q;
    q.service = &service;
    q.chain = std::move(verdict);
    Classify(leaf.get(), *period, &q);
    q.message += ", issued by " + label + ", granted since " + FormatUtc(period->from);
    if (best.service == nullptr || q.level > best.level) best = std::move(q);
  }
  return best;
}

}  // namespace credsweep
