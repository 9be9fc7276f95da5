#include "io/resp/state_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace credsweep::io::resp {
namespace {

TEST(StateCache, HitsMissesUpdatesAndUnknowns) {
  StateCache c(1000);
  EXPECT_FALSE(c.Get("urn:a").has_value());
  c.Put("urn:a", 1);
  c.Put("urn:b", StateCache::kUnknown);
  EXPECT_EQ(c.Get("urn:a"), 1);
  EXPECT_EQ(c.Get("urn:b"), StateCache::kUnknown);
  c.Put("urn:a", 0);
  EXPECT_EQ(c.Get("urn:a"), 0);
  EXPECT_FALSE(c.Get("urn:c").has_value());
}

TEST(StateCache, StaysBoundedAndNeverAnswersWrongly) {
  StateCache c(640);  // 64 shards of 32 slots: a shard empties itself at half full
  for (int i = 0; i < 100000; ++i) c.Put("key:" + std::to_string(i), static_cast<int8_t>(i % 3));
  int hits = 0;
  for (int i = 0; i < 100000; ++i) {
    auto v = c.Get("key:" + std::to_string(i));
    if (v) {
      ++hits;
      EXPECT_EQ(*v, i % 3) << i;
    }
  }
  EXPECT_GT(hits, 0);
  EXPECT_LE(hits, 64 * 16);
}

}  // namespace
}  // namespace credsweep::io::resp
