// Trust services from EU trusted lists (ETSI TS 119 612), as the seal check
// consumes them: no XML here. io/trust/ reads and verifies the lists and builds a
// TrustedServiceSet; the engine asks it which granted CA service issued a seal
// certificate's chain at the signing time, and at which level the seal stands:
//
//   QESeal      qualified certificate for e-seal, key on a qualified device (QSCD)
//   AdESeal-QC  qualified certificate for e-seal, no qualified device
//   AdESeal     a trusted CA issued it, but not a qualified certificate for e-seal
//
// as EU DSS reports them. Thread-safe once built (const methods only).
#ifndef CREDSWEEP_ENGINE_TRUSTED_SERVICES_H_
#define CREDSWEEP_ENGINE_TRUSTED_SERVICES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/timestamp.h"
#include "engine/x509_chain.h"

namespace credsweep {

inline constexpr std::string_view kServiceTypeCaQc = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
inline constexpr std::string_view kServiceTypeCaPkc = "http://uri.etsi.org/TrstSvc/Svctype/CA/PKC";
inline constexpr std::string_view kServiceTypeQtst = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST";
inline constexpr std::string_view kStatusGranted = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
inline constexpr std::string_view kStatusWithdrawn = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";
// AdditionalServiceInformation and Qualifier URIs share this prefix
// ("…/SvcInfoExt/ForeSeals", "…/SvcInfoExt/QCWithSSCD").
inline constexpr std::string_view kSvcInfoExt = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";

// A CriteriaList of a Qualifications extension (TS 119 612 §5.5.9.2): which
// certificates a qualifier applies to.
struct QualificationCriteria {
  enum class Assert { kAll, kAtLeastOne, kNone };
  Assert assert_mode = Assert::kAll;
  // Each PolicySet is one criterion: the certificate carries all its policy OIDs.
  std::vector<std::vector<std::string>> policy_sets;
  // Each KeyUsage is one criterion: every (bit name, value) holds, e.g.
  // ("nonRepudiation", true). Names as in TS 119 612 (RFC 5280 names).
  std::vector<std::vector<std::pair<std::string, bool>>> key_usages;
  std::vector<QualificationCriteria> nested;
  // A criterion credsweep does not evaluate (ExtendedKeyUsage, otherCriteriaList):
  // the whole qualification then never applies.
  bool unsupported = false;
};

struct Qualification {
  std::vector<std::string> qualifiers;  // URIs, e.g. kSvcInfoExt + "QCWithSSCD"
  QualificationCriteria criteria;
};

// One period of a service's status: the current entry or a ServiceHistoryInstance.
struct ServiceStatusPeriod {
  std::string type;              // ServiceTypeIdentifier in this period
  std::string status;            // ServiceStatus URI
  UnixSeconds from = 0;          // StatusStartingTime
  UnixSeconds to = INT64_MAX;    // the next period's start; INT64_MAX for the current one
  std::vector<std::string> additional_info;  // AdditionalServiceInformation URIs
  std::vector<Qualification> qualifications;

  bool granted() const { return status == kStatusGranted; }
  bool HasInfo(std::string_view name) const;  // name after kSvcInfoExt, e.g. "ForeSeals"
};

struct TrustedService {
  std::string territory;   // of the list that names it, e.g. "SI"
  std::string provider;    // TSPName
  std::string name;        // ServiceName (English if given)
  std::vector<std::string> certificates;     // ServiceDigitalIdentity certificates, DER
  std::vector<ServiceStatusPeriod> history;  // oldest first, contiguous; last = current

  // The period that contains `t`, or null before the first one.
  const ServiceStatusPeriod* PeriodAt(UnixSeconds t) const;
  const ServiceStatusPeriod& current() const { return history.back(); }
};

enum class SealLevel {
  kNoTrustedService,  // the chain reaches no CA service granted at the time
  kAdESeal,
  kAdESealQc,
  kQESeal,
};
// "no_trusted_service", "AdESeal", "AdESeal-QC", "QESeal".
std::string_view SealLevelName(SealLevel level);

struct SealQualification {
  SealLevel level = SealLevel::kNoTrustedService;
  const TrustedService* service = nullptr;  // the service the chain reaches (owned by the set)
  bool qualified = false;  // QcCompliance or a QCStatement qualifier (and no NotQualified)
  bool for_eseal = false;  // QcType eseal, QCForESeal, or an eseal-only service
  bool qscd = false;       // QcSSCD or a QSCD qualifier
  ChainVerdict chain;      // the chain verdict against that service's certificates
  std::string message;     // why this level, naming the service
};

class TrustedServiceSet {
 public:
  // Keeps every service with at least one certificate and one status period;
  // CA/QC and CA/PKC services become candidate anchors.
  explicit TrustedServiceSet(std::vector<TrustedService> services);
  ~TrustedServiceSet();
  TrustedServiceSet(const TrustedServiceSet&) = delete;
  TrustedServiceSet& operator=(const TrustedServiceSet&) = delete;

  // The seal level of `chain` (leaf first, DER; `extra` further intermediates) at
  // time `at` (the signing time): the chain must validate against the
  // certificates of a CA service whose status at `at` is granted. The best level
  // over all such services wins. QC levels need a CA/QC service with ForeSeals.
  SealQualification Qualify(const std::vector<std::string>& chain, const std::vector<std::string>& extra,
                            UnixSeconds at) const;

  // The qualified timestamp service (TSA/QTST) granted at `at` (the timestamp's
  // time) whose service digital identity is the TSA certificate `tsa_der` (the same
  // certificate, or one with the same public key); null when none.
  const TrustedService* QualifiedTimestampService(std::string_view tsa_der, UnixSeconds at) const;

  const std::vector<TrustedService>& services() const { return services_; }

 private:
  struct Index;
  std::vector<TrustedService> services_;
  std::unique_ptr<Index> index_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_TRUSTED_SERVICES_H_
