// The server publishes (`serve --lists DIR --publish-key KEY --publish-issuer ISSUER
// --base-url URL`): after writes to the status index, the issuer's status lists are
// published again into DIR, at most once per interval, so a revocation made over
// RESP reaches the lists third parties fetch within that interval
// (docs/status-lists.md, "The server publishes").
//
// One thread watches the index's last event sequence; when it moved since the last
// publication and the interval has passed since then, it runs PublishStatusLists
// (the same code as `credsweep lists publish`), which replaces each file in one
// step. A failed publication is logged and retried at the next interval; the lists
// already published stay in place. Thread-safe.
#ifndef CREDSWEEP_IO_STATUS_LISTS_REPUBLISHER_H_
#define CREDSWEEP_IO_STATUS_LISTS_REPUBLISHER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/signer.h"
#include "io/status_lists/publisher.h"
#include "storage/status_index.h"

namespace credsweep::io {

class Republisher {
 public:
  Republisher(std::shared_ptr<storage::StatusIndex> index, std::unique_ptr<PrivateKey> key, PublishOptions options,
              std::chrono::milliseconds interval);
  // Stops the thread, then publishes once more when writes are not yet published.
  ~Republisher();

  // Publishes once now (the lists then match the index at start) and starts the
  // thread. Errors: what the first publication met (a bad --base-url, an
  // unwritable folder); the thread is not started then.
  Status Start();
  // Publishes at the next opportunity the interval allows, even without a write.
  // Does not wait.
  void Request();
  // Publishes now, whatever the interval (an operator's LISTS.PUBLISH), and returns
  // what was written; never at the same time as the thread's publications.
  Result<PublishStats> PublishNow();
  // Moved on after each publication that assigned slots itself (RESP CRED.ENROL
  // then reads the index's slots again). Set before Start().
  void set_slot_generation(std::shared_ptr<std::atomic<uint64_t>> generation) {
    slot_generation_ = std::move(generation);
  }
  // The publication state as Prometheus text: the age of each published list,
  // writes not yet published, publications and failures.
  std::string PrometheusText() const;

 private:
  void Loop();

  std::shared_ptr<storage::StatusIndex> index_;
  std::unique_ptr<PrivateKey> key_;
  PublishOptions options_;
  std::chrono::milliseconds interval_;

  std::mutex publish_mu_;  // one publication at a time
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false, requested_ = false;
  uint64_t published_seq_ = 0;                          // index sequence the lists reflect
  std::chrono::steady_clock::time_point last_attempt_;  // of a publication
  std::vector<std::string> urls_;                       // lists published last
  UnixSeconds published_at_ = 0;                        // wall clock of the last success
  uint64_t publications_ = 0, failures_ = 0;
  std::shared_ptr<std::atomic<uint64_t>> slot_generation_;
  std::thread thread_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_LISTS_REPUBLISHER_H_
