// Finds credentials handed in more than once in a run: the same credential id in
// several records (the same degree in two applicants' folders).
//
// Not thread-safe, and need not be: it is fed from the pipeline's output stage,
// which hands results over one at a time in input order, so "the first record"
// is the first in input order whatever the number of threads.
#ifndef CREDSWEEP_IO_REPORT_DUPLICATE_IDS_H_
#define CREDSWEEP_IO_REPORT_DUPLICATE_IDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace credsweep::io {

class DuplicateIds {
 public:
  // Remembers at most `max_ids` distinct ids (memory stays bounded on an endless
  // sweep); records whose id first appears after that are not compared.
  explicit DuplicateIds(size_t max_ids = kDefaultMaxIds) : max_ids_(max_ids) {}

  // The source of the first record seen with `id`, or "" when this is the first
  // (or `id` is empty: a credential without an id duplicates nothing). The view
  // stays valid as long as this object.
  std::string_view See(const std::string& id, const std::string& source);

  // True once an id was not remembered because max_ids were.
  bool capped() const { return capped_; }

  static constexpr size_t kDefaultMaxIds = size_t{1} << 20;

 private:
  size_t max_ids_;
  bool capped_ = false;
  std::unordered_map<std::string, std::string> first_source_;  // id -> source
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_DUPLICATE_IDS_H_
