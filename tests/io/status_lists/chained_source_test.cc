#include <gtest/gtest.h>

#include "io/http/client.h"
#include "tests/fakes.h"

namespace credsweep::io {
namespace {

class RecordingSource : public testing::MapListSource {
 public:
  mutable std::vector<std::string> validated;
  void Validated(std::string_view url, std::string_view) const override { validated.emplace_back(url); }
};

TEST(ChainedListSource, FirstSourceThatHasTheListWins) {
  auto folder = std::make_shared<RecordingSource>();
  auto http = std::make_shared<RecordingSource>();
  folder->docs["https://s.example/a"] = "from-folder";
  http->docs["https://s.example/a"] = "from-http";
  http->docs["https://s.example/b"] = "from-http";
  ChainedListSource chain(folder, http);
  EXPECT_EQ(chain.Fetch("https://s.example/a").value(), "from-folder");
  EXPECT_EQ(chain.Fetch("https://s.example/b").value(), "from-http");
  EXPECT_FALSE(chain.Fetch("https://s.example/c").ok());
}

TEST(ChainedListSource, PassesValidatedToBothSources) {
  // Either may have produced the document; each decides whether it is its own.
  auto folder = std::make_shared<RecordingSource>();
  auto http = std::make_shared<RecordingSource>();
  ChainedListSource chain(folder, http);
  chain.Validated("https://s.example/a", "doc");
  EXPECT_EQ(folder->validated, std::vector<std::string>{"https://s.example/a"});
  EXPECT_EQ(http->validated, std::vector<std::string>{"https://s.example/a"});
}

}  // namespace
}  // namespace credsweep::io
