// verify --format jsonl|csv|elm|text|html and --group-by through the real binary:
// what a person looks for in each result, the same credential handed in twice,
// CSV as Python's csv module reads it, ELM nodes with the Europass URIs, an
// aligned table, and an HTML page that shows credential contents as text.
#include <simdjson.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "tests/io/cli/report_fixture.h"
#include "tests/io/serve_process.h"

namespace credsweep::testing {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The character (not byte) offset of `part` in `line`.
size_t CharIndex(const std::string& line, const std::string& part) {
  size_t at = line.find(part);
  if (at == std::string::npos) return std::string::npos;
  return std::count_if(line.begin(), line.begin() + at, [](char c) { return (c & 0xC0) != 0x80; });
}

const std::string kBadge = "applicants/ana/badge.jwt:1", kAnaDegree = "applicants/ana/degree.jwt:1",
                  kBobDegree = "applicants/bob/degree.jwt:1", kForged = "applicants/bob/forged.jwt:1";

class ReportFormats : public ReportTest {};

TEST_F(ReportFormats, JsonlNamesLearnerTitleBodyDatesAndTheDuplicate) {
  CliRun r = Verify("--format jsonl -o -");
  ASSERT_EQ(r.code, 1) << r.err;  // the forged one is not verified
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_TRUE(Contains(lines[1], R"("source":")" + kAnaDegree + R"(","kind":"credential","id":"urn:test:degree","issuer":"https://i.example",)"
                                  R"("verified":true,"subject":"Ana Andromeda","title":"Data stewardship, advanced",)"
                                  R"("awarding_body":"Universiteit Gent","issued":"2025-01-01T00:00:00Z",)"
                                  R"("valid_until":"2030-01-01T00:00:00Z","duplicate_of":null,"checks":{)"))
      << lines[1];
  EXPECT_TRUE(Contains(lines[2], R"("source":")" + kBobDegree + R"(")")) << lines[2];
  EXPECT_TRUE(Contains(lines[2], R"("duplicate_of":")" + kAnaDegree + R"(")")) << lines[2];
  EXPECT_TRUE(Contains(lines[0], R"("valid_until":null,"duplicate_of":null)")) << lines[0];
  EXPECT_TRUE(Contains(lines[3], R"("awarding_body":"Hogeschool J")")) << lines[3];
}

TEST_F(ReportFormats, DuplicatesAreTheSameWhateverTheThreadCount) {
  for (int copy = 0; copy < 40; ++copy) {  // enough records to spread over tasks
    Write("applicants/zed/copy" + std::to_string(100 + copy) + ".jwt",
          ReadFile(Path("applicants/ana/degree.jwt")));
  }
  CliRun one = Verify("--format jsonl -o - -j 1");
  CliRun two = Verify("--format jsonl -o - -j 2");
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(Count(one.out, R"("duplicate_of":")" + kAnaDegree + R"(")"), 41u) << one.out;
  EXPECT_EQ(Count(one.out, R"("duplicate_of":null)"), 3u);
}

TEST_F(ReportFormats, CsvReadsBackWithPythonsCsvModule) {
  CliRun r = Verify("--format csv -o report.csv");
  ASSERT_EQ(r.code, 1) << r.err;
  std::string csv = ReadFile(Path("report.csv"));
  EXPECT_TRUE(Contains(csv, "\r\n")) << "RFC 4180 lines end in CRLF";
  const std::string cmd = "python3 " + std::string(CREDSWEEP_SOURCE_DIR) + "/tests/tools/csv_rows.py " +
                          Path("report.csv") + " >" + Path("rows.json") + " 2>" + Path("rows.err");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFile(Path("rows.err"));
  simdjson::dom::parser parser;
  simdjson::dom::element rows = parser.load(Path("rows.json"));
  std::vector<std::vector<std::string>> table;
  for (simdjson::dom::element row : rows.get_array()) {
    table.emplace_back();
    for (simdjson::dom::element cell : row.get_array()) table.back().emplace_back(std::string_view(cell.get_string()));
  }
  ASSERT_EQ(table.size(), 5u);
  const std::vector<std::string> header{
      "source", "kind", "id", "issuer", "subject", "title", "awarding_body", "issued", "valid_until", "verified",
      "format_result", "format_code", "seal_result", "seal_code", "revocation_result", "revocation_code",
      "accreditation_result", "accreditation_code", "validity_result", "validity_code", "duplicate_of"};
  EXPECT_EQ(table[0], header);
  const std::vector<std::string> degree{kAnaDegree, "credential", "urn:test:degree", "https://i.example", "Ana Andromeda",
                                        "Data stewardship, advanced", "Universiteit Gent", "2025-01-01T00:00:00Z",
                                        "2030-01-01T00:00:00Z", "true", "pass", "ok", "pass", "ok", "skipped",
                                        "not_configured", "skipped", "not_configured", "pass", "ok", ""};
  EXPECT_EQ(table[2], degree);
  EXPECT_EQ(table[3][0], kBobDegree);
  EXPECT_EQ(table[3][20], kAnaDegree);
  EXPECT_EQ(table[1][5], kInjectedTitle);
  EXPECT_EQ(table[4][4], std::string("'") + kFormulaLearner);  // shown, not evaluated
  EXPECT_EQ(table[4][5], "Forged \"diploma\"");
  EXPECT_EQ(table[4][9], "false");
  EXPECT_EQ(table[4][12], "fail");
  EXPECT_EQ(table[4][8], "");  // no validUntil
}

TEST_F(ReportFormats, CsvGroupedByIssuerLeadsWithTheGroup) {
  CliRun r = Verify("--format csv --group-by issuer -o -");
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0].rfind("group,source,kind,id,", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("https://i.example," + kBadge, 0), 0u) << lines[1];
  EXPECT_EQ(lines[3].rfind("https://i.example," + kBobDegree, 0), 0u) << lines[3];
  EXPECT_EQ(lines[4].rfind("https://j.example," + kForged, 0), 0u) << lines[4];
}

