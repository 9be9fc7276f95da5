#include "engine/json_writer.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "engine/json_escape.h"

namespace credsweep {

char JsonWriter::Separator() {
  if (after_key_) {
    after_key_ = false;
    return 0;
  }
  if (first_.empty()) return 0;
  const bool first = first_.back() != 0;
  first_.back() = 0;
  return first ? 0 : ',';
}

void JsonWriter::BeforeValue() {
  if (char c = Separator()) out_->push_back(c);
}

void JsonWriter::Quoted(char before, std::string_view s, char after) {
  // Member names and most values are short plain text: one append, not one per piece.
  char buf[64];
  if (s.size() <= sizeof buf - 4 && IsPlainJsonText(s)) {
    size_t n = 0;
    if (before) buf[n++] = before;
    buf[n++] = '"';
    std::memcpy(buf + n, s.data(), s.size());
    n += s.size();
    buf[n++] = '"';
    if (after) buf[n++] = after;
    out_->append(buf, n);
    return;
  }
  if (before) out_->push_back(before);
  AppendJsonString(s, out_);
  if (after) out_->push_back(after);
}

JsonWriter& JsonWriter::Open(char c) {
  BeforeValue();
  out_->push_back(c);
  first_.push_back(1);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  out_->push_back(c);
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view name) {
  Quoted(Separator(), name, ':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  Quoted(Separator(), s, 0);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  out_->append(std::to_string(v));
  return *this;
}

JsonWriter& JsonWriter::UInt(uint64_t v) {
  BeforeValue();
  out_->append(std::to_string(v));
  return *this;
}

JsonWriter& JsonWriter::Double(double v, int decimals) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_->append("null");
    return *this;
  }
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  out_->append(buf, n > 0 ? static_cast<size_t>(n) : 0);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_->append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_->append(json);
  return *this;
}

}  // namespace credsweep
