#include "engine/json_escape.h"

#include <simdjson.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace credsweep {
namespace {

// 1 for bytes that need attention: controls, '"', '\\', and non-ASCII (which only
// needs escaping when the string is not valid UTF-8).
constexpr std::array<uint8_t, 256> kSpecial = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
  return t;
}();

#ifdef __SSE2__
// Of the 16 bytes at p, a bit for each that needs attention: a control, '"', '\\',
// and with `high` also each non-ASCII byte.
uint32_t SpecialMask(const char* p, bool high) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed compare: bytes 0x80-0xFF are negative, so below 0x20 too.
  __m128i m = high ? _mm_cmplt_epi8(x, _mm_set1_epi8(0x20))
                   : _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
  return static_cast<uint32_t>(_mm_movemask_epi8(m));
}
#endif

// Whether any of the bytes of `w` (loaded from memory) needs attention, as
// kSpecial says, eight (or four) at a time: a byte of 0x80 or more, one below 0x20
// (a borrow in the subtraction reaches the high bit only from such a byte, or from
// one of 0x80 or more, which counts anyway), '"' or '\\' (a zero after the XOR).
template <typename Word>
bool AnySpecial(Word w) {
  constexpr Word kOnes = static_cast<Word>(~Word{0}) / 0xFF, kHigh = kOnes * 0x80;
  auto any_zero = [](Word v) { return (v - kOnes) & ~v; };
  return ((w | (w - kOnes * 0x20) | any_zero(w ^ (kOnes * '"')) | any_zero(w ^ (kOnes * '\\'))) & kHigh) != 0;
}

template <typename Word>
Word Load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

}  // namespace

bool IsPlainJsonText(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  // Whole words, the last one overlapping the one before where n is not a multiple.
#ifdef __SSE2__
  if (n >= 16) {
    for (size_t i = 0; i + 16 <= n; i += 16) {
      if (SpecialMask(p + i, true) != 0) return false;
    }
    return n % 16 == 0 || SpecialMask(p + n - 16, true) == 0;
  }
#endif
  if (n >= 8) {
    for (size_t i = 0; i + 8 <= n; i += 8) {
      if (AnySpecial(Load<uint64_t>(p + i))) return false;
    }
    return n % 8 == 0 || !AnySpecial(Load<uint64_t>(p + n - 8));
  }
  if (n >= 4) return !AnySpecial(Load<uint32_t>(p)) && !AnySpecial(Load<uint32_t>(p + n - 4));
  for (size_t i = 0; i < n; ++i) {
    if (kSpecial[static_cast<unsigned char>(p[i])]) return false;
  }
  return true;
}

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  // Invalid UTF-8 (binary garbage in a source name or message) is written byte by
  // byte as \u00XX so the output line stays valid JSON. Checked only when a
  // non-ASCII byte shows up.
  int utf8 = -1;  // unknown
  size_t run = 0;  // start of the pending run of plain bytes
  size_t i = 0;
  while (i < s.size()) {
#ifdef __SSE2__
    // Plain bytes 16 at a time, to the first that may need escaping.
    if (i + 16 <= s.size()) {
      const uint32_t mask = SpecialMask(s.data() + i, utf8 != 1);
      if (mask == 0) {
        i += 16;
        continue;
      }
      i += static_cast<size_t>(std::countr_zero(mask));
    }
#endif
    unsigned char c = static_cast<unsigned char>(s[i]);
    ++i;
    if (!kSpecial[c]) continue;
    if (c >= 0x80) {
      if (utf8 < 0) utf8 = simdjson::validate_utf8(s.data(), s.size()) ? 1 : 0;
      if (utf8) continue;
    }
    out->append(s.data() + run, i - 1 - run);
    run = i;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

}  // namespace credsweep
