// A fresh status index in a temporary folder of its own per test (name and pid),
// removed afterwards: the real RocksDB store the sweep's tests run against.
#ifndef CREDSWEEP_TESTS_IO_SWEEP_INDEX_FIXTURE_H_
#define CREDSWEEP_TESTS_IO_SWEEP_INDEX_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/status_index.h"

namespace credsweep::testing {

class FreshIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::path(::testing::TempDir()) /
            ("index-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    auto idx = storage::CreateOrOpenForWriting(dir_);
    ASSERT_TRUE(idx.ok()) << idx.status().message();
    index_ = std::move(idx).value();
  }
  void TearDown() override {
    index_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<storage::StatusIndex> index_;
};

}  // namespace credsweep::testing

#endif  // CREDSWEEP_TESTS_IO_SWEEP_INDEX_FIXTURE_H_
