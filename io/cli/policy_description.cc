#include "io/cli/policy_description.h"

#include <vector>

#include "engine/json_writer.h"
#include "engine/trust_registry.h"

namespace credsweep::io::cli {
namespace {

std::string Count(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string SealSentence(const VerifierFlags& f, const VerifierOptions& o, const std::string& trusted_lists,
                         std::vector<std::string>* summary) {
  std::vector<std::string> keys;
  if (o.registry) {
    keys.push_back("the trusted-issuer registry (" + Count(o.registry->issuers().size(), "issuer", "issuers") + ")");
    summary->push_back("trusted-issuer registry");
  }
  if (!trusted_lists.empty()) {
    keys.push_back(trusted_lists);
    summary->push_back(trusted_lists.substr(0, trusted_lists.find(':')));
  }
  if (!f.jwks.empty()) keys.push_back(Count(f.jwks.size(), "configured key set", "configured key sets"));
  if (!f.ca.empty()) keys.push_back(Count(f.ca.size(), "certificate anchor file", "certificate anchor files"));
  if (f.online) {
    keys.push_back("keys issuers publish (did:web, issuer metadata), fetched online");
  } else if (!f.did_documents.empty()) {
    keys.push_back("stored DID documents");
  }
  std::string s = keys.empty() ? "No keys or trust anchors are configured: no seal can pass"
                               : "Seals are checked against " + Join(keys, ", ");
  s += o.trust_any_configured_key
           ? ". WARNING: --trust-any-configured-key is in effect: a configured key seals for any issuer"
           : ". A seal passes only when its key belongs to the issuer the credential names";
  if (o.signing_time == SigningTimePolicy::kClaimed) {
    s += "; the signing time the seal claims is believed";
  }
  if (f.require_seal_level != "any") s += "; seal level at least " + f.require_seal_level;
  switch (o.holder_binding) {
    case HolderBinding::kRequire:
      s += ". A credential in a presentation whose subject is a DID must be the presentation holder's";
      break;
    case HolderBinding::kWarn:
      s += ". A credential in a presentation that is not its holder's is reported, not failed";
      break;
    case HolderBinding::kOff:
      s += ". Whose credentials a presentation holds is not checked";
      break;
  }
  return s + ".";
}

std::string RevocationSentence(const VerifierFlags& f, const VerifierOptions& o, std::vector<std::string>* summary) {
  std::vector<std::string> sources;
  if (o.status_index) sources.push_back("this server's status index");
  if (o.status_lists) sources.push_back(f.online ? "status lists (stored and online)" : "stored status lists");
  if (sources.empty()) {
    summary->push_back("revocation not checked");
    return "Revocation is not checked.";
  }
  summary->push_back("revocation: " + Join(sources, ", "));
  std::string s = "Revocation and suspension are looked up in " + Join(sources, " and ");
  if (o.certificate_status != CertificateStatusPolicy::kOff) {
    s += "; seal certificates' status from the OCSP responses and CRLs the seal carries";
    if (o.crls) s += ", stored CRLs";
    if (o.certificate_status_documents) s += ", online";
  }
  return s + ".";
}

std::string AccreditationSentence(const VerifierFlags& f, const VerifierOptions& o,
                                  std::vector<std::string>* summary) {
  std::vector<std::string> sources;
  if (o.registry && o.registry->accreditation_count()) {
    sources.push_back("the registry's " + Count(o.registry->accreditation_count(), "accreditation record",
                                                 "accreditation records"));
  }
  if (o.accreditation_documents) {
    sources.push_back(f.online ? "records fetched online" : "stored accreditation records");
    sources.push_back("EBSI accreditation chains (" + std::string(f.online ? "from the Trusted Issuers Registry at " + o.ebsi_tir : "stored") + ")");
  }
  if (sources.empty()) {
    summary->push_back("accreditation not checked");
    return "Accreditation is not checked.";
  }
  summary->push_back("accreditation checked");
  return "Awarding bodies' accreditation is checked against " + Join(sources, " and ") + ".";
}

}  // namespace

std::string DescribePolicy(const VerifierFlags& f, const VerifierOptions& o, unsigned required,
                           const std::string& trusted_lists, const http::ServerOptions& server) {
  std::vector<std::string> summary;
  std::string format =
      "VC 1.1 and 2.0 credentials: JWS (VC-JOSE, VC 1.1 JWT), JAdES, Data Integrity and SD-JWT VC; presentations "
      "(vp+jwt, VC 1.1 JWT, Data Integrity), each credential in them checked on its own";
  if (o.profile == CredentialProfile::kEuMicrocredential) {
    format += "; each must carry the EU micro-credential elements";
    summary.push_back("EU micro-credential profile");
  }
  std::string seal = SealSentence(f, o, trusted_lists, &summary);
  std::string revocation = RevocationSentence(f, o, &summary);
  std::string accreditation = AccreditationSentence(f, o, &summary);
  std::string validity = "Validity periods are checked at the time of each request, with " +
                         std::to_string(o.clock_skew_seconds) + " s of clock tolerance.";
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("verification", true).Member("summary", Join(summary, "; "));
  w.Key("checks").BeginObject();
  w.Member("format", format + ".").Member("seal", seal).Member("revocation", revocation);
  w.Member("accreditation", accreditation).Member("validity", validity).EndObject();
  w.Key("required").BeginArray();
  for (int i = 0; i < kCheckCount; ++i) {
    if (required & (1u << i)) w.String(CheckName(static_cast<CheckId>(i)));
  }
  w.EndArray();
  w.Key("limits").BeginObject();
  w.Member("max_body_bytes", uint64_t{server.max_body_bytes});
  w.Member("max_record_bytes", uint64_t{o.max_record_bytes});
  w.Member("max_verify_requests", uint64_t{server.max_verify_requests});
  w.EndObject();
  w.Member("stores_uploads", false);
  w.EndObject();
  return out;
}

}  // namespace credsweep::io::cli
