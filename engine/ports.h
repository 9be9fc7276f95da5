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
  // A hint that Lookup(credential_id) follows soon: a lookup in memory may start
  // fetching what it reads first, and the work in between hides the cache miss.
  virtual void Prefetch(std::string_view credential_id) const { (void)credential_id; }
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

// Readings of records kept from one run to the next (a sweep keeps them in its
// index): for a record at a source ("path:line"), what its envelope, format and
// seal gave, in the engine's own encoding, so that a record seen before is not
// parsed and its signature not verified again (docs/sweep.md, "Incremental
// sweeps"). An entry counts only for the bytes it was made from: it is kept with
// their SHA-256, and found only by a record with the same. The entry says for
// which verification times it holds; the engine checks that. The cache must hold
// readings made under one trust configuration and one policy only (its owner keys
// it by them). Implementations must be safe to call from many threads at once.
class ReadingCache {
 public:
  virtual ~ReadingCache() = default;
  // The entry stored for the record at `source` whose SHA-256 (32 bytes) is
  // `record_sha256`, if any: valid until the calling thread's next call of Find,
  // Add or Stale.
  virtual std::optional<std::string_view> Find(std::string_view source, std::string_view record_sha256) const = 0;
  // Stores `entry` for the record at `source` with that SHA-256, replacing any.
  // Best effort: a failure to keep it costs only a verification the next time.
  virtual void Add(std::string_view source, std::string_view record_sha256, std::string entry) const = 0;
  // The entry Find gave does not hold at this verification time (or cannot be
  // read): the record is read and sealed again, and Add is called only when the
  // new reading may be kept.
  virtual void Stale(std::string_view source) const = 0;
};

// Where status list credentials come from.
using StatusListSource = DocumentSource;
// Where the documents in which issuers publish their keys come from.
using IssuerDocumentSource = DocumentSource;

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_PORTS_H_
