// SweepReadingCache on a real index: what one run keeps the next run of the same
// namespace finds, for the same bytes at the same source only; another namespace
// finds nothing; readings over the size limit are not kept; a whole run removes
// what it did not use, a part does not; entries lie in line order.
#include "io/sweep/reading_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "tests/io/sweep/index_fixture.h"
#include "tests/page_cache.h"
#include "tests/storage/raw_db.h"

namespace credsweep::io {
namespace {

class ReadingCacheTest : public credsweep::testing::FreshIndexTest {
 protected:
  static constexpr auto kCache = storage::StatusIndex::MetaSpace::kCache;
  std::unique_ptr<SweepReadingCache> Open(const std::string& ns, bool full = false) {
    auto c = SweepReadingCache::Open(index_.get(), ns, full);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(c).value() : nullptr;
  }
  static std::string Digest(char c) { return std::string(32, c); }
  static std::string Source(char c) { return std::string("c/part.jsonl:") + c; }
};

TEST_F(ReadingCacheTest, KeepsWhatTheNextRunOfTheNamespaceFinds) {
  const std::string ns(64, 'a');
  auto first = Open(ns);
  first->Add(Source('1'), Digest('1'), "reading one");
  first->Add(Source('2'), Digest('2'), std::string(SweepReadingCache::kMaxEntryBytes + 1, 'x'));  // too large
  first->Add(Source('3'), Digest('3'), "reading three");
  ASSERT_TRUE(first->Finish(true).ok());
  EXPECT_EQ(first->entries(), 2u);

  auto other = Open(std::string(64, 'b'));
  EXPECT_FALSE(other->Find(Source('1'), Digest('1'))) << "another namespace finds nothing";
  ASSERT_TRUE(other->Finish(false).ok());  // a part: the others' readings stay

  auto second = Open(ns);
  EXPECT_EQ(second->Find(Source('1'), Digest('1')), "reading one");
  EXPECT_FALSE(second->Find(Source('2'), Digest('2')));
  EXPECT_EQ(second->reused(), 1u);
  // A whole run that did not read record 3: its reading is removed.
  ASSERT_TRUE(second->Finish(true).ok());
  EXPECT_EQ(second->entries(), 1u);
  auto third = Open(ns);
  EXPECT_FALSE(third->Find(Source('3'), Digest('3')));
  EXPECT_TRUE(third->Find(Source('1'), Digest('1')));
  // A reading found that no longer holds, and not added again, goes too.
  third->Stale(Source('1'));
  EXPECT_EQ(third->reused(), 0u);
  ASSERT_TRUE(third->Finish(true).ok());
  EXPECT_FALSE(Open(ns)->Find(Source('1'), Digest('1')));
}

// An incremental run's cache asks for its namespace's readings ahead of its
// cursors (StatusIndex::ReadAhead): out of the page cache (a nightly run), they
// are read back before any is looked for.
TEST_F(ReadingCacheTest, AnIncrementalRunReadsItsReadingsAhead) {
  const std::string ns(64, 'r');
  {
    auto first = Open(ns);
    std::mt19937_64 random(7);
    for (int i = 0; i < 3000; ++i) {
      std::string reading(700, '\0');
      for (char& c : reading) c = static_cast<char>(random());  // no compression to speak of
      first->Add("c/part.jsonl:" + std::to_string(i), Digest('d'), reading);
    }
    ASSERT_TRUE(first->Finish(true).ok());
  }
  index_.reset();  // a clean close: the readings go to a table file
  std::string readings;
  uintmax_t size = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    if (e.path().extension() == ".sst" && e.file_size() > size) {
      size = e.file_size();
      readings = e.path().string();
    }
  }
  ASSERT_GT(size, 1u << 20) << "the readings' table file";
  index_ = std::move(storage::OpenForWriting(dir_)).value();
  if (!credsweep::testing::DropFromPageCache(readings)) GTEST_SKIP() << "this file system keeps files in memory";
  auto second = Open(ns);
  EXPECT_TRUE(credsweep::testing::CachedWithin(readings))
      << credsweep::testing::CachedPages(readings).cached << " of " << credsweep::testing::CachedPages(readings).pages
      << " pages";
}

// Threads find readings side by side (each counts its own): every reading any
// of them found is kept by a whole run.
TEST_F(ReadingCacheTest, ReadingsFoundByEveryThreadAreKept) {
  const std::string ns(64, 'a');
  constexpr int kPerThread = 500;
  auto source = [](int t, int i) { return "c/t" + std::to_string(t) + ".jsonl:" + std::to_string(i + 1); };
  {
    auto first = Open(ns);
    for (int t = 0; t < 2; ++t) {
      for (int i = 0; i < kPerThread; ++i) first->Add(source(t, i), Digest('1'), "reading");
    }
    ASSERT_TRUE(first->Finish(true).ok());
  }
  auto second = Open(ns);
  std::atomic<int> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) found += second->Find(source(t, i), Digest('1')).has_value();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(found, 2 * kPerThread);
  EXPECT_EQ(second->reused(), 2u * kPerThread);
  ASSERT_TRUE(second->Finish(true).ok());
  EXPECT_EQ(second->entries(), 2u * kPerThread) << "none taken for a reading no thread found";
  auto third = Open(ns);
  EXPECT_TRUE(third->Find(source(1, kPerThread - 1), Digest('1')));
}

