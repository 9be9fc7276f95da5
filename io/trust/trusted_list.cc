#include "io/trust/trusted_list.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "io/trust/internal/enveloped_signature.h"
#include "io/trust/internal/xml.h"

namespace credsweep::io {

using namespace trust::internal;  // NOLINT: the XML helpers of this module

namespace {

std::vector<std::string> Certificates(const xmlNode* identities_parent, const char* identity_name) {
  std::vector<std::string> out;
  for (const xmlNode* id : Children(identities_parent, kTslNs, identity_name)) {
    for (const xmlNode* d : Children(id, kTslNs, "DigitalId")) {
      if (auto der = DecodeXmlBase64(Text(Child(d, kTslNs, "X509Certificate"))); der && !der->empty()) {
        out.push_back(std::move(*der));
      }
    }
  }
  return out;
}

std::string PolicyOid(std::string text) {
  for (std::string_view prefix : {"urn:oid:", "urn:OID:"}) {
    if (text.starts_with(prefix)) return text.substr(prefix.size());
  }
  return text;
}

QualificationCriteria ReadCriteria(const xmlNode* list) {
  QualificationCriteria c;
  std::string mode = Attribute(list, "assert");
  c.assert_mode = mode == "atLeastOne" ? QualificationCriteria::Assert::kAtLeastOne
                  : mode == "none"     ? QualificationCriteria::Assert::kNone
                                       : QualificationCriteria::Assert::kAll;
  if (!mode.empty() && mode != "all" && mode != "atLeastOne" && mode != "none") c.unsupported = true;
  for (const xmlNode* n = list->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (Is(n, kEcQualNs, "PolicySet")) {
      std::vector<std::string> set;
      for (const xmlNode* p : Children(n, kEcQualNs, "PolicyIdentifier")) {
        set.push_back(PolicyOid(Text(Child(p, kXadesNs, "Identifier"))));
      }
      c.policy_sets.push_back(std::move(set));
    } else if (Is(n, kEcQualNs, "KeyUsage")) {
      std::vector<std::pair<std::string, bool>> bits;
      for (const xmlNode* b : Children(n, kEcQualNs, "KeyUsageBit")) {
        bits.emplace_back(Attribute(b, "name"), Text(b) == "true");
      }
      c.key_usages.push_back(std::move(bits));
    } else if (Is(n, kEcQualNs, "CriteriaList")) {
      c.nested.push_back(ReadCriteria(n));
    } else if (!Is(n, kEcQualNs, "Description")) {
      c.unsupported = true;  // ExtendedKeyUsage, CertSubjectDNAttribute, otherCriteriaList
    }
  }
  return c;
}

// ServiceInformation or ServiceHistoryInstance -> a status period.
Result<ServiceStatusPeriod> ReadPeriod(const xmlNode* info) {
  ServiceStatusPeriod p;
  p.type = Text(Child(info, kTslNs, "ServiceTypeIdentifier"));
  p.status = Text(Child(info, kTslNs, "ServiceStatus"));
  auto from = ParseDateTimeStamp(Text(Child(info, kTslNs, "StatusStartingTime")));
  if (p.type.empty() || p.status.empty() || !from) {
    return Corruption("a service lacks ServiceTypeIdentifier, ServiceStatus or StatusStartingTime");
  }
  p.from = *from;
  for (const xmlNode* ext : Children(Child(info, kTslNs, "ServiceInformationExtensions"), kTslNs, "Extension")) {
    for (const xmlNode* asi : Children(ext, kTslNs, "AdditionalServiceInformation")) {
      p.additional_info.push_back(Text(Child(asi, kTslNs, "URI")));
    }
    for (const xmlNode* quals : Children(ext, kEcQualNs, "Qualifications")) {
      for (const xmlNode* el : Children(quals, kEcQualNs, "QualificationElement")) {
        Qualification q;
        for (const xmlNode* qu : Children(Child(el, kEcQualNs, "Qualifiers"), kEcQualNs, "Qualifier")) {
          q.qualifiers.push_back(Attribute(qu, "uri"));
        }
        const xmlNode* criteria = Child(el, kEcQualNs, "CriteriaList");
        if (criteria) q.criteria = ReadCriteria(criteria);
        else q.criteria.unsupported = true;
        p.qualifications.push_back(std::move(q));
      }
    }
  }
  return p;
}

Result<TrustedService> ReadService(const xmlNode* svc, const std::string& territory, const std::string& provider) {
  const xmlNode* info = Child(svc, kTslNs, "ServiceInformation");
  TrustedService s;
  s.territory = territory;
  s.provider = provider;
  s.name = EnglishName(Child(info, kTslNs, "ServiceName"));
  s.certificates = Certificates(info, "ServiceDigitalIdentity");
  auto current = ReadPeriod(info);
  if (!current.ok()) return current.status();
  s.history.push_back(std::move(current).value());
  for (const xmlNode* h : Children(Child(svc, kTslNs, "ServiceHistory"), kTslNs, "ServiceHistoryInstance")) {
    auto p = ReadPeriod(h);
    if (!p.ok()) return p.status();
    s.history.push_back(std::move(p).value());
  }
  std::stable_sort(s.history.begin(), s.history.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
  for (size_t i = 0; i + 1 < s.history.size(); ++i) s.history[i].to = s.history[i + 1].from;
  s.history.back().to = INT64_MAX;
  return s;
}

ListPointer ReadPointer(const xmlNode* ptr) {
  ListPointer p;
  p.location = Text(Child(ptr, kTslNs, "TSLLocation"));
  p.certificates = Certificates(Child(ptr, kTslNs, "ServiceDigitalIdentities"), "ServiceDigitalIdentity");
  for (const xmlNode* oi : Children(Child(ptr, kTslNs, "AdditionalInformation"), kTslNs, "OtherInformation")) {
    if (const xmlNode* t = Child(oi, kTslNs, "SchemeTerritory")) p.territory = Text(t);
    if (const xmlNode* t = Child(oi, kTslNs, "TSLType")) p.tsl_type = Text(t);
    if (const xmlNode* t = Child(oi, kTslAdditionalNs, "MimeType")) p.mime_type = Text(t);
  }
  return p;
}

Result<TrustedListContent> ReadContent(const xmlDoc* doc) {
  const xmlNode* root = xmlDocGetRootElement(const_cast<xmlDoc*>(doc));
  if (!Is(root, kTslNs, "TrustServiceStatusList")) return Corruption("the root element is not a TrustServiceStatusList");
  const xmlNode* si = Child(root, kTslNs, "SchemeInformation");
  TrustedListContent c;
  c.territory = Text(Child(si, kTslNs, "SchemeTerritory"));
  c.tsl_type = Text(Child(si, kTslNs, "TSLType"));
  std::string seq = Text(Child(si, kTslNs, "TSLSequenceNumber"));
  auto [end, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), c.sequence);
  auto issued = ParseDateTimeStamp(Text(Child(si, kTslNs, "ListIssueDateTime")));
  if (c.territory.empty() || ec != std::errc() || end != seq.data() + seq.size() || !issued) {
    return Corruption("SchemeTerritory, TSLSequenceNumber or ListIssueDateTime missing or malformed");
  }
  c.issued = *issued;
  if (const xmlNode* nu = Child(Child(si, kTslNs, "NextUpdate"), kTslNs, "dateTime")) {
    c.next_update = ParseDateTimeStamp(Text(nu));
    if (!c.next_update) return Corruption("NextUpdate is malformed");
  }
  for (const xmlNode* u : Children(Child(si, kTslNs, "SchemeInformationURI"), kTslNs, "URI")) {
    c.scheme_information_uris.push_back(Text(u));
  }
  for (const xmlNode* p : Children(Child(si, kTslNs, "PointersToOtherTSL"), kTslNs, "OtherTSLPointer")) {
    c.pointers.push_back(ReadPointer(p));
  }
  for (const xmlNode* tsp : Children(Child(root, kTslNs, "TrustServiceProviderList"), kTslNs, "TrustServiceProvider")) {
    std::string provider = EnglishName(Child(Child(tsp, kTslNs, "TSPInformation"), kTslNs, "TSPName"));
    for (const xmlNode* svc : Children(Child(tsp, kTslNs, "TSPServices"), kTslNs, "TSPService")) {
      auto s = ReadService(svc, c.territory, provider);
      if (!s.ok()) return s.status();
      c.services.push_back(std::move(s).value());
    }
  }
  return c;
}

TrustedListCheck Refuse(ListVerdict v, std::string message) {
  TrustedListCheck c;
  c.verdict = v;
  c.message = std::move(message);
  return c;
}

}  // namespace

std::string_view ListVerdictCode(ListVerdict v) {
  switch (v) {
    case ListVerdict::kAccepted: return "accepted";
    case ListVerdict::kTooLarge: return "too_large";
    case ListVerdict::kNotParseable: return "not_parseable";
    case ListVerdict::kNotATrustedList: return "not_a_trusted_list";
    case ListVerdict::kUnsigned: return "unsigned";
    case ListVerdict::kBadSignature: return "bad_signature";
    case ListVerdict::kSignerNotAnnounced: return "signer_not_announced";
    case ListVerdict::kSigningCertificateMismatch: return "signing_certificate_mismatch";
    case ListVerdict::kAlgorithmNotAccepted: return "algorithm_not_accepted";
    case ListVerdict::kExpired: return "expired";
    case ListVerdict::kUnavailable: return "unavailable";
  }
  return "?";
}

std::vector<const ListPointer*> TrustedListContent::XmlPointers(std::string_view t) const {
  std::vector<const ListPointer*> out;
  for (const auto& p : pointers) {
    if (p.territory == t && p.mime_type == kTlMimeType) out.push_back(&p);
  }
  return out;
}

std::vector<std::string> TrustedListContent::PivotUrls() const {
  std::vector<std::string> out;
  for (const auto& u : scheme_information_uris) {
    if (u.find("eur-lex.europa.eu") != std::string::npos) break;  // older ones predate the OJ keys
    if (u.ends_with(".xml")) out.push_back(u);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

TrustedListCheck VerifyTrustedList(std::string_view xml, const std::vector<std::string>& announced,
                                   std::optional<UnixSeconds> at, const TrustedListOptions& options) {
  if (xml.size() > options.max_bytes) {
    return Refuse(ListVerdict::kTooLarge, "list of " + std::to_string(xml.size()) + " bytes is over the limit of " +
                                              std::to_string(options.max_bytes));
  }
  auto doc = ParseXml(xml, options.max_bytes);
  if (!doc.ok()) return Refuse(ListVerdict::kNotParseable, doc.status().message());
  if (!Is(xmlDocGetRootElement(doc->get()), kTslNs, "TrustServiceStatusList")) {
    return Refuse(ListVerdict::kNotATrustedList, "the root element is not a TrustServiceStatusList");
  }
  SignatureCheck sig = VerifyEnvelopedSignature(doc->get(), announced);
  if (sig.verdict != ListVerdict::kAccepted) return Refuse(sig.verdict, sig.message);
  auto content = ReadContent(doc->get());
  if (!content.ok()) return Refuse(ListVerdict::kNotATrustedList, content.status().message());
  if (at && (!content->next_update || *content->next_update <= *at)) {
    return Refuse(ListVerdict::kExpired,
                  content->next_update ? "past its NextUpdate " + FormatUtc(*content->next_update) + " at " + FormatUtc(*at)
                                       : "a closed list (no NextUpdate)");
  }
  TrustedListCheck ok;
  ok.verdict = ListVerdict::kAccepted;
  ok.message = content->territory + " seq " + std::to_string(content->sequence) + ", " + sig.message;
  ok.list = std::move(content).value();
  ok.signer_der = std::move(sig.signer_der);
  return ok;
}

Result<TrustedListContent> ParseTrustedListUnverified(std::string_view xml, const TrustedListOptions& options) {
  auto doc = ParseXml(xml, options.max_bytes);
  if (!doc.ok()) return doc.status();
  return ReadContent(doc->get());
}

Result<std::vector<std::string>> CertificatesFromPem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::vector<std::string> out;
  while (true) {
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert) break;
    unsigned char* der = nullptr;
    int n = i2d_X509(cert.get(), &der);
    if (n > 0) out.emplace_back(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  ERR_clear_error();  // PEM_read_bio ends with "no start line"
  if (out.empty()) return InvalidArgument("no PEM certificate found");
  return out;
}

}  // namespace credsweep::io