TEST_F(ReportFormats, ElmWritesVerificationCheckNodesWithTheEuropassUris) {
  CliRun r = Verify("--format elm -o -");
  ASSERT_EQ(r.code, 1) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u);
  const char* kTypes[] = {"2f5b89b96f", "f9c2016fe9", "271aef9eb4", "e2bbc86a28", "94d828f160"};
  const std::string kOk = "http://data.europa.eu/snb/verification-status/9895008394";
  const std::string kError = "http://data.europa.eu/snb/verification-status/9d26eb9a37";
  const std::string kSkipped = "http://data.europa.eu/snb/verification-status/641f0c5e5d";
  simdjson::dom::parser parser;
  std::vector<std::string> ids;
  for (size_t n = 0; n < lines.size(); ++n) {
    simdjson::dom::element doc = parser.parse(lines[n]);
    EXPECT_EQ(std::string_view(doc["@context"]), "http://data.europa.eu/snb/model/context/edc-ap");
    simdjson::dom::array checks = doc["verificationCheck"];
    ASSERT_EQ(checks.size(), 5u);
    for (size_t i = 0; i < 5; ++i) {
      simdjson::dom::element c = checks.at(i);
      EXPECT_EQ(std::string_view(c["type"]), "VerificationCheck");
      EXPECT_EQ(std::string_view(c["dcType"]["id"]), std::string("http://data.europa.eu/snb/verification/") + kTypes[i]);
      EXPECT_EQ(std::string_view(c["dcType"]["inScheme"]["id"]), "http://data.europa.eu/snb/verification/25831c2");
      EXPECT_EQ(std::string_view(c["verificationStatus"]["inScheme"]["id"]),
                "http://data.europa.eu/snb/verification-status/25831c2");
      EXPECT_EQ(std::string_view(c["subject"]), std::string_view(doc["credential"]));
      std::string id{std::string_view(c["id"])};
      EXPECT_EQ(id.rfind("urn:epass:verificationCheck:", 0), 0u) << id;
      ids.push_back(id);
    }
    std::string_view seal_status = checks.at(1)["verificationStatus"]["id"];
    EXPECT_EQ(seal_status, n == 3 ? kError : kOk) << lines[n];
    EXPECT_EQ(std::string_view(checks.at(0)["verificationStatus"]["id"]), kOk);
    EXPECT_EQ(std::string_view(checks.at(2)["verificationStatus"]["id"]), kSkipped);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "every node has its own id";
  simdjson::dom::element bob = parser.parse(lines[2]);
  EXPECT_EQ(std::string_view(bob["duplicate_of"]), kAnaDegree);
  EXPECT_EQ(Verify("--format elm -o -").out, r.out) << "ids are stable for the same run time";
}

