#include "engine/internal/qc_statements.h"

#include <openssl/x509v3.h>

#include "engine/internal/openssl.h"

namespace credsweep::internal {

namespace {

void FreeSequence(ASN1_SEQUENCE_ANY* s) { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }
using SequencePtr = Owned<ASN1_SEQUENCE_ANY, FreeSequence>;

SequencePtr ParseSequence(const unsigned char* p, long len) {
  return SequencePtr(d2i_ASN1_SEQUENCE_ANY(nullptr, &p, len));
}

SequencePtr ParseSequence(const ASN1_STRING* s) { return ParseSequence(s->data, s->length); }

// Reads one QCStatement ::= SEQUENCE { statementId OID, statementInfo ANY OPTIONAL }.
void ReadStatement(const ASN1_TYPE* st, QcStatements* out) {
  if (st->type != V_ASN1_SEQUENCE) return;
  auto fields = ParseSequence(st->value.sequence);
  if (!fields || sk_ASN1_TYPE_num(fields.get()) < 1) return;
  const ASN1_TYPE* id = sk_ASN1_TYPE_value(fields.get(), 0);
  if (id->type != V_ASN1_OBJECT) return;
  std::string oid = OidText(id->value.object);
  if (oid == kQcCompliance) out->compliance = true;
  if (oid == kQcSscd) out->sscd = true;
  if (oid != kQcType || sk_ASN1_TYPE_num(fields.get()) < 2) return;
  const ASN1_TYPE* info = sk_ASN1_TYPE_value(fields.get(), 1);
  if (info->type != V_ASN1_SEQUENCE) return;
  auto types = ParseSequence(info->value.sequence);
  for (int j = 0; types && j < sk_ASN1_TYPE_num(types.get()); ++j) {
    const ASN1_TYPE* t = sk_ASN1_TYPE_value(types.get(), j);
    if (t->type == V_ASN1_OBJECT) out->types.push_back(OidText(t->value.object));
  }
}

}  // namespace

std::string OidText(const ASN1_OBJECT* obj) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof(buf), obj, /*no_name=*/1);
  return n > 0 && n < static_cast<int>(sizeof(buf)) ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

QcStatements ReadQcStatements(X509* cert) {
  QcStatements out;
  Owned<ASN1_OBJECT, ASN1_OBJECT_free> qc_oid(OBJ_txt2obj("1.3.6.1.5.5.7.1.3", 1));
  int idx = X509_get_ext_by_OBJ(cert, qc_oid.get(), -1);
  if (idx < 0) return out;
  auto statements = ParseSequence(X509_EXTENSION_get_data(X509_get_ext(cert, idx)));
  for (int i = 0; statements && i < sk_ASN1_TYPE_num(statements.get()); ++i) {
    ReadStatement(sk_ASN1_TYPE_value(statements.get(), i), &out);
  }
  DrainErrors();
  return out;
}

std::vector<std::string> CertificatePolicies(X509* cert) {
  std::vector<std::string> out;
  Owned<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free> policies(
      static_cast<CERTIFICATEPOLICIES*>(X509_get_ext_d2i(cert, NID_certificate_policies, nullptr, nullptr)));
  for (int i = 0; policies && i < sk_POLICYINFO_num(policies.get()); ++i) {
    out.push_back(OidText(sk_POLICYINFO_value(policies.get(), i)->policyid));
  }
  DrainErrors();
  return out;
}

}  // namespace credsweep::internal
