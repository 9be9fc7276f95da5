#include "engine/string_arena.h"

#include <algorithm>

namespace credsweep {

std::string_view StringArena::Copy(std::string_view s) {
  if (chunks_.empty() || s.size() > capacity_ - used_) {
    capacity_ = std::max(s.size(), kChunkBytes);
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(capacity_));
    used_ = 0;
  }
  char* p = chunks_.back().get() + used_;
  std::copy(s.begin(), s.end(), p);
  used_ += s.size();
  return std::string_view(p, s.size());
}

}  // namespace credsweep
