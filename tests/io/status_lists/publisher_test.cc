// Publishing round trip: slots are assigned once and at random, the signed lists
// decode to exactly the revoked and suspended slots, and verify reads them back.
#include "io/status_lists/publisher.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <set>

#include "engine/encoding.h"
#include "engine/status_list.h"
#include "io/status_lists/folder_source.h"
#include "tests/testutil.h"

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

TEST(StatusPublisher, ListsDecodeToTheIndexStates) {
  std::string dir = (fs::path(::testing::TempDir()) / ("publish-" + std::to_string(getpid()))).string();
  fs::remove_all(dir);
  auto idx = storage::CreateOrOpenForWriting(dir + "/db").value();
  const std::string issuer = "https://uni.example";
  std::vector<storage::Change> changes;
  for (int i = 0; i < 300; ++i) {
    changes.push_back({"urn:c:" + std::to_string(i), storage::Operation::kRegister, CredentialState::kActive, "", 0, issuer});
  }
  changes.push_back({"urn:other", storage::Operation::kRegister, CredentialState::kActive, "", 0, "https://other.example"});
  changes.push_back({"urn:c:7", storage::Operation::kRevoke, CredentialState::kRevoked, "x", 0, ""});
  changes.push_back({"urn:c:8", storage::Operation::kSuspend, CredentialState::kSuspended, "y", 0, ""});
  size_t applied = 0;
  ASSERT_TRUE(idx->ApplyBatch(changes, "t", &applied).ok());
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  PublishOptions o;
  o.issuer = issuer;
  o.base_url = "https://status.uni.example/lists";
  o.out_dir = dir + "/out";
  auto stats = PublishStatusLists(*idx, *key, o);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->records, 300u);  // the other issuer's credential is not included
  EXPECT_EQ(stats->newly_assigned, 300u);
  EXPECT_EQ(stats->revoked, 1u);
  EXPECT_EQ(stats->suspended, 1u);

  std::set<uint64_t> slots;
  uint64_t revoked_slot = 0, suspended_slot = 0;
  ASSERT_TRUE(idx->ForEach([&](std::string_view id, const StatusRecord& r) {
                   if (r.issuer != issuer) {
                     EXPECT_TRUE(r.list_id.empty());
                     return;
                   }
                   EXPECT_EQ(r.list_id, "https://status.uni.example/lists/1");
                   slots.insert(r.list_index);
                   if (id == "urn:c:7") revoked_slot = r.list_index;
                   if (id == "urn:c:8") suspended_slot = r.list_index;
                 }).ok());
  EXPECT_EQ(slots.size(), 300u);  // unique
  EXPECT_GT(*slots.rbegin(), 1000u);  // spread over the list, not 0..299 in issue order

  auto lists = StatusListDirectory::Open(o.out_dir);
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  auto decode = [&](const std::string& url) {
    std::string jws = lists.value()->Fetch(url).value();
    std::string payload = Base64UrlDecode(jws.substr(jws.find('.') + 1, jws.rfind('.') - jws.find('.') - 1)).value();
    simdjson::dom::parser p;
    std::string_view encoded = p.parse(payload)["credentialSubject"]["encodedList"].get_string().value();
    return StatusBitstring::Decode(encoded).value();
  };
  StatusBitstring rev = decode("https://status.uni.example/lists/1");
  StatusBitstring sus = decode("https://status.uni.example/lists/1-suspension");
  EXPECT_EQ(rev.size_bits(), 131072u);
  for (uint64_t s : slots) {
    EXPECT_EQ(*rev.Get(s), s == revoked_slot ? 1u : 0u);
    EXPECT_EQ(*sus.Get(s), s == suspended_slot ? 1u : 0u);
  }
  // A second publish keeps the slots and flips bits for new revocations.
  ASSERT_TRUE(idx->Apply({"urn:c:9", storage::Operation::kRevoke, CredentialState::kRevoked, "z", 0, ""}, "t").ok());
  auto again = PublishStatusLists(*idx, *key, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->newly_assigned, 0u);
  EXPECT_EQ(again->revoked, 2u);
  uint64_t slot9 = idx->Lookup("urn:c:9").value()->list_index;
  EXPECT_EQ(*decode("https://status.uni.example/lists/1").Get(slot9), 1u);
  idx.reset();
  fs::remove_all(dir);
}

TEST(StatusPublisher, ListsOfTwoHostsWithTheSamePathsCannotShareAFolder) {
  std::string dir = (fs::path(::testing::TempDir()) / ("publish-hosts-" + std::to_string(getpid()))).string();
  fs::remove_all(dir);
  auto idx = storage::CreateOrOpenForWriting(dir + "/db").value();
  size_t applied = 0;
  ASSERT_TRUE(idx->ApplyBatch({{"urn:a", storage::Operation::kRegister, CredentialState::kActive, "", 0, "https://a.example"},
                               {"urn:b", storage::Operation::kRegister, CredentialState::kActive, "", 0, "https://b.example"}},
                              "t", &applied)
                  .ok());
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  PublishOptions o;
  o.out_dir = dir + "/out";
  o.issuer = "https://a.example";
  o.base_url = "https://status.a.example/lists/";  // the trailing slash is dropped
  ASSERT_TRUE(PublishStatusLists(*idx, *key, o).ok());
  EXPECT_TRUE(fs::is_regular_file(o.out_dir + "/lists/1"));
  EXPECT_EQ(idx->Lookup("urn:a").value()->list_id, "https://status.a.example/lists/1");
  o.issuer = "https://b.example";
  o.base_url = "https://status.b.example/lists";
  auto clash = PublishStatusLists(*idx, *key, o);
  ASSERT_FALSE(clash.ok());
  EXPECT_NE(clash.status().message().find("already holds the list https://status.a.example/lists/1"), std::string::npos)
      << clash.status().message();
  o.base_url = "https://status.b.example/b-lists";  // another path: fine
  EXPECT_TRUE(PublishStatusLists(*idx, *key, o).ok());
  EXPECT_TRUE(fs::is_regular_file(o.out_dir + "/b-lists/1-suspension"));
  idx.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace credsweep::io
