#include "engine/internal/status_list_cache.h"

#include "engine/hash_slots.h"

namespace credsweep::internal {

namespace {

std::atomic<uint64_t> next_instance{1};

// The lists one thread was handed by one cache, by URL.
struct Remembered {
  struct Entry {
    // The list, through a reference count of this thread's own: the copies it
    // hands out count there, not on the cache's count that every thread shares
    // (whose cache line would move between cores with each record).
    std::shared_ptr<const checks::ResolvedList> list;
    uint32_t uses = 0;  // since remembered
  };
  uint64_t instance = 0, removals = 0;
  std::unordered_map<std::string, Entry> lists;
  // The entry found last and its URL (records in a row name the same list):
  // found again by one comparison, without hashing the URL. Null when unset.
  Entry* last = nullptr;
  std::string last_url;

  void Reset(uint64_t of, uint64_t since) {
    instance = of;
    removals = since;
    Clear();
  }
  void Clear() {
    lists.clear();
    last = nullptr;
  }
  Entry* Find(const std::string& url) {
    if (last && last_url == url) return last;
    auto it = lists.find(url);
    if (it == lists.end()) return nullptr;
    last = &it->second;  // nodes stay where they are until erased
    last_url = url;
    return last;
  }
  static std::shared_ptr<const checks::ResolvedList> OwnCount(std::shared_ptr<const checks::ResolvedList> list) {
    if (!list) return list;
    const checks::ResolvedList* p = list.get();
    return {std::make_shared<std::shared_ptr<const checks::ResolvedList>>(std::move(list)), p};
  }
};

// The calling thread's. One per thread, not per cache: `instance` tells whose.
Remembered& ThreadRemembered() {
  thread_local Remembered remembered;
  return remembered;
}

}  // namespace

StatusListCache::StatusListCache(Loader load, size_t max_bytes)
    : load_(std::move(load)), max_bytes_(max_bytes), instance_(next_instance++) {}

std::shared_ptr<const checks::ResolvedList> StatusListCache::Resolve(const std::string& url) const {
  // Called for every status entry of every record, from every thread.
  Remembered& remembered = ThreadRemembered();
  const uint64_t removals = removals_.load(std::memory_order_acquire);
  if (remembered.instance != instance_ || remembered.removals != removals) {
    remembered.Reset(instance_, removals);
  } else if (Remembered::Entry* e = remembered.Find(url)) {
    // Its first use and every kTouchEvery-th after go through the shared cache,
    // which then counts the list as recently used: the lists this thread keeps
    // handing out are not the ones dropped first.
    if (e->uses++ % kTouchEvery != 0) return e->list;
    // A list dropped meanwhile is loaded again, and the loader could resolve
    // lists itself: `e` may not survive the call.
    std::shared_ptr<const checks::ResolvedList> list = ResolveShared(url);
    remembered.last = nullptr;
    if (remembered.instance == instance_) {
      if (auto again = remembered.lists.find(url); again != remembered.lists.end() && again->second.list != list) {
        again->second.list = Remembered::OwnCount(list);
      }
    }
    return list;
  }
  std::shared_ptr<const checks::ResolvedList> list = ResolveShared(url);
  if (remembered.lists.size() >= kPerThread) remembered.Clear();
  remembered.last = nullptr;
  remembered.lists[url] = Remembered::Entry{Remembered::OwnCount(list), 0};
  return list;
}

const char* StatusEntryByte(const checks::ResolvedList& list, uint64_t index, unsigned bits_per_entry) {
  const unsigned size = bits_per_entry != 0 ? bits_per_entry : list.token_bits;
  const std::string& bytes = list.bits.bytes();
  if (size == 0 || index >= bytes.size() * 8 / size) return nullptr;  // so index * size < bytes.size() * 8
  return bytes.data() + index * size / 8;
}

void StatusListCache::Prefetch(const std::string& url, uint64_t index, unsigned bits_per_entry) const {
  const Remembered& remembered = ThreadRemembered();
  if (remembered.instance != instance_ || remembered.removals != removals_.load(std::memory_order_acquire)) return;
  // Read only: Resolve's memo of the last list found is left as it is.
  auto it = remembered.lists.find(url);
  if (it == remembered.lists.end() || !it->second.list) return;
  if (const char* byte = StatusEntryByte(*it->second.list, index, bits_per_entry)) PrefetchLine(byte);
}

std::shared_ptr<const checks::ResolvedList> StatusListCache::ResolveShared(const std::string& url) const {
  // A list already resolved is handed out under the lock alone, without a
  // promise or a future to copy.
  std::optional<std::promise<std::shared_ptr<const checks::ResolvedList>>> promise;
  std::shared_future<std::shared_ptr<const checks::ResolvedList>> existing;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(url);
    if (it != slots_.end() && it->second.done) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.list;
    }
    if (it != slots_.end()) {
      existing = it->second.future;  // being resolved by another thread
    } else {
      promise.emplace();
      slots_[url].future = promise->get_future().share();
    }
  }
  if (existing.valid()) return existing.get();
  std::shared_ptr<checks::ResolvedList> list;
  try {
    list = load_(url);
  } catch (...) {
    {
      std::lock_guard lock(mu_);
      slots_.erase(url);  // a later record tries again
    }
    promise->set_exception(std::current_exception());
    throw;
  }
  Keep(url, list);
  promise->set_value(list);
  return list;
}

void StatusListCache::Keep(const std::string& url, const std::shared_ptr<const checks::ResolvedList>& list) const {
  size_t bytes = url.size() + list->bits.bytes().size() + list->problem.message.size() + list->issuer.size() + 256;
  for (const auto& [_, text] : list->messages) bytes += text.size() + 64;
  std::lock_guard lock(mu_);
  auto it = slots_.find(url);
  if (it == slots_.end() || it->second.done) return;
  it->second.done = true;
  it->second.list = list;
  it->second.future = {};  // waiters hold their own copy
  it->second.bytes = bytes;
  lru_.push_front(url);
  it->second.lru = lru_.begin();
  bytes_ += bytes;
  // Drop the least recently used beyond the budget; holders keep their copy alive.
  while (bytes_ > max_bytes_ && lru_.size() > 1) {
    auto victim = slots_.find(lru_.back());
    bytes_ -= victim->second.bytes;
    slots_.erase(victim);
    lru_.pop_back();
    removals_.fetch_add(1, std::memory_order_release);  // threads forget what they remember
  }
}

}  // namespace credsweep::internal
