// The meta values commands keep in the index (import progress, sweep runs):
// batched puts and deletes, prefix scans in key order that stop at the prefix's
// end, prefix deletes that leave other keys alone, and readers refused writes;
// the cache space apart from the meta space, missing from an older index until a
// writer opens it, and its deletions compacted away.
#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>

#include "storage/status_index.h"
#include "tests/storage/raw_db.h"

namespace credsweep::storage {
namespace {

namespace fs = std::filesystem;

class StatusIndexMeta : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) /
            ("index-meta-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid())))
               .string();
    fs::remove_all(dir_);
    auto idx = CreateOrOpenForWriting(dir_);
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    index_ = std::move(idx).value();
  }
  void TearDown() override {
    index_.reset();
    fs::remove_all(dir_);
  }

  std::vector<std::string> Keys(std::string_view prefix, StatusIndex::MetaSpace space = StatusIndex::MetaSpace::kMeta) {
    std::vector<std::string> keys;
    EXPECT_TRUE(index_->ForEachMeta(
                          prefix,
                          [&](std::string_view k, std::string_view) {
                            keys.emplace_back(k);
                            return true;
                          },
                          space)
                    .ok());
    return keys;
  }
  // Files a bulk writer left in the index's directory.
  std::vector<std::string> BulkFiles() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename().string().starts_with("credsweep-bulk-")) names.push_back(e.path().filename().string());
    }
    return names;
  }
  // A bulk write of `keys` (each its own value) into the outcomes space.
  void BulkWrite(const std::vector<std::string>& keys) {
    auto writer = index_->NewMetaBulkWriter(kOutcomes);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& k : keys) ASSERT_TRUE((*writer)->Add(k, "value of " + k).ok()) << k;
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  static constexpr auto kOutcomes = StatusIndex::MetaSpace::kOutcomes;

  std::string dir_;
  std::unique_ptr<StatusIndex> index_;
};

TEST_F(StatusIndexMeta, ScansAPrefixInKeyOrderAndNoFurther) {
  ASSERT_TRUE(index_->WriteMeta({{"sweep:b", "2"}, {"sweep:a", "1"}, {"sweeq", "x"}, {"import:f", "9"}}).ok());
  EXPECT_EQ(Keys("sweep:"), (std::vector<std::string>{"sweep:a", "sweep:b"}));
  EXPECT_EQ(index_->GetMeta("sweep:a").value(), std::optional<std::string>("1"));
  // The callback can stop the scan.
  size_t calls = 0;
  ASSERT_TRUE(index_->ForEachMeta("sweep", [&](std::string_view, std::string_view) { return ++calls < 1; }).ok());
  EXPECT_EQ(calls, 1u);
}

TEST_F(StatusIndexMeta, ACursorFindsKeysAskedInAnyOrderAsGetMetaDoes) {
  std::vector<std::pair<std::string, std::string>> puts;
  for (int i = 0; i < 200; i += 2) {
    char key[32];
    std::snprintf(key, sizeof key, "r:%05d", i);
    puts.emplace_back(key, "v" + std::to_string(i));
  }
  puts.emplace_back("s:other", "o");
  ASSERT_TRUE(index_->WriteMeta(puts).ok());
  auto cursor = index_->NewMetaCursor();
  auto get = [&](int i) -> std::optional<std::string> {
    char key[32];
    std::snprintf(key, sizeof key, "r:%05d", i);
    auto v = cursor->Get(key);
    EXPECT_TRUE(v.ok());
    return v.ok() && *v ? std::optional<std::string>(std::string(**v)) : std::nullopt;
  };
  // Ascending with gaps (a step forward), a long jump (a seek), backwards, missing keys.
  for (int i : {0, 1, 2, 4, 10, 150, 152, 8, 6, 199, 198, 300, 0}) {
    const std::optional<std::string> want = i % 2 == 0 && i < 200 ? std::optional<std::string>("v" + std::to_string(i))
                                                                    : std::nullopt;
    EXPECT_EQ(get(i), want) << i;
  }
  EXPECT_EQ(std::string(cursor->Get("s:other").value().value()), "o");
  EXPECT_FALSE(cursor->Get("r:").value()) << "a prefix of a key is not the key";
  EXPECT_FALSE(cursor->Get("t").value()) << "past the last key";
  EXPECT_EQ(std::string(cursor->Get("r:00002").value().value()), "v2") << "and back";
}

