// The Verifier's status list cache (engine/internal/status_list_cache.h): each URL
// is loaded once and handed out from then on; a loader that throws gives every
// thread waiting on that URL the exception, and a later lookup loads it again;
// beyond the byte budget the least recently used list goes first; what each
// thread remembers is of its cache only, and forgotten when a list is dropped.
// Prefetch never loads a list.
#include "engine/internal/status_list_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace credsweep::internal {
namespace {

std::shared_ptr<checks::ResolvedList> List(const std::string& issuer) {
  auto l = std::make_shared<checks::ResolvedList>();
  l->issuer = issuer;
  return l;
}

TEST(StatusListCacheTest, LoadsEachUrlOnceAndHandsOutTheSameList) {
  std::atomic<int> loads{0};
  StatusListCache cache([&](const std::string& url) { ++loads; return List(url); }, 1 << 20);
  auto a = cache.Resolve("https://s.example/1");
  auto b = cache.Resolve("https://s.example/1");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->issuer, "https://s.example/1");
  EXPECT_EQ(loads, 1);
}

TEST(StatusListCacheTest, PrefetchNeverLoadsAList) {
  std::atomic<int> loads{0};
  StatusListCache cache(
      [&](const std::string& url) {
        ++loads;
        auto l = List(url);
        l->bits = StatusBitstring(131072, 1);
        return l;
      },
      1 << 20);
  cache.Prefetch("https://s.example/1", 5, 1);  // not in hand: nothing happens
  EXPECT_EQ(loads, 0);
  auto a = cache.Resolve("https://s.example/1");
  ASSERT_EQ(loads, 1);
  // In hand: in range, past the end, a width of 0 for a list with no token width,
  // an index whose bit offset overflows: hints only, none loads or fails.
  cache.Prefetch("https://s.example/1", 131071, 1);
  cache.Prefetch("https://s.example/1", 131072, 1);
  cache.Prefetch("https://s.example/1", 7, 0);
  cache.Prefetch("https://s.example/1", ~uint64_t{0}, 32);
  cache.Prefetch("https://s.example/2", 0, 1);
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(cache.Resolve("https://s.example/1").get(), a.get());
  EXPECT_EQ(loads, 1);
}

// What Prefetch fetches: the byte holding the entry, within the list's bits.
TEST(StatusListCacheTest, TheEntryByteIsInTheBitsOrNone) {
  checks::ResolvedList list;
  list.bits = StatusBitstring(131072, 1);  // 16384 bytes
  const char* bytes = list.bits.bytes().data();
  EXPECT_EQ(StatusEntryByte(list, 0, 1), bytes);
  EXPECT_EQ(StatusEntryByte(list, 131071, 1), bytes + 16383);
  EXPECT_EQ(StatusEntryByte(list, 4095, 32), bytes + 16380);
  EXPECT_EQ(StatusEntryByte(list, 131072, 1), nullptr);  // past the end
  EXPECT_EQ(StatusEntryByte(list, 4096, 32), nullptr);
  EXPECT_EQ(StatusEntryByte(list, ~uint64_t{0}, 32), nullptr);  // index * size would overflow
  EXPECT_EQ(StatusEntryByte(list, 7, 0), nullptr);                // no width: not a token
  list.token_bits = 2;                                             // a Status List Token's own width
  EXPECT_EQ(StatusEntryByte(list, 5, 0), bytes + 1);
  EXPECT_EQ(StatusEntryByte(checks::ResolvedList(), 0, 1), nullptr);  // a list with no bits
}

TEST(StatusListCacheTest, ALoaderThatThrowsFailsItsWaitersAndIsTriedAgain) {
  std::atomic<int> loads{0};
  std::atomic<bool> release{false};
  StatusListCache cache(
      [&](const std::string& url) -> std::shared_ptr<checks::ResolvedList> {
        if (++loads == 1) {
          while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          throw std::runtime_error("fetch failed");
        }
        return List(url);
      },
      1 << 20);
  std::atomic<int> failed{0}, started{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      ++started;
      try {
        cache.Resolve("https://s.example/1");
      } catch (const std::runtime_error& e) {
        if (std::string(e.what()) == "fetch failed") ++failed;
      }
    });
  }
  // Let the other three find the first one's load under way, then fail it.
  while (started < 4 || loads < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  release = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 4) << "the loader and every thread that waited on it get the exception";
  EXPECT_EQ(loads, 1);
  auto again = cache.Resolve("https://s.example/1");
  EXPECT_EQ(again->issuer, "https://s.example/1");
  EXPECT_EQ(loads, 2);
}

