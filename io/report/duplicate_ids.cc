#include "io/report/duplicate_ids.h"

namespace credsweep::io {

std::string_view DuplicateIds::See(const std::string& id, const std::string& source) {
  if (id.empty()) return {};
  if (auto it = first_source_.find(id); it != first_source_.end()) return it->second;
  if (first_source_.size() >= max_ids_) {
    capped_ = true;
    return {};
  }
  first_source_.emplace(id, source);
  return {};
}

}  // namespace credsweep::io
