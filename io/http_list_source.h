// Fetches status list credentials over HTTP(S) (`verify --online`).
//
// One GET per URL, no redirects followed beyond 3, every operation under a deadline,
// the body capped; HTTPS verifies the server certificate against the system trust
// store and the host name. Results are not cached here: the verifier fetches each
// list once per run.
#ifndef CREDSWEEP_IO_HTTP_LIST_SOURCE_H_
#define CREDSWEEP_IO_HTTP_LIST_SOURCE_H_

#include <chrono>
#include <memory>
#include <string>

#include "engine/status.h"

namespace credsweep::io {

struct HttpOptions {
  std::chrono::milliseconds timeout{10000};  // per request, connect to last byte
  size_t max_body_bytes = 64u << 20;
  int max_redirects = 3;
};

class HttpListSource final : public StatusListSource {
 public:
  explicit HttpListSource(HttpOptions options = {});
  ~HttpListSource() override;
  Result<std::string> Fetch(std::string_view url) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Tries each source in turn; the first that has the list wins (a folder, then HTTP).
class ChainedListSource final : public StatusListSource {
 public:
  ChainedListSource(std::shared_ptr<const StatusListSource> first, std::shared_ptr<const StatusListSource> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  Result<std::string> Fetch(std::string_view url) const override {
    auto r = first_->Fetch(url);
    if (r.ok()) return r;
    return second_->Fetch(url);
  }

 private:
  std::shared_ptr<const StatusListSource> first_, second_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_HTTP_LIST_SOURCE_H_
