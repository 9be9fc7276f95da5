// Which addresses the HTTP(S) list source may connect to. A status list URL comes
// from a credential; without this check it could make credsweep request loopback
// services, the intranet or a cloud metadata endpoint. The check runs on the
// resolved addresses, so host names, decimal or hex IPv4 spellings and IPv4-mapped
// IPv6 all end in the same test.
#ifndef CREDSWEEP_IO_ADDRESS_POLICY_H_
#define CREDSWEEP_IO_ADDRESS_POLICY_H_

#include <boost/asio/ip/address.hpp>

namespace credsweep::io {

// True only for globally routable unicast addresses. False for:
//   IPv4: 0/8 (this network, unspecified), 10/8, 100.64/10 (shared), 127/8, 169.254/16,
//         172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15,
//         198.51.100/24, 203.0.113/24, 224/4 (multicast), 240/4 (reserved, broadcast);
//   IPv6: everything outside 2000::/3 (::, ::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8,
//         64:ff9b:1::/48, ...), and inside it 2001::/23 (protocol assignments, Teredo),
//         2001:db8::/32 and 3fff::/20 (documentation).
// IPv4 carried in IPv6 is judged as the IPv4 address it carries: IPv4-mapped
// (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16). Pure function.
bool IsPublicAddress(const boost::asio::ip::address& address);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_ADDRESS_POLICY_H_
