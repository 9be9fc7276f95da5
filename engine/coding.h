// Binary encoding primitives for credsweep's on-disk records (docs/storage-format.md):
// little-endian fixed-width integers, LEB128 varints, length-prefixed strings, and
// big-endian keys that sort numerically.
#ifndef CREDSWEEP_ENGINE_CODING_H_
#define CREDSWEEP_ENGINE_CODING_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace credsweep {

void PutFixed64(std::string* dst, uint64_t v);
void PutVarint64(std::string* dst, uint64_t v);
void PutLengthPrefixed(std::string* dst, std::string_view s);
// A signed integer as a zigzag-encoded varint ((v << 1) ^ (v >> 63)), so that small
// negative values (dates before 1970) stay short too.
void PutZigzag64(std::string* dst, int64_t v);
std::string BigEndian64(uint64_t v);
uint64_t DecodeBigEndian64(std::string_view s);  // s.size() >= 8

// Reads from the front of *in, advancing it; false when *in is too short or bad.
bool GetFixed64(std::string_view* in, uint64_t* v);
bool GetVarint64(std::string_view* in, uint64_t* v);
bool GetZigzag64(std::string_view* in, int64_t* v);
bool GetLengthPrefixed(std::string_view* in, std::string_view* s);
bool GetByte(std::string_view* in, uint8_t* v);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_CODING_H_
