// `credsweep canonicalize FILE` prints RFC 8785 output byte for byte as the RFC
// author's test files give it (tests/testdata/jcs-rfc8785/upstream/), and refuses
// what is not JSON with exit 2.
#include <gtest/gtest.h>

#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

class Canonicalize : public CliTest {};

TEST_F(Canonicalize, PrintsTheRfc8785FormOfEachUpstreamVector) {
  for (const char* name : {"arrays", "french", "structures", "unicode", "values", "weird"}) {
    SCOPED_TRACE(name);
    CliRun r = Credsweep("canonicalize " + TestData(std::string("jcs-rfc8785/upstream/input/") + name + ".json"));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, ReadFile(TestData(std::string("jcs-rfc8785/upstream/output/") + name + ".json")) + "\n");
  }
}

TEST_F(Canonicalize, ReadsStandardInputAndRefusesWhatIsNotJson) {
  Write("doc.json", "\xEF\xBB\xBF{ \"b\" : 1, \"a\" : [1.0, 2e3, \"\\u00e9\"] }\n");
  CliRun r = Credsweep("canonicalize -", Path("doc.json"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"a\":[1,2000,\"\xC3\xA9\"],\"b\":1}\n");
  Write("bad.json", "{\"a\":");
  r = Credsweep("canonicalize bad.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(Contains(r.err, "bad.json: ")) << r.err;
  EXPECT_EQ(r.out, "");
  Write("dup.json", "{\"a\":1,\"a\":2}");
  EXPECT_EQ(Credsweep("canonicalize dup.json").code, 2) << "duplicate names have no canonical form";
  EXPECT_EQ(Credsweep("canonicalize missing.json").code, 2);
}

}  // namespace
}  // namespace credsweep::testing
