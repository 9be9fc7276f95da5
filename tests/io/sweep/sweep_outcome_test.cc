// SweepOutcome's issuers and codes, kept once for the process by number: set on
// two threads at once and read on a third while the first two still add new
// strings, handed over as the sweep hands outcomes over (through a lock), past
// the first chunk of numbers; each reads back as given (the TSan job runs this
// suite).
#include "io/sweep/sweep_outcome.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace credsweep::io {
namespace {

constexpr size_t kPerThread = 50000, kThreads = 2;
// Half the issuers are shared by both threads, half each one's own, plus two codes:
// more distinct strings than one chunk of numbers holds (2^16).
static_assert(kPerThread / 2 + kThreads * (kPerThread / 2) + 2 > (size_t{1} << 16));

std::string IssuerOf(size_t t, size_t i) {
  return "https://issuer-" + std::to_string(i % 2 == 0 ? i : kPerThread * (t + 1) + i) + ".example";
}

TEST(SweepOutcomeInterning, IssuersAndCodesReadBackOnEveryThread) {
  std::vector<std::vector<SweepOutcome>> made(kThreads, std::vector<SweepOutcome>(kPerThread));
  std::mutex mu;
  std::condition_variable ready;
  std::deque<std::pair<size_t, size_t>> handed;  // (thread, index) of outcomes made
  size_t finished = 0;
  std::vector<std::thread> writers;
  for (size_t t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (size_t i = 0; i < kPerThread; ++i) {
        SweepOutcome& o = made[t][i];
        o.set_issuer(IssuerOf(t, i));
        o.set_code(CheckId::kSeal, "ok");
        o.set_code(CheckId::kRevocation, i % 3 == 0 ? "revoked" : "ok");
        o.set_code(CheckId::kValidity, "");
        std::lock_guard lock(mu);
        handed.emplace_back(t, i);
        ready.notify_one();
      }
      std::lock_guard lock(mu);
      ++finished;
      ready.notify_one();
    });
  }
  // Reads each outcome as soon as it is handed over, while the writers go on.
  size_t read = 0;
  std::thread reader([&] {
    for (;;) {
      std::pair<size_t, size_t> next;
      {
        std::unique_lock lock(mu);
        ready.wait(lock, [&] { return !handed.empty() || finished == kThreads; });
        if (handed.empty()) return;
        next = handed.front();
        handed.pop_front();
      }
      const auto [t, i] = next;
      const SweepOutcome& o = made[t][i];
      ASSERT_EQ(o.issuer(), IssuerOf(t, i)) << t << " " << i;
      ASSERT_EQ(o.code(CheckId::kSeal), "ok");
      ASSERT_EQ(o.code(CheckId::kRevocation), i % 3 == 0 ? "revoked" : "ok");
      ASSERT_EQ(o.code(CheckId::kValidity), "");
      ASSERT_EQ(o.code(CheckId::kFormat), "");  // never set
      ++read;
    }
  });
  for (auto& w : writers) w.join();
  reader.join();
  EXPECT_EQ(read, kThreads * kPerThread);
  // A copy reads the same strings: the numbers name one copy for the process.
  SweepOutcome copy = made[1][7];
  EXPECT_EQ(copy.issuer().data(), made[1][7].issuer().data());
  EXPECT_EQ(made[0][0].issuer().data(), made[1][0].issuer().data());
  EXPECT_EQ(made[1][kPerThread - 1].issuer(), IssuerOf(1, kPerThread - 1));
}

}  // namespace
}  // namespace credsweep::io