// A JSON-LD processor (jsonld.js, tests/npm/elm-to-nquads.js) reads the ELM output
// back: every member of every check is mapped by the context (safe mode), and the
// check types, statuses and subjects come out as IRIs. The Europass context itself
// cannot be fetched here; tests/testdata/elm/README.md says what stands in for it.
TEST_F(ReportFormats, ElmIsJsonLdThatAProcessorReadsBackToTheEuropassUris) {
  if (Shell("command -v node").empty()) GTEST_SKIP() << "node is not installed (scripts/setup-deps installs it)";
  CliRun r = Verify("--format elm -o elm.jsonl");
  ASSERT_EQ(r.code, 1) << r.err;
  const std::string source = CREDSWEEP_SOURCE_DIR;
  const std::string nquads = Shell("node " + source + "/tests/npm/elm-to-nquads.js " + Path("elm.jsonl") + " " + source +
                                   "/tests/testdata/elm/verification-check-context.jsonld 2>&1; echo \"exit $?\"");
  ASSERT_NE(nquads.find("exit 0"), std::string::npos) << nquads << "(npm packages missing? run scripts/setup-deps)";
  auto has = [&](const std::string& s, const std::string& p, const std::string& o) {
    return nquads.find("<" + s + "> <" + p + "> <" + o + "> .\n") != std::string::npos;
  };
  const std::string kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const std::string kElm = "http://data.europa.eu/snb/model/elm/";
  simdjson::dom::parser parser;
  size_t checks = 0;
  for (const std::string& line : Lines(ReadFile(Path("elm.jsonl")))) {
    simdjson::dom::element doc = parser.parse(line);
    for (simdjson::dom::element c : simdjson::dom::array(doc["verificationCheck"])) {
      const std::string id{std::string_view(c["id"])};
      EXPECT_TRUE(has(id, kRdfType, kElm + "VerificationCheck")) << id << "\n" << nquads;
      EXPECT_TRUE(has(id, "http://purl.org/dc/terms/type", std::string(std::string_view(c["dcType"]["id"])))) << id;
      EXPECT_TRUE(has(id, kElm + "verificationStatus", std::string(std::string_view(c["verificationStatus"]["id"]))))
          << id;
      EXPECT_TRUE(has(id, kElm + "subject", std::string(std::string_view(c["subject"])))) << id;
      ++checks;
    }
  }
  EXPECT_EQ(checks, 20u);
  EXPECT_TRUE(has("http://data.europa.eu/snb/verification/f9c2016fe9", "http://www.w3.org/2004/02/skos/core#inScheme",
                  "http://data.europa.eu/snb/verification/25831c2"));
  EXPECT_NE(nquads.find("<http://data.europa.eu/snb/verification-status/9895008394> "
                        "<http://www.w3.org/2004/02/skos/core#prefLabel> \"OK\"@en ."),
            std::string::npos);
}

