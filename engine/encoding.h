// Byte encodings used by JOSE, DIDs and X.509 transport: base64url (RFC 4648 §5,
// unpadded), standard base64 (padded or not), base58btc (multibase 'z').
//
// Decoders are strict: a character outside the alphabet, an impossible length or
// non-zero trailing bits give std::nullopt. All functions are thread-safe.
#ifndef CREDSWEEP_ENGINE_ENCODING_H_
#define CREDSWEEP_ENGINE_ENCODING_H_

#include <optional>
#include <string>
#include <string_view>

namespace credsweep {

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);
// Decodes into *out (cleared first), reusing its capacity. False on bad input.
bool Base64UrlDecodeInto(std::string_view text, std::string* out);

std::string Base64Encode(std::string_view bytes);
// Standard alphabet; padding optional; ASCII whitespace is not accepted.
std::optional<std::string> Base64Decode(std::string_view text);

std::string Base58BtcEncode(std::string_view bytes);
std::optional<std::string> Base58BtcDecode(std::string_view text);

std::string HexEncode(std::string_view bytes);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_ENCODING_H_
