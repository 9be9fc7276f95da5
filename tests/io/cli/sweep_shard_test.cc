// --shard K/N: a stable partition of the corpus by a hash of each record's
// source, for verify and sweep. The parts together are the whole: their results
// are the whole run's, a shard's sweep is compared with that shard's previous
// run (on this corpus, where no id repeats across parts, the parts' diffs add up
// to the single-machine diff). `sweep merge` makes of the parts the run one
// machine would have made.
#include <set>

#include "io/shard.h"
#include "io/sweep/sweep_outcome.h"
#include "tests/io/cli/sweep_fixture.h"

namespace credsweep::testing {
namespace {

TEST(ShardTest, ParsesKOfNAndRefusesTheRest) {
  auto s = io::ParseShard("3/8");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 3u);
  EXPECT_EQ(s->count, 8u);
  EXPECT_EQ(s->ToString(), "3/8");
  EXPECT_TRUE(io::ParseShard("1/1")->whole());
  for (const char* bad : {"", "3", "0/4", "5/4", "1/0", "-1/4", "1/4x", " 1/4", "1/65537", "a/b", "1//4"}) {
    EXPECT_FALSE(io::ParseShard(bad).ok()) << bad;
  }
}

TEST(ShardTest, EveryRecordIsInExactlyOneShard) {
  for (uint32_t n : {2u, 3u, 7u}) {
    std::vector<size_t> sizes(n);
    for (int i = 0; i < 3000; ++i) {
      const std::string source = "corpus/part-" + std::to_string(i % 17) + ".jsonl:" + std::to_string(i);
      int owners = 0;
      for (uint32_t k = 1; k <= n; ++k) {
        if (io::Shard{k, n}.Contains(source)) {
          ++owners;
          ++sizes[k - 1];
        }
      }
      EXPECT_EQ(owners, 1) << source;
    }
    // Balanced within a few standard deviations.
    for (size_t size : sizes) EXPECT_NEAR(static_cast<double>(size), 3000.0 / n, 150.0) << n;
  }
}

TEST(ShardTest, ThePartitionIsPinned) {
  // Shard K of N holds a source when the first 8 bytes of its SHA-256, big-endian,
  // are K-1 modulo N (SHA-256("corpus/a.jwt:1") starts 8cd9a674bcf084f7: 3
  // modulo 4, shard 4). Fixed for good: machines running different credsweep
  // versions must agree on who verifies what. Computed apart with Python's hashlib.
  std::string assignment;
  for (const char* source : {"corpus/a.jwt:1", "corpus/b.jwt:1", "corpus/c.jwt:1", "corpus/d.jwt:1",
                             "corpus/e.jwt:1", "corpus/forged.jwt:1", "wallet/x.json#2"}) {
    for (uint32_t k = 1; k <= 4; ++k) {
      if (io::Shard{k, 4}.Contains(source)) assignment += std::to_string(k);
    }
  }
  EXPECT_EQ(assignment, "4111422");
}

class ShardedSweepTest : public SweepTest {
 public:
  using SweepTest::Credsweep;
  using SweepTest::Lines;
};

TEST(SweepOutcomeCoding, KeepsTheRecordPositionAndReadsRunsStoredWithout) {
  io::SweepOutcome o;
  o.id = "urn:test:a";
  o.set_key(o.id);
  o.source = "corpus/a.jwt:1";
  o.valid_until = -86400;
  o.position = 1ull << 40;
  std::string stored;
  io::EncodeSweepOutcome(o, &stored);
  std::string_view in = stored;
  io::SweepOutcome back;
  ASSERT_TRUE(io::DecodeSweepOutcome(&in, &back));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(back.position, o.position);
  EXPECT_EQ(back.valid_until, o.valid_until);
  // Written before positions were kept: flag bit 2 clear, nothing after valid_until.
  o.position = 0;
  std::string old;
  io::EncodeSweepOutcome(o, &old);
  ASSERT_EQ(old.back(), '\0');  // the varint of position 0
  old.pop_back();
  old[0] = static_cast<char>(old[0] & ~4);
  in = old;
  back.position = 7;
  ASSERT_TRUE(io::DecodeSweepOutcome(&in, &back));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(back.position, 0u);
  // Cut short inside the position: damaged.
  std::string cut = stored.substr(0, stored.size() - 1);
  in = cut;
  EXPECT_FALSE(io::DecodeSweepOutcome(&in, &back));
}

TEST(SweepOutcomeCoding, AKeyEqualToTheIdAndASourcePrefixSharedWithThePreviousAreStoredOnce) {
  io::SweepOutcome a, b, c;
  a.id = "urn:test:a";
  a.set_key(a.id);
  a.source = "corpus/part-00001.jsonl:9";
  b.id = "urn:test:a";  // repeated: keyed by source
  b.set_key("source:corpus/part-00001.jsonl:10");
  b.source = "corpus/part-00001.jsonl:10";
  c.id = "urn:test:c";
  c.set_key(c.id);
  c.source = "other/c.jwt";  // nothing shared
  std::string whole, chunk;
  for (const io::SweepOutcome* o : {&a, &b, &c}) io::EncodeSweepOutcome(*o, &whole);
  io::EncodeSweepOutcome(a, &chunk);
  io::EncodeSweepOutcome(b, &chunk, &a.source);
  io::EncodeSweepOutcome(c, &chunk, &b.source);
  EXPECT_LT(chunk.size() + 20, whole.size()) << "the shared prefix is stored once";
  std::string_view in = chunk;
  io::SweepOutcome back[3];
  ASSERT_TRUE(io::DecodeSweepOutcome(&in, &back[0]));
  ASSERT_TRUE(io::DecodeSweepOutcome(&in, &back[1], &back[0].source));
  ASSERT_TRUE(io::DecodeSweepOutcome(&in, &back[2], &back[1].source));
  EXPECT_TRUE(in.empty());
  const io::SweepOutcome* want[] = {&a, &b, &c};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(back[i].key(), want[i]->key()) << i;
    EXPECT_EQ(back[i].id, want[i]->id) << i;
    EXPECT_EQ(back[i].source, want[i]->source) << i;
  }
  // A shared prefix without the previous source, or longer than it: damaged.
  std::string second = chunk;
  in = second;
  io::SweepOutcome skip;
  ASSERT_TRUE(io::DecodeSweepOutcome(&in, &skip));
  std::string_view rest = in;
  EXPECT_FALSE(io::DecodeSweepOutcome(&rest, &skip)) << "no previous source";
  const io::SweepSource short_source("co");
  rest = in;
  EXPECT_FALSE(io::DecodeSweepOutcome(&rest, &skip, &short_source)) << "shares more than the previous has";
  // An unknown flag: damaged.
  std::string flagged = chunk;
  flagged[0] = static_cast<char>(flagged[0] | 64);
  in = flagged;
  EXPECT_FALSE(io::DecodeSweepOutcome(&in, &skip));
}

