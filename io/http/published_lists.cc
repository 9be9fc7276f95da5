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

// max-age from a compact JWS's credentialSubject.ttl (milliseconds), else 300.
long long MaxAge(const std::string& body) {
  std::string jws = body.substr(0, body.find_last_not_of("\r\n") + 1);
  size_t d1 = jws.find('.'), d2 = jws.rfind('.');
  if (d1 == std::string::npos || d2 <= d1) return 300;
  std::string payload = Base64UrlDecode(jws.substr(d1 + 1, d2 - d1 - 1)).value_or("");
  simdjson::dom::parser p;
  uint64_t ttl;
  if (payload.empty() || p.parse(payload)["credentialSubject"]["ttl"].get_uint64().get(ttl) != simdjson::SUCCESS) {
    return 300;
  }
  return static_cast<long long>(ttl / 1000);
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
  out.content_type = json ? "application/json" : "application/vc+jwt";
  out.etag = "\"" + HexEncode(Sha256(out.body)).substr(0, 32) + "\"";
  if (!json) out.max_age = MaxAge(out.body);
  return out;
}

}  // namespace credsweep::io::http
