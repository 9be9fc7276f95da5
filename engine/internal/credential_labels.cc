#include "engine/internal/credential_labels.h"

#include <initializer_list>
#include <optional>
#include <string_view>

namespace credsweep::internal {
namespace {

// The first item of a value that may be one item or an array of items.
// The first item of an array, else the element itself; an empty array stays the
// (empty) array, which is neither an object nor a string. Never a default element:
// simdjson's holds no document, and reading it dereferences null.
element First(element e) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return e;
  element item;
  return arr.at(0).get(item) == simdjson::SUCCESS ? item : e;
}

// The first item of obj[name] when it is an object.
bool ObjectMember(object obj, std::string_view name, object* out) {
  element e;
  if (obj[name].get(e) != simdjson::SUCCESS) return false;
  return First(e).get_object().get(*out) == simdjson::SUCCESS;
}

// The text of the first of `names` that `obj` has, or "".
std::string TextMember(object obj, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    element e;
    if (obj[name].get(e) != simdjson::SUCCESS) continue;
    if (std::string text = TextOf(e); !text.empty()) return text;
  }
  return {};
}

// A party (awarding body, creator, issuer) as a person knows it: its name, else
// its id. A string is an id.
std::string PartyLabel(element party) {
  std::string_view s;
  if (party.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  object o;
  if (party.get_object().get(o) != simdjson::SUCCESS) return {};
  if (std::string name = TextMember(o, {"legalName", "name", "prefLabel"}); !name.empty()) return name;
  auto id = StringMember(o, "id");
  if (!id) id = StringMember(o, "@id");
  return id ? std::string(*id) : std::string();
}

std::string Cut(std::string s) {
  if (s.size() <= kMaxLabelBytes) return s;
  size_t n = kMaxLabelBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a character
  s.resize(n);
  return s;
}

// The subject's members the labels read, found in one pass over it: most are
// absent (a subject has a fullName or a givenName, a hasClaim or an achievement),
// and a lookup by name reads every member to say so. The first of a repeated name
// counts, as a lookup by name reads.
struct SubjectMembers {
  explicit SubjectMembers(object subject) {
    for (auto [key, value] : subject) {
      std::optional<element>* slot = key == "fullName"      ? &full_name
                                     : key == "givenName"   ? &given_name
                                     : key == "familyName"  ? &family_name
                                     : key == "name"        ? &name
                                     : key == "hasClaim"    ? &has_claim
                                     : key == "achievement" ? &achievement
                                                            : nullptr;
      if (slot && !*slot) *slot = value;
    }
  }
  // The first item of `member` when it is an object (ObjectMember).
  static bool AsObject(const std::optional<element>& member, object* out) {
    return member && First(*member).get_object().get(*out) == simdjson::SUCCESS;
  }
  std::optional<element> full_name, given_name, family_name, name, has_claim, achievement;
};

std::string Text(const std::optional<element>& member) { return member ? TextOf(*member) : std::string(); }

std::string SubjectName(const SubjectMembers& subject) {
  if (std::string full = Text(subject.full_name); !full.empty()) return full;
  std::string given = Text(subject.given_name), family = Text(subject.family_name);
  if (!given.empty() || !family.empty()) return given + (given.empty() || family.empty() ? "" : " ") + family;
  return Text(subject.name);
}

// ELM: the first claim's title, else its specification's; Open Badges: the
// achievement's name; else the credential's own name.
std::string Title(object credential, const SubjectMembers* subject) {
  object claim, spec, achievement, display;
  if (subject && SubjectMembers::AsObject(subject->has_claim, &claim)) {
    if (std::string t = TextMember(claim, {"title"}); !t.empty()) return t;
    if (ObjectMember(claim, "specifiedBy", &spec)) {
      if (std::string t = TextMember(spec, {"title"}); !t.empty()) return t;
    }
  }
  if (subject && SubjectMembers::AsObject(subject->achievement, &achievement)) {
    if (std::string t = TextMember(achievement, {"name", "title"}); !t.empty()) return t;
  }
  if (std::string t = TextMember(credential, {"name"}); !t.empty()) return t;
  if (ObjectMember(credential, "displayParameter", &display)) return TextMember(display, {"title"});
  return {};
}

// ELM: the first claim's awarding body; Open Badges: the achievement's creator;
// else the issuer's name, else its id.
std::string AwardingBody(object credential, const SubjectMembers* subject, const std::string& issuer) {
  object claim, process, achievement, issuer_object;
  element body;
  if (subject && SubjectMembers::AsObject(subject->has_claim, &claim) && ObjectMember(claim, "awardedBy", &process) &&
      process["awardingBody"].get(body) == simdjson::SUCCESS) {
    if (std::string label = PartyLabel(First(body)); !label.empty()) return label;
  }
  if (subject && SubjectMembers::AsObject(subject->achievement, &achievement) &&
      achievement["creator"].get(body) == simdjson::SUCCESS) {
    if (std::string label = PartyLabel(body); !label.empty()) return label;
  }
  if (credential["issuer"].get_object().get(issuer_object) == simdjson::SUCCESS) {
    if (std::string name = TextMember(issuer_object, {"legalName", "name"}); !name.empty()) return name;
  }
  return issuer;
}

}  // namespace

std::string TextOf(element value) {
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  simdjson::dom::array arr;
  if (value.get_array().get(arr) == simdjson::SUCCESS) {
    std::string first;
    for (element item : arr) {
      object o;
      if (item.get_object().get(o) == simdjson::SUCCESS && StringMember(o, "@language").value_or("") == "en") {
        if (std::string text = TextOf(item); !text.empty()) return text;
      }
      if (first.empty()) first = TextOf(item);
    }
    return first;
  }
  object o;
  if (value.get_object().get(o) != simdjson::SUCCESS) return {};
  if (auto v = StringMember(o, "@value")) return std::string(*v);
  // A language map has language tags for keys; an object with a type is a node.
  if (HasMember(o, "type") || HasMember(o, "@type") || HasMember(o, "id")) return {};
  element en;
  if (o["en"].get(en) == simdjson::SUCCESS && First(en).get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  for (auto [key, item] : o) {
    if (item.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    if (item.is_array() && First(item).get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  }
  return {};
}

void ReadLabels(object credential, Credential* out) {
  object subject;
  element e;
  const bool has_subject = credential["credentialSubject"].get(e) == simdjson::SUCCESS &&
                           First(e).get_object().get(subject) == simdjson::SUCCESS;
  std::optional<SubjectMembers> members;
  if (has_subject) members.emplace(subject);
  const SubjectMembers* s = members ? &*members : nullptr;
  if (s) out->labels.subject_name = Cut(SubjectName(*s));
  out->labels.title = Cut(Title(credential, s));
  out->labels.awarding_body = Cut(AwardingBody(credential, s, out->issuer));
}

}  // namespace credsweep::internal
