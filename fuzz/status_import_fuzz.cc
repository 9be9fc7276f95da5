// libFuzzer target for `credsweep import` rows (io/status_import.h): CSV
// `id,state,reason[,time]` with RFC 4180 quoting, and JSON Lines objects. The input is
// cut into lines as the import command cuts a file. Invariant: an accepted row has an id.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "io/status_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  while (!in.empty()) {
    size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    auto row = credsweep::io::ParseStatusRow(line);
    if (row.ok() && row->id.empty()) std::abort();
    if (nl == std::string_view::npos) break;
    in.remove_prefix(nl + 1);
  }
  return 0;
}
