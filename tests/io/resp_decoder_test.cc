#include "io/resp/decoder.h"

#include <gtest/gtest.h>

namespace credsweep::resp {
namespace {

using Commands = std::vector<std::vector<std::string>>;

TEST(RespDecoder, ByteByByteFeedingYieldsTheSameCommands) {
  std::string wire = "*2\r\n$3\r\nGET\r\n$11\r\nurn:uuid:42\r\n*1\r\n$4\r\nPING\r\n*3\r\n$4\r\nMGET\r\n$0\r\n\r\n$1\r\nx\r\n";
  Decoder d;
  Commands out;
  for (char c : wire) ASSERT_TRUE(d.Feed(std::string_view(&c, 1), &out)) << d.error();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], (std::vector<std::string>{"GET", "urn:uuid:42"}));
  EXPECT_EQ(out[1], (std::vector<std::string>{"PING"}));
  EXPECT_EQ(out[2], (std::vector<std::string>{"MGET", "", "x"}));
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(RespDecoder, SplitFramesAndBinarySafeArguments) {
  Decoder d;
  Commands out;
  ASSERT_TRUE(d.Feed("*2\r\n$4\r\nECHO\r\n$5\r\na\r", &out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(d.Feed("\nb\0\r\n*1\r\n$4\r\nPI", &out));
  ASSERT_EQ(out.size(), 0u);  // the 5-byte bulk "a\r\nb\0" is not complete yet
  Decoder e;
  std::string wire("*2\r\n$4\r\nECHO\r\n$5\r\na\r\nb\0\r\n", 28);
  ASSERT_TRUE(e.Feed(wire, &out)) << e.error();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0][1], std::string("a\r\nb\0", 5));
}

TEST(RespDecoder, InlineCommands) {
  Decoder d;
  Commands out;
  ASSERT_TRUE(d.Feed("PING\r\nGET  urn:a \r\n\r\nEXISTS a b\n", &out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1], (std::vector<std::string>{"GET", "urn:a"}));
  EXPECT_EQ(out[2].size(), 3u);
}

TEST(RespDecoder, OversizeAnnouncementsAreRefusedBeforeAllocation) {
  DecoderLimits limits;
  limits.max_bulk_bytes = 1024;
  limits.max_args = 8;
  {
    Decoder d(limits);
    Commands out;
    EXPECT_FALSE(d.Feed("*1\r\n$2147483647\r\n", &out));
    EXPECT_NE(d.error().find("invalid bulk length"), std::string::npos);
    EXPECT_EQ(d.buffered(), 0u);  // nothing kept, nothing reserved
    EXPECT_FALSE(d.Feed("*1\r\n$4\r\nPING\r\n", &out));  // a broken stream stays broken
  }
  {
    Decoder d(limits);
    Commands out;
    EXPECT_FALSE(d.Feed("*1000000\r\n", &out));
    EXPECT_NE(d.error().find("multibulk"), std::string::npos);
  }
  {
    Decoder d(limits);
    Commands out;
    EXPECT_FALSE(d.Feed(std::string(70 * 1024, 'A'), &out));  // an endless inline line
  }
}

TEST(RespDecoder, GarbageIsAProtocolError) {
  for (std::string bad : {"*2\r\n:1\r\n", "*x\r\n", "*1\r\n$-5\r\n", "*1\r\n$3\r\nabcXY", "*1\r\n$abc\r\n"}) {
    Decoder d;
    Commands out;
    EXPECT_FALSE(d.Feed(bad, &out)) << bad;
    EXPECT_FALSE(d.error().empty());
  }
}

}  // namespace
}  // namespace credsweep::resp
