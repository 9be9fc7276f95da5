#include "io/cli/command_line.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <string>
#include <vector>

#include "io/cli/argument_check.h"

namespace credsweep::io::cli {

int RunCommandLine(CLI::App& app, int argc, const char* const* argv, const int* exit_code) {
  try {
    if (auto problem = CheckArguments(app, std::vector<std::string>(argv + 1, argv + argc))) {
      spdlog::error("{}", *problem);
      return 2;
    }
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const std::exception& e) {
    spdlog::critical("internal error (a bug in credsweep): {}", e.what());
    return 2;
  } catch (...) {
    spdlog::critical("internal error (a bug in credsweep): unknown exception");
    return 2;
  }
  return *exit_code;
}

}  // namespace credsweep::io::cli
