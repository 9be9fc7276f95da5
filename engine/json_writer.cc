#include "engine/json_writer.h"

#include <cmath>
#include <cstdio>

#include "engine/json_escape.h"

namespace credsweep {

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_->push_back(',');
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::Open(char c) {
  BeforeValue();
  out_->push_back(c);
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  out_->push_back(c);
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view name) {
  BeforeValue();
  AppendJsonString(name, out_);
  out_->push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(s, out_);
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
