#include "io/resp/decoder.h"

#include <gtest/gtest.h>

namespace credsweep::io::resp {
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
  // The literal's own length (25 bytes, with its NUL): a hand-counted 28 read past
  // its end (found by scripts/test-sanitizers' AddressSanitizer run).
  static constexpr char kWire[] = "*2\r\n$4\r\nECHO\r\n$5\r\na\r\nb\0\r\n";
  std::string wire(kWire, sizeof kWire - 1);
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

TEST(RespDecoder, ACommandStaysInProgressBetweenItsArguments) {
  Decoder d;
  Commands out;
  EXPECT_FALSE(d.in_command());
  ASSERT_TRUE(d.Feed("*3\r\n$4\r\nMGET\r\n", &out));
  EXPECT_EQ(d.buffered(), 0u);  // every byte parsed...
  EXPECT_TRUE(d.in_command());  // ...but the command is not complete
  EXPECT_EQ(d.pending_bytes(), 4u);
  ASSERT_TRUE(d.Feed("$1\r\na\r\n$2\r\nbc\r\n", &out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(d.in_command());
  EXPECT_EQ(d.pending_bytes(), 0u);
}

TEST(RespDecoder, ACommandOverTheByteBudgetIsRefusedOnItsAnnouncement) {
  DecoderLimits limits;
  limits.max_bulk_bytes = 1000;
  limits.max_command_bytes = 2500;
  Decoder d(limits);
  Commands out;
  std::string arg(1000, 'x');
  std::string wire = "*10\r\n";
  for (int i = 0; i < 2; ++i) wire += "$1000\r\n" + arg + "\r\n";
  ASSERT_TRUE(d.Feed(wire, &out)) << d.error();
  EXPECT_EQ(d.pending_bytes(), 2000u);
  EXPECT_FALSE(d.Feed("$1000\r\n", &out));  // announced: 3000 > 2500, before any byte of it
  EXPECT_NE(d.error().find("command larger than 2500 bytes"), std::string::npos) << d.error();
  EXPECT_EQ(d.pending_bytes(), 0u);  // what the command held is released
  // Within the budget, many arguments are fine.
  Decoder e(limits);
  ASSERT_TRUE(e.Feed("*3\r\n$1000\r\n" + arg + "\r\n$1000\r\n" + arg + "\r\n$500\r\n" + std::string(500, 'y') + "\r\n", &out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].size(), 3u);
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
}  // namespace credsweep::io::resp
