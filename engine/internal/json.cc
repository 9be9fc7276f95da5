#include "engine/internal/json.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace credsweep::internal {
namespace {

using Names = std::vector<std::string_view>;

bool FindInElement(element e, Names& scratch, std::string* name, std::string* path);

// Depth first; `path` is built only on the way back from a finding.
bool FindInObject(object obj, Names& scratch, std::string* name, std::string* path) {
  const size_t first = scratch.size();
  for (auto [key, value] : obj) scratch.push_back(key);
  const auto begin = scratch.begin() + static_cast<std::ptrdiff_t>(first);
  // Not "dup.empty()" as the sign of none: "" is a member name like any other, and a
  // duplicated "" must not hide itself (or, sorted first, every other duplicate).
  std::optional<std::string_view> dup;
  if (scratch.size() - first <= 16) {
    // Small objects (the common case) are compared pairwise without sorting.
    for (auto i = begin; i != scratch.end() && !dup; ++i) {
      if (std::find(i + 1, scratch.end(), *i) != scratch.end()) dup = *i;
    }
  } else {
    std::sort(begin, scratch.end());
    if (auto it = std::adjacent_find(begin, scratch.end()); it != scratch.end()) dup = *it;
  }
  scratch.resize(first);
  if (dup) {
    *name = std::string(*dup);
    return true;
  }
  for (auto [key, value] : obj) {
    if (FindInElement(value, scratch, name, path)) {
      path->insert(0, "/" + std::string(key));
      return true;
    }
  }
  return false;
}

bool FindInElement(element e, Names& scratch, std::string* name, std::string* path) {
  object obj;
  if (e.get_object().get(obj) == simdjson::SUCCESS) return FindInObject(obj, scratch, name, path);
  simdjson::dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return false;
  size_t i = 0;
  for (element item : arr) {
    if (FindInElement(item, scratch, name, path)) {
      path->insert(0, "/" + std::to_string(i));
      return true;
    }
    ++i;
  }
  return false;
}

template <typename Root, typename Find>
std::optional<std::string> Duplicate(Root root, Find find) {
  thread_local Names scratch;
  scratch.clear();
  std::string name, path;
  if (!find(root, scratch, &name, &path)) return std::nullopt;
  return "member '" + name + "' appears more than once in " + (path.empty() ? std::string("the top-level object") : path);
}

}  // namespace

std::optional<std::string> DuplicateMember(element root) { return Duplicate(root, FindInElement); }
std::optional<std::string> DuplicateMember(object root) { return Duplicate(root, FindInObject); }

}  // namespace credsweep::internal
