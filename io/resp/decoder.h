// Incremental RESP2 request decoder: multibulk arrays (`*N\r\n$len\r\n...`) as
// clients send them, and inline commands (`PING\r\n`) as telnet users type them.
//
// Bytes are fed as they arrive, in any split; complete commands come out in order.
// Limits are enforced on what a client announces before anything is allocated:
// an array longer than max_args, a bulk longer than max_bulk_bytes, or a bulk that
// would take the command past max_command_bytes is a protocol error, after which
// the connection must be closed (the stream cannot be resynced).
#ifndef CREDSWEEP_IO_RESP_DECODER_H_
#define CREDSWEEP_IO_RESP_DECODER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace credsweep::io::resp {

struct DecoderLimits {
  size_t max_args = 1024;                // elements in one command
  size_t max_bulk_bytes = 64 * 1024;     // one argument
  size_t max_inline_bytes = 64 * 1024;   // one inline command line
  size_t max_command_bytes = 1u << 20;   // all arguments of one command together
};

class Decoder {
 public:
  explicit Decoder(DecoderLimits limits = {}) : limits_(limits) {}

  // Consumes `data`. Complete commands are appended to *out. Returns false on a
  // protocol error (see error()); the decoder then refuses further input.
  bool Feed(std::string_view data, std::vector<std::vector<std::string>>* out);

  const std::string& error() const { return error_; }
  // Unparsed bytes held (part of an incomplete command).
  size_t buffered() const { return buf_.size() - pos_; }
  // True from the first byte of a command until it is complete, including
  // between its arguments (when nothing is left unparsed).
  bool in_command() const { return state_ != State::kStart || buffered() > 0; }
  // Bytes an incomplete command holds: its decoded arguments plus unparsed input.
  // At most max_command_bytes plus one read.
  size_t pending_bytes() const { return command_bytes_ + buffered(); }

 private:
  enum class State { kStart, kArgLen, kArgBody };
  bool Fail(std::string message);
  bool ReadLine(std::string_view* line);  // without CRLF; false if incomplete
  bool ParseInt(std::string_view s, long long* v);

  DecoderLimits limits_;
  std::string buf_;
  size_t pos_ = 0;
  State state_ = State::kStart;
  long long args_left_ = 0;
  long long bulk_len_ = 0;
  size_t command_bytes_ = 0;  // arguments decoded so far for current_
  std::vector<std::string> current_;
  std::string error_;
};

}  // namespace credsweep::io::resp

#endif  // CREDSWEEP_IO_RESP_DECODER_H_