// Keys asked for in ascending order among many deleted ones (the readings of
// another namespace, deleted by the last run): each deleted key is stepped over
// once by the cursor, not once per key asked for.
TEST_F(StatusIndexMeta, ACursorStepsOverDeletedKeysOnce) {
  constexpr auto kCache = StatusIndex::MetaSpace::kCache;
  constexpr int kDeleted = 20000, kAsked = 2000;
  std::vector<std::pair<std::string, std::string>> puts;
  std::vector<std::string> deletes;
  auto key = [](const char* prefix, int i) {
    char k[32];
    std::snprintf(k, sizeof k, "%s%06d", prefix, i);
    return std::string(k);
  };
  for (int i = 0; i < kDeleted; ++i) puts.emplace_back(key("b:", i), "gone");
  ASSERT_TRUE(index_->WriteMeta(puts, {}, kCache).ok());
  for (int i = 0; i < kDeleted; ++i) deletes.push_back(key("b:", i));
  ASSERT_TRUE(index_->WriteMeta({{"c:live", "here"}, {"a:000100", "a"}}, deletes, kCache).ok());
  auto cursor = index_->NewMetaCursor(kCache);
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  for (int i = 0; i < kAsked; ++i) {
    auto v = cursor->Get(key("a:", i));
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->has_value(), i == 100) << i;
  }
  EXPECT_EQ(std::string(cursor->Get("c:live").value().value()), "here");
  EXPECT_FALSE(cursor->Get("b:000007").value()) << "a deleted key, asked for again behind the cursor";
  EXPECT_FALSE(cursor->Get("d").value());
  const uint64_t skipped = rocksdb::get_perf_context()->internal_delete_skipped_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  EXPECT_GE(skipped, static_cast<uint64_t>(kDeleted)) << "the deleted keys are in the way";
  EXPECT_LT(skipped, 4u * kDeleted) << "stepped over again and again";
}

// Whole namespaces of readings are deleted at once (a rebuild, another trust
// configuration): the table holding those deletions is compacted away with the
// readings it deletes, in the background, rather than left for every cursor to
// step over until level 0 fills up (the cache family's CompactOnDeletion
// collector). Fails after its deadline when nothing compacts the deletions.
TEST_F(StatusIndexMeta, ReadingsDeletedAtOnceAreCompactedAway) {
  constexpr auto kCache = StatusIndex::MetaSpace::kCache;
  constexpr int kDeleted = 20000;
  auto key = [](int i) {
    char k[32];
    std::snprintf(k, sizeof k, "b:%06d", i);
    return std::string(k);
  };
  auto reopen = [&] {
    index_.reset();  // the next open writes what the log holds as a table
    auto idx = CreateOrOpenForWriting(dir_);
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    index_ = std::move(idx).value();
  };
  std::vector<std::pair<std::string, std::string>> puts;
  std::vector<std::string> deletes;
  for (int i = 0; i < kDeleted; ++i) puts.emplace_back(key(i), std::string(100, 'r'));
  for (int i = 0; i < kDeleted; ++i) deletes.push_back(key(i));
  // Deleted keys a cursor steps over to find that nothing is left.
  auto skipped_by_a_seek = [&] {
    auto cursor = index_->NewMetaCursor(kCache);
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
    rocksdb::get_perf_context()->Reset();
    auto v = cursor->Get("a");
    const uint64_t skipped = rocksdb::get_perf_context()->internal_delete_skipped_count;
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
    EXPECT_TRUE(v.ok() && !v->has_value());
    return skipped;
  };
  ASSERT_TRUE(index_->WriteMeta(puts, {}, kCache).ok());
  reopen();
  ASSERT_TRUE(index_->WriteMeta({}, deletes, kCache).ok());
  // Before anything can compact them (they are in memory), the deletions are in the way.
  EXPECT_GE(skipped_by_a_seek(), static_cast<uint64_t>(kDeleted));
  reopen();
  uint64_t skipped = skipped_by_a_seek();
  for (int waited_ms = 0; skipped > 0 && waited_ms < 30000; waited_ms += 100) {
    ::usleep(100 * 1000);
    skipped = skipped_by_a_seek();
  }
  EXPECT_EQ(skipped, 0u) << "the deletions are still in the cursor's way after 30 s";
}

