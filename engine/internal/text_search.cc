#include "engine/internal/text_search.h"

#include <string.h>

#include <bit>
#include <cstdint>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace credsweep::internal {

bool Contains(std::string_view text, std::string_view needle) {
  const size_t k = needle.size();
  if (k == 0) return true;
  if (text.size() < k) return false;
  if (k == 1) return memchr(text.data(), needle[0], text.size()) != nullptr;
  size_t i = 0;
#ifdef __SSE2__
  // Block at i: the 16 candidate starts i..i+15, whose last bytes are at
  // i+k-1..i+k+14, all inside the text.
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i last = _mm_set1_epi8(needle[k - 1]);
  const char* p = text.data();
  for (; i + k + 15 <= text.size(); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + k - 1));
    auto mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask != 0) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(mask));
      if (memcmp(p + at + 1, needle.data() + 1, k - 2) == 0) return true;
      mask &= mask - 1;
    }
  }
#endif
  // The starts left (all of them without SSE2).
  const std::string_view rest = text.substr(i);
  return memmem(rest.data(), rest.size(), needle.data(), k) != nullptr;
}

}  // namespace credsweep::internal
