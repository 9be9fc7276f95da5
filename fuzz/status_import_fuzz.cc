// libFuzzer target for `credsweep import` rows (io/status_import.h): CSV
// `id,state,reason[,time]` with RFC 4180 quoting, and JSON Lines objects. The input is
// cut into lines as the import command cuts a file. Invariants: an accepted row has an
// id within the limit and a time not after "now"; a malformed one has a code.
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
    constexpr credsweep::UnixSeconds kNow = 1767225600;
    auto p = credsweep::io::ParseStatusRow(line, kNow);
    using Kind = credsweep::io::ParsedRow::Kind;
    if (p.kind == Kind::kRow &&
        (p.row.id.empty() || p.row.id.size() > credsweep::io::kMaxImportIdBytes || p.row.time > kNow)) {
      std::abort();
    }
    if (p.kind == Kind::kMalformed && p.code.empty()) std::abort();
    if (nl == std::string_view::npos) break;
    in.remove_prefix(nl + 1);
  }
  return 0;
}
