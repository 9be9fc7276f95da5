// The normal form of a credential id: how the status index stores ids and how
// every lookup of one (the index, the servers, the revocation check) compares them.
#ifndef CREDSWEEP_ENGINE_CREDENTIAL_ID_H_
#define CREDSWEEP_ENGINE_CREDENTIAL_ID_H_

#include <string>
#include <string_view>

namespace credsweep {

// A `urn:uuid:` id (the scheme and namespace matched case-insensitively, RFC 8141)
// whose rest is a UUID in its 8-4-4-4-12 hex form becomes `urn:uuid:` followed by
// the UUID in lower case: RFC 9562 section 4 makes the hex digits case-insensitive
// on input and lower case on output. Every other id, including a `urn:uuid:` one
// whose rest is not such a UUID, is returned unchanged and compared byte for byte.
// Idempotent; never fails. Layout rules in docs/storage-format.md ("Ids").
std::string NormalizeCredentialId(std::string_view id);
// The same without a copy: `id` itself when it is in normal form, else the normal
// form written to *scratch (the view is valid while both are).
std::string_view NormalizeCredentialId(std::string_view id, std::string* scratch);

// The 16 bytes of the UUID of a `urn:uuid:` id in normal form (as
// NormalizeCredentialId returns it: lower case), written to out[0..15]; false,
// and nothing written, for any other id. The packed form keeps the id whole: it
// is the only normal-form id with those bytes.
bool PackNormalUuidId(std::string_view id, unsigned char out[16]);
// PackNormalUuidId(NormalizeCredentialId(id), out), in one pass over `id`: a
// `urn:uuid:` id in any spelling NormalizeCredentialId accepts packs.
bool PackUuidId(std::string_view id, unsigned char out[16]);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_CREDENTIAL_ID_H_
