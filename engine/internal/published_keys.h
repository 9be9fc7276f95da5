// Keys issuers publish (engine/issuer_documents.h), fetched through the
// configured IssuerDocumentSource once per Verifier and shared by all its threads:
// a thread asking for a document that is being fetched waits for the first. Each
// document is kept, as its parsed keys or as the reason it cannot be used, until
// the Verifier goes; past kMaxDocuments the cache starts over. A document that
// passed its checks is reported to the source (DocumentSource::Validated), so a
// persisting source keeps only documents that were usable. Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_PUBLISHED_KEYS_H_
#define CREDSWEEP_ENGINE_INTERNAL_PUBLISHED_KEYS_H_

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/finding.h"
#include "engine/keys.h"
#include "engine/ports.h"

namespace credsweep::internal {

// Keys for one signature, or the seal finding that says why there are none:
//   key_unavailable  the document could not be fetched or used (the message names
//                    its URL and the reason);
//   key_not_found    the document has no such key (for a DID: none under
//                    assertionMethod);
//   key_rejected     the document lists the key, but it cannot be used.
struct KeyLookup {
  std::vector<PublicKeyPtr> keys;
  Finding finding;
  std::string url;  // the document the keys came from
};

class PublishedKeys {
 public:
  // `source` must outlive this object. Documents larger than `max_bytes` are
  // not used.
  PublishedKeys(const IssuerDocumentSource& source, size_t max_bytes) : source_(source), max_bytes_(max_bytes) {}

  // The key a did:web DID URL ("did:web:example.com#key-1") names in the DID's
  // document. A DID URL without a fragment names no key (key_not_found).
  // `authentication`: the method must be under `authentication` (a holder signing a
  // presentation), else under `assertionMethod` (an issuer sealing a credential).
  KeyLookup DidWebKey(std::string_view did_url, bool authentication = false) const;

  // The keys of an https issuer's JWT VC Issuer Metadata whose kid is `kid`;
  // every key of its JWK Set when `kid` is empty.
  KeyLookup MetadataKeys(std::string_view issuer, std::string_view kid) const;

  struct Document;  // one fetched document: its keys, or why it cannot be used

 private:
  using Loader = std::function<std::shared_ptr<const Document>()>;
  static constexpr size_t kMaxDocuments = 4096;

  // The document cached under `subject` (a DID or an issuer: what the document
  // is checked against), loaded once.
  std::shared_ptr<const Document> Get(const std::string& subject, const Loader& load) const;
  std::shared_ptr<const Document> LoadDidDocument(const std::string& did, const std::string& url) const;
  std::shared_ptr<const Document> LoadMetadata(const std::string& issuer, const std::string& url) const;
  Finding Fetch(const std::string& url, std::string_view what, std::string* out) const;

  const IssuerDocumentSource& source_;
  size_t max_bytes_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::shared_future<std::shared_ptr<const Document>>> documents_;
};

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_PUBLISHED_KEYS_H_
