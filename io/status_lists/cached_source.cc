#include "io/status_lists/cached_source.h"

#include <spdlog/spdlog.h>

#include "engine/sha256.h"
#include "io/status_lists/freshness.h"

namespace credsweep::io {

Result<std::string> CachedListSource::Fetch(std::string_view url) const {
  const UnixSeconds now = clock_();
  auto cached = index_->GetCachedList(url);
  if (cached.ok() && *cached) {
    const auto& c = **cached;
    const bool fresh = freshness_        ? now < freshness_(c.document, c.fetched_at, max_age_)
                       : honour_list_ttl_ ? now < ListFreshUntil(c.document, c.fetched_at, max_age_)
                                          : now - c.fetched_at < max_age_;  // "younger than"
    if (fresh) return c.document;
  }
  if (!upstream_) {
    if (cached.ok() && *cached) {
      return NotFound(std::string("the cached copy is older than --max-status-age") +
                      (freshness_ ? " or its nextUpdate" : honour_list_ttl_ ? " or its ttl/validUntil" : "") +
                      " (fetched " +
                      FormatUtc((*cached)->fetched_at) + ")");
    }
    return NotFound("not in the index's list cache");
  }
  auto fresh = upstream_->Fetch(url);
  if (fresh.ok() && !index_->read_only()) {
    // Only a digest: the document itself is the caller's until it validates.
    std::string digest = Sha256(*fresh);
    std::lock_guard lock(mu_);
    fetched_[std::string(url)] = std::move(digest);
  }
  return fresh;
}

void CachedListSource::Validated(std::string_view url, std::string_view document) const {
  if (upstream_) upstream_->Validated(url, document);
  if (index_->read_only()) return;
  const std::string digest = Sha256(document);
  {
    std::lock_guard lock(mu_);
    auto it = fetched_.find(std::string(url));
    if (it == fetched_.end() || it->second != digest) return;  // served from the cache, or not ours
    fetched_.erase(it);
  }
  if (Status s = index_->PutCachedList(url, document, clock_()); !s.ok()) {
    spdlog::warn("a verified status list could not be cached in the index: {}", s.message());
  }
}

}  // namespace credsweep::io
