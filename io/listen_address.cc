#include "io/listen_address.h"

#include <boost/asio/ip/address.hpp>

namespace credsweep::io {

namespace {

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgument("expected HOST:PORT (e.g. 127.0.0.1:6380, [::1]:6380, localhost:6380, :6380), got '" +
                         std::string(text.substr(0, 128)) + "': " + std::string(why));
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return Bad(text, "no port");
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) {
    return Bad(text, "the port must be a number from 0 to 65535");
  }
  unsigned long p = std::stoul(std::string(port));
  if (p > 65535) return Bad(text, "the port must be a number from 0 to 65535");
  ListenAddress out;
  out.port = static_cast<uint16_t>(p);
  if (host.empty()) {
    out.host = "0.0.0.0";
  } else if (host == "localhost") {
    out.host = "127.0.0.1";
  } else {
    bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
    if (bracketed) host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(std::string(host), ec);
    if (ec || addr.is_v6() != bracketed) {
      return Bad(text, "the host must be an IPv4 address, an IPv6 address in brackets, or localhost");
    }
    out.host = addr.to_string();
  }
  out.all_interfaces = boost::asio::ip::make_address(out.host).is_unspecified();
  return out;
}

}  // namespace credsweep::io
