// `data:` URLs (RFC 2397), as credentials and presentations travel enveloped in
// them (VC Data Model 2.0 §4.13, EnvelopedVerifiableCredential / -Presentation):
// `data:<media type>[;<parameter>]*[;base64],<data>`.
#ifndef CREDSWEEP_ENGINE_DATA_URL_H_
#define CREDSWEEP_ENGINE_DATA_URL_H_

#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep {

struct DataUrl {
  std::string media_type;  // lower case, without parameters ("application/vc+jwt")
  std::string data;        // percent-decoded (Boost.URL), then base64-decoded when marked so
};

// The media type of a data: URL, lower case and without parameters; empty when
// `url` is not one. Read before the data is decoded (a caller may refuse the type).
std::string DataUrlMediaType(std::string_view url);

// InvalidArgument saying what is wrong: not a data: URL, no ',', a broken
// percent-escape, base64 that is not, or nothing in it.
Result<DataUrl> ParseDataUrl(std::string_view url);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_DATA_URL_H_
