#include "engine/pipeline.h"

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <exception>
#include <vector>

// oneTBB hands batches between its threads and joins them with its own primitives,
// which ThreadSanitizer does not see; it then reports the caller freeing what a
// worker read (the `next` function, a batch) as a race. Under TSan each stage
// acquires one token before its work and releases it after, and the caller acquires
// it when the pipeline has returned: the order oneTBB guarantees, made visible.
// Concurrent runs of the parallel stage stay unordered with each other.
#if defined(__SANITIZE_THREAD__)
#define CREDSWEEP_TSAN_ANNOTATIONS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CREDSWEEP_TSAN_ANNOTATIONS 1
#endif
#endif
#if defined(CREDSWEEP_TSAN_ANNOTATIONS)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace credsweep {
namespace {

class HandOver {
 public:
#if defined(CREDSWEEP_TSAN_ANNOTATIONS)
  void Acquire() { __tsan_acquire(&token_); }
  void Release() { __tsan_release(&token_); }

 private:
  char token_ = 0;
#else
  void Acquire() {}
  void Release() {}
#endif
};

struct Batch {
  std::vector<Record> records;
  std::vector<VerificationResult> results;
};

}  // namespace

void RunPipeline(const Verifier& verifier, const std::function<bool(Record*)>& next,
                 const std::function<void(const Record&, VerificationResult&&)>& sink,
                 const PipelineOptions& options) {
  int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  size_t tokens = std::max<size_t>(2, options.batches_in_flight_per_thread * threads);
  bool done = false;
  HandOver hand_over;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, Batch*>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> Batch* {
              hand_over.Acquire();
              struct Released {
                HandOver& h;
                ~Released() { h.Release(); }
              } released{hand_over};
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
                  hand_over.Acquire();
                  struct Released {
                    HandOver& h;
                    ~Released() { h.Release(); }
                  } released{hand_over};
                  verifier.VerifyAll(b->records, &b->results);  // each record's throw is its own result
                  return b;
                }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* b) {
              hand_over.Acquire();
              for (size_t i = 0; i < b->records.size(); ++i) {
                sink(b->records[i], std::move(b->results[i]));
              }
              delete b;
              hand_over.Release();
            }));
  });
  hand_over.Acquire();
}

}  // namespace credsweep
