// The trust digest (docs/sweep.md, "Trust-configuration digest"): a change to any
// trust file changes it; the readings' variant leaves out the trusted-list folder's
// index.json, which every `trust update` rewrites with a new time.
#include "io/sweep/trust_digest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

class TrustDigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) / ("trust-digest-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    Write("tl/index.json", "{\"updated\":\"2026-12-01T00:00:00Z\"}");
    Write("tl/lists/BE.xml", "<TrustServiceStatusList>BE</TrustServiceStatusList>");
    Write("registry.json", "{}");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((fs::path(dir_) / name).parent_path());
    std::ofstream(fs::path(dir_) / name, std::ios::binary) << text;
  }
  std::string Digest(bool skip_index) {
    auto skip = [](const std::string& option, const std::string& relative) {
      return option == "--trusted-lists" && relative == "index.json";
    };
    auto d = TrustDigest({{"--trust", dir_ + "/registry.json"}, {"--trusted-lists", dir_ + "/tl"}},
                         {{"--signing-time", "proven"}}, skip);
    EXPECT_TRUE(d.ok()) << d.status().message();
    if (!d.ok()) return "";
    auto unskipped = TrustDigest({{"--trust", dir_ + "/registry.json"}, {"--trusted-lists", dir_ + "/tl"}},
                                 {{"--signing-time", "proven"}});
    EXPECT_EQ(unskipped->whole, d->whole) << "skip leaves the whole digest as it is";
    EXPECT_EQ(unskipped->kept, d->whole) << "without skip, both digests are the whole one";
    return skip_index ? d->kept : d->whole;
  }
  std::string dir_;
};

TEST_F(TrustDigestTest, AnyTrustFileChangesItAndTheReadingsVariantIgnoresTheListIndex) {
  const std::string full = Digest(false), readings = Digest(true);
  EXPECT_EQ(full.size(), 64u);
  EXPECT_NE(full, readings);
  // `trust update` with the same lists: a new time in index.json.
  Write("tl/index.json", "{\"updated\":\"2026-12-02T00:00:00Z\"}");
  EXPECT_NE(Digest(false), full);
  EXPECT_EQ(Digest(true), readings);
  // A list that changed, or the registry: both change.
  Write("tl/lists/BE.xml", "<TrustServiceStatusList>BE 2</TrustServiceStatusList>");
  EXPECT_NE(Digest(true), readings);
  const std::string after_list = Digest(true);
  Write("registry.json", "{\"issuers\":[]}");
  EXPECT_NE(Digest(true), after_list);
}

TEST_F(TrustDigestTest, AnUnreadableFileIsAnErrorNamingIt) {
  auto d = TrustDigest({{"--trust", dir_ + "/missing.json"}}, {});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("missing.json"), std::string::npos) << d.status().message();
}

}  // namespace
}  // namespace credsweep::io
