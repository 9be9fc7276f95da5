#include "io/cli/verifier_builder.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "engine/checks/accreditation.h"
#include "engine/timestamp_authorities.h"
#include "io/status_lists/cached_source.h"
#include "io/status_lists/freshness.h"
#include "io/cli/commands.h"
#include "io/http/client.h"
#include "io/status_lists/folder_source.h"
#include "io/trust/trust_folder.h"

namespace credsweep::io::cli {
namespace {

Result<unsigned> RequiredChecks(const std::vector<std::string>& names) {
  unsigned required = 0;
  for (const auto& name : names) {
    bool known = false;
    for (int i = 0; i < kCheckCount; ++i) {
      if (CheckName(static_cast<CheckId>(i)) == name) {
        required |= 1u << i;
        known = true;
      }
    }
    if (!known) return InvalidArgument("--require: unknown check '" + name + "'");
  }
  return required;
}

// One kind of published document: the `folder` (--status-lists, --did-documents),
// then --online, then the index's cache in front of both. Null when neither a
// folder nor --online is given and `cache_alone` is false.
struct DocumentFlags {
  const std::string& folder;
  std::string_view what;  // "status list", "issuer key document"
  int64_t max_age;
  bool cache_alone;  // the index's cache is a source even without the others
  io::CachedListSource::Freshness freshness = nullptr;  // null: the cache's own rule
};

Result<std::shared_ptr<const DocumentSource>> DocumentSources(const VerifierFlags& f, const DocumentFlags& d,
                                                              const std::shared_ptr<storage::StatusIndex>& index,
                                                              ListCacheLifetime lifetime,
                                                              const std::function<UnixSeconds()>& clock) {
  std::shared_ptr<const DocumentSource> docs;
  if (!d.folder.empty()) {
    auto dir = io::StatusListDirectory::Open(d.folder, d.what);
    if (!dir.ok()) return dir.status();
    docs = std::move(dir).value();
  }
  if (f.online) {
    io::HttpOptions ho;
    ho.timeout = std::chrono::seconds(f.fetch_timeout);
    ho.allow_private_addresses = f.allow_private_addresses;
    ho.what = std::string(d.what);
    auto http = std::make_shared<io::HttpListSource>(ho);
    docs = docs ? std::make_shared<io::ChainedListSource>(docs, http) : std::shared_ptr<const DocumentSource>(http);
  }
  if (index && (docs || d.cache_alone)) {
    auto cached = lifetime == ListCacheLifetime::kLongLived
                      ? std::make_shared<io::CachedListSource>(index, docs, d.max_age, clock)
                      : std::make_shared<io::CachedListSource>(index, docs, d.max_age, clock());
    if (d.freshness) cached->set_freshness(d.freshness);
    docs = std::move(cached);
  }
  return docs;
}

}  // namespace

void AddVerifierFlags(CLI::App* cmd, VerifierFlags* f) {
  // FILE, or ISSUER=FILE (ISSUER a URI or DID) to bind the file's keys to ISSUER.
  CLI::Validator jwks_file(
      [](std::string& value) {
        std::string path = value;
        if (size_t eq = value.find('='); eq != std::string::npos && value.substr(0, eq).find(':') != std::string::npos) {
          path = value.substr(eq + 1);
        }
        return std::filesystem::is_regular_file(path) ? std::string() : "File does not exist: " + path;
      },
      "FILE|ISSUER=FILE");
  cmd->add_option("--jwks", f->jwks,
                  "JWK Set file with issuer keys (repeatable); ISSUER=FILE binds the file's keys to ISSUER")
      ->check(jwks_file)->allow_extra_args(false);
  cmd->add_option("--tsa-ca", f->tsa_ca,
                  "PEM file of trusted timestamp authorities (roots or TSA certificates, repeatable): a JAdES "
                  "signature timestamp (sigTst) they issued proves when a seal was made")
      ->check(CLI::ExistingFile)->allow_extra_args(false);
  cmd->add_option("--ca", f->ca, "PEM file of trust anchors for x5c chains (repeatable)")
      ->check(CLI::ExistingFile)->allow_extra_args(false);
  cmd->add_option("--clock-skew", f->clock_skew, "Tolerance in seconds for validity times (max 86400)")
      ->check(CLI::Range(0, 86400))->capture_default_str();
  cmd->add_option("--require", f->require, "Checks that must pass, not be skipped (e.g. revocation,accreditation)")
      ->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--max-record-bytes", f->max_record_bytes, "Largest record accepted")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 31))->capture_default_str();
  cmd->add_option("--max-depth", f->max_depth, "Deepest JSON nesting accepted")
      ->check(CLI::Range(size_t{8}, size_t{4096}))->capture_default_str();
  cmd->add_option("--status-lists", f->status_lists, "Folder of status list credentials with an index.json (offline)");
  cmd->add_option("--did-documents", f->did_documents,
                  "Folder of did:web DID documents, JWT VC issuer metadata and JWK Sets with an index.json (offline; "
                  "docs/issuer-keys.md)");
  cmd->add_flag("--online", f->online,
                "Fetch status lists and the keys issuers publish (did:web, JWT VC issuer metadata) over HTTP(S), "
                "after --status-lists / --did-documents if given");
  cmd->add_flag("--allow-private-addresses", f->allow_private_addresses,
                "With --online: also fetch from loopback, private, link-local and other non-public addresses");
  cmd->add_option("--fetch-timeout", f->fetch_timeout,
                  "With --online: seconds one document fetch may take, redirects included")
      ->check(CLI::Range(int64_t{1}, int64_t{300}))->capture_default_str();
  cmd->add_option("--max-status-age", f->max_status_age,
                  "Seconds a cached status list may be used before it is fetched again")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-key-document-age", f->max_key_document_age,
                  "With --db: seconds a cached DID document, issuer metadata or JWK Set may be used before it is "
                  "fetched again")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_flag("--allow-unsigned-status-lists", f->allow_unsigned_lists,
                "Accept status list credentials without a seal (test suites); a failing seal is never accepted");
  cmd->add_option("--max-status-list-bytes", f->max_status_list_bytes, "Largest decompressed status list")
      ->capture_default_str();
  cmd->add_option("--signing-time", f->signing_time,
                  "Signing time for X.509 seals whose certificate has expired since: proven (default; needs a "
                  "verified timestamp) or claimed (trust the sealer's sigT/iat, as verifiers without timestamps do)")
      ->check(CLI::IsMember({"proven", "claimed"}));
  cmd->add_option("--audience", f->audience,
                  "Wallet presentations must be addressed to this audience (a presentation's aud or proof domain, an "
                  "SD-JWT's key binding JWT); then every SD-JWT must carry a key binding JWT");
  cmd->add_option("--nonce", f->nonce,
                  "Wallet presentations must answer this nonce, the verifier's challenge (a presentation's nonce or "
                  "proof challenge, an SD-JWT's key binding JWT); then every SD-JWT must carry a key binding JWT");
  cmd->add_option("--nonces", f->nonces_file,
                  "A JSON object mapping paths (files, or folders ending in '/') to the nonce each applicant was "
                  "given: their presentations must answer it (the longest path covering a record wins; others keep "
                  "--nonce)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--holder-binding", f->holder_binding,
                  "Credentials in a presentation whose subject is a DID must be the holder's: require (default; "
                  "else holder_mismatch, and a presentation needs a proof), warn (said in the message) or off")
      ->check(CLI::IsMember({"require", "warn", "off"}))->capture_default_str();
  cmd->add_flag("--with-claims", f->with_claims,
                "Results of SD-JWT VCs carry the claims the holder disclosed (\"claims\", after \"checks\")");
  cmd->add_option("--kb-max-age", f->kb_max_age,
                  "Seconds a holder's key binding JWT may be old at the verification time")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--certificate-status", f->certificate_status,
                  "Revocation of X.509 seal certificates at the signing time, from OCSP responses and CRLs in the "
                  "seal (JAdES rVals) and --crls: prefer (default; a seal whose status cannot be established passes "
                  "and says so), require (it fails certificate_status_unavailable) or off")
      ->check(CLI::IsMember({"require", "prefer", "off"}))->capture_default_str();
  cmd->add_option("--crls", f->crls,
                  "Folder of CRLs (*.crl, *.der, *.pem; DER or PEM) for --certificate-status, read once")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--require-seal-level", f->require_seal_level,
                  "Least eIDAS seal level that passes: any (default), advanced (AdESeal: an X.509 seal anchored "
                  "by --ca or a trusted list), qc (a qualified certificate: AdESeal-QC), qeseal (QESeal)")
      ->check(CLI::IsMember({"any", "advanced", "qc", "qeseal"}));
  cmd->add_option("--trusted-lists", f->trusted_lists,
                  "Folder written by `trust update`: verified again; its CA services for e-seals anchor X.509 seals "
                  "and give their level")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--lotl-certs", f->lotl_certs, "With --trusted-lists: PEM file of the LOTL signing certificates")
      ->check(CLI::ExistingFile);
  cmd->add_option("--trust", f->trust,
                  "Trusted-issuer registry (JSON, docs/trust-registry.md): which keys and certificates belong to "
                  "which issuer, mandates, status delegates, anchors")
      ->check(CLI::ExistingFile);
  cmd->add_option("--accreditations", f->accreditations,
                  "Folder of ELM accreditation records with an index.json mapping each record URI to a file "
                  "(offline; with --online, records not in it are fetched)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--ebsi-tir", f->ebsi_tir,
                  "EBSI Trusted Issuers Registry API whose issuer documents ({URL}/issuers/{did}) hold did:ebsi "
                  "issuers' Verifiable Accreditations, read from --accreditations or, with --online, fetched")
      ->check([](const std::string& url) -> std::string {
        if (url.rfind("https://", 0) != 0) return "must be an https URL";
        return "";
      })
      ->capture_default_str();
  cmd->add_option("--max-accreditation-age", f->max_accreditation_age,
                  "Seconds an accreditation record cached in --db may be used before it is fetched again")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_flag("--trust-any-configured-key", f->trust_any_configured_key,
                "Let a configured key or anchored certificate bound to no issuer seal for any issuer (migration, "
                "tests); every result and the summary say so");
  cmd->add_option("--profile", f->profile,
                  "Also hold the format check to a credential profile: eu-microcredential (the mandatory elements "
                  "of the 2022 Council Recommendation on micro-credentials, docs/eu-microcredential-profile.md)")
      ->check(CLI::IsMember({std::string(kEuMicrocredentialProfileName)}));
}

