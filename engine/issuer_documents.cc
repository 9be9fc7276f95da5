#include "engine/issuer_documents.h"

#include "engine/did.h"
#include "engine/internal/json.h"

namespace credsweep {
namespace {

using internal::element;
using internal::object;

// A published document's root object. Duplicate members are refused as in signed
// payloads: parsers disagree on which one wins, so `id` or `issuer` could be read
// one way here and another way elsewhere.
Status ParseRoot(simdjson::dom::parser& parser, const simdjson::padded_string& text, object* root) {
  if (parser.parse(text).get_object().get(*root) != simdjson::SUCCESS) return InvalidArgument("not a JSON object");
  if (auto dup = internal::DuplicateMember(*root)) return InvalidArgument(*dup);
  return Status::Ok();
}

// A method id made absolute: "#key-1" is relative to the document's DID.
std::string Absolute(std::string_view id, std::string_view did) {
  return id.starts_with("#") ? std::string(did) + std::string(id) : std::string(id);
}

// The key of one verification method, from publicKeyJwk or publicKeyMultibase.
Result<PublicKeyPtr> MethodKey(object method) {
  object jwk;
  if (method["publicKeyJwk"].get_object().get(jwk) == simdjson::SUCCESS) return PublicKey::FromJwk(simdjson::minify(jwk));
  if (auto multibase = internal::StringMember(method, "publicKeyMultibase")) return KeyFromMultikey(*multibase);
  return Unsupported("it has no publicKeyJwk or publicKeyMultibase");
}

// Adds one method referenced under a relationship, by its absolute id.
void AddMethod(const std::string& id, object method, std::string_view did, DidRelationshipKeys* out) {
  if (DidOf(id) != did || id.find('#') == std::string::npos) {
    out->rejected[id] = "it is not a verification method of " + std::string(did) + " (only the document's own are used)";
    return;
  }
  auto key = MethodKey(method);
  if (key.ok()) {
    out->keys[id] = std::move(key).value();
  } else {
    out->rejected[id] = key.status().message();
  }
}

// The methods referenced (or embedded) under `relationship`.
Status ReadRelationship(object root, std::string_view relationship, const std::map<std::string, object, std::less<>>& methods,
                        std::string_view did, DidRelationshipKeys* out) {
  element member;
  simdjson::dom::array list;
  if (root[relationship].get(member) != simdjson::SUCCESS) return Status::Ok();
  if (member.get_array().get(list) != simdjson::SUCCESS) return InvalidArgument(std::string(relationship) + " is not an array");
  for (element e : list) {
    std::string_view ref;
    object embedded;
    if (e.get_string().get(ref) == simdjson::SUCCESS) {
      const std::string abs = Absolute(ref, did);
      auto it = methods.find(abs);
      if (it == methods.end()) {
        out->rejected[abs] = std::string(relationship) + " refers to it, but verificationMethod does not list it";
      } else {
        AddMethod(abs, it->second, did, out);
      }
    } else if (e.get_object().get(embedded) == simdjson::SUCCESS) {
      if (auto mid = internal::StringMember(embedded, "id")) AddMethod(Absolute(*mid, did), embedded, did, out);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<DidDocumentKeys> ParseDidDocument(std::string_view json, std::string_view did) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(json);
  object root;
  if (Status s = ParseRoot(parser, text, &root); !s.ok()) return s;
  auto id = internal::StringMember(root, "id");
  if (!id || *id != did) {
    return InvalidArgument("its id " + (id ? "'" + std::string(*id) + "'" : std::string("(missing)")) +
                           " is not the DID " + std::string(did));
  }
  // The document's methods by absolute id, for references under assertionMethod.
  std::map<std::string, object, std::less<>> methods;
  simdjson::dom::array list;
  element member;
  if (root["verificationMethod"].get(member) == simdjson::SUCCESS) {
    if (member.get_array().get(list) != simdjson::SUCCESS) return InvalidArgument("verificationMethod is not an array");
    for (element e : list) {
      object m;
      std::string_view mid;
      if (e.get_object().get(m) == simdjson::SUCCESS && m["id"].get_string().get(mid) == simdjson::SUCCESS) {
        methods.emplace(Absolute(mid, did), m);
      }
    }
  }
  DidDocumentKeys out;
  if (Status st = ReadRelationship(root, "assertionMethod", methods, did, &out.assertion); !st.ok()) return st;
  if (Status st = ReadRelationship(root, "authentication", methods, did, &out.authentication); !st.ok()) return st;
  for (const auto& [mid, m] : methods) {
    if (!out.assertion.keys.contains(mid) && !out.assertion.rejected.contains(mid)) out.not_for_assertions.insert(mid);
  }
  return out;
}

Result<std::string> IssuerMetadataUrl(std::string_view issuer) {
  constexpr std::string_view kScheme = "https://";
  if (!issuer.starts_with(kScheme)) return InvalidArgument("the issuer is not an https URL");
  for (char c : issuer) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '?' || c == '#' || c == '\\') {
      return InvalidArgument("the issuer URL has a query, a fragment, spaces or control characters");
    }
  }
  std::string_view rest = issuer.substr(kScheme.size());
  const size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (host.empty() || host.find('@') != std::string_view::npos) {
    return InvalidArgument("the issuer URL has no host, or has user info");
  }
  if (path.ends_with("/")) path.remove_suffix(1);
  return std::string(kScheme) + std::string(host) + "/.well-known/jwt-vc-issuer" + std::string(path);
}

Result<std::shared_ptr<const KeySet>> ParseJwkSet(std::string_view json, std::string_view origin) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(json);
  object root;
  if (Status s = ParseRoot(parser, text, &root); !s.ok()) return s;
  simdjson::dom::array keys;
  // KeySet::AddJwks also takes a single JWK; a published key set must be a set.
  if (root["keys"].get_array().get(keys) != simdjson::SUCCESS) return InvalidArgument("not a JWK Set (no \"keys\" array)");
  auto set = std::make_shared<KeySet>();
  if (Status s = set->AddJwks(json, origin); !s.ok()) return s;
  return std::shared_ptr<const KeySet>(std::move(set));
}

Result<IssuerMetadata> ParseIssuerMetadata(std::string_view json, std::string_view issuer) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(json);
  object root;
  if (Status s = ParseRoot(parser, text, &root); !s.ok()) return s;
  auto named = internal::StringMember(root, "issuer");
  if (!named || *named != issuer) {
    return InvalidArgument("its issuer " + (named ? "'" + std::string(*named) + "'" : std::string("(missing)")) +
                           " is not identical to the credential's issuer " + std::string(issuer));
  }
  element jwks;
  const bool inline_set = root["jwks"].get(jwks) == simdjson::SUCCESS;
  auto uri = internal::StringMember(root, "jwks_uri");
  if (inline_set == internal::HasMember(root, "jwks_uri")) {
    return InvalidArgument("it must have exactly one of jwks and jwks_uri");
  }
  IssuerMetadata out;
  if (!inline_set) {
    // The metadata came over https; a plain-http key set would let anyone on the
    // path replace the keys.
    if (!uri || !uri->starts_with("https://")) return InvalidArgument("its jwks_uri is not an https URL");
    out.jwks_uri = std::string(*uri);
    return out;
  }
  auto set = ParseJwkSet(simdjson::minify(jwks), "jwks");
  if (!set.ok()) return InvalidArgument("its jwks is " + set.status().message());
  out.jwks = std::move(set).value();
  return out;
}

}  // namespace credsweep
