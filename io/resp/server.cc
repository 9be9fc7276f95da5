#include "io/resp/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <deque>
#include <thread>

#include "io/net.h"
#include "io/resp/commands.h"

namespace credsweep::io::resp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kReadChunk = 16 * 1024;

// A timer that runs `on_expiry` once, unless disarmed or re-armed first. A plain
// steady_timer cannot tell a stale expiry (queued just before a cancel) from a
// fresh one; the generation can. All calls on one strand.
class Deadline {
 public:
  template <class Executor>
  explicit Deadline(const Executor& ex) : timer_(ex) {}

  // `on_expiry` must keep the owner (and so this Deadline) alive.
  template <class F>
  void Arm(std::chrono::milliseconds after, F on_expiry) {
    armed_ = true;
    timer_.expires_after(after);
    timer_.async_wait([this, gen = ++generation_, f = std::move(on_expiry)](error_code ec) mutable {
      if (ec || !armed_ || gen != generation_) return;
      armed_ = false;
      f();
    });
  }
  void Disarm() {
    armed_ = false;
    ++generation_;
    timer_.cancel();
  }
  bool armed() const { return armed_; }

 private:
  asio::steady_timer timer_;
  uint64_t generation_ = 0;
  bool armed_ = false;
};

}  // namespace

struct RespServer::Impl {
  std::shared_ptr<storage::StatusIndex> index;
  ServerOptions options;
  ServerCounters counters;
  Commands commands;
  asio::io_context io;
  asio::io_context writer;  // one thread: durable writes, in order
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> writer_work;
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_backoff{io};
  bool accept_failing = false;  // logged once per episode of accept errors
  std::optional<asio::signal_set> signals;
  std::atomic<uint64_t> next_id{1};
  std::atomic<bool> stopping{false};
  io::ServerTls tls;  // a context when a certificate is configured
  asio::thread_pool admin{1};  // SIGHUP reloads: file reads off the I/O threads
  std::mutex sessions_mu;
  std::vector<std::weak_ptr<class SessionBase>> sessions;

  Impl(std::shared_ptr<storage::StatusIndex> idx, ServerOptions o)
      : index(idx),
        options(std::move(o)),
        commands(idx, options.tokens, &counters, options.cache_entries, options.max_auth_failures,
                 options.publish_lists, options.slot_generation) {}

  void Accept();
  void OnAccept(error_code ec, tcp::socket socket);
};

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Stop() = 0;
};

