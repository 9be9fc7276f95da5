// The server's Verifier: one per wall-clock second, shared by the requests of that
// second, replaced in the next while requests in flight keep theirs.
#include "io/http/current_verifier.h"

#include <gtest/gtest.h>

namespace credsweep::io::http {
namespace {

TEST(CurrentVerifier, RequestsOfTheSameSecondShareOneVerifier) {
  UnixSeconds now = 1'780'000'000;
  CurrentVerifier current({}, [&now] { return now; });
  auto a = current.Get();
  auto b = current.Get();
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->options().at, now);
  EXPECT_EQ(current.built(), 1u);
}

TEST(CurrentVerifier, TheNextSecondGetsANewVerifierAtItsTimeAndTheOldOneLives) {
  UnixSeconds now = 1'780'000'000;
  VerifierOptions base;
  base.clock_skew_seconds = 5;
  CurrentVerifier current(base, [&now] { return now; });
  auto first = current.Get();
  now += 1;
  auto second = current.Get();
  EXPECT_NE(first.get(), second.get());
  EXPECT_EQ(first->options().at, 1'780'000'000);  // a request in flight keeps its time
  EXPECT_EQ(second->options().at, 1'780'000'001);
  EXPECT_EQ(second->options().clock_skew_seconds, 5);  // the rest comes from the base options
  EXPECT_EQ(current.built(), 2u);
}

}  // namespace
}  // namespace credsweep::io::http
