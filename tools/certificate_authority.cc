#include "tools/certificate_authority.h"

#include <openssl/ocsp.h>
#include <openssl/sha.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "engine/encoding.h"
#include "engine/internal/openssl.h"

namespace credsweep {
namespace {

using Name = internal::Owned<X509_NAME, X509_NAME_free>;

Name MakeName(const CertificateSpec& s) {
  Name n(X509_NAME_new());
  auto add = [&](const char* field, const std::string& v) {
    if (!v.empty()) {
      X509_NAME_add_entry_by_txt(n.get(), field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(v.data()),
                                 static_cast<int>(v.size()), -1, 0);
    }
  };
  add("C", s.country);
  add("O", s.organization);
  add("organizationIdentifier", s.organization_identifier);
  add("CN", s.common_name);
  return n;
}

bool AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// certificatePolicies from comma-separated OIDs (OpenSSL's config syntax for it
// needs a config database).
bool AddPolicies(X509* cert, const std::string& oids) {
  internal::Owned<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free> pols(CERTIFICATEPOLICIES_new());
  size_t start = 0;
  while (start <= oids.size()) {
    size_t comma = std::min(oids.find(',', start), oids.size());
    POLICYINFO* info = POLICYINFO_new();
    ASN1_OBJECT_free(info->policyid);
    info->policyid = OBJ_txt2obj(oids.substr(start, comma - start).c_str(), 1);
    sk_POLICYINFO_push(pols.get(), info);
    if (!info->policyid) return false;
    start = comma + 1;
  }
  return X509_add1_ext_i2d(cert, NID_certificate_policies, pols.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

std::string ToDer(X509* cert) {
  int len = i2d_X509(cert, nullptr);
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(cert, &p);
  return der;
}

Result<internal::X509Ptr> Build(EVP_PKEY* subject_key, const CertificateSpec& spec,
                                X509_NAME* issuer_name, X509* issuer_cert, EVP_PKEY* signer,
                                long serial) {
  internal::X509Ptr cert(X509_new());
  Name subject = MakeName(spec);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(spec.not_after));
  X509_set_subject_name(cert.get(), subject.get());
  X509_set_issuer_name(cert.get(), issuer_name ? issuer_name : subject.get());
  X509_set_pubkey(cert.get(), subject_key);
  X509* issuer = issuer_cert ? issuer_cert : cert.get();
  bool ok = spec.is_ca ? AddExt(cert.get(), issuer, NID_basic_constraints, "critical,CA:TRUE") &&
                             AddExt(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign")
                       : AddExt(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
  if (!spec.is_ca && spec.key_usage != "none") {
    std::string ku = spec.key_usage.empty() ? "critical,digitalSignature,nonRepudiation" : spec.key_usage;
    ok = ok && AddExt(cert.get(), issuer, NID_key_usage, ku.c_str());
  }
  if (!spec.extended_key_usage.empty()) {
    ok = ok && AddExt(cert.get(), issuer, NID_ext_key_usage, spec.extended_key_usage.c_str());
  }
  if (!spec.ocsp_url.empty()) {
    ok = ok && AddExt(cert.get(), issuer, NID_info_access, ("OCSP;URI:" + spec.ocsp_url).c_str());
  }
  if (!spec.crl_url.empty()) {
    ok = ok && AddExt(cert.get(), issuer, NID_crl_distribution_points, ("URI:" + spec.crl_url).c_str());
  }
  if (spec.qc_type_eseal || spec.qc_compliance || spec.qc_sscd) {
    // QCStatements ::= SEQUENCE OF QCStatement, each SEQUENCE { OID [, info] }.
    std::string body;
    if (spec.qc_compliance) body += "3008060604008E460101";               // QcCompliance
    if (spec.qc_sscd) body += "3008060604008E460104";                     // QcSSCD
    if (spec.qc_type_eseal) body += "3013060604008E4601063009060704008E46010602";  // QcType eseal
    static constexpr char kHex[] = "0123456789ABCDEF";
    size_t len = body.size() / 2;  // < 128: short-form length
    std::string der = "DER:30" + std::string{kHex[len >> 4], kHex[len & 15]} + body;
    ok = ok && AddExt(cert.get(), issuer, NID_qcStatements, der.c_str());
  }
  if (!spec.certificate_policies.empty()) ok = ok && AddPolicies(cert.get(), spec.certificate_policies);
  ok = ok && AddExt(cert.get(), issuer, NID_subject_key_identifier, "hash");
  const EVP_MD* md = EVP_get_digestbyname(spec.signature_digest.c_str());
  if (!ok || !md || X509_sign(cert.get(), signer, md) == 0) {
    return Internal("certificate issuance failed: " + internal::DrainErrors());
  }
  return cert;
}

}  // namespace

CertificateAuthority::~CertificateAuthority() = default;

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::Create(const CertificateSpec& spec) {
  auto key = PrivateKey::Generate(JwsAlg::kES256);
  if (!key.ok()) return key.status();
  CertificateSpec ca = spec;
  ca.is_ca = true;
  auto* pk = (*key)->evp_pkey();
  auto cert = Build(pk, ca, nullptr, nullptr, pk, 1);
  if (!cert.ok()) return cert.status();
  auto out = std::unique_ptr<CertificateAuthority>(new CertificateAuthority);
  out->key_ = std::move(key).value();
  out->der_ = ToDer(cert->get());
  return out;
}

Result<std::string> CertificateAuthority::Issue(const PrivateKey& subject_key,
                                                const CertificateSpec& spec, long serial) const {
  const auto* p = reinterpret_cast<const unsigned char*>(der_.data());
  internal::X509Ptr ca(d2i_X509(nullptr, &p, static_cast<long>(der_.size())));
  if (!ca) return Internal("CA certificate unreadable");
  auto cert = Build(subject_key.evp_pkey(), spec,
                    X509_get_subject_name(ca.get()), ca.get(),
                    static_cast<EVP_PKEY*>(key_->evp_pkey()), serial);
  if (!cert.ok()) return cert.status();
  return ToDer(cert->get());
}

std::string CertificatePem(const std::string& der) {
  std::string b64 = Base64Encode(der);
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END CERTIFICATE-----\n";
}

std::unique_ptr<CertificateAuthority> CertificateAuthority::FromKeyAndCertificate(
    std::unique_ptr<PrivateKey> key, std::string der) {
  auto out = std::unique_ptr<CertificateAuthority>(new CertificateAuthority);
  out->key_ = std::move(key);
  out->der_ = std::move(der);
  return out;
}

std::string CertificateSha256(const std::string& der) {
  return internal::Digest(internal::Hash::kSha256, der);
}

std::string CertificateAuthority::pem() const { return CertificatePem(der_); }

namespace {

using TimePtr = internal::Owned<ASN1_TIME, ASN1_TIME_free>;

TimePtr Time(UnixSeconds t) { return TimePtr(ASN1_TIME_set(nullptr, static_cast<time_t>(t))); }

std::string OwnedDer(unsigned char* der, int len) {
  std::string out = len > 0 ? std::string(reinterpret_cast<char*>(der), static_cast<size_t>(len)) : std::string();
  OPENSSL_free(der);
  return out;
}

}  // namespace

Result<std::string> CertificateAuthority::IssueCrl(const std::vector<Revoked>& revoked, UnixSeconds this_update,
                                                   UnixSeconds next_update) const {
  internal::X509Ptr ca = internal::X509FromDer(der_);
  internal::Owned<X509_CRL, X509_CRL_free> crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.get()));
  X509_CRL_set1_lastUpdate(crl.get(), Time(this_update).get());
  X509_CRL_set1_nextUpdate(crl.get(), Time(next_update).get());
  for (const Revoked& r : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    internal::Owned<ASN1_INTEGER, ASN1_INTEGER_free> serial(ASN1_INTEGER_new());
    ASN1_INTEGER_set(serial.get(), r.serial);
    X509_REVOKED_set_serialNumber(entry, serial.get());
    X509_REVOKED_set_revocationDate(entry, Time(r.at).get());
    if (r.reason >= 0) {
      internal::Owned<ASN1_ENUMERATED, ASN1_ENUMERATED_free> reason(ASN1_ENUMERATED_new());
      ASN1_ENUMERATED_set(reason.get(), r.reason);
      X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, reason.get(), 0, 0);
    }
    X509_CRL_add0_revoked(crl.get(), entry);
  }
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), key_->evp_pkey(), EVP_sha256()) <= 0) {
    return InvalidArgument("CRL signing failed: " + internal::DrainErrors());
  }
  unsigned char* der = nullptr;
  int len = i2d_X509_CRL(crl.get(), &der);
  return OwnedDer(der, len);
}