TEST_F(ReportFormats, TextIsAnAlignedTable) {
  CliRun r = Verify("--format text -o -");
  ASSERT_EQ(r.code, 1) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0].rfind("SOURCE", 0), 0u) << lines[0];
  const size_t result_at = CharIndex(lines[0], "RESULT"), title_at = CharIndex(lines[0], "TITLE");
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t verdict = CharIndex(lines[i], lines[i].find("NOT VERIFIED") != std::string::npos ? "NOT VERIFIED" : "verified");
    EXPECT_EQ(verdict, result_at) << r.out;
  }
  EXPECT_EQ(CharIndex(lines[2], "Data stewardship"), title_at) << r.out;
  EXPECT_TRUE(Contains(lines[3], "duplicate of " + kAnaDegree)) << lines[3];
  EXPECT_TRUE(Contains(lines[4], "seal: signature_invalid")) << lines[4];
}

TEST_F(ReportFormats, TextGroupedByFolderHasAHeadingPerApplicant) {
  CliRun r = Verify("--format text --group-by folder -o -");
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 9u) << r.out;  // heading, header, 2 rows; blank; heading, header, 2 rows
  EXPECT_EQ(lines[0], "== ana: 2 credentials, 2 verified");
  EXPECT_EQ(lines[5], "== bob: 2 credentials, 1 verified");
  EXPECT_EQ(lines[1].rfind("SOURCE", 0), 0u);
}

TEST_F(ReportFormats, TextIsTheDefaultOnATerminalAndJsonlOtherwise) {
  EXPECT_EQ(Verify("").out.rfind("{\"source\":", 0), 0u);  // stdout is a file here
  // util-linux `script` gives the command a terminal for stdout.
  std::string inner = std::string(CREDSWEEP_BINARY) + " verify applicants --jwks https://i.example=i.jwks.json -q "
                      "--at 2026-06-01T00:00:00Z";
  std::string cmd = "cd " + root_ + " && script -qec '" + inner + "' /dev/null >" + Path("tty.out") + " 2>&1";
  (void)std::system(cmd.c_str());
  std::string tty = ReadFile(Path("tty.out"));
  // The table's header line (a pty may also carry other processes' lines when
  // tests run in parallel, so not necessarily first).
  EXPECT_TRUE(tty.starts_with("SOURCE ") || Contains(tty, "\nSOURCE ")) << tty;
  EXPECT_FALSE(Contains(tty, "{\"source\":")) << tty;
}

TEST_F(ReportFormats, HtmlShowsCredentialContentsAsTextGroupedByApplicant) {
  CliRun r = Verify("--format html -o -");
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(r.out, "<tr class=\"credential "), 4u);
  EXPECT_EQ(Count(r.out, "<section class=\"group\">"), 2u);
  EXPECT_TRUE(Contains(r.out, "<h2>Applicant: ana<span class=\"count\">2 credentials, 2 verified</span></h2>")) << r.out;
  EXPECT_TRUE(Contains(r.out, "&lt;script&gt;document.body.setAttribute(&#39;data-injected&#39;,&#39;1&#39;)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(r.out, "Ana &lt;img src=x onerror=&quot;"));
  EXPECT_EQ(Count(r.out, "<script"), 0u);
  EXPECT_EQ(Count(r.out, "<img"), 0u);
  EXPECT_TRUE(Contains(r.out, "also handed in earlier: " + kAnaDegree));
  EXPECT_EQ(Count(r.out, "data-check=\"seal\""), 4u);
  CliRun flat = Verify("--format html --group-by none -o -");
  EXPECT_EQ(Count(flat.out, "<section class=\"group\">"), 1u);
  EXPECT_FALSE(Contains(flat.out, "<h2>"));
}

TEST_F(ReportFormats, AnUnknownFormatOrAGroupingAFormatCannotShowIsAUsageError) {
  for (const char* bad : {"--format xml", "--group-by applicant --format csv", "--group-by issuer --format jsonl",
                          "--group-by folder --format elm"}) {
    CliRun r = Verify(std::string(bad) + " -o -");
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_EQ(r.out, "") << bad;
    EXPECT_TRUE(Contains(r.err, std::string(bad).substr(0, 8))) << bad << ": " << r.err;
  }
  EXPECT_EQ(Verify("--group-by none --format jsonl -o -").code, 1);
}

}  // namespace
}  // namespace credsweep::testing
