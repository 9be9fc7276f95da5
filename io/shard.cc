#include "io/shard.h"

#include <charconv>

#include "engine/sha256.h"

namespace credsweep::io {

bool Shard::Contains(std::string_view source) const {
  if (count <= 1) return true;
  const std::string digest = Sha256(source);
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | static_cast<unsigned char>(digest[i]);
  return h % count == index - 1;
}

std::string Shard::ToString() const { return std::to_string(index) + "/" + std::to_string(count); }

Result<Shard> ParseShard(std::string_view text) {
  const auto invalid = [&] {
    return InvalidArgument("--shard '" + std::string(text) + "': expected K/N with 1 <= K <= N <= " +
                                   std::to_string(kMaxShards));
  };
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return invalid();
  Shard shard;
  const auto parse = [](std::string_view part, uint32_t* out) {
    if (part.empty()) return false;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), *out);
    return ec == std::errc() && end == part.data() + part.size();
  };
  if (!parse(text.substr(0, slash), &shard.index) || !parse(text.substr(slash + 1), &shard.count)) return invalid();
  if (shard.index < 1 || shard.count < shard.index || shard.count > kMaxShards) return invalid();
  return shard;
}

}  // namespace credsweep::io
