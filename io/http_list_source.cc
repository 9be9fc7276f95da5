#include "io/http_list_source.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <mutex>

namespace credsweep::io {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

struct Url {
  bool tls = false;
  std::string host, port, target;
};

Result<Url> ParseUrl(std::string_view url) {
  Url u;
  if (url.starts_with("https://")) {
    u.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return InvalidArgument("not an http(s) URL: " + std::string(url));
  }
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (size_t hash = u.target.find('#'); hash != std::string::npos) u.target.resize(hash);
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    u.host = std::string(authority.substr(0, colon));
    u.port = std::string(authority.substr(colon + 1));
  } else {
    u.host = std::string(authority);
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty()) return InvalidArgument("URL without a host");
  return u;
}

// boost::system::error_code stays in this file: translated where it enters.
Status NetError(const std::string& what, const beast::error_code& ec) {
  return IoError(what + ": " + ec.message());
}

}  // namespace

struct HttpListSource::Impl {
  HttpOptions options;
  mutable std::once_flag tls_once;
  mutable std::unique_ptr<asio::ssl::context> tls;

  template <typename Stream>
  Result<http::response<http::string_body>> Exchange(Stream& stream, const Url& u) const {
    http::request<http::empty_body> req(http::verb::get, u.target, 11);
    req.set(http::field::host, u.host);
    req.set(http::field::user_agent, "credsweep/0.1");
    req.set(http::field::accept, "application/vc+jwt, application/vc+ld+json, application/json, */*");
    beast::error_code ec;
    http::write(stream, req, ec);
    if (ec) return NetError("sending the request", ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    parser.header_limit(64 * 1024);
    http::read(stream, buffer, parser, ec);
    if (ec) return NetError("reading the response", ec);
    return parser.release();
  }

  Result<std::string> Get(const Url& u, int redirects_left) const {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(u.host, u.port, ec);
    if (ec) return NetError("resolving " + u.host, ec);
    Result<http::response<http::string_body>> res = Internal("no response");
    if (u.tls) {
      std::call_once(tls_once, [this] {
        tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
        tls->set_default_verify_paths();
        tls->set_verify_mode(asio::ssl::verify_peer);
      });
      beast::ssl_stream<beast::tcp_stream> stream(ioc, *tls);
      stream.next_layer().expires_after(options.timeout);
      if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str())) {
        return IoError("cannot set TLS server name");
      }
      stream.set_verify_callback(asio::ssl::host_name_verification(u.host));
      stream.next_layer().connect(endpoints, ec);
      if (ec) return NetError("connecting to " + u.host, ec);
      stream.handshake(asio::ssl::stream_base::client, ec);
      if (ec) return NetError("TLS handshake with " + u.host, ec);
      res = Exchange(stream, u);
      stream.shutdown(ec);  // a peer closing without close_notify is common; ignore
    } else {
      beast::tcp_stream stream(ioc);
      stream.expires_after(options.timeout);
      stream.connect(endpoints, ec);
      if (ec) return NetError("connecting to " + u.host, ec);
      res = Exchange(stream, u);
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    }
    if (!res.ok()) return res.status();
    unsigned code = res->result_int();
    if (code >= 300 && code < 400 && redirects_left > 0) {
      auto loc = res->find(http::field::location);
      if (loc == res->end()) return IoError("redirect without a Location");
      auto next = ParseUrl(std::string(loc->value()));
      if (!next.ok()) return next.status();
      if (u.tls && !next->tls) return IoError("refusing a redirect from https to http");
      return Get(*next, redirects_left - 1);
    }
    if (code != 200) return NotFound("HTTP " + std::to_string(code));
    return std::move(res->body());
  }
};

HttpListSource::HttpListSource(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
HttpListSource::~HttpListSource() = default;

Result<std::string> HttpListSource::Fetch(std::string_view url) const {
  auto u = ParseUrl(url);
  if (!u.ok()) return u.status();
  try {
    return impl_->Get(*u, impl_->options.max_redirects);
  } catch (const std::exception& e) {  // asio may throw on resource exhaustion
    return IoError(std::string("fetching ") + std::string(url) + ": " + e.what());
  }
}

}  // namespace credsweep::io
