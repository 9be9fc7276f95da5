#include "io/trust/trust_folder.h"

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine/json_escape.h"
#include "io/output_file.h"

namespace credsweep::io {

namespace fs = std::filesystem;

namespace {

constexpr char kFormat[] = "credsweep-trusted-lists/1";
constexpr size_t kMaxIndexBytes = 4u << 20;

bool InsideFolder(std::string_view rel) {
  fs::path p(rel);
  return !rel.empty() && !p.is_absolute() && rel.find("..") == std::string_view::npos;
}

Result<std::string> ReadCapped(const fs::path& path, size_t max_bytes) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return NotFound("cannot read " + path.string());
  if (size > max_bytes) return IoError(path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::string data(size, '\0');
  if (!in.read(data.data(), static_cast<std::streamsize>(size))) return IoError("cannot read " + path.string());
  return data;
}

struct Index {
  std::map<std::string, std::string> files;  // URL -> path inside the folder
  std::string lotl_url;
  std::vector<std::string> territories;      // the stored national lists
};

Result<Index> ReadIndex(const std::string& dir, bool required) {
  Index index;
  fs::path path = fs::path(dir) / "index.json";
  if (!fs::exists(path)) {
    if (required) return NotFound("trusted-list folder " + dir + " has no index.json");
    return index;
  }
  auto text = ReadCapped(path, kMaxIndexBytes);
  if (!text.ok()) return text.status();
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(*text).get_object().get(root) != simdjson::SUCCESS) {
    return InvalidArgument(path.string() + " is not a JSON object");
  }
  simdjson::dom::object files = root;
  if (root["files"].get_object().get(files) == simdjson::SUCCESS) {
    std::string_view s;
    if (root["lotl_url"].get_string().get(s) == simdjson::SUCCESS) index.lotl_url = s;
    simdjson::dom::array lists;
    if (root["lists"].get_array().get(lists) == simdjson::SUCCESS) {
      for (auto l : lists) {
        if (l["territory"].get_string().get(s) == simdjson::SUCCESS) index.territories.emplace_back(s);
      }
    }
  } else if (required) {
    return InvalidArgument(path.string() + " has no \"files\" object (not written by credsweep trust update)");
  }
  for (auto [url, file] : files) {
    std::string_view f;
    if (file.get_string().get(f) != simdjson::SUCCESS || !InsideFolder(f)) {
      return InvalidArgument(path.string() + ": the file for " + std::string(url) + " must be a path inside the folder");
    }
    index.files.emplace(std::string(url), std::string(f));
  }
  return index;
}

// Under a new temporary name, renamed over the path (OutputFile::CreateReplacing):
// a crash leaves the old file, and nothing planted at or beside the path (a
// symlink to a device, a FIFO) is written through. As fetched, even when a list's
// URL ends in ".gz".
Status WriteAtomically(const fs::path& path, std::string_view data) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  auto out = OutputFile::CreateReplacing(path.string());
  if (!out.ok()) return out.status();
  if (Status s = (*out)->Write(data); !s.ok()) return s;
  return (*out)->Commit();
}

std::string Basename(const std::string& url) {
  size_t slash = url.find_last_of('/');
  std::string b = slash == std::string::npos ? url : url.substr(slash + 1);
  for (char& c : b) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  }
  return b.empty() || b == "." ? "list.xml" : b;
}

void AppendField(std::string* out, std::string_view key, std::string_view value, bool comma = true) {
  if (comma) *out += ',';
  AppendJsonString(key, out);
  *out += ':';
  AppendJsonString(value, out);
}

}  // namespace

Result<ListFetcher> FolderFetcher(const std::string& dir, size_t max_bytes) {
  auto index = ReadIndex(dir, /*required=*/false);
  if (!index.ok()) return index.status();
  return ListFetcher([dir, max_bytes, files = std::move(index->files)](const std::string& url) -> Result<std::string> {
    auto it = files.find(url);
    std::string rel = it != files.end() ? it->second : Basename(url);
    return ReadCapped(fs::path(dir) / rel, max_bytes);
  });
}