// The cache family's tables are written in 64 KiB blocks without a filter
// (docs/storage-format.md): a sweep only steps through them in key order.
TEST_F(StatusIndexMeta, CacheTablesHaveLargeBlocksAndNoFilter) {
  std::vector<std::pair<std::string, std::string>> puts;
  for (int i = 0; i < 4000; ++i) {
    char k[32];
    std::snprintf(k, sizeof k, "r:%06d", i);
    puts.emplace_back(k, std::string(300, static_cast<char>('a' + i % 26)));
  }
  ASSERT_TRUE(index_->WriteMeta(puts, {}, StatusIndex::MetaSpace::kCache).ok());
  ASSERT_TRUE(index_->WriteMeta(puts, {}).ok());  // the same in meta, for comparison
  // Reopened, the index writes what its log holds as tables, with its own options.
  index_.reset();
  index_ = std::move(CreateOrOpenForWriting(dir_)).value();
  index_.reset();
  RawDb raw(dir_);
  auto bytes_per_block = [&](const std::string& family, uint64_t* filter_bytes) {
    uint64_t bytes = 0, blocks = 0;
    *filter_bytes = 0;
    for (const auto& [file, t] : raw.Tables(family)) {
      bytes += t->raw_key_size + t->raw_value_size;
      blocks += t->num_data_blocks;
      *filter_bytes += t->filter_size;
    }
    EXPECT_GT(blocks, 0u) << family;
    return blocks ? bytes / blocks : 0;
  };
  uint64_t cache_filter = 0, meta_filter = 0;
  EXPECT_GT(bytes_per_block("cache", &cache_filter), 48u << 10);
  EXPECT_LT(bytes_per_block("meta", &meta_filter), 8u << 10) << "the other families keep 4 KiB blocks";
  EXPECT_EQ(cache_filter, 0u);
  EXPECT_GT(meta_filter, 0u) << "and their Bloom filters";
}

TEST_F(StatusIndexMeta, DeletesByKeyAndByPrefixLeaveOtherKeysAlone) {
  ASSERT_TRUE(index_->WriteMeta({{"sweep:a", "1"}, {"sweep:b", "2"}, {"sweeq", "x"}, {"import:f", "9"}}).ok());
  ASSERT_TRUE(index_->WriteMeta({{"sweep:c", "3"}}, {"sweep:a"}).ok());
  EXPECT_EQ(Keys("sweep:"), (std::vector<std::string>{"sweep:b", "sweep:c"}));
  ASSERT_TRUE(index_->DeleteMetaPrefix("sweep:").ok());
  EXPECT_TRUE(Keys("sweep:").empty());
  EXPECT_EQ(Keys("sweeq"), (std::vector<std::string>{"sweeq"}));
  EXPECT_EQ(index_->GetMeta("import:f").value(), std::optional<std::string>("9"));
  EXPECT_FALSE(index_->DeleteMetaPrefix("").ok()) << "an empty prefix would delete everything";
}

TEST_F(StatusIndexMeta, ReadersAreRefusedWritesButCanScan) {
  ASSERT_TRUE(index_->WriteMeta({{"sweep:a", "1"}}).ok());
  auto reader = OpenForReading(dir_);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_FALSE((*reader)->WriteMeta({{"sweep:b", "2"}}).ok());
  EXPECT_FALSE((*reader)->DeleteMetaPrefix("sweep:").ok());
  size_t n = 0;
  ASSERT_TRUE((*reader)->ForEachMeta("sweep:", [&](std::string_view, std::string_view) { return ++n > 0; }).ok());
  EXPECT_EQ(n, 1u);
}

