// libFuzzer target for the RESP decoder (opt-in: -DCREDSWEEP_FUZZ=ON with clang).
//
//   scripts/fuzz 60            (every target; or by hand:)
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCREDSWEEP_FUZZ=ON
//   cmake --build build-fuzz --target resp_decoder_fuzz
//   build-fuzz/resp_decoder_fuzz fuzz/corpus/resp_decoder -max_total_time=60
//
// The input is split at its first byte's value into two feeds, so split frames are
// exercised too. Invariants: Feed never crashes, never buffers more than the limits
// allow, and a decoder that failed stays failed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "io/resp/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using credsweep::io::resp::Decoder;
  credsweep::io::resp::DecoderLimits limits;
  limits.max_bulk_bytes = 4096;
  limits.max_args = 64;
  limits.max_inline_bytes = 4096;
  Decoder d(limits);
  std::vector<std::vector<std::string>> out;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t cut = size ? data[0] % (size + 1) : 0;
  bool ok = d.Feed(in.substr(0, cut), &out);
  if (ok) ok = d.Feed(in.substr(cut), &out);
  if (ok && d.buffered() > limits.max_bulk_bytes + limits.max_inline_bytes + 64) std::abort();
  for (const auto& cmd : out) {
    if (cmd.size() > limits.max_args) std::abort();
    for (const auto& arg : cmd) {
      if (arg.size() > limits.max_bulk_bytes + limits.max_inline_bytes) std::abort();
    }
  }
  if (!ok && d.Feed("*1\r\n$4\r\nPING\r\n", &out)) std::abort();
  return 0;
}
