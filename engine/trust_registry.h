// The trusted-issuer registry (`--trust FILE`, docs/trust-registry.md): which
// keys and certificates belong to which issuer, when, which awarding bodies an
// issuing body may seal for, and who may publish status lists for whom. The seal
// check asks it; it never decides alone (a DID or a certificate's identity also
// binds a key to an issuer).
//
// Parsed and validated once (a bad file is an error naming the entry and the
// field), then read-only: safe to share across threads.
#ifndef CREDSWEEP_ENGINE_TRUST_REGISTRY_H_
#define CREDSWEEP_ENGINE_TRUST_REGISTRY_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/accreditation.h"
#include "engine/keys.h"
#include "engine/result.h"
#include "engine/timestamp.h"

namespace credsweep {

// A period a key or certificate may seal in (key rotation); open at either end
// when the bound is absent.
struct ValidityPeriod {
  std::optional<UnixSeconds> from, until;
  bool Contains(UnixSeconds t) const { return (!from || t >= *from) && (!until || t <= *until); }
  std::string Describe() const;  // "2025-01-01T00:00:00Z .. 2026-01-01T00:00:00Z"
};

struct RegistryKey {
  std::string thumbprint;  // RFC 7638 JWK thumbprint (base64url), or
  std::string did_url;     // a DID URL naming one verification method, or a DID (any of its keys)
  PublicKeyPtr jwk;        // set when the entry carries the public JWK itself (thumbprint set too)
  ValidityPeriod validity;
};

struct RegistryCertificate {
  std::string sha256;                   // lowercase hex SHA-256 of the DER certificate, or
  std::string organization_identifier;  // the subject's organizationIdentifier together with
  std::string ca_sha256;                // a CA certificate (lowercase hex) on its validated path
  ValidityPeriod validity;
};

struct RegistryIssuer {
  std::vector<std::string> ids;          // DID, URL, urn:epass:org:...; the first names it
  std::string name;
  std::string country;                   // ISO 3166-1 alpha-2
  std::vector<std::string> identifiers;  // eIDAS / legal identifiers, e.g. VATBE-0248015142
  std::vector<RegistryKey> keys;
  std::vector<RegistryCertificate> certificates;
  std::vector<std::string> mandates;          // awarding bodies this issuer may seal for
  std::vector<std::string> status_delegates;  // issuers that may publish its status lists
  // A root of accreditation chains (an EBSI Root TAO): a Verifiable Accreditation
  // it issues ends a chain (docs/accreditation.md).
  bool accreditation_root = false;

  bool Mandated(std::string_view awarding_body) const;
  bool HasId(std::string_view id) const;
};

namespace internal {
// Lets the maps below be searched with a string_view, without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
}  // namespace internal

class TrustRegistry {
 public:
  // Parses and validates a registry document. The error names the entry and the
  // field: "issuers[2] ('https://…/uj'): keys[0].validFrom: '2025-13-01' is not a
  // dateTimeStamp".
  static Result<std::shared_ptr<const TrustRegistry>> Parse(std::string_view json, std::string_view origin);

  // The entry one of whose ids is `issuer`, or null.
  const RegistryIssuer* Find(std::string_view issuer) const;
  // The entries that list the key with this thumbprint (for "it belongs to ...").
  std::vector<const RegistryIssuer*> OwnersOfThumbprint(std::string_view thumbprint) const;

  const std::vector<RegistryIssuer>& issuers() const { return issuers_; }
  // PEM certificates for private PKIs: anchors as `--ca` gives them.
  const std::vector<std::string>& trust_anchors_pem() const { return anchors_pem_; }
  // Accreditation records (ELM form, docs/accreditation.md).
  const std::vector<AccreditationRecord>& accreditations() const { return accreditations_; }
  size_t accreditation_count() const { return accreditations_.size(); }
  const AccreditationRecord* FindAccreditation(std::string_view id) const;
  // The records that accredit `organisation` (one of its ids).
  std::vector<const AccreditationRecord*> AccreditationsOf(std::string_view organisation) const;

 private:
  std::vector<RegistryIssuer> issuers_;
  std::unordered_map<std::string, size_t, internal::StringHash, std::equal_to<>> by_id_;
  std::unordered_multimap<std::string, size_t, internal::StringHash, std::equal_to<>> by_thumbprint_;
  std::vector<std::string> anchors_pem_;
  std::vector<AccreditationRecord> accreditations_;
  std::unordered_map<std::string, size_t, internal::StringHash, std::equal_to<>> accreditation_by_id_;
  std::unordered_multimap<std::string, size_t, internal::StringHash, std::equal_to<>> accreditation_by_org_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_TRUST_REGISTRY_H_
