#include "engine/credential_id.h"

#include <array>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

// The 16 bytes of a UUID in 8-4-4-4-12 form, its hex digits in any case when
// `any_case`, else in lower case only. (Twice per credential in a sweep, and
// once per status entry when the index is read into memory.)
#ifdef __SSE2__
// Sixteen digits at a time: each byte checked and turned into its value, then
// the pairs joined (the first of a pair is the high nibble).
bool PackUuid(std::string_view uuid, bool any_case, unsigned char out[16]) {
  if (uuid.size() != 36 || uuid[8] != '-' || uuid[13] != '-' || uuid[18] != '-' || uuid[23] != '-') return false;
  char digits[32];
  std::memcpy(digits, uuid.data(), 8);
  std::memcpy(digits + 8, uuid.data() + 9, 4);
  std::memcpy(digits + 12, uuid.data() + 14, 4);
  std::memcpy(digits + 16, uuid.data() + 19, 4);
  std::memcpy(digits + 20, uuid.data() + 24, 12);
  // Whether each unsigned byte of `x` is at most the same byte of `limit`.
  auto at_most = [](__m128i x, __m128i limit) { return _mm_cmpeq_epi8(_mm_min_epu8(x, limit), x); };
  const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9), five = _mm_set1_epi8(5);
  const __m128i a = _mm_set1_epi8('a'), ten = _mm_set1_epi8(10);
  const __m128i fold = _mm_set1_epi8(any_case ? 0x20 : 0);  // 'A'-'F' read as 'a'-'f'
  __m128i value[2];
  for (int half = 0; half < 2; ++half) {
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(digits + 16 * half));
    const __m128i digit = _mm_sub_epi8(c, zero);
    const __m128i letter = _mm_sub_epi8(_mm_or_si128(c, fold), a);
    const __m128i is_digit = at_most(digit, nine), is_letter = at_most(letter, five);
    if (_mm_movemask_epi8(_mm_or_si128(is_digit, is_letter)) != 0xFFFF) return false;
    value[half] = _mm_or_si128(_mm_and_si128(is_digit, digit), _mm_andnot_si128(is_digit, _mm_add_epi8(letter, ten)));
  }
  // In 16-bit lanes, a pair is (low byte: high nibble, high byte: low nibble).
  const __m128i low_byte = _mm_set1_epi16(0x00FF);
  auto join = [&](__m128i v) { return _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, low_byte), 4), _mm_srli_epi16(v, 8)); };
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(join(value[0]), join(value[1])));
  return true;
}
#else
// The value of each hex digit (kHexClass says which bytes are digits).
constexpr std::array<uint8_t, 256> kHexValue = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<uint8_t>(c - 'A' + 10);
  return t;
}();

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
#endif

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
