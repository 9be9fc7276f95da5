#include "io/http/server.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <array>
#include <deque>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <tbb/info.h>

#include "engine/encoding.h"
#include "engine/json_writer.h"
#include "engine/pipeline.h"
#include "engine/sha256.h"
#include "io/http/batch_status.h"
#include "io/http/body_records.h"
#include "io/http/current_verifier.h"
#include "io/http/published_lists.h"
#include "io/http/ui_assets.h"
#include "io/http/vc_api.h"
#include "io/net.h"
#include "io/report/result_json.h"
#include "io/status_json.h"

namespace credsweep::io::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

namespace {

enum Route { kStatus, kList, kVerify, kHealth, kMetrics, kOther, kStatusBatch, kPage, kPolicy, kVcApi, kRouteCount };
constexpr const char* kRouteNames[] = {"status", "status_list", "verify", "healthz", "metrics",   "other",
                                       "status_batch", "page", "policy", "vc_api_verify"};
static_assert(std::size(kRouteNames) == kRouteCount);
constexpr std::array<double, 8> kBuckets = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.25, 1.0};

// A percent-encoded path segment, decoded by Boost.URL; false for a malformed escape.
std::string PercentDecode(std::string_view s, bool* ok) {
  auto pct = boost::urls::make_pct_string_view(s);
  *ok = pct.has_value();
  if (!pct) return {};
  boost::urls::decode_view decoded = **pct;
  return std::string(decoded.begin(), decoded.end());
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<storage::StatusIndex> index;
  std::shared_ptr<const VerifierOptions> verify;  // set when verification is configured
  // The verifier of POST /v1/verify, replaced by SetVerifierOptions (SIGHUP).
  mutable std::mutex current_mu;
  std::shared_ptr<CurrentVerifier> current;  // set when `verify` is
  uint64_t built_before = 0;                 // verifiers built by replaced CurrentVerifiers
  std::shared_ptr<CurrentVerifier> Current() const {
    std::lock_guard lock(current_mu);
    return current;
  }
  std::string policy;  // GET /v1/policy; guarded by current_mu
  ServerOptions options;
  std::function<std::string()> extra_metrics;
  // Counters first: sessions still queued in `io` or `workers` are destroyed with
  // them and touch these on the way out.
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> connections{0};
  std::atomic<size_t> verify_requests{0};  // POST /v1/verify in progress
  std::atomic<uint64_t> verify_rejected{0}, accept_errors{0};
  std::array<std::array<std::atomic<uint64_t>, 6>, kRouteCount> requests{};  // by route and code class
  std::array<std::array<std::atomic<uint64_t>, kBuckets.size() + 1>, kRouteCount> latency{};
  std::array<std::atomic<uint64_t>, kRouteCount> latency_sum_us{};
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_backoff{io};
  bool accept_failing = false;
  // Verification batches, first come first served (oneTBB parallelises inside each).
  asio::thread_pool workers{1};
  // Batches waiting for `workers`. After the counters and `io`: a queued batch
  // holds its session, whose destructor touches both.
  struct VerifyJob {
    std::shared_ptr<const Verifier> verifier;
    std::vector<Record> records;
    std::function<void(std::string results)> done;  // on the worker thread
    // Instead of `done`: the results themselves (the VC API builds its own answer).
    std::function<void(std::vector<VerificationResult> results)> done_results;
  };
  std::mutex jobs_mu;
  std::deque<VerifyJob> jobs;
  std::atomic<uint64_t> verify_runs{0}, verify_records{0};
  void Submit(VerifyJob job);
  void VerifyRun(std::vector<VerifyJob>& run, size_t records);
  void Drain();
  io::ServerTls tls;
  std::vector<std::thread> threads;

  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  Response Handle(const Request& req, Route* route);
  Response Dispatch(const Request& req, Route* route);
  Response Json(unsigned status, std::string body, const Request& req) const;
  Response StatusRoute(std::string_view id, const Request& req);
  Response ListRoute(std::string_view path, const Request& req);
  Response BatchStatusRoute(const Request& req);
  Response PageRoute(const UiAsset& asset, const Request& req) const;
  Response PolicyRoute(const Request& req) const;
  std::string Metrics() const;
  int VerifyThreads() const {
    return options.verify_threads > 0 ? options.verify_threads : tbb::info::default_concurrency();
  }
  void Observe(Route r, unsigned status, double seconds) {
    ++requests[r][std::min<unsigned>(status / 100, 5)];
    size_t b = 0;
    while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
    ++latency[r][b];
    latency_sum_us[r] += static_cast<uint64_t>(seconds * 1e6);
  }
};

