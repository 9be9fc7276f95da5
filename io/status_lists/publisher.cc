#include "io/status_lists/publisher.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <algorithm>
#include <random>
#include <set>

#include <simdjson.h>

#include "engine/credential_reader.h"
#include "engine/encoding.h"
#include "engine/json_escape.h"
#include "engine/json_writer.h"
#include "engine/status_list.h"
#include "io/http/published_lists.h"
#include "io/http/url.h"
#include "io/output_file.h"

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

struct ListState {
  std::set<uint64_t> used;
  StatusBitstring revocation, suspension;
  StatusBitstring token = StatusBitstring(0, 1);  // kTokenStatusList: 0 valid, 1 revoked, 2 suspended
};

std::string Q(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// `content` replaces the file at `path` in one step (written beside it, then
// renamed): a server reading the folder while lists are republished never sees
// half a list.
Status WriteWhole(const std::string& path, std::string_view content) {
  auto out = OutputFile::Create(path);
  if (!out.ok()) return out.status();
  if (Status st = (*out)->Write(content); !st.ok()) return st;
  return (*out)->Commit();
}

// Writes one IETF Status List Token as OUT/<file> (compact statuslist+jwt).
Status WriteToken(const PrivateKey& key, const PublishOptions& o, const std::string& url, const std::string& file,
                  const StatusBitstring& bits, UnixSeconds now) {
  std::string payload;
  JsonWriter w(&payload);
  w.BeginObject().Member("sub", url).Member("iss", o.issuer).Member("iat", int64_t{now});
  w.Member("exp", int64_t{now + o.ttl_seconds}).Member("ttl", int64_t{o.ttl_seconds});
  w.Key("status_list").BeginObject().Member("bits", 2).Member("lst", bits.EncodeIetf()).EndObject().EndObject();
  std::string header;
  JsonWriter(&header).BeginObject().Member("alg", JwsAlgName(key.alg())).Member("kid", key.kid())
      .Member("typ", "statuslist+jwt").EndObject();
  auto jws = SignCompact(key, header, payload);
  if (!jws.ok()) return jws.status();
  fs::path path = fs::path(o.out_dir) / file;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return IoError("cannot create " + path.parent_path().string() + ": " + ec.message());
  return WriteWhole(path.string(), *jws + "\n");
}

// Writes one signed list as OUT/<file> (compact) and OUT/<file>.json (flattened JWS JSON).
Status WriteList(const PrivateKey& key, const PublishOptions& o, const std::string& url,
                 const std::string& file, const char* purpose, const StatusBitstring& bits,
                 UnixSeconds now) {
  std::string payload;
  JsonWriter w(&payload);
  w.BeginObject().Key("@context").BeginArray().String("https://www.w3.org/ns/credentials/v2").EndArray();
  w.Member("id", url).Key("type").BeginArray().String("VerifiableCredential").String("BitstringStatusListCredential");
  w.EndArray().Member("issuer", o.issuer).Member("validFrom", FormatUtc(now));
  w.Member("validUntil", FormatUtc(now + o.ttl_seconds)).Key("credentialSubject").BeginObject();
  w.Member("id", url + "#list").Member("type", "BitstringStatusList").Member("statusPurpose", purpose);
  w.Member("ttl", int64_t{o.ttl_seconds * 1000}).Member("encodedList", bits.Encode()).EndObject().EndObject();
  std::string header;
  JsonWriter(&header).BeginObject().Member("alg", JwsAlgName(key.alg())).Member("kid", key.kid()).Member("typ", "vc+jwt").EndObject();
  auto jws = SignCompact(key, header, payload);
  if (!jws.ok()) return jws.status();
  auto parts = SplitCompactJws(*jws);
  if (!parts) return Internal("the signer produced no compact JWS");
  std::string flattened = R"({"protected":")" + std::string(parts->header64) + R"(","payload":")" +
                          std::string(parts->payload64) + R"(","signature":")" + std::string(parts->signature64) +
                          "\"}\n";
  fs::path path = fs::path(o.out_dir) / file;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return IoError("cannot create " + path.parent_path().string() + ": " + ec.message());
  if (Status st = WriteWhole(path.string(), *jws + "\n"); !st.ok()) return st;
  return WriteWhole(path.string() + ".json", flattened);
}

