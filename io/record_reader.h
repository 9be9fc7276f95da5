// Streams credential records out of files, directories and stdin.
//
// Formats, chosen by extension (after stripping .gz; every input may be gzip):
//   .jsonl .ndjson          one record per line (compact JWS, JSON string, JSON object)
//   .jwt .jws .txt          one compact JWS per line
//   .json .jsonld           one document: a credential, a JWS JSON serialization, or an
//                           array of them (each element is a record "path#k", k from 1)
//   anything else / stdin   read as JSON Lines
// Blank lines are skipped. Memory stays bounded by the record limit: a longer line
// becomes a record carrying the error record_too_large and reading goes on.
// Error records the reader makes itself (the verifier reports their code as the
// format check's): a UTF-16/UTF-32 input is one record "PATH" with
// unsupported_encoding naming the encoding (a UTF-8 byte order mark is skipped);
// an empty or whitespace-only .json is one empty_record; a line that is only "{"
// or "[" (a pretty-printed document given as JSON Lines) is malformed_json with a
// hint at the document form. A gzip input cut short yields an io_error record at
// the line where it breaks, never the cut-off line as a record.
//
// An input file longer than one read (256 KiB) is asked of the operating system
// 64 MB ahead of the reading from its second read on (storage::AdviseWillNeed;
// of a gzip file, its compressed bytes), and near its end the next input, when
// it is a regular file, is opened early and its start asked for: on a cold page
// cache the disk works while the records before are verified. A file read whole
// by one read costs no system call more. At most two inputs are open at once;
// stdin and anything but a regular file (a named pipe) are opened only in their
// turn.
//
// In a folder, a file is read only when its extension is known; the others, files
// matching an `exclude` glob, this run's own outputs (`own_outputs`) and files
// credsweep wrote as results or summaries (recognised by their first bytes) are
// skipped, and listed in skipped().
#ifndef CREDSWEEP_IO_RECORD_READER_H_
#define CREDSWEEP_IO_RECORD_READER_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/verifier.h"

namespace credsweep::io {

struct ReaderOptions {
  size_t max_record_bytes = 8u << 20;
  size_t max_document_bytes = 64u << 20;  // .json documents (arrays) are read whole
  // Globs (fnmatch) for files and folders not to read inside an input folder: a
  // glob with a '/' is matched against the path below the input folder, any other
  // against the name alone. Files named as inputs are always read.
  std::vector<std::string> exclude;
  // Files this run writes (--out, --summary): never read from an input folder.
  std::vector<std::string> own_outputs;
};

// A file inside an input folder that was not read, and why.
struct SkippedFile {
  std::string path;
  std::string reason;  // "not a credential file (.pdf)", "excluded by --exclude '*.bak'", ...
};

// True when `path` is an existing, non-empty file that a walk of a folder holding
// it would read as credentials: a known extension, and not recognisably a
// credsweep output (its first bytes). An output written there would destroy an input.
bool ReadAsCredentialsInFolder(const std::string& path);

class RecordReader {
 public:
  // Expands directories (recursively, sorted, files with a known extension only)
  // and checks every named input exists. A missing or unreadable input is an error.
  static Result<std::unique_ptr<RecordReader>> Open(const std::vector<std::string>& inputs,
                                                    const ReaderOptions& options);
  ~RecordReader();

  // Fills *out with the next record; false at the end of all inputs. A file that
  // fails mid-way yields one record with error.code "io_error".
  bool Next(Record* out);

  // Files of input folders not read; complete once Next returned false (a
  // credsweep output is recognised when its turn to be read comes).
  const std::vector<SkippedFile>& skipped() const;

 private:
  struct Impl;
  explicit RecordReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_RECORD_READER_H_