// The result lines of `verify` of the corpus with `extra`, one per line.
std::multiset<std::string> ResultLines(ShardedSweepTest& t, const std::string& extra, int expect_code_max = 1) {
  CliRun r = t.Credsweep("verify corpus --jwks https://i.example=i.jwks.json --jwks https://j.example=j.jwks.json "
                         "--at 2026-06-15T00:00:00Z -q --format jsonl " + extra);
  EXPECT_LE(r.code, expect_code_max) << r.err;
  std::multiset<std::string> out;
  for (auto& line : ShardedSweepTest::Lines(r.out)) out.insert(line);
  return out;
}

TEST_F(ShardedSweepTest, VerifyShardsTogetherGiveTheWholeRun) {
  const std::multiset<std::string> whole = ResultLines(*this, "");
  ASSERT_EQ(whole.size(), 5u);
  std::multiset<std::string> joined;
  size_t other_parts = 0;
  for (int k = 1; k <= 3; ++k) {
    const std::string summary = "summary" + std::to_string(k) + ".json";
    for (auto& line : ResultLines(*this, "--shard " + std::to_string(k) + "/3 --summary " + summary)) {
      joined.insert(line);
    }
    simdjson::dom::parser parser;
    simdjson::dom::element s = parser.load(Path(summary));
    EXPECT_EQ(std::string(s["shard"]["part"].get_string().value()), std::to_string(k) + "/3");
    const uint64_t records = s["records"].get_uint64().value();
    EXPECT_EQ(records + s["shard"]["records_in_other_parts"].get_uint64().value(), 5u);
    other_parts += records;
  }
  EXPECT_EQ(other_parts, 5u);
  EXPECT_EQ(joined, whole);
}

TEST_F(ShardedSweepTest, AShardNoRecordFallsIntoIsNotAnEmptyCorpus) {
  // With more shards than records, some shard holds none: that is success (or
  // the forgery's 1), never "no credentials found".
  bool saw_empty = false;
  for (int k = 1; k <= 16; ++k) {
    CliRun r = Credsweep("verify corpus --jwks https://i.example=i.jwks.json --at 2026-06-15T00:00:00Z -q "
                         "--format jsonl --shard " + std::to_string(k) + "/16");
    EXPECT_NE(r.code, 2) << r.err;
    if (r.out.empty()) {
      saw_empty = true;
      EXPECT_EQ(r.code, 0);
    }
  }
  EXPECT_TRUE(saw_empty);
}

