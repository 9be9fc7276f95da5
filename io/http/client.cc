#include "io/http/client.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "io/http/address_policy.h"
#include "io/http/url.h"

namespace credsweep::io {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Every transport failure inside this file; Fetch() names what was fetched.
constexpr char kUnavailable[] = "server unavailable";
constexpr size_t kMaxHeaderBytes = 64 * 1024;

// Every transport failure is the same answer: a forged record must not learn from
// the message whether a port is open, closed or filtered. The cause (never the
// request target, which may carry a token) goes to the debug log.
// boost::system::error_code stays in this file: translated where it enters.
Status Unavailable(const std::string& host, const char* stage, const beast::error_code& ec) {
  spdlog::debug("document fetch from {}: {}: {}", host, stage, ec.message());
  return IoError(kUnavailable);
}

struct Response {
  unsigned code = 0;
  std::string location;
  std::string body;
};

bool IsRedirect(unsigned code) { return code == 301 || code == 302 || code == 303 || code == 307 || code == 308; }

// getaddrinfo has no timeout, and asio's asynchronous resolver joins its thread when
// its io_context is destroyed, so a resolver that never answers would hold the fetch
// past its deadline. Resolution runs on a detached thread instead; when the deadline
// passes first, the fetch returns and the thread's late result is dropped.
Result<std::vector<tcp::endpoint>> Resolve(const HttpUrl& u, Clock::time_point deadline) {
  beast::error_code ec;
  asio::ip::address literal = asio::ip::make_address(u.host, ec);
  if (!ec) return std::vector<tcp::endpoint>{tcp::endpoint(literal, u.port)};
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    beast::error_code ec;
    std::vector<tcp::endpoint> endpoints;
  };
  auto shared = std::make_shared<Shared>();
  std::thread([shared, host = u.host, port = std::to_string(u.port)] {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::error_code err;
    auto results = resolver.resolve(host, port, tcp::resolver::numeric_service, err);
    std::vector<tcp::endpoint> endpoints;
    for (const auto& r : results) endpoints.push_back(r.endpoint());
    std::lock_guard lock(shared->mu);
    shared->ec = err;
    shared->endpoints = std::move(endpoints);
    shared->done = true;
    shared->cv.notify_all();
  }).detach();
  std::unique_lock lock(shared->mu);
  if (!shared->cv.wait_until(lock, deadline, [&] { return shared->done; })) {
    return Unavailable(u.host, "resolving", asio::error::timed_out);
  }
  if (shared->ec) return Unavailable(u.host, "resolving", shared->ec);
  return std::move(shared->endpoints);
}

// One GET on a connected stream (plain or TLS); the caller's stream timer bounds it.
template <typename Stream>
asio::awaitable<Result<Response>> Transact(Stream& stream, const HttpUrl& u, size_t max_body_bytes) {
  beast::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  http::request<http::empty_body> req(http::verb::get, u.target, 11);
  req.set(http::field::host, u.HostHeader());
  req.set(http::field::user_agent, "credsweep/0.1");
  req.set(http::field::accept, "application/vc+jwt, application/vc+ld+json, application/json, */*");
  req.set(http::field::connection, "close");
  co_await http::async_write(stream, req, token);
  if (ec) co_return Unavailable(u.host, "sending the request", ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  parser.header_limit(kMaxHeaderBytes);
  co_await http::async_read(stream, buffer, parser, token);
  if (ec == http::error::body_limit) {
    co_return IoError("the response exceeds the " + std::to_string(max_body_bytes) + "-byte body limit");
  }
  if (ec) co_return Unavailable(u.host, "reading the response", ec);
  auto res = parser.release();
  Response out;
  out.code = res.result_int();
  if (auto loc = res.find(http::field::location); loc != res.end()) out.location = std::string(loc->value());
  out.body = std::move(res.body());
  co_return out;
}

// Connects, handshakes (https) and transacts, every step under the stream's one
// timer set to the fetch's deadline.
asio::awaitable<void> Exchange(const HttpUrl& u, const std::vector<tcp::endpoint>& endpoints,
                               Clock::time_point deadline, size_t max_body_bytes, asio::ssl::context* tls,
                               Result<Response>* out) {
  auto executor = co_await asio::this_coro::executor;
  beast::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  if (!u.tls) {
    beast::tcp_stream stream(executor);
    stream.expires_at(deadline);
    co_await stream.async_connect(endpoints, token);
    if (ec) {
      *out = Unavailable(u.host, "connecting", ec);
      co_return;
    }
    *out = co_await Transact(stream, u, max_body_bytes);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(executor, *tls);
  stream.next_layer().expires_at(deadline);
  beast::error_code literal_ec;
  asio::ip::make_address(u.host, literal_ec);
  if (literal_ec && !SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str())) {  // SNI: names only
    *out = Unavailable(u.host, "setting the TLS server name", asio::error::invalid_argument);
    co_return;
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(u.host));
  co_await stream.next_layer().async_connect(endpoints, token);
  if (ec) {
    *out = Unavailable(u.host, "connecting", ec);
    co_return;
  }
  co_await stream.async_handshake(asio::ssl::stream_base::client, token);
  if (ec) {
    *out = Unavailable(u.host, "TLS handshake", ec);
    co_return;
  }
  *out = co_await Transact(stream, u, max_body_bytes);
  // No TLS close_notify exchange: the response is complete, and a peer that never
  // answers it must not hold the fetch.
}

}  // namespace

