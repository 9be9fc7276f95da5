#include "engine/timestamp.h"

#include <gtest/gtest.h>

namespace credsweep {
namespace {

TEST(DateTimeStamp, ParsesUtcAndOffsets) {
  EXPECT_EQ(ParseDateTimeStamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseDateTimeStamp("2023-02-26T01:21:23Z"), 1677374483);
  // validUntil-tz-ok: 19:21:29-06:00 is 01:21:29Z the next day.
  EXPECT_EQ(ParseDateTimeStamp("2023-02-25T19:21:29-06:00"), 1677374489);
  EXPECT_EQ(ParseDateTimeStamp("2023-09-27T14:07:01+02:00"), ParseDateTimeStamp("2023-09-27T12:07:01Z"));
  EXPECT_EQ(ParseDateTimeStamp("2030-12-31T00:00:00.000Z"), ParseDateTimeStamp("2030-12-31T00:00:00Z"));
  EXPECT_EQ(ParseDateTimeStamp("2024-02-29T12:00:00z"), 1709208000);
}

TEST(DateTimeStamp, RejectsOtherSyntax) {
  for (const char* bad : {"2023-02-26T01:21:23", "Sat 25 Feb 2023 07:16:31 PM CST",
                          "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "2023-02-26 01:21:23Z",
                          "2023-02-26T01:21:23.Z", "2023-02-26T01:21:23+0100", "", "not-a-valid-date",
                          "2023-02-26T24:00:00Z", "2023-02-26T01:21:23Zjunk"}) {
    EXPECT_FALSE(ParseDateTimeStamp(bad).has_value()) << bad;
  }
}

TEST(DateTimeStamp, FormatsUtc) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1709208000), "2024-02-29T12:00:00Z");
  EXPECT_EQ(FormatUtc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatUtc(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatUtc(253402300800), "invalid-date");
  EXPECT_EQ(FormatUtc(-62167219201), "invalid-date");  // the second before 0000-01-01
  EXPECT_EQ(FormatUtc(-62167219200), "0000-01-01T00:00:00Z");
}

// The buffer form writes the same text, every time (no state left from a call before).
TEST(DateTimeStamp, FormatsUtcIntoABuffer) {
  char text[kUtcTextSize];
  for (UnixSeconds t : {UnixSeconds{0}, UnixSeconds{253402300800}, UnixSeconds{1709208000}, UnixSeconds{-1}}) {
    EXPECT_EQ(std::string_view(text, FormatUtcInto(t, text)), FormatUtc(t)) << t;
  }
}

// Formatting and parsing agree over the whole range, every digit position moving:
// a step of 1,000,003 seconds (11.6 days) visits each second of the minute, each
// minute, hour, day of the month and month, from year 0 to 9999.
TEST(DateTimeStamp, FormattedTextParsesBackToTheSameTime) {
  int checked = 0;
  for (UnixSeconds t = -62167219200; t <= 253402300799; t += 1000003) {
    const std::string text = FormatUtc(t);
    ASSERT_EQ(ParseDateTimeStamp(text), t) << text;
    ++checked;
  }
  EXPECT_GT(checked, 300000);
}

}  // namespace
}  // namespace credsweep
