// Copies of many small strings kept in large chunks, so that tables of
// std::string_view can point into them (a sweep's ids, a status index held in
// memory) without one allocation per string. Views stay valid for the arena's
// life. Not thread-safe.
#ifndef CREDSWEEP_ENGINE_STRING_ARENA_H_
#define CREDSWEEP_ENGINE_STRING_ARENA_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace credsweep {

class StringArena {
 public:
  StringArena() = default;
  StringArena(const StringArena&) = delete;
  StringArena& operator=(const StringArena&) = delete;

  // A copy of `s`; a string larger than a chunk gets a chunk of its own.
  std::string_view Copy(std::string_view s);

 private:
  static constexpr size_t kChunkBytes = 1u << 20;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t used_ = 0, capacity_ = 0;  // of chunks_.back()
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_STRING_ARENA_H_
