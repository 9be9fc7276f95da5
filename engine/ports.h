// The ports the engine declares for what it reads from outside: the status index
// (StatusLookup) and published documents (DocumentSource: status list credentials,
// issuer key documents). storage/ and io/
// implement them; tests use in-memory fakes (tests/fakes.h).
#ifndef CREDSWEEP_ENGINE_PORTS_H_
#define CREDSWEEP_ENGINE_PORTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "engine/credential_status.h"
#include "engine/result.h"

namespace credsweep {

// Read side of the status index, as the verifier needs it. Implementations must be
// safe to call from many threads at once.
class StatusLookup {
 public:
  virtual ~StatusLookup() = default;
  // nullopt: the id was never registered ("unknown", never "active").
  virtual Result<std::optional<StatusRecord>> Lookup(std::string_view credential_id) const = 0;
};

// Documents published at a URL that the verifier reads and then judges itself:
// status list credentials, DID documents (did:web), JWT VC issuer metadata and the
// JWK Sets it references. Implementations (a folder, the index's cache, HTTP) must
// be safe to call from many threads at once.
class DocumentSource {
 public:
  virtual ~DocumentSource() = default;
  // The document at `url`, as published. NotFound / IoError (or Unsupported for a
  // refused address) when it cannot be had; never a guess.
  virtual Result<std::string> Fetch(std::string_view url) const = 0;
  // Called by the verifier after the document fetched from `url` passed every check
  // it is held to (a list credential: seal, issuer, type, purpose, dates; a key
  // document: its id or issuer, its keys). Sources that persist what they fetch
  // store it only then. Default: nothing.
  virtual void Validated(std::string_view url, std::string_view document) const {}
};

// Where status list credentials come from.
using StatusListSource = DocumentSource;
// Where the documents in which issuers publish their keys come from.
using IssuerDocumentSource = DocumentSource;

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_PORTS_H_
