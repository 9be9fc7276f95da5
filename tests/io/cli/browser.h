// Headless Chromium for the HTML report tests: renders a page from disk (scripts
// allowed to run, so an injected one would show its effect) and returns the DOM
// it built. Chromium comes from scripts/setup-deps; HaveChromium() lets a test
// skip without it.
#ifndef CREDSWEEP_TESTS_IO_CLI_BROWSER_H_
#define CREDSWEEP_TESTS_IO_CLI_BROWSER_H_

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "tests/testutil.h"

namespace credsweep::testing {

inline bool HaveChromium() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

// The DOM Chromium builds from `html_file`; `work_dir` holds its profile and output.
inline std::string RenderedDom(const std::string& html_file, const std::string& work_dir) {
  std::string cmd = "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run "
                    "--user-data-dir=" + work_dir + "/chromium-profile --dump-dom file://" + html_file + " >" +
                    work_dir + "/dom.html 2>" + work_dir + "/chromium.err";
  int rc = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << ReadFile(work_dir + "/chromium.err");
  return ReadFile(work_dir + "/dom.html");
}

// Occurrences of `part` in `text`.
inline size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_CLI_BROWSER_H_
