#include "engine/checks/seal.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <span>

#include "engine/checks/issuer_binding.h"
#include "engine/checks/key_binding.h"
#include "engine/certificate_status.h"
#include "engine/data_integrity.h"
#include "engine/did.h"
#include "engine/issuer_documents.h"
#include "engine/encoding.h"
#include "engine/timestamp_authorities.h"
#include "engine/trusted_services.h"
#include "engine/internal/certificate_path.h"
#include "engine/internal/openssl.h"

namespace credsweep::checks {
namespace {

using internal::Envelope;
using internal::SignatureParts;

constexpr std::string_view kUnknownIssuer = "; the payload names no issuer, so the key's binding was not checked";
constexpr std::string_view kAnyKeyInEffect =
    "; --trust-any-configured-key is in effect: keys bound to no issuer seal for any issuer";

// What an X.509 seal's verdict adds.
struct CertificateSeal {
  std::string level;  // the eIDAS level
  SealDetails details;
};

// A passing signature: the finding is ok() and `note` says how it verified. (The
// X.509 part is held apart: a verdict is moved on its way up, most often without one.)
struct SigVerdict {
  Finding finding;
  std::string note;
  std::string thumbprint;  // of the key that verified
  std::unique_ptr<CertificateSeal> x509;  // X.509 seals only

