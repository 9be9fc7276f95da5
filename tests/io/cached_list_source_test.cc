// CachedListSource over a real RocksDB status index in a temporary folder.
#include "io/cached_list_source.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/fakes.h"

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

// Counts fetches (MapListSource) and the Validated() calls passed on to it.
class CountingSource : public testing::MapListSource {
 public:
  mutable std::atomic<int> validated{0};
  void Validated(std::string_view, std::string_view) const override { ++validated; }
};

constexpr char kUrl[] = "https://s.example/1";

class CachedListSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) /
            ("cache-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    index_ = storage::OpenForWriting(dir_).value();
    upstream_ = std::make_shared<CountingSource>();
    upstream_->docs[kUrl] = "list-v1";
  }
  void TearDown() override {
    index_.reset();
    fs::remove_all(dir_);
  }
  std::optional<storage::StatusIndex::CachedList> Cached() const { return index_->GetCachedList(kUrl).value(); }

  std::string dir_;
  std::shared_ptr<storage::StatusIndex> index_;
  std::shared_ptr<CountingSource> upstream_;
};

TEST_F(CachedListSourceTest, CachesValidatedListsAndNeverServesStaleOnes) {
  CachedListSource first(index_, upstream_, 3600, 1000);
  EXPECT_EQ(first.Fetch(kUrl).value(), "list-v1");
  first.Validated(kUrl, "list-v1");
  EXPECT_EQ(first.Fetch(kUrl).value(), "list-v1");
  EXPECT_EQ(upstream_->fetches.load(), 1);  // the second came from the cache

  // A later run, within max age, with the upstream gone: served from the cache.
  auto gone = std::make_shared<CountingSource>();
  CachedListSource later(index_, gone, 3600, 1000 + 3000);
  EXPECT_EQ(later.Fetch(kUrl).value(), "list-v1");
  EXPECT_EQ(gone->fetches.load(), 0);

  // Past max age: refetched; if that fails, unavailable rather than stale.
  CachedListSource stale(index_, gone, 3600, 1000 + 4000);
  auto r = stale.Fetch(kUrl);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(gone->fetches.load(), 1);
  CachedListSource offline(index_, nullptr, 3600, 1000 + 4000);
  auto o = offline.Fetch(kUrl);
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("max-status-age"), std::string::npos);
}

TEST_F(CachedListSourceTest, FetchAloneNeverWritesTheIndex) {
  // What the verifier rejects (a forged or oversized list) is never reported
  // Validated, so it must not reach the index.
  CachedListSource src(index_, upstream_, 3600, 1000);
  EXPECT_EQ(src.Fetch(kUrl).value(), "list-v1");
  EXPECT_FALSE(Cached().has_value());
  CachedListSource offline(index_, nullptr, 3600, 1000);
  EXPECT_EQ(offline.Fetch(kUrl).status().message(), "not in the index's list cache");
}

TEST_F(CachedListSourceTest, StoresOnlyTheDocumentTheUpstreamReturned) {
  CachedListSource src(index_, upstream_, 3600, 1000);
  src.Validated(kUrl, "list-v1");  // never fetched through this source
  EXPECT_FALSE(Cached().has_value());
  ASSERT_TRUE(src.Fetch(kUrl).ok());
  src.Validated(kUrl, "some-other-document");
  EXPECT_FALSE(Cached().has_value());
  src.Validated(kUrl, "list-v1");
  ASSERT_TRUE(Cached().has_value());
  EXPECT_EQ(Cached()->document, "list-v1");
  EXPECT_EQ(Cached()->fetched_at, 1000);
}

TEST_F(CachedListSourceTest, ValidatingACachedCopyKeepsItsFetchTime) {
  CachedListSource first(index_, upstream_, 3600, 1000);
  ASSERT_TRUE(first.Fetch(kUrl).ok());
  first.Validated(kUrl, "list-v1");
  // Next run: served from the cache and validated again. Rewriting it with this
  // run's time would keep it fresh forever.
  CachedListSource later(index_, upstream_, 3600, 3000);
  EXPECT_EQ(later.Fetch(kUrl).value(), "list-v1");
  later.Validated(kUrl, "list-v1");
  EXPECT_EQ(Cached()->fetched_at, 1000);
  EXPECT_EQ(upstream_->fetches.load(), 1);
}

TEST_F(CachedListSourceTest, ReadOnlyIndexIsNeverWritten) {
  index_.reset();
  index_ = storage::OpenForReading(dir_).value();
  ASSERT_TRUE(index_->read_only());
  CachedListSource src(index_, upstream_, 3600, 1000);
  EXPECT_EQ(src.Fetch(kUrl).value(), "list-v1");
  src.Validated(kUrl, "list-v1");
  EXPECT_FALSE(Cached().has_value());
}

TEST_F(CachedListSourceTest, PassesValidatedOnToTheUpstream) {
  CachedListSource src(index_, upstream_, 3600, 1000);
  ASSERT_TRUE(src.Fetch(kUrl).ok());
  src.Validated(kUrl, "list-v1");
  EXPECT_EQ(upstream_->validated.load(), 1);
}

}  // namespace
}  // namespace credsweep::io