// The base URL without trailing slashes, when it is an http(s) URL whose path is made
// of segments a file path can mirror (http/published_lists.h IsListPath).
Result<std::string> CheckedBase(std::string base) {
  while (base.ends_with('/')) base.pop_back();
  auto url = ParseHttpUrl(base);
  const std::string why = "--base-url must be an http(s) URL without query or fragment whose path segments hold only "
                          "letters, digits, '-', '_', '.' and '~' (none starting with '.'), e.g. "
                          "https://status.example/lists";
  if (!url.ok() || base.find_first_of("?#") != std::string::npos) return InvalidArgument(why + ", got " + base);
  if (url->target != "/" && !http::IsListPath(url->target)) return InvalidArgument(why + ", got " + base);
  return base;
}

// Where list `url` is written inside the folder: the path of its URL, without the
// leading '/' (the list URL is the base URL, checked, plus "/n" or "/n-suspension").
std::string FileFor(const std::string& url) {
  auto parsed = ParseHttpUrl(url);
  return parsed.ok() ? parsed->target.substr(1) : std::string();
}

// The URL -> file map of an existing OUT/index.json (empty when there is none).
std::map<std::string, std::string> ReadFolderIndex(const fs::path& path) {
  std::map<std::string, std::string> files;
  simdjson::dom::parser parser;
  simdjson::padded_string old;
  simdjson::dom::object obj;
  if (!fs::exists(path) || simdjson::padded_string::load(path.string()).get(old) != simdjson::SUCCESS ||
      parser.parse(old).get_object().get(obj) != simdjson::SUCCESS) {
    return files;
  }
  for (auto [url, file] : obj) {
    std::string_view f;
    if (file.get_string().get(f) == simdjson::SUCCESS) files[std::string(url)] = std::string(f);
  }
  return files;
}

// Adds list L and L-suspension to `files` at the paths of their URLs, so the folder
// served as is answers the URLs; two URLs with the same path (other hosts) cannot
// share a folder.
Status PlaceList(const std::string& list_id, const std::string& out_dir, bool with_suspension,
                 std::map<std::string, std::string>* files) {
  std::vector<std::string> urls = {list_id};
  if (with_suspension) urls.push_back(list_id + "-suspension");
  for (const std::string& url : urls) {
    std::string file = FileFor(url);
    if (file.empty() || !http::IsListPath("/" + file)) return InvalidArgument("list " + url + " has no path a file can mirror");
    for (const auto& [other_url, other_file] : *files) {
      if (other_file == file && other_url != url) {
        return InvalidArgument(out_dir + "/" + file + " already holds the list " + other_url + ", not " + url +
                               ": publish lists of another host to another folder");
      }
    }
    (*files)[url] = file;
  }
  return Status::Ok();
}

}  // namespace

