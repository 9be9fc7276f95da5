// Private keys written by `sample` and `keygen` are owner-only (0600) whatever
// the umask, and sample's key folder is 0700.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

namespace credsweep {
namespace {

namespace fs = std::filesystem;

int RunWithUmask022(const std::string& args) {
  std::string cmd = "umask 022; " + std::string(CREDSWEEP_BINARY) + " " + args + " 2>/dev/null";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

mode_t Mode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

std::string TestDir(const char* name) {
  std::string dir = (fs::path(::testing::TempDir()) / name).string();
  fs::remove_all(dir);
  return dir;
}

TEST(KeyFiles, SampleWritesPrivateKeysOwnerOnly) {
  std::string dir = TestDir("keyfiles-sample");
  ASSERT_EQ(RunWithUmask022("sample --count 3 --no-status --out " + dir), 0);
  EXPECT_EQ(Mode(fs::path(dir) / "keys" / "private"), 0700u);
  size_t keys = 0;
  for (const auto& f : fs::directory_iterator(fs::path(dir) / "keys" / "private")) {
    EXPECT_EQ(Mode(f.path()), 0600u) << f.path();
    ++keys;
  }
  EXPECT_GT(keys, 0u);
  EXPECT_EQ(Mode(fs::path(dir) / "keys" / "jwks.json"), 0644u);  // public material stays readable
  fs::remove_all(dir);
}

TEST(KeyFiles, KeygenNarrowsAnExistingFileToOwnerOnly) {
  std::string dir = TestDir("keyfiles-keygen");
  fs::create_directories(dir);
  std::string key = dir + "/issuer.jwk";
  std::ofstream(key) << "old";
  fs::permissions(key, fs::perms(0644));
  ASSERT_EQ(RunWithUmask022("keygen --alg ES256 --force --out " + key), 0);
  EXPECT_EQ(Mode(key), 0600u);
  std::ifstream in(key);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"d\""), std::string::npos);  // the private JWK, old content gone
  EXPECT_EQ(text.find("old"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace credsweep