TEST_F(ReadingCacheTest, FullFindsNothingAndReplacesTheReadings) {
  const std::string ns(64, 'a');
  auto first = Open(ns);
  first->Add(Source('1'), Digest('1'), "old");
  first->Add(Source('2'), Digest('2'), "gone");
  ASSERT_TRUE(first->Finish(true).ok());
  auto full = Open(ns, /*full=*/true);
  EXPECT_FALSE(full->Find(Source('1'), Digest('1')));
  full->Add(Source('1'), Digest('1'), "new");
  ASSERT_TRUE(full->Finish(true).ok());
  auto next = Open(ns);
  EXPECT_EQ(next->Find(Source('1'), Digest('1')), "new");
  EXPECT_FALSE(next->Find(Source('2'), Digest('2')));
}

TEST_F(ReadingCacheTest, AnEntryCountsOnlyForTheBytesItWasMadeFrom) {
  const std::string ns(64, 'a');
  auto first = Open(ns);
  first->Add(Source('1'), Digest('1'), "reading one");
  ASSERT_TRUE(first->Finish(true).ok());
  auto second = Open(ns);
  EXPECT_FALSE(second->Find(Source('1'), Digest('9'))) << "other bytes at the same source";
  EXPECT_FALSE(second->Find(Source('2'), Digest('1'))) << "the same bytes at another source";
  EXPECT_EQ(second->reused(), 0u);
  // The record at the source changed and its new reading is kept in place of the old.
  second->Add(Source('1'), Digest('9'), "reading nine");
  ASSERT_TRUE(second->Finish(true).ok());
  EXPECT_EQ(second->entries(), 1u);
  auto third = Open(ns);
  EXPECT_EQ(third->Find(Source('1'), Digest('9')), "reading nine");
  EXPECT_FALSE(third->Find(Source('1'), Digest('1')));
}

TEST_F(ReadingCacheTest, AChangedRecordNotKeptAgainIsRemoved) {
  const std::string ns(64, 'a');
  auto first = Open(ns);
  first->Add(Source('1'), Digest('1'), "reading one");
  first->Add(Source('2'), Digest('2'), "reading two");
  ASSERT_TRUE(first->Finish(true).ok());
  auto second = Open(ns);
  EXPECT_TRUE(second->Find(Source('1'), Digest('1')));
  EXPECT_FALSE(second->Find(Source('2'), Digest('8')));  // changed; its reading is not kept (e.g. it varies)
  ASSERT_TRUE(second->Finish(true).ok());
  EXPECT_EQ(second->entries(), 1u);
  size_t stored = 0;
  ASSERT_TRUE(index_->ForEachMeta("sweep:cache:s:", [&](std::string_view, std::string_view) {
    ++stored;
    return true;
  }, kCache).ok());
  EXPECT_EQ(stored, 1u);
}

