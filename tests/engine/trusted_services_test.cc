// TrustedServiceSet with a test CA: the service status at the signing time
// (withdrawn before / after), the seal level from the leaf's qcStatements and the
// trusted-list qualifiers (with their policy criteria), a non-qualified service,
// a CA/QC service without ForeSeals, and a chain no service issued.
#include "engine/trusted_services.h"

#include <gtest/gtest.h>

#include "tools/certificate_authority.h"

namespace credsweep {
namespace {

const UnixSeconds kT = *ParseDateTimeStamp("2026-01-12T00:00:00Z");
constexpr int64_t kDay = 86400;
const std::string kGranted(kStatusGranted);
const std::string kWithdrawn(kStatusWithdrawn);
const std::string kForeSeals = std::string(kSvcInfoExt) + "ForeSeals";
const std::string kForeSignatures = std::string(kSvcInfoExt) + "ForeSignatures";

class TrustedServices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    CertificateSpec root{"Test QTSP CA", "Test QTSP", "VATBE-0000000001", "BE", kT - 1000 * kDay, kT + 1000 * kDay, true};
    ca_ = CertificateAuthority::Create(root).value().release();
    CertificateSpec other{"Unlisted CA", "Other", "", "BE", kT - 1000 * kDay, kT + 1000 * kDay, true};
    other_ca_ = CertificateAuthority::Create(other).value().release();
    key_ = PrivateKey::Generate(JwsAlg::kES256).value().release();
  }

  // A seal certificate from the test CA, valid around kT.
  static std::string Leaf(bool compliance, bool eseal, bool sscd, const std::string& policies = "",
                          const CertificateAuthority* ca = nullptr) {
    CertificateSpec s{"Seal", "University", "VATBE-0000000097", "BE", kT - 100 * kDay, kT + 100 * kDay, false};
    s.qc_compliance = compliance;
    s.qc_type_eseal = eseal;
    s.qc_sscd = sscd;
    s.certificate_policies = policies;
    return (ca ? ca : ca_)->Issue(*key_, s, ++serial_).value();
  }
  static std::string QualifiedLeaf() { return Leaf(true, true, false); }

  static ServiceStatusPeriod Period(const std::string& status, UnixSeconds from,
                                    std::vector<std::string> info = {kForeSeals},
                                    std::string type = std::string(kServiceTypeCaQc)) {
    ServiceStatusPeriod p;
    p.type = std::move(type);
    p.status = status;
    p.from = from;
    p.additional_info = std::move(info);
    return p;
  }

  // One service holding the test CA; periods oldest first.
  static std::unique_ptr<TrustedServiceSet> Set(std::vector<ServiceStatusPeriod> history) {
    for (size_t i = 0; i + 1 < history.size(); ++i) history[i].to = history[i + 1].from;
    TrustedService s;
    s.territory = "BE";
    s.provider = "Test QTSP";
    s.name = "Test QTSP CA for e-seals";
    s.certificates = {ca_->der()};
    s.history = std::move(history);
    std::vector<TrustedService> v;
    v.push_back(std::move(s));
    return std::make_unique<TrustedServiceSet>(std::move(v));
  }

  static inline CertificateAuthority* ca_;
  static inline CertificateAuthority* other_ca_;
  static inline PrivateKey* key_;
  static inline long serial_ = 100;
};

TEST_F(TrustedServices, QualifiedSealCertificateWithoutQscdIsAdESealQc) {
  auto set = Set({Period(kGranted, kT - 500 * kDay)});
  SealQualification q = set->Qualify({QualifiedLeaf()}, {}, kT);
  EXPECT_EQ(q.level, SealLevel::kAdESealQc) << q.message;
  ASSERT_NE(q.service, nullptr);
  EXPECT_EQ(q.service->name, "Test QTSP CA for e-seals");
  EXPECT_EQ(SealLevelName(q.level), "AdESeal-QC");
}

TEST_F(TrustedServices, QcSscdInTheCertificateMakesAQESeal) {
  auto set = Set({Period(kGranted, kT - 500 * kDay)});
  SealQualification q = set->Qualify({Leaf(true, true, true)}, {}, kT);
  EXPECT_EQ(q.level, SealLevel::kQESeal) << q.message;
  EXPECT_TRUE(q.qscd);
}

TEST_F(TrustedServices, ServiceWithdrawnBeforeTheSigningTimeIsNoAnchor) {
  auto set = Set({Period(kGranted, kT - 500 * kDay), Period(kWithdrawn, kT - 10 * kDay)});
  SealQualification q = set->Qualify({QualifiedLeaf()}, {}, kT);
  EXPECT_EQ(q.level, SealLevel::kNoTrustedService) << q.message;
  EXPECT_EQ(q.service, nullptr);
  EXPECT_NE(q.message.find("withdrawn"), std::string::npos) << q.message;
}

TEST_F(TrustedServices, ServiceWithdrawnAfterTheSigningTimeStillAnchorsIt) {
  auto set = Set({Period(kGranted, kT - 500 * kDay), Period(kWithdrawn, kT + 10 * kDay)});
  EXPECT_EQ(set->Qualify({QualifiedLeaf()}, {}, kT).level, SealLevel::kAdESealQc);
}

TEST_F(TrustedServices, ServiceGrantedOnlyAfterTheSigningTimeIsNoAnchor) {
  auto set = Set({Period(kGranted, kT + 1)});
  EXPECT_EQ(set->Qualify({QualifiedLeaf()}, {}, kT).level, SealLevel::kNoTrustedService);
}

TEST_F(TrustedServices, MissingQcStatementsGiveAdESeal) {
  auto set = Set({Period(kGranted, kT - 500 * kDay)});
  SealQualification q = set->Qualify({Leaf(false, false, false)}, {}, kT);
  EXPECT_EQ(q.level, SealLevel::kAdESeal) << q.message;
  EXPECT_FALSE(q.qualified);
  EXPECT_NE(q.service, nullptr);
}

