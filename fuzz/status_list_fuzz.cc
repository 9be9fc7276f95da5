// libFuzzer target for status list decoding (engine/status_list.h): W3C Bitstring
// Status List / StatusList2021 / EBSI encodedList and the IETF Token Status List
// `lst`. The first byte picks the mode: 0 W3C as given, 1 IETF as given, 2 and 3 the
// rest of the input wrapped in base64url first (so the fuzzer reaches GZIP/zlib
// inflation directly). Invariants: a decoded list never exceeds the inflation cap,
// and Get() within the list answers while Get() past its end does not.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/encoding.h"
#include "engine/status_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr size_t kCap = 1u << 20;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string wrapped;
  const unsigned mode = data[0] % 4;
  if (mode >= 2) {
    wrapped = (mode == 2 ? "u" : "") + credsweep::Base64UrlEncode(rest);
    rest = wrapped;
  }
  auto list = (mode % 2 == 0) ? credsweep::StatusBitstring::Decode(rest, kCap)
                              : credsweep::StatusBitstring::DecodeIetf(rest, kCap);
  if (!list.ok()) return 0;
  if (list->bytes().size() > kCap) std::abort();
  const uint64_t bits = list->size_bits();
  for (unsigned status_size : {1u, 2u, 4u, 8u}) {
    const uint64_t entries = bits / status_size;
    if (entries > 0 && !list->Get(entries - 1, status_size)) std::abort();
    if (list->Get(entries, status_size)) std::abort();
    if (list->Get(UINT64_MAX / 2, status_size)) std::abort();
  }
  return 0;
}
