// SweepReadingCache on a real index: what one run keeps the next run of the same
// namespace finds; another namespace finds nothing; readings over the size limit
// are not kept; a whole run removes what it did not use, a part does not.
#include "io/sweep/reading_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/io/sweep/index_fixture.h"

namespace credsweep::io {
namespace {

class ReadingCacheTest : public credsweep::testing::FreshIndexTest {
 protected:
  std::unique_ptr<SweepReadingCache> Open(const std::string& ns, bool full = false) {
    auto c = SweepReadingCache::Open(index_.get(), ns, full);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(c).value() : nullptr;
  }
  static std::string Digest(char c) { return std::string(32, c); }
};

TEST_F(ReadingCacheTest, KeepsWhatTheNextRunOfTheNamespaceFinds) {
  const std::string ns(64, 'a');
  auto first = Open(ns);
  first->Add(Digest('1'), "reading one");
  first->Add(Digest('2'), std::string(SweepReadingCache::kMaxEntryBytes + 1, 'x'));  // too large
  first->Add(Digest('3'), "reading three");
  ASSERT_TRUE(first->Finish(true).ok());
  EXPECT_EQ(first->entries(), 2u);

  auto other = Open(std::string(64, 'b'));
  EXPECT_FALSE(other->Find(Digest('1'))) << "another namespace finds nothing";
  ASSERT_TRUE(other->Finish(false).ok());  // a part: the others' readings stay

  auto second = Open(ns);
  EXPECT_EQ(second->Find(Digest('1')), "reading one");
  EXPECT_FALSE(second->Find(Digest('2')));
  EXPECT_EQ(second->reused(), 1u);
  // A whole run that did not read record 3: its reading is removed.
  ASSERT_TRUE(second->Finish(true).ok());
  EXPECT_EQ(second->entries(), 1u);
  auto third = Open(ns);
  EXPECT_FALSE(third->Find(Digest('3')));
  EXPECT_TRUE(third->Find(Digest('1')));
  // A reading found that no longer holds, and not added again, goes too.
  third->Stale(Digest('1'));
  EXPECT_EQ(third->reused(), 0u);
  ASSERT_TRUE(third->Finish(true).ok());
  EXPECT_FALSE(Open(ns)->Find(Digest('1')));
}

TEST_F(ReadingCacheTest, FullFindsNothingAndReplacesTheReadings) {
  const std::string ns(64, 'a');
  auto first = Open(ns);
  first->Add(Digest('1'), "old");
  first->Add(Digest('2'), "gone");
  ASSERT_TRUE(first->Finish(true).ok());
  auto full = Open(ns, /*full=*/true);
  EXPECT_FALSE(full->Find(Digest('1')));
  full->Add(Digest('1'), "new");
  ASSERT_TRUE(full->Finish(true).ok());
  auto next = Open(ns);
  EXPECT_EQ(next->Find(Digest('1')), "new");
  EXPECT_FALSE(next->Find(Digest('2')));
}

}  // namespace
}  // namespace credsweep::io
