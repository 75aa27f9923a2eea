#include "lib/text_arena.hpp"

#include <algorithm>
#include <cstring>

namespace influence::lib {

std::string_view TextArena::add(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > left_) {
    // Chunks of 1 MiB, or one of its own for a longer string: a few hundred
    // allocations for the strings of a million accounts.
    constexpr std::size_t chunk = std::size_t{1} << 20;
    const std::size_t size = std::max(chunk, s.size());
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    at_ = chunks_.back().get();
    left_ = size;
  }
  std::memcpy(at_, s.data(), s.size());
  const std::string_view out(at_, s.size());
  at_ += s.size();
  left_ -= s.size();
  return out;
}

}  // namespace influence::lib
