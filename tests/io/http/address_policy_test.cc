// The address policy of `verify --online`: a table of addresses and whether a status
// list may be fetched from them without --allow-private-addresses.
#include "io/http/address_policy.h"

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>

namespace credsweep::io {
namespace {

struct Case {
  const char* address;
  bool is_public;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.address << (c.is_public ? " public" : " refused"); }

class AddressPolicy : public ::testing::TestWithParam<Case> {};

TEST_P(AddressPolicy, RefusesEveryNonGlobalAddress) {
  auto a = boost::asio::ip::make_address(GetParam().address);
  EXPECT_EQ(IsPublicAddress(a), GetParam().is_public) << GetParam().address;
}

INSTANTIATE_TEST_SUITE_P(
    Table, AddressPolicy,
    ::testing::Values(
        // IPv4 that may be fetched from.
        Case{"93.184.215.14", true}, Case{"8.8.8.8", true}, Case{"1.1.1.1", true}, Case{"100.63.255.255", true},
        Case{"100.128.0.0", true}, Case{"172.15.255.255", true}, Case{"172.32.0.0", true},
        Case{"192.0.1.1", true}, Case{"198.17.255.255", true}, Case{"198.20.0.0", true},
        Case{"223.255.255.255", true},
        // IPv4 that may not.
        Case{"0.0.0.0", false}, Case{"0.1.2.3", false}, Case{"10.0.0.1", false}, Case{"10.255.255.255", false},
        Case{"100.64.0.1", false}, Case{"100.127.255.255", false}, Case{"127.0.0.1", false},
        Case{"127.255.255.254", false}, Case{"169.254.169.254", false}, Case{"172.16.0.1", false},
        Case{"172.31.255.255", false}, Case{"192.0.0.8", false}, Case{"192.0.2.1", false},
        Case{"192.88.99.1", false}, Case{"192.168.1.1", false}, Case{"198.18.0.1", false},
        Case{"198.19.255.255", false}, Case{"198.51.100.7", false}, Case{"203.0.113.9", false},
        Case{"224.0.0.1", false}, Case{"239.255.255.250", false}, Case{"240.0.0.1", false},
        Case{"255.255.255.255", false},
        // IPv6 that may be fetched from.
        Case{"2606:4700:4700::1111", true}, Case{"2a00:1450:4001:82a::200e", true}, Case{"2001:4860::8888", true},
        Case{"::ffff:8.8.8.8", true}, Case{"64:ff9b::808:808", true}, Case{"2002:808:808::1", true},
        // IPv6 that may not.
        Case{"::", false}, Case{"::1", false}, Case{"fc00::1", false}, Case{"fd12:3456:789a::1", false},
        Case{"fe80::1", false}, Case{"febf::1", false}, Case{"fec0::1", false}, Case{"ff02::1", false},
        Case{"ff0e::1", false}, Case{"2001:db8::1", false}, Case{"2001::1", false}, Case{"2001:1ff::1", false},
        Case{"3fff::1", false}, Case{"100::1", false}, Case{"64:ff9b:1::1", false}, Case{"::127.0.0.1", false},
        // IPv4 inside IPv6 is judged as the IPv4 address.
        Case{"::ffff:127.0.0.1", false}, Case{"::ffff:169.254.169.254", false}, Case{"::ffff:10.1.2.3", false},
        Case{"64:ff9b::7f00:1", false}, Case{"64:ff9b::a9fe:a9fe", false}, Case{"2002:7f00:1::1", false},
        Case{"2002:c0a8:101::1", false}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = info.param.is_public ? "public_" : "refused_";
      for (const char* c = info.param.address; *c; ++c) name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
      return name;
    });

}  // namespace
}  // namespace credsweep::io
