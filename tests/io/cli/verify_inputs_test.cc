// What `credsweep verify` says about inputs that are not what they seem: an empty
// .json file, a UTF-16 file on stdin, a pretty-printed document on stdin.
#include <gtest/gtest.h>

#include "tests/io/cli/cli_fixture.h"

namespace credsweep::testing {
namespace {

using VerifyInputs = CliTest;

TEST_F(VerifyInputs, AnEmptyJsonFileIsAnEmptyRecordAndExitsOne) {
  Write("empty.json", "");
  Write("blank.json", "  \n");
  CliRun r = Credsweep("verify empty.json blank.json -q");
  EXPECT_EQ(r.code, 1) << r.err;  // not verified, not a silent 0
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_TRUE(Contains(r.out, R"({"source":"empty.json",)")) << r.out;
  EXPECT_TRUE(Contains(r.out, R"("format":{"result":"fail","code":"empty_record","message":"the file is empty"})"))
      << r.out;
  EXPECT_TRUE(Contains(r.out, R"("message":"the file holds only whitespace")")) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(VerifyInputs, Utf16OnStdinNamesTheEncoding) {
  std::string text = "\xFF\xFE";
  for (char c : std::string("{\"a\":1}\n")) {
    text += c;
    text += '\0';
  }
  std::string in = Write("utf16.jsonl", text);
  CliRun r = Credsweep("verify - -q", in);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_TRUE(Contains(r.out, R"({"source":"-",)")) << r.out;
  EXPECT_TRUE(Contains(r.out, R"("code":"unsupported_encoding","message":"the input is UTF-16LE, not UTF-8)")) << r.out;
}

TEST_F(VerifyInputs, APrettyPrintedDocumentOnStdinHintsAtTheDocumentForm) {
  std::string in = Write("pretty.json", "{\n  \"@context\": [\"https://www.w3.org/ns/credentials/v2\"]\n}\n");
  CliRun r = Credsweep("verify - -q", in);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(Contains(r.out, R"({"source":"-:1",)")) << r.out;
  EXPECT_TRUE(Contains(r.out, "looks like a pretty-printed JSON document, but stdin is read as JSON Lines")) << r.out;
  // The same document as a .json file is one record, read whole.
  CliRun file = Credsweep("verify pretty.json -q");
  EXPECT_EQ(std::count(file.out.begin(), file.out.end(), '\n'), 1) << file.out;
  EXPECT_FALSE(Contains(file.out, "pretty-printed")) << file.out;
}

}  // namespace
}  // namespace credsweep::testing
