#include "engine/credential_id.h"

#include <algorithm>
#include <strings.h>

namespace credsweep {
namespace {

constexpr std::string_view kPrefix = "urn:uuid:";

// 0-9, a-f, A-F (std::isxdigit in any locale, without its call: this runs for
// every character of every id looked up).
bool IsHexDigit(char c) {
  const char lower = static_cast<char>(c | 0x20);
  return (c >= '0' && c <= '9') || (lower >= 'a' && lower <= 'f');
}

// 8-4-4-4-12 hex digits, hyphens at 8, 13, 18 and 23.
bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? s[i] != '-' : !IsHexDigit(s[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view NormalizeCredentialId(std::string_view id, std::string* scratch) {
  if (id.size() != kPrefix.size() + 36 || strncasecmp(id.data(), kPrefix.data(), kPrefix.size()) != 0 ||
      !IsUuid(id.substr(kPrefix.size()))) {
    return id;
  }
  // Already in normal form (as ids mostly are): nothing to copy.
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (id.starts_with(kPrefix) && std::none_of(id.begin() + kPrefix.size(), id.end(), upper)) return id;
  scratch->assign(kPrefix);
  for (char c : id.substr(kPrefix.size())) scratch->push_back(upper(c) ? static_cast<char>(c - 'A' + 'a') : c);
  return *scratch;
}

std::string NormalizeCredentialId(std::string_view id) {
  std::string scratch;
  return std::string(NormalizeCredentialId(id, &scratch));
}

}  // namespace credsweep
