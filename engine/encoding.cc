#include "engine/encoding.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace credsweep {
namespace {

constexpr char kUrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStdAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB58Alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr uint8_t kBad = 0xFF;

constexpr std::array<uint8_t, 256> MakeTable(const char* alphabet, int n) {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = kBad;
  for (int i = 0; i < n; ++i) t[static_cast<uint8_t>(alphabet[i])] = static_cast<uint8_t>(i);
  return t;
}

constexpr auto kUrlTable = MakeTable(kUrlAlphabet, 64);
constexpr auto kStdTable = MakeTable(kStdAlphabet, 64);
constexpr auto kB58Table = MakeTable(kB58Alphabet, 58);

// A base64 alphabet's values by a character's place in a group of four, already
// shifted to their bits of the group's 24; kBadBit for a character outside the
// alphabet (no OR of valid values sets it).
constexpr uint32_t kBadBit = uint32_t{1} << 24;
struct Decode64Tables {
  std::array<uint8_t, 256> values;
  std::array<std::array<uint32_t, 256>, 4> shifted;
};

constexpr Decode64Tables MakeDecodeTables(const std::array<uint8_t, 256>& values) {
  Decode64Tables t{values, {}};
  for (int c = 0; c < 256; ++c) {
    for (int k = 0; k < 4; ++k) t.shifted[k][c] = values[c] == kBad ? kBadBit : uint32_t{values[c]} << (18 - 6 * k);
  }
  return t;
}

constexpr Decode64Tables kUrlDecode = MakeDecodeTables(kUrlTable);
constexpr Decode64Tables kStdDecode = MakeDecodeTables(kStdTable);

std::string Encode64(std::string_view in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  size_t rest = in.size() - i;
  if (rest == 1) {
    uint32_t v = p[i] << 16;
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

#if defined(__x86_64__)
// Base64url with AVX2, 32 characters to 24 bytes a step, after Mula and Lemire's
// decoder: each character's high and low nibble index two tables whose AND is
// non-zero exactly for a character outside the alphabet; a third table, indexed
// by the high nibble, holds what a character of that row adds to become its
// sextet ('_', alone in its row with 'P'-'Z', is sent to the unused row 13);
// multiply-adds pack the sextets. Stores 32 bytes a step, so it steps while 32
// fit in the output; the scalar code below does the rest. Returns the characters
// consumed (a multiple of 32), or std::string::npos at a character outside the
// alphabet.
__attribute__((target("avx2"))) size_t DecodeUrl64Avx2(const uint8_t* src, size_t n, uint8_t* dst, size_t room) {
  // Rows (high nibbles) by the low nibbles they accept: 2 only D ('-'); 3 0-9;
  // 4 and 6 1-F; 5 0-A and F ('_'); 7 0-A; every other row none. A row's bit in
  // `row_class` is set in `refused_by_low` for each low nibble it refuses.
  const __m256i refused_by_low = _mm256_broadcastsi128_si256(_mm_setr_epi8(
      0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x23, 0x3B, 0x3B, 0x3A, 0x3B, 0x33));
  const __m256i row_class = _mm256_broadcastsi128_si256(_mm_setr_epi8(
      0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20));
  // What a character adds to become its value, by row: '-' 62, '0' 52, 'A' 0,
  // 'a' 26, '_' (row 13) 63.
  const __m256i add_by_row = _mm256_broadcastsi128_si256(_mm_setr_epi8(
      0, 0, 62 - '-', 52 - '0', -'A', -'A', 26 - 'a', 26 - 'a', 0, 0, 0, 0, 0, 63 - '_', 0, 0));
  const __m256i nibble = _mm256_set1_epi8(0x0F), underscore = _mm256_set1_epi8('_'), to_row13 = _mm256_set1_epi8(8);
  const __m256i pairs = _mm256_set1_epi32(0x01400140);    // a * 64 + b, c * 64 + d
  const __m256i quads = _mm256_set1_epi32(0x00011000);    // ab * 4096 + cd
  const __m256i order = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,  //
                                         2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i words = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
  size_t i = 0, o = 0;
  for (; i + 32 <= n && o + 32 <= room; i += 32, o += 24) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    const __m256i high = _mm256_and_si256(_mm256_srli_epi32(c, 4), nibble);
    const __m256i low = _mm256_and_si256(c, nibble);
    const __m256i refused = _mm256_and_si256(_mm256_shuffle_epi8(refused_by_low, low), _mm256_shuffle_epi8(row_class, high));
    if (!_mm256_testz_si256(refused, refused)) return std::string::npos;
    const __m256i row = _mm256_add_epi8(high, _mm256_and_si256(_mm256_cmpeq_epi8(c, underscore), to_row13));
    const __m256i sextets = _mm256_add_epi8(c, _mm256_shuffle_epi8(add_by_row, row));
    const __m256i bits = _mm256_madd_epi16(_mm256_maddubs_epi16(sextets, pairs), quads);
    const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(bits, order), words);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + o), bytes);
  }
  return i;
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

