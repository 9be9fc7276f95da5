#include "engine/internal/text_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>

namespace credsweep::internal {
namespace {

// `text` searched from a heap block of exactly its size: AddressSanitizer sees any
// read past its end.
bool ContainsExact(std::string_view text, std::string_view needle) {
  std::unique_ptr<char[]> bytes(new char[text.size()]);
  std::copy(text.begin(), text.end(), bytes.get());
  return Contains(std::string_view(bytes.get(), text.size()), needle);
}

TEST(ContainsTest, EdgeCases) {
  EXPECT_TRUE(Contains("", ""));
  EXPECT_TRUE(Contains("abc", ""));
  EXPECT_FALSE(Contains("", "a"));
  EXPECT_FALSE(Contains("ab", "abc"));
  EXPECT_TRUE(Contains("abc", "abc"));
  EXPECT_TRUE(Contains("xxcxx", "c"));
  EXPECT_FALSE(Contains("xxcxx", "d"));
  EXPECT_TRUE(Contains("ab", "ab"));
  // First and last bytes match, the middle does not.
  EXPECT_FALSE(Contains(std::string(100, 'x') + "\"vq\"" + std::string(100, 'x'), "\"vp\""));
  EXPECT_TRUE(Contains(std::string(100, 'x') + "\"vp\"" + std::string(100, 'x'), "\"vp\""));
  // A NUL byte is a byte like any other.
  EXPECT_TRUE(Contains(std::string_view("a\0b\0c", 5), std::string_view("b\0c", 3)));
  EXPECT_FALSE(Contains(std::string_view("a\0b\0c", 5), std::string_view("b\0d", 3)));
}

// At every start, in texts of every length around the 16-byte blocks, for needles
// of 2 to 40 bytes: found exactly where std::string_view::find finds it.
TEST(ContainsTest, EveryPositionAndLength) {
  for (size_t k : {2, 3, 4, 15, 16, 17, 22, 31, 32, 33, 40}) {
    std::string needle(k, 'n');
    needle.front() = 'V';
    needle.back() = 'z';
    for (size_t n = 0; n < 90; ++n) {
      for (size_t at = 0; at + k <= n; ++at) {
        std::string text(n, '.');
        text.replace(at, k, needle);
        ASSERT_TRUE(ContainsExact(text, needle)) << "k=" << k << " n=" << n << " at=" << at;
        // The same with its last byte changed: found nowhere.
        text[at + k - 1] = 'y';
        ASSERT_FALSE(ContainsExact(text, needle)) << "k=" << k << " n=" << n << " at=" << at;
      }
    }
  }
}

// Random texts over a small alphabet (many near misses) against std::string_view::find.
TEST(ContainsTest, AgreesWithFind) {
  std::mt19937 rng(11);
  for (int round = 0; round < 20000; ++round) {
    std::string text(rng() % 80, 'a'), needle(rng() % 24 + 1, 'a');
    for (char& c : text) c = static_cast<char>('a' + rng() % 3);
    for (char& c : needle) c = static_cast<char>('a' + rng() % 3);
    ASSERT_EQ(ContainsExact(text, needle), std::string_view(text).find(needle) != std::string_view::npos)
        << "text=" << text << " needle=" << needle;
  }
}

}  // namespace
}  // namespace credsweep::internal
