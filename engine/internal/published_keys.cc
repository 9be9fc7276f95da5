#include "engine/internal/published_keys.h"

#include "engine/did.h"
#include "engine/issuer_documents.h"

namespace credsweep::internal {

struct PublishedKeys::Document {
  std::string url;  // where it was fetched
  Finding problem;  // key_unavailable when it cannot be used
  DidDocumentKeys did;                 // a DID document's keys
  std::shared_ptr<const KeySet> jwks;  // issuer metadata's keys
};

namespace {

std::shared_ptr<const PublishedKeys::Document> Unavailable(std::string url, std::string message) {
  auto doc = std::make_shared<PublishedKeys::Document>();
  doc->url = std::move(url);
  doc->problem = {"key_unavailable", std::move(message)};
  return doc;
}

}  // namespace

std::shared_ptr<const PublishedKeys::Document> PublishedKeys::Get(const std::string& subject,
                                                                  const Loader& load) const {
  std::promise<std::shared_ptr<const Document>> promise;
  std::shared_future<std::shared_ptr<const Document>> future;
  bool mine = false;
  {
    std::lock_guard lock(mu_);
    if (auto it = documents_.find(subject); it != documents_.end()) {
      future = it->second;
    } else {
      // Threads waiting on a dropped entry keep their own copy of its future.
      if (documents_.size() >= kMaxDocuments) documents_.clear();
      future = promise.get_future().share();
      documents_.emplace(subject, future);
      mine = true;
    }
  }
  if (mine) {
    try {
      promise.set_value(load());
    } catch (...) {
      // The waiters get the exception (each record's fence reports it); the next
      // record tries again.
      promise.set_exception(std::current_exception());
      std::lock_guard lock(mu_);
      documents_.erase(subject);
    }
  }
  return future.get();
}

Finding PublishedKeys::Fetch(const std::string& url, std::string_view what, std::string* out) const {
  auto doc = source_.Fetch(url);
  if (!doc.ok()) return {"key_unavailable", "cannot fetch the " + std::string(what) + " " + url + ": " + doc.status().message()};
  if (doc->size() > max_bytes_) {
    return {"key_unavailable", "the " + std::string(what) + " " + url + " is larger than " + std::to_string(max_bytes_) +
                                   " bytes"};
  }
  *out = std::move(doc).value();
  return {};
}

std::shared_ptr<const PublishedKeys::Document> PublishedKeys::LoadDidDocument(const std::string& did,
                                                                              const std::string& url) const {
  std::string text;
  if (Finding f = Fetch(url, "DID document", &text); !f.ok()) return Unavailable(url, std::move(f.message));
  auto keys = ParseDidDocument(text, did);
  if (!keys.ok()) return Unavailable(url, "the DID document " + url + " cannot be used: " + keys.status().message());
  source_.Validated(url, text);
  auto doc = std::make_shared<Document>();
  doc->url = url;
  doc->did = std::move(keys).value();
  return doc;
}

std::shared_ptr<const PublishedKeys::Document> PublishedKeys::LoadMetadata(const std::string& issuer,
                                                                           const std::string& url) const {
  std::string text;
  if (Finding f = Fetch(url, "JWT VC issuer metadata", &text); !f.ok()) return Unavailable(url, std::move(f.message));
  auto meta = ParseIssuerMetadata(text, issuer);
  if (!meta.ok()) {
    return Unavailable(url, "the JWT VC issuer metadata " + url + " cannot be used: " + meta.status().message());
  }
  auto doc = std::make_shared<Document>();
  doc->url = url;
  doc->jwks = meta->jwks;
  if (!meta->jwks_uri.empty()) {
    std::string set_text;
    const std::string what = "JWK Set (jwks_uri of " + url + ")";
    if (Finding f = Fetch(meta->jwks_uri, what, &set_text); !f.ok()) return Unavailable(url, std::move(f.message));
    auto set = ParseJwkSet(set_text, meta->jwks_uri);
    if (!set.ok()) {
      return Unavailable(url, "the " + what + " " + meta->jwks_uri + " cannot be used: " + set.status().message());
    }
    doc->jwks = std::move(set).value();
    source_.Validated(meta->jwks_uri, set_text);
  }
  source_.Validated(url, text);
  return doc;
}

KeyLookup PublishedKeys::DidWebKey(std::string_view did_url, bool authentication) const {
  const std::string did(DidOf(did_url));
  auto url = DidWebDocumentUrl(did);
  if (!url.ok()) return {{}, {"key_not_found", "cannot resolve " + std::string(did_url) + ": " + url.status().message()}};
  if (did_url.find('#') == std::string_view::npos) {
    return {{}, {"key_not_found", "the DID URL " + std::string(did_url) + " names no verification method (no #fragment)"}};
  }
  auto doc = Get(did, [&] { return LoadDidDocument(did, *url); });
  if (!doc->problem.ok()) return {{}, doc->problem, doc->url};
  const std::string id(did_url);
  const std::string where = "the DID document " + doc->url;
  const DidRelationshipKeys& keys = authentication ? doc->did.authentication : doc->did.assertion;
  if (auto it = keys.keys.find(id); it != keys.keys.end()) return {{it->second}, {}, doc->url};
  if (auto it = keys.rejected.find(id); it != keys.rejected.end()) {
    return {{}, {"key_rejected", "key " + id + " in " + where + " cannot be used: " + it->second}, doc->url};
  }
  if (authentication) {
    return {{}, {"key_not_found", where + " has no verification method " + id +
                                      " under authentication: it may not sign the presentations its DID hands in"},
            doc->url};
  }
  if (doc->did.not_for_assertions.contains(id)) {
    return {{}, {"key_not_found", where + " lists " + id + ", but not under assertionMethod: it may not seal credentials"},
            doc->url};
  }
  return {{}, {"key_not_found", where + " has no verification method " + id + " under assertionMethod"}, doc->url};
}

KeyLookup PublishedKeys::MetadataKeys(std::string_view issuer_view, std::string_view kid) const {
  const std::string issuer(issuer_view);
  auto url = IssuerMetadataUrl(issuer);
  if (!url.ok()) return {{}, {"key_not_found", "the issuer has no JWT VC issuer metadata: " + url.status().message()}};
  auto doc = Get(issuer, [&] { return LoadMetadata(issuer, *url); });
  if (!doc->problem.ok()) return {{}, doc->problem, doc->url};
  const std::string where = "the JWT VC issuer metadata " + doc->url;
  std::vector<PublicKeyPtr> keys;
  if (kid.empty()) {
    keys = doc->jwks->all();
  } else {
    auto found = doc->jwks->FindByKid(kid);
    keys.assign(found.begin(), found.end());
  }
  if (!keys.empty()) return {std::move(keys), {}, doc->url};
  if (std::string why = doc->jwks->RejectionReason(kid); !kid.empty() && !why.empty()) {
    return {{}, {"key_rejected", "key '" + std::string(kid) + "' in " + where + " cannot be used: " + why}, doc->url};
  }
  return {{}, {"key_not_found", kid.empty() ? where + " has no usable key" : where + " has no key with kid '" +
                                                                               std::string(kid) + "'"},
          doc->url};
}

}  // namespace credsweep::internal
