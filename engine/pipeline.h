// The batch engine: in-order read -> parallel verify (oneTBB) -> in-order write,
// with a bounded number of records in flight.
#ifndef CREDSWEEP_ENGINE_PIPELINE_H_
#define CREDSWEEP_ENGINE_PIPELINE_H_

#include <cstddef>
#include <functional>

#include "engine/verifier.h"

namespace credsweep {

struct PipelineOptions {
  int threads = 0;                      // 0: all hardware threads
  size_t batch_records = 64;            // records handed to one task
  size_t batch_bytes = 4u << 20;        // a batch closes early past this many bytes
  size_t batches_in_flight_per_thread = 4;
};

// Pulls records from `next` (called from one thread at a time, in order; returns
// false at the end), verifies them on up to `threads` threads and hands each result
// to `sink` in input order (one thread at a time). An exception escaping Verify is
// caught at the task boundary and reported as that record's internal_error.
void RunPipeline(const Verifier& verifier, const std::function<bool(Record*)>& next,
                 const std::function<void(const Record&, VerificationResult&&)>& sink,
                 const PipelineOptions& options);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_PIPELINE_H_
