// `serve --public-reasons no` for POST /v1/verify: the verifier's view of the status
// index without the reasons of revocations and suspensions, so no verification
// result served over HTTP carries one (the revocation check quotes the reason).
#ifndef CREDSWEEP_IO_HTTP_WITHHELD_REASONS_H_
#define CREDSWEEP_IO_HTTP_WITHHELD_REASONS_H_

#include <memory>

#include "engine/ports.h"

namespace credsweep::io::http {

// Looks ids up in `index` and returns their records with an empty reason.
std::shared_ptr<const StatusLookup> WithoutReasons(std::shared_ptr<const StatusLookup> index);

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_WITHHELD_REASONS_H_
