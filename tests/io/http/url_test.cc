#include "io/http/url.h"

#include <gtest/gtest.h>

namespace credsweep::io {
namespace {

TEST(HttpUrl, ParsesSchemeHostPortAndTarget) {
  auto u = ParseHttpUrl("https://Status.Example:8443/lists/1?v=2#frag").value();
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "status.example");
  EXPECT_EQ(u.port, 8443);
  EXPECT_EQ(u.target, "/lists/1?v=2");
  auto d = ParseHttpUrl("HTTP://s.example").value();
  EXPECT_FALSE(d.tls);
  EXPECT_EQ(d.port, 80);
  EXPECT_EQ(d.target, "/");
  EXPECT_EQ(ParseHttpUrl("http://s.example?x=1").value().target, "/?x=1");
  EXPECT_EQ(ParseHttpUrl("https://s.example:/x").value().port, 443);
}

TEST(HttpUrl, ParsesIpv6Literals) {
  auto u = ParseHttpUrl("http://[::1]:8080/x").value();
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.HostHeader(), "[::1]:8080");
  EXPECT_EQ(ParseHttpUrl("https://[2001:db8::1]/").value().HostHeader(), "[2001:db8::1]");
}

TEST(HttpUrl, HostHeaderCarriesTheNonDefaultPort) {
  EXPECT_EQ(ParseHttpUrl("http://s.example/x").value().HostHeader(), "s.example");
  EXPECT_EQ(ParseHttpUrl("http://s.example:8080/x").value().HostHeader(), "s.example:8080");
  EXPECT_EQ(ParseHttpUrl("https://s.example:443/x").value().HostHeader(), "s.example");
  EXPECT_EQ(ParseHttpUrl("https://s.example:80/x").value().HostHeader(), "s.example:80");
  EXPECT_EQ(ParseHttpUrl("http://127.0.0.1:1234/").value().HostHeader(), "127.0.0.1:1234");
}

TEST(HttpUrl, RefusesMalformedAndAmbiguousUrlsWithoutEchoingThem) {
  for (const char* bad : {"ftp://s.example/x", "file:///etc/passwd", "//s.example/x", "http://", "http:///x",
                          "http://user:pw@s.example/x", "http://s.example@127.0.0.1/x", "http://s.example:0/x",
                          "http://s.example:65536/x", "http://s.example:8o/x", "http://s.exa mple/x",
                          "http://s.example/a b", "http://s.example/x\r\nX-Injected: 1", "http://s.example/\xc3\xa9",
                          "http://[::1/x", "http://[not-v6]/x", "http://[::1]x/", "http://a:b:80/",
                          "http://s%2eexample/x"}) {
    auto r = ParseHttpUrl(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message().find("s.example"), std::string::npos) << r.status().message();
  }
}

TEST(HttpUrl, RedirectTargetsResolveAgainstTheBase) {
  auto base = ParseHttpUrl("https://s.example:8443/a/b").value();
  auto path = ResolveLocation(base, "/c?d").value();
  EXPECT_TRUE(path.SameOrigin(base));
  EXPECT_EQ(path.target, "/c?d");
  auto network = ResolveLocation(base, "//other.example/c").value();
  EXPECT_TRUE(network.tls);
  EXPECT_FALSE(network.SameOrigin(base));
  EXPECT_TRUE(ResolveLocation(base, "https://S.EXAMPLE:8443/z").value().SameOrigin(base));
  EXPECT_FALSE(ResolveLocation(base, "relative/path").ok());
  EXPECT_FALSE(ResolveLocation(base, "").ok());
  EXPECT_FALSE(ResolveLocation(base, "javascript:alert(1)").ok());
  EXPECT_FALSE(ResolveLocation(base, "/x\r\nSet-Cookie: a").ok());
}

TEST(HttpUrl, SameOriginMeansSameSchemeHostAndPort) {
  auto base = ParseHttpUrl("https://s.example/x").value();
  EXPECT_FALSE(ResolveLocation(base, "http://s.example/x").value().SameOrigin(base));       // https -> http
  EXPECT_FALSE(ResolveLocation(base, "https://s.example:444/x").value().SameOrigin(base));  // other port
  EXPECT_FALSE(ResolveLocation(base, "https://t.example/x").value().SameOrigin(base));      // other host
  EXPECT_FALSE(ResolveLocation(base, "https://127.0.0.1/x").value().SameOrigin(base));
  EXPECT_TRUE(ResolveLocation(base, "https://s.example:443/y").value().SameOrigin(base));
}

}  // namespace
}  // namespace credsweep::io
