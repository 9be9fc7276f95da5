#include "engine/internal/organization_identifier.h"

#include <array>
#include <utility>

namespace credsweep::internal {
namespace {

// The EU country authority table uses ISO 3166-1 alpha-3; organizationIdentifier
// uses alpha-2. The EU and EEA members, Switzerland and the United Kingdom.
constexpr std::array<std::pair<std::string_view, std::string_view>, 32> kCountries = {{
    {"AUT", "AT"}, {"BEL", "BE"}, {"BGR", "BG"}, {"HRV", "HR"}, {"CYP", "CY"}, {"CZE", "CZ"}, {"DNK", "DK"},
    {"EST", "EE"}, {"FIN", "FI"}, {"FRA", "FR"}, {"DEU", "DE"}, {"GRC", "GR"}, {"HUN", "HU"}, {"IRL", "IE"},
    {"ITA", "IT"}, {"LVA", "LV"}, {"LTU", "LT"}, {"LUX", "LU"}, {"MLT", "MT"}, {"NLD", "NL"}, {"POL", "PL"},
    {"PRT", "PT"}, {"ROU", "RO"}, {"SVK", "SK"}, {"SVN", "SI"}, {"ESP", "ES"}, {"SWE", "SE"}, {"ISL", "IS"},
    {"LIE", "LI"}, {"NOR", "NO"}, {"CHE", "CH"}, {"GBR", "GB"},
}};

bool Upper(char c) { return c >= 'A' && c <= 'Z'; }

// Greece is "EL" in VAT numbers and "GR" in ISO 3166; EN 319 412-1 allows both.
bool SameCountry(std::string_view a, std::string_view b) {
  auto norm = [](std::string_view c) { return c == "EL" ? std::string_view("GR") : c; };
  return !a.empty() && norm(a) == norm(b);
}

}  // namespace

std::string_view Alpha2FromAlpha3(std::string_view alpha3) {
  for (const auto& [a3, a2] : kCountries) {
    if (a3 == alpha3) return a2;
  }
  return {};
}

bool SplitOrganizationIdentifier(std::string_view id, OrganizationIdentifierParts* out) {
  // "SSSCC-ref", or a national scheme "CC:xx-ref" (EN 319 412-1 allows "CC:" + two letters).
  if (id.size() < 7 || id[5] != '-') return false;
  const bool national = id[2] == ':';
  if (national ? !(Upper(id[0]) && Upper(id[1]) && Upper(id[3]) && Upper(id[4]))
               : !(Upper(id[0]) && Upper(id[1]) && Upper(id[2]) && Upper(id[3]) && Upper(id[4]))) {
    return false;
  }
  out->scheme = id.substr(0, 3);
  out->country = national ? id.substr(0, 2) : id.substr(3, 2);
  out->reference = id.substr(6);
  return true;
}

std::string MatchOrganizationIdentifier(std::string_view organization_identifier,
                                        const std::vector<LegalIdentifier>& ids) {
  if (organization_identifier.empty()) return {};
  OrganizationIdentifierParts cert;
  const bool semantic = SplitOrganizationIdentifier(organization_identifier, &cert);
  for (const auto& id : ids) {
    if (id.notation == organization_identifier) return "exact match of issuer identifier " + id.notation;
    OrganizationIdentifierParts own;
    if (semantic && !SplitOrganizationIdentifier(id.notation, &own) && id.notation == cert.reference &&
        SameCountry(id.country, cert.country)) {
      return "registration number " + id.notation + " in " + id.country;
    }
  }
  return {};
}

}  // namespace credsweep::internal
