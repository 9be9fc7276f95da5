#include "io/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("credsweep-output-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // The names in the folder besides `keep`.
  std::vector<std::string> Others(const std::vector<std::string>& keep) const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (std::find(keep.begin(), keep.end(), name) == keep.end()) out.push_back(name);
    }
    return out;
  }
  fs::path dir_;
};

TEST_F(OutputFileTest, CommitReplacesThePathAndLeavesNoTemporaryFile) {
  const std::string path = (dir_ / "out.jsonl").string();
  std::ofstream(path) << "last night's\n";
  auto f = OutputFile::Create(path);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const std::string temp = (*f)->temporary_path();
  EXPECT_TRUE(temp.starts_with(path + ".credsweep-tmp.")) << temp;
  EXPECT_TRUE(fs::exists(temp));
  EXPECT_EQ(Read(path), "last night's\n");  // untouched until the commit
  ASSERT_TRUE((*f)->Write("tonight's\n").ok());
  ASSERT_TRUE((*f)->Commit().ok());
  EXPECT_EQ(Read(path), "tonight's\n");
  EXPECT_EQ(Others({"out.jsonl"}), std::vector<std::string>{});
}

TEST_F(OutputFileTest, NotCommittedLeavesThePathAsItWas) {
  const std::string path = (dir_ / "out.jsonl").string();
  std::ofstream(path) << "last night's\n";
  {
    auto f = OutputFile::Create(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Write("half of tonight's").ok());
  }
  EXPECT_EQ(Read(path), "last night's\n");
  EXPECT_EQ(Others({"out.jsonl"}), std::vector<std::string>{});
}

// A symlink planted where a guessable temporary name would be (the path, the
// suffix, this process's id) is neither written through nor truncated.
TEST_F(OutputFileTest, NeverWritesThroughAFilePlantedAtAGuessableName) {
  const std::string path = (dir_ / "out.jsonl").string();
  const fs::path victim = dir_ / "victim";
  std::ofstream(victim) << "precious\n";
  const std::string pid = std::to_string(::getpid());
  for (const std::string& guess : {path + ".credsweep-tmp." + pid, path + ".credsweep-tmp", path + ".tmp"}) {
    fs::create_symlink(victim, guess);
  }
  auto f = OutputFile::Create(path);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_FALSE(fs::is_symlink((*f)->temporary_path()));
  ASSERT_TRUE((*f)->Write("tonight's\n").ok());
  ASSERT_TRUE((*f)->Commit().ok());
  EXPECT_EQ(Read(victim), "precious\n");
  EXPECT_EQ(Read(path), "tonight's\n");
  EXPECT_FALSE(fs::is_symlink(path));
}

// A name already taken (here by a symlink planted at exactly the name the first
// draw gives) is never opened: the next draw's name is used.
TEST_F(OutputFileTest, ATakenTemporaryNameIsSkippedNotOpened) {
  const std::string path = (dir_ / "out.jsonl").string();
  const fs::path victim = dir_ / "victim";
  std::ofstream(victim) << "precious\n";
  const std::string prefix = path + ".credsweep-tmp." + std::to_string(::getpid()) + ".";
  fs::create_symlink(victim, prefix + "aaaaaaaa");
  std::ofstream(prefix + "bbbbbbbb") << "someone else's\n";
  uint32_t draws[] = {0xaaaaaaaa, 0xbbbbbbbb, 0xcccccccc};
  size_t next = 0;
  std::string temp;
  const int fd = CreateTemporaryBeside(path, &temp, [&] { return draws[next++]; });
  ASSERT_GE(fd, 0) << std::strerror(errno);
  EXPECT_EQ(temp, prefix + "cccccccc");
  EXPECT_EQ(next, 3u);
  ASSERT_EQ(::write(fd, "x", 1), 1);
  ::close(fd);
  EXPECT_EQ(Read(victim), "precious\n");
  EXPECT_EQ(Read(prefix + "bbbbbbbb"), "someone else's\n");
  EXPECT_EQ(Read(temp), "x");
  // Every draw taken: no descriptor, EEXIST.
  errno = 0;
  EXPECT_EQ(CreateTemporaryBeside(path, &temp, [] { return 0xaaaaaaaau; }), -1);
  EXPECT_EQ(errno, EEXIST);
}

