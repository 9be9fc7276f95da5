// JsonWriter: builds compact JSON text into a string, with commas and escaping
// handled in one place (strings go through AppendJsonString: invalid UTF-8 is
// replaced, control characters escaped). Not a validator: the caller pairs
// Begin/End and gives a key before each member value. Not thread-safe.
//
//   std::string out;
//   JsonWriter w(&out);
//   w.BeginObject().Member("id", id).Key("checks").BeginObject() ... .EndObject().EndObject();
#ifndef CREDSWEEP_ENGINE_JSON_WRITER_H_
#define CREDSWEEP_ENGINE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace credsweep {

class JsonWriter {
 public:
  // Appends to *out, which must outlive the writer.
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view name);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& UInt(uint64_t v);
  JsonWriter& Double(double v, int decimals);  // fixed notation; non-finite becomes null
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Already-serialised JSON (e.g. a JWK another writer made), inserted as a value.
  JsonWriter& Raw(std::string_view json);

  // Key(name) followed by the value.
  JsonWriter& Member(std::string_view name, std::string_view s) { return Key(name).String(s); }
  JsonWriter& Member(std::string_view name, const char* s) { return Key(name).String(s); }
  JsonWriter& Member(std::string_view name, const std::string& s) { return Key(name).String(s); }
  JsonWriter& Member(std::string_view name, int64_t v) { return Key(name).Int(v); }
  JsonWriter& Member(std::string_view name, uint64_t v) { return Key(name).UInt(v); }
  JsonWriter& Member(std::string_view name, int v) { return Key(name).Int(v); }
  JsonWriter& Member(std::string_view name, bool v) { return Key(name).Bool(v); }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void BeforeValue();
  char Separator();  // ',' before a value that is not its container's first, else 0
  std::string* out_;
  // Appends `s` quoted, after `before` and followed by `after` (each when not 0).
  void Quoted(char before, std::string_view s, char after);
  std::string first_;  // per open container: 1 while no element is written yet
  bool after_key_ = false;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_JSON_WRITER_H_
