// SHA-256 (and SHA-384) for code outside engine/ (the event log's hash chain,
// publishing, the test and sample signers).
#ifndef CREDSWEEP_ENGINE_SHA256_H_
#define CREDSWEEP_ENGINE_SHA256_H_

#include <string>
#include <string_view>

namespace credsweep {

// The 32-byte digest. Thread-safe.
std::string Sha256(std::string_view data);
// SHA-256 over the concatenation of `a` and `b`, without building it.
std::string Sha256(std::string_view a, std::string_view b);
// The 48-byte SHA-384 digest. Thread-safe.
std::string Sha384(std::string_view data);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_SHA256_H_
