// SweepOutcome's issuers and codes, kept once for the process by number: set on
// two threads at once and read on a third while the first two still add new
// strings, handed over as the sweep hands outcomes over (through a lock), past
// the first chunk of numbers; each reads back as given (the TSan job runs this
// suite).
#include "io/sweep/sweep_outcome.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace credsweep::io {
namespace {

constexpr size_t kPerThread = 50000, kThreads = 2;
// Half the issuers are shared by both threads, half each one's own, plus two codes:
// more distinct strings than one chunk of numbers holds (2^16).
static_assert(kPerThread / 2 + kThreads * (kPerThread / 2) + 2 > (size_t{1} << 16));

std::string IssuerOf(size_t t, size_t i) {
  return "https://issuer-" + std::to_string(i % 2 == 0 ? i : kPerThread * (t + 1) + i) + ".example";
}

TEST(SweepOutcomeInterning, IssuersAndCodesReadBackOnEveryThread) {
  std::vector<std::vector<SweepOutcome>> made(kThreads, std::vector<SweepOutcome>(kPerThread));
  std::mutex mu;
  std::condition_variable ready;
  std::deque<std::pair<size_t, size_t>> handed;  // (thread, index) of outcomes made
  size_t finished = 0;
  std::vector<std::thread> writers;
  for (size_t t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (size_t i = 0; i < kPerThread; ++i) {
        SweepOutcome& o = made[t][i];
        o.set_issuer(IssuerOf(t, i));
        o.set_code(CheckId::kSeal, "ok");
        o.set_code(CheckId::kRevocation, i % 3 == 0 ? "revoked" : "ok");
        o.set_code(CheckId::kValidity, "");
        std::lock_guard lock(mu);
        handed.emplace_back(t, i);
        ready.notify_one();
      }
      std::lock_guard lock(mu);
      ++finished;
      ready.notify_one();
    });
  }
  // Reads each outcome as soon as it is handed over, while the writers go on.
  size_t read = 0;
  std::thread reader([&] {
    for (;;) {
      std::pair<size_t, size_t> next;
      {
        std::unique_lock lock(mu);
        ready.wait(lock, [&] { return !handed.empty() || finished == kThreads; });
        if (handed.empty()) return;
        next = handed.front();
        handed.pop_front();
      }
      const auto [t, i] = next;
      const SweepOutcome& o = made[t][i];
      ASSERT_EQ(o.issuer(), IssuerOf(t, i)) << t << " " << i;
      ASSERT_EQ(o.code(CheckId::kSeal), "ok");
      ASSERT_EQ(o.code(CheckId::kRevocation), i % 3 == 0 ? "revoked" : "ok");
      ASSERT_EQ(o.code(CheckId::kValidity), "");
      ASSERT_EQ(o.code(CheckId::kFormat), "");  // never set
      ++read;
    }
  });
  for (auto& w : writers) w.join();
  reader.join();
  EXPECT_EQ(read, kThreads * kPerThread);
  // A copy reads the same strings: the numbers name one copy for the process.
  SweepOutcome copy = made[1][7];
  EXPECT_EQ(copy.issuer().data(), made[1][7].issuer().data());
  EXPECT_EQ(made[0][0].issuer().data(), made[1][0].issuer().data());
  EXPECT_EQ(made[1][kPerThread - 1].issuer(), IssuerOf(1, kPerThread - 1));
}

