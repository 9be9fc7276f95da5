#include "io/trust/lotl.h"

#include <algorithm>

namespace credsweep::io {

namespace {

std::string Basename(const std::string& url) {
  size_t slash = url.find_last_of('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

// Fetches and verifies one list.
ListOutcome Check(const ListFetcher& fetch, std::string name, const std::string& url,
                  const std::vector<std::string>& announced, std::optional<UnixSeconds> at,
                  const TrustedListOptions& options) {
  ListOutcome out;
  out.name = std::move(name);
  out.url = url;
  auto xml = fetch(url);
  if (!xml.ok()) {
    out.verdict = ListVerdict::kUnavailable;
    out.message = xml.status().message();
    return out;
  }
  TrustedListCheck check = VerifyTrustedList(*xml, announced, at, options);
  out.verdict = check.verdict;
  out.message = check.message;
  if (check.accepted()) {
    out.list = std::move(check.list);
    out.xml = std::move(xml).value();
  }
  return out;
}

std::vector<std::string> AnnouncedFor(const TrustedListContent& lotl, const std::string& territory) {
  std::vector<std::string> certs;
  for (const ListPointer* p : lotl.XmlPointers(territory)) {
    certs.insert(certs.end(), p->certificates.begin(), p->certificates.end());
  }
  return certs;
}

}  // namespace

ListOutcome VerifyLotl(const ListFetcher& fetch, const std::vector<std::string>& lotl_certs,
                       const LotlOptions& options, std::vector<ListOutcome>* pivots) {
  Result<std::string> xml = fetch(options.lotl_url);  // fetched once, judged up to twice
  const ListFetcher once = [&](const std::string& url) { return url == options.lotl_url ? xml : fetch(url); };
  ListOutcome lotl = Check(once, "LOTL", options.lotl_url, lotl_certs, options.at, options.list);
  if (lotl.verdict != ListVerdict::kSignerNotAnnounced) return lotl;
  // The signer is newer than the given certificates: read the pivot URLs (before
  // verification, only to know where to look; trust comes from the walk).
  auto unverified = ParseTrustedListUnverified(*xml, options.list);
  if (!unverified.ok() || unverified->PivotUrls().empty()) return lotl;
  std::vector<std::string> certs = lotl_certs;
  for (const std::string& url : unverified->PivotUrls()) {
    ListOutcome pivot = Check(once, "pivot " + Basename(url), url, certs, std::nullopt, options.list);
    if (pivot.accepted()) {
      std::vector<std::string> next = AnnouncedFor(*pivot.list, "EU");
      if (!next.empty()) certs = std::move(next);
      else pivot.message += " (announces no EU signing certificates; set unchanged)";
    }
    pivots->push_back(std::move(pivot));
  }
  ListOutcome walked = Check(once, "LOTL", options.lotl_url, certs, options.at, options.list);
  if (walked.accepted()) walked.message += " (via " + std::to_string(pivots->size()) + " pivot LOTLs)";
  else walked.message += " (after walking " + std::to_string(pivots->size()) + " pivot LOTLs)";
  return walked;
}

TrustedListsOutcome FetchTrustedLists(const ListFetcher& fetch, const std::vector<std::string>& lotl_certs,
                                      const LotlOptions& options) {
  TrustedListsOutcome out;
  out.lotl = VerifyLotl(fetch, lotl_certs, options, &out.pivots);
  if (!out.lotl.accepted()) return out;
  for (const ListPointer& p : out.lotl.list->pointers) {
    if (p.mime_type != kTlMimeType || p.territory == "EU" || p.tsl_type == kLotlType) continue;
    if (!options.territories.empty() &&
        std::find(options.territories.begin(), options.territories.end(), p.territory) == options.territories.end()) {
      continue;
    }
    ListOutcome tl = Check(fetch, p.territory, p.location, p.certificates, options.at, options.list);
    if (tl.accepted() && tl.list->territory != p.territory) {
      tl.verdict = ListVerdict::kNotATrustedList;
      tl.message = "the list is for territory '" + tl.list->territory + "', the LOTL points to it for '" +
                   p.territory + "'";
      tl.list.reset();
      tl.xml.clear();
    }
    out.lists.push_back(std::move(tl));
  }
  for (const std::string& t : options.territories) {
    bool named = std::any_of(out.lists.begin(), out.lists.end(), [&](const ListOutcome& o) { return o.name == t; });
    if (!named) {
      ListOutcome missing;
      missing.name = t;
      missing.verdict = ListVerdict::kUnavailable;
      missing.message = "the LOTL has no XML list for this territory";
      out.lists.push_back(std::move(missing));
    }
  }
  return out;
}

}  // namespace credsweep::io
