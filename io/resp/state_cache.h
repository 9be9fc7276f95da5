// An in-memory cache of credential states in front of the status index, for the
// server's GET/MGET/EXISTS hot path. Unknown ids are cached too (as unknown).
//
// Correct only while the server is the index's single writer (it holds the RocksDB
// lock): every write the server makes updates the cache after it is durable.
//
// Layout: 64 shards, each a flat open-addressing table of 128-bit key fingerprints
// (two independent 64-bit hashes of the id) and a state byte, so a lookup touches one
// cache line instead of a chain of heap nodes and strings. Two different ids share a
// fingerprint with probability about 2^-128. A shard that reaches half full is
// emptied. Thread-safe: a mutex per shard.
#ifndef CREDSWEEP_IO_RESP_STATE_CACHE_H_
#define CREDSWEEP_IO_RESP_STATE_CACHE_H_

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace credsweep::io::resp {

class StateCache {
 public:
  static constexpr int8_t kUnknown = -1;

  // `capacity`: ids held at most (rounded up to shards of a power of two).
  explicit StateCache(size_t capacity = 4u << 20) {
    size_t slots = 2;
    while (slots < 2 * capacity / kShards) slots <<= 1;
    for (auto& s : shards_) s.slots.resize(slots);
  }

  // The cached state (kUnknown for a cached unknown id), or nullopt on a miss.
  std::optional<int8_t> Get(std::string_view id) const {
    Key k = KeyOf(id);
    const Shard& s = shards_[k.a >> 58];
    std::lock_guard lock(s.mu);
    size_t mask = s.slots.size() - 1;
    for (size_t i = k.b & mask;; i = (i + 1) & mask) {
      const Slot& slot = s.slots[i];
      if (!slot.used) return std::nullopt;
      if (slot.a == k.a && slot.b == k.b) return slot.state;
    }
  }

  void Put(std::string_view id, int8_t state) {
    Key k = KeyOf(id);
    Shard& s = shards_[k.a >> 58];
    std::lock_guard lock(s.mu);
    size_t mask = s.slots.size() - 1;
    if (s.used * 2 >= s.slots.size()) {
      std::fill(s.slots.begin(), s.slots.end(), Slot{});
      s.used = 0;
    }
    for (size_t i = k.b & mask;; i = (i + 1) & mask) {
      Slot& slot = s.slots[i];
      if (!slot.used) {
        slot = {k.a, k.b, state, true};
        ++s.used;
        return;
      }
      if (slot.a == k.a && slot.b == k.b) {
        slot.state = state;
        return;
      }
    }
  }

 private:
  static constexpr size_t kShards = 64;
  struct Key {
    uint64_t a, b;
  };
  struct Slot {
    uint64_t a = 0, b = 0;
    int8_t state = 0;
    bool used = false;
  };
  struct Shard {
    mutable std::mutex mu;
    std::vector<Slot> slots;
    size_t used = 0;
  };

  // Two independent 64-bit hashes: std::hash (murmur in libstdc++) and FNV-1a with
  // a final avalanche; the shard comes from the top bits of the first, the slot from
  // the second.
  static Key KeyOf(std::string_view id) {
    uint64_t b = 14695981039346656037ULL;
    for (unsigned char c : id) b = (b ^ c) * 1099511628211ULL;
    b ^= b >> 33;
    b *= 0xff51afd7ed558ccdULL;
    b ^= b >> 33;
    return {std::hash<std::string_view>()(id), b};
  }

  std::array<Shard, kShards> shards_;
};

}  // namespace credsweep::io::resp

#endif  // CREDSWEEP_IO_RESP_STATE_CACHE_H_
