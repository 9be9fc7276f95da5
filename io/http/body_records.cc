#include "io/http/body_records.h"

namespace credsweep::io::http {

void BodyRecords::Feed(std::string_view data) {
  // Drop what was handed out before growing: the buffer holds one chunk plus an
  // unfinished line, not the body.
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(data);
}

void BodyRecords::Finish() { finished_ = true; }

bool BodyRecords::TakeBatch(std::vector<Record>* batch) {
  batch->clear();
  if (!lines_) {
    if (!finished_ || pos_ == buf_.size()) return false;
    batch->push_back({"request", std::move(buf_), "", ""});
    buf_.clear();
    pos_ = 0;
    return true;
  }
  size_t bytes = 0;
  while (pos_ < buf_.size() && batch->size() < limits_.max_records && bytes < limits_.max_bytes) {
    size_t nl = buf_.find('\n', pos_);
    if (nl == std::string::npos && !finished_) break;  // the line is not complete yet
    size_t end = nl == std::string::npos ? buf_.size() : nl;
    std::string_view line(buf_.data() + pos_, end - pos_);
    pos_ = nl == std::string::npos ? buf_.size() : nl + 1;
    ++line_no_;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    bytes += line.size();
    batch->push_back({"request:" + std::to_string(line_no_), std::string(line), "", ""});
  }
  return !batch->empty();
}

}  // namespace credsweep::io::http
