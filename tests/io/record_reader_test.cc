#include "io/record_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "tests/page_cache.h"

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

class RecordReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("credsweep-reader-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::vector<Record> ReadAll(const std::vector<std::string>& inputs, ReaderOptions o = {}) {
    auto r = RecordReader::Open(inputs, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<Record> out;
    Record rec;
    while ((*r)->Next(&rec)) out.push_back(rec);
    return out;
  }
  fs::path dir_;
};

TEST_F(RecordReaderTest, JsonLinesKeepLineNumbersAndSkipBlankLines) {
  std::string f = Write("a.jsonl", "one\n\n  \ntwo\r\nthree");
  auto recs = ReadAll({f});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].source, f + ":1");
  EXPECT_EQ(recs[1].source, f + ":4");
  EXPECT_EQ(recs[1].data, "two\r");  // the verifier trims; the reader keeps bytes as they are
  EXPECT_EQ(recs[2].source, f + ":5");
  EXPECT_EQ(recs[2].data, "three");
}

// Line numbers of any width: a source is the path, ':' and the line's number.
TEST_F(RecordReaderTest, LineNumbersOfManyDigitsAreWrittenWhole) {
  std::string text;
  for (int i = 1; i <= 12345; ++i) text += i % 1000 == 0 || i == 9 || i == 10 || i == 12345 ? "r\n" : "\n";
  std::string f = Write("many.jsonl", text);
  auto recs = ReadAll({f});
  std::vector<std::string> sources;
  for (const Record& r : recs) sources.push_back(r.source);
  std::vector<std::string> want = {f + ":9", f + ":10"};
  for (int i = 1000; i <= 12000; i += 1000) want.push_back(f + ":" + std::to_string(i));
  want.push_back(f + ":12345");
  EXPECT_EQ(sources, want);
}

TEST_F(RecordReaderTest, JsonArrayElementsAreNumberedFromOne) {
  std::string f = Write("b.json", R"([{"a":1}, "x.y.z", {"b":[2]}])");
  auto recs = ReadAll({f});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].source, f + "#1");
  EXPECT_EQ(recs[0].data, R"({"a":1})");
  EXPECT_EQ(recs[1].data, R"("x.y.z")");
  EXPECT_EQ(recs[2].source, f + "#3");
}

TEST_F(RecordReaderTest, SingleJsonDocumentIsOneRecordAsWritten) {
  std::string doc = "{\n  \"payload\": \"a\\/b\",\n  \"signatures\": []\n}\n";
  std::string f = Write("c.jsonld", doc);
  auto recs = ReadAll({f});
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].source, f);
  EXPECT_EQ(recs[0].data, doc);
}

TEST_F(RecordReaderTest, GzipInputIsTransparent) {
  fs::path p = dir_ / "d.jwt.gz";
  gzFile gz = gzopen(p.c_str(), "wb");
  gzputs(gz, "aaa.bbb.ccc\nddd.eee.fff\n");
  gzclose(gz);
  auto recs = ReadAll({p.string()});
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].data, "ddd.eee.fff");
  EXPECT_EQ(recs[1].source, p.string() + ":2");
}

TEST_F(RecordReaderTest, DirectoriesAreWalkedSortedAndFiltered) {
  Write("dir/z.jsonl", "z1\n");
  Write("dir/sub/a.jwt", "a1\n");
  Write("dir/notes.md", "ignored\n");
  Write("dir/b.json", R"({"k":1})");
  auto recs = ReadAll({(dir_ / "dir").string()});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_NE(recs[0].source.find("b.json"), std::string::npos);
  EXPECT_NE(recs[1].source.find("sub/a.jwt:1"), std::string::npos);
  EXPECT_NE(recs[2].source.find("z.jsonl:1"), std::string::npos);
}

TEST_F(RecordReaderTest, OverlongLineBecomesAnErrorRecordAndReadingGoesOn) {
  std::string f = Write("e.jsonl", "short\n" + std::string(5000, 'x') + "\nafter\n");
  ReaderOptions o;
  o.max_record_bytes = 1024;
  auto recs = ReadAll({f}, o);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].error.code, "record_too_large");
  EXPECT_EQ(recs[1].source, f + ":2");
  EXPECT_TRUE(recs[1].data.empty());
  EXPECT_EQ(recs[2].data, "after");
  EXPECT_EQ(recs[2].source, f + ":3");
}

