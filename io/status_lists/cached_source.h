// Status lists through the status index's cache: a cached list younger than
// `max_age` is used as is; otherwise the upstream source (a folder, HTTP) is asked.
// A list older than `max_age` is never used: it is fetched again or reported
// unavailable.
//
// Fetch() never writes. What the upstream returned is stored (with this run's time
// `now`) only when the verifier reports it Validated(): a forged or malformed list
// never reaches the index, and a copy the cache itself served keeps its original
// fetch time, so it still expires. Thread-safe.
//
// Two ways to build one:
//   - for one run (`verify`): the run's time `now` and `max_age` only;
//   - for a long-lived process (`serve`): a clock read on every Fetch, and a cached
//     list is used only until ListFreshUntil() (io/status_lists/freshness.h): the earliest of
//     `max_age`, the list's own `ttl` and its `validUntil` after its fetch time.
#ifndef CREDSWEEP_IO_STATUS_LISTS_CACHED_SOURCE_H_
#define CREDSWEEP_IO_STATUS_LISTS_CACHED_SOURCE_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/ports.h"
#include "storage/status_index.h"

namespace credsweep::io {

class CachedListSource final : public StatusListSource {
 public:
  // `upstream` may be null (offline: the cache only).
  CachedListSource(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const StatusListSource> upstream,
                   int64_t max_age_seconds, UnixSeconds now)
      : index_(std::move(index)), upstream_(std::move(upstream)), max_age_(max_age_seconds),
        clock_([now] { return now; }) {}
  CachedListSource(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const StatusListSource> upstream,
                   int64_t max_age_seconds, std::function<UnixSeconds()> clock)
      : index_(std::move(index)), upstream_(std::move(upstream)), max_age_(max_age_seconds),
        clock_(std::move(clock)), honour_list_ttl_(true) {}

  // When a cached document must be asked for again (fetched_at + max_age at the
  // latest): for OCSP responses and CRLs, CertificateStatusFreshUntil (their
  // nextUpdate). Call before the first Fetch.
  using Freshness = std::function<UnixSeconds(std::string_view document, UnixSeconds fetched_at, int64_t max_age)>;
  void set_freshness(Freshness f) { freshness_ = std::move(f); }

  Result<std::string> Fetch(std::string_view url) const override;

  // Stores `document` under `url` when the index is writable and `document` is what
  // the upstream returned for `url` through this object. A failed write is logged,
  // not fatal (the list was verified; only the next run's cache misses). Passed on
  // to the upstream.
  void Validated(std::string_view url, std::string_view document) const override;

 private:
  std::shared_ptr<storage::StatusIndex> index_;
  std::shared_ptr<const StatusListSource> upstream_;
  int64_t max_age_;
  std::function<UnixSeconds()> clock_;
  bool honour_list_ttl_ = false;
  Freshness freshness_;  // when set, in place of the two above
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::string> fetched_;  // url -> SHA-256 of the upstream's answer
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_LISTS_CACHED_SOURCE_H_
