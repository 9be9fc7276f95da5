#include "io/http/address_policy.h"

#include <array>
#include <cstdint>

namespace credsweep::io {

namespace {

namespace ip = boost::asio::ip;

struct Block4 {
  uint32_t prefix;
  int bits;
};

// IANA IPv4 special-purpose registry entries that are not globally reachable, plus
// multicast and the reserved 240/4 (which holds the limited broadcast address).
constexpr std::array<Block4, 15> kNonPublic4 = {{
    {0x00000000, 8},   // 0.0.0.0/8 "this network"
    {0x0A000000, 8},   // 10/8 private
    {0x64400000, 10},  // 100.64/10 shared address space (CGN)
    {0x7F000000, 8},   // 127/8 loopback
    {0xA9FE0000, 16},  // 169.254/16 link-local (cloud metadata lives here)
    {0xAC100000, 12},  // 172.16/12 private
    {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
    {0xC0000200, 24},  // 192.0.2/24 documentation
    {0xC0586300, 24},  // 192.88.99/24 6to4 relay anycast (deprecated)
    {0xC0A80000, 16},  // 192.168/16 private
    {0xC6120000, 15},  // 198.18/15 benchmarking
    {0xC6336400, 24},  // 198.51.100/24 documentation
    {0xCB007100, 24},  // 203.0.113/24 documentation
    {0xE0000000, 4},   // 224/4 multicast
    {0xF0000000, 4},   // 240/4 reserved, 255.255.255.255 broadcast
}};

bool IsPublic4(uint32_t a) {
  for (const Block4& b : kNonPublic4) {
    const uint32_t mask = ~uint32_t{0} << (32 - b.bits);  // bits is 4..24
    if ((a & mask) == b.prefix) return false;
  }
  return true;
}

uint32_t Embedded4(const ip::address_v6::bytes_type& b, int offset) {
  return uint32_t{b[offset]} << 24 | uint32_t{b[offset + 1]} << 16 | uint32_t{b[offset + 2]} << 8 |
         uint32_t{b[offset + 3]};
}

bool IsPublic6(const ip::address_v6& a) {
  const ip::address_v6::bytes_type b = a.to_bytes();
  if (a.is_v4_mapped()) return IsPublic4(Embedded4(b, 12));
  // NAT64 well-known prefix 64:ff9b::/96: the IPv4 host it translates to.
  static constexpr std::array<uint8_t, 12> kNat64 = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  bool nat64 = true;
  for (size_t i = 0; i < kNat64.size(); ++i) nat64 = nat64 && b[i] == kNat64[i];
  if (nat64) return IsPublic4(Embedded4(b, 12));
  if ((b[0] & 0xE0) != 0x20) return false;  // only 2000::/3 is global unicast
  if (b[0] == 0x20 && b[1] == 0x02) return IsPublic4(Embedded4(b, 2));  // 6to4
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) return false;  // 2001::/23
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xF0) == 0) return false;  // 3fff::/20
  return true;
}

}  // namespace

bool IsPublicAddress(const ip::address& address) {
  if (address.is_v4()) return IsPublic4(address.to_v4().to_uint());
  return IsPublic6(address.to_v6());
}

}  // namespace credsweep::io