// One client connection over Stream (a TCP socket, or TLS over one). All its
// handlers run on its strand. At most one read or one write of replies is in
// flight, except that a deadline's error reply may be written while a read waits.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `tls_ctx`: the TLS context this connection keeps using across reloads (null: TCP).
  template <class... Args>
  Session(RespServer::Impl& server, std::shared_ptr<asio::ssl::context> tls_ctx, tcp::socket socket, Args&&... tls)
      : server_(server),
        tls_ctx_(std::move(tls_ctx)),
        strand_(asio::make_strand(server.io)),
        socket_(std::move(socket), std::forward<Args>(tls)...),
        idle_(strand_),
        command_(strand_),
        write_(strand_),
        decoder_(server.options.limits) {
    state_.id = server.next_id++;
    error_code ec;
    auto ep = Lowest().remote_endpoint(ec);
    state_.peer = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void Start() {
    ++server_.counters.connections;
    ++server_.counters.connections_total;
    auto self = this->shared_from_this();
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      asio::dispatch(strand_, [self] { self->Read(); });
    } else {
      asio::dispatch(strand_, [self] {
        // The handshake must finish within the command deadline.
        self->command_.Arm(self->server_.options.command_timeout, [self] { self->Close(); });
        self->socket_.async_handshake(asio::ssl::stream_base::server,
                                      asio::bind_executor(self->strand_, [self](error_code ec) {
                                        self->command_.Disarm();
                                        if (ec) {
                                          ++self->server_.counters.rejected;
                                          return self->Close();
                                        }
                                        self->Read();
                                      }));
      });
    }
  }

  // From any thread: close once the current work is done.
  void Stop() override {
    asio::post(strand_, [self = this->shared_from_this()] {
      self->closing_ = true;
      if (!self->busy_) self->Close();
    });
  }

  ~Session() override {
    server_.counters.pending_bytes -= counted_;
    --server_.counters.connections;
  }

 private:
  tcp::socket& Lowest() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      return socket_;
    } else {
      return socket_.next_layer();
    }
  }

  void Read() {
    if (closing_) return Close();
    idle_.Arm(server_.options.idle_timeout, [self = this->shared_from_this()] { self->Close(); });
    socket_.async_read_some(asio::buffer(rbuf_), asio::bind_executor(strand_, [self = this->shared_from_this()](
                                                                                   error_code ec, size_t n) {
                              self->OnRead(ec, n);
                            }));
  }

  void OnRead(error_code ec, size_t n) {
    idle_.Disarm();
    if (ec) return Close();
    if (closing_) return;  // a deadline's error reply is being written; it closes
    std::vector<std::vector<std::string>> cmds;
    bool ok = decoder_.Feed(std::string_view(rbuf_.data(), n), &cmds);
    for (auto& c : cmds) pending_.push_back(std::move(c));
    if (!ok) {
      ++server_.counters.rejected;
      fatal_ = Error("ERR " + decoder_.error());
    } else if (pending_.size() > server_.options.max_pipelined) {
      ++server_.counters.rejected;
      pending_.clear();
      fatal_ = Error("ERR too many pipelined commands");
    } else if (!Account(decoder_.pending_bytes())) {
      ++server_.counters.rejected;
      fatal_ = Error("ERR server busy: too much incomplete input across connections, try again later");
    }
    if (!fatal_.empty()) {
      Account(0);
    } else if (!decoder_.in_command()) {
      command_.Disarm();
    } else if (!command_.armed() || !cmds.empty()) {
      // A command started in this read: its deadline runs from now until its last
      // byte, however many reads (or arguments) that takes (slow-loris guard).
      command_.Arm(server_.options.command_timeout, [self = this->shared_from_this()] { self->OnCommandTimeout(); });
    }
    Process();
  }

  // Moves this connection's share of the global budget to `now` bytes; false when
  // that takes the total past max_pending_bytes.
  bool Account(size_t now) {
    if (now <= counted_) {
      server_.counters.pending_bytes -= counted_ - now;
      counted_ = now;
      return true;
    }
    uint64_t total = server_.counters.pending_bytes += now - counted_;
    counted_ = now;
    return total <= server_.options.max_pending_bytes;
  }

  void OnCommandTimeout() {
    ++server_.counters.rejected;
    Account(0);
    closing_ = true;
    if (busy_) return Close();  // replies are being written or computed: just hang up
    busy_ = true;
    out_ = Error("ERR command not completed within " + std::to_string(server_.options.command_timeout.count()) + " ms");
    Flush();  // then Read() sees closing_ and closes
  }

  void Process() {
    busy_ = true;
    while (!pending_.empty()) {
      std::vector<std::string> cmd = std::move(pending_.front());
      pending_.pop_front();
      CommandKind kind = cmd.empty() ? kCmdOther : Commands::KindOf(cmd[0]);
      Commands::Outcome out = server_.commands.Execute(cmd, &state_);
      ++state_.by_kind[kind][!out.reply.empty() && out.reply[0] == '-'];
      if (out.write) {
        // The reply waits for the durable write; later commands wait for the reply.
        // The work guard keeps the I/O loop alive until the reply is posted back, so a
        // shutdown drains acknowledged writes instead of dropping their replies.
        asio::post(server_.writer, [self = this->shared_from_this(), job = std::move(out.write),
                                    work = asio::make_work_guard(server_.io)] {
          // A durable write that throws (a bug) answers this command with an error;
          // the writer thread and the other connections go on.
          std::string reply;
          try {
            reply = job();
          } catch (const std::exception& e) {
            spdlog::error("resp: internal error in a write (a bug in credsweep): {}", e.what());
            reply = "-ERR internal error; the write was not acknowledged\r\n";
          }
          asio::post(self->strand_, [self, reply = std::move(reply)] {
            self->out_ += reply;
            self->Process();
          });
        });
        return;
      }
      out_ += out.reply;
      if (state_.quit) {
        pending_.clear();
        closing_ = true;
        break;
      }
      if (out_.size() > server_.options.max_output_bytes) {
        ++server_.counters.rejected;
        pending_.clear();
        closing_ = true;
        break;
      }
    }
    if (!fatal_.empty()) {
      out_ += fatal_;
      fatal_.clear();
      closing_ = true;
    }
    // Shared counters are touched once per batch, not per command: two threads
    // incrementing one cache line per GET would cost more than the GET.
    if (state_.commands) {
      server_.counters.commands.fetch_add(state_.commands, std::memory_order_relaxed);
      state_.commands = 0;
      for (int k = 0; k < kCommandKinds; ++k) {
        for (int o = 0; o < 2; ++o) {
          if (state_.by_kind[k][o]) {
            server_.counters.by_kind[k][o].fetch_add(state_.by_kind[k][o], std::memory_order_relaxed);
            state_.by_kind[k][o] = 0;
          }
        }
      }
    }
    Flush();
  }

  void Flush() {
    if (out_.empty()) {
      busy_ = false;
      return Read();
    }
    wbuf_.swap(out_);
    out_.clear();
    // A client that stops reading fills the socket buffers and this write stalls:
    // it is cut at the write deadline.
    write_.Arm(server_.options.write_timeout, [self = this->shared_from_this()] {
      ++self->server_.counters.rejected;
      self->Close();
    });
    asio::async_write(socket_, asio::buffer(wbuf_),
                      asio::bind_executor(strand_, [self = this->shared_from_this()](error_code ec, size_t) {
                        self->write_.Disarm();
                        self->wbuf_.clear();
                        self->busy_ = false;
                        if (ec) return self->Close();
                        self->Read();
                      }));
  }

  void Close() {
    error_code ec;
    idle_.Disarm();
    command_.Disarm();
    write_.Disarm();
    Lowest().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close(ec);
  }

  RespServer::Impl& server_;
  std::shared_ptr<asio::ssl::context> tls_ctx_;
  asio::strand<asio::io_context::executor_type> strand_;
  Stream socket_;
  Deadline idle_, command_, write_;
  Decoder decoder_;
  size_t counted_ = 0;  // this connection's bytes in server_.counters.pending_bytes
  ConnectionState state_;
  std::array<char, kReadChunk> rbuf_{};
  std::deque<std::vector<std::string>> pending_;
  std::string out_, wbuf_, fatal_;
  bool busy_ = false, closing_ = false;
};

void RespServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(io),
                        [this](error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void RespServer::Impl::OnAccept(error_code ec, tcp::socket socket) {
  if (stopping) return;
  if (ec) {
    ++counters.accept_errors;
    if (io::AcceptShouldBackOff(ec)) {
      // Out of descriptors: the connection stays in the backlog and accepting again
      // now would fail again at once. Wait for sessions to close instead of spinning.
      if (!accept_failing) spdlog::warn("resp: cannot accept connections: {}; retrying every {} ms", ec.message(),
                                        io::kAcceptBackoff.count());
      accept_failing = true;
      accept_backoff.expires_after(io::kAcceptBackoff);
      accept_backoff.async_wait([this](error_code) {
        if (!stopping) Accept();
      });
      return;
    }
    return Accept();
  }
  accept_failing = false;
  if (counters.connections.load() >= options.max_connections) {
    ++counters.rejected;
    static const std::string kFull = Error("ERR max number of clients reached");
    error_code wec;
    asio::write(socket, asio::buffer(kFull), wec);
    socket.close(wec);
  } else {
    auto track = [this](std::shared_ptr<SessionBase> s) {
      std::lock_guard lock(sessions_mu);
      std::erase_if(sessions, [](const auto& w) { return w.expired(); });
      sessions.push_back(s);
    };
    if (auto ctx = tls.Get()) {
      auto s = std::make_shared<Session<asio::ssl::stream<tcp::socket>>>(*this, ctx, std::move(socket), *ctx);
      track(s);
      s->Start();
    } else {
      auto s = std::make_shared<Session<tcp::socket>>(*this, nullptr, std::move(socket));
      track(s);
      s->Start();
    }
  }
  Accept();
}

RespServer::RespServer(std::shared_ptr<storage::StatusIndex> index, ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(index), std::move(options))) {}
RespServer::~RespServer() = default;

