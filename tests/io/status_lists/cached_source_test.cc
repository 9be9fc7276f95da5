// CachedListSource over a real RocksDB status index in a temporary folder.
#include "io/status_lists/cached_source.h"

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
    index_ = storage::CreateOrOpenForWriting(dir_).value();
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

  // Used only while younger than max age: at exactly max age it is asked for again.
  CachedListSource at_max_age(index_, gone, 3600, 1000 + 3600);
  EXPECT_FALSE(at_max_age.Fetch(kUrl).ok());
  EXPECT_EQ(gone->fetches.load(), 1);
  gone->fetches = 0;

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

// A long-lived process (`serve`): the clock is read on every fetch, and a cached
// list is used until its ttl, its validUntil or --max-status-age runs out.
std::string ListWithTtl(const std::string& version, int ttl_ms) {
  return R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://s.example/1",)"
         R"("type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:example:i",)"
         R"("validFrom":"1970-01-01T00:00:00Z","name":")" + version + R"(",)"
         R"("credentialSubject":{"type":"BitstringStatusList","encodedList":"u","ttl":)" +
         std::to_string(ttl_ms) + "}}";
}

TEST_F(CachedListSourceTest, LongLivedServesTheCachedListUntilItsTtlThenFetchesAgain) {
  const std::string v1 = ListWithTtl("v1", 60'000), v2 = ListWithTtl("v2", 60'000);
  upstream_->docs[kUrl] = v1;
  UnixSeconds now = 1000;
  CachedListSource src(index_, upstream_, 3600, [&now] { return now; });
  ASSERT_EQ(src.Fetch(kUrl).value(), v1);
  src.Validated(kUrl, v1);
  EXPECT_EQ(Cached()->fetched_at, 1000);
  upstream_->docs[kUrl] = v2;  // the publisher changes the list
  now = 1059;                  // within the ttl: the cached answer
  EXPECT_EQ(src.Fetch(kUrl).value(), v1);
  EXPECT_EQ(upstream_->fetches.load(), 1);
  now = 1060;  // the ttl has run out: asked again, and the new list cached at its own time
  ASSERT_EQ(src.Fetch(kUrl).value(), v2);
  src.Validated(kUrl, v2);
  EXPECT_EQ(Cached()->fetched_at, 1060);
  EXPECT_EQ(src.Fetch(kUrl).value(), v2);
  EXPECT_EQ(upstream_->fetches.load(), 2);
}

TEST_F(CachedListSourceTest, LongLivedHonoursMaxStatusAgeBelowTheTtl) {
  const std::string v1 = ListWithTtl("v1", 3'600'000);
  upstream_->docs[kUrl] = v1;
  UnixSeconds now = 1000;
  CachedListSource src(index_, nullptr, 30, [&now] { return now; });
  ASSERT_TRUE(index_->PutCachedList(kUrl, v1, 1000).ok());
  now = 1029;
  EXPECT_EQ(src.Fetch(kUrl).value(), v1);
  now = 1030;  // past --max-status-age 30, though the ttl says an hour: never stale
  auto r = src.Fetch(kUrl);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ttl/validUntil"), std::string::npos) << r.status().message();
}

TEST_F(CachedListSourceTest, OneRunIgnoresTheTtlAsBefore) {
  // `verify` judges ages at its start by --max-status-age alone (unchanged).
  const std::string v1 = ListWithTtl("v1", 1'000);
  ASSERT_TRUE(index_->PutCachedList(kUrl, v1, 1000).ok());
  CachedListSource src(index_, nullptr, 3600, 1000 + 600);
  EXPECT_EQ(src.Fetch(kUrl).value(), v1);
}

}  // namespace
}  // namespace credsweep::io
