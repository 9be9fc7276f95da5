// Status lists through the status index's cache: a cached list younger than
// `max_age` is used as is; otherwise the upstream source (a folder, HTTP) is asked
// and, when the index is writable, the answer is cached with its fetch time. A list
// older than `max_age` is never used: it is fetched again or reported unavailable.
#ifndef CREDSWEEP_IO_CACHED_LIST_SOURCE_H_
#define CREDSWEEP_IO_CACHED_LIST_SOURCE_H_

#include <memory>

#include "engine/status.h"
#include "storage/status_index.h"

namespace credsweep::io {

class CachedListSource final : public StatusListSource {
 public:
  CachedListSource(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const StatusListSource> upstream,
                   int64_t max_age_seconds, UnixSeconds now)
      : index_(std::move(index)), upstream_(std::move(upstream)), max_age_(max_age_seconds), now_(now) {}

  Result<std::string> Fetch(std::string_view url) const override {
    auto cached = index_->GetCachedList(url);
    if (cached.ok() && *cached && now_ - (*cached)->fetched_at <= max_age_) return (*cached)->document;
    if (!upstream_) {
      if (cached.ok() && *cached) {
        return NotFound("the cached copy is older than --max-status-age (fetched " +
                        FormatUtc((*cached)->fetched_at) + ")");
      }
      return NotFound("not in the index's list cache");
    }
    auto fresh = upstream_->Fetch(url);
    if (fresh.ok() && !index_->read_only()) (void)index_->PutCachedList(url, *fresh, now_);
    return fresh;
  }

 private:
  std::shared_ptr<storage::StatusIndex> index_;
  std::shared_ptr<const StatusListSource> upstream_;
  int64_t max_age_;
  UnixSeconds now_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_CACHED_LIST_SOURCE_H_
