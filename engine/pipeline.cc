#include "engine/pipeline.h"

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <exception>
#include <vector>

namespace credsweep {
namespace {

struct Batch {
  std::vector<Record> records;
  std::vector<VerificationResult> results;
};

VerificationResult VerifyFenced(const Verifier& v, const Record& r) {
  try {
    return v.Verify(r);
  } catch (const std::exception& e) {
    return VerificationResult::InternalError(r.source, std::string("internal error: ") + e.what());
  } catch (...) {
    return VerificationResult::InternalError(r.source, "internal error");
  }
}

}  // namespace

void RunPipeline(const Verifier& verifier, const std::function<bool(Record*)>& next,
                 const std::function<void(const Record&, VerificationResult&&)>& sink,
                 const PipelineOptions& options) {
  int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  size_t tokens = std::max<size_t>(2, options.batches_in_flight_per_thread * threads);
  bool done = false;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, Batch*>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> Batch* {
              if (done) {
                fc.stop();
                return nullptr;
              }
              auto* b = new Batch;
              b->records.reserve(options.batch_records);
              size_t bytes = 0;
              while (b->records.size() < options.batch_records && bytes < options.batch_bytes) {
                Record r;
                if (!next(&r)) {
                  done = true;
                  break;
                }
                bytes += r.data.size();
                b->records.push_back(std::move(r));
              }
              if (b->records.empty()) {
                delete b;
                fc.stop();
                return nullptr;
              }
              return b;
            }) &
            tbb::make_filter<Batch*, Batch*>(
                tbb::filter_mode::parallel,
                [&](Batch* b) {
                  b->results.reserve(b->records.size());
                  for (const auto& r : b->records) b->results.push_back(VerifyFenced(verifier, r));
                  return b;
                }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* b) {
              for (size_t i = 0; i < b->records.size(); ++i) {
                sink(b->records[i], std::move(b->results[i]));
              }
              delete b;
            }));
  });
}

}  // namespace credsweep
