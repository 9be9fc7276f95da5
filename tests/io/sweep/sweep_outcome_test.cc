// SweepOutcome's issuers and codes, kept once for the process by number: set on
// several threads at once and read on others, past the first chunk of numbers,
// each reads back as given (the TSan job runs this suite).
#include "io/sweep/sweep_outcome.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace credsweep::io {
namespace {

std::string IssuerOf(size_t i) { return "https://issuer-" + std::to_string(i) + ".example"; }

TEST(SweepOutcomeInterning, IssuersAndCodesReadBackOnEveryThread) {
  // More distinct strings than one chunk of numbers holds (2^16).
  constexpr size_t kPerThread = 40000, kThreads = 2;
  std::vector<std::vector<SweepOutcome>> made(kThreads);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (size_t i = 0; i < kPerThread; ++i) {
        SweepOutcome& o = made[t].emplace_back();
        // Half the issuers are shared by both threads, half are each one's own.
        o.set_issuer(IssuerOf(i % 2 == 0 ? i : kPerThread * (t + 1) + i));
        o.set_code(CheckId::kSeal, "ok");
        o.set_code(CheckId::kRevocation, i % 3 == 0 ? "revoked" : "ok");
        o.set_code(CheckId::kValidity, "");
      }
    });
  }
  for (auto& th : threads) th.join();
  // Read on a thread other than the one that set them.
  std::thread reader([&made] {
    for (size_t t = 0; t < kThreads; ++t) {
      for (size_t i = 0; i < kPerThread; ++i) {
        const SweepOutcome& o = made[t][i];
        ASSERT_EQ(o.issuer(), IssuerOf(i % 2 == 0 ? i : kPerThread * (t + 1) + i)) << t << " " << i;
        ASSERT_EQ(o.code(CheckId::kSeal), "ok");
        ASSERT_EQ(o.code(CheckId::kRevocation), i % 3 == 0 ? "revoked" : "ok");
        ASSERT_EQ(o.code(CheckId::kValidity), "");
        ASSERT_EQ(o.code(CheckId::kFormat), "");  // never set
      }
    }
  });
  reader.join();
  // A copy reads the same strings: the numbers name one copy for the process.
  SweepOutcome copy = made[1][7];
  EXPECT_EQ(copy.issuer().data(), made[1][7].issuer().data());
  EXPECT_EQ(made[0][0].issuer().data(), made[1][0].issuer().data());
}

}  // namespace
}  // namespace credsweep::io
