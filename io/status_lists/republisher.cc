#include "io/status_lists/republisher.h"

#include <spdlog/spdlog.h>

namespace credsweep::io {

Republisher::Republisher(std::shared_ptr<storage::StatusIndex> index, std::unique_ptr<PrivateKey> key,
                         PublishOptions options, std::chrono::milliseconds interval)
    : index_(std::move(index)), key_(std::move(key)), options_(std::move(options)), interval_(interval) {}

Republisher::~Republisher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (!thread_.joinable()) return;
  thread_.join();
  // Writes made since the last publication are not left for the next start.
  if (index_->last_sequence() != published_seq_) (void)PublishNow();
}

Status Republisher::Start() {
  if (auto st = PublishNow(); !st.ok()) return st.status();
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void Republisher::Request() {
  {
    std::lock_guard lock(mu_);
    requested_ = true;
  }
  wake_.notify_all();
}

Result<PublishStats> Republisher::PublishNow() {
  std::lock_guard publishing(publish_mu_);
  const uint64_t seq = index_->last_sequence();  // read first: a later write is published next time
  {
    std::lock_guard lock(mu_);
    last_attempt_ = std::chrono::steady_clock::now();
    requested_ = false;
  }
  PublishOptions o = options_;
  o.now = 0;  // the current time
  auto stats = PublishStatusLists(*index_, *key_, o);
  std::lock_guard lock(mu_);
  if (!stats.ok()) {
    ++failures_;
    spdlog::error("publishing the status lists of {} into {} failed (the lists in place stay; retried in {} s): {}",
                  options_.issuer, options_.out_dir, interval_.count() / 1000.0, stats.status().message());
    return stats.status();
  }
  ++publications_;
  if (stats->newly_assigned && slot_generation_) ++*slot_generation_;
  published_seq_ = seq;
  published_at_ = NowUtc();
  urls_ = stats->urls;
  spdlog::info("published {} list(s) for {} credentials of {} ({} revoked, {} suspended, {} newly assigned slots)",
               stats->lists, stats->records, options_.issuer, stats->revoked, stats->suspended,
               stats->newly_assigned);
  return stats;
}

void Republisher::Loop() {
  constexpr auto kPoll = std::chrono::milliseconds(250);  // how often the index's sequence is read
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, kPoll);
    if (stopping_) break;
    const bool changed = index_->last_sequence() != published_seq_;
    if ((!changed && !requested_) || std::chrono::steady_clock::now() - last_attempt_ < interval_) continue;
    lock.unlock();
    (void)PublishNow();  // failures are logged and counted
    lock.lock();
  }
}

std::string Republisher::PrometheusText() const {
  std::lock_guard lock(mu_);
  const uint64_t pending = index_->last_sequence() - std::min(index_->last_sequence(), published_seq_);
  const UnixSeconds now = NowUtc();
  std::string out =
      "# HELP credsweep_status_list_age_seconds Seconds since each status list was last published by this server.\n"
      "# TYPE credsweep_status_list_age_seconds gauge\n";
  for (const std::string& url : urls_) {
    std::string label;
    for (char c : url) {  // Prometheus label value escaping
      if (c == '\\' || c == '"') label += '\\';
      if (c == '\n') {
        label += "\\n";
        continue;
      }
      label += c;
    }
    out += "credsweep_status_list_age_seconds{list=\"" + label + "\"} " + std::to_string(now - published_at_) + "\n";
  }
  out += "# HELP credsweep_status_list_unpublished_events Index events not yet in the published lists.\n"
         "# TYPE credsweep_status_list_unpublished_events gauge\n"
         "credsweep_status_list_unpublished_events " + std::to_string(pending) + "\n"
         "# HELP credsweep_status_list_publications_total Publications of the status lists by this server.\n"
         "# TYPE credsweep_status_list_publications_total counter\n"
         "credsweep_status_list_publications_total " + std::to_string(publications_) + "\n"
         "# HELP credsweep_status_list_publish_failures_total Publications that failed (the lists in place stayed).\n"
         "# TYPE credsweep_status_list_publish_failures_total counter\n"
         "credsweep_status_list_publish_failures_total " + std::to_string(failures_) + "\n";
  return out;
}

}  // namespace credsweep::io