// Through CreateReplacing (the trust folder), a symlink at the path to a device or
// a FIFO is replaced, never opened: no write to the device, no wait on the FIFO.
TEST_F(OutputFileTest, CreateReplacingReplacesLinksToDevicesAndFifos) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const fs::path& target : {fs::path("/dev/null"), fifo}) {
    const fs::path link = dir_ / "list.xml";
    fs::remove(link);
    fs::create_symlink(target, link);
    auto f = OutputFile::CreateReplacing(link.string());
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_TRUE((*f)->Write("<TrustServiceStatusList/>").ok());
    ASSERT_TRUE((*f)->Commit().ok());
    EXPECT_FALSE(fs::is_symlink(link)) << target;
    EXPECT_TRUE(fs::is_regular_file(link)) << target;
    EXPECT_EQ(Read(link), "<TrustServiceStatusList/>");
  }
  EXPECT_TRUE(fs::is_fifo(fifo));
}

// Create writes a FIFO in place (a reader on the other end gets the bytes).
TEST_F(OutputFileTest, FifoIsWrittenInPlace) {
  const fs::path fifo = dir_ / "out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = Read(fifo); });
  auto f = OutputFile::Create(fifo.string());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->temporary_path(), "");
  ASSERT_TRUE((*f)->Write("through the pipe\n").ok());
  ASSERT_TRUE((*f)->Commit().ok());
  reader.join();
  EXPECT_EQ(got, "through the pipe\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
}

// Two outputs of one process on one path at once (each its own temporary file).
TEST_F(OutputFileTest, TwoAtOnceGetTwoTemporaryFiles) {
  const std::string path = (dir_ / "out.jsonl").string();
  auto a = OutputFile::Create(path);
  auto b = OutputFile::Create(path);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->temporary_path(), (*b)->temporary_path());
  ASSERT_TRUE((*a)->Write("a").ok());
  ASSERT_TRUE((*b)->Write("b").ok());
  ASSERT_TRUE((*a)->Commit().ok());
  ASSERT_TRUE((*b)->Commit().ok());
  EXPECT_EQ(Read(path), "b");
}

TEST_F(OutputFileTest, GzipPathIsWrittenCompressed) {
  const std::string path = (dir_ / "out.jsonl.gz").string();
  auto f = OutputFile::Create(path);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Write("line one\nline two\n").ok());
  ASSERT_TRUE((*f)->Commit().ok());
  const std::string raw = Read(path);
  ASSERT_GE(raw.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(raw[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(raw[1]), 0x8b);
  gzFile gz = gzopen(path.c_str(), "rb");
  ASSERT_NE(gz, nullptr);
  char buf[64] = {};
  const int n = gzread(gz, buf, sizeof buf);
  gzclose(gz);
  EXPECT_EQ(std::string(buf, n > 0 ? n : 0), "line one\nline two\n");
}

TEST_F(OutputFileTest, CreateReplacingWritesUncompressedWhateverTheName) {
  const std::string path = (dir_ / "list.xml.gz").string();
  auto f = OutputFile::CreateReplacing(path);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Write("<TrustServiceStatusList/>").ok());
  ASSERT_TRUE((*f)->Commit().ok());
  EXPECT_EQ(Read(path), "<TrustServiceStatusList/>");
}

TEST_F(OutputFileTest, CreatedWithTheUsualPermissions) {
  const mode_t old = ::umask(022);
  const std::string path = (dir_ / "out.jsonl").string();
  auto f = OutputFile::Create(path);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Commit().ok());
  ::umask(old);
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST_F(OutputFileTest, DevicesAreWrittenInPlaceAndDirectoriesRefused) {
  auto f = OutputFile::Create("/dev/null");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->temporary_path(), "");
  ASSERT_TRUE((*f)->Write("gone").ok());
  ASSERT_TRUE((*f)->Commit().ok());
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  auto d = OutputFile::Create(dir_.string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("it is a directory"), std::string::npos) << d.status().ToString();
  auto missing = OutputFile::Create((dir_ / "no-such-folder" / "out.jsonl").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("No such file or directory"), std::string::npos)
      << missing.status().ToString();
}

}  // namespace
}  // namespace credsweep::io
