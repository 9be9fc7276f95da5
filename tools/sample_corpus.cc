#include "tools/sample_corpus.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "tools/certificate_authority.h"
#include "engine/encoding.h"
#include "engine/json_escape.h"
#include "engine/json_writer.h"
#include "engine/sha256.h"
#include "engine/signer.h"
#include "io/private_file.h"
#include "io/status_lists/publisher.h"
#include "storage/status_index.h"

namespace credsweep::tools {

namespace fs = std::filesystem;

namespace {

constexpr const char* kIssuerBase = "https://credentials.alliance.example/issuers/";

struct University {
  const char* slug;
  const char* name;
  const char* country;
  const char* legal_id;
};

constexpr University kUniversities[] = {
    {"ugent", "Universiteit Gent", "BE", "VATBE-0248015142"},
    {"ugr", "Universidad de Granada", "ES", "VATES-Q1818002F"},
    {"uj", "Uniwersytet Jagiellonski", "PL", "VATPL-6750002236"},
    {"umontpellier", "Universite de Montpellier", "FR", "VATFR-48130008324"},
    {"ugoe", "Georg-August-Universitaet Goettingen", "DE", "VATDE-811342148"},
    {"unibo", "Universita di Bologna", "IT", "VATIT-01131710376"},
    {"uu", "Uppsala universitet", "SE", "VATSE-202100293201"},
    {"tcd", "Trinity College Dublin", "IE", "VATIE-0000000T"},
};
constexpr size_t kUniversityCount = sizeof(kUniversities) / sizeof(kUniversities[0]);

// Title, learning outcome, ISCED-F 2013 field.
constexpr const char* kCourses[][3] = {
    {"Data Stewardship for Research", "Plan, document and publish research data according to FAIR principles.", "0612"},
    {"Introduction to Quantum Computing", "Describe qubits and gates and write simple quantum circuits.", "0533"},
    {"Sustainable Urban Mobility", "Assess mobility plans against EU sustainability indicators.", "0731"},
    {"Machine Learning in Healthcare", "Evaluate clinical prediction models for bias and calibration.", "0613"},
    {"Circular Economy Design", "Redesign a product life cycle to minimise material loss.", "0712"},
    {"Academic Writing in English", "Structure and argue a research paper for international journals.", "0231"},
};
constexpr size_t kCourseCount = sizeof(kCourses) / sizeof(kCourses[0]);

// Accreditation in the sample registry (docs/accreditation.md): every university
// is accredited for EQF 5-7, except that
//   - ugr's accreditation expired kUgrExpiredDays before the reference time;
//   - uj's accreditation for kSuspendedCourse's field is a separate, suspended record;
//   - umontpellier's does not cover kOutOfScopeCourse's field;
//   - tcd has none.
constexpr const char* kAccreditationBase = "https://accreditation.alliance.example/records/";
constexpr UnixSeconds kUgrExpiredDays = 100;
constexpr size_t kSuspendedCourse = 1;
constexpr size_t kOutOfScopeCourse = 2;
constexpr const char* kIsced = "http://data.europa.eu/snb/isced-f/";

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double Unit(uint64_t seed, uint64_t i, uint64_t salt) {
  return static_cast<double>(Mix(seed * 1000003 + i * 7919 + salt) >> 11) / 9007199254740992.0;
}

std::string Uuid(uint64_t seed, uint64_t i) {
  uint64_t a = Mix(seed ^ (i * 2 + 1)), b = Mix(a ^ i);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>(a >> 16) & 0xffff, static_cast<unsigned>(a) & 0xfff,
                (static_cast<unsigned>(b >> 48) & 0x3fff) | 0x8000,
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

std::string Q(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

enum class Defect { kNone, kExpired, kNotYetValid, kTampered, kRevoked, kSuspended, kForged, kUnboundKey };

// The issuing body that seals the JAdES (Europass-style) credentials for the
// member universities: they are its mandates in the trust registry.
constexpr const char* kIssuingBodySlug = "alliance";
constexpr const char* kIssuingBodyName = "Alliance Credential Service";
constexpr const char* kIssuingBodyId = "VATBE-0000000097";
// An awarding body outside the alliance, which the issuing body has no mandate for.
constexpr const char* kStrangerBody = "https://credentials.other-alliance.example/issuers/sorbonne";

constexpr uint64_t kListEntries = 131072;
constexpr size_t kPresentationCredentials = 5;  // credentials in a sample presentation
constexpr const char* kStatusBase = "https://status.alliance.example/";

struct Signer {
  std::unique_ptr<PrivateKey> key;
  const University* uni;
};

struct Plan {
  Envelope envelope;
  bool held = false;       // issued to the wallet's holder (in a presentation)
  bool no_status = false;  // without status entries (a presentation's companions)
  size_t course = 0;
  int eqf = 5;
  size_t signer;  // index into signers (compact envelopes)
  Defect defect;
  UnixSeconds from, until;
  const University* uni = nullptr;  // the issuer
  std::string list_url;             // its status list and slot
  uint64_t list_index = 0;
};

// The accreditation record a credential of `uni` for course `course` claims
// (JAdES credentials name it as ELM evidence).
std::string ClaimedAccreditation(const University& uni, size_t course) {
  std::string slug = uni.slug;
  if (slug == "uj" && course == kSuspendedCourse) return kAccreditationBase + slug + "-" + kCourses[course][2];
  return kAccreditationBase + slug;
}

struct AccreditationExpectation {
  const char* result;  // pass, fail, skipped
  const char* code;
};

// What the accreditation check says of a credential whose seal passed.
AccreditationExpectation ExpectedAccreditation(const Plan& p, UnixSeconds at) {
  std::string_view slug = p.uni->slug;
  if (slug == "tcd") {
    return p.envelope == Envelope::kJades ? AccreditationExpectation{"fail", "no_accreditation_record"}
                                          : AccreditationExpectation{"skipped", "not_claimed"};
  }
  if (slug == "ugr" && p.from > at - kUgrExpiredDays * 86400) return {"fail", "accreditation_expired"};
  // An SD-JWT VC names no field of study or accreditation record: the issuer's
  // institutional accreditation covers it.
  if (p.envelope == Envelope::kSdJwtVc) return {"pass", "ok"};
  if (slug == "uj" && p.course == kSuspendedCourse) return {"fail", "accreditation_suspended"};
  if (slug == "umontpellier" && p.course == kOutOfScopeCourse) return {"fail", "out_of_scope"};
  return {"pass", "ok"};
}

struct Corpus {
  const SampleOptions& o;
  std::vector<Signer> signers;
  std::unique_ptr<PrivateKey> unbound_key;  // in keys/jwks.json, bound to no issuer
  std::unique_ptr<PrivateKey> holder_key;   // the wallet's key (SD-JWT VC cnf.jwk)
  std::string holder_did;                   // did:jwk of holder_key (presentations)
  std::unique_ptr<PrivateKey> seal_key;  // issuing body's RSA seal key (JAdES)
  std::string seal_cert_der, intermediate_der;
  std::unique_ptr<CertificateAuthority> root_ca;     // CRLs for the issuing CA (jades_long_term)
  std::unique_ptr<CertificateAuthority> issuing_ca;  // OCSP responses (jades_long_term)
  std::unique_ptr<PrivateKey> tsa_key;                // signature timestamps (jades_long_term)
  std::unique_ptr<PrivateKey> responder_key;          // the issuing CA's delegated OCSP responder
  std::string responder_der;
  std::string tsa_der;

  Plan PlanFor(size_t i) const {
    Plan p;
    p.envelope = o.envelopes[Mix(o.seed + i * 31) % o.envelopes.size()];
    p.held = p.envelope == Envelope::kPresentation;
    p.course = Mix(o.seed + i * 3) % kCourseCount;
    p.eqf = 5 + static_cast<int>(Mix(o.seed + i * 7) % 3);
    p.signer = Mix(o.seed + i * 17 + 5) % signers.size();
    double u = Unit(o.seed, i, 99);
    double c1 = o.expired, c2 = c1 + o.not_yet_valid, c3 = c2 + o.tampered,
           c4 = c3 + (o.with_status ? o.revoked : 0), c5 = c4 + (o.with_status ? o.suspended : 0),
           c6 = c5 + o.forged, c7 = c6 + o.unbound;
    p.defect = u < c1   ? Defect::kExpired
               : u < c2 ? Defect::kNotYetValid
               : u < c3 ? Defect::kTampered
               : u < c4 ? Defect::kRevoked
               : u < c5 ? Defect::kSuspended
               : u < c6 ? Defect::kForged
               : u < c7 ? Defect::kUnboundKey
                        : Defect::kNone;
    // A JAdES seal has no configured key to leave unbound: forge there instead.
    if (p.defect == Defect::kUnboundKey && p.envelope == Envelope::kJades) p.defect = Defect::kForged;
    p.uni = p.envelope == Envelope::kJades ? &kUniversities[Mix(o.seed + i * 13) % kUniversityCount]
                                           : signers[p.signer].uni;
    // A forged compact credential claims the next university but is signed with
    // the signer's own (another member's) key.
    if (p.defect == Defect::kForged && p.envelope != Envelope::kJades) {
      p.uni = &kUniversities[(p.uni - kUniversities + 1) % kUniversityCount];
    }
    // A bijection of record numbers onto list slots: unique, and not in issue order.
    uint64_t space = (o.count + kListEntries - 1) / kListEntries * kListEntries;
    uint64_t slot = (1000003ULL * i + Mix(o.seed) % space) % space;
    p.list_url = std::string(kStatusBase) + p.uni->slug + "/" + std::to_string(slot / kListEntries + 1);
    p.list_index = slot % kListEntries;
    const UnixSeconds day = 86400;
    UnixSeconds issued = o.at - static_cast<UnixSeconds>(30 + Mix(o.seed + i) % 700) * day;
    p.from = issued;
    p.until = issued + 5 * 365 * day;
    if (p.defect == Defect::kExpired) p.until = o.at - static_cast<UnixSeconds>(1 + Mix(i) % 60) * day;
    if (p.defect == Defect::kExpired && p.from >= p.until) p.from = p.until - 365 * day;
    if (p.defect == Defect::kNotYetValid) {
      p.from = o.at + static_cast<UnixSeconds>(2 + Mix(i) % 60) * day;
      p.until = p.from + 5 * 365 * day;
    }
    return p;
  }

  // A display image that brings the document near --payload-kb (JAdES benchmarks).
  void WritePadding(JsonWriter& w, size_t i, size_t natural) const {
    if (o.payload_kb == 0 || o.payload_kb * 1024 <= natural + 200) return;
    size_t want = o.payload_kb * 1024 - natural - 200;
    std::string raw(want * 3 / 4, '\0');
    uint64_t x = Mix(o.seed + i);
    for (size_t k = 0; k < raw.size(); k += 8) {
      x = Mix(x);
      for (size_t b = 0; b < 8 && k + b < raw.size(); ++b) raw[k + b] = static_cast<char>(x >> (8 * b));
    }
    w.Key("displayParameter").BeginObject().Member("title", "Certificate").Key("individualDisplay").BeginArray();
    w.BeginObject().Member("language", "en").Key("displayDetail").BeginArray().BeginObject().Member("page", 1);
    w.Key("image").BeginObject().Member("contentType", "image/png").Member("content", Base64Encode(raw)).EndObject();
    w.EndObject().EndArray().EndObject().EndArray().EndObject();
  }

  std::string Subject(size_t i) const { return "did:example:learner:" + Uuid(o.seed + 7, i).substr(0, 18); }

  // The credential members shared by all envelopes, into an open object.
  // `awarding_body`, when given, is written as ELM does (awardedBy.awardingBody).
  void WriteBody(JsonWriter& w, size_t i, const University& uni, const Plan& p,
                 const std::string& awarding_body = {}) const {
    const auto& course = kCourses[p.course];
    int ects = 1 + static_cast<int>(Mix(o.seed + i * 5) % 3);
    int eqf = p.eqf;
    w.Key("credentialSubject").BeginObject().Member("id", p.held ? holder_did : Subject(i)).Member("type", "Learner");
    w.Member("name", "Learner " + std::to_string(i));
    w.Key("achievement").BeginObject().Member("type", "MicroCredential");
    w.Member("title", std::string("Micro-credential: ") + course[0]).Member("ects", ects).Member("eqfLevel", eqf);
    w.Key("learningOutcomes").BeginArray().String(course[1]).EndArray();
    w.Key("thematicArea").BeginObject().Member("id", std::string(kIsced) + course[2]).EndObject();
    w.Key("assessment").BeginObject().Member("type", "Supervised online exam");
    w.Member("grade", std::string(1, "ABCDE"[Mix(i) % 5])).EndObject();
    w.Member("awardingBody", uni.name).Member("issuingBody", kIssuingBodyName);
    WriteMicrocredentialElements(w, course, ects, eqf, uni);
    w.EndObject();
    if (!awarding_body.empty()) {
      w.Key("awardedBy").BeginObject().Member("type", "AwardingProcess").Key("awardingBody").BeginObject();
      w.Member("id", awarding_body).Member("type", "Organisation").EndObject().EndObject();
    }
    w.EndObject();
    WriteStatusEntries(w, p);
  }

  // The Annex I elements of an EU micro-credential that the achievement above does
  // not state in a standard term, in Open Badges 3.0 terms (with ELM's `mode` and
  // `accreditation`): docs/eu-microcredential-profile.md.
  static void WriteMicrocredentialElements(JsonWriter& w, const char* const* course, int ects, int eqf,
                                           const University& uni) {
    const std::string level = std::to_string(eqf);
    w.Member("name", std::string("Micro-credential: ") + course[0]).Member("creditsAvailable", ects);
    w.Key("alignment").BeginArray();
    w.BeginObject().Key("type").BeginArray().String("Alignment").EndArray().Member("targetName", course[1]).EndObject();
    w.BeginObject().Key("type").BeginArray().String("Alignment").EndArray().Member("targetName", "EQF level " + level);
    w.Member("targetFramework", "EQF").Member("targetCode", level);
    w.Member("targetUrl", "http://data.europa.eu/snb/eqf/" + level).EndObject().EndArray();
    w.Key("resultDescription").BeginArray().BeginObject().Key("type").BeginArray().String("ResultDescription").EndArray();
    w.Member("name", "Supervised online exam").Member("resultType", "LetterGrade").EndObject().EndArray();
    w.Member("mode", "online");
    w.Key("creator").BeginObject().Key("type").BeginArray().String("Profile").EndArray().Member("name", uni.name);
    w.Key("address").BeginObject().Key("type").BeginArray().String("Address").EndArray();
    w.Member("addressCountryCode", uni.country).EndObject().EndObject();
    w.Key("accreditation").BeginObject().Member("type", "Accreditation");
    w.Member("title", "Institutional accreditation (ESG)").EndObject();
  }

  // Revocation and suspension entries at the record's slot.
  void WriteStatusEntries(JsonWriter& w, const Plan& p) const {
    if (!o.with_status || p.no_status) return;
    const std::string idx = std::to_string(p.list_index);
    w.Key("credentialStatus").BeginArray();
    for (auto [url, purpose] : {std::pair{p.list_url, "revocation"}, std::pair{p.list_url + "-suspension", "suspension"}}) {
      w.BeginObject().Member("id", url + "#" + idx).Member("type", "BitstringStatusListEntry");
      w.Member("statusPurpose", purpose).Member("statusListIndex", idx).Member("statusListCredential", url).EndObject();
    }
    w.EndArray();
  }

  Result<std::string> Make(size_t i, const Plan& p) const {
    std::string id = "urn:uuid:" + Uuid(o.seed, i);
    if (p.envelope == Envelope::kJades) return MakeJades(i, p, id);
    if (p.envelope == Envelope::kSdJwtVc) return MakeSdJwt(i, p, id);
    if (p.envelope == Envelope::kPresentation) return MakePresentation(i, p, id);
    return MakeCompact(i, p, id);
  }

  // The clean companion `k` (from 2) of a presentation's credential: the same
  // member's key, valid now, without status entries.
  Plan Companion(const Plan& p) const {
    Plan c = p;
    c.envelope = Envelope::kVcJwt;
    c.defect = Defect::kNone;
    c.no_status = true;
    c.uni = signers[p.signer].uni;
    c.from = o.at - 100 * 86400;
    c.until = o.at + 4 * 365 * 86400;
    return c;
  }

  // A vp+jwt by the holder enveloping the record's credential and 4 companions.
  Result<std::string> MakePresentation(size_t i, const Plan& p, const std::string& id) const {
    std::string vcs;
    JsonWriter v(&vcs);
    v.BeginArray();
    for (size_t k = 1; k <= kPresentationCredentials; ++k) {
      Plan own = p;
      own.envelope = Envelope::kVcJwt;
      auto jwt = k == 1 ? MakeCompact(i, own, id) : MakeCompact(i, Companion(p), id + "-" + std::to_string(k));
      if (!jwt.ok()) return jwt;
      v.BeginObject().Member("@context", "https://www.w3.org/ns/credentials/v2").Member("type", "EnvelopedVerifiableCredential");
      v.Member("id", "data:application/vc+jwt," + *jwt).EndObject();
    }
    v.EndArray();
    std::string payload;
    JsonWriter w(&payload);
    w.BeginObject().Key("@context").BeginArray().String("https://www.w3.org/ns/credentials/v2").EndArray();
    w.Key("type").BeginArray().String("VerifiablePresentation").EndArray().Member("holder", holder_did);
    w.Key("verifiableCredential").Raw(vcs);
    w.Member("aud", kWalletAudience).Member("nonce", kWalletNonce).Member("iat", int64_t{o.at}).EndObject();
    std::string header;
    JsonWriter(&header).BeginObject().Member("alg", JwsAlgName(holder_key->alg())).Member("kid", holder_did + "#0")
        .Member("typ", "vp+jwt").EndObject();
    return SignCompact(*holder_key, header, payload);
  }

  Result<std::string> MakeCompact(size_t i, const Plan& p, const std::string& id) const {
    const PrivateKey& key = p.defect == Defect::kUnboundKey ? *unbound_key : *signers[p.signer].key;
    const University& uni = *p.uni;
    std::string issuer = std::string(kIssuerBase) + uni.slug;
    std::string payload;
    if (p.envelope == Envelope::kVcJwt) {
      JsonWriter w(&payload);
      w.BeginObject().Key("@context").BeginArray().String("https://www.w3.org/ns/credentials/v2").EndArray();
      w.Member("id", id).Key("type").BeginArray().String("VerifiableCredential").String("MicroCredential").EndArray();
      w.Key("issuer").BeginObject().Member("id", issuer).Member("name", uni.name).EndObject();
      w.Member("validFrom", FormatUtc(p.from)).Member("validUntil", FormatUtc(p.until));
      WriteBody(w, i, uni, p);
      WritePadding(w, i, payload.size());
      w.EndObject();
    } else {
      std::string vc;
      JsonWriter v(&vc);
      v.BeginObject().Key("@context").BeginArray().String("https://www.w3.org/2018/credentials/v1").EndArray();
      v.Member("id", id).Key("type").BeginArray().String("VerifiableCredential").String("MicroCredential").EndArray();
      v.Member("issuer", issuer).Member("issuanceDate", FormatUtc(p.from)).Member("expirationDate", FormatUtc(p.until));
      WriteBody(v, i, uni, p);
      WritePadding(v, i, vc.size());
      v.EndObject();
      JsonWriter w(&payload);
      w.BeginObject().Member("iss", issuer).Member("jti", id).Member("sub", Subject(i));
      w.Member("nbf", int64_t{p.from}).Member("exp", int64_t{p.until}).Key("vc").Raw(vc).EndObject();
    }
    std::string header;
    JsonWriter(&header).BeginObject().Member("alg", JwsAlgName(key.alg())).Member("kid", key.kid())
        .Member("typ", p.envelope == Envelope::kVcJwt ? "vc+jwt" : "JWT").EndObject();
    auto jws = SignCompact(key, header, payload);
    if (!jws.ok() || p.defect != Defect::kTampered) return jws;
    // Keep the signature, change the grade in the payload.
    std::string changed = payload;
    size_t g = changed.find("\"grade\":\"");
    changed[g + 9] = changed[g + 9] == 'A' ? 'B' : 'A';
    std::string sig = jws->substr(jws->rfind('.'));
    return Base64UrlEncode(header) + "." + Base64UrlEncode(changed) + sig;
  }

  // An SD-JWT VC with ten selectively disclosable claims, all disclosed, and the
  // holder's key binding JWT at the corpus time.
  Result<std::string> MakeSdJwt(size_t i, const Plan& p, const std::string& id) const {
    const PrivateKey& key = p.defect == Defect::kUnboundKey ? *unbound_key : *signers[p.signer].key;
    const University& uni = *p.uni;
    const auto& course = kCourses[p.course];
    const int ects = 1 + static_cast<int>(Mix(o.seed + i * 5) % 3);
    // [salt, name, value] disclosures and their digests.
    std::vector<std::string> disclosures, digests;
    auto disclose = [&](const char* name, const std::string& value_json) {
      std::string d;
      JsonWriter w(&d);
      w.BeginArray().String(Base64UrlEncode(std::to_string(Mix(o.seed + i * 101 + disclosures.size()))))
          .String(name).Raw(value_json).EndArray();
      disclosures.push_back(Base64UrlEncode(d));
      digests.push_back(Base64UrlEncode(Sha256(disclosures.back())));
    };
    auto str = [](const std::string& s) {
      std::string out;
      JsonWriter(&out).String(s);
      return out;
    };
    disclose("given_name", str("Learner"));
    disclose("family_name", str(std::to_string(i)));
    disclose("title", str(std::string("Micro-credential: ") + course[0]));
    disclose("ects", std::to_string(ects));
    disclose("eqf_level", std::to_string(p.eqf));
    disclose("learning_outcome", str(course[1]));
    disclose("isced_f", str(course[2]));
    disclose("assessment", str("Supervised online exam"));
    disclose("grade", str(std::string(1, "ABCDE"[Mix(i) % 5])));
    disclose("awarding_body", str(uni.name));
    std::sort(digests.begin(), digests.end());  // the order says nothing of the claims
    std::string payload;
    JsonWriter w(&payload);
    w.BeginObject().Member("iss", std::string(kIssuerBase) + uni.slug).Member("jti", id);
    w.Member("vct", "https://credentials.alliance.example/types/micro-credential");
    // Issued (iat) no later than the corpus time, even when valid only from later (nbf).
    w.Member("iat", int64_t{std::min<UnixSeconds>(p.from, o.at - 3600)}).Member("nbf", int64_t{p.from});
    w.Member("exp", int64_t{p.until});
    w.Key("cnf").BeginObject().Key("jwk").Raw(holder_key->ToPublicJwkJson()).EndObject();
    w.Key("_sd").BeginArray();
    for (const auto& d : digests) w.String(d);
    w.EndArray().Member("_sd_alg", "sha-256").EndObject();
    std::string header;
    JsonWriter(&header).BeginObject().Member("alg", JwsAlgName(key.alg())).Member("kid", key.kid())
        .Member("typ", "dc+sd-jwt").EndObject();
    auto jws = SignCompact(key, header, payload);
    if (!jws.ok()) return jws;
    std::string issued = *jws;
    if (p.defect == Defect::kTampered) {  // keep the signature, change the type
      std::string changed = payload;
      size_t v = changed.find("micro-credential");
      changed[v] = 'M';
      issued = Base64UrlEncode(header) + "." + Base64UrlEncode(changed) + jws->substr(jws->rfind('.'));
    }
    std::string presented = issued + "~";
    for (const auto& d : disclosures) presented += d + "~";
    std::string kb_payload;
    JsonWriter k(&kb_payload);
    k.BeginObject().Member("iat", int64_t{o.at}).Member("aud", kWalletAudience).Member("nonce", kWalletNonce);
    k.Member("sd_hash", Base64UrlEncode(Sha256(presented))).EndObject();
    std::string kb_header;
    JsonWriter(&kb_header).BeginObject().Member("alg", JwsAlgName(holder_key->alg())).Member("typ", "kb+jwt").EndObject();
    auto kb = SignCompact(*holder_key, kb_header, kb_payload);
    if (!kb.ok()) return kb;
    return presented + *kb;
  }

  // The trusted-issuer registry for this corpus (docs/trust-registry.md). The
  // unbound key is deliberately absent.
  std::string RegistryJson(const std::string& root_pem) const {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Member("version", 1).Key("issuers").BeginArray();
    for (const University& uni : kUniversities) {
      w.BeginObject().Key("ids").BeginArray().String(std::string(kIssuerBase) + uni.slug).EndArray();
      w.Member("name", uni.name).Member("country", uni.country);
      w.Key("identifiers").BeginArray().String(uni.legal_id).EndArray().Key("keys").BeginArray();
      for (const Signer& s : signers) {
        if (s.uni == &uni) w.BeginObject().Member("jwkThumbprint", s.key->Thumbprint()).EndObject();
      }
      w.EndArray().EndObject();
    }
    w.BeginObject().Key("ids").BeginArray().String(std::string(kIssuerBase) + kIssuingBodySlug).EndArray();
    w.Member("name", kIssuingBodyName).Member("country", "BE");
    w.Key("identifiers").BeginArray().String(kIssuingBodyId).EndArray();
    w.Key("certificates").BeginArray().BeginObject().Member("organizationIdentifier", kIssuingBodyId);
    w.Member("caSha256", HexEncode(CertificateSha256(intermediate_der))).EndObject().EndArray();
    // It seals for the universities, and their lists carry its credentials' status.
    for (const char* member : {"mandates", "statusDelegates"}) {
      w.Key(member).BeginArray();
      for (const University& uni : kUniversities) w.String(std::string(kIssuerBase) + uni.slug);
      w.EndArray();
    }
    w.EndObject().EndArray();
    w.Key("trustAnchors").BeginArray().String(root_pem).EndArray();
    if (o.with_accreditations) WriteAccreditations(w);
    w.EndObject();
    out += "\n";
    return out;
  }

  // The sample's accreditation records (see kAccreditationBase).
  void WriteAccreditations(JsonWriter& w) const {
    const UnixSeconds day = 86400;
    auto record = [&](const University& uni, const std::string& id, const std::vector<size_t>& courses,
                      UnixSeconds expiry, const char* status) {
      w.BeginObject().Member("id", id).Member("type", "Accreditation");
      w.Key("organisation").BeginObject().Member("id", std::string(kIssuerBase) + uni.slug).EndObject();
      std::string agency = std::string("https://accreditation.alliance.example/agencies/") + uni.country;
      w.Key("accreditingAgent").BeginObject().Member("id", agency).EndObject();
      w.Key("limitEQFLevel").BeginArray();
      for (int level : {5, 6, 7}) w.String("http://data.europa.eu/snb/eqf/" + std::to_string(level));
      w.EndArray();
      if (!courses.empty()) {
        w.Key("limitField").BeginArray();
        for (size_t c : courses) w.BeginObject().Member("id", std::string(kIsced) + kCourses[c][2]).EndObject();
        w.EndArray();
      }
      w.Member("dateIssued", FormatUtc(o.at - 3650 * day)).Member("expiryDate", FormatUtc(expiry));
      w.Member("status", status).EndObject();
    };
    w.Key("accreditations").BeginArray();
    for (const University& uni : kUniversities) {
      std::string slug = uni.slug;
      if (slug == "tcd") continue;
      std::vector<size_t> courses;
      size_t excluded = slug == "uj" ? kSuspendedCourse : slug == "umontpellier" ? kOutOfScopeCourse : kCourseCount;
      for (size_t c = 0; excluded != kCourseCount && c < kCourseCount; ++c) {
        if (c != excluded) courses.push_back(c);
      }
      UnixSeconds expiry = slug == "ugr" ? o.at - kUgrExpiredDays * day : o.at + 1825 * day;
      record(uni, kAccreditationBase + slug, courses, expiry, "active");
      if (slug == "uj") record(uni, ClaimedAccreditation(uni, kSuspendedCourse), {kSuspendedCourse}, expiry, "suspended");
    }
    w.EndArray();
  }

  // Europass-style: the issuing body seals; the university awards (awardedBy).
  Result<std::string> MakeJades(size_t i, const Plan& p, const std::string& id) const {
    const University& uni = *p.uni;
    std::string issuer = std::string(kIssuerBase) + kIssuingBodySlug;
    std::string awarding_body = p.defect == Defect::kForged ? kStrangerBody : std::string(kIssuerBase) + uni.slug;
    std::string payload;
    JsonWriter w(&payload);
    w.BeginObject().Key("@context").BeginArray().String("https://www.w3.org/2018/credentials/v1");
    w.String("http://data.europa.eu/snb/model/context/edc-ap").EndArray().Member("id", id);
    w.Key("type").BeginArray().String("VerifiableCredential").String("EuropeanDigitalCredential").EndArray();
    w.Key("issuer").BeginObject().Member("id", issuer).Member("type", "Organisation");
    w.Key("legalName").BeginObject().Member("en", kIssuingBodyName).EndObject();
    w.Key("eIDASIdentifier").BeginObject().Member("type", "LegalIdentifier").Member("notation", kIssuingBodyId).EndObject();
    w.EndObject().Member("issuanceDate", FormatUtc(p.from)).Member("validFrom", FormatUtc(p.from));
    w.Member("expirationDate", FormatUtc(p.until));
    WriteBody(w, i, uni, p, awarding_body);
    if (o.with_accreditations) {
      w.Key("evidence").BeginArray().BeginObject().Member("type", "Evidence").Key("accreditation").BeginObject();
      w.Member("id", ClaimedAccreditation(uni, p.course)).Member("type", "Accreditation").EndObject().EndObject().EndArray();
    }
    WritePadding(w, i, payload.size());
    w.EndObject();
    UnixSeconds sig_time = std::min(p.from, o.at - 86400);
    std::string header;
    JsonWriter h(&header);
    h.BeginObject().Member("alg", "RS256").Member("b64", false).Key("crit").BeginArray().String("b64").String("sigT");
    h.EndArray().Member("cty", "vc").Member("sigT", FormatUtc(sig_time)).Member("typ", "jose+json");
    h.Key("x5c").BeginArray().String(Base64Encode(seal_cert_der)).EndArray();
    h.Member("x5t#S256", Base64UrlEncode(CertificateSha256(seal_cert_der))).EndObject();
    std::string prot = Base64UrlEncode(header);
    auto sig = seal_key->Sign(prot + "." + payload);
    if (!sig.ok()) return sig.status();
    if (p.defect == Defect::kTampered) {
      size_t g = payload.find("\"grade\":\"");
      payload[g + 9] = payload[g + 9] == 'A' ? 'B' : 'A';
    }
    std::string xvals;
    JsonWriter(&xvals).BeginObject().Key("xVals").BeginArray().BeginObject().Key("x509Cert").BeginObject()
        .Member("val", Base64Encode(intermediate_der)).EndObject().EndObject().EndArray().EndObject();
    std::vector<std::string> etsi_u = {Base64UrlEncode(xvals)};
    if (o.jades_long_term) {
      const std::string signature64 = Base64UrlEncode(*sig);
      auto token = MakeTimestampToken(*tsa_key, tsa_der, signature64, sig_time + 2);
      if (!token.ok()) return token.status();
      auto ocsp = issuing_ca->OcspResponse(seal_cert_der, nullptr, sig_time, sig_time + 7 * 86400, responder_key.get(),
                                           responder_der);
      if (!ocsp.ok()) return ocsp.status();
      // The root's CRL shows the issuing CA's certificate not revoked.
      auto crl = root_ca->IssueCrl({}, sig_time - 86400, sig_time + 30 * 86400);
      if (!crl.ok()) return crl.status();
      std::string tst, rvals;
      JsonWriter(&tst).BeginObject().Key("sigTst").BeginObject().Key("tstTokens").BeginArray().BeginObject()
          .Member("val", Base64Encode(*token)).EndObject().EndArray().EndObject().EndObject();
      JsonWriter(&rvals).BeginObject().Key("rVals").BeginObject().Key("crlVals").BeginArray().BeginObject()
          .Member("val", Base64Encode(*crl)).EndObject().EndArray().Key("ocspVals").BeginArray().BeginObject()
          .Member("val", Base64Encode(*ocsp)).EndObject().EndArray().EndObject().EndObject();
      etsi_u.push_back(Base64UrlEncode(tst));
      etsi_u.push_back(Base64UrlEncode(rvals));
    }
    std::string out;
    JsonWriter jws(&out);
    jws.BeginObject().Member("payload", payload).Key("signatures").BeginArray().BeginObject().Member("protected", prot);
    jws.Key("header").BeginObject().Key("etsiU").BeginArray();
    for (const auto& entry : etsi_u) jws.String(entry);
    jws.EndArray().EndObject();
    jws.Member("signature", Base64UrlEncode(*sig)).EndObject().EndArray().EndObject();
    return out;
  }
};

std::string ExpectedJson(const Plan& p, const SampleOptions& o) {
  const bool with_status = o.with_status;
  const char* expected = "verified";
  std::string seal = R"("pass")", validity = R"("pass")", revocation = with_status ? R"("pass")" : R"("skipped")";
  switch (p.defect) {
    case Defect::kNone: break;
    case Defect::kExpired:
      expected = "expired";
      validity = R"("fail","validity_code":"expired")";
      break;
    case Defect::kNotYetValid:
      expected = "not_yet_valid";
      validity = R"("fail","validity_code":"not_yet_valid")";
      break;
    case Defect::kTampered:
      expected = "tampered";
      seal = R"("fail","seal_code":"signature_invalid")";
      // Status is looked up only for a credential whose seal passed.
      if (with_status) revocation = R"("skipped","revocation_code":"not_checked")";
      break;
    case Defect::kRevoked:
      expected = "revoked";
      revocation = R"("fail","revocation_code":"revoked")";
      break;
    case Defect::kSuspended:
      expected = "suspended";
      revocation = R"("fail","revocation_code":"suspended")";
      break;
    case Defect::kForged:
    case Defect::kUnboundKey:
      expected = "forged";
      seal = p.envelope == Envelope::kJades ? R"("fail","seal_code":"issuer_not_mandated")"
                                            : R"("fail","seal_code":"key_not_authorized_for_issuer")";
      if (with_status) revocation = R"("skipped","revocation_code":"not_checked")";
      break;
  }
  const bool sealed = p.defect != Defect::kTampered && p.defect != Defect::kForged && p.defect != Defect::kUnboundKey;
  AccreditationExpectation acc = !o.with_accreditations ? AccreditationExpectation{"skipped", "not_configured"}
                                 : sealed                ? ExpectedAccreditation(p, o.at)
                                                         : AccreditationExpectation{"skipped", "not_checked"};
  const bool accredited = std::string_view(acc.result) != "fail";
  if (p.defect == Defect::kNone && !accredited) expected = "unaccredited";
  return std::string(R"("expected":")") + expected + R"(","verified":)" +
         (p.defect == Defect::kNone && accredited ? "true" : "false") + R"(,"format":"pass","seal":)" + seal +
         R"(,"revocation":)" + revocation + R"(,"accreditation":")" + acc.result + R"(","accreditation_code":")" +
         acc.code + R"(","validity":)" + validity;
}

// Registers a chunk of records in the status index with their pre-assigned slots,
// then revokes and suspends the ones planned so.
Status RecordStatus(storage::StatusIndex& index, const SampleOptions& o, size_t start,
                    const std::vector<Plan>& plans) {
  std::vector<storage::Change> changes;
  std::vector<std::tuple<std::string, std::string, uint64_t>> slots;
  const UnixSeconds when = o.at - 86400;
  for (size_t k = 0; k < plans.size(); ++k) {
    std::string id = "urn:uuid:" + Uuid(o.seed, start + k);
    std::string issuer = std::string(kIssuerBase) +
                         (plans[k].envelope == Envelope::kJades ? kIssuingBodySlug : plans[k].uni->slug);
    changes.push_back({id, storage::Operation::kRegister, CredentialState::kActive, "", plans[k].from, issuer});
    slots.emplace_back(id, plans[k].list_url, plans[k].list_index);
    if (plans[k].defect == Defect::kRevoked) {
      changes.push_back({id, storage::Operation::kRevoke, CredentialState::kRevoked,
                         "sample: revoked after an assessment appeal", when, ""});
    } else if (plans[k].defect == Defect::kSuspended) {
      changes.push_back({id, storage::Operation::kSuspend, CredentialState::kSuspended,
                         "sample: suspended pending review", when, ""});
    }
  }
  size_t applied = 0;
  if (Status s = index.ApplyBatch(changes, "sample", &applied); !s.ok()) return s;
  return index.AssignSlots(slots);
}

Status WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return IoError("cannot write " + path.string());
  return Status::Ok();
}

}  // namespace

Result<Envelope> ParseEnvelope(std::string_view name) {
  if (name == "vc-jwt") return Envelope::kVcJwt;
  if (name == "vc11-jwt") return Envelope::kVc11Jwt;
  if (name == "jades") return Envelope::kJades;
  if (name == "sd-jwt") return Envelope::kSdJwtVc;
  if (name == "presentation") return Envelope::kPresentation;
  return InvalidArgument("unknown envelope '" + std::string(name) + "' (vc-jwt, vc11-jwt, jades, sd-jwt, presentation)");
}

Result<SampleStats> WriteSampleCorpus(const SampleOptions& in) {
  SampleOptions o = in;
  if (o.at == 0) o.at = NowUtc();
  if (o.algs.empty() || o.envelopes.empty() || o.per_file == 0) {
    return InvalidArgument("sample needs at least one algorithm, one envelope and per_file > 0");
  }
  fs::path root(o.out_dir);
  std::error_code ec;
  fs::create_directories(root / "credentials", ec);
  if (ec) return IoError("cannot create " + root.string() + ": " + ec.message());
  if (Status s = io::CreatePrivateDirectory((root / "keys" / "private").string()); !s.ok()) return s;

  Corpus c{o, {}, nullptr, nullptr, {}, {}};
  std::string jwks = "{\"keys\":[";
  size_t nsigners = std::max(o.algs.size(), kUniversityCount);
  for (size_t k = 0; k < nsigners; ++k) {
    auto key = PrivateKey::Generate(o.algs[k % o.algs.size()]);
    if (!key.ok()) return key.status();
    const University* uni = &kUniversities[k % kUniversityCount];
    (*key)->set_kid(std::string(uni->slug) + "-" + (*key)->Thumbprint().substr(0, 12));
    if (k) jwks += ",";
    jwks += (*key)->ToPublicJwkJson();
    if (Status s = io::WritePrivateFile((root / "keys" / "private" / ((*key)->kid() + ".jwk")).string(),
                                    (*key)->ToPrivateJwkJson() + "\n");
        !s.ok()) {
      return s;
    }
    c.signers.push_back({std::move(key).value(), uni});
  }
  auto unbound = PrivateKey::Generate(JwsAlg::kES256);
  if (!unbound.ok()) return unbound.status();
  (*unbound)->set_kid("guest-" + (*unbound)->Thumbprint().substr(0, 12));
  jwks += "," + (*unbound)->ToPublicJwkJson() + "]}\n";
  c.unbound_key = std::move(unbound).value();
  auto holder = PrivateKey::Generate(JwsAlg::kES256);
  if (!holder.ok()) return holder.status();
  c.holder_key = std::move(holder).value();
  c.holder_did = "did:jwk:" + Base64UrlEncode(c.holder_key->ToPublicJwkJson());
  if (Status s = io::WritePrivateFile((root / "keys" / "private" / "holder.jwk").string(),
                                      c.holder_key->ToPrivateJwkJson() + "\n");
      !s.ok()) {
    return s;
  }

  CertificateSpec root_spec{"Alliance Test Root CA", "Alliance Credential Service (TEST)", "",
                            "BE", o.at - 3650 * 86400LL, o.at + 3650 * 86400LL, true};
  auto ca = CertificateAuthority::Create(root_spec);
  if (!ca.ok()) return ca.status();
  auto inter_key = PrivateKey::Generate(JwsAlg::kES256);
  if (!inter_key.ok()) return inter_key.status();
  CertificateSpec inter_spec{"Alliance Test Issuing CA for e-Seals", "Alliance Credential Service (TEST)",
                             "", "BE", o.at - 3000 * 86400LL, o.at + 3000 * 86400LL, true};
  auto inter_der = (*ca)->Issue(**inter_key, inter_spec, 2);
  if (!inter_der.ok()) return inter_der.status();
  auto inter = CertificateAuthority::FromKeyAndCertificate(std::move(inter_key).value(), *inter_der);
  auto seal_key = PrivateKey::Generate(JwsAlg::kRS256);
  if (!seal_key.ok()) return seal_key.status();
  CertificateSpec seal_spec{"Alliance Credential Service e-Seal (TEST)", "Alliance Credential Service",
                            "VATBE-0000000097", "BE", o.at - 2000 * 86400LL, o.at + 2000 * 86400LL, false};
  auto seal_der = inter->Issue(**seal_key, seal_spec, 3);
  if (!seal_der.ok()) return seal_der.status();
  c.seal_key = std::move(seal_key).value();
  c.seal_cert_der = *seal_der;
  c.intermediate_der = *inter_der;
  if (o.jades_long_term) {
    // RSA, as the timestamp authorities and OCSP responders of Europass seals are.
    auto tsa_key = PrivateKey::Generate(JwsAlg::kRS256);
    if (!tsa_key.ok()) return tsa_key.status();
    CertificateSpec tsa_spec{"Alliance Test Timestamp Authority", "Alliance Credential Service (TEST)", "",
                             "BE", o.at - 2000 * 86400LL, o.at + 2000 * 86400LL, false};
    tsa_spec.extended_key_usage = "critical,timeStamping";
    auto tsa_der = (*ca)->Issue(**tsa_key, tsa_spec, 4);
    if (!tsa_der.ok()) return tsa_der.status();
    c.tsa_key = std::move(tsa_key).value();
    c.tsa_der = *tsa_der;
    auto responder_key = PrivateKey::Generate(JwsAlg::kRS256);
    if (!responder_key.ok()) return responder_key.status();
    CertificateSpec responder_spec{"Alliance Test OCSP Responder", "Alliance Credential Service (TEST)", "",
                                   "BE", o.at - 2000 * 86400LL, o.at + 2000 * 86400LL, false};
    responder_spec.extended_key_usage = "OCSPSigning";
    auto responder_der = inter->Issue(**responder_key, responder_spec, 5);
    if (!responder_der.ok()) return responder_der.status();
    c.responder_key = std::move(responder_key).value();
    c.responder_der = *responder_der;
  }
  c.issuing_ca = std::move(inter);
  if (Status s = WriteFile(root / "keys" / "ca.pem", (*ca)->pem()); !s.ok()) return s;

  if (Status s = WriteFile(root / "keys" / "jwks.json", jwks); !s.ok()) return s;
  if (Status s = WriteFile(root / "trust-registry.json", c.RegistryJson((*ca)->pem())); !s.ok()) return s;
  c.root_ca = std::move(ca).value();

  std::unique_ptr<storage::StatusIndex> index;
  if (o.with_status) {
    std::filesystem::remove_all(root / "index", ec);
    auto idx = storage::CreateOrOpenForWriting((root / "index").string());
    if (!idx.ok()) return idx.status();
    index = std::move(idx).value();
  }
  std::ofstream manifest(root / "manifest.jsonl", std::ios::binary);
  SampleStats stats;
  tbb::task_arena arena(o.threads > 0 ? o.threads : tbb::task_arena::automatic);
  for (size_t start = 0; start < o.count; start += o.per_file) {
    size_t n = std::min(o.per_file, o.count - start);
    std::vector<std::string> lines(n);
    std::vector<Plan> plans(n);
    std::vector<Status> errors(n);
    arena.execute([&] {
      tbb::parallel_for(size_t{0}, n, [&](size_t k) {
        plans[k] = c.PlanFor(start + k);
        auto rec = c.Make(start + k, plans[k]);
        if (rec.ok()) lines[k] = std::move(rec).value();
        else errors[k] = rec.status();
      });
    });
    for (const auto& e : errors) {
      if (!e.ok()) return e;
    }
    char name[64];
    std::snprintf(name, sizeof name, "part-%05zu.jsonl%s", stats.files + 1, o.gzip ? ".gz" : "");
    fs::path file = root / "credentials" / name;
    std::string rel = std::string("credentials/") + name;
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    if (o.gzip) {
      gzFile gz = gzopen(file.c_str(), "wb6");
      if (!gz || gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) != static_cast<int>(text.size())) {
        if (gz) gzclose(gz);
        return IoError("cannot write " + file.string());
      }
      gzclose(gz);
    } else if (Status s = WriteFile(file, text); !s.ok()) {
      return s;
    }
    for (size_t k = 0; k < n; ++k) {
      const std::string source = rel + ":" + std::to_string(k + 1), id = "urn:uuid:" + Uuid(o.seed, start + k);
      if (plans[k].envelope != Envelope::kPresentation) {
        const std::string expected = ExpectedJson(plans[k], o);
        manifest << "{\"source\":" << Q(source) << ",\"id\":" << Q(id) << "," << expected << "}\n";
        stats.expected_verified += expected.find("\"verified\":true") != std::string::npos;
        continue;
      }
      // The presentation's line, then its credentials': the record's own, and the
      // companions, judged without status (they have none).
      Plan own = plans[k];
      own.envelope = Envelope::kVcJwt;
      SampleOptions no_status = o;
      no_status.with_status = false;
      std::vector<std::string> enclosed = {ExpectedJson(own, o)};
      for (size_t j = 2; j <= kPresentationCredentials; ++j) enclosed.push_back(ExpectedJson(c.Companion(plans[k]), no_status));
      bool all = true;
      for (const auto& e : enclosed) all = all && e.find("\"verified\":true") != std::string::npos;
      manifest << "{\"source\":" << Q(source) << ",\"id\":null,\"expected\":\"" << (all ? "verified" : "credential_failed")
               << "\",\"verified\":" << (all ? "true" : "false")
               << R"(,"format":"pass","seal":"pass","revocation":"skipped","accreditation":"skipped","validity":"pass"})" << "\n";
      stats.expected_verified += all;
      for (size_t j = 0; j < enclosed.size(); ++j) {
        manifest << "{\"source\":" << Q(source + "#" + std::to_string(j + 1)) << ",\"id\":"
                 << Q(j == 0 ? id : id + "-" + std::to_string(j + 1)) << "," << enclosed[j] << "}\n";
      }
    }
    stats.records += n;
    ++stats.files;
    if (index) {
      if (Status st = RecordStatus(*index, o, start, plans); !st.ok()) return st;
    }
  }
  if (index) {
    // One set of lists per university, signed with that university's key.
    for (size_t u = 0; u < kUniversityCount; ++u) {
      const PrivateKey* key = nullptr;
      for (const auto& sg : c.signers) {
        if (sg.uni == &kUniversities[u]) {
          key = sg.key.get();
          break;
        }
      }
      if (!key) continue;
      io::PublishOptions po;
      po.issuer = std::string(kIssuerBase) + kUniversities[u].slug;
      po.base_url = std::string(kStatusBase) + kUniversities[u].slug;
      po.out_dir = (root / "status-lists").string();
      po.ttl_seconds = 3650 * 86400LL;
      po.now = o.at - 86400;
      auto published = io::PublishStatusLists(*index, *key, po);
      if (!published.ok()) return published.status();
    }
  }
  manifest.close();
  if (!manifest) return IoError("cannot write manifest.jsonl");
  return stats;
}

}  // namespace credsweep::tools
