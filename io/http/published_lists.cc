#include "io/http/published_lists.h"

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/encoding.h"
#include "engine/sha256.h"

namespace credsweep::io::http {

namespace {

constexpr size_t kMaxPathBytes = 1024;
constexpr uintmax_t kMaxListBytes = 64u << 20;

bool SegmentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~';
}

// What a compact JWS list says of itself: whether it is an IETF Status List Token
// (header typ statuslist+jwt), and its max-age: a token's ttl (seconds), a list
// credential's credentialSubject.ttl (milliseconds), else 300.
struct CompactList {
  bool token = false;
  long long max_age = 300;
};

CompactList ReadCompactList(const std::string& body) {
  CompactList out;
  std::string jws = body.substr(0, body.find_last_not_of("\r\n") + 1);
  size_t d1 = jws.find('.'), d2 = jws.rfind('.');
  if (d1 == std::string::npos || d2 <= d1) return out;
  simdjson::dom::parser p;
  std::string header = Base64UrlDecode(jws.substr(0, d1)).value_or("");
  std::string_view typ;
  out.token = !header.empty() && p.parse(header)["typ"].get_string().get(typ) == simdjson::SUCCESS &&
              typ == "statuslist+jwt";
  std::string payload = Base64UrlDecode(jws.substr(d1 + 1, d2 - d1 - 1)).value_or("");
  uint64_t ttl;
  if (payload.empty()) return out;
  simdjson::dom::element doc;
  if (p.parse(payload).get(doc) != simdjson::SUCCESS) return out;
  if (out.token ? doc["ttl"].get_uint64().get(ttl) == simdjson::SUCCESS
                : doc["credentialSubject"]["ttl"].get_uint64().get(ttl) == simdjson::SUCCESS) {
    out.max_age = static_cast<long long>(out.token ? ttl : ttl / 1000);
  }
  return out;
}

}  // namespace

bool IsListPath(std::string_view path) {
  if (path.size() < 2 || path.size() > kMaxPathBytes || path.front() != '/') return false;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (seg.empty() || seg.front() == '.') return false;
    for (char c : seg) {
      if (!SegmentChar(c)) return false;
    }
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

Result<PublishedList> ReadPublishedList(const std::string& dir, std::string_view path) {
  if (dir.empty() || !IsListPath(path)) return NotFound("no such status list");
  std::filesystem::path file = std::filesystem::path(dir) / std::string(path.substr(1));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return NotFound("no such status list");
  if (std::filesystem::file_size(file, ec) > kMaxListBytes || ec) return IoError("status list file too large");
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in) return IoError("cannot read the status list file");
  PublishedList out;
  out.body = ss.str();
  size_t first = out.body.find_first_not_of(" \t\r\n");
  bool json = path.ends_with(".json") || (first != std::string::npos && out.body[first] == '{');
  out.content_type = "application/json";
  out.etag = "\"" + HexEncode(Sha256(out.body)).substr(0, 32) + "\"";
  if (!json) {
    CompactList list = ReadCompactList(out.body);
    out.content_type = list.token ? "application/statuslist+jwt" : "application/vc+jwt";
    out.max_age = list.max_age;
  }
  return out;
}

}  // namespace credsweep::io::http
