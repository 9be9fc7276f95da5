#include "engine/credential_id.h"

#include <array>
#include <cstdint>

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
  if (id.size() != kPrefix.size() + 36 || !id.starts_with(kPrefix)) return false;
  const std::string_view uuid = id.substr(kPrefix.size());
  if (UuidClass(uuid) != kNormalHex) return false;  // upper case, or not a UUID
  auto nibble = [](char c) { return static_cast<unsigned char>(c <= '9' ? c - '0' : c - 'a' + 10); };
  size_t at = 0;
  for (unsigned char* o = out; o < out + 16; ++o) {
    if (uuid[at] == '-') ++at;
    *o = static_cast<unsigned char>(nibble(uuid[at]) << 4 | nibble(uuid[at + 1]));
    at += 2;
  }
  return true;
}

std::string NormalizeCredentialId(std::string_view id) {
  std::string scratch;
  return std::string(NormalizeCredentialId(id, &scratch));
}

}  // namespace credsweep
