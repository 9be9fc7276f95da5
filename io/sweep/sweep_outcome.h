// One credential's outcome in a sweep, in the compact form a sweep stores for each
// credential of each run (docs/sweep.md, "Stored runs"), and what the diff and the
// reports read back.
//
// Memory: a SweepOutcome holds its id as a SweepId (inline up to 47 bytes), its
// source as a SweepSource (mostly inline), its key only when that is not the id
// (on the heap), and its issuer and five codes as numbers of copies kept once for
// the process (a corpus has few issuers and few codes): 144 bytes on x86-64, plus
// a heap copy of an id over 47 bytes (a "urn:uuid:" id is 45). A sweep holds two
// per credential (docs/sweep.md, "Memory").
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_OUTCOME_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_OUTCOME_H_

#include <array>
#include <cstring>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/hash_slots.h"
#include "engine/verification_result.h"

namespace credsweep::io {

// A record's source ("corpus/2026/part-00001.jsonl:12"), in the 32 bytes a
// std::string takes but mostly without its heap copy: the folder (up to its last
// '/') as the number of a copy kept once for the process, as issuers are (a corpus
// has few folders and many records in each; a copy of each folder met is kept
// for the life of the process), and the rest inline when it fits in kInlineBytes,
// else on the heap.
class SweepSource {
 public:
  static constexpr size_t kInlineBytes = 24;

  SweepSource() = default;
  SweepSource(std::string_view s) { Assign(s); }  // NOLINT: a source is a string
  SweepSource(const SweepSource& o) { CopyFrom(o); }
  SweepSource(SweepSource&& o) noexcept : folder_(o.folder_), rest_size_(o.rest_size_), bytes_(o.bytes_) {
    o.rest_size_ = 0;  // o's heap copy, if any, is now this one's
  }
  // Copies are made before this one's bytes are let go: safe when `o` or `s`
  // views this source, and when the copy's allocation throws.
  SweepSource& operator=(const SweepSource& o) {
    if (this != &o) *this = SweepSource(o);
    return *this;
  }
  SweepSource& operator=(SweepSource&& o) noexcept {
    if (this != &o) {
      Release();
      folder_ = o.folder_;
      rest_size_ = o.rest_size_;
      bytes_ = o.bytes_;
      o.rest_size_ = 0;
    }
    return *this;
  }
  SweepSource& operator=(std::string_view s) { return *this = SweepSource(s); }
  ~SweepSource() { Release(); }

  std::string_view folder() const;  // through its last '/'; empty when it has none
  std::string_view rest() const { return {on_heap() ? bytes_.heap : bytes_.inline_bytes, rest_size_}; }
  size_t size() const { return folder().size() + rest_size_; }
  bool empty() const { return folder_ == 0 && rest_size_ == 0; }
  std::string str() const;
  void AppendTo(std::string* out) const;

  // The same folder has the same number, so equal sources have equal parts.
  friend bool operator==(const SweepSource& a, const SweepSource& b) {
    return a.folder_ == b.folder_ && a.rest() == b.rest();
  }
  friend void PrintTo(const SweepSource& s, std::ostream* os);  // for test messages

 private:
  bool on_heap() const { return rest_size_ > kInlineBytes; }
  void Assign(std::string_view s);
  void CopyFrom(const SweepSource& o);
  void Release() {
    if (on_heap()) delete[] bytes_.heap;
    rest_size_ = 0;
  }

  uint32_t folder_ = 0;  // SweepOutcome's interned strings; 0: none
  uint32_t rest_size_ = 0;
  union Bytes {
    char inline_bytes[kInlineBytes];
    char* heap;  // when rest_size_ > kInlineBytes
  } bytes_{};
};

// A credential id in 48 bytes: inline when it has at most kInlineBytes ("urn:uuid:"
// and a UUID take 45), else on the heap. Reads as a std::string_view; assigned from
// one. (A std::string would take 32 bytes and a heap copy of any id over 15 bytes:
// a sweep holds two million of them for a million credentials.)
class SweepId {
 public:
  static constexpr size_t kInlineBytes = 47;

