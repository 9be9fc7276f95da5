#include "engine/checks/profile.h"

#include <span>
#include <string>

namespace credsweep::checks {
namespace {

using internal::element;
using internal::object;

// How a value found at a path is judged.
enum class Test {
  kPresent,           // any non-empty value
  kLevelAlignment,    // an Open Badges alignment to EQF / QF-EHEA
  kOutcomeAlignment,  // an Open Badges alignment that is not a level
};

struct Path {
  std::string_view path;  // member names separated by '.'; arrays are entered at every step
  Test test = Test::kPresent;
};

struct Element {
  std::string_view name;  // the plain name reported when missing
  bool mandatory;         // false for the level: "if applicable"
  std::span<const Path> paths;
};

// The table of docs/eu-microcredential-profile.md. ELM claims sit under
// credentialSubject.hasClaim (LearningAchievement, LearningActivity, ...), their
// specification under specifiedBy; Open Badges 3.0 under credentialSubject.achievement.
constexpr Path kLearner[] = {
    {"credentialSubject.fullName"},   {"credentialSubject.givenName"},  {"credentialSubject.familyName"},
    {"credentialSubject.nationalID"}, {"credentialSubject.identifier"}, {"credentialSubject.name"},
};
constexpr Path kTitle[] = {
    {"credentialSubject.hasClaim.title"}, {"credentialSubject.hasClaim.specifiedBy.title"},
    {"displayParameter.title"},           {"credentialSubject.achievement.name"},
    {"name"},
};
constexpr Path kCountry[] = {
    {"issuer.location.address.countryCode"},
    {"issuer.location.spatialCode"},
    {"credentialSubject.hasClaim.awardedBy.awardingBody.location.address.countryCode"},
    {"credentialSubject.hasClaim.awardedBy.awardingBody.location.spatialCode"},
    {"issuer.address.addressCountryCode"},
    {"issuer.address.addressCountry"},
    {"issuer.address.addressRegion"},
    {"credentialSubject.achievement.creator.address.addressCountryCode"},
    {"credentialSubject.achievement.creator.address.addressCountry"},
    {"credentialSubject.achievement.creator.address.addressRegion"},
};
constexpr Path kAwardingBody[] = {
    {"credentialSubject.hasClaim.awardedBy.awardingBody"},
    {"credentialSubject.achievement.creator"},
    {"issuer.name"},
};
constexpr Path kDate[] = {
    {"issued"}, {"issuanceDate"}, {"validFrom"}, {"awardedDate"}, {"credentialSubject.hasClaim.awardedBy.awardingDate"},
};
constexpr Path kOutcomes[] = {
    {"credentialSubject.hasClaim.specifiedBy.learningOutcome"},
    {"credentialSubject.hasClaim.specifiedBy.learningOutcomeSummary"},
    {"credentialSubject.achievement.alignment", Test::kOutcomeAlignment},
};
constexpr Path kWorkload[] = {
    {"credentialSubject.hasClaim.specifiedBy.creditPoint.point"},
    {"credentialSubject.hasClaim.specifiedBy.volumeOfLearning"},
    {"credentialSubject.achievement.creditsAvailable"},
    {"credentialSubject.creditsEarned"},
};
constexpr Path kLevel[] = {
    {"credentialSubject.hasClaim.specifiedBy.eqfLevel"},
    {"credentialSubject.hasClaim.specifiedBy.nqfLevel"},
    {"credentialSubject.achievement.alignment", Test::kLevelAlignment},
};
constexpr Path kAssessment[] = {
    {"credentialSubject.hasClaim.provenBy.specifiedBy.dcType"},
    {"credentialSubject.hasClaim.specifiedBy.provenBy.dcType"},
    {"credentialSubject.achievement.resultDescription"},
};
constexpr Path kParticipation[] = {
    {"credentialSubject.hasClaim.specifiedBy.mode"},
    {"credentialSubject.hasClaim.influencedBy.specifiedBy.mode"},
    {"credentialSubject.hasClaim.specifiedBy.influencedBy.mode"},
    {"credentialSubject.achievement.mode"},
};
constexpr Path kQualityAssurance[] = {
    {"credentialSubject.hasClaim.specifiedBy.accreditation"},
    {"credentialSubject.hasClaim.awardedBy.awardingBody.accreditation"},
    {"issuer.accreditation"},
    {"credentialSubject.achievement.accreditation"},
};

// Annex I, part I, in its order.
constexpr Element kElements[] = {
    {"identification of the learner", true, kLearner},
    {"title of the micro-credential", true, kTitle},
    {"country or region of the issuer", true, kCountry},
    {"awarding body", true, kAwardingBody},
    {"date of issuing", true, kDate},
    {"learning outcomes", true, kOutcomes},
    {"notional workload", true, kWorkload},
    {"level", false, kLevel},
    {"type of assessment", true, kAssessment},
    {"form of participation", true, kParticipation},
    {"type of quality assurance", true, kQualityAssurance},
};
constexpr size_t kMandatoryCount = 10;

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// A value that states something. The parser's depth limit bounds the recursion.
bool Present(element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING:
      return !Blank(e.get_string().value_unsafe());
    case simdjson::dom::element_type::ARRAY: {
      // Copied out first: value_unsafe() on a temporary result is a reference into it.
      const simdjson::dom::array arr = e.get_array().value_unsafe();
      for (element item : arr) {
        if (Present(item)) return true;
      }
      return false;
    }
    case simdjson::dom::element_type::OBJECT: {
      const object obj = e.get_object().value_unsafe();
      for (auto [key, value] : obj) {
        if (key != "type" && Present(value)) return true;
      }
      return false;
    }
    case simdjson::dom::element_type::NULL_VALUE:
      return false;
    default:  // numbers, booleans
      return true;
  }
}

bool Contains(std::string_view text, std::string_view part) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (part.size() > text.size()) return false;
  for (size_t i = 0; i + part.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < part.size() && lower(text[i + k]) == lower(part[k])) ++k;
    if (k == part.size()) return true;
  }
  return false;
}

