#include "io/sweep/sweep_outcome.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <ostream>
#include <unordered_map>

#include "engine/coding.h"
#include "engine/string_arena.h"

namespace credsweep::io {
namespace {
constexpr uint8_t kVerified = 1, kHasValidUntil = 2, kHasPosition = 4, kKeyIsId = 8, kSharedSource = 16;
constexpr uint8_t kKnownFlags = 31;

// The interned strings by number, in chunks that never move: a number handed out
// is read without a lock (it reached its reader through whatever handed over the
// outcome, after the copy was written). The chunks cover every 32-bit number
// (2^32 distinct strings would exhaust memory long before).
constexpr size_t kChunkBits = 16, kChunkSize = size_t{1} << kChunkBits, kMaxChunks = size_t{1} << (32 - kChunkBits);

struct InternTable {
  std::mutex mu;
  StringArena arena;                                       // under mu
  std::unordered_map<std::string_view, uint32_t> numbers;  // under mu
  uint32_t next = 1;                                       // under mu; 0 is ""
  std::array<std::atomic<std::string_view*>, kMaxChunks> chunks{};
};

InternTable& Table() {
  static InternTable* const table = new InternTable;  // never freed: outcomes may outlive main's locals
  return *table;
}

}  // namespace

// Each thread remembers the numbers it was given, so that the lock is taken once
// per thread and string, not once per outcome (six times each); and, in front of
// that map, the last string of each of a few classes by size and end bytes (an
// outcome's issuer and codes are mostly the last ones of their kind: found by one
// comparison, without hashing).
uint32_t SweepOutcome::Intern(std::string_view s) {
  if (s.empty()) return 0;
  struct Recent {
    std::string_view copy;  // the table's copy
    uint32_t n = 0;
  };
  thread_local std::array<Recent, 64> recent;
  Recent& r = recent[(s.size() * 7 + static_cast<unsigned char>(s.front()) * 3 +
                      static_cast<unsigned char>(s.back())) % recent.size()];
  if (r.copy == s) return r.n;
  thread_local std::unordered_map<std::string_view, uint32_t> known;  // views of the table's copies
  if (auto it = known.find(s); it != known.end()) {
    r = {it->first, it->second};
    return it->second;
  }
  InternTable& t = Table();
  uint32_t n = 0;
  std::string_view copy;
  {
    std::lock_guard lock(t.mu);
    if (auto it = t.numbers.find(s); it != t.numbers.end()) {
      copy = it->first;
      n = it->second;
    } else {
      n = t.next++;
      if (t.next == 0) std::abort();  // 2^32 distinct strings: memory would have run out long before
      copy = t.arena.Copy(s);
      std::atomic<std::string_view*>& chunk = t.chunks[n >> kChunkBits];
      if (!chunk.load(std::memory_order_relaxed)) chunk.store(new std::string_view[kChunkSize], std::memory_order_release);
      chunk.load(std::memory_order_relaxed)[n & (kChunkSize - 1)] = copy;
      t.numbers.emplace(copy, n);
    }
  }
  known.emplace(copy, n);
  r = {copy, n};
  return n;
}

std::string_view SweepOutcome::InternedAt(uint32_t n) {
  if (n == 0) return {};
  return Table().chunks[n >> kChunkBits].load(std::memory_order_acquire)[n & (kChunkSize - 1)];
}

std::string_view SweepSource::folder() const { return SweepOutcome::InternedAt(folder_); }

// Both only from constructors: nothing to let go, and a throwing allocation
// leaves no object behind.
void SweepSource::Assign(std::string_view s) {
  const size_t slash = s.rfind('/');
  const std::string_view folder = slash == std::string_view::npos ? std::string_view() : s.substr(0, slash + 1);
  const std::string_view rest = s.substr(folder.size());
  folder_ = SweepOutcome::Intern(folder);
  char* to = bytes_.inline_bytes;
  if (rest.size() > kInlineBytes) to = bytes_.heap = new char[rest.size()];
  rest_size_ = static_cast<uint32_t>(rest.size());
  if (!rest.empty()) std::memcpy(to, rest.data(), rest.size());
}

void SweepSource::CopyFrom(const SweepSource& o) {
  folder_ = o.folder_;
  if (!o.on_heap()) {
    bytes_ = o.bytes_;
    rest_size_ = o.rest_size_;
    return;
  }
  bytes_.heap = new char[o.rest_size_];
  rest_size_ = o.rest_size_;
  std::memcpy(bytes_.heap, o.bytes_.heap, rest_size_);
}

void SweepId::Assign(std::string_view s) {
  if (s.size() <= kInlineBytes) {
    if (!s.empty()) std::memcpy(bytes_, s.data(), s.size());
    size_ = static_cast<uint8_t>(s.size());
    return;
  }
  const Heap h{new char[s.size()], s.size()};
  std::memcpy(h.bytes, s.data(), s.size());
  std::memcpy(bytes_, &h, sizeof h);
  size_ = kOnHeap;
}

void PrintTo(const SweepId& id, std::ostream* os) { *os << '"' << id.view() << '"'; }

void SweepSource::AppendTo(std::string* out) const {
  out->append(folder());
  out->append(rest());
}

std::string SweepSource::str() const {
  std::string s;
  s.reserve(size());
  AppendTo(&s);
  return s;
}

void PrintTo(const SweepSource& s, std::ostream* os) { *os << '"' << s.str() << '"'; }

SweepKeys::SweepKeys(std::vector<SweepOutcome>* outcomes, size_t expected) : outcomes_(outcomes) {
  slots_.Reset(std::min(expected, kMaxExpected));
}

bool SweepKeys::Claim(size_t i) {
  const std::vector<SweepOutcome>& outcomes = *outcomes_;
  const std::string_view id = outcomes[i].id;
  if (id.empty()) return false;
  const uint64_t hash = Hash(id);
  if (slots_.Find(hash, [&](uint32_t j) { return outcomes[j].id == id; }) != HashSlots::kNone) return false;
  slots_.Insert(hash, static_cast<uint32_t>(i), [&](uint32_t j) { return Hash(outcomes[j].id); });
  return true;
}

void SweepKeys::Key(size_t i) {
  SweepOutcome& o = (*outcomes_)[i];
  if (Claim(i)) o.set_key(o.id);
  else o.set_key(SourceKey(o.source));
}

void KeyOutcomes(std::vector<SweepOutcome>* outcomes) {
  SweepKeys keys(outcomes, outcomes->size());
  keys.KeyTheRest();
}

// The sizes the header and docs/sweep.md ("Memory") give, on x86-64.
static_assert(sizeof(SweepId) == 48);
static_assert(sizeof(void*) != 8 || sizeof(SweepOutcome) == 144);
static_assert(sizeof(SweepSource) == 32);

SweepOutcome MakeSweepOutcome(const VerificationResult& r, bool verified, std::string_view key, uint64_t position) {
  SweepOutcome o;
  o.position = position;
  o.id = r.id();
  o.set_key(key);
  o.source = r.source();
  o.set_issuer(r.issuer());
  o.verified = verified;
  for (int i = 0; i < kCheckCount; ++i) {
    const CheckResult& c = r.check(static_cast<CheckId>(i));
    o.outcomes[i] = c.outcome;
    o.set_code(static_cast<CheckId>(i), c.code);
  }
  o.valid_until = r.valid_until();
  return o;
}

namespace {

// The number of leading bytes `a` and `b` share.
size_t SharedPrefix(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

void EncodeSweepOutcome(const SweepOutcome& o, std::string* out, const SweepSource* previous_source) {
  const bool key_is_id = o.key() == o.id;
  // The source as stored: whole, or after the bytes it shares with the previous one.
  thread_local std::string source;
  source.clear();
  o.source.AppendTo(&source);
  size_t shared = 0;
  if (previous_source) {
    if (previous_source->folder() == o.source.folder()) {
      shared = o.source.folder().size() + SharedPrefix(previous_source->rest(), o.source.rest());
    } else {
      thread_local std::string previous;
      previous.clear();
      previous_source->AppendTo(&previous);
      shared = SharedPrefix(previous, source);
    }
  }
  out->push_back(static_cast<char>((o.verified ? kVerified : 0) | (o.valid_until ? kHasValidUntil : 0) |
                                   kHasPosition | (key_is_id ? kKeyIsId : 0) | (shared > 0 ? kSharedSource : 0)));
  if (!key_is_id) PutLengthPrefixed(out, o.key());
  PutLengthPrefixed(out, o.id);
  if (shared > 0) {
    PutVarint64(out, shared);
    PutLengthPrefixed(out, std::string_view(source).substr(shared));
  } else {
    PutLengthPrefixed(out, source);
  }
  PutLengthPrefixed(out, o.issuer());
  for (int i = 0; i < kCheckCount; ++i) {
    out->push_back(static_cast<char>(o.outcomes[i]));
    PutLengthPrefixed(out, o.code(static_cast<CheckId>(i)));
  }
  if (o.valid_until) PutZigzag64(out, *o.valid_until);
  PutVarint64(out, o.position);
}

bool DecodeSweepOutcome(std::string_view* in, SweepOutcome* o, const SweepSource* previous_source) {
  uint8_t flags = 0;
  std::string_view key, id, source, issuer;
  uint64_t shared = 0;
  if (!GetByte(in, &flags) || (flags & ~kKnownFlags) != 0) return false;
  if (!(flags & kKeyIsId) && !GetLengthPrefixed(in, &key)) return false;
  if (!GetLengthPrefixed(in, &id)) return false;
  if ((flags & kSharedSource) &&
      (!previous_source || !GetVarint64(in, &shared) || shared == 0 || shared > previous_source->size())) {
    return false;
  }
  if (!GetLengthPrefixed(in, &source) || !GetLengthPrefixed(in, &issuer)) return false;
  o->verified = flags & kVerified;
  o->id = id;
  o->set_key((flags & kKeyIsId) ? id : key);
  if (shared > 0) {
    thread_local std::string whole;
    whole.clear();
    previous_source->AppendTo(&whole);
    whole.resize(shared);
    whole.append(source);
    o->source = whole;
  } else {
    o->source = source;
  }
  o->set_issuer(issuer);
  for (int i = 0; i < kCheckCount; ++i) {
    uint8_t outcome = 0;
    std::string_view code;
    if (!GetByte(in, &outcome) || outcome > static_cast<uint8_t>(Outcome::kFail) || !GetLengthPrefixed(in, &code)) {
      return false;
    }
    o->outcomes[i] = static_cast<Outcome>(outcome);
    o->set_code(static_cast<CheckId>(i), code);
  }
  o->valid_until.reset();
  if (flags & kHasValidUntil) {
    int64_t t = 0;
    if (!GetZigzag64(in, &t)) return false;
    o->valid_until = t;
  }
  o->position = 0;
  if ((flags & kHasPosition) && !GetVarint64(in, &o->position)) return false;
  return true;
}

}  // namespace credsweep::io
