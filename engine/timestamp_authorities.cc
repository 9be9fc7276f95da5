#include "engine/timestamp_authorities.h"

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <fstream>
#include <sstream>
#include <vector>

#include "engine/internal/carried_certificates.h"
#include "engine/internal/openssl.h"

namespace credsweep {
namespace {

using internal::Owned;
using CmsPtr = Owned<CMS_ContentInfo, CMS_ContentInfo_free>;
using TstInfoPtr = Owned<TS_TST_INFO, TS_TST_INFO_free>;

Finding Invalid(std::string message) { return {"timestamp_invalid", std::move(message)}; }

std::string Subject(X509* cert) { return internal::NameText(X509_get_subject_name(cert)); }

}  // namespace

struct TimestampAuthorities::Impl {
  internal::X509StorePtr store = internal::NewAnchorStore();
  internal::X509StackPtr certs{sk_X509_new_null()};  // the anchors, to find a TSA certificate by
  // TSA chains judged: SHA-256 of the TSA certificate + the time -> why untrusted ("" trusted).
  std::shared_mutex mu;
  std::unordered_map<std::string, std::string> judged;
};

TimestampAuthorities::TimestampAuthorities() : impl_(std::make_unique<Impl>()) {}
TimestampAuthorities::~TimestampAuthorities() = default;

size_t TimestampAuthorities::anchor_count() const { return static_cast<size_t>(sk_X509_num(impl_->certs.get())); }

Status TimestampAuthorities::AddAnchorsPem(std::string_view pem, std::string_view origin) {
  internal::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  size_t added = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(impl_->store.get(), cert) != 1) internal::DrainErrors();  // a duplicate
    sk_X509_push(impl_->certs.get(), cert);
    ++added;
  }
  internal::DrainErrors();  // PEM reading ends with "no start line"
  if (added == 0) return InvalidArgument(std::string(origin) + ": no PEM certificate found");
  return Status::Ok();
}

Status TimestampAuthorities::AddAnchorsPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return AddAnchorsPem(ss.str(), path);
}