Result<std::shared_ptr<const TrustRegistry>> LoadTrustRegistry(const std::string& path) {
  constexpr std::uintmax_t kMaxRegistryBytes = 64u << 20;
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return InvalidArgument("--trust " + path + ": " + ec.message());
  if (size > kMaxRegistryBytes) {
    return InvalidArgument("--trust " + path + ": " + std::to_string(size) + " bytes, over the limit of 64 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return InvalidArgument("--trust " + path + ": cannot read");
  auto registry = TrustRegistry::Parse(text, path);
  if (!registry.ok()) return InvalidArgument("--trust " + registry.status().message());
  return registry;
}

Status LoadTrustedServices(const VerifierFlags& f, UnixSeconds at, VerifierOptions* vo, std::string* description,
                           std::string* accepted_names) {
  if (f.trusted_lists.empty()) return Status::Ok();
  if (f.lotl_certs.empty()) return InvalidArgument("--trusted-lists needs --lotl-certs");
  std::ifstream pem_in(f.lotl_certs, std::ios::binary);
  std::string pem((std::istreambuf_iterator<char>(pem_in)), std::istreambuf_iterator<char>());
  auto certs = io::CertificatesFromPem(pem);
  if (!certs.ok()) return InvalidArgument("--lotl-certs " + f.lotl_certs + ": " + certs.status().message());
  auto loaded = io::LoadTrustedLists(f.trusted_lists, *certs, at);
  if (!loaded.ok()) return InvalidArgument("--trusted-lists " + f.trusted_lists + ": " + loaded.status().message());
  for (const auto& l : loaded->outcome.lists) {
    if (!l.accepted()) spdlog::warn("trusted list {} refused ({}): {}", l.name, io::ListVerdictCode(l.verdict), l.message);
  }
  vo->trusted_services = loaded->services;
  if (accepted_names) {
    accepted_names->clear();
    if (loaded->outcome.lotl.accepted()) *accepted_names = "LOTL";
    for (const auto& l : loaded->outcome.lists) {
      if (l.accepted()) *accepted_names += (accepted_names->empty() ? "" : ", ") + l.name;
    }
  }
  if (description) {
    size_t accepted = 0;
    for (const auto& l : loaded->outcome.lists) accepted += l.accepted();
    const auto& lotl = loaded->outcome.lotl.list;
    *description = "EU trusted lists" + (lotl ? " of " + FormatUtc(lotl->issued).substr(0, 10) : std::string()) +
                   ": " + std::to_string(accepted) + " national list" + (accepted == 1 ? "" : "s");
  }
  return Status::Ok();
}

Result<BuiltVerifier> BuildVerifier(const VerifierFlags& f, std::shared_ptr<storage::StatusIndex> index,
                                    ListCacheLifetime lifetime, std::function<UnixSeconds()> clock) {
  BuiltVerifier out;
  auto required = RequiredChecks(f.require);
  if (!required.ok()) return required.status();
  out.required = *required;
  std::shared_ptr<KeySet> keys;
  std::shared_ptr<ChainValidator> anchors;
  if (Status s = LoadKeysAndAnchors(f.jwks, f.ca, &keys, &anchors); !s.ok()) return s;
  VerifierOptions& vo = out.options;
  if (!f.trust.empty()) {
    auto registry = LoadTrustRegistry(f.trust);
    if (!registry.ok()) return registry.status();
    // The registry's own public keys and anchors join the configured ones; which
    // issuer a key seals for is the registry's to say, not the key set's.
    for (const RegistryIssuer& issuer : (*registry)->issuers()) {
      for (const RegistryKey& k : issuer.keys) {
        if (k.jwk) keys->Add(k.jwk);
      }
    }
    for (size_t i = 0; i < (*registry)->trust_anchors_pem().size(); ++i) {
      if (Status s = anchors->AddAnchorsPem((*registry)->trust_anchors_pem()[i],
                                            f.trust + " trustAnchors[" + std::to_string(i) + "]");
          !s.ok()) {
        return InvalidArgument("--trust " + s.message());
      }
    }
    vo.registry = std::move(registry).value();
  }
  vo.trust_any_configured_key = f.trust_any_configured_key;
  if (!f.profile.empty()) {
    auto profile = CredentialProfileFromName(f.profile);
    if (!profile) return InvalidArgument("--profile: unknown profile '" + f.profile + "'");
    vo.profile = *profile;
  }
  vo.keys = keys;
  vo.anchors = anchors;
  if (!f.tsa_ca.empty()) {
    auto tsa = std::make_shared<TimestampAuthorities>();
    for (const auto& path : f.tsa_ca) {
      if (Status s = tsa->AddAnchorsPemFile(path); !s.ok()) return InvalidArgument("--tsa-ca " + s.message());
    }
    vo.timestamp_authorities = std::move(tsa);
  }
  vo.clock_skew_seconds = f.clock_skew;
  vo.audience = f.audience;
  vo.nonce = f.nonce;
  vo.holder_binding = f.holder_binding == "off"    ? HolderBinding::kOff
                      : f.holder_binding == "warn" ? HolderBinding::kWarn
                                                   : HolderBinding::kRequire;
  vo.kb_max_age_seconds = f.kb_max_age;
  vo.with_claims = f.with_claims;
  if (f.signing_time == "claimed") vo.signing_time = SigningTimePolicy::kClaimed;
  if (f.certificate_status == "require") vo.certificate_status = CertificateStatusPolicy::kRequire;
  if (f.certificate_status == "off") vo.certificate_status = CertificateStatusPolicy::kOff;
  if (!f.crls.empty()) {
    auto crls = std::make_shared<CrlSet>();
    if (Status s = crls->AddFolder(f.crls); !s.ok()) return InvalidArgument("--crls " + s.message());
    vo.crls = std::move(crls);
  }
  if (f.require_seal_level == "advanced") vo.min_seal_level = SealLevelRequirement::kAdvanced;
  if (f.require_seal_level == "qc") vo.min_seal_level = SealLevelRequirement::kQualified;
  if (f.require_seal_level == "qeseal") vo.min_seal_level = SealLevelRequirement::kQESeal;
  vo.max_record_bytes = f.max_record_bytes;
  vo.max_json_depth = f.max_depth;
  vo.max_status_list_bytes = f.max_status_list_bytes;
  vo.allow_unsigned_status_lists = f.allow_unsigned_lists;
  vo.status_index = index;
  auto lists = DocumentSources(f, {f.status_lists, "status list", f.max_status_age, true}, index, lifetime, clock);
  if (!lists.ok()) return lists.status();
  vo.status_lists = std::move(lists).value();
  // The cache alone does not make published keys readable: they are read only
  // when --did-documents or --online asks for them.
  auto issuer_docs = DocumentSources(f, {f.did_documents, "issuer key document", f.max_key_document_age, false}, index,
                                     lifetime, clock);
  if (!issuer_docs.ok()) return issuer_docs.status();
  vo.issuer_documents = std::move(issuer_docs).value();
  // Records named by URI are fetched only when --accreditations or --online asks.
  auto accreditations = DocumentSources(
      f, {f.accreditations, "accreditation record", f.max_accreditation_age, false}, index, lifetime, clock);
  if (!accreditations.ok()) return accreditations.status();
  vo.accreditation_documents = std::move(accreditations).value();
  vo.ebsi_tir = f.ebsi_tir;
  while (!vo.ebsi_tir.empty() && vo.ebsi_tir.back() == '/') vo.ebsi_tir.pop_back();
  // OCSP responses and CRLs are fetched only with --online (cached in the index like lists).
  if (f.online && vo.certificate_status != CertificateStatusPolicy::kOff) {
    // A cached response or CRL is asked for again at its nextUpdate.
    auto status_docs = DocumentSources(
        f, {"", "certificate status document", f.max_status_age, false, io::CertificateStatusFreshUntil}, index,
        lifetime, clock);
    if (!status_docs.ok()) return status_docs.status();
    vo.certificate_status_documents = std::move(status_docs).value();
  }
  // A required check with nothing to check it against would fail every record:
  // that is a mistake in the command, not a finding about the credentials.
  auto requires_check = [&](CheckId c) { return (out.required & (1u << static_cast<int>(c))) != 0; };
  if (requires_check(CheckId::kRevocation) && !vo.status_lists && !vo.status_index) {
    return InvalidArgument("--require revocation: no status source is configured (--db, --status-lists or "
                           "--online), so every credential would fail it");
  }
  if (requires_check(CheckId::kAccreditation) && !checks::AccreditationConfigured(vo)) {
    return InvalidArgument("--require accreditation: no accreditation source is configured (--trust with "
                           "accreditations, --accreditations or --online), so every credential would fail it");
  }
  return out;
}

}  // namespace credsweep::io::cli