// A source is kept as its folder's number and the rest: every form a record
// reader gives (a line, an item, a whole file, stdin, a request) reads back as
// given, inline or on the heap, through copies and moves.
TEST(SweepSourceTest, EveryFormReadsBackAsGivenThroughCopiesAndMoves) {
  const std::string long_name(SweepSource::kInlineBytes + 9, 'n');
  const std::vector<std::string> given = {
      "", "-", "request", "/srv/corpus/2026/part-00001.jsonl:12", "corpus/wallet/ana.jwt:1#2",
      "relative.jsonl:3", "/srv/corpus/" + long_name + ".jsonl:7", long_name, "/", "dir/",
      std::string(SweepSource::kInlineBytes, 'x'), std::string(SweepSource::kInlineBytes + 1, 'y')};
  for (const std::string& s : given) {
    SCOPED_TRACE(s);
    SweepSource source(s);
    EXPECT_EQ(source.str(), s);
    EXPECT_EQ(source.size(), s.size());
    EXPECT_EQ(source.empty(), s.empty());
    EXPECT_EQ(source.folder(), s.substr(0, s.rfind('/') + 1));  // npos + 1 == 0: no folder
    SweepSource copy = source;
    EXPECT_EQ(copy, source);
    EXPECT_EQ(copy.str(), s);
    SweepSource moved = std::move(copy);
    EXPECT_EQ(moved.str(), s);
    SweepSource assigned("elsewhere/" + long_name);  // heap, then replaced
    assigned = moved;
    EXPECT_EQ(assigned.str(), s);
    assigned = std::move(moved);
    EXPECT_EQ(assigned.str(), s);
    const SweepSource& self = assigned;
    assigned = self;  // self-assignment keeps it
    EXPECT_EQ(assigned.str(), s);
  }
  // Assigned a view of its own bytes (inline and on the heap): copied before they go.
  for (const std::string& s : {std::string("d/short.jwt"), "d/" + long_name}) {
    SweepSource source(s);
    source = source.rest();
    EXPECT_EQ(source.str(), s.substr(2));
    SweepSource whole(s);
    const std::string copy = whole.str();
    whole = std::string_view(copy).substr(2);
    EXPECT_EQ(whole.str(), s.substr(2));
  }
  // Equal parts, equal sources: the same folder has the same number.
  EXPECT_EQ(SweepSource("a/b/c.jwt"), SweepSource(std::string("a/b/") + "c.jwt"));
  EXPECT_FALSE(SweepSource("a/b/c.jwt") == SweepSource("a/bc.jwt"));
  EXPECT_FALSE(SweepSource("a/" + long_name) == SweepSource("a/" + long_name + "x"));
  // A vector of them grows without losing one (moves on reallocation).
  std::vector<SweepSource> many;
  for (int i = 0; i < 1000; ++i) many.emplace_back("f/" + std::to_string(i) + (i % 2 ? long_name : ""));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(many[i].str(), "f/" + std::to_string(i) + (i % 2 ? long_name : ""));
}

// An id is kept inline up to kInlineBytes and on the heap beyond: each reads back
// as given through copies, moves and assignments, including from a view of itself.
TEST(SweepIdTest, InlineAndHeapIdsReadBackThroughCopiesAndMoves) {
  const std::string uuid = "urn:uuid:e220a839-7b1d-4daf-a706-dd2f4d197e6f";  // the common form: inline
  static_assert(sizeof(SweepId) == 48);
  ASSERT_LE(uuid.size(), SweepId::kInlineBytes);
  const std::string at_limit(SweepId::kInlineBytes, 'x'), over(SweepId::kInlineBytes + 1, 'y');
  const std::string long_id = "https://credentials.example/" + std::string(300, 'z');
  for (const std::string& s : {std::string(), std::string("a"), uuid, at_limit, over, long_id,
                               std::string("nul\0inside", 10)}) {
    SCOPED_TRACE(s);
    SweepId id(s);
    EXPECT_EQ(id.view(), s);
    EXPECT_EQ(id.str(), s);
    EXPECT_EQ(id.empty(), s.empty());
    EXPECT_TRUE(id == s);
    SweepId copy = id;
    EXPECT_EQ(copy, id);
    SweepId moved = std::move(copy);
    EXPECT_EQ(moved.view(), s);
    EXPECT_TRUE(copy.empty());  // NOLINT: a moved-from id is empty
    SweepId assigned(long_id + "-other");  // heap, then replaced
    assigned = moved;
    EXPECT_EQ(assigned.view(), s);
    assigned = std::move(moved);
    EXPECT_EQ(assigned.view(), s);
    const SweepId& self = assigned;
    assigned = self;
    EXPECT_EQ(assigned.view(), s);
    assigned = std::move(assigned);  // NOLINT: self-move keeps it
    EXPECT_EQ(assigned.view(), s);
    // Assigned a view of its own bytes: copied before they go.
    assigned = assigned.view().substr(s.empty() ? 0 : 1);
    EXPECT_EQ(assigned.view(), s.substr(s.empty() ? 0 : 1));
    SweepId from_string;
    from_string = s;
    EXPECT_EQ(from_string.view(), s);
  }
  EXPECT_FALSE(SweepId(uuid) == uuid + "0");
  EXPECT_FALSE(SweepId(over) == at_limit);
  // A vector of them grows without losing one (moves on reallocation).
  std::vector<SweepOutcome> many(1);
  for (int i = 0; i < 1000; ++i) many.emplace_back().id = (i % 2 ? long_id : uuid) + std::to_string(i);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(many[i + 1].id.view(), (i % 2 ? long_id : uuid) + std::to_string(i));
}