TEST_F(StatusIndexMeta, TheCacheSpaceIsApartFromTheMetaSpace) {
  constexpr auto kCache = StatusIndex::MetaSpace::kCache;
  ASSERT_TRUE(index_->WriteMeta({{"k:1", "meta"}}).ok());
  ASSERT_TRUE(index_->WriteMeta({{"k:1", "cache"}, {"k:2", "cache two"}}, {}, kCache).ok());
  EXPECT_EQ(index_->GetMeta("k:1").value(), std::optional<std::string>("meta"));
  EXPECT_EQ(index_->GetMeta("k:1", kCache).value(), std::optional<std::string>("cache"));
  EXPECT_FALSE(index_->GetMeta("k:2").value());
  EXPECT_EQ(Keys("k:"), (std::vector<std::string>{"k:1"}));
  EXPECT_EQ(std::string(index_->NewMetaCursor(kCache)->Get("k:2").value().value()), "cache two");
  EXPECT_FALSE(index_->NewMetaCursor()->Get("k:2").value());
  ASSERT_TRUE(index_->DeleteMetaPrefix("k:", kCache).ok());
  EXPECT_FALSE(index_->GetMeta("k:1", kCache).value());
  EXPECT_EQ(index_->GetMeta("k:1").value(), std::optional<std::string>("meta")) << "the meta space keeps its key";
}

TEST_F(StatusIndexMeta, AnIndexWithoutTheCacheFamilyOpensAndAWriterAddsIt) {
  constexpr auto kCache = StatusIndex::MetaSpace::kCache;
  ASSERT_TRUE(index_->WriteMeta({{"k:1", "meta"}}).ok());
  index_.reset();
  {
    RawDb raw(dir_);
    ASSERT_TRUE(raw.HasFamily("cache")) << "a new index has it";
    raw.DropFamily("cache");
  }
  {
    auto reader = OpenForReading(dir_);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_FALSE((*reader)->GetMeta("k:1", kCache).value());
    EXPECT_FALSE((*reader)->NewMetaCursor(kCache)->Get("k:1").value());
    size_t n = 0;
    EXPECT_TRUE((*reader)->ForEachMeta("", [&](std::string_view, std::string_view) { return ++n > 0; }, kCache).ok());
    EXPECT_EQ(n, 0u);
    EXPECT_EQ((*reader)->GetMeta("k:1").value(), std::optional<std::string>("meta"));
  }
  auto writer = OpenForWriting(dir_);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->PutMeta("k:1", "cache", kCache).ok());
  EXPECT_EQ((*writer)->GetMeta("k:1", kCache).value(), std::optional<std::string>("cache"));
  writer->reset();
  EXPECT_TRUE(RawDb(dir_).HasFamily("cache"));
}

// The cache space (readings that can be made again) is written without the
// write-ahead log, which a first sweep would fill with a GB that the next open
// reads back; a clean close still keeps it.
TEST_F(StatusIndexMeta, CacheWritesAreNotLoggedAndSurviveACleanClose) {
  auto log_bytes = [&] {
    uint64_t bytes = 0;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().extension() == ".log") bytes += e.file_size();
    }
    return bytes;
  };
  std::vector<std::pair<std::string, std::string>> puts;
  for (int i = 0; i < 64; ++i) puts.emplace_back("r:" + std::to_string(i), std::string(64 << 10, 'x'));
  const uint64_t before = log_bytes();
  ASSERT_TRUE(index_->WriteMeta(puts, {}, StatusIndex::MetaSpace::kCache).ok());
  EXPECT_LT(log_bytes() - before, 64u << 10) << "4 MB of readings in the log";
  ASSERT_TRUE(index_->WriteMeta({puts.front()}).ok());
  EXPECT_GE(log_bytes() - before, 64u << 10) << "the meta space is logged";
  index_.reset();
  index_ = std::move(OpenForWriting(dir_)).value();
  EXPECT_EQ(Keys("r:", StatusIndex::MetaSpace::kCache).size(), 64u);
}