  SweepId() = default;
  explicit SweepId(std::string_view s) { Assign(s); }
  SweepId(const SweepId& o) { Assign(o.view()); }
  SweepId(SweepId&& o) noexcept { TakeFrom(o); }
  // Copies are made before this one's bytes are let go: safe when `o` or `s`
  // views this id, and when the copy's allocation throws.
  SweepId& operator=(const SweepId& o) { return *this = o.view(); }
  SweepId& operator=(SweepId&& o) noexcept {
    if (this != &o) {
      Release();
      TakeFrom(o);
    }
    return *this;
  }
  SweepId& operator=(std::string_view s) {
    SweepId copy(s);
    return *this = std::move(copy);
  }
  ~SweepId() { Release(); }

  std::string_view view() const {
    if (size_ != kOnHeap) return {bytes_, size_};
    Heap h;
    std::memcpy(&h, bytes_, sizeof h);
    return {h.bytes, h.size};
  }
  operator std::string_view() const { return view(); }  // NOLINT: an id reads as a string
  bool empty() const { return size_ == 0; }
  std::string str() const { return std::string(view()); }

  friend bool operator==(const SweepId& a, std::string_view b) { return a.view() == b; }
  friend void PrintTo(const SweepId& id, std::ostream* os);  // for test messages

 private:
  static constexpr uint8_t kOnHeap = 0xFF;
  struct Heap {
    char* bytes;
    size_t size;
  };
  static_assert(sizeof(Heap) <= kInlineBytes && kInlineBytes < kOnHeap);

  // Only from constructors (nothing to let go; a throwing allocation leaves no object).
  void Assign(std::string_view s);
  void TakeFrom(SweepId& o) {  // o's heap copy, if any, becomes this one's
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    size_ = o.size_;
    o.size_ = 0;
  }
  void Release() {
    if (size_ == kOnHeap) {
      Heap h;
      std::memcpy(&h, bytes_, sizeof h);
      delete[] h.bytes;
    }
    size_ = 0;
  }

  char bytes_[kInlineBytes]{};  // the id's bytes, or a Heap
  uint8_t size_ = 0;          // of the inline bytes, or kOnHeap
};

class SweepOutcome {
 public:
  SweepId id;  // empty when unknown
  SweepSource source;  // empty when unknown
  std::optional<UnixSeconds> valid_until;
  uint64_t position = 0;  // its record's Record::position (0 in runs stored before it was kept)
  bool verified = false;
  std::array<Outcome, kCheckCount> outcomes{};

  // What identifies the credential from one run to the next: its id; for a record
  // without an id, or a later record repeating an id already seen in the run,
  // "source:" followed by its source. Set after `id`.
  std::string_view key() const { return other_key_ ? std::string_view(*other_key_) : std::string_view(id); }
  void set_key(std::string_view key) {
    if (key == id) other_key_.reset();
    else other_key_ = std::make_unique<std::string>(key);
  }
  std::string_view issuer() const { return InternedAt(issuer_); }  // empty when unknown
  void set_issuer(std::string_view issuer) { issuer_ = Intern(issuer); }
  std::string_view code(CheckId c) const { return InternedAt(codes_[static_cast<int>(c)]); }
  void set_code(CheckId c, std::string_view code) { codes_[static_cast<int>(c)] = Intern(code); }

  Outcome outcome(CheckId c) const { return outcomes[static_cast<int>(c)]; }
  bool fails(CheckId c) const { return outcome(c) == Outcome::kFail; }

 private:
  friend class SweepSource;
  // The process's one copy of each issuer, code and source folder, by number (0:
  // empty). They repeat across a corpus: a few hundred distinct strings for
  // millions of outcomes. Copies are never freed (bounded by the distinct strings
  // seen).
  static uint32_t Intern(std::string_view s);
  static std::string_view InternedAt(uint32_t n);

  // A copy of a string on the heap, or none: 8 bytes where most outcomes have none.
  class HeapString {
   public:
    HeapString() = default;
    HeapString(const HeapString& o) : s_(o.s_ ? std::make_unique<std::string>(*o.s_) : nullptr) {}
    HeapString& operator=(const HeapString& o) {
      if (this != &o) s_ = o.s_ ? std::make_unique<std::string>(*o.s_) : nullptr;
      return *this;
    }
    HeapString(HeapString&&) noexcept = default;
    HeapString& operator=(HeapString&&) noexcept = default;
    HeapString& operator=(std::unique_ptr<std::string> s) {
      s_ = std::move(s);
      return *this;
    }
    explicit operator bool() const { return s_ != nullptr; }
    const std::string& operator*() const { return *s_; }
    void reset() { s_.reset(); }