struct HttpListSource::Impl {
  HttpOptions options;
  mutable std::once_flag tls_once;
  mutable std::unique_ptr<asio::ssl::context> tls;

  asio::ssl::context* Tls() const {
    std::call_once(tls_once, [this] {
      tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
      tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
      tls->set_default_verify_paths();
      tls->set_verify_mode(asio::ssl::verify_peer);
    });
    return tls.get();
  }

  Result<Response> RunExchange(const HttpUrl& u, const std::vector<tcp::endpoint>& endpoints,
                               Clock::time_point deadline) const {
    asio::io_context ioc;
    Result<Response> out = IoError(kUnavailable);
    bool done = false;
    asio::co_spawn(ioc, Exchange(u, endpoints, deadline, options.max_body_bytes, u.tls ? Tls() : nullptr, &out),
                   [&](std::exception_ptr e) {
                     if (e) out = Internal("unexpected failure while fetching a document");
                     done = true;
                   });
    ioc.run_until(deadline);
    // Past the deadline the stream's timer has cancelled every operation; if the
    // coroutine has not seen it yet, destroying `ioc` destroys it.
    if (!done) return Unavailable(u.host, "waiting for the server", asio::error::timed_out);
    return out;
  }

  Result<std::string> Get(HttpUrl u) const {
    const Clock::time_point deadline = Clock::now() + options.timeout;
    auto endpoints = Resolve(u, deadline);
    if (!endpoints.ok()) return endpoints.status();
    if (!options.allow_private_addresses) {
      std::erase_if(*endpoints, [](const tcp::endpoint& e) { return !IsPublicAddress(e.address()); });
      if (endpoints->empty()) {
        return Unsupported("refused: the host has no public address (loopback, private, link-local and "
                           "multicast addresses need --allow-private-addresses)");
      }
    }
    // Redirects stay on the same scheme, host and port, so the addresses checked
    // above serve every hop.
    for (int hop = 0;; ++hop) {
      auto res = RunExchange(u, *endpoints, deadline);
      if (!res.ok()) return res.status();
      if (!IsRedirect(res->code)) {
        // 404 and 410 say the document does not exist; any other answer is a
        // server that could not give it now (never read as "there is none").
        if (res->code == 404 || res->code == 410) return NotFound("HTTP " + std::to_string(res->code));
        if (res->code != 200) return IoError("HTTP " + std::to_string(res->code));
        return std::move(res->body);
      }
      if (hop >= options.max_redirects) {
        return Unsupported("refused: more than " + std::to_string(options.max_redirects) + " redirects");
      }
      auto next = ResolveLocation(u, res->location);
      if (!next.ok() || !next->SameOrigin(u)) {
        return Unsupported("refused: HTTP " + std::to_string(res->code) +
                           " redirect to another scheme, host or port (or without a usable Location)");
      }
      u = std::move(next).value();
    }
  }
};

HttpListSource::HttpListSource(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
HttpListSource::~HttpListSource() = default;

Result<std::string> HttpListSource::Fetch(std::string_view url) const {
  auto u = ParseHttpUrl(url);
  if (!u.ok()) return u.status();
  const std::string unavailable = impl_->options.what + " " + kUnavailable;
  try {
    auto r = impl_->Get(std::move(u).value());
    if (!r.ok() && r.status().message() == kUnavailable) return IoError(unavailable);
    return r;
  } catch (const std::exception& e) {  // asio and std::thread may throw on resource exhaustion
    spdlog::debug("document fetch: {}", e.what());
    return IoError(unavailable);
  }
}

}  // namespace credsweep::io