TEST(StatusListCacheTest, BeyondTheBudgetTheLeastRecentlyUsedIsLoadedAgain) {
  std::vector<std::string> loaded;
  // Each list costs its URL's length plus 256 bytes: room for two.
  StatusListCache cache([&](const std::string& url) { loaded.push_back(url); return List(""); }, 2 * (256 + 2) + 10);
  cache.Resolve("/a");
  cache.Resolve("/b");
  cache.Resolve("/a");  // /b is now the least recently used
  cache.Resolve("/c");  // drops /b
  cache.Resolve("/a");
  cache.Resolve("/b");
  EXPECT_EQ(loaded, (std::vector<std::string>{"/a", "/b", "/c", "/b"}));
}

// What a thread remembers is of one cache: a new cache (even at the address of
// one destroyed) hands out its own lists.
TEST(StatusListCacheTest, AThreadRemembersTheListsOfOneCacheOnly) {
  std::optional<StatusListCache> at_one_address;
  at_one_address.emplace([](const std::string&) { return List("first"); }, 1 << 20);
  EXPECT_EQ(at_one_address->Resolve("/x")->issuer, "first");
  EXPECT_EQ(at_one_address->Resolve("/x")->issuer, "first");
  at_one_address.reset();
  at_one_address.emplace([](const std::string&) { return List("again"); }, 1 << 20);
  EXPECT_EQ(at_one_address->Resolve("/x")->issuer, "again") << "a new cache where the old one was";
  StatusListCache second([](const std::string&) { return List("second"); }, 1 << 20);
  EXPECT_EQ(second.Resolve("/x")->issuer, "second");
  StatusListCache third([](const std::string&) { return List("third"); }, 1 << 20);
  EXPECT_EQ(third.Resolve("/x")->issuer, "third");
  EXPECT_EQ(second.Resolve("/x")->issuer, "second");
}

// A list dropped beyond the budget is loaded again, even by a thread that was
// handed it before (it forgets what it remembers when a list leaves the cache),
// and a list a thread keeps using stays in the order of use.
TEST(StatusListCacheTest, AThreadForgetsWhatItRemembersWhenAListIsDropped) {
  std::vector<std::string> loaded;
  StatusListCache cache([&](const std::string& url) { loaded.push_back(url); return List(""); }, 2 * (256 + 2) + 10);
  cache.Resolve("/a");
  cache.Resolve("/b");
  for (int i = 0; i < 3 * static_cast<int>(StatusListCache::kTouchEvery); ++i) cache.Resolve("/b");
  for (int i = 0; i < 3 * static_cast<int>(StatusListCache::kTouchEvery); ++i) cache.Resolve("/a");
  cache.Resolve("/c");  // drops /b, the least recently used
  cache.Resolve("/a");
  cache.Resolve("/b");
  EXPECT_EQ(loaded, (std::vector<std::string>{"/a", "/b", "/c", "/b"}));
  cache.Resolve("/c");  // dropped by /b's return
  EXPECT_EQ(loaded.back(), "/c");
  EXPECT_EQ(loaded.size(), 5u);
}

// Two threads handing out remembered lists while a third keeps dropping lists
// beyond the budget: each gets the list of the URL it asked for.
TEST(StatusListCacheTest, RememberedListsAreRightUnderConcurrentDrops) {
  StatusListCache cache([](const std::string& url) { return List(url); }, 3 * (256 + 8));
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        const std::string url = "/hot/" + std::to_string((i + t) % 2);
        if (cache.Resolve(url)->issuer != url) ++wrong;
      }
    });
  }
  std::thread dropper([&] {
    for (int i = 0; !stop; ++i) cache.Resolve("/cold/" + std::to_string(i % 50));
  });
  for (auto& th : threads) th.join();
  stop = true;
  dropper.join();
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace credsweep::internal