TEST_F(RecordReaderTest, EmptyOrWhitespaceJsonDocumentIsAnEmptyRecord) {
  std::string empty = Write("empty.json", "");
  std::string blank = Write("blank.json", " \n\t\r\n");
  std::string after = Write("z.jsonl", "next\n");
  auto recs = ReadAll({empty, blank, after});
  ASSERT_EQ(recs.size(), 3u);  // one result per file, none silently dropped
  EXPECT_EQ(recs[0].source, empty);
  EXPECT_EQ(recs[0].error.code, "empty_record");
  EXPECT_EQ(recs[0].error.message, "the file is empty");
  EXPECT_EQ(recs[1].source, blank);
  EXPECT_EQ(recs[1].error.code, "empty_record");
  EXPECT_EQ(recs[2].data, "next");
}

std::string Utf16Le(const std::string& ascii, bool bom) {
  std::string out = bom ? std::string("\xFF\xFE") : std::string();
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

TEST_F(RecordReaderTest, Utf16LinesAreOneRecordNamingTheEncoding) {
  std::string f = Write("u.jsonl", Utf16Le("{\"a\":1}\n{\"b\":2}\n", true));
  std::string next = Write("v.jsonl", "next\n");
  auto recs = ReadAll({f, next});
  ASSERT_EQ(recs.size(), 2u);  // not one garbage record per line
  EXPECT_EQ(recs[0].source, f);
  EXPECT_EQ(recs[0].error.code, "unsupported_encoding");
  EXPECT_NE(recs[0].error.message.find("UTF-16LE"), std::string::npos) << recs[0].error.message;
  EXPECT_EQ(recs[1].data, "next");  // the next input is read as usual
}

TEST_F(RecordReaderTest, Utf16WithoutByteOrderMarkIsRecognisedInDocuments) {
  std::string be;
  for (char c : std::string("{\"a\":1}")) {
    be += '\0';
    be += c;
  }
  std::string f = Write("u.json", be);
  auto recs = ReadAll({f});
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].error.code, "unsupported_encoding");
  EXPECT_NE(recs[0].error.message.find("UTF-16BE"), std::string::npos) << recs[0].error.message;
}

TEST_F(RecordReaderTest, AStrayNulInAGarbageLineIsNotTakenForUtf16) {
  std::string f = Write("g.jsonl", std::string("\x01\0garbage\nnext\n", 15));
  auto recs = ReadAll({f});
  ASSERT_EQ(recs.size(), 2u);  // each line still gets its own result
  EXPECT_TRUE(recs[0].error.code.empty()) << recs[0].error.message;
  EXPECT_EQ(recs[1].data, "next");
}

TEST_F(RecordReaderTest, Utf8ByteOrderMarkIsSkipped) {
  std::string lines = Write("bom.jsonl", "\xEF\xBB\xBFone\ntwo\n");
  std::string doc = Write("bom.json", "\xEF\xBB\xBF{\"a\":1}");
  auto recs = ReadAll({lines, doc});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].data, "one");
  EXPECT_TRUE(recs[0].error.code.empty());
  EXPECT_EQ(recs[2].data, "{\"a\":1}");
}

TEST_F(RecordReaderTest, PrettyPrintedDocumentAsJsonLinesHintsAtTheDocumentForm) {
  std::string f = Write("pretty.jsonl", "{\n  \"a\": 1\n}\n");
  auto recs = ReadAll({f});
  ASSERT_FALSE(recs.empty());
  EXPECT_EQ(recs[0].source, f + ":1");
  EXPECT_EQ(recs[0].error.code, "malformed_json");
  EXPECT_NE(recs[0].error.message.find("pretty-printed JSON document"), std::string::npos) << recs[0].error.message;
  EXPECT_NE(recs[0].error.message.find(".json file"), std::string::npos) << recs[0].error.message;
  EXPECT_EQ(recs.size(), 3u);  // still one result per line: index-aligned output
}

