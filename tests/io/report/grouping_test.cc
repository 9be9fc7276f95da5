// --group-by folder: the applicant is the first path level under the input folder.
#include "io/report/grouping.h"

#include <gtest/gtest.h>

namespace credsweep::io {
namespace {

TEST(FolderOf, IsTheFirstLevelUnderTheInputFolder) {
  const std::vector<std::string> inputs{"applicants"};
  EXPECT_EQ(FolderOf("applicants/ana/degree.json", inputs), "ana");
  EXPECT_EQ(FolderOf("applicants/ana/2024/transcript.jsonl:3", inputs), "ana");
  EXPECT_EQ(FolderOf("applicants/bob.jsonl:1", inputs), "bob.jsonl");  // a file directly in the folder
  EXPECT_EQ(FolderOf("applicants/carla/all.json#2", inputs), "carla");
}

TEST(FolderOf, HandlesTrailingSlashesDeeperInputsFilesAndStdin) {
  EXPECT_EQ(FolderOf("in/ana/x.json", {"in/"}), "ana");
  EXPECT_EQ(FolderOf("in/2024/ana/x.json", {"in", "in/2024"}), "ana");  // the deepest input wins
  EXPECT_EQ(FolderOf("single.jsonl:7", {"single.jsonl"}), "single.jsonl");
  EXPECT_EQ(FolderOf("-:3", {"-"}), "-");
  EXPECT_EQ(FolderOf("inbox/ana/x.json", {"in"}), "inbox/ana/x.json");  // "in" is not "inbox"
  EXPECT_EQ(FolderOf("/srv/ana/x.json", {"/"}), "srv");
}

}  // namespace
}  // namespace credsweep::io
