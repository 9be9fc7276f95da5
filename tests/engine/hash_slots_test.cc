// HashSlots: positions found by hash and key, the first inserted of equal keys
// first, hash bits that collide told apart by the caller's key, growth that
// keeps every position findable.
#include "engine/hash_slots.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace credsweep {
namespace {

uint64_t Hash(const std::string& s) { return std::hash<std::string>()(s); }

TEST(HashSlots, FindsEachPositionByItsKey) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("urn:uuid:" + std::to_string(i));
  HashSlots slots;
  slots.Reset(keys.size());
  for (uint32_t i = 0; i < keys.size(); ++i) slots.Insert(Hash(keys[i]), i);
  EXPECT_EQ(slots.size(), keys.size());
  for (uint32_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(slots.Find(Hash(keys[i]), [&](uint32_t p) { return keys[p] == keys[i]; }), i);
  }
  const std::string missing = "urn:uuid:x";
  EXPECT_EQ(slots.Find(Hash(missing), [&](uint32_t p) { return keys[p] == missing; }), HashSlots::kNone);
  EXPECT_EQ(HashSlots().Find(1, [](uint32_t) { return true; }), HashSlots::kNone) << "never reset";
}

TEST(HashSlots, EqualHashesAreToldApartByTheKeyAndTheFirstInsertedComesFirst) {
  // Every key under one hash: the probe passes the others to the one that matches.
  const std::vector<std::string> keys = {"a", "b", "a", "c"};
  HashSlots slots;
  slots.Reset(keys.size());
  for (uint32_t i = 0; i < keys.size(); ++i) slots.Insert(42, i);
  std::vector<uint32_t> looked_at;
  EXPECT_EQ(slots.Find(42, [&](uint32_t p) { return keys[p] == "a"; }), 0u);
  EXPECT_EQ(slots.Find(42, [&](uint32_t p) {
    looked_at.push_back(p);
    return keys[p] == "c";
  }),
            3u);
  EXPECT_EQ(looked_at, (std::vector<uint32_t>{0, 1, 2, 3}));
  // Other hash bits: the caller's key is not even looked at.
  looked_at.clear();
  EXPECT_EQ(slots.Find(42 + (uint64_t{1} << 40), [&](uint32_t p) {
    looked_at.push_back(p);
    return true;
  }),
            HashSlots::kNone);
  EXPECT_TRUE(looked_at.empty());
}

TEST(HashSlots, GrowsAsItIsFilled) {
  std::vector<std::string> keys;
  HashSlots slots;
  auto hash_of = [&](uint32_t p) { return Hash(keys[p]); };
  for (uint32_t i = 0; i < 5000; ++i) {
    keys.push_back("id-" + std::to_string(i * 7919));
    slots.Insert(Hash(keys.back()), i, hash_of);
  }
  for (uint32_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(slots.Find(Hash(keys[i]), [&](uint32_t p) { return keys[p] == keys[i]; }), i) << i;
  }
}

// Prefetch is a hint on any table, an empty one too (its address is computed as
// an integer, so the sanitizers' build runs this as well), and changes nothing.
TEST(HashSlots, PrefetchIsAHintOnAnyTable) {
  HashSlots empty;
  empty.Prefetch(0);
  empty.Prefetch(~uint64_t{0});
  EXPECT_EQ(empty.Find(7, [](uint32_t) { return true; }), HashSlots::kNone);
  HashSlots slots;
  slots.Reset(4);
  slots.Insert(Hash("a"), 0);
  for (uint64_t h : {uint64_t{0}, Hash("a"), ~uint64_t{0}}) slots.Prefetch(h);
  EXPECT_EQ(slots.Find(Hash("a"), [](uint32_t p) { return p == 0; }), 0u);
  EXPECT_EQ(slots.size(), 1u);
}

}  // namespace
}  // namespace credsweep
