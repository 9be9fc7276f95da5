#include "engine/key_set.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "engine/internal/json.h"

namespace credsweep {

namespace {

// Orders keys by kid, and finds a kid among them.
struct ByKid {
  bool operator()(const PublicKeyPtr& a, const PublicKeyPtr& b) const { return a->kid() < b->kid(); }
  bool operator()(const PublicKeyPtr& a, std::string_view kid) const { return a->kid() < kid; }
  bool operator()(std::string_view kid, const PublicKeyPtr& b) const { return kid < b->kid(); }
};

}  // namespace

void KeySet::Add(PublicKeyPtr key, std::string_view issuer) {
  Append(std::move(key), issuer);
  if (keys_.back()->kid().empty()) return;
  // Into place among the sorted ones, after those with the same kid.
  auto last = by_kid_.end() - 1;
  std::rotate(std::upper_bound(by_kid_.begin(), last, std::string_view((*last)->kid()), ByKid()), last, by_kid_.end());
}

void KeySet::Append(PublicKeyPtr key, std::string_view issuer) {
  if (!issuer.empty()) issuers_[key.get()] = std::string(issuer);
  if (!key->kid().empty()) by_kid_.push_back(key);
  keys_.push_back(std::move(key));
}

// Stable: keys sharing a kid stay in the order they were added.
void KeySet::SortByKid() { std::stable_sort(by_kid_.begin(), by_kid_.end(), ByKid()); }

std::string_view KeySet::IssuerOf(const PublicKey& key) const {
  auto it = issuers_.find(&key);
  return it == issuers_.end() ? std::string_view() : std::string_view(it->second);
}

Status KeySet::AddJwks(std::string_view json, std::string_view origin, std::string_view issuer) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  internal::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return InvalidArgument(std::string(origin) + ": not a JSON object (JWK or JWK Set)");
  }
  simdjson::dom::array keys;
  std::vector<std::string> members;
  if (root["keys"].get_array().get(keys) == simdjson::SUCCESS) {
    for (auto k : keys) members.push_back(simdjson::minify(k));
  } else {
    members.push_back(simdjson::minify(root));
  }
  for (const auto& m : members) {
    // The kid (for messages) and whether private members are present, from the
    // member itself: FromJwk ignores private members by contract.
    simdjson::dom::parser p2;
    simdjson::padded_string pm(m);
    internal::object o;
    std::string kid = "(no kid)";
    bool is_private = false;
    if (p2.parse(pm).get_object().get(o) == simdjson::SUCCESS) {
      if (auto k = internal::StringMember(o, "kid")) kid = std::string(*k);
      for (const char* name : {"d", "p", "q", "dp", "dq", "qi", "oth"}) is_private |= internal::HasMember(o, name);
    }
    auto key = PublicKey::FromJwk(m);
    if (!key.ok()) {
      rejected_[kid] = std::string(origin) + ": " + key.status().message();
      continue;
    }
    if (is_private) {
      warnings_.push_back(std::string(origin) + ": key '" + kid +
                          "' is a private JWK; only its public part is used (give the public JWK Set instead)");
    }
    Append(std::move(key).value(), issuer);
  }
  SortByKid();
  return Status::Ok();
}

Status KeySet::AddJwksFile(const std::string& path, std::string_view issuer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open JWK Set " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return AddJwks(ss.str(), path, issuer);
}

std::span<const PublicKeyPtr> KeySet::FindByKid(std::string_view kid) const {
  auto [b, e] = std::equal_range(by_kid_.begin(), by_kid_.end(), kid, ByKid());
  return {b, e};
}

std::string KeySet::RejectionReason(std::string_view kid) const {
  auto it = rejected_.find(std::string(kid));
  return it == rejected_.end() ? std::string() : it->second;
}

}  // namespace credsweep