Result<PublishStats> PublishStatusLists(storage::StatusIndex& index, const PrivateKey& key,
                                        const PublishOptions& in) {
  PublishOptions o = in;
  if (o.now == 0) o.now = NowUtc();
  if (o.list_entries < kMinStatusListEntries) {
    return InvalidArgument("a status list needs at least 131072 entries");
  }
  if (o.issuer.empty() || o.base_url.empty()) return InvalidArgument("publishing needs --issuer and --base-url");
  auto base = CheckedBase(o.base_url);
  if (!base.ok()) return base.status();
  o.base_url = *base;
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) return IoError("cannot create " + o.out_dir + ": " + ec.message());

  const std::string prefix = o.base_url + "/";
  const bool token = o.format == ListFormat::kTokenStatusList;
  std::map<std::string, ListState> lists;
  std::vector<std::string> unassigned;
  PublishStats stats;
  auto list_for = [&](const std::string& id) -> ListState& {
    auto [it, fresh] = lists.try_emplace(id);
    if (fresh && token) {
      it->second.token = StatusBitstring::ForIetf(o.list_entries, 2);
    } else if (fresh) {
      it->second.revocation = StatusBitstring(o.list_entries, 1);
      it->second.suspension = StatusBitstring(o.list_entries, 1);
    }
    return it->second;
  };
  std::vector<std::pair<std::string, StatusRecord>> records;
  Status scan = index.ForEach([&](std::string_view id, const StatusRecord& r) {
    if (r.issuer != o.issuer) return;
    if (!r.list_id.empty() && !r.list_id.starts_with(prefix)) return;  // published elsewhere
    records.emplace_back(std::string(id), r);
  });
  if (!scan.ok()) return scan;
  for (const auto& [id, r] : records) {
    if (r.list_id.empty()) {
      unassigned.push_back(id);
    } else if (r.list_index >= o.list_entries) {
      // A slot the credential brought (register) beyond the lists published here.
      return InvalidArgument(id + " holds index " + std::to_string(r.list_index) + " of " + r.list_id +
                             ", beyond the " + std::to_string(o.list_entries) + " entries of a published list");
    } else {
      list_for(r.list_id).used.insert(r.list_index);
    }
  }
  // Random free slots, handed out in random order: neither a list nor an index
  // reveals when a credential was issued.
  std::mt19937_64 rng(std::random_device{}());
  std::shuffle(unassigned.begin(), unassigned.end(), rng);
  std::vector<std::tuple<std::string, std::string, uint64_t>> slots;
  std::map<std::string, std::pair<std::string, uint64_t>> assigned;
  uint64_t n = 1;
  for (const auto& id : unassigned) {
    std::string list_id;
    while (true) {
      list_id = prefix + std::to_string(n);
      if (list_for(list_id).used.size() < o.list_entries) break;
      ++n;
    }
    ListState& l = list_for(list_id);
    std::uniform_int_distribution<uint64_t> pick(0, o.list_entries - 1);
    uint64_t slot;
    do slot = pick(rng);
    while (l.used.count(slot));
    l.used.insert(slot);
    slots.emplace_back(id, list_id, slot);
    assigned[id] = {list_id, slot};
  }
  // index.json: URL -> file, merged with what other issuers published into the
  // same folder; checked before any slot is stored.
  fs::path idx_path = fs::path(o.out_dir) / "index.json";
  std::map<std::string, std::string> files = ReadFolderIndex(idx_path);
  for (const auto& [list_id, l] : lists) {
    if (Status s = PlaceList(list_id, o.out_dir, !token, &files); !s.ok()) return s;
  }
  if (Status s = index.AssignSlots(slots); !s.ok()) return s;
  stats.newly_assigned = slots.size();
  for (auto& [id, r] : records) {
    if (auto it = assigned.find(id); it != assigned.end()) {
      r.list_id = it->second.first;
      r.list_index = it->second.second;
    }
    ListState& l = list_for(r.list_id);
    if (r.state == CredentialState::kRevoked) {
      if (token) l.token.Set(r.list_index, 1, 2);
      else l.revocation.Set(r.list_index, 1);
      ++stats.revoked;
    } else if (r.state == CredentialState::kSuspended) {
      if (token) l.token.Set(r.list_index, 2, 2);
      else l.suspension.Set(r.list_index, 1);
      ++stats.suspended;
    }
    ++stats.records;
  }
  for (const auto& [list_id, l] : lists) {
    if (token) {
      if (Status s = WriteToken(key, o, list_id, files[list_id], l.token, o.now); !s.ok()) return s;
      stats.urls.push_back(list_id);
      ++stats.lists;
      continue;
    }
    if (Status s = WriteList(key, o, list_id, files[list_id], "revocation", l.revocation, o.now); !s.ok()) return s;
    const std::string suspension = list_id + "-suspension";
    if (Status s = WriteList(key, o, suspension, files[suspension], "suspension", l.suspension, o.now); !s.ok()) {
      return s;
    }
    stats.urls.push_back(list_id);
    stats.urls.push_back(suspension);
    ++stats.lists;
  }
  std::string index_json = "{";
  for (const auto& [url, file] : files) {
    index_json += (index_json.size() > 1 ? ",\n  " : "\n  ") + Q(url) + ": " + Q(file);
  }
  index_json += "\n}\n";
  if (Status st = WriteWhole(idx_path.string(), index_json); !st.ok()) return st;
  return stats;
}

}  // namespace credsweep::io
