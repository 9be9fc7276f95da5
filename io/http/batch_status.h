// POST /v1/status: the status records of a batch of credential ids in one request.
//
// Request body (application/json, at most 64 KiB): {"ids": ["urn:uuid:...", ...]}
// with 1 to kMaxBatchIds ids, each a non-empty string of at most 1,024 bytes.
// Answer 200: {"results": [record, ...]}, one record per id in request order (a
// repeated id is answered each time), each as GET /v1/credentials/{id}/status gives
// it; an unknown id is {"id":...,"state":"unknown"}. A malformed body or a limit
// exceeded: 400 with {"error": "..."}; the index failing: 503.
#ifndef CREDSWEEP_IO_HTTP_BATCH_STATUS_H_
#define CREDSWEEP_IO_HTTP_BATCH_STATUS_H_

#include <string>
#include <string_view>

#include "engine/ports.h"

namespace credsweep::io::http {

inline constexpr size_t kMaxBatchIds = 1000;
inline constexpr size_t kMaxBatchIdBytes = 1024;

struct BatchStatusAnswer {
  unsigned status = 200;
  std::string body;  // JSON, without a trailing newline
};

// `with_reasons`: false leaves the "reason" members out (`--public-reasons no`).
BatchStatusAnswer AnswerBatchStatus(const StatusLookup& index, std::string_view body, bool with_reasons);

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_BATCH_STATUS_H_
