// Verifier: the five checks for one credential record. Build one per policy; it is
// immutable afterwards and Verify() may be called from any number of threads.
#ifndef CREDSWEEP_ENGINE_VERIFIER_H_
#define CREDSWEEP_ENGINE_VERIFIER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/credential_profile.h"
#include "engine/finding.h"
#include "engine/key_set.h"
#include "engine/ports.h"
#include "engine/status_list.h"
#include "engine/timestamp.h"
#include "engine/verification_result.h"
#include "engine/trust_registry.h"
#include "engine/certificate_status.h"
#include "engine/trusted_services.h"
#include "engine/x509_chain.h"

namespace credsweep {

class TimestampAuthorities;  // engine/timestamp_authorities.h

// One input record as the readers deliver it.
struct Record {
  std::string source;  // "path:line" or "path#k"
  std::string data;    // the raw bytes of the record
  // Set by a reader that could not deliver the record (e.g. "record_too_large"):
  // the verifier reports it as the format failure.
  Finding error;
  // The challenge this record answers, when it is its own (a VC API request's
  // options, --nonce-file per applicant): in place of VerifierOptions::audience /
  // nonce where set.
  std::string audience, nonce;
  // The record's place in its corpus's read order, from 0, set by a corpus run:
  // the same on every machine given the same inputs, whatever --shard (sweep merge
  // puts the parts' outcomes back in this order).
  uint64_t position = 0;
};

// Which signing time an X.509 seal is judged at when its certificate has expired
// by the verification time.
enum class SigningTimePolicy {
  // Only a proven time counts: a certificate that has expired at the verification
  // time fails `certificate_expired` unless a verified timestamp shows the seal was
  // made while it was valid (credsweep does not verify timestamps yet).
  kProven,
  // Loosened by name (`--signing-time claimed`): the time the sealer claims (sigT,
  // iat) is trusted for expired certificates, as verifiers without timestamps do.
  kClaimed,
};

// Seal levels as EU DSS reports them, from the weakest requirement up.
enum class SealLevelRequirement {
  kNone,       // any seal that verifies
  kAdvanced,   // an X.509 e-seal anchored in a trusted list or a --ca anchor (AdESeal)
  kQualified,  // a qualified certificate for e-seals (AdESeal-QC or QESeal)
  kQESeal,     // a qualified certificate on a qualified device (QESeal)
};

// Whether the credentials of a presentation must be its holder's (--holder-binding).
enum class HolderBinding {
  // A credential whose subject is a DID is verified only when the presentation's
  // own proof passed and its holder is that DID (else the credential's seal fails
  // holder_mismatch); a presentation without a proof fails not_sealed.
  kRequire,
  kWarn,  // the same found, said in the seal's message; nothing fails for it
  // Not judged: a presentation is a container; one without a proof passes.
  kOff,
};

struct VerifierOptions {
  std::shared_ptr<const KeySet> keys;              // may be null: no configured keys
  std::shared_ptr<const ChainValidator> anchors;   // may be null: no trust anchors
  UnixSeconds at = 0;                              // verification time
  int64_t clock_skew_seconds = 60;                 // tolerance for validity; capped at 1 day
  size_t max_record_bytes = 8u << 20;              // larger records: record_too_large
  size_t max_json_depth = 128;                     // deeper JSON: too_deep
  SigningTimePolicy signing_time = SigningTimePolicy::kProven;
  // The least seal level that passes (`--require-seal-level`); a lower one fails
  // `seal_level_insufficient`. Seals by JWK or DID keys have no eIDAS level.
  SealLevelRequirement min_seal_level = SealLevelRequirement::kNone;
  // Extra format requirements (`--profile`, engine/credential_profile.h). Status
  // list credentials are never held to a profile.
  CredentialProfile profile = CredentialProfile::kNone;
  // EU trusted-list services (`verify --trusted-lists`): anchors for X.509 seals,
  // with their status history, and the seal level (QESeal, AdESeal-QC, AdESeal).
  // May be null. With both these and `anchors`, the trusted lists are asked first.
  std::shared_ptr<const TrustedServiceSet> trusted_services;
  // Timestamp authorities (`--tsa-ca`): a JAdES signature timestamp (sigTst) whose
  // TSA chains to one of these proves when the seal was made. May be null: every
  // timestamp is still verified (imprint, signature, TSA key usage), none proves.
  std::shared_ptr<const TimestampAuthorities> timestamp_authorities;
  // Revocation of the seal certificate and its chain at the signing time
  // (engine/certificate_status.h): OCSP responses and CRLs the seal carries (JAdES
  // rVals) and these offline CRLs (`--crls DIR`; may be null).
  CertificateStatusPolicy certificate_status = CertificateStatusPolicy::kPrefer;
  std::shared_ptr<const CrlSet> crls;
  // Where OCSP responses and CRLs the certificates name are fetched (--online), for
  // a certificate the seal's own evidence and `crls` leave without status; each URL
  // once per Verifier. May be null: nothing is fetched.
  std::shared_ptr<const DocumentSource> certificate_status_documents;