Status StoreTrustedLists(const TrustedListsOutcome& outcome, const std::string& dir, UnixSeconds updated) {
  if (!outcome.lotl.accepted()) return InvalidArgument("the LOTL was refused; nothing to store");
  std::vector<std::pair<std::string, std::string>> files;  // URL, relative path
  std::string lists = "[", refused = "[";
  if (Status s = WriteAtomically(fs::path(dir) / "lotl.xml", outcome.lotl.xml); !s.ok()) return s;
  files.emplace_back(outcome.lotl.url, "lotl.xml");
  for (const ListOutcome& p : outcome.pivots) {
    if (!p.accepted()) continue;
    std::string rel = "pivots/" + Basename(p.url);
    if (Status s = WriteAtomically(fs::path(dir) / rel, p.xml); !s.ok()) return s;
    files.emplace_back(p.url, rel);
  }
  std::set<std::string> used;
  for (const ListOutcome& l : outcome.lists) {
    if (!l.accepted()) {
      refused += std::string(refused.size() > 1 ? "," : "") + "{";
      AppendField(&refused, "name", l.name, false);
      AppendField(&refused, "url", l.url);
      AppendField(&refused, "reason", ListVerdictCode(l.verdict));
      AppendField(&refused, "message", l.message);
      refused += "}";
      continue;
    }
    std::string rel = "lists/" + Basename(l.name) + ".xml";
    for (int n = 2; used.count(rel); ++n) rel = "lists/" + Basename(l.name) + "-" + std::to_string(n) + ".xml";
    used.insert(rel);
    if (Status s = WriteAtomically(fs::path(dir) / rel, l.xml); !s.ok()) return s;
    files.emplace_back(l.url, rel);
    lists += std::string(lists.size() > 1 ? "," : "") + "{";
    AppendField(&lists, "territory", l.list->territory, false);
    AppendField(&lists, "url", l.url);
    AppendField(&lists, "file", rel);
    lists += ",\"sequence\":" + std::to_string(l.list->sequence);
    AppendField(&lists, "issued", FormatUtc(l.list->issued));
    AppendField(&lists, "next_update", l.list->next_update ? FormatUtc(*l.list->next_update) : "");
    lists += ",\"services\":" + std::to_string(l.list->services.size()) + "}";
  }
  std::string json = "{";
  AppendField(&json, "format", kFormat, false);
  AppendField(&json, "lotl_url", outcome.lotl.url);
  json += ",\"lotl_sequence\":" + std::to_string(outcome.lotl.list->sequence);
  AppendField(&json, "updated", FormatUtc(updated));
  json += ",\"files\":{";
  for (size_t i = 0; i < files.size(); ++i) {
    if (i) json += ',';
    AppendJsonString(files[i].first, &json);
    json += ':';
    AppendJsonString(files[i].second, &json);
  }
  json += "},\"lists\":" + lists + "],\"refused\":" + refused + "]}\n";
  // Remove what an earlier update stored and this one does not name.
  std::set<std::string> keep;
  for (const auto& f : files) keep.insert(f.second);
  for (const char* sub : {"lists", "pivots"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(dir) / sub, ec)) {
      std::string rel = std::string(sub) + "/" + e.path().filename().string();
      if (!keep.count(rel)) fs::remove(e.path(), ec);
    }
  }
  return WriteAtomically(fs::path(dir) / "index.json", json);
}

Result<LoadedTrustedLists> LoadTrustedLists(const std::string& dir, const std::vector<std::string>& lotl_certs,
                                            UnixSeconds at, const TrustedListOptions& options) {
  auto index = ReadIndex(dir, /*required=*/true);
  if (!index.ok()) return index.status();
  auto fetch = FolderFetcher(dir, options.max_bytes);
  if (!fetch.ok()) return fetch.status();
  LotlOptions lo;
  lo.lotl_url = index->lotl_url.empty() ? kEuLotlUrl : index->lotl_url;
  lo.at = at;
  lo.territories = index->territories;
  lo.list = options;
  LoadedTrustedLists out;
  if (index->territories.empty()) {  // no national list stored: nothing to fetch beyond the LOTL
    out.outcome.lotl = VerifyLotl(*fetch, lotl_certs, lo, &out.outcome.pivots);
  } else {
    out.outcome = FetchTrustedLists(*fetch, lotl_certs, lo);
  }
  if (!out.outcome.lotl.accepted()) {
    return Corruption("LOTL refused (" + std::string(ListVerdictCode(out.outcome.lotl.verdict)) +
                      "): " + out.outcome.lotl.message);
  }
  std::vector<TrustedService> services;
  for (ListOutcome& l : out.outcome.lists) {
    l.xml.clear();
    if (!l.accepted()) continue;
    for (const TrustedService& s : l.list->services) services.push_back(s);
  }
  out.outcome.lotl.xml.clear();
  for (ListOutcome& p : out.outcome.pivots) p.xml.clear();
  out.services = std::make_shared<const TrustedServiceSet>(std::move(services));
  return out;
}

}  // namespace credsweep::io
