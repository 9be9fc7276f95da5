// libFuzzer target for splitting carried certificates from OCSP responses and CMS
// SignedData (engine/internal/carried_certificates.h). Invariants: each certificate
// found is a slice of the input; splitting again finds no certificates and changes
// nothing; and whenever OpenSSL decodes the whole input, it decodes the rest too.
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/internal/carried_certificates.h"

namespace {

using credsweep::internal::SplitCertificates;

template <typename T, typename Decode, typename Free>
bool Decodes(std::string_view der, Decode decode, Free free_fn) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  T* t = decode(nullptr, &p, static_cast<long>(der.size()));
  const bool ok = t != nullptr;
  free_fn(t);
  ERR_clear_error();
  return ok;
}

bool OcspDecodes(std::string_view der) {
  if (Decodes<OCSP_BASICRESP>(der, d2i_OCSP_BASICRESP, OCSP_BASICRESP_free)) return true;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  OCSP_RESPONSE* resp = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size()));
  OCSP_BASICRESP* basic = resp ? OCSP_response_get1_basic(resp) : nullptr;
  const bool ok = basic != nullptr;
  OCSP_BASICRESP_free(basic);
  OCSP_RESPONSE_free(resp);
  ERR_clear_error();
  return ok;
}

bool CmsDecodes(std::string_view der) {
  return Decodes<CMS_ContentInfo>(der, d2i_CMS_ContentInfo, CMS_ContentInfo_free);
}

void Check(std::string_view in, const std::optional<SplitCertificates>& split,
           std::optional<SplitCertificates> (*again)(std::string_view), bool (*decodes)(std::string_view)) {
  if (!split) return;
  for (std::string_view c : split->certificates) {
    if (c.data() < in.data() || c.data() + c.size() > in.data() + in.size()) std::abort();
  }
  if (split->without.size() > in.size()) std::abort();
  auto second = again(split->without);
  if (!second || !second->certificates.empty() || second->without != split->without) std::abort();
  if (decodes(in) && !decodes(split->without)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Check(in, credsweep::internal::SplitOcspCertificates(in), credsweep::internal::SplitOcspCertificates, OcspDecodes);
  Check(in, credsweep::internal::SplitSignedDataCertificates(in), credsweep::internal::SplitSignedDataCertificates,
        CmsDecodes);
  return 0;
}