TEST_F(ShardedSweepTest, ABadShardIsAUsageError) {
  for (const char* bad : {"0/3", "4/3", "x", "1/0"}) {
    CliRun v = Credsweep(std::string("verify corpus --shard ") + bad);
    EXPECT_EQ(v.code, 2) << bad;
    EXPECT_TRUE(Contains(v.err, "--shard")) << v.err;
    CliRun s = Sweep(kNight1, std::string("--shard ") + bad);
    EXPECT_EQ(s.code, 2) << bad;
    EXPECT_TRUE(Contains(s.err, "--shard")) << s.err;
  }
  CliRun now = Credsweep("sweep corpus --db index --jwks https://i.example=i.jwks.json -q --shard 1/2");
  EXPECT_EQ(now.code, 2);
  EXPECT_TRUE(Contains(now.err, "--shard needs --at")) << now.err;
  EXPECT_EQ(Lines(Credsweep("sweep history --db index").out).size(), 1u) << "nothing stored";
}

TEST_F(ShardedSweepTest, EachShardIsComparedWithItsOwnPreviousRunAndTheDiffsAddUp) {
  // Night 1: the whole corpus (run 1), then shard 1/2 (run 2) and 2/2 (run 3).
  ASSERT_EQ(Sweep(kNight1, "--report whole1").code, 1);
  ASSERT_LE(Sweep(kNight1, "--shard 1/2 --report s1n1").code, 1);
  ASSERT_LE(Sweep(kNight1, "--shard 2/2 --report s2n1").code, 1);
  ChangeCorpus();
  ASSERT_EQ(Sweep(kNight2, "--report whole2").code, 1);
  ASSERT_LE(Sweep(kNight2, "--shard 1/2 --report s1n2").code, 1);
  ASSERT_LE(Sweep(kNight2, "--shard 2/2 --report s2n2").code, 1);

  simdjson::dom::parser parser;
  auto previous = [&](const std::string& dir) {
    return parser.load(Path(dir + "/summary.json"))["previous_run"].get_uint64().value();
  };
  EXPECT_EQ(previous("whole2"), 1u);
  EXPECT_EQ(previous("s1n2"), 2u);
  EXPECT_EQ(previous("s2n2"), 3u);
  EXPECT_EQ(std::string(parser.load(Path("s2n2/summary.json"))["shard"].get_string().value()), "2/2");
  EXPECT_TRUE(parser.load(Path("whole2/summary.json"))["shard"].is_null());

  for (const char* night : {"1", "2"}) {
    auto whole = DiffChanges(std::string("whole") + night);
    auto joined = DiffChanges(std::string("s1n") + night);
    for (auto& [key, changes] : DiffChanges(std::string("s2n") + night)) {
      EXPECT_TRUE(joined.emplace(key, changes).second) << key << " in both shards";
    }
    EXPECT_EQ(joined, whole) << "night " << night;
  }
  // The trend of a shard's report shows that shard's runs alone.
  const std::string html = ReadFile(Path("s1n2/report.html"));
  EXPECT_TRUE(Contains(html, "data-run=\"2\""));
  EXPECT_TRUE(Contains(html, "data-run=\"5\""));
  EXPECT_FALSE(Contains(html, "data-run=\"1\""));
  EXPECT_FALSE(Contains(html, "data-run=\"3\""));
}

TEST_F(ShardedSweepTest, KeepRunsKeepsTheNewestRunsOfEachShard) {
  ASSERT_EQ(Sweep(kNight1).code, 1);
  ASSERT_LE(Sweep(kNight1, "--shard 1/2").code, 1);
  ASSERT_LE(Sweep(kNight1, "--shard 2/2").code, 1);
  ASSERT_LE(Sweep(kNight1, "--shard 2/2 --keep-runs 1").code, 1);
  std::vector<std::string> lines = Lines(Credsweep("sweep history --db index").out);
  ASSERT_EQ(lines.size(), 4u) << "runs 1, 2 and 4 stay";
  EXPECT_TRUE(lines[1].starts_with("1 ")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("2 ")) << lines[2];
  EXPECT_TRUE(lines[3].starts_with("4 ")) << lines[3];
}