TimestampVerdict TimestampAuthorities::Verify(std::string_view token_der, std::string_view data, UnixSeconds at) const {
  TimestampVerdict v;
  // The token is parsed once, as CMS SignedData; its eContent is the TSTInfo. The
  // certificates it carries (the TSA's, the same in every token) are decoded apart
  // and once (engine/internal/carried_certificates.h).
  CmsPtr cms;
  internal::X509StackPtr carried(sk_X509_new_null());
  if (auto split = internal::SplitSignedDataCertificates(token_der)) {
    // The rest first: certificates are decoded (and kept) only for a token that decodes.
    const auto* p = reinterpret_cast<const unsigned char*>(split->without.data());
    const auto* end = p + split->without.size();
    cms.reset(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(split->without.size())));
    if (cms && p != end) cms.reset();
    auto certs = cms ? internal::CarriedCertificates(split->certificates) : std::nullopt;
    if (!certs) cms.reset();
    if (certs) {
      for (auto& c : *certs) sk_X509_push(carried.get(), c.release());
    }
  }
  if (!cms) {
    internal::DrainErrors();
    sk_X509_pop_free(carried.release(), X509_free);
    carried.reset(sk_X509_new_null());
    const auto* p = reinterpret_cast<const unsigned char*>(token_der.data());
    const auto* end = p + token_der.size();
    cms.reset(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(token_der.size())));
    if (cms && p != end) cms.reset();
  }
  ASN1_OCTET_STRING** content = cms && OBJ_obj2nid(CMS_get0_type(cms.get())) == NID_pkcs7_signed &&
                                        OBJ_obj2nid(CMS_get0_eContentType(cms.get())) == NID_id_smime_ct_TSTInfo
                                    ? CMS_get0_content(cms.get())
                                    : nullptr;
  TstInfoPtr info;
  if (content && *content) {
    const unsigned char* q = ASN1_STRING_get0_data(*content);
    info.reset(d2i_TS_TST_INFO(nullptr, &q, ASN1_STRING_length(*content)));
  }
  if (!info || TS_TST_INFO_get_version(info.get()) != 1) {
    internal::DrainErrors();
    v.finding = Invalid("not an RFC 3161 TimeStampToken");
    return v;
  }
  auto gen = internal::AsnTimeSeconds(TS_TST_INFO_get_time(info.get()));
  if (!gen) {
    v.finding = Invalid("the timestamp's genTime is unreadable");
    return v;
  }
  v.gen_time = *gen;

  // The message imprint, with the token's own hash algorithm.
  {
    TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
    const ASN1_OCTET_STRING* expected = TS_MSG_IMPRINT_get_msg(imprint);
    const EVP_MD* md = EVP_get_digestbyobj(TS_MSG_IMPRINT_get_algo(imprint)->algorithm);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (md == EVP_sha256()) {
      len = internal::DigestInto(internal::Hash::kSha256, data, digest);
    } else if (!md || EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) {
      internal::DrainErrors();
      v.finding = Invalid("the timestamp's message imprint uses an unknown hash algorithm");
      return v;
    }
    if (static_cast<int>(len) != ASN1_STRING_length(expected) ||
        CRYPTO_memcmp(digest, ASN1_STRING_get0_data(expected), len) != 0) {
      v.finding = Invalid("the timestamp's message imprint does not match the data it covers");
      return v;
    }
  }
  // The TSA's signature over the TSTInfo, whoever the TSA is; its certificate comes
  // from the anchors or the token (the first that matches the SignerIdentifier).
  // The anchors are looked at first, then the token's own certificates (as OpenSSL
  // does with those it decoded itself).
  internal::X509StackPtr candidates(sk_X509_new_null());
  for (STACK_OF(X509)* from : {impl_->certs.get(), carried.get()}) {
    for (int i = 0; i < sk_X509_num(from); ++i) {
      X509* c = sk_X509_value(from, i);
      X509_up_ref(c);
      sk_X509_push(candidates.get(), c);
    }
  }
  if (CMS_verify(cms.get(), candidates.get(), nullptr, nullptr, nullptr, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
    v.finding = Invalid("the timestamp's signature does not verify (" + internal::DrainErrors() + ")");
    return v;
  }
  STACK_OF(X509)* signers = CMS_get0_signers(cms.get());
  X509* tsa = signers && sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : nullptr;
  if (!tsa) {
    sk_X509_free(signers);
    v.finding = Invalid("the timestamp names no signer certificate");
    return v;
  }
  v.tsa = Subject(tsa);
  unsigned char* der = nullptr;
  if (int n = i2d_X509(tsa, &der); n > 0) v.tsa_der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  if (!(X509_get_extension_flags(tsa) & EXFLAG_XKUSAGE) || !(X509_get_extended_key_usage(tsa) & XKU_TIMESTAMP)) {
    sk_X509_free(signers);
    v.finding = Invalid("the timestamp's signer '" + v.tsa + "' is not a timestamp authority (no timeStamping "
                        "extended key usage)");
    return v;
  }
  // Trust: the TSA certificate chains to an anchor at the verification time.
  // Judged once per (TSA certificate, time): a TSA stamps many seals.
  if (anchor_count() == 0) {
    v.untrusted_why = "no timestamp authority is trusted (--tsa-ca)";
  } else {
    // The chain also depends on the intermediates this token carries.
    std::string key = internal::Digest(internal::Hash::kSha256, v.tsa_der) + std::to_string(at);
    for (int i = 0; i < sk_X509_num(carried.get()); ++i) {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned len = 0;
      if (X509_digest(sk_X509_value(carried.get(), i), EVP_sha256(), md, &len) == 1) {
        key.append(reinterpret_cast<char*>(md), len);
      }
    }
    std::optional<std::string> why;
    {
      std::shared_lock lock(impl_->mu);
      if (auto it = impl_->judged.find(key); it != impl_->judged.end()) why = it->second;
    }
    if (!why) {
      STACK_OF(X509)* untrusted = CMS_get1_certs(cms.get());  // none when they were carried apart
      for (int i = 0; i < sk_X509_num(carried.get()); ++i) {
        X509* c = sk_X509_value(carried.get(), i);
        X509_up_ref(c);
        if (!untrusted) untrusted = sk_X509_new_null();
        sk_X509_push(untrusted, c);
      }
      internal::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
      bool ok = X509_STORE_CTX_init(ctx.get(), impl_->store.get(), tsa, untrusted) == 1;
      if (ok) {
        X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(at));
        X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_TIMESTAMP_SIGN);
        ok = X509_verify_cert(ctx.get()) == 1;
      }
      why = ok ? std::string()
               : std::string("its certificate does not chain to a trusted timestamp authority at ") + FormatUtc(at) +
                     " (" + X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())) + ")";
      sk_X509_pop_free(untrusted, X509_free);
      std::unique_lock lock(impl_->mu);
      if (impl_->judged.size() >= 4096) impl_->judged.clear();
      impl_->judged.emplace(key, *why);
    }
    v.trusted = why->empty();
    v.untrusted_why = std::move(*why);
  }
  sk_X509_free(signers);
  internal::DrainErrors();
  return v;
}

}  // namespace credsweep
