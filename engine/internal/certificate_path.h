// A validated certificate path, kept decoded with the chain verdict that found it,
// so the checks after chain validation (certificate status) do not decode it again.
#ifndef CREDSWEEP_ENGINE_INTERNAL_CERTIFICATE_PATH_H_
#define CREDSWEEP_ENGINE_INTERNAL_CERTIFICATE_PATH_H_

#include <string>
#include <vector>

#include "engine/internal/openssl.h"

namespace credsweep::internal {

// Leaf first, anchor last. Immutable once built; shared between threads (OpenSSL
// X509 objects are safe to read concurrently).
struct CertificatePath {
  std::vector<std::string> der;
  std::vector<X509Ptr> x509;
};

}  // namespace credsweep::internal

#endif  // CREDSWEEP_ENGINE_INTERNAL_CERTIFICATE_PATH_H_
