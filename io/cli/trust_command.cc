// credsweep trust update | check-lists : EU trusted lists (docs/trusted-lists.md).
// credsweep trust check : the trusted-issuer registry (docs/trust-registry.md).
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "io/cli/commands.h"
#include "io/cli/verifier_builder.h"
#include "io/http/client.h"
#include "io/trust/trust_folder.h"

namespace credsweep::io::cli {
namespace {

struct TrustArgs {
  std::string out, dir, lotl_certs, lotl_url = io::kEuLotlUrl, at = "now", from;
  std::vector<std::string> territories;
  int64_t fetch_timeout = 30;
  size_t max_list_bytes = 32u << 20;
  bool allow_private_addresses = false;
};

Result<std::vector<std::string>> ReadLotlCerts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open --lotl-certs " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto certs = io::CertificatesFromPem(ss.str());
  if (!certs.ok()) return InvalidArgument("--lotl-certs " + path + ": " + certs.status().message());
  return certs;
}

void PrintOutcome(const io::ListOutcome& o) {
  if (o.accepted()) {
    std::printf("%-28s accepted  %s\n", o.name.c_str(), o.message.c_str());
  } else {
    std::fprintf(stderr, "credsweep: refused %s (%s): %s [%s]\n", o.name.c_str(),
                 std::string(io::ListVerdictCode(o.verdict)).c_str(), o.message.c_str(), o.url.c_str());
  }
}

// Exit 0: every list accepted; 1: some refused (named on stderr); 2: usage or I/O.
int RunUpdate(const TrustArgs& a) {
  auto at = ParseTimeOption(a.at);
  if (!at) return UsageError("--at: '" + a.at + "' is not an RFC 3339 date-time with a time zone");
  auto certs = ReadLotlCerts(a.lotl_certs);
  if (!certs.ok()) return UsageError(certs.status().message());
  io::ListFetcher fetch;
  std::shared_ptr<io::HttpListSource> http;
  if (!a.from.empty()) {
    auto folder = io::FolderFetcher(a.from, a.max_list_bytes);
    if (!folder.ok()) return UsageError(folder.status().message());
    fetch = std::move(folder).value();
  } else {
    io::HttpOptions ho;
    ho.timeout = std::chrono::seconds(a.fetch_timeout);
    ho.max_body_bytes = a.max_list_bytes;
    ho.allow_private_addresses = a.allow_private_addresses;
    http = std::make_shared<io::HttpListSource>(ho);
    fetch = [http](const std::string& url) { return http->Fetch(url); };
  }
  io::LotlOptions lo;
  lo.lotl_url = a.lotl_url;
  lo.at = *at;
  lo.territories = a.territories;
  lo.list.max_bytes = a.max_list_bytes;
  io::TrustedListsOutcome out = io::FetchTrustedLists(fetch, *certs, lo);
  for (const auto& p : out.pivots) PrintOutcome(p);
  PrintOutcome(out.lotl);
  if (!out.lotl.accepted()) return 1;
  size_t refused = 0;
  for (const auto& l : out.lists) {
    PrintOutcome(l);
    refused += l.accepted() ? 0 : 1;
  }
  if (Status s = io::StoreTrustedLists(out, a.out, NowUtc()); !s.ok()) return UsageError(s.message());
  std::printf("stored %zu of %zu lists in %s\n", out.lists.size() - refused, out.lists.size(), a.out.c_str());
  return refused == 0 ? 0 : 1;
}

// Re-verifies a stored folder and prints what it holds. Exit 0 when every stored
// list still verifies and is fresh at --at, 1 otherwise, 2 usage or I/O.
int RunCheckLists(const TrustArgs& a) {
  auto at = ParseTimeOption(a.at);
  if (!at) return UsageError("--at: '" + a.at + "' is not an RFC 3339 date-time with a time zone");
  auto certs = ReadLotlCerts(a.lotl_certs);
  if (!certs.ok()) return UsageError(certs.status().message());
  io::TrustedListOptions options;
  options.max_bytes = a.max_list_bytes;
  auto loaded = io::LoadTrustedLists(a.dir, *certs, *at, options);
  if (!loaded.ok()) {
    spdlog::error("{}", loaded.status().message());
    return loaded.status().code() == StatusCode::kCorruption ? 1 : 2;
  }
  PrintOutcome(loaded->outcome.lotl);
  size_t refused = 0;
  for (const auto& l : loaded->outcome.lists) {
    PrintOutcome(l);
    refused += l.accepted() ? 0 : 1;
  }
  size_t eseal_cas = 0;
  for (const TrustedService& s : loaded->services->services()) {
    const ServiceStatusPeriod* p = s.PeriodAt(*at);
    if (p && p->granted() && p->type == kServiceTypeCaQc && p->HasInfo("ForeSeals")) ++eseal_cas;
  }
  std::printf("%zu services; %zu CA/QC services for e-seals granted at %s\n", loaded->services->services().size(),
              eseal_cas, FormatUtc(*at).c_str());
  return refused == 0 ? 0 : 1;
}

std::string Period(const ValidityPeriod& p) {
  return p.from || p.until ? " valid " + p.Describe() : std::string();
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// Exit 0: the registry is valid (what it holds on stdout); 2: it is not (the
// entry and field on stderr).
int RunCheckRegistry(const std::string& path) {
  auto registry = LoadTrustRegistry(path);
  if (!registry.ok()) return UsageError(registry.status().message());
  const TrustRegistry& r = **registry;
  for (const RegistryIssuer& i : r.issuers()) {
    std::printf("%s%s%s\n", i.ids.front().c_str(), i.name.empty() ? "" : ("  " + i.name).c_str(),
                i.country.empty() ? "" : (" (" + i.country + ")").c_str());
    if (i.ids.size() > 1) {
      std::vector<std::string> aliases(i.ids.begin() + 1, i.ids.end());
      std::printf("  also known as %s\n", Joined(aliases).c_str());
    }
    if (!i.identifiers.empty()) std::printf("  identifiers: %s\n", Joined(i.identifiers).c_str());
    for (const RegistryKey& k : i.keys) {
      std::string what = !k.did_url.empty() ? "DID key " + k.did_url
                         : k.jwk            ? "JWK " + std::string(KeyKindName(k.jwk->kind())) + " thumbprint " + k.thumbprint
                                            : "JWK thumbprint " + k.thumbprint;
      std::printf("  key %s%s\n", what.c_str(), Period(k.validity).c_str());
    }
    for (const RegistryCertificate& c : i.certificates) {
      std::string what = !c.sha256.empty() ? "SHA-256 " + c.sha256
                                           : "organizationIdentifier " + c.organization_identifier + " from CA " + c.ca_sha256;
      std::printf("  certificate %s%s\n", what.c_str(), Period(c.validity).c_str());
    }
    if (!i.mandates.empty()) std::printf("  seals for: %s\n", Joined(i.mandates).c_str());
    if (!i.status_delegates.empty()) std::printf("  status lists also by: %s\n", Joined(i.status_delegates).c_str());
  }
  for (const AccreditationRecord& a : r.accreditations()) {
    std::printf("accreditation %s of %s: %s", a.id.c_str(), Joined(a.organisations).c_str(),
                std::string(AccreditationStatusName(a.status)).c_str());
    if (a.date_issued || a.expiry_date) {
      ValidityPeriod p{a.date_issued, a.expiry_date};
      std::printf(", %s", p.Describe().c_str());
    }
    std::vector<std::string> limits;
    if (!a.limit_eqf_levels.empty()) {
      std::string levels;
      for (int l : a.limit_eqf_levels) levels += (levels.empty() ? "" : ",") + std::to_string(l);
      limits.push_back("EQF " + levels);
    }
    if (!a.limit_fields.empty()) limits.push_back("fields " + Joined(a.limit_fields));
    if (!a.limit_qualifications.empty()) limits.push_back("qualifications " + Joined(a.limit_qualifications));
    if (!a.limit_credential_types.empty()) limits.push_back("types " + Joined(a.limit_credential_types));
    if (!a.limit_jurisdictions.empty()) limits.push_back("jurisdictions " + Joined(a.limit_jurisdictions));
    if (!limits.empty()) std::printf("; limited to %s", Joined(limits).c_str());
    std::printf("\n");
  }
  std::printf("%zu issuers, %zu trust anchors, %zu accreditation records: valid\n", r.issuers().size(),
              r.trust_anchors_pem().size(), r.accreditation_count());
  return 0;
}

}  // namespace

void AddTrustCommands(CLI::App& app, int* exit_code) {
  CLI::App* trust = app.add_subcommand("trust", "Issuer trust: the trusted-issuer registry, EU trusted lists");
  trust->require_subcommand(1);

  auto u = std::make_shared<TrustArgs>();
  CLI::App* update = trust->add_subcommand(
      "update", "Fetch the EU LOTL and the national trusted lists, verify them, store the accepted ones");
  update->add_option("--out", u->out, "Folder to store the verified lists and index.json in")->required();
  update->add_option("--lotl-certs", u->lotl_certs,
                     "PEM file of the LOTL signing certificates (from the Official Journal, or a later announced set)")
      ->required()->check(CLI::ExistingFile);
  update->add_option("--lotl-url", u->lotl_url, "URL of the LOTL")->capture_default_str();
  update->add_option("--at", u->at, "Time of use for NextUpdate, RFC 3339 (default: now)");
  update->add_option("--from", u->from,
                     "Read the documents from this folder instead of the network (index.json maps URL to file, "
                     "else the URL's basename)");
  update->add_option("--territory", u->territories, "Only these national lists (e.g. ES,SI)")->delimiter(',');
  update->add_option("--fetch-timeout", u->fetch_timeout, "Seconds one list fetch may take, redirects included")
      ->check(CLI::Range(int64_t{1}, int64_t{600}))->capture_default_str();
  update->add_option("--max-list-bytes", u->max_list_bytes, "Largest list accepted")
      ->check(CLI::Range(size_t{4096}, size_t{1} << 30))->capture_default_str();
  update->add_flag("--allow-private-addresses", u->allow_private_addresses,
                   "Also fetch from loopback, private and other non-public addresses (tests, mirrors)");
  update->callback([u, exit_code] { *exit_code = RunUpdate(*u); });

  auto c = std::make_shared<TrustArgs>();
  CLI::App* check = trust->add_subcommand("check-lists", "Verify a stored trusted-list folder again and summarise it");
  check->add_option("dir", c->dir, "Folder written by trust update")->required()->check(CLI::ExistingDirectory);
  check->add_option("--lotl-certs", c->lotl_certs, "PEM file of the LOTL signing certificates")
      ->required()->check(CLI::ExistingFile);
  check->add_option("--at", c->at, "Time of use for NextUpdate, RFC 3339 (default: now)");
  check->add_option("--max-list-bytes", c->max_list_bytes, "Largest list accepted")
      ->check(CLI::Range(size_t{4096}, size_t{1} << 30))->capture_default_str();
  check->callback([c, exit_code] { *exit_code = RunCheckLists(*c); });

  auto registry = std::make_shared<std::string>();
  CLI::App* reg = trust->add_subcommand("check", "Validate a trusted-issuer registry (--trust FILE) and print what it holds");
  reg->add_option("file", *registry, "Registry file (docs/trust-registry.md)")->required()->check(CLI::ExistingFile);
  reg->callback([registry, exit_code] { *exit_code = RunCheckRegistry(*registry); });
}

}  // namespace credsweep::io::cli
