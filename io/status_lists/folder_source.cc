#include "io/status_lists/folder_source.h"

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/did.h"

namespace credsweep::io {

namespace {
constexpr size_t kMaxListFileBytes = 64u << 20;
}

Result<std::unique_ptr<StatusListDirectory>> StatusListDirectory::Open(const std::string& dir, std::string_view what) {
  std::string index = (std::filesystem::path(dir) / "index.json").string();
  simdjson::dom::parser parser;
  simdjson::padded_string text;
  if (simdjson::padded_string::load(index).get(text) != simdjson::SUCCESS) {
    return NotFound(std::string(what) + " folder " + dir + " has no readable index.json");
  }
  simdjson::dom::object o;
  if (parser.parse(text).get_object().get(o) != simdjson::SUCCESS) {
    return InvalidArgument(index + " must be a JSON object mapping URLs to file names");
  }
  auto out = std::unique_ptr<StatusListDirectory>(new StatusListDirectory);
  out->dir_ = dir;
  for (auto [key, file] : o) {
    std::string url(key);
    if (IsDidWeb(url)) {
      auto doc = DidWebDocumentUrl(url);
      if (!doc.ok()) return InvalidArgument(index + ": " + url + ": " + doc.status().message());
      url = std::move(doc).value();
    }
    std::string_view f;
    if (file.get_string().get(f) != simdjson::SUCCESS) {
      return InvalidArgument(index + ": the value for " + url + " is not a file name");
    }
    std::filesystem::path p(f);
    if (p.is_absolute() || std::string(f).find("..") != std::string::npos) {
      return InvalidArgument(index + ": " + std::string(f) + " must be a path inside the folder");
    }
    out->files_.emplace(std::move(url), (std::filesystem::path(dir) / p).string());
  }
  return out;
}

Result<std::string> StatusListDirectory::Fetch(std::string_view url) const {
  auto it = files_.find(url);
  if (it == files_.end()) return NotFound("not in " + dir_ + "/index.json");
  std::ifstream in(it->second, std::ios::binary);
  if (!in) return IoError("cannot read " + it->second);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  if (data.size() > kMaxListFileBytes) return IoError(it->second + " is larger than 64 MiB");
  return data;
}

}  // namespace credsweep::io
