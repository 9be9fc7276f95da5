#include "io/http/body_records.h"

#include <gtest/gtest.h>

namespace credsweep::io::http {
namespace {

std::vector<std::string> Sources(const std::vector<Record>& batch) {
  std::vector<std::string> out;
  for (const auto& r : batch) out.push_back(r.source);
  return out;
}

TEST(BodyRecords, LinesSplitAcrossChunksKeepTheirNumbers) {
  BodyRecords b(/*json_lines=*/true, {});
  std::vector<Record> batch;
  b.Feed("{\"a\":1}\n\n  \r\n{\"b\"");
  ASSERT_TRUE(b.TakeBatch(&batch));
  EXPECT_EQ(Sources(batch), (std::vector<std::string>{"request:1"}));
  EXPECT_EQ(batch[0].data, "{\"a\":1}");
  EXPECT_FALSE(b.TakeBatch(&batch));  // line 4 is not complete yet
  b.Feed(":2}\n{\"c\":3}");           // the last line has no newline
  ASSERT_TRUE(b.TakeBatch(&batch));
  EXPECT_EQ(Sources(batch), (std::vector<std::string>{"request:4"}));
  EXPECT_EQ(batch[0].data, "{\"b\":2}");
  EXPECT_FALSE(b.done());
  b.Finish();
  ASSERT_TRUE(b.TakeBatch(&batch));
  EXPECT_EQ(Sources(batch), (std::vector<std::string>{"request:5"}));
  EXPECT_TRUE(b.done());
  EXPECT_FALSE(b.TakeBatch(&batch));
}

TEST(BodyRecords, BatchesAreBoundedByRecordsAndBytes) {
  BodyRecords b(true, {.max_records = 3, .max_bytes = 1u << 20});
  std::string chunk;
  for (int i = 0; i < 10; ++i) chunk += "{}\n";
  b.Feed(chunk);
  b.Finish();
  std::vector<size_t> sizes;
  std::vector<Record> batch;
  while (b.TakeBatch(&batch)) sizes.push_back(batch.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 3, 1}));

  BodyRecords big(true, {.max_records = 100, .max_bytes = 1000});
  std::string line(600, 'x');
  big.Feed(line + "\n" + line + "\n" + line + "\n");
  sizes.clear();
  while (big.TakeBatch(&batch)) sizes.push_back(batch.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 1}));  // closes once past 1000 bytes
}

TEST(BodyRecords, HoldsOnlyTheUnhandedPartOfTheBody) {
  BodyRecords b(true, {});
  std::vector<Record> batch;
  std::string chunk;
  for (int i = 0; i < 1000; ++i) chunk += "{}\n";
  for (int round = 0; round < 100; ++round) {
    b.Feed(chunk + "{\"partial");  // an unfinished line carried into the next chunk
    while (b.TakeBatch(&batch)) {
    }
    EXPECT_LE(b.held_bytes(), 20u) << round;  // not the 300 KB fed so far
    b.Feed("\":1}\n");
    while (b.TakeBatch(&batch)) {
    }
  }
  EXPECT_EQ(batch.size(), 0u);
}

TEST(BodyRecords, DocumentModeIsOneRecordOnceTheBodyEnds) {
  BodyRecords b(/*json_lines=*/false, {});
  std::vector<Record> batch;
  b.Feed("{\"a\":\n");
  b.Feed("1}\n");
  EXPECT_FALSE(b.TakeBatch(&batch));
  b.Finish();
  ASSERT_TRUE(b.TakeBatch(&batch));
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].source, "request");
  EXPECT_EQ(batch[0].data, "{\"a\":\n1}\n");
  EXPECT_TRUE(b.done());
}

}  // namespace
}  // namespace credsweep::io::http