TEST_F(ReadingCacheTest, AnInputNamedRelativeOrAbsoluteFindsTheSameEntries) {
  const std::string ns(64, 'a');
  auto first = Open(ns);
  first->Add("corpus/part.jsonl:7", Digest('7'), "seven");
  first->Add("corpus/one.json", Digest('1'), "one");
  first->Add("-:3", Digest('3'), "stdin");
  ASSERT_TRUE(first->Finish(true).ok());
  const std::string cwd = std::filesystem::current_path().string();
  auto second = Open(ns);
  EXPECT_EQ(second->Find(cwd + "/corpus/part.jsonl:7", Digest('7')), "seven");
  EXPECT_EQ(second->Find("./corpus/../corpus/part.jsonl:7", Digest('7')), "seven");
  EXPECT_EQ(second->Find(cwd + "/corpus/one.json", Digest('1')), "one");
  EXPECT_EQ(second->Find("-:3", Digest('3')), "stdin");
  EXPECT_FALSE(second->Find("corpus/part.jsonl:8", Digest('7'))) << "another line";
  EXPECT_FALSE(second->Find("other/part.jsonl:7", Digest('7'))) << "another file";
}

TEST_F(ReadingCacheTest, EntriesLieInLineOrder) {
  const std::string ns(64, 'a');
  auto cache = Open(ns);
  for (int line : {100, 9, 1000, 10, 1}) {
    cache->Add("dir/a.jsonl:" + std::to_string(line), Digest('1'), "r" + std::to_string(line));
  }
  cache->Add("dir/b.json", Digest('2'), "whole file");
  ASSERT_TRUE(cache->Finish(true).ok());
  std::vector<std::string> order;
  ASSERT_TRUE(index_->ForEachMeta("sweep:cache:s:", [&](std::string_view, std::string_view value) {
    order.emplace_back(value.substr(32));
    return true;
  }, kCache).ok());
  EXPECT_EQ(order, (std::vector<std::string>{"r1", "r9", "r10", "r100", "r1000", "whole file"}));
}

// A run that wrote readings for more than a quarter of those it kept (here a
// whole --full run over 60,000 records) compacts them after Finish: the tables then
// hold each key once, not the old version beside the new one for the next run's
// cursors to step over. A run that wrote few leaves compaction to RocksDB.
TEST_F(ReadingCacheTest, ARunThatRewroteTheReadingsLeavesEachKeyOnce) {
  const std::string ns(64, 'a');
  constexpr int kRecords = 60000;
  auto fill = [&](bool full, bool whole, int from, int to, char version) {
    auto cache = Open(ns, full);
    for (int line = from; line < to; ++line) {
      cache->Add("c/a.jsonl:" + std::to_string(line), Digest(version), std::string(100, version));
    }
    ASSERT_TRUE(cache->Finish(whole).ok());
    ASSERT_TRUE(cache->CompactIfRewritten().ok());
  };
  auto entries_in_tables = [&] {
    index_.reset();  // flushed to tables on close
    uint64_t n = 0;
    {
      storage::RawDb raw(dir_);
      for (const auto& [file, t] : raw.Tables("cache")) n += t->num_entries;
    }
    index_ = std::move(storage::CreateOrOpenForWriting(dir_)).value();
    return n;
  };
  // The readings, plus a version or two of the state kept beside them.
  auto expect_about = [](uint64_t entries, uint64_t readings) {
    EXPECT_GE(entries, readings + 1);
    EXPECT_LE(entries, readings + 3);
  };
  fill(false, true, 0, kRecords, '1');
  expect_about(entries_in_tables(), kRecords);  // in tables of their own
  fill(true, true, 0, kRecords, '2');
  expect_about(entries_in_tables(), kRecords);
  fill(false, false, 0, 1000, '3');  // a part that rewrote few: left to RocksDB
  expect_about(entries_in_tables(), kRecords + 1000);
  auto next = Open(ns);
  EXPECT_EQ(next->Find("c/a.jsonl:5", Digest('3')), std::string(100, '3'));
  EXPECT_EQ(next->Find("c/a.jsonl:59999", Digest('2')), std::string(100, '2'));
}