Result<std::string> CertificateAuthority::OcspResponse(const std::string& cert_der, const Revoked* revoked,
                                                       UnixSeconds this_update, UnixSeconds next_update,
                                                       const PrivateKey* responder_key,
                                                       const std::string& responder_der) const {
  internal::X509Ptr ca = internal::X509FromDer(der_);
  internal::X509Ptr cert = internal::X509FromDer(cert_der);
  if (!cert) return InvalidArgument("not a DER certificate");
  internal::Owned<OCSP_BASICRESP, OCSP_BASICRESP_free> basic(OCSP_BASICRESP_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert.get(), ca.get());
  TimePtr tu = Time(this_update), nu = next_update ? Time(next_update) : nullptr;
  TimePtr rt = revoked ? Time(revoked->at) : nullptr;
  OCSP_basic_add1_status(basic.get(), id, revoked ? V_OCSP_CERTSTATUS_REVOKED : V_OCSP_CERTSTATUS_GOOD,
                         revoked ? revoked->reason : 0, rt.get(), tu.get(), nu.get());
  OCSP_CERTID_free(id);
  internal::X509Ptr responder = responder_key ? internal::X509FromDer(responder_der) : nullptr;
  X509* signer = responder ? responder.get() : ca.get();
  EVP_PKEY* key = responder_key ? responder_key->evp_pkey() : key_->evp_pkey();
  // The responder's own certificate travels in the response; the CA's is known.
  if (OCSP_basic_sign(basic.get(), signer, key, EVP_sha256(), nullptr, responder ? 0 : OCSP_NOCERTS) != 1) {
    return InvalidArgument("OCSP signing failed: " + internal::DrainErrors());
  }
  internal::Owned<OCSP_RESPONSE, OCSP_RESPONSE_free> resp(
      OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  unsigned char* der = nullptr;
  int len = i2d_OCSP_RESPONSE(resp.get(), &der);
  return OwnedDer(der, len);
}

namespace {

int FixedTime(TS_RESP_CTX*, void* data, long* sec, long* usec) {
  *sec = static_cast<long>(*static_cast<UnixSeconds*>(data));
  *usec = 0;
  return 1;
}

}  // namespace

Result<std::string> MakeTimestampToken(const PrivateKey& tsa_key, const std::string& tsa_der, std::string_view data,
                                       UnixSeconds gen_time) {
  using internal::Owned;
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  Owned<TS_REQ, TS_REQ_free> req(TS_REQ_new());
  TS_REQ_set_version(req.get(), 1);
  Owned<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free> imprint(TS_MSG_IMPRINT_new());
  X509_ALGOR* alg = X509_ALGOR_new();
  X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint.get(), alg);
  X509_ALGOR_free(alg);
  TS_MSG_IMPRINT_set_msg(imprint.get(), md, sizeof md);
  TS_REQ_set_msg_imprint(req.get(), imprint.get());
  TS_REQ_set_cert_req(req.get(), 1);
  internal::BioPtr req_bio(BIO_new(BIO_s_mem()));
  i2d_TS_REQ_bio(req_bio.get(), req.get());
  internal::X509Ptr cert = internal::X509FromDer(tsa_der);
  if (!cert) return InvalidArgument("TSA certificate is not DER");
  Owned<TS_RESP_CTX, TS_RESP_CTX_free> ctx(TS_RESP_CTX_new());
  Owned<ASN1_OBJECT, ASN1_OBJECT_free> policy(OBJ_txt2obj("1.2.3.4", 1));
  if (TS_RESP_CTX_set_signer_cert(ctx.get(), cert.get()) != 1 ||
      TS_RESP_CTX_set_signer_key(ctx.get(), tsa_key.evp_pkey()) != 1 ||
      TS_RESP_CTX_set_def_policy(ctx.get(), policy.get()) != 1 || TS_RESP_CTX_add_md(ctx.get(), EVP_sha256()) != 1) {
    return InvalidArgument("TSA setup failed: " + internal::DrainErrors());
  }
  TS_RESP_CTX_set_time_cb(ctx.get(), FixedTime, &gen_time);
  Owned<TS_RESP, TS_RESP_free> resp(TS_RESP_create_response(ctx.get(), req_bio.get()));
  PKCS7* token = resp ? TS_RESP_get_token(resp.get()) : nullptr;
  if (!token) return InvalidArgument("timestamping failed: " + internal::DrainErrors());
  unsigned char* der = nullptr;
  int len = i2d_PKCS7(token, &der);
  return OwnedDer(der, len);
}

}  // namespace credsweep
