// The command line's exception fence: a command that throws ends with exit 2 and
// one "internal error" line, not std::terminate.
#include "io/cli/command_line.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <stdexcept>

namespace credsweep::io::cli {
namespace {

class CommandLine : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    auto logger = std::make_shared<spdlog::logger>("command-line-test", sink);
    logger->set_pattern("%l: %v");
    spdlog::set_default_logger(logger);
    app_.add_subcommand("boom", "throws")->callback([] { throw std::runtime_error("stoull"); });
    app_.add_subcommand("odd", "throws a non-exception")->callback([] { throw 42; });
    app_.add_subcommand("fine", "exits 1")->callback([this] { exit_code_ = 1; });
  }
  void TearDown() override { spdlog::set_default_logger(previous_); }

  int Run(std::vector<const char*> args) {
    args.insert(args.begin(), "credsweep");
    return RunCommandLine(app_, static_cast<int>(args.size()), args.data(), &exit_code_);
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_;
  CLI::App app_{"test", "credsweep"};
  int exit_code_ = 0;
};

TEST_F(CommandLine, AnExceptionFromACommandIsExitTwoWithOneLine) {
  EXPECT_EQ(Run({"boom"}), 2);
  EXPECT_EQ(log_.str(), "critical: internal error (a bug in credsweep): stoull\n");
}

TEST_F(CommandLine, AThrownNonExceptionIsCaughtToo) {
  EXPECT_EQ(Run({"odd"}), 2);
  EXPECT_EQ(log_.str(), "critical: internal error (a bug in credsweep): unknown exception\n");
}

TEST_F(CommandLine, ACommandsOwnExitStatusIsReturned) {
  EXPECT_EQ(Run({"fine"}), 1);
  EXPECT_EQ(log_.str(), "");
}

TEST_F(CommandLine, AnUnknownCommandIsAUsageErrorWithASuggestion) {
  EXPECT_EQ(Run({"bom"}), 2);
  EXPECT_EQ(log_.str(), "error: unknown command 'bom'; did you mean 'boom'? (see: credsweep --help)\n");
}

}  // namespace
}  // namespace credsweep::io::cli
