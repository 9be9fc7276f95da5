// Test helper: a credsweep status index opened with RocksDB itself, as an
// attacker (or a disk fault) with access to the directory would edit it.
#ifndef CREDSWEEP_TESTS_STORAGE_RAW_DB_H_
#define CREDSWEEP_TESTS_STORAGE_RAW_DB_H_

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/table_properties.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace credsweep::storage {

class RawDb {
 public:
  explicit RawDb(const std::string& dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::Options(), dir, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const std::string& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(rocksdb::Options(), dir, cfs, &handles_, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_ = db;
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }
  rocksdb::ColumnFamilyHandle* cf(const std::string& name) const {
    for (auto* h : handles_) {
      if (h->GetName() == name) return h;
    }
    ADD_FAILURE() << "no column family " << name;
    return nullptr;
  }
  std::string Get(const std::string& family, const std::string& key) const {
    std::string v;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(family), key, &v);
    EXPECT_TRUE(s.ok()) << family << "/" << key << ": " << s.ToString();
    return v;
  }
  void Put(const std::string& family, const std::string& key, const std::string& value) {
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), cf(family), key, value).ok());
  }
  void Delete(const std::string& family, const std::string& key) {
    ASSERT_TRUE(db_->Delete(rocksdb::WriteOptions(), cf(family), key).ok());
  }
  // Makes the index look as one made before `family` existed.
  void DropFamily(const std::string& family) {
    rocksdb::ColumnFamilyHandle* h = cf(family);
    ASSERT_TRUE(db_->DropColumnFamily(h).ok());
    db_->DestroyColumnFamilyHandle(h);
    handles_.erase(std::find(handles_.begin(), handles_.end(), h));
  }
  // The properties of each table file `family` holds.
  rocksdb::TablePropertiesCollection Tables(const std::string& family) const {
    rocksdb::TablePropertiesCollection tables;
    EXPECT_TRUE(db_->GetPropertiesOfAllTables(cf(family), &tables).ok());
    return tables;
  }
  // How many table files `family` has at `level` (0 to 6).
  int FilesAtLevel(const std::string& family, int level) const {
    std::string v;
    EXPECT_TRUE(db_->GetProperty(cf(family), "rocksdb.num-files-at-level" + std::to_string(level), &v));
    return std::atoi(v.c_str());
  }
  bool HasFamily(const std::string& family) const {
    for (auto* h : handles_) {
      if (h->GetName() == family) return true;
    }
    return false;
  }

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace credsweep::storage

#endif  // CREDSWEEP_TESTS_STORAGE_RAW_DB_H_