// A bulk write (a sweep run's outcomes) is seen whole or not at all, survives a
// reopen, lands in the last level (never rewritten by a compaction) and leaves no
// file of its own behind.
TEST_F(StatusIndexMeta, ABulkWriteIsSeenWholeOnceFinishedAndLandsInTheLastLevel) {
  auto writer = index_->NewMetaBulkWriter(kOutcomes);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Add("run:1:a", "A").ok());
  ASSERT_TRUE((*writer)->Add("run:1:b", "B").ok());
  EXPECT_TRUE(Keys("run:", kOutcomes).empty()) << "nothing is visible before Finish";
  EXPECT_EQ(BulkFiles().size(), 1u) << "its file is being written";
  ASSERT_TRUE((*writer)->Finish().ok());
  EXPECT_FALSE((*writer)->Finish().ok()) << "a second Finish";
  EXPECT_EQ(Keys("run:", kOutcomes), (std::vector<std::string>{"run:1:a", "run:1:b"}));
  EXPECT_TRUE(Keys("run:").empty()) << "the meta space is another";
  EXPECT_TRUE(BulkFiles().empty());
  writer->reset();
  index_.reset();
  index_ = std::move(CreateOrOpenForWriting(dir_)).value();
  EXPECT_EQ(index_->GetMeta("run:1:b", kOutcomes).value(), std::optional<std::string>("B"));
  BulkWrite({"run:2:a", "run:2:b"});
  index_.reset();
  RawDb raw(dir_);
  EXPECT_EQ(raw.FilesAtLevel("outcomes", 6), 2) << "one file per bulk write, each in the last level";
  for (int level = 0; level < 6; ++level) EXPECT_EQ(raw.FilesAtLevel("outcomes", level), 0) << level;
}

TEST_F(StatusIndexMeta, ABulkWriterDroppedBeforeFinishLeavesNothing) {
  {
    auto writer = index_->NewMetaBulkWriter(kOutcomes);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Add("run:1:a", "A").ok());
  }
  EXPECT_TRUE(Keys("", kOutcomes).empty());
  EXPECT_TRUE(BulkFiles().empty());
  auto empty = index_->NewMetaBulkWriter(kOutcomes);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE((*empty)->Finish().ok()) << "nothing added: nothing written, no error";
  EXPECT_TRUE(Keys("", kOutcomes).empty());
}

TEST_F(StatusIndexMeta, BulkKeysOutOfOrderAreRefused) {
  auto writer = index_->NewMetaBulkWriter(kOutcomes);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add("run:1:b", "B").ok());
  EXPECT_FALSE((*writer)->Add("run:1:a", "A").ok());
  EXPECT_FALSE((*writer)->Add("run:1:b", "again").ok()) << "nor twice";
}

TEST_F(StatusIndexMeta, ReadersGetNoBulkWriter) {
  auto reader = OpenForReading(dir_);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE((*reader)->NewMetaBulkWriter(kOutcomes).ok());
}

// Deleting a run's outcomes drops its file whole, and only its own keys.
TEST_F(StatusIndexMeta, ABulkPrefixDeleteDropsWholeFilesAndLeavesTheRest) {
  BulkWrite({"run:1:a", "run:1:b"});
  BulkWrite({"run:2:a", "run:2:b"});
  BulkWrite({"run:3:a"});
  ASSERT_TRUE(index_->DeleteMetaPrefix("run:2:", kOutcomes).ok());
  EXPECT_EQ(Keys("run:", kOutcomes), (std::vector<std::string>{"run:1:a", "run:1:b", "run:3:a"}));
  ASSERT_TRUE(index_->DeleteMetaPrefix("run:9:", kOutcomes).ok()) << "nothing under the prefix";
  // A write under a deleted prefix is seen (the deletion is older than it).
  BulkWrite({"run:2:c"});
  EXPECT_EQ(Keys("run:2:", kOutcomes), (std::vector<std::string>{"run:2:c"}));
  index_.reset();
  RawDb raw(dir_);
  uint64_t entries = 0;
  for (const auto& [file, t] : raw.Tables("outcomes")) entries += t->num_entries - t->num_range_deletions;
  EXPECT_EQ(entries, 4u) << "run 2's first file was dropped, not kept beside a deletion";
  EXPECT_EQ(raw.FilesAtLevel("outcomes", 6), 3) << "and the write after it went to the last level";
  for (int level = 0; level < 6; ++level) EXPECT_EQ(raw.FilesAtLevel("outcomes", level), 0) << level;
}