// The cache lives in the index's cache space, apart from the stored runs; the
// cache as earlier versions kept it in the meta space is not used, and the first
// whole run removes it without touching the runs.
TEST_F(ReadingCacheTest, LivesInTheCacheSpaceAndRemovesTheEarlierLayout) {
  const std::string ns(64, 'a');
  ASSERT_TRUE(index_->WriteMeta({{"sweep:cache:state", R"({"namespace":")" + ns + R"(","entries":2,"complete":true})"},
                                 {"sweep:cache:s:" + ns.substr(0, 16) + "/old:00000000000000000001", Digest('1') + "x"},
                                 {"sweep:cache:r:" + Digest('2'), "y"},
                                 {"sweep:run:00000000000000000001", "{}"}})
                  .ok());
  auto first = Open(ns);
  EXPECT_FALSE(first->Find("/old:1", Digest('1'))) << "the earlier layout's entries are not used";
  first->Add(Source('1'), Digest('1'), "reading one");
  ASSERT_TRUE(first->Finish(true).ok());
  std::vector<std::string> meta_keys;
  ASSERT_TRUE(index_->ForEachMeta("sweep:", [&](std::string_view k, std::string_view) {
    meta_keys.emplace_back(k);
    return true;
  }).ok());
  EXPECT_EQ(meta_keys, (std::vector<std::string>{"sweep:run:00000000000000000001"}));
  EXPECT_TRUE(index_->GetMeta("sweep:readings:state", kCache).value()) << "the state is beside the readings";
  size_t cached = 0;
  ASSERT_TRUE(index_->ForEachMeta("sweep:cache:s:", [&](std::string_view, std::string_view) {
    ++cached;
    return true;
  }, kCache).ok());
  EXPECT_EQ(cached, 1u);
  EXPECT_EQ(Open(ns)->Find(Source('1'), Digest('1')), "reading one");
}

// The state record as builds before 2026-12-06 kept it, in the meta space, is
// read and moved beside the readings.
TEST_F(ReadingCacheTest, AStateKeptInTheMetaSpaceIsReadAndMoved) {
  const std::string ns(64, 'a');
  {
    auto first = Open(ns);
    first->Add(Source('1'), Digest('1'), "reading one");
    ASSERT_TRUE(first->Finish(true).ok());
  }
  auto state = index_->GetMeta("sweep:readings:state", kCache).value();
  ASSERT_TRUE(state);
  ASSERT_TRUE(index_->WriteMeta({}, {"sweep:readings:state"}, kCache).ok());
  ASSERT_TRUE(index_->PutMeta("sweep:readings:state", *state).ok());
  uint64_t dropped = 99;
  auto again = SweepReadingCache::Open(index_.get(), ns, false, &dropped);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(dropped, 0u) << "the same namespace: its readings count";
  EXPECT_EQ((*again)->Find(Source('1'), Digest('1')), "reading one");
  EXPECT_FALSE(index_->GetMeta("sweep:readings:state").value()) << "moved out of the meta space";
  EXPECT_TRUE(index_->GetMeta("sweep:readings:state", kCache).value());
  uint64_t other = 0;
  ASSERT_TRUE(SweepReadingCache::Open(index_.get(), std::string(64, 'b'), false, &other).ok());
  EXPECT_EQ(other, 1u) << "its entry count was read from the moved state";
}

}  // namespace
}  // namespace credsweep::io
