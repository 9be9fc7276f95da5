// RFC 3161 timestamp tokens, as JAdES carries them (sigTst over the signature
// value, adoTst over the signed data), and the timestamp authorities trusted to
// issue them (--tsa-ca). Parsing and verification are OpenSSL's (TS and CMS).
#ifndef CREDSWEEP_ENGINE_TIMESTAMP_AUTHORITIES_H_
#define CREDSWEEP_ENGINE_TIMESTAMP_AUTHORITIES_H_

#include <memory>
#include <string>
#include <string_view>

#include "engine/finding.h"
#include "engine/result.h"
#include "engine/timestamp.h"

namespace credsweep {

struct TimestampVerdict {
  // timestamp_invalid when the token is not a timestamp, its message imprint does
  // not match the data, its signature does not verify, or its signer lacks the
  // timeStamping extended key usage. A token that is only untrusted is not invalid.
  Finding finding;
  UnixSeconds gen_time = 0;  // when the TSA says the data existed
  std::string tsa;           // the signer's subject
  std::string tsa_der;       // the signer's certificate (DER)
  bool trusted = false;      // the TSA certificate chains to an anchor at the verification time
  std::string untrusted_why; // why not, when !trusted
};

class TimestampAuthorities {
 public:
  TimestampAuthorities();
  ~TimestampAuthorities();
  TimestampAuthorities(const TimestampAuthorities&) = delete;
  TimestampAuthorities& operator=(const TimestampAuthorities&) = delete;

  // Every certificate of the PEM text or file becomes a TSA trust anchor (a root
  // or the TSA's own certificate). Not thread-safe: before the first Verify().
  Status AddAnchorsPem(std::string_view pem, std::string_view origin);
  Status AddAnchorsPemFile(const std::string& path);
  size_t anchor_count() const;

  // Verifies a DER TimeStampToken over `data` (the imprint is computed with the
  // token's own hash algorithm); the TSA chain is judged at `at`. Thread-safe.
  TimestampVerdict Verify(std::string_view token_der, std::string_view data, UnixSeconds at) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_TIMESTAMP_AUTHORITIES_H_