// Reading ahead asks for the table files that may hold keys under the prefix,
// whole, and for no other: here each bulk write is one file.
TEST_F(StatusIndexMeta, ReadAheadAsksForTheFilesThatHoldThePrefix) {
  BulkWrite({"run:1:a", "run:1:b"});
  BulkWrite({"run:2:a", "run:2:b", "run:2:c"});
  BulkWrite({"run:3:a"});
  const uint64_t all = ~uint64_t{0};
  const uint64_t one = index_->ReadAhead("run:1:", kOutcomes, all), two = index_->ReadAhead("run:2:", kOutcomes, all),
                 three = index_->ReadAhead("run:3:", kOutcomes, all);
  EXPECT_GT(one, 0u);
  EXPECT_GT(two, 0u);
  EXPECT_GT(three, 0u);
  EXPECT_EQ(index_->ReadAhead("run:", kOutcomes, all), one + two + three);
  EXPECT_EQ(index_->ReadAhead("", kOutcomes, all), one + two + three) << "no prefix: every file";
  EXPECT_EQ(index_->ReadAhead("run:2:b", kOutcomes, all), two) << "a key inside a file";
  EXPECT_EQ(index_->ReadAhead("run:1:c", kOutcomes, all), 0u) << "between two files";
  EXPECT_EQ(index_->ReadAhead("run:9:", kOutcomes, all), 0u) << "past the last";
  EXPECT_EQ(index_->ReadAhead("a", kOutcomes, all), 0u) << "before the first";
  EXPECT_EQ(index_->ReadAhead("run:", kOutcomes, one + 10), one + 10) << "no more than asked";
  EXPECT_EQ(index_->ReadAhead("run:", StatusIndex::MetaSpace::kCache, all), 0u) << "another space";
}

// Keys under the prefix in a file that also holds others are deleted all the same.
TEST_F(StatusIndexMeta, ABulkPrefixDeleteReachesKeysInAFileItCannotDrop) {
  BulkWrite({"run:4:a", "run:4:b", "run:5:a"});
  ASSERT_TRUE(index_->DeleteMetaPrefix("run:4:", kOutcomes).ok());
  EXPECT_EQ(Keys("run:", kOutcomes), (std::vector<std::string>{"run:5:a"}));
  index_.reset();
  index_ = std::move(OpenForWriting(dir_)).value();
  EXPECT_EQ(Keys("run:", kOutcomes), (std::vector<std::string>{"run:5:a"}));
}

TEST_F(StatusIndexMeta, AWriterRemovesTheFileOfABulkWriteThatNeverFinished) {
  index_.reset();
  const fs::path left = fs::path(dir_) / "credsweep-bulk-99999-0.sst";
  { std::ofstream(left) << "half a table"; }
  {
    auto reader = OpenForReading(dir_);
    ASSERT_TRUE(reader.ok());
    EXPECT_TRUE(fs::exists(left)) << "a reader changes nothing";
  }
  index_ = std::move(CreateOrOpenForWriting(dir_)).value();
  EXPECT_FALSE(fs::exists(left));
}

TEST_F(StatusIndexMeta, AnIndexWithoutTheOutcomesFamilyOpensAndAWriterAddsIt) {
  index_.reset();
  {
    RawDb raw(dir_);
    ASSERT_TRUE(raw.HasFamily("outcomes")) << "a new index has it";
    raw.DropFamily("outcomes");
  }
  {
    auto reader = OpenForReading(dir_);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_FALSE((*reader)->GetMeta("k", kOutcomes).value());
    size_t n = 0;
    EXPECT_TRUE((*reader)->ForEachMeta("", [&](std::string_view, std::string_view) { return ++n > 0; }, kOutcomes).ok());
    EXPECT_EQ(n, 0u);
  }
  index_ = std::move(OpenForWriting(dir_)).value();
  BulkWrite({"k"});
  EXPECT_EQ(index_->GetMeta("k", kOutcomes).value(), std::optional<std::string>("value of k"));
}

}  // namespace
}  // namespace credsweep::storage
