// The trust digest (docs/sweep.md, "Trust-configuration digest"): a change to any
// trust file changes it; the readings' variant leaves out the trusted-list folder's
// index.json, which every `trust update` rewrites with a new time, and the paths
// as given.
#include "io/sweep/trust_digest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/encoding.h"
#include "engine/sha256.h"

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
    EXPECT_NE(unskipped->kept, d->whole) << "the kept digest leaves the paths out";
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

// A nightly job and a run by hand may name the same files by other paths; the
// readings kept between them depend on the files, not on the paths.
TEST_F(TrustDigestTest, TheReadingsVariantDependsOnTheFilesNotOnTheirPaths) {
  auto digest = [](const std::string& registry, const std::string& lists) {
    auto d = TrustDigest({{"--trust", registry}, {"--trusted-lists", lists}}, {{"--signing-time", "proven"}});
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : TrustDigests{};
  };
  const TrustDigests here = digest(dir_ + "/registry.json", dir_ + "/tl");
  // The same files under another folder, named through a relative path.
  fs::create_directories(dir_ + "/moved");
  fs::copy(dir_ + "/tl", dir_ + "/moved/tl", fs::copy_options::recursive);
  fs::copy_file(dir_ + "/registry.json", dir_ + "/moved/registry.json");
  const std::string relative = fs::relative(dir_ + "/moved").string();
  const TrustDigests moved = digest(relative + "/registry.json", relative + "/tl");
  EXPECT_EQ(moved.kept, here.kept);
  EXPECT_NE(moved.whole, here.whole) << "a run's record says which paths it read";
  // The same paths, another option: not the same configuration.
  auto swapped = TrustDigest({{"--lotl-certs", dir_ + "/registry.json"}, {"--trusted-lists", dir_ + "/tl"}},
                             {{"--signing-time", "proven"}});
  ASSERT_TRUE(swapped.ok());
  EXPECT_NE(swapped->kept, here.kept);
  // A folder where a file was, options in another order, another --jwks binding, a
  // binding forging a line of its own: each another configuration.
  auto kept = [](const std::vector<std::pair<std::string, std::string>>& paths) {
    auto d = TrustDigest(paths, {});
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? d->kept : std::string();
  };
  Write("ca/a.pem", "A");
  Write("b.pem", "B");
  EXPECT_NE(kept({{"--ca", dir_ + "/ca"}}), kept({{"--ca", dir_ + "/ca/a.pem"}}));
  EXPECT_NE(kept({{"--ca", dir_ + "/ca/a.pem"}, {"--ca", dir_ + "/b.pem"}}),
            kept({{"--ca", dir_ + "/b.pem"}, {"--ca", dir_ + "/ca/a.pem"}}));
  EXPECT_NE(kept({{"--jwks https://a.example", dir_ + "/b.pem"}}),
            kept({{"--jwks https://b.example", dir_ + "/b.pem"}}));
  // Unescaped, the first binding's name would write the second option's lines:
  // "--jwks a\t\nsha256\tHASH(a.pem)\n--jwks b\t\nsha256\tHASH(b.pem)\n" both times.
  const std::string forged = "--jwks a\t\nsha256\t" + HexEncode(Sha256("A")) + "\n--jwks b";
  EXPECT_NE(kept({{forged, dir_ + "/b.pem"}}), kept({{"--jwks a", dir_ + "/ca/a.pem"}, {"--jwks b", dir_ + "/b.pem"}}));
  // A file that differs under the moved folder: another digest.
  Write("moved/tl/lists/BE.xml", "<TrustServiceStatusList>BE 3</TrustServiceStatusList>");
  EXPECT_NE(digest(relative + "/registry.json", relative + "/tl").kept, here.kept);
}

TEST_F(TrustDigestTest, AnUnreadableFileIsAnErrorNamingIt) {
  auto d = TrustDigest({{"--trust", dir_ + "/missing.json"}}, {});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("missing.json"), std::string::npos) << d.status().message();
}

}  // namespace
}  // namespace credsweep::io