TEST_F(ShardedSweepTest, MergedPartsGiveTheSingleMachineDiffFailuresAndSummary) {
  ASSERT_EQ(Credsweep("init --db merged").code, 0);
  // The same credential twice: one run keys the first record by its id and the
  // second by its source, whichever parts they fall into.
  Write("corpus/a2.jwt", ReadFile(Path("corpus/a.jwt")));
  Write("corpus/a3.jwt", ReadFile(Path("corpus/a.jwt")));
  const std::string merge = "sweep merge --db merged --from index -q --report ";
  for (const char* night : {kNight1, kNight2}) {
    const std::string n = night == kNight1 ? "1" : "2";
    if (n == "2") ChangeCorpus();
    const int whole_code = Sweep(night, "--report whole" + n).code;
    ASSERT_EQ(whole_code, 1);
    for (int k = 1; k <= 3; ++k) ASSERT_LE(Sweep(night, "--shard " + std::to_string(k) + "/3").code, 1);
    CliRun m = Credsweep(merge + "merged" + n);
    ASSERT_EQ(m.code, whole_code) << m.err;
    if (n == "1") {
      const std::string diff = ReadFile(Path("whole1/diff.jsonl"));
      EXPECT_TRUE(Contains(diff, "\"key\":\"urn:test:a\"")) << diff;
      EXPECT_TRUE(Contains(diff, "\"key\":\"source:corpus/a3.jwt:1\"")) << diff;
    }
    for (const char* f : {"diff.jsonl", "failures.csv"}) {
      const std::string expected = ReadFile(Path("whole" + n + "/" + f));
      EXPECT_FALSE(expected.empty());
      EXPECT_EQ(ReadFile(Path("merged" + n + "/" + f)), expected) << "night " << n << " " << f;
    }
    EXPECT_EQ(SummaryWithoutRunIdentity(Path("merged" + n + "/summary.json")),
              SummaryWithoutRunIdentity(Path("whole" + n + "/summary.json")));
    EXPECT_TRUE(Contains(ReadFile(Path("merged" + n + "/report.html")), "data-run=\"" + n + "\""));
  }
  simdjson::dom::parser parser;
  simdjson::dom::element s = parser.load(Path("merged2/summary.json"));
  EXPECT_EQ(s["previous_run"].get_uint64().value(), 1u) << "the merged night 1";
  EXPECT_TRUE(s["shard"].is_null());
}

TEST_F(ShardedSweepTest, MergeRefusesMissingOrMismatchedParts) {
  ASSERT_EQ(Credsweep("init --db merged").code, 0);
  CliRun none = Credsweep("sweep merge --db merged --from index");
  EXPECT_EQ(none.code, 2);
  EXPECT_TRUE(Contains(none.err, "no sharded sweep run")) << none.err;

  ASSERT_LE(Sweep(kNight1, "--shard 1/3").code, 1);
  ASSERT_LE(Sweep(kNight1, "--shard 3/3").code, 1);
  CliRun missing = Credsweep("sweep merge --db merged --from index");
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(Contains(missing.err, "no stored run of part(s) 2/3")) << missing.err;

  // Part 2 verified at another time: not a part of the same sweep (the newest
  // sharded run, part 2, names the time; parts 1 and 3 have runs of another).
  ASSERT_LE(Sweep(kNight2, "--shard 2/3").code, 1);
  CliRun elsewhen = Credsweep("sweep merge --db merged --from index");
  EXPECT_EQ(elsewhen.code, 2);
  EXPECT_TRUE(Contains(elsewhen.err, "no stored run of part(s) 1/3 (its newest run, 1, is at 2026-06-15T00:00:00Z), "
                                     "3/3 (its newest run, 2, is at 2026-06-15T00:00:00Z) at 2026-08-01T00:00:00Z"))
      << elsewhen.err;

  // Part 2 at the right time but under other options.
  ASSERT_LE(Sweep(kNight1, "--shard 2/3 --expiring-within 7").code, 1);
  CliRun options = Credsweep("sweep merge --db merged --from index");
  EXPECT_EQ(options.code, 2);
  EXPECT_TRUE(Contains(options.err, "other options than part 1: expiring_within_days (30 vs 7)")) << options.err;
  EXPECT_EQ(Lines(Credsweep("sweep history --db merged").out).size(), 1u) << "nothing stored";

  // Made again as it should have been, the parts merge.
  ASSERT_LE(Sweep(kNight1, "--shard 2/3").code, 1);
  CliRun ok = Credsweep("sweep merge --db merged --from index -q");
  EXPECT_EQ(ok.code, 1) << ok.err;
  EXPECT_EQ(Lines(Credsweep("sweep history --db merged").out).size(), 2u);

  // Merged once, the same parts are not a second run of that night.
  CliRun again = Credsweep("sweep merge --db merged --from index -q");
  EXPECT_EQ(again.code, 2);
  EXPECT_TRUE(Contains(again.err, "are not newer than run 1 (at 2026-06-15T00:00:00Z), the last whole run in merged: "
                                  "they were merged already")) << again.err;
  EXPECT_EQ(Lines(Credsweep("sweep history --db merged").out).size(), 2u);
}

