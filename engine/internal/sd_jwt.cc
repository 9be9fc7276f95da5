#include "engine/internal/sd_jwt.h"

#include <unordered_map>
#include <unordered_set>

#include "engine/encoding.h"
#include "engine/internal/envelope.h"
#include "engine/internal/json.h"
#include "engine/json_writer.h"
#include "engine/sha256.h"

namespace credsweep::internal {

std::optional<SdJwtParts> SplitSdJwt(std::string_view record) {
  const size_t first = record.find('~');
  if (first == std::string_view::npos) return std::nullopt;
  SdJwtParts parts;
  parts.issuer_jws = record.substr(0, first);
  const size_t last = record.rfind('~');
  parts.sd_hash_input = record.substr(0, last + 1);
  parts.kb_jwt = record.substr(last + 1);
  for (size_t at = first + 1; at <= last;) {
    size_t end = record.find('~', at);
    parts.disclosures.push_back(record.substr(at, end - at));
    at = end + 1;
  }
  return parts;
}

namespace {

using simdjson::dom::array;

struct Disclosure {
  std::string_view text;  // base64url, as sent
  element value;          // the decoded JSON array
  bool used = false;
};

class Processor {
 public:
  Processor(std::vector<Disclosure>* ds, size_t max_depth) : ds_(*ds), max_depth_(max_depth) {
    for (size_t i = 0; i < ds_.size(); ++i) by_digest_.emplace(Base64UrlEncode(Sha256(ds_[i].text)), i);
  }
  bool duplicate_disclosure() const { return by_digest_.size() != ds_.size(); }

  Finding Value(element e, JsonWriter& w, size_t depth) {
    if (depth > max_depth_) return {"too_deep", "the disclosed payload nests deeper than the configured limit"};
    object o;
    array a;
    if (e.get_object().get(o) == simdjson::SUCCESS) return Object(o, w, depth, false);
    if (e.get_array().get(a) == simdjson::SUCCESS) return Array(a, w, depth);
    w.Raw(simdjson::minify(e));
    return {};
  }

  Finding Object(object o, JsonWriter& w, size_t depth, bool top) {
    w.BeginObject();
    std::unordered_set<std::string_view> names;
    element sd;
    bool has_sd = false;
    for (auto [key, value] : o) {
      if (key == "_sd") {
        sd = value;
        has_sd = true;
        continue;
      }
      if (top && key == "_sd_alg") continue;
      names.insert(key);
      w.Key(key);
      if (Finding f = Value(value, w, depth + 1); !f.ok()) return f;
    }
    if (has_sd) {
      array digests;
      if (sd.get_array().get(digests) != simdjson::SUCCESS) {
        return {"sd_jwt_invalid_disclosure", "_sd must be an array of digests"};
      }
      for (element d : digests) {
        std::string_view digest;
        if (d.get_string().get(digest) != simdjson::SUCCESS) {
          return {"sd_jwt_invalid_disclosure", "_sd holds a digest that is not a string"};
        }
        auto disclosure = Use(digest);
        if (!disclosure.first.ok()) return disclosure.first;
        if (!disclosure.second) continue;  // a decoy digest
        array arr = disclosure.second->value.get_array().value_unsafe();
        if (arr.size() != 3) {
          return {"sd_jwt_invalid_disclosure",
                  "an array-element disclosure ([salt, value]) is referenced by _sd, which takes [salt, name, value]"};
        }
        std::string_view name = arr.at(1).get_string().value_unsafe();
        if (name == "_sd" || name == "...") {
          return {"sd_jwt_reserved_claim", "a disclosure names the claim '" + std::string(name) + "', which is reserved"};
        }
        if (!names.insert(name).second) {
          return {"sd_jwt_claim_override",
                  "a disclosure of '" + std::string(name) + "' would replace a claim the object already has"};
        }
        w.Key(name);
        if (Finding f = Value(arr.at(2).value_unsafe(), w, depth + 1); !f.ok()) return f;
      }
    }
    w.EndObject();
    return {};
  }

  Finding Array(array a, JsonWriter& w, size_t depth) {
    w.BeginArray();
    for (element e : a) {
      object o;
      std::string_view digest;
      if (e.get_object().get(o) == simdjson::SUCCESS && o.size() == 1 &&
          o["..."].get_string().get(digest) == simdjson::SUCCESS) {
        auto disclosure = Use(digest);
        if (!disclosure.first.ok()) return disclosure.first;
        if (!disclosure.second) continue;  // a decoy: the element is not there
        array arr = disclosure.second->value.get_array().value_unsafe();
        if (arr.size() != 2) {
          return {"sd_jwt_invalid_disclosure",
                  "an object-property disclosure ([salt, name, value]) is referenced as an array element"};
        }
        if (Finding f = Value(arr.at(1).value_unsafe(), w, depth + 1); !f.ok()) return f;
        continue;
      }
      if (Finding f = Value(e, w, depth + 1); !f.ok()) return f;
    }
    w.EndArray();
    return {};
  }