  std::string_view level() const { return x509 ? std::string_view(x509->level) : std::string_view(); }
};

// On a pass, *verified (when given) is the key that verified.
SigVerdict VerifyWith(std::span<const PublicKeyPtr> keys, const SignatureParts& s, std::string_view via,
                      const PublicKey** verified = nullptr) {
  JwsAlg alg = *s.header.alg;
  bool permitted = false, malformed = false;
  for (const auto& key : keys) {
    if (!key->Permits(alg)) continue;
    permitted = true;
    switch (key->Verify(alg, s.signing_input, s.signature)) {
      case SignatureCheck::kValid: {
        if (verified) *verified = key.get();
        SigVerdict v{{}, {}, key->thumbprint()};
        const std::string_view alg_name = JwsAlgName(alg), kind = KeyKindName(key->kind());
        // The binding's note follows (Bound): room for it too, so the message is one allocation.
        v.note.reserve(alg_name.size() + kind.size() + via.size() + 200);
        v.note.append(alg_name).append(" signature verified with ").append(kind).append(" key ").append(via);
        return v;
      }
      case SignatureCheck::kMalformed: malformed = true; break;
      case SignatureCheck::kInvalid: break;
    }
  }
  if (!permitted) {
    std::string kinds;
    for (const auto& k : keys) kinds += (kinds.empty() ? "" : ", ") + std::string(KeyKindName(k->kind()));
    return {{"alg_key_mismatch", "alg " + s.header.alg_name + " does not fit the " + kinds + " key " + std::string(via)}};
  }
  if (malformed) {
    return {{"signature_malformed", "the signature is not a well-formed " + s.header.alg_name +
                                        " signature (wrong length, or DER where JOSE wants r||s)"}};
  }
  return {{"signature_invalid", "the " + s.header.alg_name + " signature does not verify with key " + std::string(via)}};
}

SigVerdict VerifyWith(const PublicKeyPtr& key, const SignatureParts& s, std::string_view via) {
  return VerifyWith(std::span<const PublicKeyPtr>(&key, 1), s, via);
}

Finding ChainFinding(const ChainVerdict& cv) {
  using K = ChainVerdict::Kind;
  switch (cv.kind) {
    case K::kTrusted: return {};
    case K::kUntrusted: return {"chain_untrusted", cv.message};
    case K::kExpired: return {"certificate_expired", cv.message};
    case K::kNotYetValid: return {"certificate_not_yet_valid", cv.message};
    case K::kNotForSealing: return {"certificate_not_for_sealing", cv.message};
    case K::kWeak: return {"weak_certificate", cv.message};
    case K::kBadCertificate: return {"bad_certificate", cv.message};
    case K::kKeyRejected: return {"key_rejected", cv.message};
  }
  return {"chain_untrusted", cv.message};
}

// The time the sealer claims (sigT, else iat); nullopt when it claims none.
std::optional<UnixSeconds> ClaimedSigningTime(const internal::JoseHeader& h, const ParsedCredential& cred) {
  return h.sig_t ? h.sig_t : h.iat ? h.iat : cred.iat;
}

// The time keys and certificates are judged at: the claimed signing time;
// without one, validFrom when it has passed, else the verification time.
struct SigningAt {
  UnixSeconds at;
  // `at` is the verification time itself: a judgement at it holds only for the
  // verification times it records in the window (else the caller says Varies).
  bool now = false;
};

SigningAt SigningTime(std::optional<UnixSeconds> claimed, const ParsedCredential& cred, const SealContext& ctx) {
  const UnixSeconds now = ctx.options.at;
  const auto& valid_from = cred.credential.valid_from;
  if (claimed) return {*claimed};
  if (cred.present && valid_from && *valid_from <= now) {
    if (ctx.window) ctx.window->AtLeast(*valid_from);
    return {*valid_from};
  }
  // Until validFrom comes (when there is one), the verification time.
  if (ctx.window && cred.present && valid_from) ctx.window->AtMost(*valid_from - 1);
  return {now, true};
}

void Varies(const SealContext& ctx) {
  if (ctx.window) ctx.window->Varies();
}

// The JAdES timestamps of one signature. Every token must verify (its imprint, its
// signature, a timeStamping TSA), whoever the TSA is, and agree with the claimed
// signing time: adoTst (over the signed data, made before signing) not after it,
// sigTst (over the signature value, made after signing) not before it. A sigTst
// whose TSA is trusted proves the signature existed at its time.
struct TimestampEvidence {
  Finding finding;
  std::optional<UnixSeconds> proven;  // the earliest trusted sigTst time
  std::string proven_by;              // its TSA
  std::string note;
};

TimestampEvidence CheckTimestamps(const SignatureParts& s, std::optional<UnixSeconds> claimed,
                                  const VerifierOptions& o) {
  TimestampEvidence ev;
  const internal::JoseHeader& h = s.header;
  if (h.ado_tst.empty() && h.sig_tst.empty() && h.data_tst.empty()) return ev;
  static const TimestampAuthorities kNoAuthorities;
  const TimestampAuthorities& tsa = o.timestamp_authorities ? *o.timestamp_authorities : kNoAuthorities;
  const int64_t skew = o.clock_skew_seconds;
  // adoTst covers the JWS Payload as it appears in the JWS (base64url, or the
  // raw text with b64:false); sigTst the base64url JWS Signature.
  const std::string_view input = s.signing_input;
  const std::string_view payload = input.substr(input.find('.') + 1);
  const std::string signature = Base64UrlEncode(s.signature);
  auto verify = [&](const std::string& der, std::string_view data, std::string_view name) -> std::optional<TimestampVerdict> {
    TimestampVerdict v = tsa.Verify(der, data, o.at);
    if (!v.finding.ok()) {
      ev.finding = {v.finding.code, std::string(name) + ": " + v.finding.message};
      return std::nullopt;
    }
    if (v.gen_time > o.at + skew) {
      ev.finding = {"timestamp_invalid", std::string(name) + ": the timestamp's time " + FormatUtc(v.gen_time) +
                                             " is later than the verification time " + FormatUtc(o.at)};
      return std::nullopt;
    }
    std::string via;
    if (!v.trusted && o.trusted_services) {
      // A qualified timestamp service of the EU trusted lists, granted when it timestamped.
      if (const TrustedService* qtst = o.trusted_services->QualifiedTimestampService(v.tsa_der, v.gen_time)) {
        v.trusted = true;
        via = ", a qualified timestamp service of the " + qtst->territory + " trusted list ('" + qtst->name + "')";
      }
    }
    ev.note += "; " + std::string(name) + " " + FormatUtc(v.gen_time) + " by '" + v.tsa + "'" + via +
               (v.trusted ? "" : " (not trusted: " + v.untrusted_why + ")");
    return v;
  };
  for (const auto& der : h.ado_tst) {
    auto v = verify(der, payload, "content timestamp (adoTst)");
    if (!v) return ev;
    if (claimed && v->gen_time > *claimed + skew) {
      ev.finding = {"timestamp_invalid", "content timestamp (adoTst) " + FormatUtc(v->gen_time) +
                                             " is later than the claimed signing time " + FormatUtc(*claimed) +
                                             ": the content cannot be timestamped after it was sealed"};
      return ev;
    }
  }
  for (const auto& der : h.sig_tst) {
    auto v = verify(der, signature, "signature timestamp (sigTst)");
    if (!v) return ev;
    if (claimed && *claimed > v->gen_time + skew) {
      ev.finding = {"timestamp_invalid", "the claimed signing time " + FormatUtc(*claimed) +
                                             " is later than the signature timestamp (sigTst) " +
                                             FormatUtc(v->gen_time) + ", which proves the seal existed by then"};
      return ev;
    }
    if (v->trusted && (!ev.proven || v->gen_time < *ev.proven)) {
      ev.proven = v->gen_time;
      ev.proven_by = v->tsa;
    }
  }
  // Validation-data timestamps prove no signing time, but a broken one is not
  // passed over.
  for (const auto& t : h.data_tst) {
    const std::string data = t.after_signature ? signature + h.sig_r_covers.substr(0, t.prefix) : h.references;
    if (!verify(t.der, data, t.after_signature ? "signature and references timestamp (sigRTst)"
                                               : "references timestamp (rfsTst)")) {
      return ev;
    }
  }
  return ev;
}

// Binds the verifying key to the issuer, when the payload names one. `bind`
// returns the Binding.
template <typename Bind>
SigVerdict Bound(SigVerdict v, const ParsedCredential& cred, Bind bind) {
  if (!v.finding.ok()) return v;
  if (!cred.present) {
    v.note += kUnknownIssuer;
    return v;
  }
  Binding b = bind();
  if (!b.finding.ok()) return {std::move(b.finding)};
  v.note += b.note;
  return v;
}

// The revocation status of a trusted chain at the signing time `at`
// (--certificate-status). A certificate revoked before `at` fails the seal; one
// revoked after it fails too unless `at` is proven (or claims are trusted by
// name): a claimed time could be set back to before any revocation.
struct StatusNote {
  Finding finding;
  std::string note;    // appended to the seal message
  std::string state;   // SealDetails::certificate_status
  std::string source;  // SealDetails::certificate_status_source
  std::string origin;  // SealDetails::certificate_status_origin
};

StatusNote CheckChainStatus(const ChainVerdict& cv, const internal::JoseHeader& h, UnixSeconds at,
                            std::optional<UnixSeconds> claimed, const TimestampEvidence& ts, const SealContext& ctx) {
  const VerifierOptions& o = ctx.options;
  if (o.certificate_status == CertificateStatusPolicy::kOff || !cv.path) return {};
  // CRLs and OCSP responses from outside the seal change from one night to the next.
  if (o.crls || ctx.online_revocation) Varies(ctx);
  RevocationEvidence evidence{&h.ocsp_vals, &h.crl_vals, o.crls.get(), "embedded", ctx.online_revocation};
  CertificateStatus cs = CheckCertificateStatus(*cv.path, evidence, at, o.clock_skew_seconds);
  using State = CertificateStatus::State;
  switch (cs.state) {
    case State::kGood:
      return {{}, "; " + cs.message, "good", std::move(cs.source), std::move(cs.origin)};
    case State::kUnknown:
      if (o.certificate_status == CertificateStatusPolicy::kRequire) {
        return {{"certificate_status_unavailable",
                 cs.message + "; --certificate-status require needs an OCSP response or CRL (rVals in the seal, or --crls)"}};
      }
      return {{}, "; certificate status not established: " + cs.message, "unknown", "none"};
    case State::kRevoked:
      break;
  }
  if (cs.revoked_at <= at) {
    return {{"certificate_revoked", cs.message + ", before the signing time " + FormatUtc(at)}};
  }
  if (!ts.proven && o.signing_time != SigningTimePolicy::kClaimed) {
    return {{"certificate_revoked",
             cs.message + "; the seal " +
                 (claimed ? "claims to be made at " + FormatUtc(*claimed) + ", before that"
                          : std::string("states no signing time")) +
                 ", which no verified timestamp proves (--signing-time claimed trusts the claim)"}};
  }
  return {{}, "; " + cs.message + ", after the " + (ts.proven ? "proven" : "claimed") + " signing time", "revoked",
          std::move(cs.source), std::move(cs.origin)};
}

// An x5c chain: validated at the signing time, which is a claim unless proven.
SigVerdict SealWithCertificate(const SignatureParts& s, const ParsedCredential& cred, const SealContext& ctx,
                               std::optional<UnixSeconds> claimed, const TimestampEvidence& ts) {
  const internal::JoseHeader& h = s.header;
  const VerifierOptions& o = ctx.options;
  if (h.x5t_s256 && *h.x5t_s256 != internal::Digest(internal::Hash::kSha256, h.x5c.front())) {
    return {{"x5t_mismatch", "x5t#S256 does not match the x5c leaf certificate"}};
  }
  if (h.x5t_o && *h.x5t_o != internal::Digest(*h.x5t_o_alg, h.x5c.front())) {
    return {{"x5t_mismatch", "x5t#o does not match the x5c leaf certificate"}};
  }

  // The time a trusted signature timestamp proves; else the time the sealer claims
  // (sigT, else iat); without one, validFrom when it has passed, else the
  // verification time. A claim is never proof: it cannot rescue a certificate
  // expired by now.
  const SigningAt signing = ts.proven ? SigningAt{*ts.proven} : SigningTime(claimed, cred, ctx);
  if (signing.now) Varies(ctx);  // a chain, its status and the trusted lists are judged at it
  const UnixSeconds at = signing.at;
  ChainVerdict cv;
  std::string level, level_note;
  if (o.trusted_services) {
    SealQualification q = o.trusted_services->Qualify(h.x5c, h.xvals, at);
    if (q.service) {
      cv = std::move(q.chain);
      level = std::string(SealLevelName(q.level));
      level_note = "; " + level + ": " + q.message;
    } else if (!o.anchors || o.anchors->anchor_count() == 0) {
      // The chain reached a listed service that failed it (expired, weak, ...), or none.
      if (q.chain.kind != ChainVerdict::Kind::kTrusted && q.chain.kind != ChainVerdict::Kind::kUntrusted) {
        return {ChainFinding(q.chain)};
      }
      return {{"chain_untrusted", "the trusted lists do not anchor the seal certificate at " + FormatUtc(at) + ": " +
                                      q.message}};
    }
  }
  if (level.empty()) {
    if (!o.anchors || o.anchors->anchor_count() == 0) {
      return {{"chain_untrusted",
               "x5c certificate chain present but no trust anchors are configured (--ca or --trusted-lists)"}};
    }
    cv = o.anchors->Validate(h.x5c, h.xvals, at);
    level = "AdESeal";  // a private anchor (--ca) cannot make a seal qualified
    level_note = "; AdESeal: anchored by a configured CA (--ca, or the registry's trustAnchors)";
  }
  if (Finding f = ChainFinding(cv); !f.ok()) return {std::move(f)};
  SigVerdict v = VerifyWith(cv.key, s, "of certificate '" + cv.subject + "'");
  if (!v.finding.ok()) return v;
  const bool expired_now = cv.valid_until < o.at - ctx.options.clock_skew_seconds;
  if (expired_now) Varies(ctx);  // said against the verification time
  else if (ctx.window) ctx.window->AtMost(cv.valid_until + ctx.options.clock_skew_seconds);
  if (expired_now && !ts.proven && o.signing_time != SigningTimePolicy::kClaimed) {
    return {{"certificate_expired",
             "certificate '" + cv.valid_until_owner + "' expired at " + FormatUtc(cv.valid_until) +
                 ", before the verification time " + FormatUtc(o.at) + "; the seal claims " +
                 (claimed ? "to be made at " + FormatUtc(*claimed) : std::string("no signing time")) +
                 ", which no verified timestamp proves (--signing-time claimed trusts the claim)"}};
  }
  // JAdES sigX5ts: it names the signing certificate, and no certificate the seal
  // carries (x5c, xVals) that is off the validated path. A reference to a
  // certificate neither the path nor the seal holds (one above the anchor, say)
  // cannot be checked and is said to be unchecked.
  size_t unmatched = 0;
  if (!h.sig_x5ts.empty()) {
    bool names_signer = false;
    for (const auto& ref : h.sig_x5ts) {
      const internal::Hash hash = ref.first;
      const std::string& digest = ref.second;
      auto named = [&](const std::vector<std::string>& certs) {
        return std::any_of(certs.begin(), certs.end(),
                           [&](const std::string& der) { return internal::Digest(hash, der) == digest; });
      };
      names_signer = names_signer || internal::Digest(hash, cv.path->der.front()) == digest;
      if (named(cv.path->der)) continue;
      if (named(h.x5c) || named(h.xvals)) {
        return {{"x5t_mismatch", "sigX5ts names a certificate the seal carries that is not on its certificate path"}};
      }
      ++unmatched;
    }
    if (!names_signer) return {{"x5t_mismatch", "sigX5ts does not name the signing certificate"}};
  }
  StatusNote status = CheckChainStatus(cv, h, at, claimed, ts, ctx);
  if (!status.finding.ok()) return {std::move(status.finding)};
  if (ts.proven) {
    v.note += " at signing time " + FormatUtc(at) + ", proven by a signature timestamp of '" + ts.proven_by + "'";
  } else {
    v.note += std::string(claimed ? " at claimed signing time " : " at ") + FormatUtc(at);
  }
  if (expired_now) {
    v.note += "; certificate expired at " + FormatUtc(cv.valid_until) +
              (ts.proven ? ", after the proven signing time"
                         : ", accepted on the claimed signing time (--signing-time claimed)");
  }
  v.note += ts.note;
  v.note += status.note;
  if (unmatched > 0) {
    v.note += "; " + std::to_string(unmatched) +
              " sigX5ts reference(s) to certificates neither on the validated path nor carried by the seal, not checked";
  }
  if (!h.policy_id.empty()) v.note += "; signature policy " + h.policy_id + " (named, not checked)";
  for (const std::string& c : h.commitments) v.note += "; commitment type " + c;
  v = Bound(std::move(v), cred, [&] { return BindCertificate(cv, cred.credential, at, o, ctx.window); });
  if (!v.finding.ok()) return v;
  v.note += level_note;
  v.x509 = std::make_unique<CertificateSeal>();
  v.x509->level = std::move(level);
  SealDetails& d = v.x509->details;
  d.signing_time = at;
  d.time_basis = ts.proven ? "proven" : claimed ? "claimed" : "assumed";
  d.time_authority = ts.proven_by;
  d.certificate_status = std::move(status.state);
  d.certificate_status_source = std::move(status.source);
  d.certificate_status_origin = std::move(status.origin);
  return v;
}

// The DID URL a signature names: a DID URL kid, or a relative kid ("#key-1", or
// none) under a DID issuer. Empty when it names none.
std::string SignatureDidUrl(const internal::JoseHeader& h, const ParsedCredential& cred) {
  auto is_did = [](std::string_view s) { return IsResolvableDid(s) || IsDidWeb(s); };
  if (is_did(h.kid)) return h.kid;
  const std::string& issuer = cred.credential.issuer;
  if (cred.present && is_did(issuer) && (h.kid.empty() || h.kid[0] == '#')) return issuer + h.kid;
  return {};
}

Finding OverBudget() {
  return {"key_unavailable", "not fetched: the presentation names more than " +
                                 std::to_string(FetchBudget::kPerPresentation) +
                                 " issuers whose published keys would have to be fetched"};
}

// A did:key / did:jwk key, resolved offline.
SigVerdict SealWithDidKey(const SignatureParts& s, const std::string& did_url, const ParsedCredential& cred,
                          const SealContext& ctx, UnixSeconds at) {
  auto key = ctx.did_keys.Resolve(did_url);
  if (!key.ok()) return {{"key_not_found", "cannot resolve " + did_url + ": " + key.status().message()}};
  if (!cred.present) {
    return {{"key_not_authorized_for_issuer",
             "key " + std::string(DidOf(did_url)) + " cannot be bound: the payload names no issuer"}};
  }
  return Bound(VerifyWith(key.value(), s, std::string(DidOf(did_url))), cred,
               [&] { return BindDidKey(did_url, cred.credential, at, ctx.options, ctx.window); });
}

// The key of a did:web DID URL, from its DID document. The binding is judged
// first, from the DID URL alone: the verifier fetches only the documents of DIDs
// that can seal for the issuer, so a record cannot make it fetch any DID's.
internal::KeyLookup LookUpDidWebKey(const std::string& did_url, const ParsedCredential& cred, const SealContext& ctx,
                                    UnixSeconds at, std::string* note) {
  if (!cred.present) {
    return {{}, {"key_not_authorized_for_issuer",
                 "key " + std::string(DidOf(did_url)) + " cannot be bound: the payload names no issuer"}};
  }
  Binding b = BindDidKey(did_url, cred.credential, at, ctx.options, ctx.window);
  if (!b.finding.ok()) return {{}, std::move(b.finding)};
  if (ctx.budget && !ctx.budget->Allow(std::string(DidOf(did_url)))) return {{}, OverBudget()};
  internal::KeyLookup found = ctx.published->DidWebKey(did_url, ctx.authentication);
  *note = "; key published in the DID document " + found.url;
  return found;
}

SigVerdict SealWithDidWebKey(const SignatureParts& s, const std::string& did_url, const ParsedCredential& cred,
                             const SealContext& ctx, UnixSeconds at) {
  std::string note;
  internal::KeyLookup found = LookUpDidWebKey(did_url, cred, ctx, at, &note);
  if (!found.finding.ok()) return {std::move(found.finding)};
  SigVerdict v = VerifyWith(found.keys, s, did_url);
  if (v.finding.ok()) v.note += note;
  return Bound(std::move(v), cred, [&] { return BindDidKey(did_url, cred.credential, at, ctx.options, ctx.window); });
}

// Keys from the JWT VC issuer metadata of the https issuer the credential names:
// the metadata names that issuer, so its keys are bound to it.
SigVerdict SealWithIssuerMetadata(const SignatureParts& s, const ParsedCredential& cred, const SealContext& ctx) {
  const std::string& issuer = cred.credential.issuer;
  if (ctx.budget && !ctx.budget->Allow(issuer)) return {OverBudget()};
  internal::KeyLookup found = ctx.published->MetadataKeys(issuer, s.header.kid);
  if (!found.finding.ok()) return {std::move(found.finding)};
  const std::string via = s.header.kid.empty() ? "from the issuer's metadata (no kid)" : "kid '" + s.header.kid + "'";
  SigVerdict v = VerifyWith(found.keys, s, via);
  if (v.finding.ok()) v.note += "; bound to issuer '" + issuer + "' by its JWT VC issuer metadata " + found.url;
  return v;
}

// No configured key fits: the keys the issuer publishes, when a source of its
// documents is configured; otherwise key_not_found.
SigVerdict SealWithPublishedKey(const SignatureParts& s, const std::string& did_url, const ParsedCredential& cred,
                                const SealContext& ctx, UnixSeconds at) {
  const std::string& kid = s.header.kid;
  const bool web = IsDidWeb(did_url);
  const bool https_issuer = !web && cred.present && IssuerMetadataUrl(cred.credential.issuer).ok();
  // Published documents may change from one night to the next.
  if (ctx.published && (web || https_issuer)) Varies(ctx);
  if (ctx.published && web) return SealWithDidWebKey(s, did_url, cred, ctx, at);
  if (ctx.published && https_issuer) return SealWithIssuerMetadata(s, cred, ctx);
  std::string message = kid.empty() ? "no kid and no configured key for alg " + s.header.alg_name
                                    : "no configured key has kid '" + kid + "'";
  if (web || https_issuer) {
    message += std::string("; the keys ") + (web ? "a did:web DID" : "an https issuer") +
               " publishes are read only with --did-documents or --online";
  }
  return {{"key_not_found", std::move(message)}};
}

// A key from the configured JWK Sets (--jwks, the registry's keys); the published
// keys when none has the kid.
//
// `at_now`: `at` is the verification time (SigningAt::now). Binding a configured key
// records in the window each judgement it makes at `at`; the published keys do not.
SigVerdict SealWithConfiguredKey(const SignatureParts& s, const std::string& did_url, const ParsedCredential& cred,
                                 const SealContext& ctx, UnixSeconds at, bool at_now) {
  const internal::JoseHeader& h = s.header;
  const std::string& issuer = cred.credential.issuer;
  const KeySet* keys = ctx.options.keys.get();
  std::span<const PublicKeyPtr> candidates;
  std::string via;
  if (keys && !h.kid.empty()) {
    candidates = keys->FindByKid(h.kid);
    via.append("kid '").append(h.kid).push_back('\'');
    if (candidates.empty()) {
      std::string why = keys->RejectionReason(h.kid);
      if (!why.empty()) {
        // The reason names the key file by its path, which kept readings do not
        // depend on (docs/sweep.md): not kept, so that a moved file is named as it is now.
        Varies(ctx);
        return {{"key_rejected", "key '" + h.kid + "' was not loaded: " + why}};
      }
    }
  } else if (keys) {
    candidates = keys->all();  // VerifyWith tries those whose type fits the alg
    via = "from the configured JWK Sets (no kid)";
  }
  if (candidates.empty()) {
    if (at_now) Varies(ctx);
    return SealWithPublishedKey(s, did_url, cred, ctx, at);
  }
  // Keys bound to an issuer (--jwks ISSUER=FILE) count only for that issuer. Most
  // often every candidate is allowed, and VerifyWith tries them where they are.
  auto allowed_key = [&](const PublicKeyPtr& key) {
    std::string_view owner = keys->IssuerOf(*key);
    return owner.empty() || (cred.present && owner == issuer);
  };
  std::vector<PublicKeyPtr> some;
  std::span<const PublicKeyPtr> allowed = candidates;
  if (!std::all_of(candidates.begin(), candidates.end(), allowed_key)) {
    std::copy_if(candidates.begin(), candidates.end(), std::back_inserter(some), allowed_key);
    allowed = some;
  }
  if (allowed.empty()) {
    return {{"key_not_authorized_for_issuer",
             "key " + via + " belongs to issuer '" + std::string(keys->IssuerOf(*candidates.front())) +
                 "' (--jwks ISSUER=FILE), not to '" + (cred.present ? issuer : std::string("(unknown)")) + "'"}};
  }
  const PublicKey* verified = nullptr;
  return Bound(VerifyWith(allowed, s, via, &verified), cred,
               [&] { return BindConfiguredKey(*verified, via, cred.credential, at, at_now, ctx.options, ctx.window); });
}

SigVerdict SealOne(const SignatureParts& s, const ParsedCredential& cred, const SealContext& ctx) {
  const internal::JoseHeader& h = s.header;
  if (Finding f = internal::CheckHeaderPolicy(h); !f.ok()) return {std::move(f)};
  if (s.signature.empty()) return {{"signature_malformed", "the signature is empty or not base64url"}};
  if (h.detached) {
    std::string by;
    if (!h.detached_mechanism.empty()) by = "JAdES sigD " + h.detached_mechanism;
    else if (h.payload_omitted) by = "the JWS JSON has no payload member";
    else by = "JAdES sigD";
    return {{"detached_content_unsupported", "the signature covers detached content (" + by +
                                                 "), which the record does not hold"}};
  }
  if (h.exp && ctx.options.at > *h.exp + ctx.options.clock_skew_seconds) {
    Varies(ctx);
    return {{"signature_expired", "the seal's own expiry (exp) " + FormatUtc(*h.exp) + " is before the verification time " +
                                      FormatUtc(ctx.options.at)}};
  }
  // A claimed signing time may not lie in the future: a certificate or a key
  // registered for a later period (the next key of a rotation) would seal now.
  if (h.exp && ctx.window) ctx.window->AtMost(*h.exp + ctx.options.clock_skew_seconds);
  const std::optional<UnixSeconds> claimed = ClaimedSigningTime(h, cred);
  if (claimed && *claimed > ctx.options.at + ctx.options.clock_skew_seconds) {
    Varies(ctx);
    return {{"signing_time_in_future", "the claimed signing time " + FormatUtc(*claimed) +
                                           " is later than the verification time " + FormatUtc(ctx.options.at)}};
  }
  if (claimed && ctx.window) ctx.window->AtLeast(*claimed - ctx.options.clock_skew_seconds);
  // A timestamp is verified at the verification time (its TSA certificate's validity).
  if (!h.ado_tst.empty() || !h.sig_tst.empty() || !h.data_tst.empty()) Varies(ctx);
  TimestampEvidence ts = CheckTimestamps(s, claimed, ctx.options);
  if (!ts.finding.ok()) return {std::move(ts.finding)};
  if (!h.x5c.empty()) return SealWithCertificate(s, cred, ctx, claimed, ts);
  if (!h.xvals.empty() && (h.x5t_s256 || h.x5t_o)) {
    // JAdES: the signing certificate may travel only in xVals, named by its digest.
    SignatureParts with_leaf = s;
    internal::JoseHeader& wh = with_leaf.header;
    for (size_t i = 0; i < wh.xvals.size(); ++i) {
      const std::string& c = wh.xvals[i];
      if ((wh.x5t_s256 && *wh.x5t_s256 == internal::Digest(internal::Hash::kSha256, c)) ||
          (wh.x5t_o && *wh.x5t_o == internal::Digest(*wh.x5t_o_alg, c))) {
        wh.x5c = {c};
        wh.xvals.erase(wh.xvals.begin() + static_cast<std::ptrdiff_t>(i));
        return SealWithCertificate(with_leaf, cred, ctx, claimed, ts);
      }
    }
    return {{"key_not_found", std::string(h.x5t_o ? "x5t#o" : "x5t#S256") +
                                  " names a signing certificate that neither x5c nor the etsiU xVals hold"}};
  }
  const std::string did_url = SignatureDidUrl(h, cred);
  const SigningAt signing = ts.proven ? SigningAt{*ts.proven} : SigningTime(claimed, cred, ctx);
  const bool did = IsResolvableDid(did_url);
  if (signing.now && did) Varies(ctx);
  SigVerdict v = did ? SealWithDidKey(s, did_url, cred, ctx, signing.at)
                     : SealWithConfiguredKey(s, did_url, cred, ctx, signing.at, signing.now);
  if (v.finding.ok()) v.note += ts.note;
  return v;
}

// A JSON document: its Data Integrity proof, with the proof's own dates, by a key
// of the issuer's DID.
CheckResult SealDocument(const Envelope& env, const ParsedCredential& cred, const SealContext& ctx,
                         std::string* thumbprint) {
  if (!env.has_proof) {
    return {Outcome::kFail, "not_sealed",
            env.presentation ? "the presentation carries no proof: who handed it in is not proven"
                             : "the credential carries no signature"};
  }
  const UnixSeconds at = ctx.options.at;
  Varies(ctx);  // the proof's dates are judged against the verification time
  // did:web methods through the issuer's DID document, bound before it is fetched.
  std::string published_note;
  auto resolve_method = [&](std::string_view method, Finding* why) -> PublicKeyPtr {
    const std::string url(method);
    if (!IsDidWeb(url) || !ctx.published) {
      auto key = ctx.did_keys.Resolve(url);
      if (key.ok()) return key.value();
      *why = {"key_not_found", "cannot resolve " + url + ": " + key.status().message() +
                                   (IsDidWeb(url) ? " (did:web documents are read with --did-documents or --online)" : "")};
      return nullptr;
    }
    internal::KeyLookup found = LookUpDidWebKey(url, cred, ctx, at, &published_note);
    // A registry period is judged below at the proof's own created time; only a
    // DID that cannot be bound at all is refused before its document is fetched.
    if (found.finding.code == "key_not_valid_at_signing_time") found = ctx.published->DidWebKey(url, ctx.authentication);
    if (!found.finding.ok()) *why = std::move(found.finding);
    return found.keys.empty() ? nullptr : found.keys.front();
  };
  PublicKeyPtr used;  // the key the proof names, for its thumbprint
  auto resolve = [&](std::string_view method, Finding* why) -> PublicKeyPtr {
    used = resolve_method(method, why);
    return used;
  };
  DataIntegrityResult di =
      VerifyDataIntegrity(env.payload, resolve, env.presentation ? "authentication" : "assertionMethod");
  if (!di.finding.ok()) return {Outcome::kFail, di.finding.code, di.finding.message};
  if (di.created && *di.created > at + ctx.options.clock_skew_seconds) {
    return {Outcome::kFail, "proof_created_in_future",
            "the proof was created " + FormatUtc(*di.created) + ", after the verification time " + FormatUtc(at)};
  }
  if (di.expires && *di.expires < at - ctx.options.clock_skew_seconds) {
    return {Outcome::kFail, "proof_expired",
            "the proof expired at " + FormatUtc(*di.expires) + ", before the verification time " + FormatUtc(at)};
  }
  Binding b = BindDidKey(di.verification_method, cred.credential, di.created.value_or(at), ctx.options);
  if (!b.finding.ok()) return {Outcome::kFail, b.finding.code, b.finding.message};
  if (used) *thumbprint = used->thumbprint();
  return {Outcome::kPass, "ok", di.finding.message + b.note + published_note};
}

// The level the policy asks for, against the level the seal reached.
int Rank(std::string_view level) {
  if (level == "QESeal") return 3;
  if (level == "AdESeal-QC") return 2;
  if (level == "AdESeal") return 1;
  return 0;
}

int Required(SealLevelRequirement r) {
  switch (r) {
    case SealLevelRequirement::kNone: return 0;
    case SealLevelRequirement::kAdvanced: return 1;
    case SealLevelRequirement::kQualified: return 2;
    case SealLevelRequirement::kQESeal: return 3;
  }
  return 0;
}

constexpr std::string_view kRequirementNames[] = {"any", "advanced (AdESeal)", "qualified (AdESeal-QC)", "QESeal"};

}  // namespace

SealResult CheckSeal(const Envelope& env, const ParsedCredential& cred, const SealContext& ctx) {
  SealResult out;
  if (env.kind == Envelope::Kind::kJsonDocument) {
    out.check = SealDocument(env, cred, ctx, &out.key_thumbprint);
  } else if (!env.seal_problem.ok()) {
    out.check = {Outcome::kFail, env.seal_problem.code, env.seal_problem.message};
  } else {
    // Gathered aside: a later signature that fails leaves `out` without a level.
    const size_t n = env.signatures.size();
    std::string note, level, thumbprint;
    SealDetails details;
    for (size_t i = 0; i < n; ++i) {
      SigVerdict v = SealOne(env.signatures[i], cred, ctx);
      if (!v.finding.ok()) {
        std::string where = n > 1 ? "signature " + std::to_string(i + 1) + " of " + std::to_string(n) + ": " : "";
        out.check = {Outcome::kFail, v.finding.code, where + v.finding.message};
        return out;
      }
      // Several signatures: the seal stands at the lowest level among them.
      if (i == 0 || Rank(v.level()) < Rank(level)) level = v.level();
      note = std::move(v.note);
      if (i == 0) {
        if (v.x509) details = std::move(v.x509->details);  // the first signature's are reported
        thumbprint = std::move(v.thumbprint);
      }
    }
    out.check = {Outcome::kPass, "ok", std::move(note)};
    out.key_thumbprint = std::move(thumbprint);
    out.level = std::move(level);
    out.details = std::move(details);
    // JAdES unsigned properties credsweep does not verify: said, never silently taken.
    size_t counter = 0, archive = 0, data = 0;
    for (const auto& sig : env.signatures) {
      counter += sig.header.counter_signatures;
      archive += sig.header.archive_timestamps;
      data += sig.header.unverified_data_timestamps;
    }
    if (counter > 0) out.check.message += "; " + std::to_string(counter) + " counter signature(s) (etsiU cSig) not verified";
    if (archive > 0) out.check.message += "; " + std::to_string(archive) + " archive timestamp(s) (etsiU arcTst) not verified";
    if (data > 0) {
      out.check.message += "; " + std::to_string(data) +
                           " validation-data timestamp(s) (etsiU sigRTst, rfsTst) in clear JSON form not verified";
    }
  }
  if (out.check.outcome == Outcome::kPass && cred.present) {
    Binding m = CheckMandates(cred.credential, ctx.options);
    if (!m.finding.ok()) out.check = {Outcome::kFail, m.finding.code, m.finding.message};
    else out.check.message += m.note;
  }
  if (out.check.outcome == Outcome::kPass && env.kind == Envelope::Kind::kSdJwt) {
    Varies(ctx);  // the key binding JWT's age
    std::string note;
    Finding kb = CheckKeyBinding(env, cred, ctx.options, &note);
    if (!kb.ok()) out.check = {Outcome::kFail, kb.code, kb.message};
    else out.check.message += note;
  }
  const int required = Required(ctx.options.min_seal_level);
  if (out.check.outcome == Outcome::kPass && Rank(out.level) < required) {
    out.check = {Outcome::kFail, "seal_level_insufficient",
                 "the seal is " + (out.level.empty() ? std::string("not an eIDAS e-seal (no X.509 certificate)") : out.level) +
                     "; the policy requires " +
                     std::string(kRequirementNames[static_cast<int>(ctx.options.min_seal_level)]) + " (--require-seal-level)"};
  }
  if (out.check.outcome != Outcome::kPass) out.key_thumbprint.clear();
  if (out.check.outcome != Outcome::kPass || out.level.empty()) {
    out.level.clear();
    out.details = {};
  }
  if (ctx.options.trust_any_configured_key) out.check.message += kAnyKeyInEffect;
  return out;
}

}  // namespace credsweep::checks
