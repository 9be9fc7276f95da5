// Verifier internals shared by its translation units (verifier.cc: envelopes,
// format, seal, validity; revocation_check.cc: the revocation check and status
// lists). Private to engine/.
#ifndef CREDSWEEP_ENGINE_INTERNAL_VERIFIER_RUN_H_
#define CREDSWEEP_ENGINE_INTERNAL_VERIFIER_RUN_H_

#include <future>
#include <list>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/did.h"
#include "engine/internal/credential_format.h"
#include "engine/internal/jose_header.h"
#include "engine/internal/json.h"
#include "engine/verifier.h"

namespace credsweep {

using internal::Finding;
using internal::JoseHeader;

struct Verifier::ResolvedList {
  std::string error_code;  // empty: usable
  std::string message;
  std::string issuer;
  std::vector<std::string> purposes;
  StatusBitstring bits;
  std::optional<UnixSeconds> valid_until;
  std::map<uint32_t, std::string> messages;  // statusMessage: value -> text
};

// Per-Verifier caches shared by all its threads: DID keys and status lists.
struct Verifier::Cache {
  // Status lists: fetched and verified once per Verifier (one batch), shared by
  // all threads; a second thread asking for the same URL waits for the first.
  // Resolved lists are kept least-recently-used first up to a byte budget.
  struct ListSlot {
    std::shared_future<std::shared_ptr<const ResolvedList>> future;
    size_t bytes = 0;
    bool done = false;
    std::list<std::string>::iterator lru;  // valid when done
  };
  std::mutex lists_mu;
  std::unordered_map<std::string, ListSlot> lists;
  std::list<std::string> lists_lru;  // resolved URLs, most recently used first
  size_t lists_bytes = 0;

  std::shared_mutex mu;
  std::unordered_map<std::string, PublicKeyPtr> did_keys;
  static constexpr size_t kMax = 65536;

  Result<PublicKeyPtr> Resolve(std::string_view did_url) {
    std::string k(did_url);
    {
      std::shared_lock lock(mu);
      if (auto it = did_keys.find(k); it != did_keys.end()) return it->second;
    }
    auto key = ResolveDidKey(did_url);
    if (!key.ok()) return key;
    std::unique_lock lock(mu);
    if (did_keys.size() >= kMax) did_keys.clear();
    did_keys.emplace(std::move(k), key.value());
    return key;
  }
};

namespace internal {

struct Parsers {
  simdjson::dom::parser document;  // the record, then the payload
  simdjson::dom::parser header;    // headers and small documents
};

// A JWS signature as the seal check needs it, whatever the serialization.
struct SignatureParts {
  JoseHeader header;
  // What the signature covers: a view into the record for compact JWS (no copy),
  // or into `owned_input` when it has to be assembled (JWS JSON serialization).
  std::string_view signing_input;
  std::string owned_input;
  std::string signature;  // decoded
};

}  // namespace internal

using internal::Parsers;
using internal::SignatureParts;

// Thread-local parsers sized for a Verifier's limits (verifier.cc).
Parsers& ThreadParsers(size_t max_bytes, size_t max_depth);

// The state of one Verify() call.
class Verifier::Run {
 public:
  Run(const Verifier& v, const Record& rec, bool status_list_mode = false)
      : v_(v), opts_(v.options_),
        p_(ThreadParsers(opts_.max_record_bytes, opts_.max_json_depth)),
        list_mode_(status_list_mode) {
    r_.source_ = rec.source;
  }

  VerificationResult Go(const Record& rec);
  // In status-list mode: the credential JSON and model, for the list's contents.
  const std::string& payload_json() const { return payload_json_; }
  const Credential& credential() const { return cred_; }

 private:
  void Fail(CheckId c, std::string_view code, std::string msg) {
    r_.Set(c, Outcome::kFail, code, std::move(msg));
  }
  void Skip(CheckId c, std::string_view code, std::string msg) {
    r_.Set(c, Outcome::kSkipped, code, std::move(msg));
  }
  void Pass(CheckId c, std::string_view code, std::string msg) {
    r_.Set(c, Outcome::kPass, code, std::move(msg));
  }
  void SkipRest(std::string_view why);

  void UnsecuredJson(internal::object obj, std::string_view text);
  void Compact(std::string_view jws);
  void JsonSerialization(internal::object obj);
  // Reads the (decoded) payload; returns false when it is not a JSON object.
  bool ReadPayload(std::string_view payload, std::string_view typ_context);
  void Seal(std::vector<SignatureParts>& sigs);
  Finding SealOne(SignatureParts& s);
  Finding VerifyWith(const std::vector<PublicKeyPtr>& keys, const SignatureParts& s,
                     std::string_view via);
  void Validity();
  int64_t Skew() const;  // the configured clock skew, capped
  void Revocation();
  void CheckJwtClaims(internal::object claims);

  const Verifier& v_;
  const VerifierOptions& opts_;
  Parsers& p_;
  VerificationResult r_;
  Credential cred_;
  bool have_cred_ = false;
  std::optional<UnixSeconds> jwt_nbf_, jwt_exp_, jwt_iat_;
  std::string seal_note_;
  bool list_mode_ = false;
  std::string payload_json_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_INTERNAL_VERIFIER_RUN_H_
