#pragma once
// Positions of string ids that are held elsewhere (a corpus's account ids, the
// post ids in its text blob). Open addressing over 8-byte slots, each the id's
// hash and its position: ten million ids take 128 MiB and no allocation each,
// where an unordered_map<string, uint32_t> took a node and, for ids longer
// than fifteen bytes, a heap string per id (about 1 GiB at ten million posts).
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace influence::lib {

class IdIndex {
 public:
  static constexpr std::uint32_t absent = UINT32_MAX;

  // Room for `n` ids before the table grows.
  explicit IdIndex(std::size_t n = 0) { rehash(capacity_for(n)); }

  // Adds `id` at `position`. An id added twice keeps its first position, as
  // unordered_map::emplace does; `key_of(position)` gives back a stored id.
  template <class KeyOf>
  void insert(std::string_view id, std::uint32_t position, const KeyOf& key_of) {
    if ((size_ + 1) * 10 > slots_.size() * 7) rehash(slots_.size() * 2);
    const auto h = hash(id);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      auto& s = slots_[i];
      if (s.position == absent) {
        s = {h, position};
        ++size_;
        return;
      }
      if (s.hash == h && key_of(s.position) == id) return;
    }
  }

  // The position of `id`, or `absent`.
  template <class KeyOf>
  std::uint32_t find(std::string_view id, const KeyOf& key_of) const {
    const auto h = hash(id);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const auto& s = slots_[i];
      if (s.position == absent) return absent;
      if (s.hash == h && key_of(s.position) == id) return s.position;
    }
  }

  // For lookups in batches, a step at a time across the batch, so that the
  // cache misses of its ids overlap: the hash, a prefetch of the slot where
  // the search starts, then the first position stored with that hash
  // (`absent` when there is none: the id is not here). That position holds
  // the id unless two ids share the hash; find() tells.
  static std::uint32_t hash(std::string_view id) {
    return static_cast<std::uint32_t>(std::hash<std::string_view>{}(id));
  }
  void prefetch(std::uint32_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  std::uint32_t candidate(std::uint32_t h) const {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const auto& s = slots_[i];
      if (s.position == absent || s.hash == h) return s.position;
    }
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t position = absent;
  };
  static std::size_t capacity_for(std::size_t n) {
    std::size_t c = 16;
    while (c * 7 < n * 10) c *= 2;  // at most 70 % full
    return c;
  }
  // Moves the slots into a table of `capacity` (a power of two) using the
  // stored hashes, so growing never reads the ids.
  void rehash(std::size_t capacity) {
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    mask_ = capacity - 1;
    for (const auto& s : old) {
      if (s.position == absent) continue;
      std::size_t i = s.hash & mask_;
      while (slots_[i].position != absent) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace influence::lib
