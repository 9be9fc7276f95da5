#include "engine/json_writer.h"

#include <gtest/gtest.h>

#include "engine/json_escape.h"

namespace credsweep {
namespace {

TEST(JsonWriter, SeparatesMembersAndItemsAtEveryDepth) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Member("a", "x").Key("b").BeginArray().String("y").Int(-3).BeginObject().EndObject();
  w.BeginArray().EndArray().Null().EndArray().Member("c", true).Key("d").Raw(R"({"e":1})").Member("f", uint64_t{7});
  w.EndObject();
  EXPECT_EQ(out, R"({"a":"x","b":["y",-3,{},[],null],"c":true,"d":{"e":1},"f":7})");
}

// Short plain names and values are written in one piece, the rest by the escaper:
// at every length around the limit of the one-piece path (60 bytes), with and
// without a character to escape at every position, the writer's text is the
// escaper's.
TEST(JsonWriter, KeysAndValuesAreWrittenAsTheEscaperWritesThem) {
  for (size_t n = 0; n <= 70; ++n) {
    for (char special : {'\0', '"', '\\', '\n', '\x1f', '\x7f', '\xc3', '\xff'}) {
      for (size_t at = 0; at <= n; ++at) {
        std::string s(n, 'k');
        if (at < n && special != '\0') s[at] = special;
        if (special == '\0' && at > 0) break;  // the plain text once per length
        std::string out;
        JsonWriter w(&out);
        w.BeginObject().Member(s, s).Member("next", s).EndObject();
        std::string expected = "{";
        AppendJsonString(s, &expected);
        expected += ":";
        AppendJsonString(s, &expected);
        expected += ",\"next\":";
        AppendJsonString(s, &expected);
        expected += "}";
        ASSERT_EQ(out, expected) << n << " " << at << " " << int(special);
      }
    }
  }
}

TEST(JsonEscape, PlainTextIsWhatNeedsNoEscaping) {
  EXPECT_TRUE(IsPlainJsonText(""));
  EXPECT_TRUE(IsPlainJsonText("urn:uuid:e220a839-7b1d-4daf-a706-dd2f4d197e6f ~!@#$%^&*()_+{}|:<>?/.,';[]=-`"));
  // Read 16, 8 or 4 bytes at a time with an overlapping last read: every byte value
  // at every position of every length up to 40, among plain bytes of either kind
  // that a word-at-a-time test could confuse (0x20 just above the controls, 0x7F).
  for (size_t n = 1; n <= 40; ++n) {
    for (size_t at = 0; at < n; ++at) {
      for (int c = 0; c < 256; ++c) {
        for (char fill : {'p', ' ', '\x7f', '!'}) {
          std::string s(n, fill);
          s[at] = static_cast<char>(c);
          const bool plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
          ASSERT_EQ(IsPlainJsonText(s), plain) << n << " " << at << " " << c << " fill " << int(fill);
        }
      }
    }
  }
}

}  // namespace
}  // namespace credsweep
