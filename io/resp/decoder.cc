#include "io/resp/decoder.h"

#include <algorithm>
#include <cstring>

namespace credsweep::io::resp {

bool Decoder::Fail(std::string message) {
  error_ = std::move(message);
  buf_ = {};  // release what the broken command held
  pos_ = 0;
  current_ = {};
  command_bytes_ = 0;
  state_ = State::kStart;
  return false;
}

bool Decoder::ParseInt(std::string_view s, long long* v) {
  if (s.empty() || s.size() > 18) return false;
  bool neg = s[0] == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty()) return false;
  long long r = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    r = r * 10 + (c - '0');
  }
  *v = neg ? -r : r;
  return true;
}

bool Decoder::ReadLine(std::string_view* line) {
  const char* start = buf_.data() + pos_;
  size_t avail = buf_.size() - pos_;
  const char* nl = static_cast<const char*>(memchr(start, '\n', avail));
  if (!nl) return false;
  size_t len = static_cast<size_t>(nl - start);
  *line = std::string_view(start, len > 0 && start[len - 1] == '\r' ? len - 1 : len);
  pos_ += len + 1;
  return true;
}

bool Decoder::Feed(std::string_view data, std::vector<std::vector<std::string>>* out) {
  if (!error_.empty()) return false;
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  buf_.append(data);
  while (pos_ < buf_.size()) {
    if (state_ == State::kStart) {
      if (buf_[pos_] != '*') {
        // Inline command: words separated by spaces, up to the end of the line.
        std::string_view line;
        if (!ReadLine(&line)) {
          if (buffered() > limits_.max_inline_bytes) return Fail("Protocol error: too big inline request");
          break;
        }
        std::vector<std::string> words;
        size_t i = 0;
        while (i < line.size()) {
          while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
          size_t start = i;
          while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
          if (i > start) words.emplace_back(line.substr(start, i - start));
        }
        if (words.size() > limits_.max_args) return Fail("Protocol error: too many arguments");
        if (!words.empty()) out->push_back(std::move(words));
        continue;
      }
      std::string_view line;
      if (!ReadLine(&line)) {
        if (buffered() > 32) return Fail("Protocol error: invalid multibulk length");
        break;
      }
      long long n;
      if (!ParseInt(line.substr(1), &n)) return Fail("Protocol error: invalid multibulk length");
      if (n > static_cast<long long>(limits_.max_args)) return Fail("Protocol error: invalid multibulk length");
      if (n <= 0) continue;  // "*0" and "*-1": nothing to run
      args_left_ = n;
      current_.clear();
      command_bytes_ = 0;
      // Reserve what a few arguments need, not what a client announces.
      current_.reserve(std::min<size_t>(static_cast<size_t>(n), 16));
      state_ = State::kArgLen;
    } else if (state_ == State::kArgLen) {
      std::string_view line;
      if (!ReadLine(&line)) {
        if (buffered() > 32) return Fail("Protocol error: invalid bulk length");
        break;
      }
      if (line.empty() || line[0] != '$') {
        return Fail("Protocol error: expected '$', got '" + std::string(line.substr(0, 1)) + "'");
      }
      long long len;
      if (!ParseInt(line.substr(1), &len) || len < 0 || len > static_cast<long long>(limits_.max_bulk_bytes)) {
        return Fail("Protocol error: invalid bulk length");
      }
      if (command_bytes_ + static_cast<size_t>(len) > limits_.max_command_bytes) {
        return Fail("Protocol error: command larger than " + std::to_string(limits_.max_command_bytes) + " bytes");
      }
      bulk_len_ = len;
      state_ = State::kArgBody;
    } else {  // kArgBody: the announced bytes plus CRLF, allocated only as they arrive
      size_t need = static_cast<size_t>(bulk_len_) + 2;
      if (buffered() < need) break;
      const char* p = buf_.data() + pos_;
      if (p[bulk_len_] != '\r' || p[bulk_len_ + 1] != '\n') return Fail("Protocol error: bulk not terminated by CRLF");
      current_.emplace_back(p, static_cast<size_t>(bulk_len_));
      command_bytes_ += static_cast<size_t>(bulk_len_);
      pos_ += need;
      if (--args_left_ == 0) {
        out->push_back(std::move(current_));
        current_.clear();
        command_bytes_ = 0;
        state_ = State::kStart;
      } else {
        state_ = State::kArgLen;
      }
    }
  }
  // Drop consumed bytes once they dominate the buffer.
  if (pos_ > 4096 && pos_ * 2 > buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  return true;
}

}  // namespace credsweep::io::resp