// An Open Badges Alignment to the EQF or QF-EHEA: by its framework's name, its
// target type, or a target in the EU's EQF vocabulary.
bool IsLevelAlignment(object a) {
  auto framework = internal::StringMember(a, "targetFramework").value_or("");
  auto type = internal::StringMember(a, "targetType").value_or("");
  auto url = internal::StringMember(a, "targetUrl").value_or("");
  return Contains(framework, "EQF") || Contains(framework, "QF-EHEA") || Contains(type, "EQF") ||
         Contains(type, "QF-EHEA") || Contains(type, "QFEHEA") || url.starts_with("http://data.europa.eu/snb/eqf/");
}

bool Passes(element e, Test test) {
  if (test == Test::kPresent) return Present(e);
  object a;
  if (e.get_object().get(a) != simdjson::SUCCESS || !Present(e)) return false;
  return IsLevelAlignment(a) == (test == Test::kLevelAlignment);
}

bool AnyAt(element e, std::string_view path, Test test);

// The members of `obj` named by `path`'s first step, then the rest of the path.
bool AnyUnder(object obj, std::string_view path, Test test) {
  const size_t dot = path.find('.');
  element child;
  if (obj[path.substr(0, dot)].get(child) != simdjson::SUCCESS) return false;
  return AnyAt(child, dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1), test);
}

// True when some value reached by `path` from `e` passes `test`. Arrays are
// entered at every step, so `hasClaim` may be one claim or several.
bool AnyAt(element e, std::string_view path, Test test) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr) == simdjson::SUCCESS) {
    for (element item : arr) {
      if (AnyAt(item, path, test)) return true;
    }
    return false;
  }
  if (path.empty()) return Passes(e, test);
  object obj;
  return e.get_object().get(obj) == simdjson::SUCCESS && AnyUnder(obj, path, test);
}

bool Found(object credential, const Element& el) {
  for (const Path& p : el.paths) {
    if (AnyUnder(credential, p.path, p.test)) return true;
  }
  return false;
}

std::string Joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

constexpr std::string_view kNoLevel = "no level (EQF, QF-EHEA) stated, which Annex I requires only if applicable";

}  // namespace

ProfileReport CheckEuMicrocredential(object credential) {
  ProfileReport report;
  for (const Element& el : kElements) {
    const bool found = Found(credential, el);
    if (found) ++report.present;
    if (!el.mandatory) {
      report.level_stated = found;
    } else if (!found) {
      report.missing.push_back(el.name);
    }
  }
  return report;
}

void ApplyProfile(CredentialProfile profile, object credential, CheckResult* format) {
  if (profile == CredentialProfile::kNone || format->outcome != Outcome::kPass) return;
  const ProfileReport report = CheckEuMicrocredential(credential);
  if (!report.missing.empty()) {
    std::string message = "EU micro-credential profile: missing: " + Joined(report.missing);
    if (!report.level_stated) message += "; " + std::string(kNoLevel);
    *format = {Outcome::kFail, "profile_incomplete", std::move(message)};
    return;
  }
  if (report.level_stated) {
    format->message += "; EU micro-credential profile: all " + std::to_string(report.present) + " elements present";
  } else {
    format->message += "; EU micro-credential profile: all " + std::to_string(kMandatoryCount) +
                       " mandatory elements present; " + std::string(kNoLevel);
  }
}

}  // namespace credsweep::checks