  // Issuer binding. A seal passes only when its key belongs to the issuer the
  // credential names: a key of the issuer's DID, a key or certificate the
  // registry lists for it (`--trust`), a certificate whose organizationIdentifier
  // is the issuer's (engine/internal/organization_identifier.h), or a key set
  // bound with `--jwks ISSUER=FILE`. May be null.
  std::shared_ptr<const TrustRegistry> registry;
  // Loosened by name (`--trust-any-configured-key`): a configured key or
  // anchored certificate bound to no issuer seals for any issuer, as before
  // binding existed; every seal message says so. Keys bound to another issuer
  // and DID keys are still held to their issuer.
  bool trust_any_configured_key = false;
  // Keys issuers publish (docs/issuer-keys.md): did:web DID documents and the JWT
  // VC issuer metadata of https issuers, with the JWK Sets it references. Asked
  // only when no configured key has the signature's kid; a key from the issuer's
  // own DID document or metadata is bound to it. A document that cannot be fetched
  // or used fails the seal with key_unavailable. Each document is fetched once per
  // Verifier (kept up to 4096 documents). May be null: published keys are not read.
  std::shared_ptr<const IssuerDocumentSource> issuer_documents;

  // Accreditation (docs/accreditation.md): the registry's `accreditations`, and
  // records a credential names by URI, fetched from this source
  // (--accreditations DIR, --online) when the registry does not hold them; each
  // parsed once per Verifier. With neither, the check is skipped (not_configured).
  // Like status, accreditation is looked up only for a record whose seal passed.
  std::shared_ptr<const DocumentSource> accreditation_documents;
  // EBSI accreditation chains are read from the same source, at the URLs of this
  // Trusted Issuers Registry API (`{ebsi_tir}/issuers/{did}`), and at the URLs
  // the accreditations' `termsOfUse` name (--ebsi-tir).
  std::string ebsi_tir = "https://api-pilot.ebsi.eu/trusted-issuers-registry/v5";

  // Revocation. With neither, the check is skipped (not_configured). Status is
  // only looked up for a record whose seal passed (otherwise skipped, not_checked):
  // a forged record never makes the verifier fetch anything.
  std::shared_ptr<const StatusLookup> status_index;     // the engine's own index
  std::shared_ptr<const StatusListSource> status_lists; // status list credentials
  size_t max_status_list_bytes = kDefaultMaxStatusListBytes;  // decompressed cap
  // Decoded status lists kept in memory by one Verifier, least recently used
  // evicted first (an evicted list is fetched again when a record needs it).
  size_t max_status_list_cache_bytes = 256u << 20;
  // What a wallet presentation must prove to this verifier (SD-JWT Key Binding,
  // engine/checks/key_binding.h): the audience and nonce the verifier asked the
  // holder to sign (`--audience`, `--nonce`; empty: not compared), and how old the
  // holder's signature may be (`--kb-max-age`). With an audience or a nonce, every
  // SD-JWT must carry a Key Binding JWT.
  std::string audience, nonce;
  int64_t kb_max_age_seconds = 300;
  // Presentations (engine/checks/presentation.h): whether each enclosed
  // credential must be the holder's. The audience and nonce above are also what a
  // presentation's aud/nonce (or its proof's domain/challenge) must name.
  HolderBinding holder_binding = HolderBinding::kRequire;
  // Results of SD-JWTs carry the disclosed claims (VerificationResult::claims_json;
  // `--with-claims`): what the holder chose to show, for the reader's own checks.
  bool with_claims = false;
  // False: a check that passes carries its code without the message that says
  // what was read or consulted ("VC 2.0 credential (vc+jwt)", "ES256 signature
  // verified with ...", "status list URL [i] (revocation): not set", "accredited
  // by ...", "valid at ..."). A sweep stores codes only: most of these messages
  // are never built, the format's and the seal's are dropped once made (and not
  // kept with a reading). A check that fails or is skipped still says why.
  bool explain_passes = true;

