// RFC 8785 canonicalization against the RFC author's test data.
#include "engine/jcs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "tests/testutil.h"

namespace credsweep {
namespace {

class JcsFiles : public ::testing::TestWithParam<const char*> {};

TEST_P(JcsFiles, MatchesTheExpectedCanonicalBytes) {
  std::string input = testing::ReadTestData(std::string("jcs-rfc8785/upstream/input/") + GetParam());
  std::string expected = testing::ReadTestData(std::string("jcs-rfc8785/upstream/output/") + GetParam());
  auto got = JcsCanonicalize(input);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, expected);
}

INSTANTIATE_TEST_SUITE_P(Rfc8785, JcsFiles,
                         ::testing::Values("arrays.json", "french.json", "structures.json", "unicode.json",
                                           "values.json", "weird.json"),
                         [](const auto& info) { return testing::TestName(info.param); });

// Lines "<ieee754 bits in hex>,<ECMAScript string>".
size_t CheckNumberFile(const std::string& file) {
  std::ifstream in(testing::TestData(file));
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    size_t comma = line.find(',');
    if (comma == std::string::npos) continue;
    uint64_t bits = std::stoull(line.substr(0, comma), nullptr, 16);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isnan(d) || std::isinf(d)) continue;
    EXPECT_EQ(Es6NumberToString(d), line.substr(comma + 1)) << line;
    ++n;
  }
  return n;
}

TEST(Jcs, NumbersFollowEcmaScript) {
  EXPECT_EQ(CheckNumberFile("jcs-rfc8785/derived/es6-number-edge-cases.txt"), 30u);
  EXPECT_GE(CheckNumberFile("jcs-rfc8785/upstream/es6testfile-first10000.txt"), 9990u);
}

TEST(Jcs, RejectsInvalidJson) { EXPECT_FALSE(JcsCanonicalize("{\"a\":}").ok()); }

// Found by fuzz/jcs_fuzz (tests/testdata/fuzz-crashes/jcs-integer-beyond-64-bits.json):
// integers outside [-2^63, 2^64) are valid JSON and RFC 8785 reads them as doubles,
// but simdjson refused them, so JCS could not re-read its own output.
TEST(Jcs, IntegersBeyond64BitsAreNumbersLikeAnyOther) {
  auto big = JcsCanonicalize(R"({"a":[100000000000000000000,-9223372036854775809,18446744073709551616]})");
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(*big, R"({"a":[100000000000000000000,-9223372036854776000,18446744073709552000]})");
  auto in_string = JcsCanonicalize(R"(["100000000000000000000",100000000000000000000])");
  ASSERT_TRUE(in_string.ok());
  EXPECT_EQ(*in_string, R"(["100000000000000000000",100000000000000000000])");
  EXPECT_FALSE(JcsCanonicalize("[0100000000000000000000]").ok());  // still no leading zeros
}

// Found by fuzz/jcs_fuzz (tests/testdata/fuzz-crashes/jcs-duplicate-member-names.json):
// with duplicate names the sorted order of equal names followed the input, so there was
// no canonical form; RFC 8785 takes I-JSON input, whose names are unique.
TEST(Jcs, RefusesDuplicateMemberNames) {
  EXPECT_FALSE(JcsCanonicalize(R"({"a":1,"a":2})").ok());
  EXPECT_FALSE(JcsCanonicalize(R"([{"b":{"x":1,"x":1}}])").ok());
  EXPECT_FALSE(JcsCanonicalize(testing::ReadTestData("fuzz-crashes/jcs-duplicate-member-names.json")).ok());
  EXPECT_TRUE(JcsCanonicalize(R"({"a":{"a":1},"b":{"a":2}})").ok());  // same name, different objects
}

TEST(Jcs, CanonicalFormIsAFixedPoint) {
  std::string input = testing::ReadTestData("fuzz-crashes/jcs-integer-beyond-64-bits.json");
  auto once = JcsCanonicalize(input);
  ASSERT_TRUE(once.ok()) << once.status().ToString();
  auto twice = JcsCanonicalize(*once);
  ASSERT_TRUE(twice.ok()) << twice.status().ToString() << " for " << *once;
  EXPECT_EQ(*twice, *once);
}

}  // namespace
}  // namespace credsweep
