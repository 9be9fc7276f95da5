// One way to build a verifier from the command line, shared by `verify` and
// `serve` (POST /v1/verify): the options both take, registered on a CLI11
// subcommand, and the function that turns them into VerifierOptions with the
// source chains of published documents
//
//   status lists:         index list cache (--db)  ->  --status-lists folder  ->  HTTP (--online)
//   issuer key documents: index list cache (--db)  ->  --did-documents folder ->  HTTP (--online)
//
// (the second only when --did-documents or --online is given).
// Each command keeps what is its own: `verify` its inputs, --at and -j; `serve` its
// listeners, and the status index it opens for writing.
#ifndef CREDSWEEP_IO_CLI_VERIFIER_BUILDER_H_
#define CREDSWEEP_IO_CLI_VERIFIER_BUILDER_H_

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/ports.h"
#include "engine/verifier.h"
#include "storage/status_index.h"

namespace credsweep::io::cli {

// The shared options, with their defaults.
struct VerifierFlags {
  std::vector<std::string> jwks, ca;
  std::vector<std::string> tsa_ca;  // --tsa-ca: timestamp authorities' anchors
  int64_t clock_skew = 60;
  std::vector<std::string> require;
  size_t max_record_bytes = 8u << 20;
  size_t max_depth = 128;
  std::string status_lists;
  std::string did_documents;              // --did-documents: issuer key documents, offline
  bool online = false;
  bool allow_private_addresses = false;
  int64_t fetch_timeout = 10;
  int64_t max_status_age = 86400;
  int64_t max_key_document_age = 3600;
  bool allow_unsigned_lists = false;
  size_t max_status_list_bytes = kDefaultMaxStatusListBytes;
  std::string signing_time = "proven";
  std::string certificate_status = "prefer";  // --certificate-status require|prefer|off
  std::string crls;                           // --crls DIR: offline CRLs
  std::string require_seal_level = "any";
  std::string trusted_lists, lotl_certs;
  std::string trust;                      // --trust: the trusted-issuer registry
  std::string accreditations;             // --accreditations DIR
  int64_t max_accreditation_age = 86400;  // --max-accreditation-age
  std::string ebsi_tir = VerifierOptions().ebsi_tir;  // --ebsi-tir: the Trusted Issuers Registry API
  bool trust_any_configured_key = false;  // --trust-any-configured-key
  std::string profile;                    // --profile: empty, or eu-microcredential
  std::string audience, nonce;            // --audience, --nonce: what a wallet presentation must answer
  std::string nonces_file;                // --nonces: a nonce per applicant (io/cli/applicant_nonces.h)
  std::string holder_binding = "require"; // --holder-binding require|warn|off
  int64_t kb_max_age = 300;               // --kb-max-age: seconds
  bool with_claims = false;               // --with-claims: SD-JWT results carry the disclosed claims
};

// Registers --jwks, --ca, --clock-skew, --require, --max-record-bytes, --max-depth,
// --status-lists, --did-documents, --online, --allow-private-addresses,
// --fetch-timeout, --max-status-age, --max-key-document-age, --allow-unsigned-status-lists, --max-status-list-bytes and
// --signing-time, --require-seal-level, --trusted-lists, --lotl-certs, --trust,
// --trust-any-configured-key and --profile on `cmd` (an unknown --profile name is a
// parse error: exit 2),
// writing into *flags (which must outlive `cmd`).
void AddVerifierFlags(CLI::App* cmd, VerifierFlags* flags);

// How long the built verifier's status-list sources live.
enum class ListCacheLifetime {
  kOneRun,     // `verify`: list ages are judged at `now`, by --max-status-age alone
  kLongLived,  // `serve`: ages judged at the time of each fetch, also by the list's ttl/validUntil
};

struct BuiltVerifier {
  VerifierOptions options;  // `at` is left for the caller
  unsigned required = 0;    // VerificationResult::verified(required): the --require bits
};

// Builds the options. `index` (may be null) is the already opened status index:
// consulted for revocation, and its list cache sits in front of the other list
// sources (and is written to when the index is writable). `clock` is the wall
// clock list ages are judged by (kOneRun reads it once). Errors: InvalidArgument
// for an unknown --require check, an unreadable key or anchor file or a
// --status-lists or --did-documents folder that cannot be opened (each naming
// the option).
Result<BuiltVerifier> BuildVerifier(const VerifierFlags& flags, std::shared_ptr<storage::StatusIndex> index,
                                    ListCacheLifetime lifetime, std::function<UnixSeconds()> clock = NowUtc);

// Reads and validates a trusted-issuer registry file (docs/trust-registry.md).
// InvalidArgument naming the file, the entry and the field.
Result<std::shared_ptr<const TrustRegistry>> LoadTrustRegistry(const std::string& path);

// The summary line a run under --trust-any-configured-key carries.
inline constexpr const char* kTrustAnyKeyWarning =
    "--trust-any-configured-key: configured keys and anchored certificates bound to no issuer seal for any issuer; "
    "'verified' does not mean 'sealed by the issuer it names'";

// With --trusted-lists: loads the stored EU trusted lists, verifying them again at
// `at` (refused lists are logged as warnings), into options->trusted_services.
// InvalidArgument when --lotl-certs is missing or the LOTL cannot be trusted.
// `description`, when given, receives what was loaded in words ("EU trusted lists
// of 2026-01-05: 27 national lists"), for the verification page's policy;
// `accepted`, the names of the lists accepted at `at`, ", "-separated (the LOTL's
// "LOTL" first; empty without --trusted-lists): which lists a run trusts changes
// with the time as lists expire.
Status LoadTrustedServices(const VerifierFlags& flags, UnixSeconds at, VerifierOptions* options,
                           std::string* description = nullptr, std::string* accepted = nullptr);

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_VERIFIER_BUILDER_H_
