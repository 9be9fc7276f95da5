// Finds credentials handed in more than once in a run: the same credential id in
// several records (the same degree in two applicants' folders).
//
// Not thread-safe, and need not be: it is fed from the pipeline's output stage,
// which hands results over one at a time in input order, so "the first record"
// is the first in input order whatever the number of threads.
#ifndef CREDSWEEP_IO_REPORT_DUPLICATE_IDS_H_
#define CREDSWEEP_IO_REPORT_DUPLICATE_IDS_H_

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <utility>

#include "engine/hash_slots.h"
#include "engine/string_arena.h"

namespace credsweep::io {

class DuplicateIds {
 public:
  // Remembers at most `max_ids` distinct ids (memory stays bounded on an endless
  // sweep); records whose id first appears after that are not compared.
  explicit DuplicateIds(size_t max_ids = kDefaultMaxIds) : max_ids_(max_ids) {}
  DuplicateIds(const DuplicateIds&) = delete;
  DuplicateIds& operator=(const DuplicateIds&) = delete;

  // The source of the first record seen with `id`, or "" when this is the first
  // (or `id` is empty: a credential without an id duplicates nothing). The view
  // stays valid as long as this object.
  std::string_view See(const std::string& id, const std::string& source);

  // True once an id was not remembered because max_ids were.
  bool capped() const { return capped_; }

  // Memory: each id and its first source copied into large chunks, two views of
  // them and an 8-byte slot: about 50 bytes per id besides its and its source's
  // bytes (fewer than 2^32 - 1 ids: HashSlots).
  static constexpr size_t kDefaultMaxIds = size_t{1} << 20;

 private:
  size_t max_ids_;
  bool capped_ = false;
  StringArena copies_;  // the ids and sources
  // (id, first source), in the order seen; a deque grows without copying.
  std::deque<std::pair<std::string_view, std::string_view>> first_;
  HashSlots slots_;  // positions in first_, by the id's hash
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_DUPLICATE_IDS_H_
