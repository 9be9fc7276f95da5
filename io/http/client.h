// Fetches published documents over HTTP(S) (`verify --online`): status list
// credentials, and the DID documents, issuer metadata and JWK Sets issuers publish
// their keys in (one instance each, named by HttpOptions::what).
//
// One GET per URL under one deadline (`timeout`) that covers name resolution,
// connecting, the TLS handshake, sending the request, reading the whole response and
// every redirect hop; the body is capped at `max_body_bytes`. HTTPS verifies the
// server certificate against the system trust store and the host name.
//
// What it refuses (a document URL is chosen by whoever wrote the credential):
//   - addresses that are not public (loopback, private, link-local, multicast, ...;
//     see address_policy.h), checked on the resolved addresses, unless
//     `allow_private_addresses`;
//   - redirects to another scheme, host or port; at most `max_redirects` hops.
//
// Errors (the verifier puts the message into the record's result):
//   IoError "<what> server unavailable" (e.g. "status list server unavailable"):
//       resolution, connection, TLS, timeout,
//       or a malformed response. One text for all, so the answer does not tell an
//       open port from a closed one; the cause goes to the debug log.
//   NotFound "HTTP <code>": any final status other than 200.
//   IoError "... body limit": the body is larger than `max_body_bytes`.
//   Unsupported: a non-public address, a redirect to another origin, too many
//       redirects.
//   InvalidArgument: a URL that is not http(s) or is malformed.
// No message contains response bodies, header values or other server-chosen text.
//
// Results are not cached here: the verifier fetches each document once per run.
// Thread-safe.
#ifndef CREDSWEEP_IO_HTTP_CLIENT_H_
#define CREDSWEEP_IO_HTTP_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "engine/ports.h"

namespace credsweep::io {

struct HttpOptions {
  std::chrono::milliseconds timeout{10000};  // per Fetch: resolution to last byte, all hops
  size_t max_body_bytes = 64u << 20;
  int max_redirects = 3;                     // same-origin redirects followed
  bool allow_private_addresses = false;      // tests and intranets (`--allow-private-addresses`)
  std::string what = "status list";          // what is fetched, for messages
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
// Validated() is passed to both.
class ChainedListSource final : public StatusListSource {
 public:
  ChainedListSource(std::shared_ptr<const StatusListSource> first, std::shared_ptr<const StatusListSource> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  Result<std::string> Fetch(std::string_view url) const override {
    auto r = first_->Fetch(url);
    if (r.ok()) return r;
    return second_->Fetch(url);
  }
  void Validated(std::string_view url, std::string_view document) const override {
    first_->Validated(url, document);
    second_->Validated(url, document);
  }

 private:
  std::shared_ptr<const StatusListSource> first_, second_;
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_HTTP_CLIENT_H_
