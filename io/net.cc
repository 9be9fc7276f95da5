#include "io/net.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>

namespace credsweep::io {

namespace asio = boost::asio;

Status MakeServerTls(const std::string& cert_file, const std::string& key_file,
                     std::optional<asio::ssl::context>* out) {
  out->emplace(asio::ssl::context::tls_server);
  boost::system::error_code ec;
  (*out)->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  (*out)->use_certificate_chain_file(cert_file, ec);
  if (!ec) (*out)->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) {
    out->reset();
    return InvalidArgument("TLS certificate or key unusable: " + ec.message());
  }
  return Status::Ok();
}

Status ServerTls::Load(const std::string& cert_file, const std::string& key_file) {
  std::optional<asio::ssl::context> fresh;
  if (Status s = MakeServerTls(cert_file, key_file, &fresh); !s.ok()) return s;
  auto ctx = std::make_shared<asio::ssl::context>(std::move(*fresh));
  std::lock_guard lock(mu_);
  ctx_ = std::move(ctx);
  return Status::Ok();
}

std::shared_ptr<asio::ssl::context> ServerTls::Get() const {
  std::lock_guard lock(mu_);
  return ctx_;
}

Status Listen(asio::ip::tcp::acceptor& acceptor, const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return InvalidArgument("bad listen address " + host + ": " + ec.message());
  asio::ip::tcp::endpoint ep(addr, port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return IoError("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  return Status::Ok();
}

bool AcceptShouldBackOff(const boost::system::error_code& ec) {
  namespace errc = boost::system::errc;
  return ec == errc::too_many_files_open || ec == errc::too_many_files_open_in_system ||
         ec == errc::no_buffer_space || ec == errc::not_enough_memory;
}

void RunFenced(boost::asio::io_context& io, std::string_view what) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("{}: internal error in a connection handler (a bug in credsweep): {}", what, e.what());
    } catch (...) {
      spdlog::error("{}: internal error in a connection handler (a bug in credsweep)", what);
    }
  }
}

}  // namespace credsweep::io