  // Loosened by name: accept status list credentials that carry no seal (the W3C
  // test suites publish unsigned ones). A list whose seal fails is never accepted.
  bool allow_unsigned_status_lists = false;

  // Readings kept between runs (a sweep's; may be null). A record on its own (not
  // in a presentation, not an SD-JWT, with no challenge to answer) whose SHA-256
  // has an entry that holds at `at` is not parsed or sealed again: its format and
  // seal come from the entry; revocation, accreditation and validity are judged
  // as always. Readings whose seal verdict depends on more than the record, this
  // configuration and the time are never stored (engine/checks/verdict_window.h).
  // The results are the same as without the cache.
  std::shared_ptr<const ReadingCache> reading_cache;
};

namespace checks {
struct ResolvedList;
struct SealContext;
struct ParsedPresentation;
struct AccreditationLink;
class FetchBudget;
}  // namespace checks
namespace internal {
struct Envelope;
}  // namespace internal

// The five checks, in order: the record's envelope is opened (engine/internal/
// envelope.h), then format, seal, revocation, accreditation and validity run, each
// its own unit under engine/checks/.
class Verifier {
 public:
  explicit Verifier(VerifierOptions options);
  ~Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // Never throws for bad input: every problem is a check result. A presentation
  // gets a result of kind kPresentation holding its credentials' results
  // (VerificationResult::Flatten).
  VerificationResult Verify(const Record& record) const;
  // Appends to *results what Verify gives for each record, in order. Records are
  // read a few at a time before any of them is checked, so that what the checks
  // look up for them (the status index) is fetched for all of them together.
  void VerifyAll(const std::vector<Record>& records, std::vector<VerificationResult>* results) const;

  const VerifierOptions& options() const { return options_; }

 private:
  struct Shared;  // caches shared by all threads: DID keys, published keys, status lists
  std::shared_ptr<checks::ResolvedList> LoadStatusList(const std::string& url) const;
  bool LoadTokenStatusList(const std::string& url, std::string_view doc, checks::ResolvedList* out) const;
  // One Verifiable Accreditation of an EBSI chain: format, seal and status.
  std::shared_ptr<checks::AccreditationLink> ReadAccreditationLink(std::string_view data) const;
  // The presentation a credential came in, for holder binding; null for a record.
  struct Holder {
    const checks::ParsedPresentation& presentation;
    bool proven;                 // the presentation's own proof passed
    std::string key_thumbprint;  // of the key that made it, when proven
    // The options with the presentation's challenge: what an enclosed SD-JWT's own
    // key binding JWT must answer.
    const VerifierOptions& challenged;
    checks::FetchBudget* budget;  // published documents its credentials may make us fetch
  };
  VerificationResult VerifyRecord(const Record& record, const Holder* holder) const;
  // VerifyRecord in two steps. ReadRecord: the record's reading (kept from an earlier run,
  // or parsed and its seal judged); true when w->r is then final (an unreadable
  // record, a presentation). JudgeRecord: the checks that follow, on w, leaving
  // w->r final.
  struct Work;
  bool ReadRecord(const Record& record, const Holder* holder, Work* w) const;
  void JudgeRecord(const Holder* holder, Work* w) const;
  // The options the seal is judged under: with the record's or its presentation's challenge.
  const VerifierOptions& SealOptions(const Holder* holder, const Work& w) const;
  VerificationResult VerifyPresentation(const Record& record, internal::Envelope& env,
                                        checks::ParsedPresentation& presentation, CheckResult format) const;
  checks::SealContext SealContext(const VerifierOptions& options) const;
  checks::SealContext SealContext() const;
  VerifierOptions options_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_VERIFIER_H_