// Ids at, over and far over the inline limit go through the stored form whole,
// keyed by themselves or not; an id prints as a quoted string in test messages.
TEST(SweepIdTest, IdsOfEverySizeRoundTripThroughTheStoredForm) {
  EXPECT_EQ(::testing::PrintToString(SweepId("urn:x")), "\"urn:x\"");
  std::vector<SweepOutcome> outcomes;
  for (size_t size : {size_t{0}, size_t{1}, SweepId::kInlineBytes, SweepId::kInlineBytes + 1, size_t{300}}) {
    for (bool keyed_by_id : {true, false}) {
      SweepOutcome& o = outcomes.emplace_back();
      o.id = std::string(size, static_cast<char>('a' + size % 26));
      o.source = "c/x.jsonl:" + std::to_string(outcomes.size());
      o.set_key(keyed_by_id ? o.id.str() : SweepKeys::SourceKey(o.source));
      o.position = outcomes.size();
    }
  }
  std::string chunk;
  for (size_t i = 0; i < outcomes.size(); ++i) EncodeSweepOutcome(outcomes[i], &chunk, i ? &outcomes[i - 1].source : nullptr);
  std::string_view in = chunk;
  SweepOutcome previous;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    SweepOutcome back;
    ASSERT_TRUE(DecodeSweepOutcome(&in, &back, i ? &previous.source : nullptr)) << i;
    EXPECT_EQ(back.id, outcomes[i].id) << i;
    EXPECT_EQ(back.key(), outcomes[i].key()) << i;
    EXPECT_EQ(back.source, outcomes[i].source) << i;
    previous = std::move(back);
  }
  EXPECT_TRUE(in.empty());
}

// The stored form is the one earlier builds wrote and read (docs/sweep.md):
// written out byte by byte for two outcomes of one chunk, the second sharing
// "c/x.jsonl:" with the first.
TEST(SweepSourceTest, TheStoredFormIsUnchanged) {
  SweepOutcome a, b;
  a.id = "urn:a";
  a.set_key(a.id);
  a.source = "c/x.jsonl:9";
  a.position = 3;
  b.id = "urn:b";
  b.set_key("source:c/x.jsonl:10");
  b.source = "c/x.jsonl:10";
  b.set_issuer("i");
  b.verified = true;
  b.outcomes[1] = Outcome::kFail;
  b.set_code(CheckId::kSeal, "bad");
  b.valid_until = -1;
  b.position = 4;
  std::string chunk;
  EncodeSweepOutcome(a, &chunk);
  EncodeSweepOutcome(b, &chunk, &a.source);
  const std::string none("\0\0", 2);  // a check: skipped, no code
  const std::string want = std::string("\x0c\x05urn:a\x0b" "c/x.jsonl:9") + '\0' + none + none + none + none + none +
                           "\x03" +
                           // verified, valid until, position, shared source: 1 | 2 | 4 | 16
                           "\x17\x13source:c/x.jsonl:10\x05urn:b\x0a\x02" "10\x01i" + none + "\x02\x03" "bad" + none +
                           none + none + "\x01\x04";
  EXPECT_EQ(chunk, want);
}

// Sources sharing a prefix across folders (and folders sharing one with a file
// name) are stored as the part after the prefix and read back whole.
TEST(SweepSourceTest, SharedPrefixesAcrossFoldersRoundTrip) {
  const std::string long_name(SweepSource::kInlineBytes + 3, 'q');
  const std::vector<std::string> sources = {
      "corpus/2026/a.jsonl:1", "corpus/2026/a.jsonl:2",  "corpus/2026/b/c.jsonl:1", "corpus/2026/b.jsonl:9",
      "corpus/20261.jwt",      "corpus/" + long_name,    "corpus/" + long_name + "/x.jwt",
      "other.jwt",             "other.jwt",              "-",
      "/abs/corpus/a.jsonl:1"};
  std::vector<SweepOutcome> outcomes(sources.size());
  std::string chunk;
  for (size_t i = 0; i < sources.size(); ++i) {
    outcomes[i].id = "urn:test:" + std::to_string(i);
    outcomes[i].set_key(outcomes[i].id);
    outcomes[i].source = sources[i];
    EncodeSweepOutcome(outcomes[i], &chunk, i > 0 ? &outcomes[i - 1].source : nullptr);
  }
  std::string_view in = chunk;
  std::vector<SweepOutcome> back(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    ASSERT_TRUE(DecodeSweepOutcome(&in, &back[i], i > 0 ? &back[i - 1].source : nullptr)) << i;
    EXPECT_EQ(back[i].source.str(), sources[i]) << i;
    EXPECT_EQ(back[i].source, outcomes[i].source) << i;
  }
  EXPECT_TRUE(in.empty());
}

}  // namespace
}  // namespace credsweep::io
