// A stable partition of a corpus into N shards, so that N processes (on N
// machines) each verify one part: a record belongs to shard K of N when the
// first 8 bytes of SHA-256(its source), read big-endian, are K-1 modulo N. The
// source is the record's name in results ("folder/a.jsonl:12", "b.json#3"), so
// every shard must be given the same input paths (docs/sweep.md#shards).
#ifndef CREDSWEEP_IO_SHARD_H_
#define CREDSWEEP_IO_SHARD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep::io {

struct Shard {
  uint32_t index = 1;  // K, 1-based
  uint32_t count = 1;  // N; 1 is the whole corpus

  bool whole() const { return count == 1; }
  bool Contains(std::string_view source) const;
  std::string ToString() const;  // "K/N"
};

// Parses "K/N" with 1 <= K <= N <= kMaxShards; InvalidArgument otherwise.
inline constexpr uint32_t kMaxShards = 65536;
Result<Shard> ParseShard(std::string_view text);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SHARD_H_
