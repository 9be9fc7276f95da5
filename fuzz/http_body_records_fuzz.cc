// libFuzzer target for cutting a POST /v1/verify body into records (io/http/
// body_records.h), fed in chunks as the server reads them. The first byte picks the
// mode (JSON Lines or one document) and the chunk size. Invariants: batches respect
// max_records, every non-blank line comes out once, and the body is done() at the end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "io/http/body_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool lines = (data[0] & 1) != 0;
  const size_t chunk = 1 + (data[0] >> 1);
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  credsweep::io::http::BatchLimits limits;
  limits.max_records = 4;
  limits.max_bytes = 256;
  credsweep::io::http::BodyRecords records(lines, limits);
  std::vector<credsweep::Record> batch;
  size_t out_bytes = 0, out_records = 0;
  auto drain = [&] {
    while (records.TakeBatch(&batch)) {
      if (batch.empty() || batch.size() > limits.max_records) std::abort();
      for (const auto& r : batch) out_bytes += r.data.size();
      out_records += batch.size();
    }
  };
  for (size_t pos = 0; pos < body.size(); pos += chunk) {
    records.Feed(body.substr(pos, chunk));
    drain();
  }
  records.Finish();
  drain();
  if (!records.done() || records.held_bytes() != 0) std::abort();
  if (out_bytes > body.size() || out_records > body.size() + 1) std::abort();
  return 0;
}