namespace {

// `req`: any request message (only its version and keep-alive are read).
template <class Req>
Response Plain(unsigned status, std::string body, const Req& req, const char* type = "text/plain") {
  Response res{static_cast<bhttp::status>(status), req.version()};
  res.set(bhttp::field::server, "credsweep");
  res.set(bhttp::field::content_type, type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

Response HttpServer::Impl::Json(unsigned status, std::string body, const Request& req) const {
  return Plain(status, std::move(body) + "\n", req, "application/json");
}

Response HttpServer::Impl::StatusRoute(std::string_view raw_id, const Request& req) {
  bool ok;
  std::string id = PercentDecode(raw_id, &ok);
  if (!ok || id.empty()) return Json(400, R"({"error":"bad credential id"})", req);
  auto r = index->Lookup(id);
  if (!r.ok()) return Json(503, R"({"error":"index unavailable"})", req);
  return Json(*r ? 200 : 404, io::StatusJson(id, *r, options.public_reasons), req);
}

namespace {

constexpr const char* kListMethods = "GET, HEAD, OPTIONS";

// Browsers and web wallets fetch lists from pages of other origins.
void AllowCrossOrigin(Response& res) {
  res.set(bhttp::field::access_control_allow_origin, "*");
  res.set(bhttp::field::access_control_expose_headers, "ETag, Cache-Control, Content-Length");
}

template <class Req>
Response NotAllowed(const char* allow, const Req& req) {
  Response res = Plain(405, "method not allowed\n", req);
  res.set(bhttp::field::allow, allow);
  return res;
}

}  // namespace

Response HttpServer::Impl::ListRoute(std::string_view path, const Request& req) {
  auto list = ReadPublishedList(options.lists_dir, path);
  if (!list.ok()) {
    if (list.status().code() == StatusCode::kNotFound) return Json(404, R"({"error":"not found"})", req);
    spdlog::warn("http: {}: {}", std::string(path), list.status().message());
    return Json(500, R"({"error":"the status list cannot be read"})", req);
  }
  if (req.method() == bhttp::verb::options) {  // a CORS preflight, or a plain OPTIONS
    Response res = Plain(204, "", req);
    res.erase(bhttp::field::content_type);
    res.set(bhttp::field::allow, kListMethods);
    AllowCrossOrigin(res);
    res.set(bhttp::field::access_control_allow_methods, kListMethods);
    res.set(bhttp::field::access_control_allow_headers, "If-None-Match, If-Modified-Since, Cache-Control");
    res.set(bhttp::field::access_control_max_age, "86400");
    return res;
  }
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) return NotAllowed(kListMethods, req);
  const std::string cache_control = "public, max-age=" + std::to_string(list->max_age);
  Response res{bhttp::status::not_modified, req.version()};
  if (auto inm = req.find(bhttp::field::if_none_match); inm == req.end() || inm->value() != list->etag) {
    res = Plain(200, std::move(list->body), req, list->content_type.c_str());
  } else {
    res.set(bhttp::field::server, "credsweep");
    res.keep_alive(req.keep_alive());
  }
  res.set(bhttp::field::etag, list->etag);
  res.set(bhttp::field::cache_control, cache_control);
  AllowCrossOrigin(res);
  return res;
}

Response HttpServer::Impl::BatchStatusRoute(const Request& req) {
  BatchStatusAnswer a = AnswerBatchStatus(*index, req.body(), options.public_reasons);
  return Json(a.status, std::move(a.body), req);
}

// The page and its files: no other origin may frame it, it loads nothing from
// elsewhere and talks only to this server (it holds applicants' credentials).
Response HttpServer::Impl::PageRoute(const UiAsset& asset, const Request& req) const {
  Response res = Plain(200, std::string(asset.body), req, std::string(asset.content_type).c_str());
  res.set("Content-Security-Policy",
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "form-action 'none'; base-uri 'none'; frame-ancestors 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set(bhttp::field::cache_control, "no-cache");
  return res;
}

Response HttpServer::Impl::PolicyRoute(const Request& req) const {
  std::string body;
  {
    std::lock_guard lock(current_mu);
    body = policy;
  }
  if (body.empty()) body = verify ? R"({"verification":true})" : R"({"verification":false})";
  Response res = Json(200, std::move(body), req);
  res.set(bhttp::field::cache_control, "no-cache");
  return res;
}

std::string HttpServer::Impl::Metrics() const {
  std::string out = "# HELP credsweep_http_requests_total HTTP requests by route and status class.\n"
                    "# TYPE credsweep_http_requests_total counter\n";
  static constexpr const char* kClass[] = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};
  for (int r = 0; r < kRouteCount; ++r) {
    for (int c = 1; c < 6; ++c) {
      uint64_t n = requests[r][c].load();
      if (n) out += "credsweep_http_requests_total{route=\"" + std::string(kRouteNames[r]) + "\",code=\"" + kClass[c] + "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP credsweep_http_request_duration_seconds HTTP request latency.\n"
         "# TYPE credsweep_http_request_duration_seconds histogram\n";
  for (int r = 0; r < kRouteCount; ++r) {
    uint64_t cum = 0, total = 0;
    for (const auto& b : latency[r]) total += b.load();
    if (!total) continue;
    std::string labels = "route=\"" + std::string(kRouteNames[r]) + "\"";
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cum += latency[r][b].load();
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[b]);
      out += "credsweep_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " + std::to_string(cum) + "\n";
    }
    out += "credsweep_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(total) + "\n";
    char sum[64];
    std::snprintf(sum, sizeof sum, "%.6f", latency_sum_us[r].load() / 1e6);
    out += "credsweep_http_request_duration_seconds_sum{" + labels + "} " + sum + "\n";
    out += "credsweep_http_request_duration_seconds_count{" + labels + "} " + std::to_string(total) + "\n";
  }
  out += "# TYPE credsweep_http_connections gauge\ncredsweep_http_connections " + std::to_string(connections.load()) + "\n";
  out += "# TYPE credsweep_http_verify_requests gauge\ncredsweep_http_verify_requests " +
         std::to_string(verify_requests.load()) + "\n";
  out += "# TYPE credsweep_http_verify_rejected_total counter\ncredsweep_http_verify_rejected_total " +
         std::to_string(verify_rejected.load()) + "\n";
  out += "# HELP credsweep_http_threads Threads serving HTTP connections (--http-threads).\n"
         "# TYPE credsweep_http_threads gauge\ncredsweep_http_threads " + std::to_string(std::max(1, options.threads)) + "\n";
  out += "# HELP credsweep_http_verify_threads Threads verifying POST /v1/verify batches (--verify-threads).\n"
         "# TYPE credsweep_http_verify_threads gauge\ncredsweep_http_verify_threads " +
         std::to_string(VerifyThreads()) + "\n";
  if (auto cur = Current()) {
    uint64_t built;
    {
      std::lock_guard lock(current_mu);
      built = built_before;
    }
    out += "# HELP credsweep_http_verifiers_built_total Verifiers built for POST /v1/verify (one per second in use).\n"
           "# TYPE credsweep_http_verifiers_built_total counter\ncredsweep_http_verifiers_built_total " +
           std::to_string(built + cur->built()) + "\n";
  }
  out += "# TYPE credsweep_http_verify_runs_total counter\ncredsweep_http_verify_runs_total " +
         std::to_string(verify_runs.load()) + "\n";
  out += "# TYPE credsweep_http_verified_records_total counter\ncredsweep_http_verified_records_total " +
         std::to_string(verify_records.load()) + "\n";
  out += "# TYPE credsweep_http_accept_errors_total counter\ncredsweep_http_accept_errors_total " +
         std::to_string(accept_errors.load()) + "\n";
  out += "# TYPE credsweep_index_records gauge\ncredsweep_index_records " + std::to_string(index->ApproximateCount()) + "\n";
  out += "# TYPE credsweep_index_events gauge\ncredsweep_index_events " + std::to_string(index->last_sequence()) + "\n";
  if (extra_metrics) out += extra_metrics();
  return out;
}

// A HEAD is answered as its GET, without the body (Content-Length still that of the body).
Response HttpServer::Impl::Handle(const Request& req, Route* route) {
  Response res = Dispatch(req, route);
  if (req.method() == bhttp::verb::head && !res.body().empty()) {
    size_t n = res.body().size();
    res.body().clear();
    res.content_length(n);
  }
  return res;
}

Response HttpServer::Impl::Dispatch(const Request& req, Route* route) {
  std::string_view target = req.target();
  if (size_t q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  const bool get = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  if (target == "/healthz") {
    *route = kHealth;
    return get ? Plain(200, "ok\n", req) : NotAllowed("GET, HEAD", req);
  }
  if (target == "/metrics") {
    *route = kMetrics;
    return get ? Plain(200, Metrics(), req, "text/plain; version=0.0.4") : NotAllowed("GET, HEAD", req);
  }
  constexpr std::string_view kCredPrefix = "/v1/credentials/", kStatusSuffix = "/status";
  if (target.starts_with(kCredPrefix) && target.ends_with(kStatusSuffix) &&
      target.size() > kCredPrefix.size() + kStatusSuffix.size()) {
    *route = kStatus;
    if (!get) return NotAllowed("GET, HEAD", req);
    return StatusRoute(
        target.substr(kCredPrefix.size(), target.size() - kCredPrefix.size() - kStatusSuffix.size()), req);
  }
  if (target == "/v1/status") {
    *route = kStatusBatch;
    return req.method() == bhttp::verb::post ? BatchStatusRoute(req) : NotAllowed("POST", req);
  }
  if (target == "/credentials/verify" || target == "/presentations/verify") {  // a POST is read by the session
    *route = kVcApi;
    if (req.method() != bhttp::verb::post) return NotAllowed("POST", req);
    return Json(503, R"({"error":"verification is not configured"})", req);
  }
  if (target == "/v1/verify") {  // a POST with verification configured streams instead
    *route = kVerify;
    if (req.method() != bhttp::verb::post) return NotAllowed("POST", req);
    return Json(503, R"({"error":"verification is not configured"})", req);
  }
  if (const UiAsset* asset = FindUiAsset(target)) {
    *route = kPage;
    return get ? PageRoute(*asset, req) : NotAllowed("GET, HEAD", req);
  }
  if (target == "/v1/policy") {
    *route = kPolicy;
    return get ? PolicyRoute(req) : NotAllowed("GET, HEAD", req);
  }
  if (!options.lists_dir.empty() && IsListPath(target)) {
    *route = kList;
    return ListRoute(target, req);
  }
  *route = kOther;
  return Json(404, R"({"error":"not found"})", req);
}

namespace {

constexpr size_t kSmallBodyBytes = 64 * 1024;  // bodies of routes other than POST /v1/verify
constexpr size_t kBodyChunk = 256 * 1024;      // POST /v1/verify body, read at most at a time
constexpr size_t kReadAheadBytes = 1u << 20;   // records held beyond the batch being verified
constexpr size_t kMaxPendingOutBytes = 1u << 20;  // results waiting for the client before batches pause
constexpr size_t kMaxMergedRecords = 4096;     // records of several requests verified in one pipeline run

// Holds one of the server's max_verify_requests places for as long as it lives.
class VerifySlot {
 public:
  explicit VerifySlot(std::atomic<size_t>* in_use) : in_use_(in_use) {}
  VerifySlot(const VerifySlot&) = delete;
  VerifySlot& operator=(const VerifySlot&) = delete;
  ~VerifySlot() { --*in_use_; }

 private:
  std::atomic<size_t>* in_use_;
};

// One connection. Handlers run one at a time (the stream's strand); at most one
// read, write or verification batch is in flight.
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  // `tls_ctx`: the TLS context this connection keeps using across reloads (null: TCP).
  template <class... Args>
  HttpSession(HttpServer::Impl& server, std::shared_ptr<asio::ssl::context> tls_ctx, tcp::socket socket,
              Args&&... tls)
      : server_(server), tls_ctx_(std::move(tls_ctx)), stream_(std::move(socket), std::forward<Args>(tls)...) {
    ++server_.connections;
  }
  ~HttpSession() { --server_.connections; }

  void Start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      Read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(server_.options.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->Close();
        self->Read();
      });
    }
  }