 private:
  // The disclosure `digest` refers to (null for a decoy); a digest seen before is refused.
  std::pair<Finding, Disclosure*> Use(std::string_view digest) {
    if (!seen_.insert(std::string(digest)).second) {
      return {{"sd_jwt_duplicate_digest", "the digest " + std::string(digest) + " appears more than once"}, nullptr};
    }
    auto it = by_digest_.find(std::string(digest));
    if (it == by_digest_.end()) return {{}, nullptr};
    Disclosure* d = &ds_[it->second];
    d->used = true;
    return {{}, d};
  }

  std::vector<Disclosure>& ds_;
  size_t max_depth_;
  std::unordered_map<std::string, size_t> by_digest_;
  std::unordered_set<std::string> seen_;
};

struct SdJwtParsers {
  simdjson::dom::parser payload, disclosures, scratch;
};

}  // namespace

Finding ProcessDisclosures(std::string_view payload_json, const std::vector<std::string_view>& disclosures,
                           size_t max_depth, DisclosedPayload* out) {
  thread_local SdJwtParsers p;
  for (auto* parser : {&p.payload, &p.disclosures, &p.scratch}) {
    if (parser->max_depth() != max_depth &&
        parser->allocate(std::min<size_t>(payload_json.size() + 1, 1 << 16), max_depth) != simdjson::SUCCESS) {
      throw std::bad_alloc();  // caught at the pipeline's task fence
    }
  }
  // Each disclosure on its own first (for a precise message), then all of them as
  // one array, whose elements stay valid while the payload is processed.
  std::string all = "[";
  for (size_t i = 0; i < disclosures.size(); ++i) {
    const std::string which = "disclosure " + std::to_string(i + 1);
    std::string text;
    if (disclosures[i].empty() || !Base64UrlDecodeInto(disclosures[i], &text)) {
      return {"sd_jwt_invalid_disclosure", which + " is not base64url"};
    }
    element root;
    if (auto err = p.scratch.parse(text).get(root); err != simdjson::SUCCESS) return JsonError(err, which);
    array arr;
    if (root.get_array().get(arr) != simdjson::SUCCESS) {
      return {"sd_jwt_invalid_disclosure", which + " is not a JSON array"};
    }
    std::string_view s;
    if ((arr.size() != 2 && arr.size() != 3) || arr.at(0).get_string().get(s) != simdjson::SUCCESS ||
        (arr.size() == 3 && arr.at(1).get_string().get(s) != simdjson::SUCCESS)) {
      return {"sd_jwt_invalid_disclosure", which + " is not [salt, value] or [salt, name, value] with string salt and name"};
    }
    if (auto dup = DuplicateMember(root)) return {"duplicate_member", which + ": " + *dup};
    if (i) all += ',';
    all += text;
  }
  all += ']';
  array all_arr;
  if (auto err = p.disclosures.parse(all).get_array().get(all_arr); err != simdjson::SUCCESS) {
    return JsonError(err, "the disclosures");
  }
  std::vector<Disclosure> ds(disclosures.size());
  size_t i = 0;
  for (element e : all_arr) {
    ds[i].text = disclosures[i];
    ds[i].value = e;
    ++i;
  }
  object payload;
  if (auto err = p.payload.parse(payload_json.data(), payload_json.size()).get_object().get(payload);
      err != simdjson::SUCCESS) {
    if (err == simdjson::INCORRECT_TYPE) return {"not_a_credential", "the SD-JWT payload is not a JSON object"};
    return JsonError(err, "the SD-JWT payload");
  }
  element alg;
  if (payload["_sd_alg"].get(alg) == simdjson::SUCCESS) {
    std::string_view name;
    if (alg.get_string().get(name) != simdjson::SUCCESS || name != "sha-256") {
      return {"sd_jwt_unsupported_hash",
              "_sd_alg " + simdjson::minify(alg) + ": only sha-256 is supported (RFC 9901 names it the default)"};
    }
  }
  Processor proc(&ds, max_depth);
  if (proc.duplicate_disclosure()) {
    return {"sd_jwt_duplicate_digest", "the same disclosure is sent more than once"};
  }
  out->json.clear();
  JsonWriter w(&out->json);
  if (Finding f = proc.Object(payload, w, 1, true); !f.ok()) return f;
  out->disclosed = 0;
  for (size_t k = 0; k < ds.size(); ++k) {
    if (!ds[k].used) {
      return {"sd_jwt_unreferenced_disclosure",
              "disclosure " + std::to_string(k + 1) + " is referenced by no digest in the payload"};
    }
    ++out->disclosed;
  }
  return {};
}

}  // namespace credsweep::internal
