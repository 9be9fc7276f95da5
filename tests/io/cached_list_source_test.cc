#include "io/cached_list_source.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/fakes.h"

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

using CountingSource = testing::MapListSource;

TEST(CachedListSource, CachesInTheIndexAndNeverServesStaleLists) {
  std::string dir = (fs::path(::testing::TempDir()) / ("cache-" + std::to_string(getpid()))).string();
  fs::remove_all(dir);
  std::shared_ptr<storage::StatusIndex> idx = storage::OpenForWriting(dir).value();
  auto upstream = std::make_shared<CountingSource>();
  upstream->docs["https://s.example/1"] = "list-v1";
  CachedListSource first(idx, upstream, 3600, 1000);
  EXPECT_EQ(first.Fetch("https://s.example/1").value(), "list-v1");
  EXPECT_EQ(first.Fetch("https://s.example/1").value(), "list-v1");
  EXPECT_EQ(upstream->fetches.load(), 1);  // the second came from the cache

  // A later run, within max age, with the upstream gone: served from the cache.
  auto gone = std::make_shared<CountingSource>();
  CachedListSource later(idx, gone, 3600, 1000 + 3000);
  EXPECT_EQ(later.Fetch("https://s.example/1").value(), "list-v1");
  EXPECT_EQ(gone->fetches.load(), 0);

  // Past max age: refetched; if that fails, unavailable rather than stale.
  CachedListSource stale(idx, gone, 3600, 1000 + 4000);
  auto r = stale.Fetch("https://s.example/1");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(gone->fetches.load(), 1);
  CachedListSource offline(idx, nullptr, 3600, 1000 + 4000);
  auto o = offline.Fetch("https://s.example/1");
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("max-status-age"), std::string::npos);
  idx.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace credsweep::io
