// Damage in the write-ahead log: RocksDB's default recovery truncates the log at
// the damage and opens, silently dropping synced (acknowledged) changes and
// handing their event numbers out again. The index must refuse to open instead.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "storage/status_index.h"

namespace credsweep::storage {
namespace {

namespace fs = std::filesystem;

// The write-ahead log files of a RocksDB directory (NNNNNN.log, not LOG).
std::vector<fs::path> WalFiles(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() == ".log" && fs::file_size(f.path()) > 0) out.push_back(f.path());
  }
  return out;
}

void FlipByte(const fs::path& file, uintmax_t offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x01));
  ASSERT_TRUE(f.good());
}

TEST(WalCorruption, AFlippedBitInTheLogRefusesToOpenAndSaysWhatToDo) {
  std::string dir = (fs::path(::testing::TempDir()) / ("wal-" + std::to_string(getpid()))).string();
  fs::remove_all(dir);
  {
    auto idx = CreateOrOpenForWriting(dir);
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    for (int i = 0; i < 50; ++i) {
      Change c{"urn:wal:" + std::to_string(i), Operation::kRevoke, CredentialState::kRevoked, "fraud", i + 1};
      c.register_unknown = true;
      ASSERT_TRUE((*idx)->Apply(c, "t").ok());  // synced: in the log, not yet in a table file
    }
  }
  auto logs = WalFiles(dir);
  ASSERT_EQ(logs.size(), 1u);
  FlipByte(logs[0], fs::file_size(logs[0]) / 2);

  for (bool writer : {true, false}) {
    auto idx = writer ? OpenForWriting(dir) : OpenForReading(dir);
    ASSERT_FALSE(idx.ok()) << (writer ? "writer" : "reader") << " opened a damaged index";
    EXPECT_EQ(idx.status().code(), StatusCode::kCorruption);
    const std::string& m = idx.status().message();
    EXPECT_NE(m.find(dir), std::string::npos) << m;
    EXPECT_NE(m.find("restore the index from a backup"), std::string::npos) << m;
  }
  // Refusing leaves the evidence as it was.
  ASSERT_EQ(WalFiles(dir).size(), 1u);
  EXPECT_EQ(WalFiles(dir)[0], logs[0]);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace credsweep::storage
