// A small corpus for the `credsweep sweep` tests, and the changes made to it
// between two nights:
//
//   corpus/a.jwt       urn:test:a       by i, valid until 2030       night 2: suspended (night 3: reinstated)
//   corpus/b.jwt       urn:test:b       by i, valid until 2030       night 2: revoked in the index
//   corpus/c.jwt       urn:test:c       by i, valid until 2026-07-01 night 1 (2026-06-15): expiring; night 2: expired
//   corpus/d.jwt       urn:test:d       by i, no end                 night 2: the file is removed
//   corpus/forged.jwt  urn:test:forged  by j, signature altered      fails every night (the background)
//   corpus/e.jwt       urn:test:e       by i, valid until 2030       night 2: added
//
// Night 1 sweeps at 2026-06-15, night 2 at 2026-08-01.
#ifndef CREDSWEEP_TESTS_IO_CLI_SWEEP_FIXTURE_H_
#define CREDSWEEP_TESTS_IO_CLI_SWEEP_FIXTURE_H_

#include <simdjson.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/io/cli/report_fixture.h"

namespace credsweep::testing {

inline constexpr const char* kNight1 = "2026-06-15T00:00:00Z";
inline constexpr const char* kNight2 = "2026-08-01T00:00:00Z";

// summary.json without what tells two runs apart (their numbers and times).
inline std::string SummaryWithoutRunIdentity(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::object o = parser.load(path).get_object().value();
  std::string out;
  for (auto [key, value] : o) {
    if (key == "sweep_run" || key == "previous_run" || key == "started" || key == "finished") continue;
    out += std::string(key) + "=" + simdjson::minify(value) + "\n";
  }
  return out;
}

class SweepTest : public ReportTest {
 protected:
  void SetUp() override {
    ReportTest::SetUp();
    AddCredential("a", "2030-01-01T00:00:00Z");
    AddCredential("b", "2030-01-01T00:00:00Z");
    AddCredential("c", "2026-07-01T00:00:00Z");
    AddCredential("d", "");
    std::string forged = Sign(*j_key_, Credential("urn:test:forged", "https://j.example", "Mallory", "Forged", ""));
    forged[forged.size() - 5] = forged[forged.size() - 5] == 'A' ? 'B' : 'A';
    Write("corpus/forged.jwt", forged + "\n");
    CliRun init = Credsweep("init --db index");
    ASSERT_EQ(init.code, 0) << init.err;
  }

  void AddCredential(const std::string& name, const std::string& valid_until) {
    Write("corpus/" + name + ".jwt",
          Sign(*i_key_, Credential("urn:test:" + name, "https://i.example", "Learner " + name, "Course " + name,
                                   valid_until)) +
              "\n");
  }

  // `credsweep sweep corpus` with both issuers' keys, into the index, at `at`.
  CliRun Sweep(const std::string& at, const std::string& extra = "") {
    return Credsweep("sweep corpus --db index --jwks https://i.example=i.jwks.json --jwks https://j.example=j.jwks.json "
                     "--at " + at + " -q " + extra);
  }

  // What happens between night 1 and night 2.
  void ChangeCorpus() {
    CliRun r = Credsweep("revoke urn:test:b --register --reason withdrawn --db index");
    ASSERT_EQ(r.code, 0) << r.err;
    r = Credsweep("suspend urn:test:a --register --reason review --db index");
    ASSERT_EQ(r.code, 0) << r.err;
    std::filesystem::remove(Path("corpus/d.jwt"));
    AddCredential("e", "2030-01-01T00:00:00Z");
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) lines.push_back(line);
    }
    return lines;
  }

  // diff.jsonl of `dir` by key: each line's "changes" joined by spaces.
  std::map<std::string, std::string> DiffChanges(const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& line : Lines(ReadFile(Path(dir + "/diff.jsonl")))) {
      simdjson::dom::parser parser;
      simdjson::dom::element e = parser.parse(line);
      std::string changes;
      for (auto c : e["changes"].get_array()) changes += (changes.empty() ? "" : " ") + std::string(c.get_string().value());
      out[std::string(e["key"].get_string().value())] = changes;
    }
    return out;
  }
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_CLI_SWEEP_FIXTURE_H_
