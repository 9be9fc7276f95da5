// JSON Canonicalization Scheme (RFC 8785): the canonical text of a JSON value, as
// Data Integrity's *-jcs-* cryptosuites hash it. Object members sorted by their
// UTF-16 code units, no whitespace, strings escaped as ECMAScript's JSON.stringify
// does, numbers in ECMAScript Number-to-string form.
#ifndef CREDSWEEP_ENGINE_JCS_H_
#define CREDSWEEP_ENGINE_JCS_H_

#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep {

// Canonical form of a JSON text. InvalidArgument for invalid JSON or a number JSON
// cannot represent canonically (NaN, Infinity never parse).
Result<std::string> JcsCanonicalize(std::string_view json);

// ECMAScript Number::toString of a finite double ("1e+21", "0.000001", "5e-324").
std::string Es6NumberToString(double d);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_JCS_H_
