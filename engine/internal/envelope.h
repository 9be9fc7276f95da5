// The envelope unit: detects what kind of record this is (compact JWS, JWS JSON
// general or flattened, or a JSON document that is unsecured or carries a Data
// Integrity proof) and splits it into the signatures the seal check verifies and
// the payload the format check reads. It checks no signature and reads no claim.
// Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_ENVELOPE_H_
#define CREDSWEEP_ENGINE_INTERNAL_ENVELOPE_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"
#include "engine/internal/jose_header.h"
#include "engine/internal/json.h"

namespace credsweep::internal {

// One pair of simdjson parsers per thread: the record (then the payload), and
// headers and small documents. Sized for the calling Verifier's limits.
struct Parsers {
  simdjson::dom::parser document;
  simdjson::dom::parser header;
  // A JWS payload (or JSON record) as the format check reads it, parsed by
  // ReadPresentation or CheckFormat with `document` into this document of its own
  // (simdjson's parse_into_document), which the format check's duplicate member scan
  // reads whole.
  simdjson::dom::document payload;
  // The compact JWS protected headers last read well with these parsers, by their
  // base64url text (short ones only): a batch's records share a few (one per issuer
  // and key), and the same text reads the same. Replaced in turn.
  struct KeptHeader {
    std::string text;
    JoseHeader header;
  };
  std::array<KeptHeader, 16> kept_headers;
  size_t next_kept_header = 0;
  const JoseHeader* FindHeader(std::string_view header64) const;
  void KeepHeader(std::string_view header64, const JoseHeader& header);
  void ForgetHeaders();
};
Parsers& ThreadParsers(size_t max_bytes, size_t max_depth);

// A JWS signature as the seal check needs it, whatever the serialization.
struct SignatureParts {
  JoseHeader header;
  // What the signature covers: a view into the record (compact JWS, no copy) or
  // into `owned_input` when it has to be assembled (JWS JSON serialization).
  std::string_view signing_input;
  std::string owned_input;
  std::string signature;  // decoded; empty when it was not base64url
};

struct Envelope {
  // kSdJwt: an SD-JWT (RFC 9901) `<issuer JWS>~<disclosures>~[<KB-JWT>]`; its
  // issuer JWS is signatures[0] and `payload` the claims with the disclosures in place.
  enum class Kind { kUnreadable, kCompactJws, kJwsJson, kJsonDocument, kSdJwt };
  Kind kind = Kind::kUnreadable;
  // A format problem found while splitting. When set, no payload was read.
  Finding problem;
  // Whether the seal check can run: the signatures (or the document's proof) were
  // split out, even if the payload is not a credential (the seal covers bytes).
  bool sealable = false;
  // A seal problem found while splitting (a signature that is not base64url).
  Finding seal_problem;
  std::vector<SignatureParts> signatures;  // empty for a JSON document
  // The credential (or JWT claims) as JSON text: the decoded JWS payload, or the
  // document itself. Valid when `problem` is ok().
  std::string payload;
  bool has_proof = false;     // a JSON document with a `proof` member
  // Set by the verifier when the payload reads as a presentation: a Data
  // Integrity proof must then be for authentication, not assertionMethod.
  bool presentation = false;
  std::string owned_record;   // a compact JWS that arrived as a JSON string
  // kSdJwt: views into the record.
  struct SdJwt {
    size_t disclosures = 0;         // disclosures sent (all used, when `problem` is ok)
    std::string_view kb_jwt;        // the Key Binding JWT; empty when none was sent
    std::string_view sd_hash_input; // what the KB-JWT's sd_hash covers
  } sd;
};

// Fills *out (which must be fresh and must not move afterwards: signing inputs may
// view into it or into `record`, which must outlive it). A JWS's payload and a
// JSON document are left with simdjson's padding after them, for the format
// check's parse in place (simdjson's std::string overload; an SD-JWT's payload,
// assembled from its disclosures, is copied by that parse).
void OpenEnvelope(std::string_view record, Parsers& p, Envelope* out);
// The same for a record that is a whole string of its own (a reader's line): when
// the string's spare capacity holds simdjson's padding, a JSON record is parsed
// where it lies rather than copied first. Reads the same.
void OpenEnvelope(const std::string& record, Parsers& p, Envelope* out);

// The record without surrounding white space and a leading UTF-8 byte order mark.
std::string_view TrimRecord(std::string_view s);

// A simdjson parse error as a format finding about `what`.
Finding JsonError(simdjson::error_code err, std::string_view what);

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_ENVELOPE_H_
