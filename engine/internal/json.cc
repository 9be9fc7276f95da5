#include "engine/internal/json.h"

#include <algorithm>
#include <cstring>
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

// Whether some object on the tape names a member twice. The tape (simdjson's
// doc/tape.md): one 64-bit word per value, its type in the top byte; a container's
// start word holds the index just past its end word; a string's word, the offset of
// its 32-bit length and bytes in the string buffer; a number takes a second word.
// In an object, key and value words alternate.
bool TapeHasDuplicate(const simdjson::dom::document& doc) {
  constexpr uint64_t kPayload = (uint64_t{1} << 56) - 1;
  constexpr size_t kArray = SIZE_MAX;  // an open array, where an object's keys start
  struct Key {
    const char* text;
    size_t size;
  };
  // The names of the open objects, innermost last; per open container, where its
  // names start in `keys` (kArray for an array).
  thread_local std::vector<Key> keys;
  thread_local std::vector<size_t> open;
  keys.clear();
  open.clear();
  const uint64_t* tape = doc.tape.get();
  const char* strings = reinterpret_cast<const char*>(doc.string_buf.get());
  const size_t end = static_cast<size_t>(tape[0] & kPayload);  // just past the closing root word
  bool in_object = false;  // the innermost open container is an object
  size_t i = 1;
  while (i < end) {
    uint64_t word = tape[i];
    if (in_object) {
      // A member's name, then its value in the same turn; or the object's end.
      if (static_cast<char>(word >> 56) == '}') {
        const size_t first = open.back();
        const Key* k = keys.data() + first;
        const size_t n = keys.size() - first;
        if (n <= 16) {
          for (size_t a = 0; a < n; ++a) {
            for (size_t b = a + 1; b < n; ++b) {
              if (k[a].size == k[b].size && std::memcmp(k[a].text, k[b].text, k[a].size) == 0) return true;
            }
          }
        } else {
          // Sorted, not pairwise: an object of many members must not cost their square.
          std::vector<std::string_view> names;
          names.reserve(n);
          for (size_t a = 0; a < n; ++a) names.emplace_back(k[a].text, k[a].size);
          std::sort(names.begin(), names.end());
          if (std::adjacent_find(names.begin(), names.end()) != names.end()) return true;
        }
        keys.resize(first);
        open.pop_back();
        in_object = !open.empty() && open.back() != kArray;
        ++i;
        continue;
      }
      uint32_t size;  // (a name is a string word)
      std::memcpy(&size, strings + (word & kPayload), sizeof size);
      keys.push_back({strings + (word & kPayload) + sizeof size, size});
      word = tape[++i];
    }
    switch (static_cast<char>(word >> 56)) {
      case '{':
        open.push_back(keys.size());
        in_object = true;
        break;
      case '[':
        open.push_back(kArray);
        in_object = false;
        break;
      case ']':
        open.pop_back();
        in_object = !open.empty() && open.back() != kArray;
        break;
      case 'l':  // a number's value is the next word
      case 'u':
      case 'd':
        ++i;
        break;
      default:  // a string, true, false, null
        break;
    }
    ++i;
  }
  return false;
}

}  // namespace

std::optional<std::string> DuplicateMember(const simdjson::dom::document& doc) {
  if (!TapeHasDuplicate(doc)) return std::nullopt;
  if (auto named = DuplicateMember(doc.root())) return named;
  return "a member name appears more than once";  // (the walk finds what the tape shows)
}

std::optional<std::string> DuplicateMember(element root) { return Duplicate(root, FindInElement); }
std::optional<std::string> DuplicateMember(object root) { return Duplicate(root, FindInObject); }

}  // namespace credsweep::internal
