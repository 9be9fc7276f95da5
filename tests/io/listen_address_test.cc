// HOST:PORT as `serve --resp/--http` take it: strict, with the message quoting the value.
#include "io/listen_address.h"

#include <gtest/gtest.h>

namespace credsweep::io {
namespace {

TEST(ListenAddress, AcceptsIpLiteralsLocalhostAndAnEmptyHost) {
  struct Case {
    const char* text;
    const char* host;
    uint16_t port;
    bool all;
  };
  for (const Case& c : {Case{"127.0.0.1:6380", "127.0.0.1", 6380, false}, Case{"localhost:80", "127.0.0.1", 80, false},
                        Case{"[::1]:6380", "::1", 6380, false}, Case{":6380", "0.0.0.0", 6380, true},
                        Case{"0.0.0.0:1", "0.0.0.0", 1, true}, Case{"[::]:65535", "::", 65535, true},
                        Case{"127.0.0.1:0", "127.0.0.1", 0, false}}) {
    auto a = ParseListenAddress(c.text);
    ASSERT_TRUE(a.ok()) << c.text << ": " << a.status().message();
    EXPECT_EQ(a->host, c.host) << c.text;
    EXPECT_EQ(a->port, c.port) << c.text;
    EXPECT_EQ(a->all_interfaces, c.all) << c.text;
  }
}

TEST(ListenAddress, RefusesEverythingElseQuotingTheValue) {
  for (const char* bad : {"6380", "6380x", "127.0.0.1:6380x", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                          "127.0.0.1:+80", "127.0.0.1: 80", "127.0.0.1:0x50", "127.0.0.1:000006380", "example.org:80",
                          "::1:6380", "[127.0.0.1]:80", "[::1:80", "256.1.1.1:80", "", ":", "localhost"}) {
    auto a = ParseListenAddress(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(a.status().message().find(std::string("got '") + bad + "'"), std::string::npos) << a.status().message();
  }
}

}  // namespace
}  // namespace credsweep::io
