// A set of configured verification keys (from JWK Sets), looked up by kid.
// Built once before verification starts, then read-only: safe to share across threads.
#ifndef CREDSWEEP_ENGINE_KEY_SET_H_
#define CREDSWEEP_ENGINE_KEY_SET_H_

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/keys.h"
#include "engine/result.h"

namespace credsweep {

class KeySet {
 public:
  // Adds every key of an RFC 7517 JWK Set ({"keys":[...]}) or a single JWK. A key
  // that cannot be used (unsupported type, RSA under 2048 bits, bad coordinates) is
  // remembered as rejected under its kid so a credential naming it gets a precise
  // reason; the call fails only when the document itself is unreadable. A private
  // JWK (with "d", or RSA's "p"/"q"/...) is used for its public part only and
  // noted in warnings().
  //
  // `issuer`, when not empty, binds every key of the set to that issuer (`--jwks
  // ISSUER=FILE`): the seal check then accepts those keys only for credentials that
  // name that issuer. Keys added without one are unbound (any issuer; the seal
  // message says so).
  Status AddJwks(std::string_view json, std::string_view origin, std::string_view issuer = {});
  Status AddJwksFile(const std::string& path, std::string_view issuer = {});
  void Add(PublicKeyPtr key, std::string_view issuer = {});
  // The issuer a key was bound to when it was added, or empty when unbound.
  std::string_view IssuerOf(const PublicKey& key) const;

  // Keys whose kid equals `kid`, in the order they were added. A view into the
  // set, valid until keys are added again; looking up allocates nothing and copies no
  // shared_ptr (whose count every verifying thread would otherwise write).
  std::span<const PublicKeyPtr> FindByKid(std::string_view kid) const;
  // Why a key with this kid was not loaded, or empty.
  std::string RejectionReason(std::string_view kid) const;
  const std::vector<PublicKeyPtr>& all() const { return keys_; }
  size_t size() const { return keys_.size(); }
  // Things the operator should hear about, one line each ("FILE: key 'KID' is a
  // private JWK; only its public part is used"). The key set prints nothing itself.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<PublicKeyPtr> keys_;
  std::vector<PublicKeyPtr> by_kid_;  // the keys with a kid, sorted by it (stable)
  // Add without keeping by_kid_ sorted; SortByKid then sorts it once: a JWK Set of
  // n keys costs n log n comparisons, not the n^2 / 2 moves of n sorted insertions.
  void Append(PublicKeyPtr key, std::string_view issuer);
  void SortByKid();
  std::unordered_map<std::string, std::string> rejected_;
  std::unordered_map<const PublicKey*, std::string> issuers_;
  std::vector<std::string> warnings_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_KEY_SET_H_
