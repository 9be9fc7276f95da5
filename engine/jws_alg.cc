#include "engine/jws_alg.h"

#include <array>
#include <utility>

namespace credsweep {
namespace {

constexpr std::array<std::pair<std::string_view, JwsAlg>, 11> kNames = {{
    {"ES256", JwsAlg::kES256}, {"ES384", JwsAlg::kES384}, {"ES512", JwsAlg::kES512},
    {"ES256K", JwsAlg::kES256K}, {"EdDSA", JwsAlg::kEdDSA}, {"RS256", JwsAlg::kRS256},
    {"RS384", JwsAlg::kRS384}, {"RS512", JwsAlg::kRS512}, {"PS256", JwsAlg::kPS256},
    {"PS384", JwsAlg::kPS384}, {"PS512", JwsAlg::kPS512},
}};

}  // namespace

std::optional<JwsAlg> JwsAlgFromName(std::string_view name) {
  for (const auto& [n, a] : kNames) {
    if (n == name) return a;
  }
  return std::nullopt;
}

std::string_view JwsAlgName(JwsAlg alg) {
  for (const auto& [n, a] : kNames) {
    if (a == alg) return n;
  }
  return "?";
}

}  // namespace credsweep