TEST_F(ShardedSweepTest, PartsOnTheirOwnIndexesReadRevocationFromTheStatusDb) {
  // Each part stores its runs in an index of its own (as on machines of their
  // own); the registrar's index, where b is revoked and a suspended on night 2,
  // is read through --status-db.
  auto part = [&](const char* night, int k, const std::string& extra) {
    return Credsweep("sweep corpus --db part" + std::to_string(k) +
                     " --jwks https://i.example=i.jwks.json --jwks https://j.example=j.jwks.json -q --at " + night +
                     " --shard " + std::to_string(k) + "/2 " + extra);
  };
  for (const char* dir : {"part1", "part2", "merged"}) ASSERT_EQ(Credsweep(std::string("init --db ") + dir).code, 0);
  ChangeCorpus();
  ASSERT_EQ(Sweep(kNight2, "--report whole").code, 1);
  for (int k = 1; k <= 2; ++k) ASSERT_LE(part(kNight2, k, "--status-db index").code, 1);
  CliRun m = Credsweep("sweep merge --db merged --from part1 --from part2 -q --report merged-report");
  ASSERT_EQ(m.code, 1) << m.err;
  EXPECT_EQ(ReadFile(Path("merged-report/failures.csv")), ReadFile(Path("whole/failures.csv")));
  EXPECT_TRUE(Contains(ReadFile(Path("merged-report/failures.csv")), "urn:test:b,corpus/b.jwt:1,https://i.example,"
                                                                      "revocation,revoked"));
  // Without it a part has no revocation to consult: b passes there.
  ASSERT_EQ(Credsweep("init --db alone").code, 0);
  for (int k = 1; k <= 2; ++k) {
    CliRun r = Credsweep("sweep corpus --db alone --jwks https://i.example=i.jwks.json --jwks "
                         "https://j.example=j.jwks.json -q --at " + std::string(kNight2) + " --shard " +
                         std::to_string(k) + "/2 --report alone" + std::to_string(k));
    ASSERT_LE(r.code, 1) << r.err;
    EXPECT_FALSE(Contains(ReadFile(Path("alone" + std::to_string(k) + "/failures.csv")), "revoked"));
  }
  // The status index is only read: the registrar may hold it meanwhile, and a
  // missing one is an error, not an empty index.
  CliRun missing = part(kNight2, 1, "--status-db nowhere");
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(Contains(missing.err, "--status-db")) << missing.err;
}

TEST_F(ShardedSweepTest, PartsStoredInTheMergeIndexAndEmptyPartsMerge) {
  // 16 parts of 5 records: most are empty, stored as runs of 0 records.
  for (int k = 1; k <= 16; ++k) {
    CliRun r = Sweep(kNight1, "--shard " + std::to_string(k) + "/16 --metrics-file m" + std::to_string(k) + ".prom");
    ASSERT_LE(r.code, 1) << r.err;
  }
  EXPECT_TRUE(Contains(ReadFile(Path("m3.prom")), "credsweep_sweep_records{shard=\"3/16\"} "));
  EXPECT_TRUE(Contains(ReadFile(Path("m3.prom")), "credsweep_sweep_check_outcomes{shard=\"3/16\",check=\"seal\","));
  CliRun m = Credsweep("sweep merge --db index --from index --report merged --metrics-file merged.prom");
  ASSERT_EQ(m.code, 1) << m.err;
  EXPECT_TRUE(Contains(m.err, "(merged from 16 parts): 5 records, 4 verified")) << m.err;
  EXPECT_TRUE(Contains(ReadFile(Path("merged.prom")), "credsweep_sweep_records 5\n"));
  const std::vector<std::string> history = Lines(Credsweep("sweep history --db index").out);
  ASSERT_EQ(history.size(), 18u);
  EXPECT_TRUE(Contains(history[0], " SHARD ")) << history[0];
  EXPECT_TRUE(Contains(history[3], " 3/16 ")) << history[3];
  EXPECT_TRUE(Contains(history[17], " - ")) << history[17];
}

}  // namespace
}  // namespace credsweep::testing