size_t RespServer::Preload() { return impl_->commands.Preload(); }

Status RespServer::Listen() {
  if (Status s = ReloadTls(); !s.ok()) return s;
  return io::Listen(impl_->acceptor, impl_->options.host, impl_->options.port);
}

Status RespServer::ReloadTls() {
  if (impl_->options.tls_cert_file.empty()) return Status::Ok();
  return impl_->tls.Load(impl_->options.tls_cert_file, impl_->options.tls_key_file);
}

bool RespServer::SetTokens(std::shared_ptr<const TokenSet> tokens) { return impl_->commands.SetTokens(std::move(tokens)); }

uint16_t RespServer::port() const {
  error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void RespServer::Shutdown() {
  asio::post(impl_->io, [impl = impl_.get()] {
    if (impl->stopping.exchange(true)) return;
    error_code ec;
    impl->acceptor.close(ec);
    impl->accept_backoff.cancel();
    if (impl->signals) impl->signals->cancel(ec);
    std::lock_guard lock(impl->sessions_mu);
    for (auto& w : impl->sessions) {
      if (auto s = w.lock()) s->Stop();
    }
  });
}

std::string RespServer::PrometheusText() const {
  const ServerCounters& c = impl_->counters;
  auto line = [](const char* name, const char* type, uint64_t v) {
    return std::string("# TYPE ") + name + " " + type + "\n" + name + " " + std::to_string(v) + "\n";
  };
  std::string by = "# HELP credsweep_resp_requests_total RESP commands by command and outcome.\n"
                   "# TYPE credsweep_resp_requests_total counter\n";
  for (int k = 0; k < kCommandKinds; ++k) {
    for (int o = 0; o < 2; ++o) {
      uint64_t n = c.by_kind[k][o].load();
      if (n) {
        by += std::string("credsweep_resp_requests_total{command=\"") + kCommandNames[k] + "\",outcome=\"" +
              (o ? "error" : "ok") + "\"} " + std::to_string(n) + "\n";
      }
    }
  }
  return by + line("credsweep_resp_connections", "gauge", c.connections.load()) +
         line("credsweep_resp_connections_total", "counter", c.connections_total.load()) +
         line("credsweep_resp_commands_total", "counter", c.commands.load()) +
         line("credsweep_resp_writes_total", "counter", c.writes.load()) +
         line("credsweep_resp_errors_total", "counter", c.errors.load()) +
         line("credsweep_resp_rejected_total", "counter", c.rejected.load()) +
         line("credsweep_resp_auth_failures_total", "counter", c.auth_failures.load()) +
         line("credsweep_resp_accept_errors_total", "counter", c.accept_errors.load()) +
         line("credsweep_resp_pending_command_bytes", "gauge", c.pending_bytes.load());
}

void RespServer::Run(bool handle_signals, std::function<void()> on_hangup) {
  Impl& s = *impl_;
  if (handle_signals) {
    s.signals.emplace(s.io, SIGINT, SIGTERM);
    if (on_hangup) s.signals->add(SIGHUP);
    WaitForSignal(std::move(on_hangup));
  }
  s.writer_work.emplace(s.writer.get_executor());
  std::thread writer([&s] { io::RunFenced(s.writer, "resp writer"); });
  s.Accept();
  int n = s.options.threads > 0 ? s.options.threads : static_cast<int>(std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (int i = 1; i < n; ++i) pool.emplace_back([&s] { io::RunFenced(s.io, "resp"); });
  io::RunFenced(s.io, "resp");  // returns when the acceptor and every session are closed
  for (auto& t : pool) t.join();
  s.writer_work.reset();
  writer.join();
  s.admin.join();
}

// SIGHUP runs `on_hangup` on the admin thread and waits again; SIGINT and SIGTERM
// shut down.
void RespServer::WaitForSignal(std::function<void()> on_hangup) {
  impl_->signals->async_wait([this, on_hangup = std::move(on_hangup)](error_code ec, int sig) mutable {
    if (ec) return;
    if (sig == SIGHUP) {
      asio::post(impl_->admin, on_hangup);
      return WaitForSignal(std::move(on_hangup));
    }
    spdlog::info("signal {}: draining connections", sig);
    Shutdown();
  });
}

}  // namespace credsweep::io::resp
