// The Verifier's status list cache (engine/internal/status_list_cache.h): each URL
// is loaded once and handed out from then on; a loader that throws gives every
// thread waiting on that URL the exception, and a later lookup loads it again;
// beyond the byte budget the least recently used list goes first.
#include "engine/internal/status_list_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
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

}  // namespace
}  // namespace credsweep::internal
