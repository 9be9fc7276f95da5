#include "engine/status_list.h"

#include <zlib.h>

#include "engine/encoding.h"

namespace credsweep {

StatusBitstring::StatusBitstring(uint64_t entries, unsigned status_size)
    : bytes_((entries * status_size + 7) / 8, '\0') {}

namespace {

// True when entry `index` of `status_size` bits lies inside `size_bits`, without
// overflow for any attacker-chosen index.
bool InRange(uint64_t index, unsigned status_size, uint64_t size_bits) {
  if (size_bits < status_size) return false;
  return index <= (size_bits - status_size) / status_size;
}

}  // namespace

std::optional<uint32_t> StatusBitstring::Get(uint64_t index, unsigned status_size) const {
  if (status_size == 0 || status_size > 32) return std::nullopt;
  if (!InRange(index, status_size, size_bits())) return std::nullopt;
  const uint64_t first = index * status_size;
  uint32_t v = 0;
  if (lsb_first_) {  // IETF: entry bits b0.. from the low end of each byte
    for (unsigned b = 0; b < status_size; ++b) {
      uint64_t bit = first + b;
      v |= ((static_cast<uint8_t>(bytes_[bit / 8]) >> (bit % 8)) & 1u) << b;
    }
    return v;
  }
  for (unsigned b = 0; b < status_size; ++b) {
    uint64_t bit = first + b;
    v = (v << 1) | ((static_cast<uint8_t>(bytes_[bit / 8]) >> (7 - bit % 8)) & 1u);
  }
  return v;
}

void StatusBitstring::Set(uint64_t index, uint32_t value, unsigned status_size) {
  if (status_size == 0 || status_size > 32 || !InRange(index, status_size, size_bits())) return;
  const uint64_t first = index * status_size;
  if (lsb_first_) {  // IETF: value bit b at entry bit b, from the low end of each byte
    for (unsigned b = 0; b < status_size; ++b) {
      uint64_t bit = first + b;
      auto mask = static_cast<uint8_t>(1u << (bit % 8));
      auto& byte = reinterpret_cast<uint8_t&>(bytes_[bit / 8]);
      byte = ((value >> b) & 1u) ? (byte | mask) : (byte & ~mask);
    }
    return;
  }
  for (unsigned b = 0; b < status_size; ++b) {
    uint64_t bit = first + b;
    auto mask = static_cast<uint8_t>(1u << (7 - bit % 8));
    bool on = (value >> (status_size - 1 - b)) & 1u;
    auto& byte = reinterpret_cast<uint8_t&>(bytes_[bit / 8]);
    byte = on ? (byte | mask) : (byte & ~mask);
  }
}

StatusBitstring StatusBitstring::ForIetf(uint64_t entries, unsigned status_size) {
  return StatusBitstring(std::string((entries * status_size + 7) / 8, '\0'), /*lsb_first=*/true);
}

namespace {

// `window_bits`: 16 + MAX_WBITS for a GZIP wrapper, MAX_WBITS for ZLIB (RFC 1950).
std::string Deflate(std::string_view data, int window_bits) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

std::string GzipCompress(std::string_view data) { return Deflate(data, 16 + MAX_WBITS); }

Result<std::string> Inflate(std::string_view data, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 32 + MAX_WBITS) != Z_OK) return Internal("inflateInit failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return Corruption(rc == Z_BUF_ERROR ? "compressed data is truncated"
                                          : std::string("compressed data is corrupt: ") + (zs.msg ? zs.msg : "?"));
    }
    size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&zs);
      return Corruption("decompresses beyond the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.append(chunk, produced);
    if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
      inflateEnd(&zs);
      return Corruption("compressed data is truncated");
    }
  }
  inflateEnd(&zs);
  return out;
}

Result<StatusBitstring> StatusBitstring::Decode(std::string_view encoded, size_t max_bytes) {
  std::optional<std::string> compressed;
  if (!encoded.empty() && encoded[0] == 'u') compressed = Base64UrlDecode(encoded.substr(1));
  if (!compressed) compressed = Base64UrlDecode(encoded);
  if (!compressed) compressed = Base64Decode(encoded);
  if (!compressed) return Corruption("encodedList is neither multibase base64url nor base64");
  auto bytes = Inflate(*compressed, max_bytes);
  if (!bytes.ok()) return Corruption("encodedList " + bytes.status().message());
  return StatusBitstring(std::move(bytes).value());
}

Result<StatusBitstring> StatusBitstring::DecodeIetf(std::string_view lst, size_t max_bytes) {
  auto compressed = Base64UrlDecode(lst);
  if (!compressed) return Corruption("lst is not base64url");
  auto bytes = Inflate(*compressed, max_bytes);
  if (!bytes.ok()) return Corruption("lst " + bytes.status().message());
  return StatusBitstring(std::move(bytes).value(), true);
}

std::string StatusBitstring::Encode() const { return "u" + Base64UrlEncode(GzipCompress(bytes_)); }

std::string StatusBitstring::EncodeIetf() const { return Base64UrlEncode(Deflate(bytes_, MAX_WBITS)); }

}  // namespace credsweep
