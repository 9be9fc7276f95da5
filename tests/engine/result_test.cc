#include "engine/result.h"

#include <gtest/gtest.h>

#include <string>

namespace credsweep {
namespace {

Result<int> FromStatus(Status s) { return s; }

TEST(Result, AnOkStatusIsRefusedAsAnInternalError) {
  Result<int> r = FromStatus(Status::Ok());
  ASSERT_FALSE(r.ok());  // never a "value" that is not there
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("OK status"), std::string::npos);
}

TEST(Result, AnErrorStatusIsKeptAsGiven) {
  Result<std::string> r = NotFound("no key 'k1'");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no key 'k1'");
}

TEST(Result, AValueIsOkWithAnOkStatus) {
  Result<int> r = 7;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 7);
  EXPECT_TRUE(r.status().ok());
}

}  // namespace
}  // namespace credsweep
