// Incremental RESP2 request decoder: multibulk arrays (`*N\r\n$len\r\n...`) as
// clients send them, and inline commands (`PING\r\n`) as telnet users type them.
//
// Bytes are fed as they arrive, in any split; complete commands come out in order.
// Limits are enforced on what a client announces before anything is allocated:
// an array longer than max_args or a bulk longer than max_bulk_bytes is a protocol
// error, after which the connection must be closed (the stream cannot be resynced).
#ifndef CREDSWEEP_IO_RESP_DECODER_H_
#define CREDSWEEP_IO_RESP_DECODER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace credsweep::resp {

struct DecoderLimits {
  size_t max_args = 1024;                // elements in one command
  size_t max_bulk_bytes = 64 * 1024;     // one argument
  size_t max_inline_bytes = 64 * 1024;   // one inline command line
};

class Decoder {
 public:
  explicit Decoder(DecoderLimits limits = {}) : limits_(limits) {}

  // Consumes `data`. Complete commands are appended to *out. Returns false on a
  // protocol error (see error()); the decoder then refuses further input.
  bool Feed(std::string_view data, std::vector<std::vector<std::string>>* out);

  const std::string& error() const { return error_; }
  // Bytes held for an incomplete command (bounded by the limits).
  size_t buffered() const { return buf_.size() - pos_; }

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
  std::vector<std::string> current_;
  std::string error_;
};

}  // namespace credsweep::resp

#endif  // CREDSWEEP_IO_RESP_DECODER_H_