  void Read() {
    header_.emplace();
    header_->body_limit(server_.options.max_body_bytes);
    header_->header_limit(16 * 1024);
    beast::get_lowest_layer(stream_).expires_after(server_.options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *header_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->OnHeader(ec);
    });
  }

 private:
  void OnHeader(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || server_.stopping) return Close();
    start_ = std::chrono::steady_clock::now();
    route_ = kOther;
    if (ec) return Refuse(ec);
    const auto& h = header_->get();
    std::string_view target = h.target();
    target = target.substr(0, target.find('?'));
    // A page of another site may make a browser POST here without a CORS check (a
    // "simple" text/plain request): browsers say so in Sec-Fetch-Site, and such a
    // request is refused before its body is read. Clients that are not browsers
    // send no such header.
    if (h.method() != bhttp::verb::get && h.method() != bhttp::verb::head && h.method() != bhttp::verb::options) {
      auto site = h["Sec-Fetch-Site"];
      if (site == "cross-site" || site == "same-site") {
        route_ = kOther;
        return Write(Plain(403, R"({"error":"requests from other sites are refused"})" "\n", h, "application/json"),
                     true);
      }
    }
    if (target == "/v1/verify" && h.method() == bhttp::verb::post && server_.verify) return StartVerify();
    if ((target == "/credentials/verify" || target == "/presentations/verify") && h.method() == bhttp::verb::post &&
        server_.verify) {
      return StartVcApi(target == "/presentations/verify");
    }
    if (header_->content_length().value_or(0) > kSmallBodyBytes) return Refuse(bhttp::error::body_limit);
    const bool expect = ExpectsContinue(h);
    body_.emplace(std::move(*header_));
    body_->body_limit(kSmallBodyBytes);
    ContinueThen(expect, [self = this->shared_from_this()] {
      bhttp::async_read(self->stream_, self->buffer_, *self->body_,
                        [self](beast::error_code ec, size_t) { self->OnRead(ec); });
    });
  }

  template <class Fields>
  static bool ExpectsContinue(const bhttp::header<true, Fields>& h) {
    return h.version() >= 11 && beast::iequals(h[bhttp::field::expect], "100-continue");
  }

  // RFC 9110 §10.1.1: a client that sent "Expect: 100-continue" may wait for an
  // interim 100 before it sends the body (curl waits a second for bodies over 1 MiB).
  template <class Next>
  void ContinueThen(bool expect, Next next) {
    if (!expect) return next();
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    beast::get_lowest_layer(stream_).expires_after(server_.options.write_timeout);
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = this->shared_from_this(), next = std::move(next)](beast::error_code ec, size_t) mutable {
                        if (ec) return self->Close();
                        next();
                      });
  }

  void OnRead(beast::error_code ec) {
    if (ec == beast::error::timeout || server_.stopping) return Close();
    if (ec) return Refuse(ec);
    Request req = body_->release();
    Route route = kOther;
    Response res = server_.Handle(req, &route);
    route_ = route;
    Write(std::move(res), !res.keep_alive());
  }

  // Oversized or malformed: answer and hang up.
  void Refuse(beast::error_code ec) {
    Request dummy;
    dummy.version(11);
    bool big = ec == bhttp::error::body_limit;
    Write(Plain(big ? 413 : 400, big ? "body too large\n" : "bad request\n", dummy), true);
  }

  // One of the server's --max-verify-requests places for this request, checked
  // against the declared body size; false when refused (503 with Retry-After, or
  // 413), the answer written. The body is then not read: the connection cannot be
  // reused.
  bool TakeVerifySlot() {
    const auto& h = header_->get();
    if (server_.verify_requests.fetch_add(1) >= server_.options.max_verify_requests) {
      --server_.verify_requests;
      ++server_.verify_rejected;
      Response res = Plain(503, R"({"error":"too many verification requests in progress; retry later"})" "\n",
                           h, "application/json");
      res.set(bhttp::field::retry_after, "1");
      Write(std::move(res), true);
      return false;
    }
    slot_.emplace(&server_.verify_requests);
    if (header_->content_length().value_or(0) > server_.options.max_body_bytes) {
      slot_.reset();
      Refuse(bhttp::error::body_limit);
      return false;
    }
    return true;
  }

  // The VC API (POST /credentials/verify, /presentations/verify): one credential
  // or presentation in a JSON request, read whole (up to max_body_bytes), verified
  // on the worker like a batch of one, and answered 200 when verified, 422 when
  // not, 400 for a malformed request.
  void StartVcApi(bool presentation) {
    route_ = kVcApi;
    vc_api_presentation_ = presentation;
    const auto& h = header_->get();
    if (!TakeVerifySlot()) return;
    const bool expect = ExpectsContinue(h);
    body_.emplace(std::move(*header_));
    body_->body_limit(server_.options.max_body_bytes);
    ContinueThen(expect, [self = this->shared_from_this()] {
      beast::get_lowest_layer(self->stream_).expires_after(self->server_.options.read_timeout);
      bhttp::async_read(self->stream_, self->buffer_, *self->body_,
                        [self](beast::error_code ec, size_t) { self->OnVcApiBody(ec); });
    });
  }

  void OnVcApiBody(beast::error_code ec) {
    if (ec == beast::error::timeout || server_.stopping) {
      slot_.reset();
      return Close();
    }
    if (ec) {
      slot_.reset();
      return Refuse(ec);
    }
    auto req = std::make_shared<Request>(body_->release());
    const auto verifier = server_.Current()->Get();
    const bool presentation = vc_api_presentation_;
    auto parsed = std::make_shared<VcApiRequest>(
        presentation ? ParseVerifyPresentationRequest(req->body(), verifier->options().max_json_depth)
                     : ParseVerifyCredentialRequest(req->body(), verifier->options().max_json_depth));
    if (!parsed->error.empty()) {
      slot_.reset();
      std::string body;
      JsonWriter(&body).BeginObject().Member("error", parsed->error).EndObject();
      return Write(server_.Json(400, std::move(body), *req), !req->keep_alive());
    }
    // A server configured with --audience is that audience: a request may not name another.
    const std::string& audience = verifier->options().audience;
    if (presentation && !parsed->domain.empty() && !audience.empty() && parsed->domain != audience) {
      slot_.reset();
      std::string body;
      JsonWriter(&body).BeginObject().Member("error", "options.domain '" + parsed->domain +
                                                          "' is not this server's audience (--audience)").EndObject();
      return Write(server_.Json(400, std::move(body), *req), !req->keep_alive());
    }
    std::vector<Record> records;
    records.push_back(Record{"request", std::move(parsed->record), {}, parsed->domain, parsed->challenge});
    HttpServer::Impl::VerifyJob job{verifier, std::move(records), nullptr, nullptr};
    job.done_results = [self = this->shared_from_this(), req, parsed,
                        presentation](std::vector<VerificationResult> results) {
      asio::post(self->stream_.get_executor(), [self, req, parsed, presentation, results = std::move(results)]() mutable {
        self->slot_.reset();
        if (results.size() != 1) {
          return self->Write(self->server_.Json(500, R"({"error":"internal error while verifying"})", *req),
                             !req->keep_alive());
        }
        const unsigned required = self->server_.options.require;
        const bool is_presentation = results[0].kind() == ResultKind::kPresentation;
        if (presentation != is_presentation) {
          const CheckResult& format = results[0].check(CheckId::kFormat);
          std::string body;
          JsonWriter(&body).BeginObject().Member("error",
              !presentation ? std::string("the verifiableCredential is a presentation: POST it to /presentations/verify")
              : format.outcome == Outcome::kPass
                  ? std::string("the verifiablePresentation is a credential: POST it to /credentials/verify")
                  : "the verifiablePresentation cannot be read: " + format.code + ": " + format.message).EndObject();
          return self->Write(self->server_.Json(400, std::move(body), *req), !req->keep_alive());
        }
        bool verified = false;
        std::string body;
        if (presentation) {
          body = VerifyPresentationResponse(std::move(results[0]), required, *parsed, &verified);
        } else {
          verified = results[0].verified(required);
          body = VerifyCredentialResponse(results[0], verified);
        }
        self->Write(self->server_.Json(verified ? 200 : 422, std::move(body), *req), !req->keep_alive());
      });
    };
    server_.Submit(std::move(job));
  }

  // POST /v1/verify: the body is read, cut into records, verified in batches and
  // the results written back, with reading and writing overlapping verification:
  // while a batch is on the worker, the next part of the body is read (up to
  // kReadAheadBytes of records held) and earlier results are written. At most one
  // read, one write and one batch are in flight at a time (a full-duplex stream:
  // Beast's tcp_stream keeps a deadline per direction, and expires_after() sets
  // only the idle one's).
  void StartVerify() {
    route_ = kVerify;
    const auto& h = header_->get();
    if (!TakeVerifySlot()) return;
    auto type = h[bhttp::field::content_type];
    bool lines = type.find("jsonl") != std::string_view::npos || type.find("ndjson") != std::string_view::npos;
    records_.emplace(lines, BatchLimits{});
    verifier_ = server_.Current()->Get();  // verified at this request's second
    chunk_.resize(kBodyChunk);
    body_done_ = batch_busy_ = reading_ = writing_ = false;
    pending_out_.clear();
    stream_keep_ = h.keep_alive();
    const bool expect = ExpectsContinue(h);
    stream_header_ = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::ok, h.version());
    stream_header_->set(bhttp::field::server, "credsweep");
    stream_header_->set(bhttp::field::content_type, "application/x-ndjson");
    stream_header_->chunked(true);
    stream_header_->keep_alive(stream_keep_);
    verify_body_.emplace(std::move(*header_));
    verify_body_->body_limit(server_.options.max_body_bytes);
    stream_serializer_ = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*stream_header_);
    writing_ = true;
    ContinueThen(expect, [self = this->shared_from_this()] {
      beast::get_lowest_layer(self->stream_).expires_after(self->server_.options.write_timeout);
      bhttp::async_write_header(self->stream_, *self->stream_serializer_, [self](beast::error_code ec, size_t) {
        self->writing_ = false;
        if (ec) return self->FailVerify();
        self->Pump();
      });
    });
  }

  // Starts whatever can start now; called after every completion.
  void Pump() {
    if (failed_) return;
    bool starved = false;  // no complete record is held: only more body can help
    if (!batch_busy_ && pending_out_.size() < kMaxPendingOutBytes) {
      auto batch = std::make_shared<std::vector<Record>>();
      if (records_->TakeBatch(batch.get())) {
        SubmitBatch(std::move(*batch));
      } else {
        starved = true;
      }
    }
    if (!writing_ && !pending_out_.empty()) WriteResults();
    if (!reading_ && !body_done_ && (starved || records_->held_bytes() < kReadAheadBytes)) ReadBody();
    if (body_done_ && !reading_ && !writing_ && !batch_busy_ && pending_out_.empty() && records_->done()) {
      FinishVerify();
    }
  }

  void SubmitBatch(std::vector<Record> batch) {
    batch_busy_ = true;
    server_.Submit({verifier_, std::move(batch), [self = this->shared_from_this()](std::string out) {
                      asio::post(self->stream_.get_executor(),
                                 [self, out = std::move(out)]() mutable { self->OnBatchDone(std::move(out)); });
                    }});
  }

  void OnBatchDone(std::string out) {
    batch_busy_ = false;
    if (pending_out_.empty()) {
      pending_out_ = std::move(out);
    } else {
      pending_out_ += out;
    }
    Pump();
  }

  void ReadBody() {
    reading_ = true;
    verify_body_->get().body().data = chunk_.data();
    verify_body_->get().body().size = chunk_.size();
    beast::get_lowest_layer(stream_).expires_after(server_.options.read_timeout);
    // read_some: what has arrived is verified now, not once a whole chunk has.
    bhttp::async_read_some(stream_, buffer_, *verify_body_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->reading_ = false;
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        // The 200 is out: a body that breaks off or grows past the limit ends the
        // response without its last chunk, which the client sees as incomplete.
        if (ec != beast::error::timeout) spdlog::info("POST /v1/verify: body refused: {}", ec.message());
        return self->FailVerify();
      }
      size_t n = self->chunk_.size() - self->verify_body_->get().body().size;
      self->records_->Feed(std::string_view(self->chunk_.data(), n));
      if (self->verify_body_->is_done()) {
        self->records_->Finish();
        self->body_done_ = true;
      }
      self->Pump();
    });
  }

  // The results verified so far, as one chunk: one write however many batches they span.
  void WriteResults() {
    writing_ = true;
    auto data = std::make_shared<std::string>(std::move(pending_out_));
    pending_out_.clear();
    beast::get_lowest_layer(stream_).expires_after(server_.options.write_timeout);
    asio::async_write(stream_, bhttp::make_chunk(asio::buffer(*data)),
                      [self = this->shared_from_this(), data](beast::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec) return self->FailVerify();
                        self->Pump();
                      });
  }

  // A batch may still be on the worker: it finds failed_ set and its session
  // closed, and the session goes when it lets go.
  void FailVerify() {
    failed_ = true;
    Close();
  }

  void FinishVerify() {
    writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(server_.options.write_timeout);
    asio::async_write(stream_, bhttp::make_chunk_last(), [self = this->shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->server_.Observe(kVerify, 200,
                            std::chrono::duration<double>(std::chrono::steady_clock::now() - self->start_).count());
      self->slot_.reset();
      self->records_.reset();
      self->verifier_.reset();
      self->verify_body_.reset();
      self->stream_serializer_.reset();
      self->stream_header_.reset();
      self->chunk_ = std::string();
      if (ec || !self->stream_keep_ || self->server_.stopping) return self->Close();
      self->Read();
    });
  }

  void Write(Response res, bool close) {
    unsigned status = res.result_int();
    server_.Observe(route_, status,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    if (close) res.keep_alive(false);
    auto sp = std::make_shared<Response>(std::move(res));
    beast::get_lowest_layer(stream_).expires_after(server_.options.write_timeout);
    bhttp::async_write(stream_, *sp, [self = this->shared_from_this(), sp, close](beast::error_code ec, size_t) {
      if (ec || close || self->server_.stopping) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
    beast::get_lowest_layer(stream_).socket().close(ec);
  }

  HttpServer::Impl& server_;
  std::shared_ptr<asio::ssl::context> tls_ctx_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  Route route_ = kOther;
  bool vc_api_presentation_ = false;  // the VC API request is POST /presentations/verify
  // POST /v1/verify in progress.
  std::optional<VerifySlot> slot_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> verify_body_;
  std::optional<BodyRecords> records_;
  std::shared_ptr<const Verifier> verifier_;
  std::string chunk_;        // kBodyChunk while a POST /v1/verify is read
  std::string pending_out_;  // results not yet written
  bool body_done_ = false, batch_busy_ = false, reading_ = false, writing_ = false, failed_ = false;
  bool stream_keep_ = false;
  std::shared_ptr<bhttp::response<bhttp::empty_body>> stream_header_;
  std::shared_ptr<bhttp::response_serializer<bhttp::empty_body>> stream_serializer_;
};

}  // namespace

void HttpServer::Impl::Submit(VerifyJob job) {
  {
    std::lock_guard lock(jobs_mu);
    jobs.push_back(std::move(job));
  }
  asio::post(workers, [this] { Drain(); });
}

// Takes the queued batches, first come first served, and verifies those that share
// a Verifier in one pipeline run: concurrent small requests cost one run, not one
// each (a run has a fixed cost: the task arena, waking its threads).
void HttpServer::Impl::Drain() {
  std::vector<VerifyJob> run;
  size_t records = 0;
  {
    std::lock_guard lock(jobs_mu);
    while (!jobs.empty() && (run.empty() || (jobs.front().verifier == run.front().verifier &&
                                             records + jobs.front().records.size() <= kMaxMergedRecords))) {
      records += jobs.front().records.size();
      run.push_back(std::move(jobs.front()));
      jobs.pop_front();
    }
  }
  if (run.empty()) return;  // an earlier Drain took this one's batch
  // The verify job's fence: records already have theirs (the pipeline's); anything
  // else that throws ends these requests' batches with an error line, not the server.
  try {
    VerifyRun(run, records);
  } catch (const std::exception& e) {
    spdlog::error("http: internal error in a verify job (a bug in credsweep): {}", e.what());
    for (auto& job : run) {
      if (job.done) job.done("{\"error\":\"internal error while verifying this batch\"}\n");
      if (job.done_results) job.done_results({});  // answered 500 by the session
    }
  }
}

void HttpServer::Impl::VerifyRun(std::vector<VerifyJob>& run, size_t records) {
  std::vector<std::string> out(run.size());
  std::vector<std::vector<VerificationResult>> kept(run.size());
  size_t in_job = 0, in_record = 0, out_job = 0, out_left = run[0].records.size();
  PipelineOptions po;
  po.threads = options.verify_threads;
  po.batch_records = 16;
  RunPipeline(
      *run.front().verifier,
      [&](Record* r) {
        while (in_job < run.size() && in_record == run[in_job].records.size()) ++in_job, in_record = 0;
        if (in_job == run.size()) return false;
        *r = std::move(run[in_job].records[in_record++]);
        return true;
      },
      [&](const Record&, VerificationResult&& res) {  // in input order
        while (out_left == 0) out_left = run[++out_job].records.size();
        --out_left;
        if (run[out_job].done_results) {
          kept[out_job].push_back(std::move(res));
        } else {
          // A presentation's line, then its credentials' (request:N#K).
          VerificationResult::Flatten(std::move(res), options.require, [&](VerificationResult&& line, bool ok) {
            io::AppendResultJson(line, ok, &out[out_job]);
          });
        }
      },
      po);
  ++verify_runs;
  verify_records += records;
  for (size_t i = 0; i < run.size(); ++i) {
    if (run[i].done_results) {
      auto done = std::move(run[i].done_results);
      run[i].done_results = nullptr;  // answered: the fence must not answer it again
      done(std::move(kept[i]));
      continue;
    }
    auto done = std::move(run[i].done);
    run[i].done = nullptr;
    done(std::move(out[i]));
  }
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(io),
                        [this](beast::error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void HttpServer::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping) return;
  if (ec) {
    ++accept_errors;
    if (io::AcceptShouldBackOff(ec)) {
      // Out of descriptors: accepting again at once would fail again at once.
      if (!accept_failing) spdlog::warn("http: cannot accept connections: {}; retrying every {} ms", ec.message(),
                                        io::kAcceptBackoff.count());
      accept_failing = true;
      accept_backoff.expires_after(io::kAcceptBackoff);
      accept_backoff.async_wait([this](beast::error_code) {
        if (!stopping) Accept();
      });
      return;
    }
    return Accept();
  }
  accept_failing = false;
  if (connections.load() >= options.max_connections) {
    beast::error_code e;
    socket.close(e);
  } else if (auto ctx = tls.Get()) {
    std::make_shared<HttpSession<beast::ssl_stream<beast::tcp_stream>>>(*this, ctx, std::move(socket), *ctx)->Start();
  } else {
    std::make_shared<HttpSession<beast::tcp_stream>>(*this, nullptr, std::move(socket))->Start();
  }
  Accept();
}

HttpServer::HttpServer(std::shared_ptr<storage::StatusIndex> index, std::shared_ptr<const VerifierOptions> verify,
                       ServerOptions options, std::function<std::string()> extra_metrics)
    : impl_(std::make_unique<Impl>()) {
  impl_->index = std::move(index);
  impl_->verify = std::move(verify);
  if (impl_->verify) impl_->current = std::make_shared<CurrentVerifier>(*impl_->verify);
  impl_->options = std::move(options);
  impl_->extra_metrics = std::move(extra_metrics);
}

HttpServer::~HttpServer() { Shutdown(); }

Status HttpServer::Listen() {
  if (Status s = ReloadTls(); !s.ok()) return s;
  return io::Listen(impl_->acceptor, impl_->options.host, impl_->options.port);
}

Status HttpServer::ReloadTls() {
  if (impl_->options.tls_cert_file.empty()) return Status::Ok();
  return impl_->tls.Load(impl_->options.tls_cert_file, impl_->options.tls_key_file);
}

bool HttpServer::SetVerifierOptions(std::shared_ptr<const VerifierOptions> verify) {
  if (!impl_->verify || !verify) return false;
  auto fresh = std::make_shared<CurrentVerifier>(*verify);
  std::lock_guard lock(impl_->current_mu);
  impl_->built_before += impl_->current->built();
  impl_->current = std::move(fresh);
  return true;
}

const ServerOptions& HttpServer::options() const { return impl_->options; }

void HttpServer::SetPolicy(std::string json) {
  std::lock_guard lock(impl_->current_mu);
  impl_->policy = std::move(json);
}

uint16_t HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::Start() {
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { io::RunFenced(impl_->io, "http"); });
  }
}

void HttpServer::Shutdown() {
  if (impl_->threads.empty()) return;
  impl_->stopping = true;
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    impl_->accept_backoff.cancel();
  });
  // Give open connections (and the verification batches they wait for) a moment
  // to finish what they owe, then stop.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (impl_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  impl_->workers.stop();
  impl_->workers.join();
}

}  // namespace credsweep::io::http
