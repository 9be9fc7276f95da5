#include "io/cli/argument_check.h"

#include <gtest/gtest.h>

namespace credsweep::io::cli {
namespace {

class ArgumentCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    CLI::App* verify = app_.add_subcommand("verify", "");
    verify->add_option("inputs", inputs_);
    verify->add_option("--out,-o", out_);
    verify->add_option("--threads,-j", threads_);
    verify->add_flag("--quiet,-q", quiet_);
    CLI::App* lists = app_.add_subcommand("lists", "");
    lists->add_subcommand("publish", "")->add_option("--db", out_);
  }
  std::optional<std::string> Check(std::vector<std::string> args) { return CheckArguments(app_, args); }

  CLI::App app_{"test", "credsweep"};
  std::vector<std::string> inputs_;
  std::string out_;
  int threads_ = 0;
  bool quiet_ = false;
};

TEST_F(ArgumentCheck, AcceptsWellFormedCommandLines) {
  EXPECT_EQ(Check({"verify", "a.jsonl", "-o", "r.jsonl", "-q", "-j", "2"}), std::nullopt);
  EXPECT_EQ(Check({"verify", "-", "--out=-q", "-j4", "--quiet"}), std::nullopt);  // attached values
  EXPECT_EQ(Check({"verify", "-o", "-", "a.jsonl"}), std::nullopt);                // "-" is a value
  EXPECT_EQ(Check({"verify", "-j", "-1", "a.jsonl"}), std::nullopt);               // so is a negative number
  EXPECT_EQ(Check({"verify", "--", "-odd-name.jsonl"}), std::nullopt);
  EXPECT_EQ(Check({"lists", "publish", "--db", "d"}), std::nullopt);
  EXPECT_EQ(Check({"verify", "--help"}), std::nullopt);
}

TEST_F(ArgumentCheck, RefusesAnOptionValueThatLooksLikeAnOption) {
  auto p = Check({"verify", "a.jsonl", "-o", "-q"});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, "option '-o' needs a value, and '-q' looks like an option; write -o=-q if it is the value");
  EXPECT_TRUE(Check({"verify", "a.jsonl", "--out", "--quiet"}).has_value());
}

TEST_F(ArgumentCheck, NamesTheNearestCommandOrOption) {
  EXPECT_EQ(Check({"verfy", "a.jsonl"}), "unknown command 'verfy'; did you mean 'verify'? (see: credsweep --help)");
  EXPECT_EQ(Check({"lists", "pubish"}),
            "unknown subcommand 'pubish' of 'credsweep lists'; did you mean 'publish'? (see: credsweep lists --help)");
  EXPECT_EQ(Check({"verify", "a.jsonl", "--thread", "2"}),
            "unknown option '--thread' for 'credsweep verify'; did you mean '--threads'? (see: credsweep verify --help)");
  EXPECT_EQ(Check({"verify", "--qiuet"}),
            "unknown option '--qiuet' for 'credsweep verify'; did you mean '--quiet'? (see: credsweep verify --help)");
}

TEST_F(ArgumentCheck, SuggestsNothingWhenNothingIsNear) {
  EXPECT_EQ(Nearest("--zzzzzzzz", {"--out", "--threads"}), "");
  EXPECT_EQ(DidYouMean("frobnicate", {"verify", "lists"}), "");
  EXPECT_EQ(Nearest("--max-rec", {"--max-record-bytes", "--max-depth"}), "--max-record-bytes");  // a prefix
}

}  // namespace
}  // namespace credsweep::io::cli
