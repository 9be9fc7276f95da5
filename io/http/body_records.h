// The records of a POST /v1/verify body, cut from the body as it arrives and
// handed out in bounded batches, so a body of any size is verified in bounded
// memory (docs/protocol.md, "POST /v1/verify").
//
// JSON Lines mode: one record per non-blank line, `source` "request:<line number>";
// only the unfinished last line and the not yet handed out lines of the last chunk
// are held. Document mode: the whole body is one record, `source` "request"
// (bounded by the server's body limit). Not thread-safe; one per request.
#ifndef CREDSWEEP_IO_HTTP_BODY_RECORDS_H_
#define CREDSWEEP_IO_HTTP_BODY_RECORDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/verifier.h"

namespace credsweep::io::http {

struct BatchLimits {
  size_t max_records = 256;     // records in one batch
  size_t max_bytes = 1u << 20;  // a batch closes once its records reach this many bytes
};

class BodyRecords {
 public:
  BodyRecords(bool json_lines, BatchLimits limits) : lines_(json_lines), limits_(limits) {}

  // Appends body bytes. The caller bounds what is held (held_bytes()) by taking
  // batches before feeding more.
  void Feed(std::string_view data);
  // The body is complete: a last line without a newline is a record too.
  void Finish();
  // Moves the next complete records, at least one and at most one batch, into
  // *batch (replacing its contents); false when none is complete yet.
  bool TakeBatch(std::vector<Record>* batch);
  // Finished and every record handed out.
  bool done() const { return finished_ && pos_ == buf_.size(); }
  // Body bytes held now.
  size_t held_bytes() const { return buf_.size() - pos_; }

 private:
  bool lines_;
  BatchLimits limits_;
  std::string buf_;
  size_t pos_ = 0;      // first byte not yet handed out
  size_t line_no_ = 0;  // lines handed out or skipped so far
  bool finished_ = false;
};

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_BODY_RECORDS_H_
