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

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

struct ListState {
  std::set<uint64_t> used;
  StatusBitstring revocation, suspension;
};

std::string Q(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// Writes one signed list as L.jwt (compact) and L.json (flattened JWS JSON).
Status WriteList(const PrivateKey& key, const PublishOptions& o, const std::string& url,
                 const std::string& file_stem, const char* purpose, const StatusBitstring& bits,
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
  fs::path dir(o.out_dir);
  std::ofstream(dir / (file_stem + ".jwt"), std::ios::binary) << *jws << "\n";
  std::ofstream(dir / (file_stem + ".json"), std::ios::binary) << flattened;
  if (!fs::exists(dir / (file_stem + ".jwt"))) return IoError("cannot write " + (dir / file_stem).string());
  return Status::Ok();
}

// A file-name-safe form of an issuer URL: its last path segment or host.
std::string Slug(const std::string& issuer) {
  std::string s = issuer;
  while (!s.empty() && s.back() == '/') s.pop_back();
  s = s.substr(s.find_last_of("/:") == std::string::npos ? 0 : s.find_last_of("/:") + 1);
  for (auto& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  return s.empty() ? "issuer" : s;
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
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) return IoError("cannot create " + o.out_dir + ": " + ec.message());

  const std::string prefix = o.base_url + "/";
  std::map<std::string, ListState> lists;
  std::vector<std::string> unassigned;
  PublishStats stats;
  auto list_for = [&](const std::string& id) -> ListState& {
    auto [it, fresh] = lists.try_emplace(id);
    if (fresh) {
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
  if (Status s = index.AssignSlots(slots); !s.ok()) return s;
  stats.newly_assigned = slots.size();
  for (auto& [id, r] : records) {
    if (auto it = assigned.find(id); it != assigned.end()) {
      r.list_id = it->second.first;
      r.list_index = it->second.second;
    }
    ListState& l = list_for(r.list_id);
    if (r.state == CredentialState::kRevoked) {
      l.revocation.Set(r.list_index, 1);
      ++stats.revoked;
    } else if (r.state == CredentialState::kSuspended) {
      l.suspension.Set(r.list_index, 1);
      ++stats.suspended;
    }
    ++stats.records;
  }
  // index.json: URL -> file, merged with what other issuers published into the
  // same folder.
  fs::path idx_path = fs::path(o.out_dir) / "index.json";
  std::map<std::string, std::string> files;
  if (fs::exists(idx_path)) {
    simdjson::dom::parser parser;
    simdjson::padded_string old;
    simdjson::dom::object obj;
    if (simdjson::padded_string::load(idx_path.string()).get(old) == simdjson::SUCCESS &&
        parser.parse(old).get_object().get(obj) == simdjson::SUCCESS) {
      for (auto [url, file] : obj) {
        std::string_view f;
        if (file.get_string().get(f) == simdjson::SUCCESS) files[std::string(url)] = std::string(f);
      }
    }
  }
  for (const auto& [list_id, l] : lists) {
    std::string stem = list_id.substr(prefix.size());
    for (auto& c : stem) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    }
    stem = Slug(o.issuer) + "-" + stem;
    if (Status s = WriteList(key, o, list_id, stem, "revocation", l.revocation, o.now); !s.ok()) return s;
    if (Status s = WriteList(key, o, list_id + "-suspension", stem + "-suspension", "suspension",
                             l.suspension, o.now);
        !s.ok()) {
      return s;
    }
    files[list_id] = stem + ".jwt";
    files[list_id + "-suspension"] = stem + "-suspension.jwt";
    ++stats.lists;
  }
  std::string index_json = "{";
  for (const auto& [url, file] : files) {
    index_json += (index_json.size() > 1 ? ",\n  " : "\n  ") + Q(url) + ": " + Q(file);
  }
  index_json += "\n}\n";
  std::ofstream out(idx_path, std::ios::binary);
  out << index_json;
  if (!out) return IoError("cannot write " + idx_path.string());
  return stats;
}

}  // namespace credsweep::io
