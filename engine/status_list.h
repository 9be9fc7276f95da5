// Status list bitstrings: the W3C Bitstring Status List v1.0 encoding (multibase
// 'u' + base64url(GZIP(bits))), and the older plain base64 GZIP forms of
// StatusList2021 and EBSI. Index 0 is the left-most (most significant) bit of the
// first byte; an entry of `status_size` bits spans bits [i*size, (i+1)*size).
#ifndef CREDSWEEP_ENGINE_STATUS_LIST_H_
#define CREDSWEEP_ENGINE_STATUS_LIST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep {

// W3C minimum: 131,072 entries (16 KiB of bits at statusSize 1), for herd privacy.
inline constexpr uint64_t kMinStatusListEntries = 131072;
// Default cap on a decompressed list: a gzip bomb fails instead of exhausting memory.
inline constexpr size_t kDefaultMaxStatusListBytes = 16u << 20;

class StatusBitstring {
 public:
  StatusBitstring() = default;
  // `entries` entries of `status_size` bits, all zero.
  StatusBitstring(uint64_t entries, unsigned status_size);

  // Decodes an encodedList. Accepts 'u' + base64url, and (for StatusList2021 and
  // EBSI lists) unprefixed base64url or base64. The GZIP (or zlib) stream may not
  // inflate beyond `max_bytes`.
  static Result<StatusBitstring> Decode(std::string_view encoded_list,
                                        size_t max_bytes = kDefaultMaxStatusListBytes);
  // An IETF Token Status List `lst` (base64url(ZLIB(bytes))): entries are packed
  // from the least significant bit, the opposite of the W3C order.
  static Result<StatusBitstring> DecodeIetf(std::string_view lst,
                                            size_t max_bytes = kDefaultMaxStatusListBytes);
  // An IETF Token Status List of `entries` entries of `status_size` bits, all zero,
  // packed from the least significant bit.
  static StatusBitstring ForIetf(uint64_t entries, unsigned status_size);
  // 'u' + base64url(GZIP(bytes)).
  std::string Encode() const;
  // An IETF `lst`: base64url(ZLIB(bytes)).
  std::string EncodeIetf() const;

  uint64_t size_bits() const { return bytes_.size() * 8; }
  // Entry value, or nullopt when the entry lies outside the list.
  std::optional<uint32_t> Get(uint64_t index, unsigned status_size = 1) const;
  void Set(uint64_t index, uint32_t value, unsigned status_size = 1);
  const std::string& bytes() const { return bytes_; }

 private:
  explicit StatusBitstring(std::string bytes, bool lsb_first = false)
      : bytes_(std::move(bytes)), lsb_first_(lsb_first) {}
  std::string bytes_;
  bool lsb_first_ = false;
};

// GZIP helpers (RFC 1952), shared with publishing.
std::string GzipCompress(std::string_view data);
// Inflates GZIP or zlib data; fails past `max_bytes` of output or on corrupt input.
Result<std::string> Inflate(std::string_view data, size_t max_bytes);

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_STATUS_LIST_H_