TEST_F(TrustedServices, QcComplianceWithoutEsealTypeFromAMixedServiceIsAdESeal) {
  auto set = Set({Period(kGranted, kT - 500 * kDay, {kForeSeals, kForeSignatures})});
  SealQualification q = set->Qualify({Leaf(true, false, false)}, {}, kT);
  EXPECT_EQ(q.level, SealLevel::kAdESeal) << q.message;
  // An e-seal-only service decides the type of a certificate that states none.
  auto seals_only = Set({Period(kGranted, kT - 500 * kDay, {kForeSeals})});
  EXPECT_EQ(seals_only->Qualify({Leaf(true, false, false)}, {}, kT).level, SealLevel::kAdESealQc);
}

TEST_F(TrustedServices, ChainToANonQualifiedServiceIsAdESeal) {
  auto set = Set({Period(kGranted, kT - 500 * kDay, {}, std::string(kServiceTypeCaPkc))});
  SealQualification q = set->Qualify({QualifiedLeaf()}, {}, kT);
  EXPECT_EQ(q.level, SealLevel::kAdESeal) << q.message;
  EXPECT_NE(q.message.find("not a CA/QC service for e-seals"), std::string::npos) << q.message;
}

TEST_F(TrustedServices, QualifiedServiceWithoutForeSealsIsAdESeal) {
  auto set = Set({Period(kGranted, kT - 500 * kDay, {kForeSignatures})});
  EXPECT_EQ(set->Qualify({QualifiedLeaf()}, {}, kT).level, SealLevel::kAdESeal);
}

TEST_F(TrustedServices, AChainNoServiceIssuedHasNoTrustedService) {
  auto set = Set({Period(kGranted, kT - 500 * kDay)});
  SealQualification q = set->Qualify({Leaf(true, true, true, "", other_ca_)}, {}, kT);
  EXPECT_EQ(q.level, SealLevel::kNoTrustedService) << q.message;
  EXPECT_EQ(q.service, nullptr);
}

TEST_F(TrustedServices, QscdQualifierAppliesOnlyToCertificatesWithItsPolicy) {
  ServiceStatusPeriod p = Period(kGranted, kT - 500 * kDay);
  Qualification q;
  q.qualifiers = {std::string(kSvcInfoExt) + "QCQSCDManagedOnBehalf"};
  q.criteria.assert_mode = QualificationCriteria::Assert::kAtLeastOne;
  q.criteria.policy_sets = {{"1.3.6.1.4.1.99999.1.9"}, {"1.3.6.1.4.1.99999.1.11"}};
  p.qualifications.push_back(q);
  auto set = Set({p});
  EXPECT_EQ(set->Qualify({Leaf(true, true, false, "1.3.6.1.4.1.99999.1.11")}, {}, kT).level, SealLevel::kQESeal);
  EXPECT_EQ(set->Qualify({Leaf(true, true, false, "1.3.6.1.4.1.99999.1.10")}, {}, kT).level, SealLevel::kAdESealQc);
}

TEST_F(TrustedServices, NoQscdQualifierOverridesQcSscd) {
  ServiceStatusPeriod p = Period(kGranted, kT - 500 * kDay);
  Qualification q;
  q.qualifiers = {std::string(kSvcInfoExt) + "QCNoQSCD"};
  q.criteria.key_usages = {{{"nonRepudiation", true}}};
  p.qualifications.push_back(q);
  auto set = Set({p});
  EXPECT_EQ(set->Qualify({Leaf(true, true, true)}, {}, kT).level, SealLevel::kAdESealQc);
}

TEST_F(TrustedServices, QcStatementQualifierMakesACertificateWithoutQcComplianceQualified) {
  ServiceStatusPeriod p = Period(kGranted, kT - 500 * kDay, {kForeSeals});
  Qualification q;
  q.qualifiers = {std::string(kSvcInfoExt) + "QCStatement", std::string(kSvcInfoExt) + "QCForESeal"};
  q.criteria.policy_sets = {{"1.3.6.1.4.1.99999.2"}};
  p.qualifications.push_back(q);
  auto set = Set({p});
  EXPECT_EQ(set->Qualify({Leaf(false, false, false, "1.3.6.1.4.1.99999.2")}, {}, kT).level, SealLevel::kAdESealQc);
  EXPECT_EQ(set->Qualify({Leaf(false, false, false)}, {}, kT).level, SealLevel::kAdESeal);
}

TEST_F(TrustedServices, AQualificationWithAnUnsupportedCriterionIsNotApplied) {
  ServiceStatusPeriod p = Period(kGranted, kT - 500 * kDay);
  Qualification q;
  q.qualifiers = {std::string(kSvcInfoExt) + "QCWithQSCD"};
  q.criteria.assert_mode = QualificationCriteria::Assert::kNone;  // would match anything
  q.criteria.unsupported = true;
  p.qualifications.push_back(q);
  auto set = Set({p});
  EXPECT_EQ(set->Qualify({QualifiedLeaf()}, {}, kT).level, SealLevel::kAdESealQc);
}

TEST_F(TrustedServices, AnExpiredSealCertificateIsNotQualifiedThroughTheService) {
  auto set = Set({Period(kGranted, kT - 500 * kDay)});
  SealQualification q = set->Qualify({QualifiedLeaf()}, {}, kT + 200 * kDay);
  EXPECT_EQ(q.level, SealLevel::kNoTrustedService) << q.message;
  EXPECT_EQ(q.chain.kind, ChainVerdict::Kind::kExpired);
}

}  // namespace
}  // namespace credsweep
