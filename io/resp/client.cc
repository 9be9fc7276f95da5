#include "io/resp/client.h"

#include <boost/asio.hpp>

namespace credsweep::io::resp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr size_t kMaxReplyBytes = 64u << 20;
constexpr int kMaxDepth = 8;
}  // namespace

struct Client::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  std::chrono::milliseconds timeout;
  std::string buf;  // received, not yet parsed
  size_t pos = 0;

  // Runs the io_context until `done` or the deadline.
  Status RunFor(const bool& done, const char* what) {
    io.restart();
    io.run_for(timeout);
    if (!done) {
      boost::system::error_code ec;
      socket.close(ec);
      return IoError(std::string(what) + ": timed out");
    }
    return Status::Ok();
  }

  Status Fill() {
    if (buf.size() - pos > kMaxReplyBytes) return IoError("reply too large");
    char chunk[16384];
    bool done = false;
    boost::system::error_code err;
    size_t got = 0;
    socket.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, size_t n) {
      err = ec;
      got = n;
      done = true;
    });
    if (Status s = RunFor(done, "reading the reply"); !s.ok()) return s;
    if (err) return IoError("reading the reply: " + err.message());
    buf.append(chunk, got);
    return Status::Ok();
  }

  Result<std::string> Line() {
    while (true) {
      size_t nl = buf.find("\r\n", pos);
      if (nl != std::string::npos) {
        std::string line = buf.substr(pos, nl - pos);
        pos = nl + 2;
        return line;
      }
      if (Status s = Fill(); !s.ok()) return s;
    }
  }

  Result<Reply> Parse(int depth) {
    if (depth > kMaxDepth) return Corruption("reply nested too deeply");
    auto line = Line();
    if (!line.ok()) return line.status();
    if (line->empty()) return Corruption("empty reply line");
    Reply r;
    char t = (*line)[0];
    std::string rest = line->substr(1);
    try {
      switch (t) {
        case '+': r.type = Reply::Type::kSimple; r.str = rest; return r;
        case '-': r.type = Reply::Type::kError; r.str = rest; return r;
        case ':': r.type = Reply::Type::kInteger; r.integer = std::stoll(rest); return r;
        case '$': {
          long long n = std::stoll(rest);
          if (n < 0) return r;  // nil
          if (static_cast<size_t>(n) > kMaxReplyBytes) return Corruption("bulk reply too large");
          while (buf.size() - pos < static_cast<size_t>(n) + 2) {
            if (Status s = Fill(); !s.ok()) return s;
          }
          r.type = Reply::Type::kBulk;
          r.str = buf.substr(pos, static_cast<size_t>(n));
          pos += static_cast<size_t>(n) + 2;
          return r;
        }
        case '*': {
          long long n = std::stoll(rest);
          if (n < 0) return r;
          if (n > 1000000) return Corruption("array reply too long");
          r.type = Reply::Type::kArray;
          for (long long i = 0; i < n; ++i) {
            auto e = Parse(depth + 1);
            if (!e.ok()) return e.status();
            r.elements.push_back(std::move(e).value());
          }
          return r;
        }
      }
    } catch (const std::exception&) {
      return Corruption("malformed reply: " + *line);
    }
    return Corruption("unknown reply type '" + std::string(1, t) + "'");
  }
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::Connect(const std::string& address, std::chrono::milliseconds timeout) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--server: expected HOST:PORT, got " + address);
  auto impl = std::make_unique<Impl>();
  impl->timeout = timeout;
  boost::system::error_code ec;
  tcp::resolver resolver(impl->io);
  auto endpoints = resolver.resolve(address.substr(0, colon), address.substr(colon + 1), ec);
  if (ec) return IoError("resolving " + address + ": " + ec.message());
  bool done = false;
  boost::system::error_code err;
  asio::async_connect(impl->socket, endpoints, [&](boost::system::error_code e, const tcp::endpoint&) {
    err = e;
    done = true;
  });
  if (Status s = impl->RunFor(done, ("connecting to " + address).c_str()); !s.ok()) return s;
  if (err) return IoError("connecting to " + address + ": " + err.message());
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Result<Reply> Client::Call(const std::vector<std::string>& args) {
  std::string req = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) req += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  bool done = false;
  boost::system::error_code err;
  asio::async_write(impl_->socket, asio::buffer(req), [&](boost::system::error_code e, size_t) {
    err = e;
    done = true;
  });
  if (Status s = impl_->RunFor(done, "sending the request"); !s.ok()) return s;
  if (err) return IoError("sending the request: " + err.message());
  return impl_->Parse(0);
}

}  // namespace credsweep::io::resp
