// OpenSSL's state outlives the process's exit handlers (engine/internal/openssl.cc):
// a thread that still holds OpenSSL per-thread state when the process exits, and
// leaves only after the exit handlers ran (as oneTBB's workers do), finds OpenSSL
// working and frees its own state as it goes.
#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/internal/openssl.h"

namespace credsweep {
namespace {

std::atomic<bool> armed{false};
std::atomic<bool> release{false};
std::thread* late_thread = nullptr;

// sha256("abc"), FIPS 180-2 appendix B.1.
constexpr unsigned char kAbcDigest[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

// Registered before any other static initialiser of this binary runs (below), so
// before OpenSSL is first initialised: it runs after every exit handler OpenSSL
// could have registered.
void LastExitHandler() {
  if (!armed.load()) return;
  release.store(true);
  late_thread->join();  // the thread leaves now, after OpenSSL's handler would have run
  const std::string digest = internal::Digest(internal::Hash::kSha256, "abc");
  const bool usable = OPENSSL_init_crypto(0, nullptr) == 1 && digest.size() == sizeof kAbcDigest &&
                      std::equal(digest.begin(), digest.end(), reinterpret_cast<const char*>(kAbcDigest));
  if (!usable) _exit(3);
}

struct RegisterFirst {
  RegisterFirst() { std::atexit(LastExitHandler); }
};
__attribute__((init_priority(101))) const RegisterFirst kRegisterFirst;

// The exiting process is this test binary run afresh for this test alone (a
// forked copy of a process that ran other tests first would also run their exit
// handlers, for threads and state it does not have). It exits with kArmedExit, so
// a run that did not reach the test (a filter that no longer matches) fails.
constexpr char kChildVariable[] = "CREDSWEEP_OPENSSL_EXIT_CHILD";
constexpr int kArmedExit = 42;

TEST(OpenSslAtExit, StaysUsableForThreadsThatOutliveTheExitHandlers) {
  if (std::getenv(kChildVariable) != nullptr) {
    // A thread with an error queue of its own (OpenSSL per-thread state), still
    // running when exit() starts.
    std::atomic<bool> started{false};
    late_thread = new std::thread([&started] {
      EVP_MD* md = EVP_MD_fetch(nullptr, "NO-SUCH-DIGEST", nullptr);  // fails: queues an error
      EVP_MD_free(md);
      started.store(true);
      while (!release.load()) std::this_thread::yield();
      internal::DrainErrors();
    });
    while (!started.load()) std::this_thread::yield();
    armed.store(true);
    std::exit(kArmedExit);
  }
  // The child's environment, made before fork (no allocation between fork and
  // exec): this one's without gtest's sharding and report settings, plus the mark.
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view v(*e);
    if (!v.starts_with("GTEST_") && !v.starts_with(kChildVariable)) env_text.emplace_back(v);
  }
  env_text.push_back(std::string(kChildVariable) + "=1");
  std::vector<char*> envp;
  for (std::string& v : env_text) envp.push_back(v.data());
  envp.push_back(nullptr);
  char arg0[] = "credsweep_tests";
  char filter[] = "--gtest_filter=OpenSslAtExit.StaysUsableForThreadsThatOutliveTheExitHandlers";
  char* argv[] = {arg0, filter, nullptr};
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execve("/proc/self/exe", argv, envp.data());
    _exit(4);  // exec failed
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "child ended by signal " << WTERMSIG(status);
  ASSERT_NE(WEXITSTATUS(status), 4) << "could not run the test binary again";
  EXPECT_EQ(WEXITSTATUS(status), kArmedExit) << "OpenSSL was no longer usable after the exit handlers (3), "
                                                "or the test did not run in the child (0)";
}

}  // namespace
}  // namespace credsweep
