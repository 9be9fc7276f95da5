// The JWS signature algorithms credsweep accepts (RFC 7518, RFC 8037, RFC 8812).
// "none" and the HMAC family are deliberately absent: they can never verify a seal.
#ifndef CREDSWEEP_ENGINE_JWS_ALG_H_
#define CREDSWEEP_ENGINE_JWS_ALG_H_

#include <optional>
#include <string_view>

namespace credsweep {

enum class JwsAlg {
  kES256, kES384, kES512, kES256K, kEdDSA,
  kRS256, kRS384, kRS512, kPS256, kPS384, kPS512,
};

std::optional<JwsAlg> JwsAlgFromName(std::string_view name);
std::string_view JwsAlgName(JwsAlg alg);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_JWS_ALG_H_
