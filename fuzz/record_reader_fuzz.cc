// libFuzzer target for the record reader (io/record_reader.h): JSON Lines, compact
// JWS lines, .json documents and arrays, byte order marks and UTF-16/32 detection,
// over-long lines. The reader opens files, so the input (after its first byte, which
// picks the file extension) is written to a file in a private temporary directory.
// Invariants: reading ends, and a record without an error code is within the record limit.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "io/record_reader.h"

namespace {

constexpr size_t kMaxRecordBytes = 4096;

const std::string& TempDir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/credsweep-record-reader-fuzz-XXXXXX";
    if (!mkdtemp(tmpl)) std::abort();
    return std::string(tmpl);
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kExtensions[] = {".jsonl", ".json", ".jwt", ".txt", ".ndjson", ".jsonld", ".bin"};
  const std::string path = TempDir() + "/input" + kExtensions[data[0] % std::size(kExtensions)];
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
    if (!out) std::abort();
  }
  credsweep::io::ReaderOptions options;
  options.max_record_bytes = kMaxRecordBytes;
  options.max_document_bytes = 64 * 1024;
  auto reader = credsweep::io::RecordReader::Open({path}, options);
  if (reader.ok()) {
    credsweep::Record record;
    size_t records = 0;
    while ((*reader)->Next(&record)) {
      if (record.error.code.empty() && record.data.size() > kMaxRecordBytes) std::abort();
      if (++records > size + 1) std::abort();  // more records than input bytes: a loop
    }
  }
  unlink(path.c_str());
  return 0;
}
