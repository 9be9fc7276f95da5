#include "engine/credential_id.h"

#include <cctype>
#include <strings.h>

namespace credsweep {
namespace {

constexpr std::string_view kPrefix = "urn:uuid:";

// 8-4-4-4-12 hex digits, hyphens at 8, 13, 18 and 23.
bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

std::string NormalizeCredentialId(std::string_view id) {
  if (id.size() != kPrefix.size() + 36 || strncasecmp(id.data(), kPrefix.data(), kPrefix.size()) != 0 ||
      !IsUuid(id.substr(kPrefix.size()))) {
    return std::string(id);
  }
  std::string out(kPrefix);
  for (char c : id.substr(kPrefix.size())) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace credsweep