   private:
    std::unique_ptr<std::string> s_;
  };

  HeapString other_key_;  // the key when it is not the id
  uint32_t issuer_ = 0;
  std::array<uint32_t, kCheckCount> codes_{};
};

// Gives each credential of a run its SweepOutcome::key, in input order: a
// credential id's first record keeps the id, a record without an id or repeating
// one already seen is keyed "source:" + its source.
//
// Holds an open-addressing table of the positions of the outcomes that kept their
// ids (16 to 32 bytes per id); the ids are the outcomes' own, not copied. Fewer
// than 2^32 - 1 outcomes (HashSlots).
class SweepKeys {
 public:
  // Room for `expected` ids (at most kMaxExpected) before the table grows (a run
  // expects about as many as the previous one had).
  static constexpr size_t kMaxExpected = size_t{1} << 24;
  // Over `outcomes`, which the caller goes on appending to (it may reallocate).
  explicit SweepKeys(std::vector<SweepOutcome>* outcomes, size_t expected = 0);
  SweepKeys(const SweepKeys&) = delete;
  SweepKeys& operator=(const SweepKeys&) = delete;

  // Keys the outcomes as they are appended: call Appended() after each, and
  // KeyTheRest() after the last. Each is keyed (its id, or SourceKey(source)) when
  // kAhead more have come, so that the table slot it looks at has been fetched
  // meanwhile (in a table of millions, a cache miss per outcome otherwise).
  static constexpr size_t kAhead = 16;
  void Appended() {
    const size_t n = outcomes_->size();
    Prefetch((*outcomes_)[n - 1].id);
    if (n > keyed_ + kAhead) Key(keyed_++);
  }
  void KeyTheRest() {
    for (const size_t n = outcomes_->size(); keyed_ < n; ++keyed_) {
      if (keyed_ + kAhead < n) Prefetch((*outcomes_)[keyed_ + kAhead].id);
      Key(keyed_);
    }
  }

  // For positions 0, 1, 2... in turn (when not keyed through Appended): true when
  // the id of (*outcomes)[i] is not empty and no outcome claimed before had it (it
  // is then remembered): the outcome keeps its id as its key. Otherwise it is
  // keyed by its source.
  bool Claim(size_t i);
  // Starts fetching what a Claim of an outcome with `id` looks at first.
  void Prefetch(std::string_view id) const { slots_.Prefetch(Hash(id)); }

  static std::string SourceKey(std::string_view source) { return "source:" + std::string(source); }
  static std::string SourceKey(const SweepSource& source) {
    std::string key = "source:";
    source.AppendTo(&key);
    return key;
  }

 private:
  static uint64_t Hash(std::string_view id) { return std::hash<std::string_view>()(id); }
  void Key(size_t i);

  std::vector<SweepOutcome>* outcomes_;
  size_t keyed_ = 0;  // outcomes keyed through Appended
  HashSlots slots_;   // positions in *outcomes_
};

// Sets the key of each of `outcomes`, in order (SweepKeys).
void KeyOutcomes(std::vector<SweepOutcome>* outcomes);

// The outcome of `r` (its verdict `verified`, its record's `position`) under `key`.
SweepOutcome MakeSweepOutcome(const VerificationResult& r, bool verified, std::string_view key, uint64_t position);

// The stored form (docs/sweep.md): appended to *out / read from the front of *in.
// Decode returns false (and leaves *in unspecified) on damaged input. Within a
// chunk each outcome may store its source as the part that differs from the
// previous outcome's: pass that outcome's source as `previous_source` to both
// (null for a chunk's first).
void EncodeSweepOutcome(const SweepOutcome& o, std::string* out, const SweepSource* previous_source = nullptr);
bool DecodeSweepOutcome(std::string_view* in, SweepOutcome* o, const SweepSource* previous_source = nullptr);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_OUTCOME_H_