TEST_F(RecordReaderTest, MissingInputIsAnError) {
  auto r = RecordReader::Open({(dir_ / "nope.jsonl").string()}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nope.jsonl"), std::string::npos);
}

// Open descriptors of this process.
size_t OpenDescriptors() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// Each file longer than one read is asked for ahead of the reading and the next
// one opened early (storage::AdviseWillNeed): the records come all the same, in
// order, across plain, gzip and document inputs, and no descriptor is left open.
TEST_F(RecordReaderTest, InputsReadAheadComeInOrderAndLeaveNoDescriptorOpen) {
  std::vector<std::string> inputs, expected;
  for (int i = 0; i < 30; ++i) {
    std::string text;
    for (int k = 1; k <= 3; ++k) {
      // 100 KB lines: each file takes two reads, the second of which reads ahead.
      const std::string line = "r" + std::to_string(i) + "-" + std::to_string(k) + std::string(100000, 'x');
      text += line + "\n";
      expected.push_back(line);
    }
    if (i == 10) {
      fs::path p = dir_ / "f10.jsonl.gz";
      gzFile gz = gzopen(p.c_str(), "wb");
      gzputs(gz, text.c_str());
      gzclose(gz);
      inputs.push_back(p.string());
    } else if (i == 20) {
      inputs.push_back(Write("f20.json", R"(["a","b"])"));
      expected.resize(expected.size() - 3);
      expected.insert(expected.end(), {"\"a\"", "\"b\""});
    } else {
      inputs.push_back(Write("f" + std::to_string(i) + ".jsonl", text));
    }
  }
  const size_t before = OpenDescriptors();
  {
    auto r = RecordReader::Open(inputs, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> got;
    Record rec;
    size_t most = 0;
    while ((*r)->Next(&rec)) {
      EXPECT_TRUE(rec.error.code.empty()) << rec.source << ": " << rec.error.code;
      got.push_back(rec.data);
      most = std::max(most, OpenDescriptors());
    }
    EXPECT_EQ(got, expected);
    EXPECT_LE(most, before + 2) << "the file read and the next one, no more";
  }
  EXPECT_EQ(OpenDescriptors(), before);
}

// A next input gone before its early open is opened in its turn, and the
// failure is its own record, as without reading ahead.
TEST_F(RecordReaderTest, AnInputRemovedBeforeItsTurnIsAnErrorRecord) {
  const std::string a = Write("a.jsonl", "a1\na2\n"), b = Write("b.jsonl", "b1\n"), c = Write("c.jsonl", "c1\n");
  auto r = RecordReader::Open({a, b, c}, {});
  ASSERT_TRUE(r.ok());
  fs::remove(b);
  std::vector<Record> recs;
  Record rec;
  while ((*r)->Next(&rec)) recs.push_back(rec);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[1].data, "a2");
  EXPECT_EQ(recs[2].error.code, "io_error");
  EXPECT_EQ(recs[2].source, b);
  EXPECT_EQ(recs[3].data, "c1");
}

// While the first input is read, the next one is read into the page cache
// before any of its records is asked for.
TEST_F(RecordReaderTest, TheNextInputIsReadAheadBeforeItsTurn) {
  std::string first;  // 300 lines of 1,000 bytes: two reads
  for (int i = 0; i < 300; ++i) first += "a" + std::to_string(i) + std::string(990, 'a') + "\n";
  const std::string a = Write("a.jsonl", first);
  std::string text;
  for (int i = 0; i < 4000; ++i) text += std::string(999, 'b') + "\n";
  const std::string b = Write("b.jsonl", text);
  if (!credsweep::testing::DropFromPageCache(b)) GTEST_SKIP() << "this file system keeps " << b << " in memory";
  auto r = RecordReader::Open({a, b}, {});
  ASSERT_TRUE(r.ok());
  Record rec;
  for (int i = 0; i < 290; ++i) ASSERT_TRUE((*r)->Next(&rec));  // into a's second read, not to its end
  EXPECT_TRUE(rec.data.starts_with("a289")) << rec.data.substr(0, 10);
  EXPECT_TRUE(credsweep::testing::CachedWithin(b)) << "b.jsonl in the page cache, none of its records read: "
                                                  << credsweep::testing::CachedPages(b).cached << " of "
                                                  << credsweep::testing::CachedPages(b).pages << " pages";
}

// A file read whole by its first read (a folder of one-credential files) is not
// read ahead: the next input is opened in its turn, not early.
TEST_F(RecordReaderTest, AFileOfOneReadOpensNothingEarly) {
  const std::string a = Write("a.jwt", "a1\na2\n"), b = Write("b.jwt", "b1\n");
  const size_t before = OpenDescriptors();
  auto r = RecordReader::Open({a, b}, {});
  ASSERT_TRUE(r.ok());
  Record rec;
  ASSERT_TRUE((*r)->Next(&rec));
  EXPECT_EQ(rec.data, "a1");
  EXPECT_EQ(OpenDescriptors(), before + 1) << "a.jwt only";
}

// A gzip input is asked for ahead of its reading too (its compressed bytes),
// and so is a gzip input next in turn.
TEST_F(RecordReaderTest, GzipInputsAreReadAheadToo) {
  std::string text;
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 20000; ++i) {
    text += std::to_string(i) + ":";
    for (int k = 0; k < 30; ++k) {  // xorshift: text gzip cannot shrink much
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      text += "0123456789abcdef"[x & 15];
    }
    text += "\n";
  }
  auto gzip = [&](const std::string& name) {
    const std::string path = (dir_ / name).string();
    gzFile gz = gzopen(path.c_str(), "wb");
    gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
    gzclose(gz);
    return path;
  };
  const std::string a = gzip("a.jsonl.gz"), b = gzip("b.jsonl.gz");
  ASSERT_GT(fs::file_size(a), size_t{256} << 10) << "more than the first read takes";
  if (!credsweep::testing::DropFromPageCache(a) || !credsweep::testing::DropFromPageCache(b)) {
    GTEST_SKIP() << "this file system keeps files in memory";
  }
  auto r = RecordReader::Open({a, b}, {});
  ASSERT_TRUE(r.ok());
  Record rec;
  for (int i = 0; i < 15000; ++i) ASSERT_TRUE((*r)->Next(&rec));  // past a's first read, not to its end
  EXPECT_TRUE(rec.data.starts_with("14999:")) << rec.data;
  EXPECT_TRUE(credsweep::testing::CachedWithin(a)) << "the rest of a.jsonl.gz";
  EXPECT_TRUE(credsweep::testing::CachedWithin(b)) << "b.jsonl.gz, before its turn";
  size_t n = 15000;
  while ((*r)->Next(&rec)) n += rec.error.code.empty();
  EXPECT_EQ(n, 40000u);
}

