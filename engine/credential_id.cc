#include "engine/credential_id.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace credsweep {
namespace {

constexpr std::string_view kPrefix = "urn:uuid:";

// What each byte is at a UUID digit: a digit or lower-case hex letter (normal),
// an upper-case hex letter (lowered), or neither (not a UUID). A table, not
// std::isxdigit: this runs for every character of every id looked up, twice per
// credential in a sweep.
enum : uint8_t { kNotHex = 0, kNormalHex = 1, kUpperHex = 2 };
constexpr std::array<uint8_t, 256> kHexClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kNormalHex;
  for (int c = 'a'; c <= 'f'; ++c) t[c] = kNormalHex;
  for (int c = 'A'; c <= 'F'; ++c) t[c] = kUpperHex;
  return t;
}();

// The value of each hex digit (kHexClass says which bytes are digits).
constexpr std::array<uint8_t, 256> kHexValue = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<uint8_t>(c - 'A' + 10);
  return t;
}();

// The prefix in any case (ASCII: RFC 8141 scheme and namespace). `id` has at
// least kPrefix.size() bytes.
bool HasPrefix(std::string_view id) {
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    const char c = id[i];
    if (c != kPrefix[i] && !(c >= 'A' && c <= 'Z' && static_cast<char>(c | 0x20) == kPrefix[i])) return false;
  }
  return true;
}

// For a UUID in its 8-4-4-4-12 hex form (hyphens at 8, 13, 18 and 23): the OR of
// its digits' classes (kUpperHex set when one is upper case); kNotHex otherwise.
uint8_t UuidClass(std::string_view s) {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return kNotHex;
  uint8_t any = 0;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    const uint8_t c = kHexClass[static_cast<unsigned char>(s[i])];
    if (c == kNotHex) return kNotHex;
    any |= c;
  }
  return any;
}

// The 16 bytes of a UUID in 8-4-4-4-12 form, its hex digits in any case when
// `any_case`, else in lower case only.
bool PackUuid(std::string_view uuid, bool any_case, unsigned char out[16]) {
  if (uuid.size() != 36 || uuid[8] != '-' || uuid[13] != '-' || uuid[18] != '-' || uuid[23] != '-') return false;
  const uint8_t accepted = any_case ? (kNormalHex | kUpperHex) : kNormalHex;
  unsigned char bytes[16];
  size_t at = 0;
  for (unsigned char& b : bytes) {
    if (at == 8 || at == 13 || at == 18 || at == 23) ++at;
    const auto hi = static_cast<unsigned char>(uuid[at]), lo = static_cast<unsigned char>(uuid[at + 1]);
    if (!(kHexClass[hi] & accepted) || !(kHexClass[lo] & accepted)) return false;
    b = static_cast<unsigned char>(kHexValue[hi] << 4 | kHexValue[lo]);
    at += 2;
  }
  std::memcpy(out, bytes, sizeof bytes);
  return true;
}

}  // namespace

std::string_view NormalizeCredentialId(std::string_view id, std::string* scratch) {
  if (id.size() != kPrefix.size() + 36 || !HasPrefix(id)) return id;
  const uint8_t uuid = UuidClass(id.substr(kPrefix.size()));
  if (uuid == kNotHex) return id;
  // Already in normal form (as ids mostly are): nothing to copy.
  if (!(uuid & kUpperHex) && id.starts_with(kPrefix)) return id;
  scratch->assign(kPrefix);
  for (char c : id.substr(kPrefix.size())) scratch->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c);
  return *scratch;
}

bool PackNormalUuidId(std::string_view id, unsigned char out[16]) {
  return id.size() == kPrefix.size() + 36 && id.starts_with(kPrefix) &&
         PackUuid(id.substr(kPrefix.size()), /*any_case=*/false, out);
}

bool PackUuidId(std::string_view id, unsigned char out[16]) {
  return id.size() == kPrefix.size() + 36 && HasPrefix(id) && PackUuid(id.substr(kPrefix.size()), /*any_case=*/true, out);
}

std::string NormalizeCredentialId(std::string_view id) {
  std::string scratch;
  return std::string(NormalizeCredentialId(id, &scratch));
}

}  // namespace credsweep
