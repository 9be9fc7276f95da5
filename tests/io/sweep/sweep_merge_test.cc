// MergeShardParts on parts made in memory: the record order put back (a
// presentation's credentials together), and every sign that the parts are not
// the parts of one sweep refused by name.
#include "io/sweep/sweep_merge.h"

#include <gtest/gtest.h>

#include <simdjson.h>

namespace credsweep::io {
namespace {

constexpr const char* kOptions = R"({"inputs":["corpus"],"fail_on":"never","shard":"%","expiring_within_days":30})";

SweepOutcome At(uint64_t position, const std::string& id) {
  SweepOutcome o;
  o.id = id;
  o.source = "corpus/" + id + ":1";
  o.position = position;
  o.verified = true;
  return o;
}

// Part K of N with outcomes at `positions` (ids "pP" or, for a repeated position, "pP.2", ...).
ShardPart Part(uint32_t k, uint32_t n, std::vector<uint64_t> positions, uint64_t records_read) {
  ShardPart p;
  p.run.id = k;
  p.run.shard = std::to_string(k) + "/" + std::to_string(n);
  p.run.at = 1780000000;
  p.run.version = "0.1.0";
  p.run.trust_digest = "ab";
  p.run.records_read = records_read;
  std::string options = kOptions;
  options.replace(options.find('%'), 1, p.run.shard);
  p.run.options_json = options;
  for (size_t i = 0; i < positions.size(); ++i) {
    const bool repeat = i > 0 && positions[i] == positions[i - 1];
    p.outcomes.push_back(At(positions[i], "p" + std::to_string(positions[i]) + (repeat ? ".2" : "")));
    ++p.run.records;
    ++p.run.verified;
  }
  return p;
}

std::string Ids(const std::vector<SweepOutcome>& outcomes) {
  std::string out;
  for (const auto& o : outcomes) out += (out.empty() ? "" : " ") + o.id.str();
  return out;
}

TEST(MergeShardParts, PutsRecordsBackInReadOrderWithAPresentationsCredentialsTogether) {
  // Position 2 is a presentation holding two credentials; position 4 one without any.
  std::vector<ShardPart> parts;
  parts.push_back(Part(2, 2, {1, 3}, 6));
  parts.push_back(Part(1, 2, {0, 2, 2, 5}, 6));
  auto merged = MergeShardParts(std::move(parts), "new-failures");
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(Ids(merged->outcomes), "p0 p1 p2 p2.2 p3 p5");
  EXPECT_EQ(merged->run.records, 6u);
  EXPECT_EQ(merged->run.records_read, 6u);
  // The merge's own --fail-on, and no shard, in the merged run's options.
  EXPECT_EQ(merged->run.fail_on, "new-failures");
  simdjson::dom::parser parser;
  simdjson::dom::element options = parser.parse(merged->run.options_json);
  EXPECT_EQ(std::string(options["fail_on"].get_string().value()), "new-failures");
  EXPECT_EQ(std::string(options["shard"].get_string().value()), "");
  EXPECT_EQ(options["expiring_within_days"].get_int64().value(), 30);
}

TEST(MergeShardParts, ARecordInTwoPartsIsRefused) {
  std::vector<ShardPart> parts;
  parts.push_back(Part(1, 2, {0, 2}, 4));
  parts.push_back(Part(2, 2, {1, 2, 3}, 4));
  auto merged = MergeShardParts(std::move(parts), "never");
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("parts 1/2 and 2/2 both verified the record at position 2"),
            std::string::npos)
      << merged.status().message();
}

TEST(MergeShardParts, ARecordBeyondTheRecordsReadIsRefused) {
  std::vector<ShardPart> parts;
  parts.push_back(Part(1, 2, {0, 9}, 4));
  parts.push_back(Part(2, 2, {1}, 4));
  auto merged = MergeShardParts(std::move(parts), "never");
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("position 9, beyond the 4 records read"), std::string::npos)
      << merged.status().message();
}

TEST(MergeShardParts, PartsOfAnotherCorpusVersionOrOptionsAreRefusedByName) {
  struct Case {
    const char* what;
    std::function<void(SweepRun&)> change;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"more records", [](SweepRun& r) { r.records_read = 5; }, "part 2/2 (run 2) read another corpus than part 1: 5 records"},
      {"a skipped file", [](SweepRun& r) { r.skipped_files.push_back({"corpus/x.pdf", "not a credential file"}); },
       "read another corpus than part 1"},
      {"an older build", [](SweepRun& r) { r.records_read = 0; },
       "part 2/2 (run 2) was stored by a credsweep that did not keep the records' order"},
      {"another version", [](SweepRun& r) { r.version = "0.2.0"; }, "was made by credsweep 0.2.0, part 1/2 by 0.1.0"},
      {"another time", [](SweepRun& r) { r.at += 86400; }, "verified at"},
      {"another trust", [](SweepRun& r) { r.trust_digest = "cd"; }, "had another trust configuration"},
      {"another option",
       [](SweepRun& r) { r.options_json.replace(r.options_json.find("30"), 2, "7"); },
       "other options than part 1: expiring_within_days (30 vs 7)"},
      {"an option only it has",
       [](SweepRun& r) { r.options_json.insert(1, R"("holder_binding":"off",)"); },
       "holder_binding ((none) vs \"off\")"},
  };
  for (const Case& c : cases) {
    std::vector<ShardPart> parts;
    parts.push_back(Part(1, 2, {0}, 2));
    parts.push_back(Part(2, 2, {1}, 2));
    c.change(parts[1].run);
    auto merged = MergeShardParts(std::move(parts), "never");
    ASSERT_FALSE(merged.ok()) << c.what;
    EXPECT_NE(merged.status().message().find(c.expected), std::string::npos) << c.what << ": " << merged.status().message();
  }
  // --fail-on is each part's own.
  std::vector<ShardPart> parts;
  parts.push_back(Part(1, 2, {0}, 2));
  parts.push_back(Part(2, 2, {1}, 2));
  parts[1].run.options_json.replace(parts[1].run.options_json.find("never"), 5, "any-failure");
  EXPECT_TRUE(MergeShardParts(std::move(parts), "never").ok());
}

TEST(MergeShardParts, ASharedWarningOnceAndAPartsOwnOncePerPart) {
  std::vector<ShardPart> parts;
  parts.push_back(Part(1, 3, {0}, 3));
  parts.push_back(Part(2, 3, {1}, 3));
  parts.push_back(Part(3, 3, {2}, 3));
  for (auto& p : parts) p.run.warnings.push_back("--signing-time claimed: ...");
  parts[0].run.warnings.push_back("--nonces gives no nonce for 1 record(s)");
  parts[2].run.warnings.push_back("--nonces gives no nonce for 1 record(s)");
  parts[1].run.warnings.push_back("--nonces gives no nonce for 2 record(s)");
  auto merged = MergeShardParts(std::move(parts), "never");
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->run.warnings,
            (std::vector<std::string>{"--signing-time claimed: ...", "part 1/3: --nonces gives no nonce for 1 record(s)",
                                      "part 2/3: --nonces gives no nonce for 2 record(s)",
                                      "part 3/3: --nonces gives no nonce for 1 record(s)"}));
}

}  // namespace
}  // namespace credsweep::io