// Decodes unpadded input; rejects a dangling single character and non-zero
// trailing bits, so every byte string has exactly one accepted encoding.
bool Decode64(std::string_view in, const Decode64Tables& tables, std::string* out) {
  const std::array<uint8_t, 256>& table = tables.values;
  out->clear();
  if (in.size() % 4 == 1) return false;
  out->resize(in.size() / 4 * 3 + (in.size() % 4 ? in.size() % 4 - 1 : 0));
  auto* dst = reinterpret_cast<uint8_t*>(out->data());
  const auto* src = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0, o = 0;
#if defined(__x86_64__)
  if (&tables == &kUrlDecode && in.size() >= 64 && HasAvx2()) {
    i = DecodeUrl64Avx2(src, in.size(), dst, out->size());
    if (i == std::string::npos) return false;
    o = i / 4 * 3;
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    // Eight characters to six bytes, stored as eight (the last two overwritten by
    // the next step, so only while eight fit).
    const auto& [t0, t1, t2, t3] = tables.shifted;
    for (; i + 8 <= in.size() && o + 8 <= out->size(); i += 8, o += 6) {
      const uint32_t a = t0[src[i]] | t1[src[i + 1]] | t2[src[i + 2]] | t3[src[i + 3]];
      const uint32_t b = t0[src[i + 4]] | t1[src[i + 5]] | t2[src[i + 6]] | t3[src[i + 7]];
      if ((a | b) & kBadBit) return false;
      const uint64_t bytes = __builtin_bswap64((uint64_t{a} << 40) | (uint64_t{b} << 16));
      std::memcpy(dst + o, &bytes, sizeof bytes);
    }
  }
  for (; i + 4 <= in.size(); i += 4) {
    uint8_t a = table[src[i]], b = table[src[i + 1]], c = table[src[i + 2]], d = table[src[i + 3]];
    if ((a | b | c | d) & 0xC0) return false;
    uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    dst[o++] = static_cast<uint8_t>(v >> 16);
    dst[o++] = static_cast<uint8_t>(v >> 8);
    dst[o++] = static_cast<uint8_t>(v);
  }
  size_t rest = in.size() - i;
  if (rest >= 2) {
    uint8_t a = table[src[i]], b = table[src[i + 1]];
    uint8_t c = rest == 3 ? table[src[i + 2]] : 0;
    if ((a | b | c) & 0xC0) return false;
    uint32_t v = (a << 18) | (b << 12) | (c << 6);
    dst[o++] = static_cast<uint8_t>(v >> 16);
    if (rest == 3) {
      dst[o++] = static_cast<uint8_t>(v >> 8);
      if (v & 0xFF) return false;
    } else if (v & 0xFFFF) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) { return Encode64(bytes, kUrlAlphabet, false); }

bool Base64UrlDecodeInto(std::string_view text, std::string* out) {
  return Decode64(text, kUrlDecode, out);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  if (!Decode64(text, kUrlDecode, &out)) return std::nullopt;
  return out;
}

std::string Base64Encode(std::string_view bytes) { return Encode64(bytes, kStdAlphabet, true); }

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 == 0) {
    while (!text.empty() && text.back() == '=' && text.size() % 4 != 1) {
      text.remove_suffix(1);
      if (text.size() % 4 == 2) break;
    }
  }
  std::string out;
  if (!Decode64(text, kStdDecode, &out)) return std::nullopt;
  return out;
}

std::string Base58BtcEncode(std::string_view bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  std::vector<uint8_t> digits;  // base58 digits, little-endian
  digits.reserve(bytes.size() * 138 / 100 + 1);
  for (size_t i = zeros; i < bytes.size(); ++i) {
    uint32_t carry = static_cast<uint8_t>(bytes[i]);
    for (auto& d : digits) {
      carry += static_cast<uint32_t>(d) << 8;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry) {
      digits.push_back(static_cast<uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kB58Alphabet[*it]);
  return out;
}

std::optional<std::string> Base58BtcDecode(std::string_view text) {
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  std::vector<uint8_t> bytes;  // little-endian
  for (size_t i = zeros; i < text.size(); ++i) {
    uint8_t v = kB58Table[static_cast<uint8_t>(text[i])];
    if (v == kBad) return std::nullopt;
    uint32_t carry = v;
    for (auto& b : bytes) {
      carry += static_cast<uint32_t>(b) * 58;
      b = static_cast<uint8_t>(carry & 0xFF);
      carry >>= 8;
    }
    while (carry) {
      bytes.push_back(static_cast<uint8_t>(carry & 0xFF));
      carry >>= 8;
    }
  }
  std::string out(zeros, '\0');
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) out.push_back(static_cast<char>(*it));
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace credsweep