// Named pipes are opened in their turn only: opening the next one early would
// wait for its writer, which here first fills the pipe before it (more than a
// pipe holds) and so waits for the reader to drain it.
TEST_F(RecordReaderTest, NamedPipesAreOpenedOnlyInTheirTurn) {
  const std::string a = (dir_ / "a.jsonl").string(), b = (dir_ / "b.jsonl").string();
  ASSERT_EQ(mkfifo(a.c_str(), 0600), 0);
  ASSERT_EQ(mkfifo(b.c_str(), 0600), 0);
  std::thread writer([a, b] {
    {
      std::ofstream out(a, std::ios::binary);  // waits for the reader
      for (int i = 0; i < 1000; ++i) out << std::string(999, 'a') << '\n';  // > 256 KiB read + a pipe's 64
    }
    std::ofstream(b, std::ios::binary) << "b1\n";
  });
  std::promise<size_t> count;
  std::future<size_t> counted = count.get_future();
  std::thread reader([&count, a, b] {
    size_t n = 0;
    auto r = RecordReader::Open({a, b}, {});
    Record rec;
    if (r.ok()) {
      while ((*r)->Next(&rec)) n += rec.error.code.empty();
    }
    count.set_value(n);
  });
  const bool done = counted.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  if (!done) {
    ADD_FAILURE() << "the reader waits on b.jsonl before draining a.jsonl";
    // Frees both threads: a writer end lets the reader's open of b return; once
    // it drains a, the writer goes on to b.
    const int fd = open(b.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (fd >= 0) close(fd);
  }
  writer.join();
  reader.join();
  if (done) {
    EXPECT_EQ(counted.get(), 1001u);
  }
}

}  // namespace
}  // namespace credsweep::io
