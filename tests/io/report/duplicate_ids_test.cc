// DuplicateIds: the first record of an id has no duplicate, a later one names the
// first's source (also after the table grew), an empty id duplicates nothing, and
// past the cap new ids are not remembered (capped) while remembered ones still are.
#include "io/report/duplicate_ids.h"

#include <gtest/gtest.h>

#include <string>

namespace credsweep::io {
namespace {

TEST(DuplicateIdsTest, LaterRecordsNameTheFirstSource) {
  DuplicateIds d;
  EXPECT_EQ(d.See("urn:uuid:1", "a.jsonl:1"), "");
  EXPECT_EQ(d.See("urn:uuid:2", "a.jsonl:2"), "");
  EXPECT_EQ(d.See("urn:uuid:1", "b.jsonl:9"), "a.jsonl:1");
  EXPECT_EQ(d.See("urn:uuid:1", "c.jsonl:3"), "a.jsonl:1") << "always the first, not the last seen";
  EXPECT_EQ(d.See("", "a.jsonl:3"), "");
  EXPECT_EQ(d.See("", "a.jsonl:4"), "") << "a credential without an id duplicates nothing";
  EXPECT_FALSE(d.capped());
}

TEST(DuplicateIdsTest, EveryIdIsFoundAfterTheTableGrew) {
  DuplicateIds d;
  constexpr int kIds = 50000;
  for (int i = 0; i < kIds; ++i) ASSERT_EQ(d.See("id-" + std::to_string(i), "f:" + std::to_string(i)), "");
  for (int i = 0; i < kIds; ++i) {
    ASSERT_EQ(d.See("id-" + std::to_string(i), "g:0"), "f:" + std::to_string(i)) << i;
  }
}

TEST(DuplicateIdsTest, PastTheCapNewIdsAreNotRememberedOldOnesAre) {
  DuplicateIds d(2);
  EXPECT_EQ(d.See("x", "s:1"), "");
  EXPECT_EQ(d.See("y", "s:2"), "");
  EXPECT_EQ(d.See("z", "s:3"), "");
  EXPECT_TRUE(d.capped());
  EXPECT_EQ(d.See("z", "s:4"), "") << "not remembered past the cap";
  EXPECT_EQ(d.See("y", "s:5"), "s:2");
}

}  // namespace
}  // namespace credsweep::io
