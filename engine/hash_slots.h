// The slots of an open-addressing hash table over the caller's own array (a
// sweep's outcomes, its ids, a status index held in memory): each slot holds a
// position in that array and 32 bits of its key's hash, so that a probe looks at
// the caller's entry (a cache miss, in tables of millions) only when the hash
// bits match. At most half full; linear probing. Not thread-safe to build;
// lookups from many threads once built.
#ifndef CREDSWEEP_ENGINE_HASH_SLOTS_H_
#define CREDSWEEP_ENGINE_HASH_SLOTS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace credsweep {

// Asks the processor to fetch the cache line holding `p` (a hint: nothing is
// read, and a prefetch never faults, so `p` may be any address). Inline assembly
// on x86-64: GCC 12 drops a __builtin_prefetch that sits behind a branch, as one
// in a Find callback does.
inline void PrefetchLine(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 (%0)" : : "r"(p));
#else
  __builtin_prefetch(p);
#endif
}

class HashSlots {
 public:
  static constexpr uint32_t kNone = ~uint32_t{0};

  // Room for `count` positions, all slots empty. Positions are below kNone: a
  // table holds fewer than 2^32 - 1 entries.
  void Reset(size_t count) {
    if (count > kNone) count = kNone;  // no more positions than that
    size_t n = 16;
    while (n < 2 * count) n *= 2;
    slots_.assign(n, 0);
    used_ = 0;
  }
  size_t size() const { return used_; }

  // Adds `position` under `hash`; grows (rehashing through `hash_of(position)`)
  // when the table would be more than half full.
  template <typename HashOf>
  void Insert(uint64_t hash, uint32_t position, HashOf hash_of) {
    if (2 * (used_ + 1) > slots_.size()) Grow(hash_of);
    Place(hash, position);
    ++used_;
  }
  // For tables sized by Reset for every position they get.
  void Insert(uint64_t hash, uint32_t position) {
    Place(hash, position);
    ++used_;
  }

  // Asks the processor to fetch the slot where a Find or Insert of `hash` starts
  // (in a table of millions, a cache miss that work done meanwhile then hides).
  // The address is computed as an integer and without a branch: a prefetch never
  // faults (for an empty table it names no slot and fetches nothing useful), and
  // GCC 12 drops a __builtin_prefetch behind an `if` altogether.
  void Prefetch(uint64_t hash) const {
    const uintptr_t base = reinterpret_cast<uintptr_t>(slots_.data());
    __builtin_prefetch(reinterpret_cast<const void*>(base + (hash & (slots_.size() - 1)) * sizeof(uint64_t)));
  }

  // The first position in probe order whose hash bits match and for which
  // `matches(position)` is true; kNone if none. Of equal keys inserted into a
  // table that has not grown since, that is the first inserted.
  template <typename Matches>
  uint32_t Find(uint64_t hash, Matches matches) const {
    if (slots_.empty()) return kNone;
    const size_t mask = slots_.size() - 1;
    const uint64_t tag = Tag(hash);
    for (size_t slot = hash & mask; slots_[slot] != 0; slot = (slot + 1) & mask) {
      if ((slots_[slot] & kTagMask) != tag) continue;
      const uint32_t position = static_cast<uint32_t>(slots_[slot]) - 1;
      if (matches(position)) return position;
    }
    return kNone;
  }

 private:
  static constexpr uint64_t kTagMask = 0xffffffff00000000ull;
  // The high bits (the low ones choose the slot).
  static uint64_t Tag(uint64_t hash) { return (hash ^ (hash << 32)) & kTagMask; }

  void Place(uint64_t hash, uint32_t position) {
    const size_t mask = slots_.size() - 1;
    size_t slot = hash & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = Tag(hash) | (uint64_t{position} + 1);
  }
  template <typename HashOf>
  void Grow(HashOf hash_of) {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : 2 * old.size(), 0);
    for (uint64_t s : old) {
      if (s == 0) continue;
      const uint32_t position = static_cast<uint32_t>(s) - 1;
      Place(hash_of(position), position);
    }
  }

  std::vector<uint64_t> slots_;  // 0: empty; else the tag | position + 1
  size_t used_ = 0;
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_HASH_SLOTS_H_
