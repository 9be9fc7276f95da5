// Listener plumbing shared by the RESP and HTTP servers: TLS server contexts and
// bound, listening acceptors. boost::system errors are translated here.
#ifndef CREDSWEEP_IO_NET_H_
#define CREDSWEEP_IO_NET_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep::io {

// A TLS 1.2+ server context from a PEM certificate chain and key.
Status MakeServerTls(const std::string& cert_file, const std::string& key_file,
                     std::optional<boost::asio::ssl::context>* out);

// A listener's TLS context, replaceable while connections use the one they started
// with (SIGHUP reloads the certificate): each connection holds a reference to its
// context. Thread-safe.
class ServerTls {
 public:
  // Reads the PEM chain and key; on success new connections use them, on failure
  // (unreadable files, a key that does not match the certificate) nothing changes.
  Status Load(const std::string& cert_file, const std::string& key_file);
  // The current context; null before a successful Load (plain TCP).
  std::shared_ptr<boost::asio::ssl::context> Get() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> ctx_;
};

// Opens, binds (SO_REUSEADDR) and listens on host:port.
Status Listen(boost::asio::ip::tcp::acceptor& acceptor, const std::string& host, uint16_t port);

// True when accept() failed for lack of descriptors or memory (EMFILE, ENFILE,
// ENOBUFS, ENOMEM). The pending connection stays in the backlog, so accepting again
// at once fails again: an accept loop waits kAcceptBackoff first instead of spinning.
bool AcceptShouldBackOff(const boost::system::error_code& ec);

// Runs `io` until it has no more work, as io.run() does, but an exception escaping
// a handler (a bug) is logged with `what` and the loop goes on: the session that
// threw is lost, the server and its other clients are not. The Asio side of the
// engine's two exception fences (the other is the pipeline's per-record fence).
void RunFenced(boost::asio::io_context& io, std::string_view what);
inline constexpr std::chrono::milliseconds kAcceptBackoff{100};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_NET_H_
