#include "engine/internal/json.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace credsweep::internal {
namespace {

// The members of the objects on the way down, one range per object: each object's
// members are read once, for their names and for the containers to descend into.
struct Member {
  std::string_view key;
  element value;
};
using Names = std::vector<Member>;

bool FindInElement(element e, Names& scratch, std::string* name, std::string* path);

bool IsContainer(element e) {
  const simdjson::dom::element_type t = e.type();
  return t == simdjson::dom::element_type::OBJECT || t == simdjson::dom::element_type::ARRAY;
}

// Depth first; `path` is built only on the way back from a finding.
bool FindInObject(object obj, Names& scratch, std::string* name, std::string* path) {
  const size_t first = scratch.size();
  for (auto [key, value] : obj) scratch.push_back({key, value});
  const size_t end = scratch.size();
  // Not "dup.empty()" as the sign of none: "" is a member name like any other, and a
  // duplicated "" must not hide itself (or, sorted first, every other duplicate).
  std::optional<std::string_view> dup;
  if (end - first <= 16) {
    // Small objects (the common case) are compared pairwise without sorting.
    for (size_t i = first; i < end && !dup; ++i) {
      for (size_t j = i + 1; j < end; ++j) {
        if (scratch[i].key == scratch[j].key) {
          dup = scratch[i].key;
          break;
        }
      }
    }
  } else {
    std::vector<std::string_view> keys;
    keys.reserve(end - first);
    for (size_t i = first; i < end; ++i) keys.push_back(scratch[i].key);
    std::sort(keys.begin(), keys.end());
    if (auto it = std::adjacent_find(keys.begin(), keys.end()); it != keys.end()) dup = *it;
  }
  if (dup) {
    *name = std::string(*dup);
    scratch.resize(first);
    return true;
  }
  // By index: the members below are appended to (and may move) the same vector.
  for (size_t i = first; i < end; ++i) {
    const Member m = scratch[i];
    if (IsContainer(m.value) && FindInElement(m.value, scratch, name, path)) {
      path->insert(0, "/" + std::string(m.key));
      scratch.resize(first);
      return true;
    }
  }
  scratch.resize(first);
  return false;
}

bool FindInElement(element e, Names& scratch, std::string* name, std::string* path) {
  object obj;
  if (e.get_object().get(obj) == simdjson::SUCCESS) return FindInObject(obj, scratch, name, path);
  simdjson::dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return false;
  size_t i = 0;
  for (element item : arr) {
    if (IsContainer(item) && FindInElement(item, scratch, name, path)) {
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
