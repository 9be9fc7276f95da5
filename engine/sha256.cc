#include "engine/sha256.h"

#include "engine/internal/openssl.h"

namespace credsweep {

std::string Sha256(std::string_view data) { return internal::Digest(internal::Hash::kSha256, data); }

std::string Sha384(std::string_view data) { return internal::Digest(internal::Hash::kSha384, data); }

std::string Sha256(std::string_view a, std::string_view b) {
  thread_local internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  unsigned char out[32];
  unsigned len = 0;
  if (EVP_DigestInit_ex2(ctx.get(), internal::Md(internal::Hash::kSha256), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    internal::DrainErrors();
    return {};
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace credsweep
